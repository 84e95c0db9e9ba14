"""Waiting between attempts: exponential backoff with jitter, shared by IMAP and SMTP."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff(failures: int, base: float, cap: float, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait after `failures` consecutive failures: doubling, capped, with jitter in its upper half."""
    ceiling = min(cap, base * 2 ** max(0, failures - 1))
    return ceiling / 2 + rng() * ceiling / 2
