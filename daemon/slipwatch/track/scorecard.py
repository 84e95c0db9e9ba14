"""The vendor record the core team reviews: on-time rate, slips, what is overdue or at risk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from slipwatch.track.query import MilestoneView


@dataclass(frozen=True)
class VendorRecord:
    vendor: str
    project: str | None  # None: all the vendor's milestones
    milestones: int
    delivered: int
    on_time: int
    on_time_rate: float | None  # of delivered milestones, those delivered by their baseline date
    slipped: int  # milestones whose date moved past the baseline
    slips: int  # times a date moved later, all milestones together
    mean_slip_days: float | None  # over slipped milestones
    worst_slip_days: int
    overdue: int
    at_risk: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _record(vendor: str, project: str | None, views: Sequence[MilestoneView]) -> VendorRecord:
    states = [v.state for v in views]
    delivered = [s for s in states if s.reported_status == "delivered"]
    on_time = [s for s in delivered if (s.late_days or 0) <= 0]
    slipped = [s.slip_days for s in states if s.slip_days > 0]
    return VendorRecord(
        vendor=vendor,
        project=project,
        milestones=len(states),
        delivered=len(delivered),
        on_time=len(on_time),
        on_time_rate=round(len(on_time) / len(delivered), 3) if delivered else None,
        slipped=len(slipped),
        slips=sum(s.slips for s in states),
        mean_slip_days=round(sum(slipped) / len(slipped), 1) if slipped else None,
        worst_slip_days=max(slipped, default=0),
        overdue=sum(1 for s in states if s.overdue),
        at_risk=sum(1 for s in states if s.reported_status == "at_risk"),
    )


def scorecard(views: Sequence[MilestoneView]) -> list[VendorRecord]:
    """One record per vendor, each followed by one per project of that vendor."""
    by_vendor: dict[str, list[MilestoneView]] = defaultdict(list)
    for v in views:
        if v.state.reported_status != "cancelled":
            by_vendor[v.vendor].append(v)
    out = []
    for vendor in sorted(by_vendor, key=str.casefold):
        mine = by_vendor[vendor]
        out.append(_record(vendor, None, mine))
        projects = sorted({v.project for v in mine if v.project}, key=str.casefold)
        out.extend(_record(vendor, p, [v for v in mine if v.project == p]) for p in projects)
    return out
