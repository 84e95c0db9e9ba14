"""What a mail's recording asks of one milestone is found by index, never by reading every row.

A receipt reads the history of each milestone a mail touched (track.query.revisions); a query SQLite answers by
scanning the milestones or their revisions costs what the whole history costs, mail after mail (issue 19).
"""

from __future__ import annotations

import datetime as dt

import pytest

from slipwatch.extract.model import Milestone
from slipwatch.store import Store
from slipwatch.track import query
from slipwatch.track.record import Observation, record


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "slipwatch.db")
    with s.transaction() as conn:
        record(conn, Observation(None, "Nimbus Labs", "pm@nimbuslabs.example",
                                 dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC),
                                 [Milestone("Beta", "Atlas", "2026-11-20", "planned")]))
    yield s
    s.close()


def plans(conn, ask) -> list[str]:
    """The query plan of every statement `ask` runs."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        ask()
    finally:
        conn.set_trace_callback(None)
    return [" / ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, ())) for sql in statements
            if sql.lstrip().upper().startswith("SELECT")]


def test_a_milestones_revisions_are_read_by_index(store):
    # the parameters are inlined in traced statements, so each plan is the one SQLite made for them
    found = plans(store.conn, lambda: query.revisions(store.conn, 1))
    assert found, "revisions ran no query"
    for plan in found:
        assert "SCAN r" not in plan and "SCAN m" not in plan and "SCAN milestones" not in plan, plan
