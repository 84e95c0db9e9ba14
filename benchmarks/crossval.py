"""Leave-one-set-out cross-validation of the learned decisions (extract/learned.py) and names
(extract/naming.py): how the models do on a set they were not trained on.

    .venv/bin/python benchmarks/crossval.py                      # every set, the shipped settings
    .venv/bin/python benchmarks/crossval.py --sets set7 set14    # only these left out
    .venv/bin/python benchmarks/crossval.py --c 0.1 0.5 --add 0.7 0.8 --jobs 2
    .venv/bin/python benchmarks/crossval.py --training NAME_MIN_WORD_COUNT=8 --folds 4

For each labelled set of the repository (benchmarks/heldout/set1..11, fresh/set12..17) the two models
are trained as `make train` trains them (training.py), on the dev corpus and every other set; the
left-out set is then read with them (pipeline.read, as `slipwatch extract --json` does) and scored with
../shared/corpus/score.py's own matching. `make train`'s figures on its own training data overstate;
these do not, so training choices are made here: each of --c (the decision model's inverse
regularisation), --name-c (the name model's), --add, --keep and --restate (learned.py's thresholds)
takes one value or several, and every combination is scored. Each fold trains each model once per
value of its C; the thresholds need no retraining. --training NAME=VALUE sets another of training.py's
constants (the vocabulary's minimum counts) for the whole run. --folds K leaves out every K-th set
together (K trainings instead of one a set): a quicker, rougher look, each set still scored by models
that never saw it.

Prints, for each combination, each left-out set's milestone F1 / with status and previous date F1,
and the total over all left-out sets (micro: their items counted together) and the mean of the sets'
F1. The dev corpus is always trained on, never left out (it is what the rules were written on).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slipwatch.extract import learned, naming, training
from slipwatch.pipeline import read

SCORE = training.REPO.parent / "shared" / "corpus" / "score.py"
THRESHOLDS = ("ADD", "KEEP", "RESTATE")


def _scorer():
    """../shared/corpus/score.py as a module: its matching is the measure."""
    spec = importlib.util.spec_from_file_location("score", SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Tally:
    """What score.py counts of one set: gold and predicted items, matched ones, and those also right in
    status and previous date."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    full: int = 0

    def add(self, other: Tally) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.matched += other.matched
        self.full += other.full

    def f1(self, hits: int) -> float:
        return 2 * hits / (self.gold + self.predicted) if self.gold + self.predicted else 0.0

    def __str__(self) -> str:
        return f"{self.f1(self.matched):.3f} / {self.f1(self.full):.3f}"


def score(score_module, emls: Sequence[Path]) -> Tally:
    """Read every mail of `emls` with the models in place and count as score.py does."""
    tally = Tally()
    for eml in emls:
        gold = json.loads(eml.with_suffix(".json").read_text(encoding="utf-8")).get("milestones", [])
        got = read(eml.read_bytes()).report()["milestones"]
        tally.gold += len(gold)
        tally.predicted += len(got)
        for gi, pi, due_ok in score_module.match(gold, got):
            if due_ok:
                tally.matched += 1
                g, p = gold[gi], got[pi]
                previous = score_module.same_when(g.get("previous_due"), p.get("previous_due")) \
                    if g.get("previous_due") else True
                tally.full += p.get("status") == g["status"] and previous
    return tally


_STATE: dict = {}  # what the folds share: the labelled mails by set, read once before the workers fork


def fold(job: tuple[tuple[str, ...], Sequence[float], Sequence[float], Sequence[tuple[float, ...]]]
         ) -> dict[str, list[Tally]]:
    """Train without the sets `left_out`, once for each value of C of each model, and score each of
    them once for each combination of the C values and the thresholds, in the order of `configurations`."""
    left_out, cs, name_cs, grid = job
    mails = [m for name, found in _STATE["mails"].items() if name not in left_out for m in found]
    name_models = {c: naming.NameModel(training.train_names(mails, c)["weights"]) for c in name_cs}
    tallies: dict[str, list[Tally]] = {name: [] for name in left_out}
    for c in cs:
        decisions = training.train(mails, c)
        trained = learned.Model(learned.Classifier.from_json(decisions["role"]),
                                learned.Classifier.from_json(decisions["status"]))
        learned.model = lambda: trained
        for name_c in name_cs:
            naming.model = lambda: name_models[name_c]
            for values in grid:
                for name, value in zip(THRESHOLDS, values):
                    setattr(learned, name, value)
                for name in left_out:
                    tallies[name].append(score(_STATE["score"], _STATE["sets"][name]))
    return tallies


def configurations(cs: Sequence[float], name_cs: Sequence[float], grid: Sequence[tuple[float, ...]]) -> list[str]:
    """The settings `fold` scores, in its order, as people read them."""
    return [f"c={c} name_c={name_c} " + " ".join(f"{n.lower()}={v}" for n, v in zip(THRESHOLDS, values))
            for c in cs for name_c in name_cs for values in grid]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", help="leave out only these sets (default: every set)")
    parser.add_argument("--c", type=float, nargs="+", default=[training.C])
    parser.add_argument("--name-c", type=float, nargs="+", default=[training.NAME_C])
    for name in THRESHOLDS:
        parser.add_argument(f"--{name.lower()}", type=float, nargs="+", default=[getattr(learned, name)])
    parser.add_argument("--training", nargs="+", default=[], metavar="NAME=VALUE",
                        help="set a constant of training.py, e.g. MIN_WORD_MAILS=3")
    parser.add_argument("--folds", type=int, default=0,
                        help="leave out every K-th set together, in K folds: a quicker look (default: one set a fold)")
    parser.add_argument("--jobs", type=int, default=1, help="folds trained at once (processes)")
    args = parser.parse_args()
    for setting in args.training:
        name, _, value = setting.partition("=")
        if not isinstance(getattr(training, name, None), int | float) or not value:
            raise SystemExit(f"--training {setting}: give NAME=VALUE with NAME a number constant of training.py")
        setattr(training, name, type(getattr(training, name))(float(value)))

    sets = training.labelled_sets()
    left_out = args.sets or list(sets)
    unknown = sorted(set(left_out) - set(sets))
    if unknown:
        raise SystemExit(f"no labelled set {', '.join(unknown)}: choose among {', '.join(sets)}")
    _STATE["sets"] = sets
    _STATE["score"] = _scorer()
    _STATE["mails"] = {"dev": [training.labelled(eml) for eml in sorted(training.DEV.glob("*.eml"))],
                       **{name: [training.labelled(eml) for eml in emls] for name, emls in sets.items()}}
    grid = tuple(itertools.product(*(getattr(args, name.lower()) for name in THRESHOLDS)))
    groups = [tuple(left_out[k::args.folds]) for k in range(args.folds)] if args.folds else [(n,) for n in left_out]
    jobs = [(group, args.c, args.name_c, grid) for group in groups]
    results: dict[str, list[Tally]] = {}
    if args.jobs > 1:
        with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
            for found in pool.imap_unordered(fold, jobs):
                results.update(found)
    else:
        for found in map(fold, jobs):
            results.update(found)
    for k, settings in enumerate(configurations(args.c, args.name_c, grid)):
        print(settings)
        total = Tally()
        for name in left_out:
            tally = results[name][k]
            total.add(tally)
            print(f"  {name:6} {tally}  ({tally.gold} gold, {tally.predicted} predicted)")
        mean = sum(results[name][k].f1(results[name][k].matched) for name in left_out) / len(left_out)
        print(f"  total  {total}  ({total.gold} gold, {total.predicted} predicted); mean of sets {mean:.3f}")

if __name__ == "__main__":
    main()
