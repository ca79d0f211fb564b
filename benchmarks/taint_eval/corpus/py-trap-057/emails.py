from jinja2 import Environment, FileSystemLoader, select_autoescape

env = Environment(loader=FileSystemLoader("templates/email"), autoescape=select_autoescape())
KNOWN = {"welcome", "receipt", "password_reset"}


def render(kind, **context):
    if kind not in KNOWN:
        raise KeyError(kind)
    return env.get_template(f"{kind}.html").render(**context)
