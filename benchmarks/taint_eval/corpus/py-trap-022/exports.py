import os

EXPORT_DIR = "/var/exports"


def export_path(filename):
    if ".." in filename or filename.startswith("/") or "\\" in filename:
        raise ValueError("invalid file name")
    return os.path.join(EXPORT_DIR, filename)


def write_export(filename, data):
    with open(export_path(filename), "w") as fh:
        fh.write(data)
