"""Who may write into a team's schedule.

A shared mailbox receives anything. A message is trusted when a member of
staff forwarded it (an address in `organisation.domains`, or a team member),
or when it came straight from a configured vendor's domain, or straight from
staff (a correction). Anything else is kept but quarantined: stored, listed
by `slipwatch quarantine`, releasable, and never in a feed or a digest.

A From header is easy to forge, so the verdict of the receiving server counts
first: when its Authentication-Results header says DMARC failed, the message
is quarantined whoever it claims to be from. Only the topmost such header is
read (the one our own server added; the ones below it came with the message),
or the one whose authserv-id is `trust.authserv_id` when that is set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from slipwatch.config import Config
from slipwatch.mail.model import VendorMessage

_DMARC = re.compile(r"\bdmarc\s*=\s*([a-z]+)", re.I)


@dataclass(frozen=True)
class Verdict:
    trusted: bool
    reason: str


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].lower()


def dmarc_result(headers: Message, authserv_id: str | None) -> str | None:
    """The DMARC result our receiving server recorded ("pass", "fail", ...), or None."""
    for value in headers.get_all("Authentication-Results") or []:
        text = str(value)
        server = text.split(";", 1)[0].strip().split()[0] if text.strip() else ""
        if authserv_id and server.lower() != authserv_id.lower():
            continue
        match = _DMARC.search(text)
        return match.group(1).lower() if match else None
    return None


def assess(vm: VendorMessage, headers: Message, config: Config) -> Verdict:
    """Whether a message may write into the schedule, and why."""
    if config.trust.mode == "off":
        return Verdict(True, "trust checks are off")
    outer = vm.forwarded_by or vm.author
    if dmarc_result(headers, config.trust.authserv_id) == "fail":
        return Verdict(False, f"DMARC failed for the sender {outer} (Authentication-Results)")
    staff = {d.lower() for d in config.organisation.domains}
    members = {m.lower() for t in config.teams for m in t.members}
    if vm.forwarded_by:
        if _domain(vm.forwarded_by) in staff or vm.forwarded_by.lower() in members:
            return Verdict(True, f"forwarded by staff ({vm.forwarded_by})")
        return Verdict(False, f"forwarded by {vm.forwarded_by}, who is not staff (organisation.domains) "
                              "nor a team member")
    if _domain(vm.author) in staff or (vm.author or "").lower() in members:
        return Verdict(True, f"written by staff ({vm.author})")
    vendor = config.vendor_for_address(vm.author)
    if vendor is not None:
        return Verdict(True, f"sent directly by {vendor.name} ({vm.author})")
    return Verdict(False, f"sent directly by {vm.author}, whose domain is no configured vendor's ([[vendors]] domains)")
