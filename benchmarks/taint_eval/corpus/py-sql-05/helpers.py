from flask import request


def get_param(name, default=None):
    value = request.values.get(name)
    return value if value is not None else default
