"""A schedule across zones and DST changes, seeded without mail parsing (as tests/track does).

Four vendors in four zones, three teams in three others. The deadlines sit on
either side of the European DST change (2026-10-25) and the US one
(2026-11-01), in the hour New York lives twice, and across the date line
(Manila to Los Angeles). NOW is the moment every feed is rendered at.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from slipwatch import config as config_mod
from slipwatch.extract.model import Milestone
from slipwatch.service import open_store
from slipwatch.store import Store
from tests.helpers import MORE_VENDORS, record_mail

NOW = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)

CONFIG = """
[store]
path = "slipwatch.db"

[source]
kind = "maildir"
path = "inbox"
poll_seconds = 1

[feeds]
directory = "feeds"
listen = "127.0.0.1:{port}"
base_url = "http://127.0.0.1:{port}"

[organisation]
name = "Fernhill Outfitters"
domains = ["fernhill.example"]

[trust]
authserv_id = "mx1.fernhill.example"

[[teams]]
name = "Platform"
timezone = "America/New_York"
vendors = ["Nimbus Labs", "Harbor Code"]

[[teams]]
name = "Brand"
timezone = "Europe/London"
vendors = ["Estudio Norte"]

[[teams]]
name = "Coast"
timezone = "America/Los_Angeles"
vendors = ["Polar Print"]

[[vendors]]
name = "Nimbus Labs"
domains = ["nimbuslabs.example"]
timezone = "Asia/Kolkata"
""" + MORE_VENDORS


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(dt.UTC)


# name -> (feeds it is in besides `all`, when it is due: a date, or the UTC instant of a due instant)
DEADLINES: dict[str, tuple[tuple[str, ...], dt.date | dt.datetime]] = {
    # Kolkata 09:00 on 2 Nov is still 1 Nov in New York, which left DST the day before
    "UAT drop": (("platform",), utc("2026-11-02T09:00+05:30")),
    "Security review": (("platform",), utc("2026-10-31T20:00+05:30")),  # New York still on EDT
    "Store listing": (("platform",), utc("2026-11-01T12:00+05:30")),  # 01:30 EST: the hour New York repeats
    "Beta build": (("platform",), dt.date(2026, 11, 20)),  # slipped from 14 Nov
    "API freeze": (("platform",), utc("2026-10-24T18:00+02:00")),  # Warsaw on CEST, the day before it ends
    "Load test": (("platform",), utc("2026-10-26T09:00+01:00")),  # Warsaw on CET, New York still on EDT
    "Docs handover": (("platform",), dt.date(2026, 10, 14)),  # delivered (due 14 Oct, reported 13 Oct)
    "Logo final": (("brand",), utc("2026-10-24T12:00+02:00")),  # 11:00 BST in London
    "Print proofs": (("brand",), utc("2026-10-26T12:00+01:00")),  # 11:00 GMT in London
    "Catalogue print": (("coast",), utc("2026-11-20T09:00+08:00")),  # 19 Nov, 17:00 in Los Angeles
    "Shipping": (("coast",), dt.date(2026, 11, 20)),  # all day: 20 Nov wherever you are
    "Proof approval": (("coast",), dt.date(2026, 10, 14)),  # Manila's 14 Oct ended before NOW: overdue
}
CANCELLED = "Old feature"


def write_config(folder: Path, port: int) -> config_mod.Config:
    path = folder / "slipwatch.toml"
    path.write_text(CONFIG.format(port=port))
    return config_mod.load(path)


def say(store: Store, vendor: str, author: str, sent: str, items: list[Milestone], key: str) -> None:
    """Record one vendor message about these milestones, as the pipeline would after reading it."""
    record_mail(store, items, vendor=vendor, sender=author, sent=dt.datetime.fromisoformat(sent),
                message_id=f"<{key}@{author.split('@')[1]}>", subject=key)


def seed(config: config_mod.Config) -> None:
    store = open_store(config)
    try:
        say(store, "Nimbus Labs", "rahul.k@nimbuslabs.example", "2026-10-01T10:00+05:30", [
            Milestone("UAT drop", "Trailhead", "2026-11-02T09:00+05:30", "planned",
                      evidence="UAT drop: 2 Nov, 9 am IST"),
            Milestone("Security review", "Trailhead", "2026-10-31T20:00+05:30", "planned"),
            Milestone("Store listing", "Trailhead", "2026-11-01T12:00+05:30", "planned"),
            Milestone("Beta build", "Trailhead", "2026-11-14", "planned", evidence="Beta build on 14 Nov."),
            Milestone(CANCELLED, "Trailhead", "2026-11-25", "planned"),
        ], "plan")
        say(store, "Nimbus Labs", "rahul.k@nimbuslabs.example", "2026-10-12T18:05+05:30", [
            Milestone("Beta build", "Trailhead", "2026-11-20", "delayed", previous_due="2026-11-14",
                      evidence="Slight delay: the beta build moves to 20 Nov."),
            Milestone(CANCELLED, "Trailhead", "2026-11-25", "cancelled", evidence="We drop the old feature."),
        ], "slip")
        say(store, "Harbor Code", "ola@harborcode.example", "2026-10-05T09:00+02:00", [
            Milestone("API freeze", "Backend", "2026-10-24T18:00+02:00", "planned"),
            Milestone("Load test", "Backend", "2026-10-26T09:00+01:00", "planned"),
            Milestone("Docs handover", "Backend", "2026-10-14", "planned"),
        ], "harbor-plan")
        say(store, "Harbor Code", "ola@harborcode.example", "2026-10-13T16:00+02:00", [
            Milestone("Docs handover", "Backend", "2026-10-13", "delivered", evidence="Docs handed over today."),
        ], "harbor-done")
        say(store, "Estudio Norte", "ines@estudionorte.example", "2026-10-01T10:00+02:00", [
            Milestone("Logo final", "Rebrand", "2026-10-24T12:00+02:00", "planned"),
            Milestone("Print proofs", "Rebrand", "2026-10-26T12:00+01:00", "planned"),
        ], "norte-plan")
        say(store, "Polar Print", "jun@polarprint.example", "2026-10-01T10:00+08:00", [
            Milestone("Catalogue print", "Catalogue", "2026-11-20T09:00+08:00", "planned"),
            Milestone("Shipping", "Catalogue", "2026-11-20", "planned"),
            Milestone("Proof approval", "Catalogue", "2026-10-14", "planned"),
        ], "polar-plan")
    finally:
        store.close()
