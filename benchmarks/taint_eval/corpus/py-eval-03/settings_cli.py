import sys


def parse_value(raw):
    return eval(raw)


if __name__ == "__main__":
    key, raw = sys.argv[1], sys.argv[2]
    print(key, "=", repr(parse_value(raw)))
