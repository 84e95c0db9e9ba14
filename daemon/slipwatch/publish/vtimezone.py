"""VTIMEZONE components written as yearly RRULEs, built from zoneinfo's transitions.

icalendar's ``Timezone.from_tzid`` lists every transition as RDATEs; Outlook
misreads those: like Windows, it expects a STANDARD and a DAYLIGHT observance,
each with a yearly rule such as ``FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU``. So the
transitions of the years a feed spans are found by scanning zoneinfo, each run
of consecutive years that follows one rule becomes one observance with an
RRULE (ended by UNTIL when the zone's rules changed later), and a transition
that fits no yearly rule stands alone as an observance without one. The
newest rule is left open-ended, so a client that looks past the feed's years
still extends the zone's current rules.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

from slipwatch.publish import ics

_DAY = dt.timedelta(days=1)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Transition:
    at: dt.datetime  # the UTC instant the offset changes
    offset_from: dt.timedelta
    offset_to: dt.timedelta
    dst: bool
    name: str

    @property
    def onset(self) -> dt.datetime:
        """The wall-clock time of the change as read before it (what DTSTART of an observance holds)."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    @property
    def rule(self) -> tuple[object, ...]:
        """What must stay the same for two yearly transitions to be one RRULE."""
        onset = self.onset
        return (self.dst, self.offset_from, self.offset_to, self.name, onset.month, onset.weekday(), onset.time())

    def by_day(self) -> set[str]:
        """The BYDAY values this onset satisfies: the nth weekday of its month, and -1 if it is the last."""
        onset = self.onset
        weekday = _WEEKDAYS[onset.weekday()]
        found = {f"{(onset.day - 1) // 7 + 1}{weekday}"}
        if onset.day + 7 > calendar.monthrange(onset.year, onset.month)[1]:
            found.add(f"-1{weekday}")
        return found


def _observed(zone: dt.tzinfo, moment: dt.datetime) -> tuple[dt.timedelta, bool, str]:
    local = moment.astimezone(zone)
    return local.utcoffset() or dt.timedelta(0), bool(local.dst()), local.tzname() or ""


def transitions(zone: dt.tzinfo, first_year: int, last_year: int) -> list[Transition]:
    """Every change of offset (or DST flag, or abbreviation) from the start of first_year to the end of last_year."""
    found = []
    moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    before = _observed(zone, moment)
    while moment < end:
        after = _observed(zone, moment + _DAY)
        if after != before:
            # the change lies within this day: narrow it down to the second
            low, high = moment, moment + _DAY
            while high - low > dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _observed(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            found.append(Transition(high, before[0], after[0], after[1], after[2]))
            before = after
        moment += _DAY
    return found


def _runs(changes: list[Transition]) -> Iterator[tuple[list[Transition], set[str]]]:
    """Consecutive yearly transitions that one RRULE describes, with the BYDAY values they share."""
    run: list[Transition] = []
    shared: set[str] = set()
    for change in changes:
        fits = (
            run
            and change.at.year == run[-1].at.year + 1
            and change.rule == run[-1].rule
            and shared & change.by_day()
        )
        if fits:
            run.append(change)
            shared &= change.by_day()
        else:
            if run:
                yield run, shared
            run, shared = [change], change.by_day()
    if run:
        yield run, shared


def _by_day(shared: set[str]) -> str:
    """Prefer "2nd Sunday" to "last Sunday" early in the month, "last" late in it (EU: -1SU, not 4SU)."""
    nth = min(shared, key=lambda d: (d.startswith("-"), d))
    if int(nth[:-2]) >= 4 and any(d.startswith("-1") for d in shared):
        return next(d for d in shared if d.startswith("-1"))
    return nth


def _offset(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _observance(first: Transition, rrule: str | None) -> bytes:
    kind = "DAYLIGHT" if first.dst else "STANDARD"
    return b"".join((
        ics.line("BEGIN", kind),
        ics.line("DTSTART", ics.local(first.onset)),
        ics.line("TZOFFSETFROM", _offset(first.offset_from)),
        ics.line("TZOFFSETTO", _offset(first.offset_to)),
        *((ics.line("TZNAME", ics.text(first.name)),) if first.name else ()),
        *((ics.line("RRULE", rrule),) if rrule else ()),
        ics.line("END", kind),
    ))


@functools.lru_cache(maxsize=128)
def vtimezone(tzid: str, first_year: int, last_year: int) -> bytes:
    """The VTIMEZONE of an IANA zone, right for every moment from first_year to last_year.

    Start first_year a year before the first event: an event early in a
    year falls under the observance that began the year before.
    """
    zone = zoneinfo.ZoneInfo(tzid)
    changes = transitions(zone, first_year, last_year)
    observances: list[tuple[dt.datetime, bytes]] = []
    if not changes:  # no DST in these years: one observance from the epoch on
        offset, dst, name = _observed(zone, dt.datetime(first_year, 7, 1, tzinfo=dt.UTC))
        steady = Transition(dt.datetime(1970, 1, 1, tzinfo=dt.UTC) - offset, offset, offset, dst, name)
        observances.append((steady.onset, _observance(steady, None)))
    for dst in (False, True):
        for run, shared in _runs([c for c in changes if c.dst == dst]):
            first, last = run[0], run[-1]
            open_ended = last.at.year == last_year
            if len(run) == 1 and not open_ended:
                rrule = None
            else:
                rrule = f"FREQ=YEARLY;BYMONTH={first.onset.month};BYDAY={_by_day(shared)}"
                if not open_ended:
                    rrule += f";UNTIL={ics.utc(last.at)}"
            observances.append((first.onset, _observance(first, rrule)))
    return b"".join((
        ics.line("BEGIN", "VTIMEZONE"),
        ics.line("TZID", tzid),
        *(body for _, body in sorted(observances, key=lambda o: o[0])),
        ics.line("END", "VTIMEZONE"),
    ))
