def apply_transform(record: dict, transform_source: str) -> dict:
    """Run a user-provided transform snippet against a record."""
    scope = {"record": dict(record)}
    exec(transform_source, scope)
    return scope["record"]
