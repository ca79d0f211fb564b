import ast
import io


def evaluate_rows(csv_text: str) -> list:
    """Evaluate the number column of an uploaded sheet."""
    results = []
    for line in io.StringIO(csv_text):
        name, formula = line.rstrip("\n").split(",", 1)
        results.append((name, ast.literal_eval(formula)))
    return results
