"""The demo tells its story on any day: its sample mail is moved to recent weeks when it is seeded.

config/demo-inbox holds vendor mail of November 2026. `[source] seed_recent =
true` (config/demo.toml) moves every sample by the same whole number of weeks,
so that the newest is less than a week old: weekdays stay true, and the mails
stay real mail that the extractor reads like any other.
"""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from slipwatch import pipeline
from slipwatch.sources import timeshift
from slipwatch.sources.maildir import MaildirSource
from tests.helpers import DEMO_INBOX, demo_config

SAMPLES = {p.name: p.read_bytes() for p in sorted(DEMO_INBOX.glob("*.eml"))}
#: The Date of 12-nimbus-beta-ontrack-direct-reply.eml, the story's last mail
NEWEST = dt.datetime(2026, 11, 26, 4, 50, 37, tzinfo=dt.UTC)
WEEK = timeshift.WEEK
SECOND = dt.timedelta(seconds=1)


def moved(value: str | None, weeks: int) -> str | None:
    """An extracted date or instant, `weeks` weeks later, written as the extractor writes it."""
    if not value:
        return value
    if len(value) == 10:
        return (dt.date.fromisoformat(value) + weeks * WEEK).isoformat()
    return (dt.datetime.fromisoformat(value) + weeks * WEEK).isoformat(timespec="minutes")


def texts(raw: bytes) -> str:
    """Every header and decoded text part of a mail, and its PDF's text, as one string."""
    out = []
    for part in email.message_from_bytes(raw, policy=policy.default).walk():
        out += [f"{k}: {v}" for k, v in part.items()]
        if part.get_content_maintype() == "text":
            out.append(part.get_content())
        elif part.get_content_type() == "application/pdf":
            out.append(part.get_payload(decode=True).decode("latin-1"))
    return "\n".join(out)


def test_the_newest_sample_is_the_last_reply_of_the_story():
    assert timeshift.newest(SAMPLES.values()) == NEWEST


@pytest.mark.parametrize("now, weeks", [
    (NEWEST, 0),
    (NEWEST + WEEK - SECOND, 0),
    (NEWEST + WEEK, 1),
    (NEWEST - SECOND, -1),  # before the story ends: it moves back
    (dt.datetime(2026, 1, 1, tzinfo=dt.UTC), -48),
])
def test_whole_weeks_bring_the_newest_mail_into_the_week_up_to_now(now, weeks):
    assert timeshift.weeks_to(NEWEST, now) == weeks
    assert dt.timedelta(0) <= now - (NEWEST + weeks * WEEK) < WEEK


@pytest.mark.parametrize("weeks", [-48, 1, 5, 80])
def test_a_moved_sample_reads_as_the_original_moved_by_whole_weeks(weeks):
    for name, raw in SAMPLES.items():
        before, after = pipeline.extract_report(raw), pipeline.extract_report(timeshift.shift(raw, weeks))
        assert (after["from"], after["forwarded_by"]) == (before["from"], before["forwarded_by"]), name
        assert after["sent"] == moved(before["sent"], weeks), name
        assert [(m["name"], m["status"], m["due"], m["previous_due"]) for m in after["milestones"]] == [
            (m["name"], m["status"], moved(m["due"], weeks), moved(m["previous_due"], weeks))
            for m in before["milestones"]
        ], name


def test_every_date_a_sample_states_is_moved():
    """60 weeks on, no sample says 2026 any more: not in a header, a part, an attachment or its name."""
    for name, raw in SAMPLES.items():
        assert "2026" in texts(raw), name
        assert "2026" not in texts(timeshift.shift(raw, 60)), name


def test_dates_keep_their_language_form_and_width():
    one, four, five = ({name: texts(timeshift.shift(raw, weeks)) for name, raw in SAMPLES.items()}
                       for weeks in (1, 4, 5))
    assert "Gesendet: Dienstag, 17. November 2026 09:55" in one["05-polar-dielines-csv-outlook-de.eml"]
    assert "Gesendet: Dienstag, 8. Dezember 2026 09:55" in four["05-polar-dielines-csv-outlook-de.eml"]
    assert "Printed samples,2026-12-01,,On track" in one["05-polar-dielines-csv-outlook-de.eml"]
    assert 'filename="FH-4471_schedule_2026-11-17.csv"' in one["05-polar-dielines-csv-outlook-de.eml"]
    calendar = one["03-polar-schedule-ics-direct.eml"]
    assert "DUE;TZID=Asia/Manila:20261201T170000" in calendar
    assert "DTSTART:19700101T000000" in calendar  # a time zone's rules stay where they start
    slip = one["07-norte-shoot-slip-outlook-reply.eml"]
    assert "pasa del 26 de noviembre al 1 de diciembre (rodamos del 25\n  al 1, sin el fin de semana)" in slip
    assert "hasta el martes 24," in slip and "shoot starting Monday 23rd?" in slip
    assert "El jue, 17 dic 2026 a las 18:20" in five["07-norte-shoot-slip-outlook-reply.eml"]
    assert "Search & filters: unchanged, 02.12.2026." in one["09-harbor-checkout-delivered-fwd-attachment.eml"]
    assert "still shipping on the 1st?" in one["11-polar-samples-shipped-gmail-history.eml"]
    assert "Date: November 24, 2026 at 8:05:12 AM EST" in one["08-nimbus-beta-slip-apple.eml"]


def test_a_pdf_keeps_its_length_so_its_offsets_stay_true():
    raw = SAMPLES["10-nimbus-invoice-outlook.eml"]

    def pdf(mail: bytes) -> bytes:
        message = email.message_from_bytes(mail, policy=policy.default)
        return next(p for p in message.walk() if p.get_content_type() == "application/pdf").get_content()

    before, after = pdf(raw), pdf(timeshift.shift(raw, 2))
    assert len(after) == len(before)
    assert b"Invoice date: 04-Dec-2026      Payment due: 03-Jan-2027" in after
    assert b"/CreationDate (D:20261204113000+05'30')" in after


def test_a_seed_is_copied_as_it_is_unless_moved_to_recent_weeks(tmp_path):
    MaildirSource(tmp_path / "as-is", DEMO_INBOX).open()
    assert sorted(p.read_bytes() for p in (tmp_path / "as-is" / "new").iterdir()) == sorted(SAMPLES.values())
    MaildirSource(tmp_path / "recent", DEMO_INBOX, recent=True).open()
    seeded = [p.read_bytes() for p in (tmp_path / "recent" / "new").iterdir()]
    # the tests' "now", 24 Nov 2026, is before the story ends: it moves a week back
    assert timeshift.newest(seeded) == NEWEST - WEEK


@pytest.mark.parametrize("today", [
    dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 7, 18, 22, tzinfo=dt.UTC),  # the day of issue 15
    dt.datetime(2028, 6, 1, 12, tzinfo=dt.UTC),
    NEWEST,  # the moment the story's last mail arrives
    NEWEST + WEEK - SECOND,  # the last moment before it moves on a week
])
def test_the_demo_digest_shows_slipped_overdue_and_due_soon_items_on_any_day(cli, write_config, monkeypatch, today):
    monkeypatch.setenv("SLIPWATCH_NOW", today.isoformat())
    config = write_config(demo_config())
    cli("--log-level", "warning", "run", "--once", "--config", config)  # as `make run` starts
    out = cli("digest", "send", "--team", "Platform", "--now", "--config", config).output
    eml = Path(out.split("wrote ", 1)[1].strip())
    mail = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert mail["Subject"].startswith("[slipwatch] Platform — 1 slipped, ")
    week_ago = (today - WEEK).astimezone(ZoneInfo("America/New_York"))
    assert f"Period: {week_ago:%a %d %b %Y %H:%M} to " in text
    slipped, overdue, due_soon = (text.split(f"\n  {title}:\n")[1].split("\n\n")[0]
                                  for title in ("Slipped", "Overdue", "Due soon"))
    assert "App Store submission" in slipped and "(+7 days, 1st slip)" in slipped
    assert "Search & filters" in overdue and "(on its baseline)" in overdue
    assert "Performance audit" in due_soon
    assert "(baseline " in text and ", +7 days)" in text  # the beta: overdue or due soon, a week past its baseline
