"""A milestone's state from its revisions: current due, baseline, slips, overdue, lateness."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace

import pytest

from slipwatch.track.timeline import Revision, current_since, derive, due_moment, ordered, slips, working_days

IST = zoneinfo.ZoneInfo("Asia/Kolkata")


def rev(n: int, sent: str, due: str | None, status: str = "planned", previous: str | None = None,
        kind: str = "mail", amends: int | None = None) -> Revision:
    return Revision(id=n, sent=dt.datetime.fromisoformat(sent), due=due, status=status, previous_due=previous,
                    kind=kind, amends=amends)


PLAN = rev(1, "2026-11-02T10:00+05:30", "2026-11-20")
SLIP = rev(2, "2026-11-17T09:00+05:30", "2026-11-27", "delayed", "2026-11-20")
SLIP2 = rev(3, "2026-11-25T09:00+05:30", "2026-12-02", "delayed", "2026-11-27")
DONE = rev(4, "2026-12-03T09:00+05:30", "2026-12-03", "delivered")
LATER = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)


def test_planned_slipped_twice_then_delivered_late():
    s = derive([PLAN, SLIP, SLIP2, DONE], IST, LATER)
    assert (s.status, s.due, s.baseline_due) == ("delivered", "2026-12-02", "2026-11-20")
    assert (s.slip_days, s.slip_working_days, s.slips) == (12, 8, 2)
    assert (s.delivered_at, s.late_days, s.overdue) == ("2026-12-03", 13, False)


def test_a_late_arriving_older_mail_does_not_overwrite_a_newer_one():
    assert derive([SLIP, PLAN], IST, LATER).due == "2026-11-27"
    assert derive([PLAN, SLIP], IST, LATER).due == "2026-11-27"


def test_the_first_mail_may_already_report_a_move():
    s = derive([SLIP], IST, LATER)
    assert (s.baseline_due, s.slip_days, s.slips) == ("2026-11-20", 7, 1)


def test_a_date_moved_earlier_is_no_slip():
    earlier = rev(2, "2026-11-10T09:00+05:30", "2026-11-18", "planned", "2026-11-20")
    s = derive([PLAN, earlier], IST, LATER)
    assert (s.slip_days, s.slips) == (-2, 0)


@pytest.mark.parametrize(
    "as_of, overdue",
    [
        ("2026-11-20T23:59+05:30", False),  # the due day is not over yet in the vendor's zone
        ("2026-11-21T00:00+05:30", True),
        ("2026-11-20T18:29+00:00", False),  # 23:59 in Kolkata
        ("2026-11-20T18:30+00:00", True),
    ],
)
def test_a_date_is_overdue_when_its_day_ends_in_the_vendors_zone(as_of, overdue):
    s = derive([PLAN], IST, dt.datetime.fromisoformat(as_of))
    assert s.overdue is overdue and s.status == ("overdue" if overdue else "planned")


def test_an_instant_is_overdue_the_moment_it_passes():
    r = rev(1, "2026-11-02T10:00+05:30", "2026-11-27T18:00+05:30")
    assert not derive([r], IST, dt.datetime(2026, 11, 27, 12, 29, tzinfo=dt.UTC)).overdue
    assert derive([r], IST, dt.datetime(2026, 11, 27, 12, 30, tzinfo=dt.UTC)).overdue


def test_delivered_and_cancelled_are_never_overdue():
    for status in ("delivered", "cancelled"):
        assert not derive([PLAN, rev(2, "2026-11-19T09:00+05:30", "2026-11-19", status)], IST, LATER).overdue


def test_as_of_sees_only_what_was_said_by_then():
    s = derive([PLAN, SLIP, SLIP2], IST, dt.datetime(2026, 11, 18, tzinfo=dt.UTC))
    assert (s.due, s.status) == ("2026-11-27", "delayed")


def test_delivered_early_counts_as_on_time():
    s = derive([PLAN, rev(2, "2026-11-18T09:00+05:30", "2026-11-18", "delivered")], IST, LATER)
    assert s.late_days == -2


@pytest.mark.parametrize(
    "start, end, expected",
    [("2026-11-20", "2026-11-27", 5), ("2026-11-20", "2026-11-23", 1), ("2026-11-21", "2026-11-22", 0),
     ("2026-11-27", "2026-11-20", -5), ("2026-11-20", "2026-11-20", 0)],
)
def test_working_days_skip_weekends(start, end, expected):
    assert working_days(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == expected


def test_due_moment_across_a_dst_change():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    # 25 October 2026 has 25 hours in Berlin: it ends at 23:00 UTC, not 22:00
    assert due_moment("2026-10-25", berlin) == dt.datetime(2026, 10, 25, 23, tzinfo=dt.UTC)
    assert due_moment("2026-10-25T09:00+01:00", berlin) == dt.datetime(2026, 10, 25, 8, tzinfo=dt.UTC)


# -- whose move it was: the vendor's record counts only the vendor's ------------

HOLD = rev(5, "2026-11-20T09:00+00:00", "2026-12-11", "delayed", "2026-11-27", kind="staff")  # "hold for our API"
AFTER_HOLD = rev(6, "2026-11-28T09:00+05:30", "2026-12-15", "delayed", "2026-12-11")


def test_a_staff_move_moves_the_date_but_is_no_slip_of_the_vendor():
    s = derive([PLAN, SLIP, HOLD], IST, LATER)
    assert (s.due, s.baseline_due, s.slip_days, s.slips, s.staff_days) == ("2026-12-11", "2026-11-20", 7, 1, 14)
    assert [(m.old, m.new) for m in slips([PLAN, SLIP, HOLD])] == [("2026-11-20", "2026-11-27")]


def test_a_vendor_move_after_a_staff_move_is_measured_from_the_staff_date():
    s = derive([PLAN, SLIP, HOLD, AFTER_HOLD], IST, LATER)
    # 20 Nov -> 15 Dec is 25 days: 7 + 4 the vendor's, 14 ours
    assert (s.slip_days, s.slip_working_days, s.slips, s.staff_days) == (11, 7, 2, 14)
    assert [(m.old, m.new, m.days) for m in slips([PLAN, SLIP, HOLD, AFTER_HOLD])] == [
        ("2026-11-20", "2026-11-27", 7), ("2026-12-11", "2026-12-15", 4)]


def test_lateness_after_a_staff_move_counts_only_what_the_vendor_moved():
    done = rev(7, "2026-12-16T09:00+05:30", "2026-12-16", "delivered")
    s = derive([PLAN, SLIP, HOLD, AFTER_HOLD, done], IST, LATER)
    assert s.late_days == 1 + 11  # a day past its last date, which it had moved 11 days itself


def test_a_rebaseline_measures_the_vendor_afresh():
    new_plan = rev(5, "2026-11-20T09:00+00:00", "2026-11-27", "planned", kind="rebaseline")
    slip2 = replace(SLIP2, id=6)  # recorded after the rebaseline, as its send time says
    s = derive([PLAN, SLIP, new_plan, slip2], IST, LATER)
    assert (s.baseline_due, s.slip_days, s.slips, s.staff_days) == ("2026-11-27", 5, 1, 0)
    on_the_new_date = rev(7, "2026-11-27T09:00+05:30", "2026-11-27", "delivered")
    assert derive([PLAN, SLIP, new_plan, on_the_new_date], IST, LATER).late_days == 0
    assert len(slips([PLAN, SLIP, new_plan, slip2])) == 2  # the history keeps the slip before it


def test_a_rebaseline_to_another_date_moves_the_due_date_without_a_slip():
    new_plan = rev(5, "2026-11-20T09:00+00:00", "2026-12-11", "planned", "2026-11-27", kind="rebaseline")
    s = derive([PLAN, SLIP, new_plan], IST, LATER)
    assert (s.due, s.baseline_due, s.slip_days, s.slips, s.staff_days) == ("2026-12-11", "2026-12-11", 0, 0, 0)


def test_a_misread_fix_counts_every_mail_that_gave_the_date_as_read_right():
    confirm = rev(2, "2026-11-10T09:00+05:30", "2026-11-20")
    fix = rev(3, "2026-11-12T09:00+00:00", "2026-12-04", kind="correction", amends=1)
    s = derive([PLAN, confirm, fix], IST, LATER)
    assert (s.due, s.baseline_due, s.slip_days, s.slips) == ("2026-12-04", "2026-12-04", 0, 0)
    # as it stood before the fix was made, the misread stands
    assert derive([PLAN, confirm, fix], IST, dt.datetime(2026, 11, 11, tzinfo=dt.UTC)).due == "2026-11-20"


def test_a_misread_fix_of_a_slip_mail_gives_the_slip_its_true_size():
    fix = rev(3, "2026-11-18T09:00+00:00", "2026-12-04", kind="correction", amends=2)
    s = derive([PLAN, SLIP, fix], IST, LATER)
    assert (s.due, s.baseline_due, s.slip_days, s.slips) == ("2026-12-04", "2026-11-20", 14, 1)


def test_a_misread_fix_amends_the_mails_since_the_date_last_changed():
    back = rev(3, "2026-11-19T09:00+05:30", "2026-11-20", "planned", "2026-11-27")
    confirm = rev(4, "2026-11-20T09:00+05:30", "2026-11-20")
    assert current_since([PLAN, SLIP, back, confirm]).id == 3


# -- the order of revisions: mail by its send time, a person's change by when it was recorded -----------------


def test_a_correction_counts_after_every_revision_recorded_before_it():
    """A mail whose clock ran ahead (believed within the skew), then a correction made at once: the
    correction answers that mail, so it is the newer, whatever the two clocks said."""
    ahead = rev(2, "2026-11-24T12:10+00:00", "2026-11-27", "delayed", "2026-11-20")
    fix = rev(3, "2026-11-24T12:00+00:00", "2026-11-20", "at_risk", kind="correction")
    assert [r.id for r in ordered([PLAN, fix, ahead])] == [1, 2, 3]
    assert derive([PLAN, ahead, fix], IST, LATER).reported_status == "at_risk"


def test_a_late_older_mail_still_goes_before_a_correction_made_after_it_was_sent():
    fix = rev(2, "2026-11-18T09:00+00:00", "2026-11-20", "at_risk", kind="correction")
    late = replace(SLIP, id=3)  # sent 17 November, recorded after the correction
    assert [r.id for r in ordered([PLAN, fix, late])] == [1, 3, 2]
    assert derive([PLAN, fix, late], IST, LATER).reported_status == "at_risk"
