"""Reading vendor mail: finding dates, milestones and their status.

`extract` is imported on first use: its grammar compiles hundreds of patterns, which commands that only
read the store (and `slipwatch.extract.model`'s users) should not pay for.
"""

from typing import Any

__all__ = ["Milestone", "extract"]


def __getattr__(name: str) -> Any:
    if name == "extract":
        from slipwatch.extract.extractor import extract

        return extract
    if name == "Milestone":
        from slipwatch.extract.model import Milestone

        return Milestone
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
