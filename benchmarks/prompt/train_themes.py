"""Train the learned theme scorer on every labelled development request, and cross-validate how it meets the rules.

Usage: PYTHONPATH=src python benchmarks/prompt/train_themes.py [--cv] [--words-only] [--write FILE [--config ...]]

One binary logistic regression per theme (scikit-learn's liblinear, L2, fixed seed) over the request's stemmed
word unigrams and bigrams (``bastion.prompt.theme_model.word_features``, seen in at least two training requests)
and every theme's capped rule score. ``--cv`` holds out one development *set* at a time (its writer's phrasing
unseen), runs the engine's own pure-Python inference and theme choice on it for every policy of the grid, and
prints pooled recall and off-task share against the rules alone; the best policy (recall minus off-task share,
neither worse than the rules) is the one it would ship. ``--write FILE`` trains on every development request and
writes the model as JSON (``theme_model.model_from_dict`` reads it). ``heldout4/`` is never read here.

Measured and not adopted (``requests/RESULTS.md``, fifth round): the engine ships no model.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import product
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from fit import load_development_file, load_requests, set_folder  # noqa: E402

from theme_model import RULE_CAP, Policy, model_from_dict, themes_with_model, word_features  # noqa: E402

from bastion.prompt.harden import RequestSignals, request_signals, select_themes  # noqa: E402
from bastion.prompt.lexicon import Tokens  # noqa: E402

SEED = 0
#: Whether each theme's rule score is a feature (``--words-only`` turns it off).
RULE_FEATURES = True
MIN_COUNT = 2
DIGITS = 5
#: The logit of a theme every training request has (or, negated, none has).
CONSTANT_LOGIT = 10.0
#: Development sets: (group name, loader). Every labelled request except the held-out ``heldout4/``.
DEVELOPMENT_FILES = ("tasks.yaml", "holdout.yaml", "dev.yaml", "holdout2.yaml", "dev2.yaml", "dev3.yaml")
DEVELOPMENT_SETS = ("requests", "heldout", "heldout3")
C_GRID = (0.5, 2.0)
WEIGHT_GRID = (None, "balanced")
POLICY_GRID = [Policy(add, weak, veto) for add, weak, veto in product(
    (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 2.0), (1.0, 1.25, 1.5, 2.0), (0.05, 0.1, 0.2, 0.3, 0.5))]


def development_rows() -> list[tuple[str, str, set[str]]]:
    """``(group, task, labels)`` for every labelled development request, grouped by the set it came from."""
    rows = []
    for name in DEVELOPMENT_FILES:
        rows += [(name, task, labels) for _, task, labels in load_development_file(HERE / name)]
    for name in DEVELOPMENT_SETS:
        rows += [(name, task, labels) for _, task, labels in load_requests(set_folder(name))]
    return rows


def _matrix(signals: list[RequestSignals], vocabulary: dict[str, int], themes: list[str], rules: bool):
    from scipy.sparse import csr_matrix

    data, indices, indptr = [], [], [0]
    width = len(vocabulary)
    for item in signals:
        row = sorted({vocabulary[f] for f in word_features(Tokens.of(item.text)) if f in vocabulary})
        scores = {m.id: min(m.score, RULE_CAP) for m in item.totals}
        for column in row:
            indices.append(column)
            data.append(1.0)
        for offset, theme in enumerate(themes if rules else ()):
            if scores.get(theme):
                indices.append(width + offset)
                data.append(scores[theme])
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(signals), width + (len(themes) if rules else 0)))


def fit_classifiers(signals: list[RequestSignals], labels: list[set[str]], themes: list[str], c: float, weight):
    """The vocabulary (word features seen in ``MIN_COUNT`` requests or more, sorted), the feature matrix and one
    fitted scikit-learn classifier per theme (0 or 1 instead for a theme no training request has, or all have)."""
    from sklearn.linear_model import LogisticRegression

    counts: dict[str, int] = {}
    for item in signals:
        for feature in word_features(Tokens.of(item.text)):
            counts[feature] = counts.get(feature, 0) + 1
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    matrix = _matrix(signals, vocabulary, themes, RULE_FEATURES)
    classifiers = []
    for theme in themes:
        target = [int(theme in row) for row in labels]
        if len(set(target)) < 2:  # no request (or every one) has it: a constant, see ``train``
            classifiers.append(target[0])
            continue
        model = LogisticRegression(C=c, solver="liblinear", class_weight=weight, random_state=SEED, max_iter=1000)
        classifiers.append(model.fit(matrix, target))
    return vocabulary, matrix, classifiers


def train(signals: list[RequestSignals], labels: list[set[str]], themes: list[str], c: float, weight,
          policy: Policy) -> dict:
    """The model file's content (weights rounded to ``DIGITS`` places), trained on ``signals`` with ``labels``."""
    vocabulary, _, classifiers = fit_classifiers(signals, labels, themes, c, weight)
    features = list(vocabulary)
    intercepts, rules, words = [], [], {}
    for index, model in enumerate(classifiers):
        if isinstance(model, int):
            intercepts.append(CONSTANT_LOGIT if model else -CONSTANT_LOGIT)
            rules.append([0.0] * len(themes))
            continue
        coefficients = model.coef_[0]
        intercepts.append(round(float(model.intercept_[0]), DIGITS))
        rules.append([round(float(w), DIGITS) for w in coefficients[len(features):]] if RULE_FEATURES
                     else [0.0] * len(themes))
        for column, feature in enumerate(features):
            weight_value = round(float(coefficients[column]), DIGITS)
            if weight_value:
                words.setdefault(feature, []).append([index, weight_value])
    return {"themes": themes, "intercepts": intercepts, "rules": rules, "words": dict(sorted(words.items())),
            "policy": {"add_probability": policy.add_probability, "weak_score": policy.weak_score,
                       "veto_probability": policy.veto_probability},
            "trained": {"c": c, "class_weight": weight, "min_count": MIN_COUNT, "requests": len(signals)}}


def measure(named: list[set[str]], labels: list[set[str]]) -> tuple[float, float]:
    """Micro recall and the share of requests naming a theme they do not invite."""
    hits = sum(len(n & l) for n, l in zip(named, labels))
    total = sum(len(l) for l in labels)
    off = sum(1 for n, l in zip(named, labels) if n - l)
    return hits / total, off / len(labels)


def cross_validate(rows, signals, themes) -> dict:
    groups = sorted({g for g, _, _ in rows})
    labels = [l for _, _, l in rows]
    rules_only = [{m.id for m in select_themes(s)} for s in signals]
    results = {}
    for c, weight in product(C_GRID, WEIGHT_GRID):
        named = {policy: [None] * len(rows) for policy in POLICY_GRID}
        for group in groups:
            train_at = [i for i, (g, _, _) in enumerate(rows) if g != group]
            test_at = [i for i, (g, _, _) in enumerate(rows) if g == group]
            model = model_from_dict(train([signals[i] for i in train_at], [labels[i] for i in train_at], themes,
                                          c, weight, POLICY_GRID[0]))
            for i in test_at:
                scores = {m.id: m.score for m in signals[i].totals}
                probabilities = model.probabilities(Tokens.of(signals[i].text), scores)
                for policy in POLICY_GRID:
                    named[policy][i] = {m.id for m in themes_with_model(signals[i], probabilities, policy)}
        for policy in POLICY_GRID:
            results[(c, weight, policy)] = (measure(named[policy], labels), per_group(named[policy], rows))
    return {"rules": (measure(rules_only, labels), per_group(rules_only, rows)), "grid": results}


def per_group(named, rows) -> dict[str, tuple[float, float]]:
    out = {}
    for group in sorted({g for g, _, _ in rows}):
        at = [i for i, (g, _, _) in enumerate(rows) if g == group]
        out[group] = measure([named[i] for i in at], [rows[i][2] for i in at])
    return out


def frontier(grid: dict) -> list:
    """The configurations no other beats on both recall and off-task share, by recall (at most 15)."""
    points = sorted(grid.items(), key=lambda kv: (-kv[1][0][0], kv[1][0][1]))
    kept, lowest = [], None
    for key, value in points:
        if lowest is None or value[0][1] < lowest:
            kept.append((key, value))
            lowest = value[0][1]
    return kept[:15]


def best(cv: dict):
    """The configuration with the highest recall minus off-task share, neither worse than the rules alone."""
    (base_recall, base_off), _ = cv["rules"]
    allowed = [(key, value) for key, value in cv["grid"].items()
               if value[0][0] >= base_recall and value[0][1] <= base_off]
    if not allowed:
        return None
    return max(allowed, key=lambda kv: (round(kv[1][0][0] - kv[1][0][1], 6), kv[1][0][0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="grouped cross-validation over the development sets")
    parser.add_argument("--write", metavar="FILE", help="train on every development request, write the model here")
    parser.add_argument("--config", help="C,class weight,add p,weak score,veto p for --write "
                        "(e.g. 0.5,balanced,0.95,1.25,0.2); default: what --cv chose, else SHIPPED")
    parser.add_argument("--words-only", action="store_true", help="no rule scores among the features")
    args = parser.parse_args()
    global RULE_FEATURES
    RULE_FEATURES = not args.words_only
    rows = development_rows()
    from bastion.prompt.catalog import load_knowledge

    themes = list(load_knowledge().themes)
    signals = [request_signals(task) for _, task, _ in rows]
    print(f"{len(rows)} development requests, {len(themes)} themes, groups: "
          f"{', '.join(sorted({g for g, _, _ in rows}))}")
    chosen = None
    if args.cv:
        cv = cross_validate(rows, signals, themes)
        (recall, off), groups = cv["rules"]
        print(f"rules alone: recall {recall:.3f}  off-task {off:.1%}")
        ranked = sorted(cv["grid"].items(), key=lambda kv: -(kv[1][0][0] - kv[1][0][1]))
        print("top configurations (C, class weight, add p, weak score, veto p): recall, off-task")
        for (c, weight, policy), ((recall, off), _) in ranked[:15]:
            print(f"  {c} {weight} {policy.add_probability} {policy.weak_score} {policy.veto_probability}: "
                  f"{recall:.3f}  {off:.1%}")
        print("Pareto frontier (no configuration has both higher recall and lower off-task share):")
        for (c, weight, policy), ((recall, off), _) in frontier(cv["grid"]):
            print(f"  {c} {weight} {policy.add_probability} {policy.weak_score} {policy.veto_probability}: "
                  f"{recall:.3f}  {off:.1%}")
        for config in CANDIDATES:
            if config in cv["grid"]:
                (recall, off), _ = cv["grid"][config]
                c, weight, policy = config
                print(f"  candidate {c} {weight} {policy}: {recall:.3f}  {off:.1%}")
        chosen = best(cv)
        if chosen is None:
            print("no configuration beats the rules alone on both recall and off-task share")
        else:
            (c, weight, policy), ((recall, off), per) = chosen
            print(f"chosen: C={c} class_weight={weight} {policy}: recall {recall:.3f} off-task {off:.1%}")
            print("per held-out set (rules alone -> chosen):")
            for group, (r, o) in per.items():
                rr, ro = groups[group]
                print(f"  {group}: recall {rr:.3f} -> {r:.3f}  off-task {ro:.1%} -> {o:.1%}")
    if args.write:
        if args.config:
            c_text, weight_text, *policy_text = args.config.split(",")
            c, weight = float(c_text), None if weight_text == "none" else weight_text
            policy = Policy(*map(float, policy_text))
        elif chosen is not None:
            (c, weight, policy), _ = chosen
        else:
            c, weight, policy = SHIPPED
        model = train(signals, [l for _, _, l in rows], themes, c, weight, policy)
        output = Path(args.write)
        output.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
        print(f"wrote {output} ({output.stat().st_size} bytes, {len(model['words'])} word features)")
    return 0


#: The configuration ``--write`` uses without ``--cv`` or ``--config``: the veto-leaning candidate.
SHIPPED = (0.5, "balanced", Policy(0.95, 1.25, 0.2))
#: The configurations measured on ``heldout4/`` (aggregate only): veto-leaning, add-leaning, both.
CANDIDATES = (SHIPPED, (0.5, "balanced", Policy(0.6, 1.0, 0.05)), (0.5, "balanced", Policy(0.8, 1.5, 0.2)))

if __name__ == "__main__":
    sys.exit(main())
