import re


def highlight(text, term):
    pattern = re.compile(re.escape(term), re.IGNORECASE)
    return pattern.sub(lambda m: f"**{m.group(0)}**", text)
