"""Identity matching made cheaper places every item where it was placed before.

The dev corpus (../shared/corpus/dev) is ingested four times, trust off, as benchmarks/scale.py copies
it (new Message-IDs, dates a day later per copy): twice with its milestone names (every item of the
second copy has history to match), then twice with each name followed by a word of that copy (names
that share most of their words with those before, the case an index must not get wrong). The milestones and revisions it gives are
compared with tests/track/unchanged.json, made by the code before the index (issue 19): main's package
put first on the path, as in

    git archive main daemon | tar -x -C /tmp/main
    SLIPWATCH_FREEZE=1 PYTHONPATH=/tmp/main/daemon .venv/bin/python -m pytest tests/track/test_unchanged.py

Regenerate it only for a deliberate change of the matching.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEV = REPO.parent / "shared" / "corpus" / "dev"
EXPECTED = Path(__file__).with_name("unchanged.json")

def _scale():
    spec = importlib.util.spec_from_file_location("scale", REPO / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def snapshot(database: Path) -> dict:
    """Every milestone and revision, as identity placed them (ids included: they are the placement)."""
    conn = sqlite3.connect(database)
    milestones = conn.execute(
        "SELECT m.id, v.name, p.name, m.name, m.merged_into, m.ignored FROM milestones m"
        " JOIN vendors v ON v.id = m.vendor LEFT JOIN projects p ON p.id = m.project ORDER BY m.id"
    ).fetchall()
    revisions = conn.execute(
        "SELECT r.milestone, msg.message_id, r.due, r.status, r.previous_due, r.name, r.decision"
        " FROM milestone_revisions r JOIN messages msg ON msg.id = r.message ORDER BY r.id"
    ).fetchall()
    conn.close()
    return {"milestones": [list(row) for row in milestones], "revisions": [list(row) for row in revisions]}


@pytest.mark.slow
def test_the_dev_corpus_gives_the_milestones_and_revisions_it_gave_before(tmp_path, write_config, cli):
    if not DEV.is_dir():
        pytest.skip(f"the dev corpus is not at {DEV}")
    scale = _scale()
    mails = sorted(DEV.glob("*.eml"))
    inbox = tmp_path / "mail"
    inbox.mkdir()
    for k, new_names in ((0, False), (1, False), (2, True), (3, True)):
        for n, eml in enumerate(mails):
            (inbox / f"{k}-{n:03d}.eml").write_bytes(scale.replica(eml, k, new_names=new_names))
    config = write_config(scale.CONFIG.format(root=tmp_path))  # as the benchmark ingests them: trust off
    cli("ingest", inbox, "--config", config)
    got = snapshot(tmp_path / "scale.db")
    if os.environ.get("SLIPWATCH_FREEZE"):
        EXPECTED.write_text(json.dumps(got, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert len(got["revisions"]) > 300  # the corpus was read: a test that compares nothing proves nothing
    assert got["milestones"] == expected["milestones"]
    assert got["revisions"] == expected["revisions"]
