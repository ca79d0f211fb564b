import subprocess


def archive_folder(folder: str, dest: str) -> int:
    """Pack a folder into a tarball for the nightly backup."""
    return subprocess.run(["tar", "czf", dest, "-C", folder, "."], check=True).returncode
