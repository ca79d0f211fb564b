import sys

from defusedxml.ElementTree import parse


def titles(path):
    return [item.findtext("title") for item in parse(path).getroot().iter("item")]


if __name__ == "__main__":
    print(titles(sys.argv[1]))
