from flask import request


def int_param(name, default=0):
    try:
        return int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
