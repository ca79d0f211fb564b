import zipfile


def extract_bundle(archive_path, target_dir):
    with zipfile.ZipFile(archive_path) as bundle:
        for member in bundle.namelist():
            bundle.extract(member, target_dir)
    return target_dir
