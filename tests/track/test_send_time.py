"""A mail's Date is its sender's clock: believed up to when the mail arrived (plus a little skew), and a
person's correction counts from when it was recorded, so a mail dated in the future never outranks one."""

from __future__ import annotations

import datetime as dt
import json
import mailbox
import os

import pytest

from slipwatch.extract.model import Milestone
from slipwatch.mail.received import MAX_CLOCK_SKEW
from slipwatch.store import Store
from tests.conftest import PINNED_NOW
from tests.helpers import record_mail, vendor_mail

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
FUTURE = dt.datetime(2027, 12, 1, 9, 0, tzinfo=IST)
ARRIVED = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)  # two hours before the pinned now


@pytest.fixture
def seeded(config_file):
    """Beta build, due 20 November 2026 (milestone 1), from a plan of 2 November."""
    store = Store.open(config_file.parent / "slipwatch.db")
    record_mail(store, [Milestone("Beta build", "Trailhead", "2026-11-20", "planned")],
                sent=dt.datetime(2026, 11, 2, 10, tzinfo=IST), message_id="<plan@nimbuslabs.example>")
    store.close()
    return config_file


def future_slip(date: dt.datetime = FUTURE, message_id: str = "<future@nimbuslabs.example>") -> bytes:
    """A vendor mail moving the Beta build 381 days, with a Date from a clock a year ahead."""
    return vendor_mail("The beta build moves to 6 December 2027.\n", date=date, message_id=message_id)


def show(cli, config, milestone: int = 1, *args) -> dict:
    return json.loads(cli("show", milestone, "--json", *args, "--config", config).output)


def message(cli, config, n: int) -> dict:
    return json.loads(cli("messages", "--json", "--config", config).output)[n - 1]


def test_a_mail_dated_in_the_future_does_not_outrank_a_later_correction(cli, seeded, tmp_path):
    """The review's case: a Date of 2027-12-01 made `show --as-of 2027-12-02` a 381-day slip after the
    staff had corrected the milestone."""
    (tmp_path / "future.eml").write_bytes(future_slip())
    cli("ingest", tmp_path / "future.eml", "--config", seeded)
    cli("correct", 1, "--due", "2026-11-20", "--config", seeded)  # a misread: the plan stands
    for as_of in ([], ["--as-of", "2027-12-02"]):
        view = show(cli, seeded, 1, *as_of)
        assert (view["due"], view["slip_days"]) == ("2026-11-20", 0), as_of


def test_the_send_time_is_capped_at_the_time_read_and_the_message_says_so(cli, seeded, tmp_path):
    """A file given to `ingest` has no arrival time: it arrived when it was read."""
    (tmp_path / "future.eml").write_bytes(future_slip())
    cli("ingest", tmp_path / "future.eml", "--config", seeded)
    row = message(cli, seeded, 2)
    assert row["sent"] == "2026-11-24T17:30+05:30" == show(cli, seeded)["revisions"][-1]["sent"]
    assert json.loads(row["problems"]) == [
        "the mail says it was sent 2027-12-01T09:00+05:30, later than it arrived (2026-11-24 12:00 UTC) "
        "by more than 15 minutes: read as sent when it arrived"]
    assert "problem: the mail says it was sent 2027-12-01T09:00+05:30, later than it arrived" in cli(
        "messages", "--config", seeded).output


def maildir_with(folder, raw: bytes, arrived: dt.datetime) -> None:
    """A Maildir holding one mail, delivered at `arrived` (the file's time, as a delivery agent leaves it)."""
    box = mailbox.Maildir(folder)
    key = box.add(raw)
    path = folder / "new" / key
    os.utime(path, (arrived.timestamp(), arrived.timestamp()))


def test_a_maildir_mail_arrived_when_it_was_delivered(cli, seeded, tmp_path):
    maildir_with(tmp_path / "Maildir", future_slip(), ARRIVED)
    cli("ingest", tmp_path / "Maildir", "--config", seeded)
    row = message(cli, seeded, 2)
    assert (row["sent"], row["received_at"]) == ("2026-11-24T15:30+05:30", "2026-11-24T10:00:00+00:00")
    assert "later than it arrived (2026-11-24 10:00 UTC)" in row["problems"]


def test_a_mail_without_a_date_was_sent_when_it_arrived_not_when_it_was_read(cli, seeded, tmp_path):
    raw = vendor_mail("The beta build moves to 27 November.\n").replace(b"Date:", b"X-Old-Date:", 1)
    maildir_with(tmp_path / "Maildir", raw, ARRIVED)
    cli("ingest", tmp_path / "Maildir", "--config", seeded)
    assert show(cli, seeded)["revisions"][-1]["sent"] == "2026-11-24T10:00+00:00"


def test_a_date_a_few_minutes_ahead_is_believed(cli, seeded, tmp_path):
    """Clocks drift: a Date within the skew of the arrival stands as written, without a note."""
    ahead = PINNED_NOW + MAX_CLOCK_SKEW - dt.timedelta(minutes=1)
    (tmp_path / "ahead.eml").write_bytes(future_slip(ahead.astimezone(IST)))
    cli("ingest", tmp_path / "ahead.eml", "--config", seeded)
    row = message(cli, seeded, 2)
    assert (row["sent"], row["problems"]) == ("2026-11-24T17:44+05:30", None)


def test_a_correction_counts_after_every_mail_recorded_before_it(cli, seeded, tmp_path):
    """A mail dated a few minutes ahead (believed), then a person's correction made at once: the correction
    is the newer, as it was recorded after the mail."""
    ahead = (PINNED_NOW + dt.timedelta(minutes=10)).astimezone(IST)
    (tmp_path / "ahead.eml").write_bytes(future_slip(ahead))
    cli("ingest", tmp_path / "ahead.eml", "--config", seeded)
    cli("correct", 1, "--status", "at risk", "--config", seeded)
    view = show(cli, seeded, 1, "--as-of", "2026-11-24T13:00Z")  # once the mail's Date has passed too
    assert [r["kind"] for r in view["revisions"]] == ["mail", "mail", "correction"]
    assert view["status"] == "at_risk"


def test_a_message_read_after_a_crash_keeps_the_time_it_arrived(config_file):
    """Stored, then the daemon stopped before reading it: read at the next start, hours later."""
    from slipwatch import config as config_mod
    from slipwatch.pipeline import Pipeline
    from slipwatch.store import Location

    config = config_mod.load(config_file)
    store = Store.open(config.store.path)
    store.admit(future_slip(), "<future@nimbuslabs.example>", Location("test", "future"), received=ARRIVED)
    (outcome,) = Pipeline(store, config).resume()
    (row,) = store.messages()
    store.close()
    assert (outcome.status, row["sent"]) == ("new", "2026-11-24T15:30+05:30")


def test_a_store_holding_a_mail_dated_in_the_future_is_mended_on_upgrade(tmp_path):
    """Mail recorded before this rule counts from when slipwatch stored it, like new mail; the rest stays."""
    import sqlite3

    from slipwatch.store.migrations import MIGRATIONS, migrate, utc_key
    from slipwatch.track import query

    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    migrate(conn, MIGRATIONS[:8])
    conn.execute("INSERT INTO vendors (name) VALUES ('Nimbus Labs')")
    conn.execute("INSERT INTO milestones (vendor, name, created_at) VALUES (1, 'Beta build', '2026-11-02')")
    for n, (sent, received, due) in enumerate([
        ("2026-11-02T10:00:00+05:30", "2026-11-02T04:31:00+00:00", "2026-11-20"),
        ("2027-12-01T09:00:00+05:30", "2026-11-24T12:00:00+00:00", "2027-12-06"),  # a year ahead
        ("2026-11-24T17:40:00+05:30", "2026-11-24T12:00:00+00:00", "2026-11-27"),  # ten minutes ahead: believed
    ], 1):
        conn.execute("INSERT INTO messages (dedup_key, sha256, size, received_at, state, sent) VALUES (?, '', 0, ?,"
                     " 'processed', ?)", (f"<{n}@x>", received, sent[:16] + sent[19:]))
        conn.execute("INSERT INTO milestone_revisions (milestone, message, sent, sent_utc, due, status, kind,"
                     " recorded_at) VALUES (1, ?, ?, ?, ?, 'planned', 'mail', ?)", (n, sent, utc_key(sent), due, received))
    conn.close()
    store = Store.open(tmp_path / "old.db")
    sent = [r.sent.isoformat() for r in query.revisions(store.conn, 1)]
    rows = store.messages()
    store.close()
    assert sent == ["2026-11-02T10:00:00+05:30", "2026-11-24T17:30:00+05:30", "2026-11-24T17:40:00+05:30"]
    assert [r["sent"] for r in rows] == ["2026-11-02T10:00+05:30", "2026-11-24T17:30+05:30", "2026-11-24T17:40+05:30"]
    assert [r["problems"] for r in rows] == [None, json.dumps([
        "recorded as sent 2027-12-01T09:00+05:30 before slipwatch capped send times; that is over 15 minutes "
        "after it was stored (2026-11-24 12:00 UTC): now read as sent when it was stored"]), None]
