"""`slipwatch extract --json` with the prose decided another way (extract/learned.py), to compare them:

    .venv/bin/python ../shared/corpus/score.py FOLDER --cmd ".venv/bin/python benchmarks/decisions.py combined"

The first argument is one of learned.MODES (rules, filter, combined, learned); the rest are .eml files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from slipwatch.extract.learned import MODES
from slipwatch.pipeline import read


def main() -> None:
    mode, *files = sys.argv[1:]
    if mode not in MODES:
        raise SystemExit(f"unknown decisions {mode!r}: use one of {', '.join(MODES)}")
    for file in map(Path, files):
        print(json.dumps({"file": str(file), **read(file.read_bytes(), decisions=mode).report()}, ensure_ascii=False))


if __name__ == "__main__":
    main()
