"""When a mail was sent, as far as slipwatch believes it: its own date, up to when it arrived.

The date a mail gives (its Date header, a forward's date line) is its sender's
clock, and anyone's to write: a mail dated a year ahead would stay the newest
word on its milestones for that year, outranking every later mail and
correction. No mail is sent after it arrived (at our server: the Maildir
delivery, the IMAP INTERNALDATE; else when slipwatch read it), so a date later
than that by more than MAX_CLOCK_SKEW is not believed: the mail counts as sent
when it arrived, in the offset it was written in, with a note saying so. A
mail that gives no date was sent when it arrived.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from slipwatch.mail.model import VendorMessage, format_instant

#: How far ahead of the arrival a sender's clock may run and still be believed.
MAX_CLOCK_SKEW = dt.timedelta(minutes=15)


def believed(vm: VendorMessage, received: dt.datetime) -> VendorMessage:
    """The message with the send time slipwatch goes by, given when it arrived."""
    if vm.sent is None:
        return dataclasses.replace(vm, sent=received)
    if vm.sent <= received + MAX_CLOCK_SKEW:
        return vm
    note = (f"the mail says it was sent {format_instant(vm.sent)}, later than it arrived "
            f"({received.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC) by more than "
            f"{MAX_CLOCK_SKEW.total_seconds() / 60:.0f} minutes: read as sent when it arrived")
    return dataclasses.replace(vm, sent=received.astimezone(vm.sent.tzinfo), problems=(*vm.problems, note))
