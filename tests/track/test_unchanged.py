"""Identity matching made cheaper places every item where comparing it with every milestone places it.

The dev corpus (../shared/corpus/dev) is ingested four times, trust off, as benchmarks/scale.py copies
it (new Message-IDs, dates a day later per copy): twice with its milestone names (every item of the
second copy has history to match), then twice with each name followed by a word of that copy (names
that share most of their words with those before, the case an index must not get wrong). It is
ingested once with the index of names (track/identity.py WordIndex) and once with the index handing
every milestone of the vendor to `decide`, as before the index (issue 19); the milestones and revisions
must be the same. (Compared within one run, so a change of extraction does not change the answer.)
"""

from __future__ import annotations

import importlib.util
import sys
import sqlite3
from pathlib import Path

import pytest

from slipwatch.track.identity import WordIndex

REPO = Path(__file__).resolve().parents[2]
DEV = REPO.parent / "shared" / "corpus" / "dev"
INDEX_LOOKUP = "could_match"  # the index's one question: which milestones an item's name can match


def _scale():
    spec = importlib.util.spec_from_file_location("scale", REPO / "benchmarks" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # as importlib's recipe does: its dataclasses look their module up
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


def ingest_replicas(root: Path, cli, write_config) -> dict:
    scale = _scale()
    mails = sorted(DEV.glob("*.eml"))
    inbox = root / "mail"
    inbox.mkdir(parents=True)
    for k, new_names in ((0, False), (1, False), (2, True), (3, True)):
        for n, eml in enumerate(mails):
            (inbox / f"{k}-{n:03d}.eml").write_bytes(scale.replica(eml, k, new_names=new_names))
    config = write_config(scale.CONFIG.format(root=root))  # as the benchmark ingests them: trust off
    cli("ingest", inbox, "--config", config)
    return snapshot(root / "scale.db")


@pytest.mark.slow
def test_the_dev_corpus_is_placed_as_comparing_with_every_milestone_places_it(tmp_path, write_config, cli,
                                                                              monkeypatch):
    if not DEV.is_dir():
        pytest.skip(f"the dev corpus is not at {DEV}")
    got = ingest_replicas(tmp_path / "indexed", cli, write_config)
    monkeypatch.setattr(WordIndex, INDEX_LOOKUP, lambda self, name: set().union(*self._postings.values()))
    every = ingest_replicas(tmp_path / "every", cli, write_config)
    assert len(got["revisions"]) > 300  # the corpus was read: a test that compares nothing proves nothing
    assert got["milestones"] == every["milestones"]
    assert got["revisions"] == every["revisions"]
