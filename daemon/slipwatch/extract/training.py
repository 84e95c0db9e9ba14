"""Training the learned decisions (learned.py) on labelled mail: `make train`.

Every date candidate of a labelled mail's prose is labelled from its gold
file (RULES.md): "due" with the gold status when its day is a milestone's
due day, "previous" when it is a milestone's previous day, "none" otherwise.
Two multinomial logistic regressions (scikit-learn, lbfgs: deterministic)
learn the role and, on the due candidates, the status; their weights go to
model.json, rounded and sorted, so that training twice writes the same file.

The labelled mails: the dev corpus (../shared/corpus/dev beside the
repository), held-out sets 1-3, and only the tune half (odd-numbered mails)
of held-out sets 4-11; the even-numbered mails are the blind half, never
trained on. scikit-learn is imported here only: the daemon never imports
this module.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from slipwatch.mail import read_message

from .extractor import message_reading
from .learned import DUE, NONE, PREVIOUS, ROLES, features
from .mentions import unit_candidates
from .model import STATUSES
from .notifications import notification_milestones
from .tables import attachment_tables

REPO = Path(__file__).resolve().parents[3]
MODEL = Path(__file__).with_name("model.json")
DEV = REPO.parent / "shared" / "corpus" / "dev"
HELDOUT = REPO / "benchmarks" / "heldout"
MIN_COUNT = 3     # a feature seen on fewer candidates gets no weight
MIN_WORD_COUNT = 8  # ... a word of the unit, on fewer than this
C = 0.5           # inverse regularisation strength
DIGITS = 3        # weights are rounded to this many decimals
_NUMBER = re.compile(r"^0*(\d+)")


@dataclass(frozen=True)
class Example:
    """One labelled candidate: its features, its role and (when due) its status."""

    features: tuple[str, ...]
    role: str
    status: str


def labelled_mails(dev: Path = DEV, heldout: Path = HELDOUT) -> list[Path]:
    """The .eml files trained on, in a fixed order: never the blind half of sets 4-11."""
    out = sorted(dev.glob("*.eml"))
    for folder in sorted(heldout.glob("set*"), key=lambda p: int(p.name[3:])):
        blind_split = int(folder.name[3:]) >= 4
        for eml in sorted(folder.glob("*.eml")):
            number = _NUMBER.match(eml.name)
            if not blind_split or number and int(number.group(1)) % 2 == 1:
                out.append(eml)
    return out


def examples(eml: Path) -> Iterator[Example]:
    """The labelled candidates of one mail and its gold file beside it."""
    gold = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    message = read_message(eml.read_bytes())
    if message.sent is None:
        return
    due = {}
    for m in gold.get("milestones", []):
        due.setdefault(m["due"][:10], m["status"])
    previous = {m["previous_due"][:10] for m in gold.get("milestones", []) if m.get("previous_due")}
    reading = message_reading(message, attachment_tables(message.attachments))
    _, prose = notification_milestones(message, reading)
    for _, inside in unit_candidates(prose, reading.sent, day_first=reading.day_first):
        for i, c in enumerate(inside):
            day = c.due[:10]
            role = DUE if day in due else PREVIOUS if day in previous else NONE
            yield Example(tuple(features(c, i)), role, due.get(day, ""))


def _classifier(rows: Sequence[Example], vocabulary: Sequence[str], labels: Sequence[str],
                classes: Sequence[str]) -> dict:
    """A fitted logistic regression as JSON: classes, intercepts, non-zero weights by feature."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    index = {name: j for j, name in enumerate(vocabulary)}
    x = np.zeros((len(rows), len(vocabulary)))
    for i, row in enumerate(rows):
        for name in row.features:
            if name in index:
                x[i, index[name]] = 1.0
    present = [c for c in classes if c in set(labels)]
    fit = LogisticRegression(C=C, solver="lbfgs", max_iter=5000).fit(x, labels)
    assert list(fit.classes_) == sorted(present)
    weights = {}
    for j, name in enumerate(vocabulary):
        w = [_round(v) for v in fit.coef_[:, j]]
        if any(w):
            weights[name] = w
    return {"classes": list(fit.classes_), "intercepts": [_round(v) for v in fit.intercept_], "weights": weights}


def _round(value: float) -> float:
    return round(float(value), DIGITS) + 0.0  # + 0.0: no "-0.0"


def _min_count(feature: str) -> int:
    return MIN_WORD_COUNT if feature.startswith("word:") else MIN_COUNT


def train(mails: Sequence[Path]) -> dict:
    """The model trained on `mails`, as the JSON object model.json holds."""
    rows = [row for eml in mails for row in examples(eml)]
    counts = Counter(name for row in rows for name in row.features)
    vocabulary = sorted(name for name, n in counts.items() if n >= _min_count(name))
    due_rows = [row for row in rows if row.role == DUE]
    return {
        "about": "learned.py: role and status of a date candidate; written by `make train` (training.py)",
        "trained_on": {"mails": len(mails), "candidates": len(rows),
                       **{role: sum(1 for r in rows if r.role == role) for role in ROLES}},
        "role": _classifier(rows, vocabulary, [r.role for r in rows], ROLES),
        "status": _classifier(due_rows, vocabulary, [r.status for r in due_rows], STATUSES),
    }


def dumps(model: dict) -> str:
    """model.json's text: sorted keys, one feature's weights a line, to review in a diff."""
    lines = ["{"]
    for i, (key, value) in enumerate(sorted(model.items())):
        comma = "," if i < len(model) - 1 else ""
        if isinstance(value, dict) and "weights" in value:
            lines.append(f' "{key}": {{')
            lines.append(f'  "classes": {json.dumps(value["classes"])},')
            lines.append(f'  "intercepts": {json.dumps(value["intercepts"])},')
            lines.append('  "weights": {')
            items = sorted(value["weights"].items())
            lines += [f"   {json.dumps(name, ensure_ascii=False)}: {json.dumps(w)}{',' if j < len(items) - 1 else ''}"
                      for j, (name, w) in enumerate(items)]
            lines.append("  }")
            lines.append(f" }}{comma}")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, sort_keys=True, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the learned extraction decisions into model.json.")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev corpus (default: ../shared/corpus/dev)")
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args()
    if not args.dev.is_dir():
        raise SystemExit(f"no dev corpus at {args.dev}: pass --dev with the folder of its .eml and .json files")
    mails = labelled_mails(args.dev)
    text = dumps(train(mails))
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(mails)} mails, {text.count(chr(10))} lines")


if __name__ == "__main__":
    main()
