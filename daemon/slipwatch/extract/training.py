"""Training the learned decisions (learned.py) and name choice (naming.py) on labelled mail: `make train`.

Every date candidate of a labelled mail's prose is labelled from its gold
file (RULES.md): "due" with the gold status when its day is a milestone's
due day, "previous" when it is a milestone's previous day, "none" otherwise.
Two multinomial logistic regressions (scikit-learn, lbfgs: deterministic)
learn the role and, on the due candidates, the status; their weights go to
model.json, rounded and sorted, so that training twice writes the same file.
Every candidate name span of a unit that dates a gold item is labelled by
how well it matches the gold name (`name_match`, the scorer's measure); a
ranking regression learns the span weights of names.json (`train_names`).

The labelled mails: the dev corpus (../shared/corpus/dev beside the
repository) and every labelled set in the repository, both halves
(benchmarks/heldout/set1-11 and fresh/set12-32). The blind sets that
measure the models live outside the repository. Training choices (C, the
features, learned.py's thresholds) are made by leave-one-set-out
cross-validation (benchmarks/crossval.py), never on the training data.
scikit-learn is imported here only: the daemon never imports this module.
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

from . import naming
from .candidates import rule_name
from .extractor import message_reading
from .learned import DUE, NONE, PREVIOUS, ROLES, features
from .mentions import Candidate, unit_candidates
from .model import STATUSES
from .names import clean_name, split_items
from .notifications import notification_milestones
from .structure import Segment
from .tables import attachment_tables

REPO = Path(__file__).resolve().parents[3]
MODEL = Path(__file__).with_name("model.json")
NAMES = Path(__file__).with_name("names.json")
DEV = REPO.parent / "shared" / "corpus" / "dev"
HELDOUT = REPO / "benchmarks" / "heldout"
MIN_COUNT = 3     # a feature seen on fewer candidates gets no weight
MIN_WORD_COUNT = 8  # ... a word of the unit, on fewer than this
MIN_WORD_MAILS = 1  # ... a literal word (of the unit, before or after the date), in fewer mails than this
NAME_MIN_WORD_COUNT = 3  # ... a literal word of the name model, in fewer mails than this
NAME_MATCH = 0.6  # a name this close to the gold name counts as it (../shared/corpus/score.py)
C = 0.5           # inverse regularisation strength (benchmarks/crossval.py chose it)
NAME_C = 0.5      # ... of the name model
DIGITS = 3        # weights are rounded to this many decimals
STRONGEST = 10    # `make train` prints this many of the strongest features of each model


@dataclass(frozen=True)
class Example:
    """One labelled candidate: its features, its role and (when due) its status."""

    features: tuple[str, ...]
    role: str
    status: str


def labelled_sets(heldout: Path = HELDOUT) -> dict[str, list[Path]]:
    """The labelled sets of the repository (`setN` in `heldout` and in its `fresh` folder), by name in
    the order of their numbers, each its .eml files in order."""
    folders = [p for p in (*heldout.glob("set*"), *heldout.glob("fresh/set*")) if p.name[3:].isdigit()]
    return {folder.name: sorted(folder.glob("*.eml")) for folder in sorted(folders, key=lambda p: int(p.name[3:]))}


def labelled_mails(dev: Path = DEV, heldout: Path = HELDOUT) -> list[Path]:
    """The .eml files trained on, in a fixed order: the dev corpus, then every set of the repository."""
    return [*sorted(dev.glob("*.eml")), *(eml for emls in labelled_sets(heldout).values() for eml in emls)]


@dataclass(frozen=True)
class Labelled:
    """One labelled mail as training reads it: its gold items, its prose and its dated units."""

    gold: list[dict]
    prose: str
    units: list[tuple[Segment, list[Candidate]]]


def labelled(eml: Path) -> Labelled:
    """One mail and its gold file beside it (no units when it has no sending time)."""
    gold = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8"))
    message = read_message(eml.read_bytes())
    if message.sent is None:
        return Labelled(gold.get("milestones", []), "", [])
    reading = message_reading(message, attachment_tables(message.attachments))
    _, prose = notification_milestones(message, reading)
    return Labelled(gold.get("milestones", []), prose,
                    unit_candidates(prose, reading.sent, day_first=reading.day_first))


def examples(mail: Labelled) -> Iterator[Example]:
    """The labelled date candidates of one mail."""
    due = {}
    for m in mail.gold:
        due.setdefault(m["due"][:10], m["status"])
    previous = {m["previous_due"][:10] for m in mail.gold if m.get("previous_due")}
    for _, inside in mail.units:
        for i, c in enumerate(inside):
            day = c.due[:10]
            role = DUE if day in due else PREVIOUS if day in previous else NONE
            yield Example(tuple(features(c, i)), role, due.get(day, ""))


@dataclass(frozen=True)
class NameGroup:
    """The candidate name spans of one dated unit: each span's features and how well it names the
    gold item of the unit's dates (the scorer's measure, `name_match`)."""

    spans: tuple[tuple[tuple[str, ...], float], ...]
    rule: int  # which of them the rules chose


_STOPWORDS = frozenset("the a an of for and to on in with our your".split())


def _name_tokens(name: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", name.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words if w not in _STOPWORDS}


def name_match(gold: Sequence[str], name: str) -> float:
    """How well `name` matches the best of the `gold` names: the Dice overlap of their words, as
    ../shared/corpus/score.py measures it (a name counts from 0.6)."""
    got = _name_tokens(name)
    best = 0.0
    for wanted in map(_name_tokens, gold):
        if wanted and got:
            best = max(best, 2 * len(wanted & got) / (len(wanted) + len(got)))
    return best


def name_groups(mail: Labelled) -> Iterator[NameGroup]:
    """For every unit the rules name that dates a gold item, its candidate name spans (naming.py)."""
    names: dict[str, list[str]] = {}
    for m in mail.gold:
        names.setdefault(m["due"][:10], []).extend([m["name"], *m.get("aliases", [])])
    for seg, inside in mail.units:
        gold = [name for c in inside for name in names.get(c.due[:10], [])]
        if not gold:
            continue
        w = naming.window(mail.prose, seg, inside, rule_name(mail.prose, seg, inside)[0])
        if w is None:
            continue
        spans = naming.spans(w)
        unit = " ".join(mail.prose[seg.span.start:seg.span.end].split())
        # a name that states two items ("the installer and the admin guide are due ...") is both
        matches = [min(name_match(gold, part) for part in split_items(clean_name(w.span_text(i, j)), unit))
                   for i, j in spans]
        yield NameGroup(tuple((tuple(naming.features(w, i, j)), match) for (i, j), match in zip(spans, matches)),
                        spans.index(w.rule))


def _classifier(rows: Sequence[Example], vocabulary: Sequence[str], labels: Sequence[str],
                classes: Sequence[str], c: float) -> dict:
    """A fitted logistic regression as JSON: classes, intercepts, non-zero weights by feature."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    index = {name: j for j, name in enumerate(vocabulary)}
    cells = [(i, index[name]) for i, row in enumerate(rows) for name in row.features if name in index]
    x = csr_matrix((np.ones(len(cells)), tuple(np.array(axis, dtype=int) for axis in zip(*cells))),
                   shape=(len(rows), len(vocabulary)))
    present = [c for c in classes if c in set(labels)]
    fit = LogisticRegression(C=c, solver="lbfgs", max_iter=5000).fit(x, labels)
    assert list(fit.classes_) == sorted(present)
    weights = {}
    for j, name in enumerate(vocabulary):
        w = [_round(v) for v in fit.coef_[:, j]]
        if any(w):
            weights[name] = w
    return {"classes": list(fit.classes_), "intercepts": [_round(v) for v in fit.intercept_], "weights": weights}


def _round(value: float) -> float:
    return round(float(value), DIGITS) + 0.0  # + 0.0: no "-0.0"


_WORDS = ("word:", "before:", "after:", "just_before:", "just_after:")  # the role model's literal words
_NAME_WORDS = ("first=", "last=", "has=", "word_before=", "word_after=")  # ... and the name model's


def _min_count(feature: str) -> int:
    return MIN_WORD_COUNT if feature.startswith("word:") else MIN_COUNT


def train(mails: Sequence[Labelled], c: float = C) -> dict:
    """The model trained on `mails` (inverse regularisation strength `c`), as the JSON object model.json holds."""
    by_mail = [list(examples(mail)) for mail in mails]
    rows = [row for found in by_mail for row in found]
    counts = Counter(name for row in rows for name in row.features)
    # a literal word counts by the mails it is seen in: one mail's wording is no knowledge of a language
    mails_with = Counter(name for found in by_mail for name in {n for row in found for n in row.features
                                                                  if n.startswith(_WORDS)})
    vocabulary = sorted(name for name, n in counts.items()
                        if n >= _min_count(name) and mails_with.get(name, MIN_WORD_MAILS) >= MIN_WORD_MAILS)
    due_rows = [row for row in rows if row.role == DUE]
    return {
        "about": "learned.py: role and status of a date candidate; written by `make train` (training.py)",
        "trained_on": {"mails": len(mails), "candidates": len(rows),
                       **{role: sum(1 for r in rows if r.role == role) for role in ROLES}},
        "role": _classifier(rows, vocabulary, [r.role for r in rows], ROLES, c),
        "status": _classifier(due_rows, vocabulary, [r.status for r in due_rows], STATUSES, c),
    }


def train_names(mails: Sequence[Labelled], c: float = NAME_C) -> dict:
    """The span scorer of naming.py trained on `mails` (inverse regularisation strength `c`), as the
    JSON object names.json holds.

    It learns to rank (a logistic regression on the difference of two spans' features, no
    intercept): where the rules' name is as good as any span, it is paired with every other
    span and wins; elsewhere each span that names the unit's gold item best is paired with
    every span that does not name it. The weights order a unit's spans; the best-scoring
    span is the name."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    by_mail = [list(name_groups(mail)) for mail in mails]
    groups = [group for found in by_mail for group in found]
    # a feature counts by the mails it is seen in: a word of one item's name is no knowledge of a language
    counts = Counter(name for found in by_mail for name in {n for g in found for names, _ in g.spans for n in names})
    vocabulary = sorted(name for name, n in counts.items()
                        if n >= (NAME_MIN_WORD_COUNT if name.startswith(_NAME_WORDS) else MIN_COUNT))
    index = {name: j for j, name in enumerate(vocabulary)}
    cells: list[tuple[int, int, float]] = []
    labels: list[int] = []
    for group in groups:
        top = max(match for _, match in group.spans)
        if top < NAME_MATCH:
            continue  # no span names the item: nothing to learn from the unit
        counted = [Counter(index[n] for n in names if n in index) for names, _ in group.spans]
        if group.spans[group.rule][1] == top:
            # the rules named it as well as any span can: their name beats every other
            best = [counted[group.rule]]
            worse = [c for k, c in enumerate(counted) if k != group.rule]
        else:
            best = [c for c, (_, match) in zip(counted, group.spans) if match == top]
            worse = [c for c, (_, match) in zip(counted, group.spans) if match < NAME_MATCH]
        for good in best:
            for bad in worse:
                sign = 1.0 if len(labels) % 2 == 0 else -1.0  # both classes, alternately
                row = len(labels)
                difference = Counter(good)
                difference.subtract(bad)
                cells += [(row, j, sign * n) for j, n in sorted(difference.items()) if n]
                labels.append(int(sign > 0))
    rows, cols, values = zip(*cells)
    x = csr_matrix((np.array(values), (np.array(rows), np.array(cols))), shape=(len(labels), len(vocabulary)))
    fit = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, fit_intercept=False).fit(x, labels)
    weights = {name: _round(w) for name, w in zip(vocabulary, fit.coef_[0]) if _round(w)}
    return {
        "about": "naming.py: the weight of each feature of a name span; written by `make train` (training.py)",
        "trained_on": {"mails": len(mails), "units": len(groups), "pairs": len(labels)},
        "weights": weights,
    }


def dumps(model: dict) -> str:
    """model.json's (or names.json's) text: sorted keys, one feature's weights a line, to review in a diff."""
    lines = ["{"]
    for i, (key, value) in enumerate(sorted(model.items())):
        comma = "," if i < len(model) - 1 else ""
        if key == "weights":
            lines += [' "weights": {', *_weight_lines(value, "  "), f" }}{comma}"]
        elif isinstance(value, dict) and "weights" in value:
            lines.append(f' "{key}": {{')
            lines.append(f'  "classes": {json.dumps(value["classes"])},')
            lines.append(f'  "intercepts": {json.dumps(value["intercepts"])},')
            lines += ['  "weights": {', *_weight_lines(value["weights"], "   "), "  }", f" }}{comma}"]
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(value, sort_keys=True, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _weight_lines(weights: dict, indent: str) -> list[str]:
    items = sorted(weights.items())
    return [f"{indent}{json.dumps(name, ensure_ascii=False)}: {json.dumps(w)}{',' if j < len(items) - 1 else ''}"
            for j, (name, w) in enumerate(items)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Train the learned extraction decisions into model.json and the name model into names.json.")
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev corpus (default: ../shared/corpus/dev)")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--names", type=Path, default=NAMES, help="where the name model goes")
    args = parser.parse_args()
    if not args.dev.is_dir():
        raise SystemExit(f"no dev corpus at {args.dev}: pass --dev with the folder of its .eml and .json files")
    mails = [labelled(eml) for eml in labelled_mails(args.dev)]
    decisions, names = train(mails), train_names(mails)
    for path, text in ((args.out, dumps(decisions)), (args.names, dumps(names))):
        path.write_text(text, encoding="utf-8")
        print(f"{path}: {len(mails)} mails, {text.count(chr(10))} lines")
    for title, weights in strongest(decisions, names).items():
        print(f"strongest features, {title}: " + ", ".join(f"{name} {w:+.2f}" for name, w in weights))


def strongest(decisions: dict, names: dict, n: int = STRONGEST) -> dict[str, list[tuple[str, float]]]:
    """The `n` features of largest weight of each model: of the role model towards each role (a
    multinomial model's weights for one class, less their mean over the classes: what the feature says
    for that class against the others), of the status model towards each status, of the name model."""
    out = {}
    for part in ("role", "status"):
        clf = decisions[part]
        classes = clf["classes"] if len(clf["classes"]) > 2 else clf["classes"][1:]
        for k, cls in enumerate(classes):
            toward = {name: w[k] - sum(w) / len(w) if len(w) > 1 else w[0] for name, w in clf["weights"].items()}
            out[f"{part} {cls}"] = sorted(toward.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    out["name span"] = sorted(names["weights"].items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:n]
    return out


if __name__ == "__main__":
    main()
