"""What a date expression means, before it is pinned to a calendar day.

The grammar (dates.py) turns text into a *spec*; a spec turns into a
``datetime.date`` once it knows the reference date (the local date of the
message's ``sent``) and the *role* of the date:

- ``"due"``: a commitment.  A year-less date is the next one on or after the
  reference date, unless it fell in the last 60 days: no one dates a plan a
  year ahead without its year, so "signed on 6 June" written on 18 June is
  that 6 June (measured on the labelled mail: of the year-less dates in that
  window, none was meant a year ahead). A bare weekday is the first such day
  on or after the reference date.
- ``"delivered"``: a past event.  A year-less date is the nearest one not more
  than 60 days before the reference date; a bare weekday the latest such day
  on or before it.
- ``"previous"``: an old date a plan moved from.  A year-less date is the
  nearest one before or after the reference date.

Keeping the spec lets a caller re-read a match under another role cheaply
(``dates.resolve``).  All the rules here come from RULES.md "Reading dates".
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Callable

DUE = "due"
DELIVERED = "delivered"
PREVIOUS = "previous"

_ROLE_ALIASES = {
    "due": DUE, "planned": DUE, "delayed": DUE, "at_risk": DUE, "cancelled": DUE,
    "canceled": DUE, "future": DUE,
    "delivered": DELIVERED, "done": DELIVERED, "past": DELIVERED,
    "previous": PREVIOUS, "previous_due": PREVIOUS, "old": PREVIOUS,
}

MIN_YEAR, MAX_YEAR = 1970, 2099
_DELIVERED_WINDOW = dt.timedelta(days=60)
_YEAR_AHEAD = dt.timedelta(days=250)  # a next occurrence this far off is next year's
_DAY = dt.timedelta(days=1)


def norm_role(role: str) -> str:
    try:
        return _ROLE_ALIASES[role.lower()]
    except KeyError:
        raise ValueError(f"unknown date role {role!r}: use 'due', 'delivered' or 'previous'") from None


# --------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------

def safe_date(y: int, m: int, d: int) -> dt.date | None:
    if not (MIN_YEAR <= y <= MAX_YEAR and 1 <= m <= 12 and 1 <= d <= 31):
        return None
    if d > calendar.monthrange(y, m)[1]:
        return None
    return dt.date(y, m, d)


def last_day(y: int, m: int) -> dt.date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def monday_of(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def friday_of(d: dt.date) -> dt.date:
    """Friday of the Monday-to-Sunday week holding ``d``."""
    return monday_of(d) + dt.timedelta(days=4)


def add_working_days(d: dt.date, n: int) -> dt.date:
    """``d`` plus ``n`` working days, skipping Saturdays and Sundays."""
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        d += dt.timedelta(days=step)
        if d.weekday() < 5:
            left -= 1
    return d


def add_months(d: dt.date, n: int) -> dt.date:
    m0 = d.month - 1 + n
    y, m = d.year + m0 // 12, m0 % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def nearest(cands: list[dt.date], ref: dt.date) -> dt.date:
    # ties go to the earlier date
    return min(cands, key=lambda d: (abs((d - ref).days), d))


def pick(cands: list[dt.date], ref: dt.date, role: str) -> dt.date | None:
    """Choose among the occurrences of a recurring date, per RULES.md."""
    if not cands:
        return None
    if role == DUE:
        future = [d for d in cands if d >= ref]
        recent = [d for d in cands if ref - _DELIVERED_WINDOW <= d < ref]
        if recent and (not future or min(future) - ref > _YEAR_AHEAD):
            return max(recent)
        return min(future) if future else max(cands)
    if role == DELIVERED:
        window = [d for d in cands if ref - _DELIVERED_WINDOW <= d <= ref]
        if window:
            return max(window)
    return nearest(cands, ref)


# --------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------

class Spec:
    """Base: ``resolve(ref, role)`` gives the date or None."""

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:  # pragma: no cover
        raise NotImplementedError


@dataclass(frozen=True)
class Fixed(Spec):
    day: dt.date

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        return self.day


class Yearly(Spec):
    """A date that recurs once a year (or on a given year): Dec 5, mid-December..."""

    year: int | None
    weekday: int | None = None

    def on_year(self, y: int) -> dt.date | None:  # pragma: no cover
        raise NotImplementedError

    def candidates(self, ref: dt.date) -> list[dt.date]:
        out = [d for y in (ref.year - 1, ref.year, ref.year + 1)
               if (d := self.on_year(y)) is not None]
        if not out:  # 29 February
            out = [d for y in range(ref.year - 4, ref.year + 5)
                   if (d := self.on_year(y)) is not None]
        return out

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        if self.year is not None:
            return self.on_year(self.year)
        cands = self.candidates(ref)
        chosen = pick(cands, ref, role)
        wd = self.weekday
        if chosen is not None and wd is not None and chosen.weekday() != wd:
            # "Friday 4 December": a written weekday settles the year when the
            # role's pick contradicts it and another nearby year agrees.
            agree = [d for d in cands if d.weekday() == wd and abs((d - ref).days) <= 400]
            if agree:
                chosen = nearest(agree, chosen)
        return chosen


@dataclass(frozen=True)
class MonthDay(Yearly):
    month: int
    day: int
    year: int | None = None
    weekday: int | None = None

    def on_year(self, y: int) -> dt.date | None:
        return safe_date(y, self.month, self.day)


@dataclass(frozen=True)
class Numeric(Yearly):
    """Two numbers with / or . between them, maybe a year: order decided late."""

    a: int
    b: int
    year: int | None = None
    weekday: int | None = None
    day_first: bool = True

    def order(self) -> tuple[int, int]:
        """(month, day) per RULES.md: a part above 12 settles it, else day_first."""
        a, b = self.a, self.b
        if a > 12 >= b:
            return b, a
        if b > 12 >= a:
            return a, b
        if self.year is not None and self.weekday is not None and a != b:
            dm = safe_date(self.year, b, a)
            md = safe_date(self.year, a, b)
            dm_ok = dm is not None and dm.weekday() == self.weekday
            md_ok = md is not None and md.weekday() == self.weekday
            if dm_ok != md_ok:
                return (b, a) if dm_ok else (a, b)
        return (b, a) if self.day_first else (a, b)

    def on_year(self, y: int) -> dt.date | None:
        m, d = self.order()
        return safe_date(y, m, d)


@dataclass(frozen=True)
class MonthPart(Yearly):
    """'mid' (15th), 'end' (last day) or 'start' (1st) of a named month."""

    month: int
    part: str
    year: int | None = None
    weekday: int | None = None

    def on_year(self, y: int) -> dt.date | None:
        if self.part == "end":
            return last_day(y, self.month)
        return safe_date(y, self.month, 15 if self.part == "mid" else 1)


@dataclass(frozen=True)
class NthWeek(Yearly):
    """'second week of January' = Friday of the week holding the 2nd Monday."""

    n: int  # 1..5, -1 = last
    month: int
    year: int | None = None
    weekday: int | None = None

    def on_year(self, y: int) -> dt.date | None:
        first = safe_date(y, self.month, 1)
        if first is None:
            return None
        mondays = []
        d = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        while d.month == self.month:
            mondays.append(d)
            d += dt.timedelta(days=7)
        try:
            monday = mondays[self.n - 1] if self.n > 0 else mondays[-1]
        except IndexError:
            return None
        return monday + dt.timedelta(days=4)


@dataclass(frozen=True)
class WeekOf(Yearly):
    """'week of Dec 8' = the Friday of the week holding the inner date."""

    inner: Yearly
    year: int | None = None
    weekday: int | None = None

    def on_year(self, y: int) -> dt.date | None:
        d = self.inner.on_year(y)
        return friday_of(d) if d is not None else None

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        if self.inner.year is not None:
            return self.on_year(self.inner.year)
        return pick(self.candidates(ref), ref, role)


@dataclass(frozen=True)
class WeekOfFixed(Spec):
    inner: Spec

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        d = self.inner.resolve(ref, role)
        return friday_of(d) if d is not None else None


@dataclass(frozen=True)
class QuarterEnd(Yearly):
    quarter: int  # 1..4; 5/6 = first/second half; 0 = year end
    year: int | None = None
    weekday: int | None = None

    def on_year(self, y: int) -> dt.date | None:
        q = self.quarter
        month = {0: 12, 5: 6, 6: 12}.get(q, q * 3)
        return last_day(y, month)


@dataclass(frozen=True)
class Offset(Spec):
    """today / tomorrow / yesterday / in N days."""

    days: int
    working: bool = False
    either: bool = False  # the word names both sides (Hindi "कल"): a delivery was before, the rest after

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        if self.either and role == DELIVERED:
            return ref - dt.timedelta(days=self.days)
        if self.working:
            return add_working_days(ref, self.days)
        return ref + dt.timedelta(days=self.days)


@dataclass(frozen=True)
class MonthsAhead(Spec):
    months: int

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        return add_months(ref, self.months)


@dataclass(frozen=True)
class Weekday(Spec):
    """A weekday: mod None/'this' (role decides), 'next' (following week),
    'last' (latest before the reference date), 'week+N' (that weekday of the
    week N weeks from the reference week)."""

    weekday: int
    mod: str | None = None

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        wd, mod = self.weekday, self.mod
        if mod == "next":
            return monday_of(ref) + dt.timedelta(days=7 + wd)
        if mod and mod.startswith("week"):
            return monday_of(ref) + dt.timedelta(days=7 * int(mod[4:]) + wd)
        if mod == "last":
            back = (ref.weekday() - wd) % 7 or 7
            return ref - dt.timedelta(days=back)
        ahead = ref + dt.timedelta(days=(wd - ref.weekday()) % 7)
        behind = ref - dt.timedelta(days=(ref.weekday() - wd) % 7)
        if role == DELIVERED:
            return behind
        if role == PREVIOUS:
            return nearest([ahead, behind], ref) if ahead != behind else ahead
        return ahead


@dataclass(frozen=True)
class WeekEnd(Spec):
    """'end of the week' (weeks=0) / 'end of next week' (weeks=1): a Friday."""

    weeks: int = 0

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        return friday_of(ref) + dt.timedelta(days=7 * self.weeks)


@dataclass(frozen=True)
class RelMonthPart(Spec):
    """'end of (this|next) month', 'mid-month': month counted from the reference."""

    months: int
    part: str

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        first = add_months(ref.replace(day=1), self.months)
        if self.part == "end":
            return last_day(first.year, first.month)
        return first.replace(day=15 if self.part == "mid" else 1)


@dataclass(frozen=True)
class RelQuarterEnd(Spec):
    """'end of (this|next) quarter' / 'year-end' (quarter=0) / half (5)."""

    ahead: int = 0
    unit: str = "quarter"  # quarter | half | year

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        if self.unit == "year":
            return last_day(ref.year + self.ahead, 12)
        size = 3 if self.unit == "quarter" else 6
        idx = (ref.month - 1) // size + self.ahead
        y, i = ref.year + idx // (12 // size), idx % (12 // size)
        return last_day(y, (i + 1) * size)


@dataclass(frozen=True)
class DayOfMonth(Spec):
    """'by the 3rd', 'Wed 25th': the next/last/nearest month holding that day."""

    day: int
    weekday: int | None = None

    def _months(self, ref: dt.date, step: int) -> list[dt.date]:
        out = []
        cur = ref.replace(day=1)
        for _ in range(14):
            d = safe_date(cur.year, cur.month, self.day)
            if d is not None:
                out.append(d)
            cur = add_months(cur, step)
        return out

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        fwd = [d for d in self._months(ref, 1) if d >= ref]
        back = [d for d in self._months(ref, -1) if d <= ref]
        if role == DUE:
            seq = fwd
        elif role == DELIVERED:
            seq = back
        else:
            seq = sorted(fwd[:3] + back[:3], key=lambda d: (abs((d - ref).days), d))
        if not seq:
            return None
        if self.weekday is not None:
            for d in seq[:3]:
                if d.weekday() == self.weekday:
                    return d
            # "goes up on Monday the 11th", read as done: no 11th behind us was a Monday, the next one is
            agree = [d for d in fwd[:3] + back[:3] if d.weekday() == self.weekday]
            if agree:
                return min(agree, key=lambda d: (abs((d - ref).days), d))
        return seq[0]


@dataclass(frozen=True)
class IsoWeek(Spec):
    """ISO week number: due on that week's Friday."""

    week: int
    year: int | None = None

    @staticmethod
    def _friday(y: int, w: int) -> dt.date | None:
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        try:
            return dt.date.fromisocalendar(y, w, 5)
        except ValueError:
            return None

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        if self.year is not None:
            return self._friday(self.year, self.week)
        iy = ref.isocalendar()[0]
        cands = [f for y in (iy - 1, iy, iy + 1) if (f := self._friday(y, self.week))]
        if not cands:
            return None
        # compare whole weeks: a week is "on or after" ref when its Sunday is
        mon = monday_of(ref)
        if role == DUE:
            ok = [f for f in cands if f + dt.timedelta(days=2) >= ref]
            return min(ok) if ok else None
        if role == DELIVERED:
            ok = [f for f in cands if f - dt.timedelta(days=4) <= ref]
            return max(ok) if ok else None
        return nearest(cands, mon + dt.timedelta(days=4))


@dataclass(frozen=True)
class Range(Spec):
    """'Dec 8-12': due on the last day."""

    first: Spec
    last: Spec

    def resolve(self, ref: dt.date, role: str) -> dt.date | None:
        return self.last.resolve(ref, role)

    def resolve_first(self, ref: dt.date, role: str) -> dt.date | None:
        end = self.resolve(ref, role)
        if end is None:
            return None
        first = self.first
        if isinstance(first, Yearly) and first.year is None:
            cands = [d for y in (end.year - 1, end.year) if (d := first.on_year(y)) and d <= end]
            return max(cands) if cands else None
        return first.resolve(ref, role)


Resolver = Callable[[dt.date, str], "dt.date | None"]
