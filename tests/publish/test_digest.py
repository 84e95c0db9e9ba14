"""The weekly digest: what it says, that it is sent once, and that vendor text arrives inert.

The schedule is seeded without mail parsing; the SMTP server is a real one
(aiosmtpd with STARTTLS and AUTH on loopback).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import json

import pytest

from slipwatch import config as config_mod
from slipwatch.extract.model import Milestone
from slipwatch.publish import dispatch, outbox
from slipwatch.service import open_store
from slipwatch.track import query
from tests.helpers import CONFIG, record_mail, with_smtp
from tests.servers.smtp import PASSWORD

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
MONDAY_2_NOV = dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)  # 09:00 in New York, just after the US change
MONDAY_9_NOV = MONDAY_2_NOV + dt.timedelta(days=7)


def config_with(write_config, tmp_path, smtp_server=None, **team) -> config_mod.Config:
    text = CONFIG if smtp_server is None else with_smtp(CONFIG, smtp_server, tmp_path)
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in team.items())
    text = text.replace('digest_to = ["maya.chen@fernhill.example"]',
                        'digest_to = ["maya.chen@fernhill.example", "cto@fernhill.example"]\n' + extra)
    return config_mod.load(write_config(text))


def week_of_news(store) -> None:
    """Nimbus Labs: the beta slips in the week to 9 Nov, the API docs are delivered, the audit is overdue,
    the load test is due soon."""
    record_mail(store, [
        Milestone("Beta build", "Trailhead", "2026-11-20", "planned", evidence="Beta build on 20 Nov."),
        Milestone("API docs", "Trailhead", "2026-11-05", "planned", evidence="API docs by 5 Nov."),
        Milestone("Security audit", "Trailhead", "2026-11-06", "planned", evidence="Audit report on 6 Nov."),
        Milestone("Load test", "Trailhead", "2026-11-12", "planned", evidence="Load test on 12 Nov."),
    ], sent=dt.datetime(2026, 10, 20, 10, tzinfo=IST), message_id="<plan@nimbuslabs.example>")
    record_mail(store, [
        Milestone("Beta build", "Trailhead", "2026-11-27", "delayed", "2026-11-20",
                  evidence="Slight delay: the beta build <script>alert(1)</script> moves to 27 Nov."),
        Milestone("API docs", "Trailhead", "2026-11-05", "delivered", evidence="The API docs went out today."),
    ], sent=dt.datetime(2026, 11, 5, 18, tzinfo=IST), message_id="<slip@nimbuslabs.example>")


def test_the_digest_groups_news_by_vendor_with_evidence(write_config, tmp_path, cli):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    d = dispatch.preview(store, config, "Platform", MONDAY_9_NOV)
    store.close()
    assert d.subject == "[slipwatch] Platform — 1 slipped, 1 overdue (week of 9 Nov)"
    (nimbus,) = d.vendors
    (trailhead,) = nimbus.projects
    assert [line.name for line in trailhead.lines["slipped"]] == ["Beta build"]
    assert trailhead.lines["slipped"][0].summary == "Fri 20 Nov 2026 → Fri 27 Nov 2026 (+7 days, 1st slip)"
    assert trailhead.lines["slipped"][0].evidence.sent == "Thu 05 Nov 07:30 EST"  # in the team's zone
    assert [line.summary for line in trailhead.lines["delivered"]] == ["Thu 05 Nov 2026, on time"]
    assert [line.name for line in trailhead.lines["overdue"]] == ["Security audit"]
    assert [line.name for line in trailhead.lines["upcoming"]] == ["Load test"]  # within 14 days; the beta is not
    assert (nimbus.record.on_time_rate, nimbus.slips_this_quarter) == (1.0, 1)


def test_due_lines_say_where_the_date_stands_against_its_baseline(write_config, tmp_path, cli):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    store.close()
    a_week_later = (MONDAY_9_NOV + dt.timedelta(days=7)).isoformat()  # the slipped beta is due within 14 days
    out = cli("digest", "preview", "--team", "Platform", "--as-of", a_week_later,
              "--html", tmp_path / "d.html", "--config", config.path).output
    assert "* Beta build (#1): due Fri 27 Nov 2026 (baseline Fri 20 Nov, +7 days)" in out
    assert "* Security audit (#3): due Fri 06 Nov 2026, 10 days ago (on its baseline)" in out
    html = (tmp_path / "d.html").read_text()
    assert "due Fri 27 Nov 2026\n<span style=\"color:#de350b;\">(baseline Fri 20 Nov, +7 days)</span>" in html
    assert "<span style=\"color:#5e6c84;\">(on its baseline)</span>" in html


def test_a_due_date_moved_earlier_says_so():
    import slipwatch.publish.digest as digest_mod
    from slipwatch.track.timeline import State

    state = State(due="2027-01-04", status="planned", reported_status="planned", baseline_due="2026-12-28",
                  slip_days=7, slip_working_days=5, slips=1, delivered_at=None, late_days=None, overdue=False,
                  last_change=MONDAY_9_NOV, staff_days=0)
    assert digest_mod._baseline(state) == "baseline Mon 28 Dec 2026, +7 days"  # another year: it is written
    earlier = dataclasses.replace(state, due="2026-12-25", slip_days=-3)
    assert digest_mod._baseline(earlier) == "baseline Mon 28 Dec, -3 days"
    held = dataclasses.replace(state, due="2027-01-18", staff_days=14)  # we asked them to hold two weeks
    assert digest_mod._baseline(held) == "baseline Mon 28 Dec 2026, +7 days, +14 days moved by staff"
    only_ours = dataclasses.replace(state, due="2027-01-11", slip_days=0, staff_days=14)
    assert digest_mod._baseline(only_ours) == "baseline Mon 28 Dec 2026, +14 days moved by staff"


def test_preview_prints_text_and_writes_html(write_config, tmp_path, cli, monkeypatch):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    store.close()
    out = cli("digest", "preview", "--team", "platform", "--as-of", MONDAY_9_NOV.isoformat(),
              "--html", tmp_path / "d.html", "--config", config.path).output
    assert "Subject: [slipwatch] Platform — 1 slipped, 1 overdue (week of 9 Nov)" in out
    assert "Slight delay: the beta build <script>alert(1)</script> moves to 27 Nov." in out  # plain text: as said
    html = (tmp_path / "d.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_due_digest_arrives_once_with_both_parts(write_config, tmp_path, smtp_server, smtp_inbox, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    config = config_with(write_config, tmp_path, smtp_server)
    store = open_store(config)
    week_of_news(store)
    assert dispatch.queue_due(store, config, MONDAY_2_NOV) == []  # the first slot starts the record
    queued = dispatch.queue_due(store, config, MONDAY_9_NOV)
    assert len(queued) == 1 and dispatch.queue_due(store, config, MONDAY_9_NOV) == []
    sender = outbox.sender_for(config.smtp)
    assert outbox.deliver(store, sender, MONDAY_9_NOV) == (1, 0)
    assert outbox.deliver(store, sender, MONDAY_9_NOV) == (0, 0)
    store.close()
    (mail,) = smtp_inbox.received
    assert mail.recipients == ["maya.chen@fernhill.example", "cto@fernhill.example"]
    assert mail.message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.message.get_payload()] == ["text/plain", "text/html"]
    assert mail.message["Message-ID"] == "<slipwatch-digest-platform-202611090900@fernhill.example>"


def test_smtp_down_then_up_delivers_once(write_config, tmp_path, smtp_server, smtp_inbox, monkeypatch):
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    config = config_with(write_config, tmp_path, smtp_server)
    store = open_store(config)
    week_of_news(store)
    dispatch.queue_now(store, config, "Platform", MONDAY_9_NOV)
    smtp_inbox.refuse = True
    assert outbox.deliver(store, outbox.sender_for(config.smtp), MONDAY_9_NOV) == (0, 1)
    (row,) = outbox.rows(store)
    assert row["attempts"] == 1 and "451" in row["last_error"] and row["next_attempt_at"]
    smtp_inbox.refuse = False
    assert outbox.deliver(store, outbox.sender_for(config.smtp), MONDAY_9_NOV) == (0, 0)  # not yet: backoff
    assert outbox.deliver(store, outbox.sender_for(config.smtp), MONDAY_9_NOV + dt.timedelta(hours=2)) == (1, 0)
    store.close()
    assert len(smtp_inbox.received) == 1


def test_a_crash_between_queueing_and_sending_delivers_once_after_restart(
    write_config, tmp_path, smtp_server, smtp_inbox, monkeypatch
):
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    config = config_with(write_config, tmp_path, smtp_server)
    store = open_store(config)
    week_of_news(store)
    dispatch.queue_due(store, config, MONDAY_2_NOV)
    dispatch.queue_due(store, config, MONDAY_9_NOV)
    store.close()  # the process dies here: queued, not sent
    restarted = open_store(config)
    assert dispatch.queue_due(restarted, config, MONDAY_9_NOV + dt.timedelta(minutes=5)) == []  # not rendered again
    assert outbox.deliver(restarted, outbox.sender_for(config.smtp), MONDAY_9_NOV) == (1, 0)
    restarted.close()
    assert len(smtp_inbox.received) == 1


def queued_text(store, outbox_id: int) -> str:
    """The plain-text part of a queued mail."""
    (raw,) = store.conn.execute("SELECT raw FROM outbox WHERE id = ?", (outbox_id,)).fetchone()
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    return mail.get_body(("plain",)).get_content().replace("\r\n", "\n")


# (when the record starts, how the digest is queued, the period it covers)
SLOT_DIGEST = (MONDAY_9_NOV - dt.timedelta(days=1),
               lambda store, config: dispatch.queue_due(store, config, MONDAY_9_NOV)[0],
               "Period: Mon 02 Nov 2026 09:00 to Mon 09 Nov 2026 09:00 EST")
NOW_DIGEST = (MONDAY_9_NOV + dt.timedelta(hours=4),
              lambda store, config: dispatch.queue_now(store, config, "Platform",
                                                       MONDAY_9_NOV + dt.timedelta(hours=4, minutes=5)),
              "Period: Mon 02 Nov 2026 13:05 to Mon 09 Nov 2026 13:05 EST")


@pytest.mark.parametrize("started, queue, period", [SLOT_DIGEST, NOW_DIGEST], ids=["first-slot", "now"])
def test_the_first_digest_and_any_sent_now_cover_the_past_week(write_config, tmp_path, started, queue, period):
    """slipwatch starts the record on Sunday 8 Nov (the first digest comes with Monday's slot), or on
    Monday afternoon, five minutes before `digest send --now` (issue 15: that covered five minutes).
    Either digest reaches back a week, to the beta's slip on Thursday 5 Nov."""
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    assert dispatch.queue_due(store, config, started) == []  # the record starts
    text = queued_text(store, queue(store, config))
    store.close()
    assert period in text
    assert "Slipped:\n  * Beta build (#1): Fri 20 Nov 2026 → Fri 27 Nov 2026 (+7 days, 1st slip)" in text


def test_after_downtime_the_missed_digest_is_sent_once(write_config, tmp_path):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    dispatch.queue_due(store, config, MONDAY_2_NOV - dt.timedelta(days=14))
    three_weeks_down = MONDAY_9_NOV + dt.timedelta(days=2)
    assert len(dispatch.queue_due(store, config, three_weeks_down)) == 1
    assert dispatch.queue_due(store, config, three_weeks_down + dt.timedelta(hours=1)) == []
    store.close()


def test_nothing_to_report_sends_nothing(write_config, tmp_path):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    dispatch.queue_due(store, config, MONDAY_2_NOV)
    assert dispatch.queue_due(store, config, MONDAY_9_NOV) == []
    assert store.conn.execute("SELECT count(*) FROM digest_periods").fetchone()[0] == 2  # the week is done all the same
    store.close()


def test_send_empty_digest_sends_one_all_the_same(write_config, tmp_path):
    config = config_with(write_config, tmp_path, send_empty_digest=True)
    store = open_store(config)
    dispatch.queue_due(store, config, MONDAY_2_NOV)
    assert len(dispatch.queue_due(store, config, MONDAY_9_NOV)) == 1
    store.close()


#: the slip of week_of_news was sent at 12:30 UTC on 5 Nov
AFTER_THE_SLIP = dt.datetime(2026, 11, 5, 13, tzinfo=dt.UTC)


@pytest.fixture
def alerting(write_config, tmp_path):
    """A team alerted of slips of 5 days or more, and the week of news (whose slip is 7 days)."""
    config = config_with(write_config, tmp_path, alert_slip_days=5)
    store = open_store(config)
    week_of_news(store)
    yield config, store
    store.close()


def test_a_big_slip_raises_one_immediate_alert(alerting):
    config, store = alerting
    (alert,) = dispatch.queue_due(store, config, AFTER_THE_SLIP)[-1:]
    assert dispatch.queue_due(store, config, AFTER_THE_SLIP + dt.timedelta(minutes=1)) == []
    (row,) = [r for r in outbox.rows(store) if r["id"] == alert]
    assert row["kind"] == "alert" and row["period"].startswith("alert:")


def test_an_idle_poll_loads_no_milestone(alerting, monkeypatch):
    """The daemon asks every poll: unless a slot is due or the schedule changed, the answer costs a few rows."""
    config, store = alerting
    assert len(dispatch.queue_due(store, config, AFTER_THE_SLIP)) == 1  # the alert (the first slot starts the record)
    loads = []
    real = dispatch.query.load
    monkeypatch.setattr(dispatch.query, "load", lambda *a, **k: loads.append(1) or real(*a, **k))
    for minutes in range(1, 4):
        assert dispatch.queue_due(store, config, AFTER_THE_SLIP + dt.timedelta(minutes=minutes)) == []
    assert loads == []
    assert len(dispatch.queue_due(store, config, MONDAY_9_NOV)) == 1  # the slot is due: the digest reads them
    assert loads == [1]


def test_a_slip_recorded_after_an_idle_poll_raises_its_alert_at_the_next(alerting):
    config, store = alerting
    dispatch.queue_due(store, config, AFTER_THE_SLIP)
    assert dispatch.queue_due(store, config, AFTER_THE_SLIP + dt.timedelta(minutes=1)) == []
    record_mail(store, [Milestone("Load test", "Trailhead", "2026-11-30", "delayed", "2026-11-12",
                                  evidence="The load test moves to 30 Nov.")],
                sent=dt.datetime(2026, 11, 5, 18, 20, tzinfo=IST), message_id="<load@nimbuslabs.example>")
    (alert,) = dispatch.queue_due(store, config, AFTER_THE_SLIP + dt.timedelta(minutes=2))
    (row,) = [r for r in outbox.rows(store) if r["id"] == alert]
    assert row["kind"] == "alert"


def test_the_daemons_alerts_load_again_only_the_milestone_that_slipped(alerting, monkeypatch):
    """The daemon hands over the views its feeds keep current (query.LiveViews): a new slip loads that
    milestone alone, not the whole schedule, and raises its alert."""
    config, store = alerting
    live = query.LiveViews(store, query.scopes(config.teams))
    dispatch.queue_due(store, config, AFTER_THE_SLIP, live)
    asked = []
    real = query.load
    monkeypatch.setattr(query, "load", lambda *a, only=None, **k: asked.append(only) or real(*a, only=only, **k))
    record_mail(store, [Milestone("Load test", "Trailhead", "2026-11-30", "delayed", "2026-11-12",
                                  evidence="The load test moves to 30 Nov.")],
                sent=dt.datetime(2026, 11, 5, 18, 20, tzinfo=IST), message_id="<load@nimbuslabs.example>")
    (alert,) = dispatch.queue_due(store, config, AFTER_THE_SLIP + dt.timedelta(minutes=2), live)
    (row,) = [r for r in outbox.rows(store) if r["id"] == alert]
    assert row["kind"] == "alert"
    [only] = asked
    assert only is not None and len(only) == 1


def test_send_now_writes_the_demo_outbox_and_outbox_lists_it(write_config, tmp_path, cli, monkeypatch):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    store.close()
    monkeypatch.setenv("SLIPWATCH_NOW", MONDAY_9_NOV.isoformat())
    assert cli("outbox", "--config", config.path).output == (
        "The outbox is empty: no digest or alert has been queued yet.\n")
    out = cli("--log-level", "warning", "digest", "send", "--team", "Platform", "--now", "--config", config.path).output
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    assert out == f"1 sent, 0 failed\nwrote {eml}\n"
    assert b"multipart/alternative" in eml.read_bytes()
    listed = cli("outbox", "--config", config.path).output
    assert "digest" in listed and "sent 20" in listed


def test_digest_send_says_when_the_team_s_next_digest_is_due(write_config, tmp_path, cli, monkeypatch):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    store.close()

    def send(moment: dt.datetime) -> str:
        monkeypatch.setenv("SLIPWATCH_NOW", moment.isoformat())
        return cli("--log-level", "warning", "digest", "send", "--team", "Platform", "--config", config.path).output

    assert send(MONDAY_2_NOV).startswith(
        "Platform: digests start with this slot (nothing was missed before); "
        "the first goes out Mon 09 Nov 2026 09:00 EST (America/New_York)\n0 sent, 0 failed\n")
    assert send(MONDAY_2_NOV + dt.timedelta(days=3)).startswith(
        "Platform: no digest is due yet; the next is due Mon 09 Nov 2026 09:00 EST (America/New_York) "
        "(`--now` sends one now)\n0 sent, 0 failed\n")
    out = send(MONDAY_9_NOV)
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    assert out == ("Platform: this week's digest is queued; the next is due Mon 16 Nov 2026 09:00 EST "
                   f"(America/New_York)\n1 sent, 0 failed\nwrote {eml}\n")


def test_digest_send_in_a_quiet_week_says_nothing_was_sent_and_why(write_config, tmp_path, cli, monkeypatch):
    config = config_with(write_config, tmp_path)
    for moment in (MONDAY_2_NOV, MONDAY_9_NOV):
        monkeypatch.setenv("SLIPWATCH_NOW", moment.isoformat())
        out = cli("--log-level", "warning", "digest", "send", "--team", "Platform", "--config", config.path).output
    assert out == ("Platform: nothing to report this week, so no digest (send_empty_digest = true sends one anyway); "
                   "the next is due Mon 16 Nov 2026 09:00 EST (America/New_York)\n0 sent, 0 failed\n")


def test_a_team_name_with_a_line_break_cannot_reach_the_headers(write_config, tmp_path):
    config = config_with(write_config, tmp_path)
    store = open_store(config)
    week_of_news(store)
    d = dispatch.preview(store, config, "Platform", MONDAY_9_NOV)
    store.close()
    evil = dataclasses.replace(d, team="Platform\r\nBcc: everyone@example.com")
    assert "\n" not in evil.subject and "\r" not in evil.subject


def test_two_senders_at_once_send_a_mail_once(write_config, tmp_path, smtp_server, smtp_inbox, monkeypatch):
    """The daemon and `slipwatch digest send` may deliver the outbox at the same moment."""
    monkeypatch.setenv("TEST_SMTP_PW", PASSWORD)
    config = config_with(write_config, tmp_path, smtp_server)
    store, other = open_store(config), open_store(config)
    week_of_news(store)
    dispatch.queue_now(store, config, "Platform", MONDAY_9_NOV)
    second: list[tuple[int, int]] = []

    class Racing(outbox.SmtpSender):
        def send(self, mail):
            # while this sender holds the row, a second process delivers the same outbox
            second.append(outbox.deliver(other, outbox.sender_for(config.smtp), MONDAY_9_NOV))
            super().send(mail)

    assert outbox.deliver(store, Racing(config.smtp), MONDAY_9_NOV) == (1, 0)
    assert second == [(0, 0)]
    store.close()
    other.close()
    assert len(smtp_inbox.received) == 1
