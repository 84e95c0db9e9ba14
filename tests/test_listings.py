"""What a team lead reads: tables with headers, times in one zone, words instead of Python."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from slipwatch import listings
from slipwatch.extract.model import Milestone
from slipwatch.store import Store
from tests.helpers import CONFIG, GARBAGE, record_mail, vendor_mail

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
CET = dt.timezone(dt.timedelta(hours=1))

# a second team, in London, follows the same vendor as Platform (New York)
TWO_TEAMS = CONFIG.replace("[[vendors]]", '[[teams]]\nname = "Brand"\ntimezone = "Europe/London"\n'
                                          'vendors = ["Nimbus Labs"]\n\n[[vendors]]', 1)


def seed(config_file) -> None:
    """Nimbus Labs plans two milestones (written in Kolkata), then, from a laptop in Berlin, moves one
    to an instant in its own zone (27 Nov 18:00 IST = 07:30 in New York) and puts the other at risk."""
    store = Store.open(config_file.parent / "slipwatch.db")
    record_mail(store, [
        Milestone("Beta build", "Trailhead", "2026-11-20", "planned", evidence="Beta build on 20 Nov."),
        Milestone("App Store submission", "Trailhead", "2026-12-04", "planned"),
    ], sent=dt.datetime(2026, 11, 2, 10, tzinfo=IST), message_id="<plan@nimbuslabs.example>")
    record_mail(store, [
        Milestone("Beta build", "Trailhead", "2026-11-27T18:00+05:30", "delayed", previous_due="2026-11-20",
                  evidence="Beta build moves to Friday 27 Nov, EOD IST."),
        Milestone("App Store submission", "Trailhead", "2026-12-04", "at_risk"),
    ], sent=dt.datetime(2026, 11, 17, 14, 5, tzinfo=CET), message_id="<slip@nimbuslabs.example>")
    store.close()


@pytest.fixture
def seeded(write_config):
    path = write_config(TWO_TEAMS)
    seed(path)
    return path


def row(out: str, name: str) -> str:
    return next(line for line in out.splitlines() if name in line)


def test_milestones_is_a_table_with_every_column_a_team_lead_needs(cli, seeded):
    assert cli("milestones", "--config", seeded).stdout.splitlines() == [
        "id  team             vendor       project    name                  due                   status   baseline    slip",
        "--  ---------------  -----------  ---------  --------------------  --------------------  -------  ----------  ----",
        " 1  Platform, Brand  Nimbus Labs  Trailhead  Beta build            2026-11-27 07:30 EST  delayed  2026-11-20   +7d",
        " 2  Platform, Brand  Nimbus Labs  Trailhead  App Store submission  2026-12-04            at risk  2026-12-04    0d",
    ]


def test_times_show_in_the_named_teams_zone(cli, seeded):
    assert "2026-11-27 07:30 EST" in row(cli("milestones", "--team", "Platform", "--config", seeded).output, "Beta")
    assert "2026-11-27 12:30 GMT" in row(cli("milestones", "--team", "brand", "--config", seeded).output, "Beta")
    out = cli("milestones", "--team", "Nope", "--config", seeded, ok=False).output
    assert "no team 'Nope'" in out and "teams: Platform, Brand" in out


def test_without_a_team_times_show_in_the_organisations_zone(cli, write_config):
    tokyo = write_config(TWO_TEAMS.replace('domains = ["fernhill.example"]',
                                           'domains = ["fernhill.example"]\ntimezone = "Asia/Tokyo"'))
    seed(tokyo)
    assert "2026-11-27 21:30 JST" in row(cli("milestones", "--config", tokyo).output, "Beta build")


def test_an_organisation_without_a_timezone_shows_the_first_teams(cli, seeded):
    assert "2026-11-27 07:30 EST" in row(cli("milestones", "--config", seeded).output, "Beta build")


def test_json_keeps_the_machine_form(cli, seeded):
    rows = {r["name"]: r for r in json.loads(cli("milestones", "--json", "--team", "Brand", "--config", seeded).output)}
    assert rows["Beta build"]["due"] == "2026-11-27T18:00+05:30"
    assert rows["App Store submission"]["status"] == "at_risk"


@pytest.mark.parametrize("items", [[], [{}], [{"a": [1, {"b": "ü\nx"}], "c": None}, {"d": []}, 3]])
def test_json_is_written_an_item_at_a_time_as_one_array_would_be(items):
    assert "".join(listings.json_array(iter(items))) == json.dumps(items, ensure_ascii=False, indent=2)


def test_vendors_json_is_the_scorecard(cli, seeded):
    out = cli("vendors", "--json", "--config", seeded).output
    assert out.endswith("]\n")
    assert [r["vendor"] for r in json.loads(out)] == ["Nimbus Labs", "Nimbus Labs"]


def test_show_gives_every_revision_in_one_zone_and_names_it(cli, seeded):
    out = cli("show", 1, "--config", seeded).output
    assert "times in America/New_York" in out
    assert "due 2026-11-27 07:30 EST, baseline 2026-11-20, slip 7 days" in out
    assert "2026-11-01 23:30 EST" in out  # 2 Nov 10:00 in Kolkata, after New York left summer time
    assert "2026-11-17 08:05 EST" in out  # 17 Nov 14:05 in Berlin
    assert "+05:30" not in out and "+0100" not in out and "+0530" not in out
    london = cli("show", 1, "--team", "Brand", "--config", seeded).output
    assert "times in Europe/London" in london and "2026-11-17 13:05 GMT" in london


def test_show_says_dash_or_nothing_where_a_value_is_missing(cli, seeded):
    store = Store.open(seeded.parent / "slipwatch.db")
    with store.transaction() as conn:
        conn.execute("INSERT INTO milestones (id, vendor, name, created_at) VALUES (9, 1, 'Kick-off', 'now')")
        conn.execute("INSERT INTO milestone_revisions (milestone, sent, sent_utc, due, status, recorded_at)"
                     " VALUES (9, '2026-11-02T10:00+05:30', '2026-11-02T04:30:00+00:00', NULL, 'planned', 'now')")
    store.close()
    out = cli("show", 9, "--config", seeded).output
    assert "None" not in out
    assert "status planned, no due date" in out and "baseline" not in out.split("\n\n")[0]


def test_messages_is_a_table_of_words(cli, config_file, tmp_path):
    (tmp_path / "a.eml").write_bytes(vendor_mail(subject="Beta build – what's next"))
    (tmp_path / "b.eml").write_bytes(GARBAGE)
    cli("ingest", tmp_path / "a.eml", tmp_path / "b.eml", "--config", config_file, ok=False)  # b failed
    out = cli("messages", "--config", config_file).output
    assert out.splitlines()[0].split() == ["id", "state", "sent", "from", "subject"]
    processed = row(out, "processed")
    assert "Beta build – what's next" in processed and "'Beta" not in processed and '"' not in processed
    assert "2026-11-20 07:35 EST" in processed  # sent 18:05 in Kolkata
    lines = out.splitlines()
    failed = next(i for i, line in enumerate(lines) if "failed" in line)
    assert lines[failed + 1].strip() == str(tmp_path / "b.eml")  # no Message-ID: known by its file
    assert "not a mail message" in lines[failed + 2]  # the reason, under its row
    assert "None" not in out
    assert cli("messages", "--state", "quarantined", "--config", config_file).output == "no quarantined messages\n"


def test_extract_leaves_out_a_forwarder_that_is_not_there(cli, tmp_path):
    (tmp_path / "a.eml").write_bytes(vendor_mail())
    out = cli("extract", tmp_path / "a.eml").output
    assert "forwarded by" not in out and "None" not in out


def test_quarantine_lists_held_mail_in_a_table_and_says_when_empty(cli, config_file, tmp_path):
    assert cli("quarantine", "--config", config_file).stdout == "nothing in quarantine\n"  # a new store, too
    (tmp_path / "a.eml").write_bytes(vendor_mail(sender="x@unknown.example", subject="Beta build"))
    cli("ingest", tmp_path / "a.eml", "--config", config_file)
    lines = cli("quarantine", "--config", config_file).output.splitlines()
    assert lines[0].split() == ["id", "sent", "from", "forwarded", "by", "subject"]
    assert "x@unknown.example" in lines[2] and "—" in lines[2] and "Beta build" in lines[2]
    assert lines[3].startswith("    ") and "unknown.example" in lines[3]  # why it is held


def test_vendors_is_a_table_with_a_header(cli, seeded):
    lines = cli("vendors", "--config", seeded).output.splitlines()
    assert lines[0].split("  ")[0] == "vendor / project"
    assert "at risk" in lines[0]
    assert lines[2].startswith("Nimbus Labs ") and lines[3].startswith("Nimbus Labs / Trailhead")
