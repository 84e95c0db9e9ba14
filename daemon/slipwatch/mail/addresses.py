"""Who a message is from, as its From header says it: one address, never its display name.

The header is read raw by `email.headerregistry` (RFC 5322): RFC 2047 encoded
words are decoded in the display name only, after the address was taken, so
`=?utf-8?q?maya.chen=40fernhill.example?= <attacker@evil.example>` is
attacker@evil.example with a display name that reads like staff. A From that
does not parse, or that names several addresses or none, names no sender:
`Sender.problem` says why, and trust (slipwatch.trust) keeps such mail out.
"""

from __future__ import annotations

import email.errors
from collections.abc import Sequence
from dataclasses import dataclass
from email.policy import default

# The stdlib header parser is quadratic on some inputs (runs of quotes or backslashes) and recursive on
# nested comments: a From line longer than any real one is refused unread.
MAX_FROM_CHARS = 1000


@dataclass(frozen=True)
class Sender:
    """The sender a From header names: its address (lower case) and display name, or the problem."""

    address: str | None
    name: str | None = None
    problem: str | None = None


def header_sender(values: Sequence[str]) -> Sender:
    """The one sender of a message whose From header fields hold `values` (raw, folded, undecoded)."""
    if not values:
        return Sender(None, problem="no From header")
    if len(values) > 1:
        return Sender(None, problem=f"{len(values)} From headers")
    value = " ".join(values[0].split())
    if len(value) > MAX_FROM_CHARS:
        return Sender(None, problem=f"the From header is over {MAX_FROM_CHARS} characters")
    try:
        header = default.header_factory("From", value)
        addresses = header.addresses
    except Exception:  # noqa: BLE001 - the stdlib parser raises odd errors on hostile input
        return Sender(None, problem="the From header is malformed")
    usable = [a for a in addresses if a.username and a.domain]
    if not usable:
        return Sender(None, problem="the From header names no address")
    if any(isinstance(d, email.errors.InvalidHeaderDefect) for d in header.defects):
        # e.g. `maya.chen@fernhill.example <attacker@evil.example>`, where the parser would take the first
        return Sender(None, problem=f"the From header is malformed: {value[:80]}")
    if len(addresses) > 1:
        listed = ", ".join(a.addr_spec for a in addresses)
        return Sender(None, problem=f"the From header names {len(addresses)} addresses ({listed[:120]})")
    (address,) = usable
    return Sender(address.addr_spec.lower(), address.display_name or None)
