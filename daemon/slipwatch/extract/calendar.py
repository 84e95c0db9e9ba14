"""ICS attachments: tasks (VTODO) with a DUE date, and events (VEVENT) that mark
a deadline or a go-live. A plain meeting invite is not a milestone: events
that recur, or whose summary names a meeting and no deliverable, are skipped.
A description that gives the day the item moved from ("Was 24 Feb.") gives its
previous date, as a table's comment cell does.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import replace

import icalendar

from slipwatch.config import LimitsConfig
from slipwatch.limits import check_count

from slipwatch.mail.model import Attachment, format_instant

from . import dates as grammar
from .model import CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import OLD_MARK
from .names import clean_name, is_vague
from .noise import is_meeting

log = logging.getLogger(__name__)

_CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")
_MILESTONE_EVENT = re.compile(
    r"go[\s-]?live|launch|release|deadline|\bdue\b|deliver|cut-?over|freeze|hand-?over|milestone|"
    r"ship|submission|deploy|lanzamiento|entrega|livraison|lieferung|rilascio|consegna|wdro[żz]enie|"
    r"salida\s+a\s+producci[óo]n|mise\s+en\s+production|produktivstart|go-?live", re.IGNORECASE)


def _value(moment: dt.date | dt.datetime, sent: dt.datetime) -> str:
    if not isinstance(moment, dt.datetime):
        return moment.isoformat()
    if moment.tzinfo is None:  # floating time: the writer's own clock
        moment = moment.replace(tzinfo=sent.tzinfo)
    return format_instant(moment)


def _status(component: icalendar.cal.Component) -> str:
    state = str(component.get("STATUS", "")).upper()
    if state == "CANCELLED":
        return CANCELLED
    if state == "COMPLETED" or str(component.get("PERCENT-COMPLETE", "")) == "100":
        return DELIVERED
    return PLANNED


def _is_meeting_event(event: icalendar.cal.Component, method: str) -> bool:
    if "RRULE" in event or "RDATE" in event:
        return True
    summary = str(event.get("SUMMARY", ""))
    if _MILESTONE_EVENT.search(summary):
        return False
    return is_meeting(summary) or (method == "REQUEST" and "ATTENDEE" in event)


def calendar_milestones(
    attachments: Sequence[Attachment], reading: Reading, limits: LimitsConfig = LimitsConfig()
) -> list[Milestone]:
    """The tasks and deadline events of the ICS attachments."""
    items = []
    for att in attachments:
        if att.content_type not in _CALENDAR_TYPES and not (att.filename or "").lower().endswith((".ics", ".vcs")):
            continue
        # counted before parsing: icalendar would take minutes over 100,000 events
        events = att.data.count(b"BEGIN:VEVENT") + att.data.count(b"BEGIN:VTODO")
        check_count(events, limits.max_ics_events, f"ICS attachment {att.filename} events", "max_ics_events")
        try:
            cal = icalendar.Calendar.from_ical(att.data)
        except (ValueError, IndexError, KeyError) as exc:
            log.debug("unreadable calendar %s (%d bytes): %s", att.filename, len(att.data), type(exc).__name__)
            continue
        method = str(cal.get("METHOD", "")).upper()
        found = [item for item in (_component(c, method, reading) for c in cal.walk()) if item is not None]
        items += _without_shared_prefix(found)
    return items


_PREFIX = re.compile(r"^(?P<prefix>[^–—:|]{2,60}?)\s*(?:[–—:|]|\s-\s)\s*(?=\S)")


def _without_shared_prefix(items: list[Milestone]) -> list[Milestone]:
    """ "Gift boxes – Dielines", "Gift boxes – Samples": the shared part is the project."""
    prefixes = {m.group("prefix") if (m := _PREFIX.match(item.name)) else None for item in items}
    if len(items) < 2 or len(prefixes) != 1 or None in prefixes:
        return items
    return [replace(item, name=_PREFIX.sub("", item.name, count=1)) for item in items]


def _last_day(event: icalendar.cal.Component, start: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """An all-day event over several days ("EVT build, 8-12 May") is due on its last day,
    as a range is; DTEND of an all-day event is the day after it (RFC 5545)."""
    if isinstance(start, dt.datetime) or "DTEND" not in event:
        return start
    try:
        end = event.decoded("DTEND")
    except (ValueError, KeyError):
        return start
    if isinstance(end, dt.datetime) or end <= start + dt.timedelta(days=1):
        return start
    return end - dt.timedelta(days=1)


def _component(component: icalendar.cal.Component, method: str, reading: Reading) -> Milestone | None:
    if component.name == "VTODO":
        key = "DUE" if "DUE" in component else "DTSTART"
    elif component.name == "VEVENT" and not _is_meeting_event(component, method):
        key = "DTSTART"
    else:
        return None
    if key not in component:
        return None
    try:
        moment = component.decoded(key)
    except (ValueError, KeyError) as exc:
        log.debug("unreadable %s: %s", key, type(exc).__name__)  # the message quotes the line
        return None
    if key == "DTSTART":
        moment = _last_day(component, moment)
    summary = str(component.get("SUMMARY", ""))
    name = clean_name(summary)
    if not name or is_vague(name):
        return None
    due, status = _value(moment, reading.sent), _status(component)
    previous = _moved_from(str(component.get("DESCRIPTION", "")), reading) if status == PLANNED else None
    if previous is not None and previous != due[:10]:
        status = DELAYED if previous < due[:10] else PLANNED
    else:
        previous = None
    return Milestone(name=name, project=None, due=due, status=status, previous_due=previous,
                     evidence=f"{component.name} {summary} {key} {moment}", origin="ics", confidence=0.95)


def _moved_from(description: str, reading: Reading) -> str | None:
    """The day an event's description says it moved from ("Was 24 Feb.", "Nova data (antes 22/01)"),
    as a table's comment cell says it: a date the registry's words mark as the old one."""
    for m in grammar.find_dates(description, reading.sent, day_first=reading.day_first):
        if OLD_MARK.search(description[max(0, m.start - 30):m.start]):
            return m.value(reading.sent)[:10]
    return None
