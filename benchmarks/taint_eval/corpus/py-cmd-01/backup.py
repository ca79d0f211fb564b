import subprocess


def archive_directory(src_dir, dest_name):
    """Create a gzipped tarball of src_dir named dest_name."""
    cmd = f"tar -czf {dest_name}.tar.gz {src_dir}"
    subprocess.run(cmd, shell=True, check=True)
    return f"{dest_name}.tar.gz"
