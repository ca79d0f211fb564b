import yaml


def load_pipeline(path):
    with open(path) as fh:
        return yaml.safe_load(fh)
