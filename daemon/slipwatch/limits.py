"""Bounds on what one message may make slipwatch do.

A shared mailbox receives hostile mail too: 10,000 MIME parts, messages nested
a hundred deep, a 50 MB attachment, a calendar of 100,000 events, a zip bomb.
Past a bound the message is recorded as failed with the bound it broke (and
kept), and the daemon goes on. Reading and extracting one message also has a
time budget, so no input can stall the loop; a message past it fails for good,
since reading it again would hold up the mail behind it again.
"""

from __future__ import annotations

import contextlib
import email
import signal
import threading
from collections.abc import Iterator
from email.message import Message
from email.policy import compat32
from typing import BinaryIO

from slipwatch.config import LimitsConfig
from slipwatch.errors import LimitExceeded, ReadingTimedOut


def parse_checked(raw: bytes, limits: LimitsConfig) -> Message:
    """The message's MIME tree, parsed once for the checks and the reader, after its part count,
    message/rfc822 nesting and attachment sizes are checked: before anything reads the message."""
    try:
        tree = email.message_from_bytes(raw, policy=compat32)
    except RecursionError:
        raise LimitExceeded("MIME parts nested too deep to parse (thousands of levels)") from None
    _check_structure(tree, limits)
    return tree


def _check_structure(tree: Message, limits: LimitsConfig) -> None:
    parts = 0
    stack: list[tuple[Message, int]] = [(tree, 0)]
    while stack:
        part, depth = stack.pop()
        parts += 1
        if parts > limits.max_parts:
            raise LimitExceeded(f"more than limits.max_parts = {limits.max_parts} MIME parts")
        if part.get_content_type() == "message/rfc822":
            depth += 1
            if depth > limits.max_depth:
                raise LimitExceeded(f"message/rfc822 nested deeper than limits.max_depth = {limits.max_depth}")
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((sub, depth) for sub in payload if isinstance(sub, Message))
        elif isinstance(payload, str) and len(payload) * 3 // 4 > limits.max_attachment_bytes:
            raise LimitExceeded(
                f"a {part.get_content_type()} part of about {len(payload) * 3 // 4} bytes, over "
                f"limits.max_attachment_bytes = {limits.max_attachment_bytes}"
            )


def read_bounded(stream: BinaryIO, limit: int, what: str) -> bytes:
    """At most `limit` bytes of a decompressing stream: a zip bomb stops here, not in memory."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"{what} decompresses to more than limits.max_attachment_bytes = {limit} bytes")
    return data


def check_count(count: int, limit: int, what: str, key: str) -> None:
    if count > limit:
        raise LimitExceeded(f"{what}: {count}, over limits.{key} = {limit}")


class _Expired(BaseException):
    """The alarm of `time_budget`. Not an Exception: no `except Exception` on the read path (and
    there are several, so that one broken part does not cost the others) can swallow it."""


@contextlib.contextmanager
def time_budget(seconds: float, what: str) -> Iterator[None]:
    """Interrupt the block after `seconds` with ReadingTimedOut (main thread only: elsewhere the
    block runs unbounded)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return
    armed = True

    def expired(signum: int, frame: object) -> None:
        if armed:  # an alarm that comes as the block ends is late, and ignored
            raise _Expired

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            armed = False
    except _Expired:
        raise ReadingTimedOut(f"{what} took longer than {seconds:g} s (limits.extract_seconds)") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
