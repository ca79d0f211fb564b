import re
import sys

LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) \[(\w+)\] (.*)$")


def parse(line):
    match = LINE.match(line)
    return match.groups() if match else None


if __name__ == "__main__":
    for raw in sys.stdin:
        print(parse(raw.rstrip("\n")))
