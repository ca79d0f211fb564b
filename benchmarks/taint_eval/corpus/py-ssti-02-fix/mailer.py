from jinja2 import Environment, select_autoescape

ENV = Environment(autoescape=select_autoescape())
EMAIL = ENV.from_string("Subject: {{ subject }}\n\nHi {{ user.name }},\nthanks for signing up.")


def render_email(subject_line, user):
    return EMAIL.render(subject=subject_line, user=user)
