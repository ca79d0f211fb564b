import io


def evaluate_rows(csv_text: str) -> list:
    """Evaluate the formula column of an uploaded sheet."""
    results = []
    for line in io.StringIO(csv_text):
        name, formula = line.rstrip("\n").split(",", 1)
        results.append((name, eval(formula)))
    return results
