TRANSFORMS = {
    "upper_name": lambda r: {**r, "name": str(r.get("name", "")).upper()},
    "drop_email": lambda r: {k: v for k, v in r.items() if k != "email"},
}


def apply_transform(record: dict, transform_name: str) -> dict:
    """Run one of the registered transforms against a record."""
    try:
        transform = TRANSFORMS[transform_name]
    except KeyError:
        raise ValueError(f"unknown transform {transform_name!r}") from None
    return transform(dict(record))
