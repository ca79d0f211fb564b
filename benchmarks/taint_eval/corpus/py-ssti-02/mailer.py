from jinja2 import Template


def render_email(subject_line, user):
    body = Template("Subject: " + subject_line + "\n\nHi {{ user.name }},\nthanks for signing up.")
    return body.render(user=user)
