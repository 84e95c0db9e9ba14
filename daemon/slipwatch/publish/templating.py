"""The Jinja2 environment of everything publish renders for people: digests and the schedule pages."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from slipwatch.sanitise import one_line


def _finalize(value: object) -> object:
    """Every value a template prints, before HTML escaping: a vendor's line break would forge a line.

    Markup is what a template made itself (a block it `set`): already escaped, and ours.
    """
    if not isinstance(value, str) or isinstance(value, Markup):
        return value
    # printable ASCII has nothing to show (a page of 5,000 milestones prints 70,000 values)
    return value if value.isascii() and value.isprintable() else one_line(value)


env = jinja2.Environment(
    loader=jinja2.PackageLoader("slipwatch.publish", "templates"),
    # the templates are named *.html.j2: the default rule (names ending in .html) would not escape them
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    finalize=_finalize,
)
