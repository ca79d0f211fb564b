class Calculator:
    def add(self, a, b):
        return a + b

    def sub(self, a, b):
        return a - b


OPERATIONS = frozenset({"add", "sub"})


def dispatch(op_name, a, b):
    if op_name not in OPERATIONS:
        raise ValueError(op_name)
    return getattr(Calculator(), op_name)(a, b)
