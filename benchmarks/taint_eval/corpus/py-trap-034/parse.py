import ast
import sys


def parse_tuple(text):
    value = ast.literal_eval(text)
    if not isinstance(value, tuple):
        raise TypeError("expected a tuple")
    return value


if __name__ == "__main__":
    print(parse_tuple(sys.argv[1]))
