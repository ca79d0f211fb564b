import yaml


def load_pipeline(path):
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)
