"""Reads an iCalendar feed on stdin with libical (through GObject introspection) and prints
its events as JSON: uid, summary, and the start as a UTC instant (or a date, all day).

Run with the system Python (/usr/bin/python3): the project's venv has no gi.
"""

import datetime as dt
import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402

UTC = ICalGLib.Timezone.get_utc_timezone()


def instant(t):
    if t.is_date():
        return f"{t.get_year():04d}-{t.get_month():02d}-{t.get_day():02d}"
    t = t.clone()
    t.convert_to_zone_inplace(UTC)  # through the VTIMEZONE the TZID names
    return dt.datetime.fromtimestamp(t.as_timet(), dt.timezone.utc).isoformat().replace("+00:00", "Z")


calendar = ICalGLib.Component.new_from_string(sys.stdin.read())
events = []
event = calendar.get_first_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
while event is not None:
    start = event.get_dtstart()
    events.append({
        "uid": event.get_uid(),
        "summary": event.get_summary(),
        "all_day": bool(start.is_date()),
        "start": instant(start),
        "end": instant(event.get_dtend()),
    })
    event = calendar.get_next_component(ICalGLib.ComponentKind.VEVENT_COMPONENT)
json.dump(events, sys.stdout)
