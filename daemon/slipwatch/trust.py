"""Who may write into a team's schedule, and on what evidence.

A shared mailbox receives anything. The sender of a mail is the one address
of its From header as it arrived (slipwatch.mail.addresses: never a display
name). A message is trusted when that sender is staff forwarding it (an
address in `organisation.domains`, or a team member), staff writing directly
(a correction), or a configured vendor writing directly; and when our own
receiving server vouches for that From: among its Authentication-Results
(those whose authserv-id is `trust.authserv_id`; any other header is the
sender's to write) a `dmarc=pass` for the From's domain, or, where that
domain publishes no DMARC policy (`dmarc=none`), a passing DKIM signature of
the domain or a parent of it. A forwarded vendor's own address is what the
forwarder vouches for. Anything else is kept but quarantined with the reason:
stored, listed by `slipwatch quarantine`, releasable, and never in a feed or
a digest.

What the header block settles is settled before the body is read (`screen`):
a sender who is neither staff nor a configured vendor, or one our server does
not vouch for, is quarantined unread, so that no body made to hold up the
reader runs for someone who cannot write into the schedule anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import Message

from slipwatch.config import Config
from slipwatch.mail import authres
from slipwatch.mail.addresses import header_sender
from slipwatch.mail.mime import parse_headers, raw_headers
from slipwatch.mail.model import VendorMessage

# results a domain without a DMARC record gets: "none" (RFC 7489), "bestguesspass" (Microsoft's guess)
_NO_POLICY = frozenset({"none", "bestguesspass"})


@dataclass(frozen=True)
class Verdict:
    trusted: bool
    reason: str


def screen(headers: Message, config: Config) -> Verdict | None:
    """The verdict the header block settles before the body is read; None when the body decides
    (whether the mail forwards a vendor's, and whose: `assess`).

    However the body reads, a message is trusted only when the one address of its From is staff,
    a team member or (writing directly) a configured vendor, and our server vouches for it.
    """
    if config.trust.mode == "off":
        return None
    sender = header_sender(raw_headers(headers, "From"))
    if sender.address is None:
        return Verdict(False, sender.problem or "no sender address")
    if not is_staff(sender.address, config) and config.vendor_for_address(sender.address) is None:
        return Verdict(False, f"sent by {sender.address}, who is not staff (organisation.domains), a team member "
                              "or a configured vendor ([[vendors]] domains)")
    assert config.trust.authserv_id is not None  # required with trust on (config.py)
    problem = authentication_problem(sender.address, headers, config.trust.authserv_id)
    return Verdict(False, problem) if problem else None


def assess(vm: VendorMessage, headers: Message, config: Config) -> Verdict:
    """Whether a message may write into the schedule, and why."""
    if config.trust.mode == "off":
        return Verdict(True, "trust checks are off")
    sender = vm.forwarded_by or vm.author  # the From of the mail as it arrived
    if vm.from_problem or not sender:
        return Verdict(False, vm.from_problem or "no sender address")
    claim = _claim(vm, config)
    if not claim.trusted:
        return claim
    assert config.trust.authserv_id is not None  # required with trust on (config.py)
    problem = authentication_problem(sender, headers, config.trust.authserv_id)
    return Verdict(False, problem) if problem else claim


def _claim(vm: VendorMessage, config: Config) -> Verdict:
    """Whether the sender, as named, is one who may write: staff or a configured vendor."""
    if vm.forwarded_by:
        if is_staff(vm.forwarded_by, config):
            return Verdict(True, f"forwarded by staff ({vm.forwarded_by})")
        return Verdict(False, f"forwarded by {vm.forwarded_by}, who is not staff (organisation.domains) "
                              "nor a team member")
    if is_staff(vm.author, config):
        return Verdict(True, f"written by staff ({vm.author})")
    vendor = config.vendor_for_address(vm.author)
    if vendor is not None:
        return Verdict(True, f"sent directly by {vendor.name} ({vm.author})")
    return Verdict(False, f"sent directly by {vm.author}, whose domain is no configured vendor's ([[vendors]] domains)")


def is_staff(address: str | None, config: Config) -> bool:
    """A member of staff (an address in organisation.domains) or of a team."""
    members = {m.lower() for t in config.teams for m in t.members}
    return _domain(address) in {d.lower() for d in config.organisation.domains} or (address or "").lower() in members


def authentication_problem(sender: str, headers: Message, authserv_id: str) -> str | None:
    """Why our receiving server's Authentication-Results do not vouch for the sender's domain; None when they do."""
    domain = _domain(sender)
    ours = [h for h in _parsed(headers) if h.authserv_id == authserv_id.lower()]
    if not ours:
        return f"no Authentication-Results from {authserv_id}"
    results = [r for h in ours for r in h.results]
    where = f"the Authentication-Results of {authserv_id}"
    dmarc = [r.result for r in results if r.method == "dmarc" and _same(r.get("header.from"), domain)]
    if not dmarc:
        return f"no DMARC result for {domain} in {where}"
    failed = [result for result in dmarc if result != "pass" and result not in _NO_POLICY]
    if failed:
        return f"DMARC {failed[0]} for {domain} ({where})"
    if all(result == "pass" for result in dmarc):
        return None
    if any(r.method == "dkim" and r.result == "pass" and _aligned(r.get("header.d"), domain) for r in results):
        return None
    return f"{domain} publishes no DMARC policy (dmarc=none) and no DKIM signature of {domain} passed ({where})"


def _parsed(headers: Message) -> list[authres.AuthResults]:
    return [authres.parse(value) for value in raw_headers(headers, "Authentication-Results")]


def _domain(address: str | None) -> str:
    return _name((address or "").rpartition("@")[2])


def _name(domain: str | None) -> str:
    """A domain in one form: lower case, no trailing dot, IDNA A-labels."""
    name = (domain or "").strip().rstrip(".").lower()
    try:
        return name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        return name


def _same(domain: str | None, sender_domain: str) -> bool:
    return bool(domain) and _name(domain) == sender_domain


def _aligned(signer: str | None, sender_domain: str) -> bool:
    """DKIM relaxed alignment: the signing domain is the sender's domain or a parent of it (not a bare TLD)."""
    d = _name(signer)
    return "." in d and (d == sender_domain or sender_domain.endswith("." + d))


@dataclass(frozen=True)
class Seen:
    """The authserv-ids of the Authentication-Results in some stored messages."""

    messages: int  # how many messages were looked at
    count: Counter[str]  # messages holding a header of that authserv-id
    topmost: Counter[str]  # messages whose first such header is of that authserv-id (the last server's)

    def describe(self) -> str:
        """`mx.a.example (topmost in 48), relay.b.example (in 3)`, the likeliest receiving server first."""
        parts = []
        for name in sorted(self.count, key=lambda i: (-self.topmost[i], -self.count[i], i)):
            top, seen = self.topmost[name], self.count[name]
            label = name or "(no authserv-id, as Microsoft 365 writes them)"
            where = f"topmost in {top}" if top == seen else f"in {seen}, topmost in {top}" if top else f"in {seen}"
            parts.append(f"{label} ({where})")
        return ", ".join(parts)

    @property
    def likeliest(self) -> str | None:
        """The authserv-id topmost in most messages: our receiving server's, as each server adds its header on top."""
        named = [i for i in self.topmost if i]
        return max(named, key=lambda i: (self.topmost[i], self.count[i])) if named else None


def seen_authserv_ids(raws: Iterable[bytes]) -> Seen:
    """Which servers wrote the Authentication-Results of these raw messages ("" for a header naming none)."""
    messages, count, topmost = 0, Counter[str](), Counter[str]()
    for raw in raws:
        messages += 1
        ids = [h.authserv_id or "" for h in _parsed(parse_headers(raw))]
        count.update(set(ids))
        if ids:
            topmost[ids[0]] += 1
    return Seen(messages, count, topmost)
