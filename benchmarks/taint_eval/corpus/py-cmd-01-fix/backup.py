import subprocess


def archive_directory(src_dir, dest_name):
    """Create a gzipped tarball of src_dir named dest_name."""
    archive = f"{dest_name}.tar.gz"
    subprocess.run(["tar", "-czf", archive, "--", src_dir], check=True)
    return archive
