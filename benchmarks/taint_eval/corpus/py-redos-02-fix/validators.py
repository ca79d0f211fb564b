import re

EMAIL_RE = re.compile(r"^[a-zA-Z0-9._%+-]{1,64}@[a-zA-Z0-9.-]{1,253}\.[a-zA-Z]{2,24}$")


def is_valid_email(address):
    if len(address) > 320:
        return False
    return EMAIL_RE.match(address) is not None
