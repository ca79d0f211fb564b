import os
import zipfile


def extract_bundle(archive_path, target_dir):
    root = os.path.realpath(target_dir)
    with zipfile.ZipFile(archive_path) as bundle:
        for member in bundle.namelist():
            destination = os.path.realpath(os.path.join(root, member))
            if not destination.startswith(root + os.sep):
                raise ValueError(f"unsafe member {member!r}")
            bundle.extract(member, root)
    return root
