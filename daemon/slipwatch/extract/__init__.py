"""Reading vendor mail: finding dates, milestones and their status."""

from slipwatch.extract.extractor import extract
from slipwatch.extract.model import Milestone

__all__ = ["Milestone", "extract"]
