"""The Jinja2 environment of everything publish renders for people: digests and the schedule pages."""

from __future__ import annotations

import jinja2

from slipwatch.sanitise import one_line

env = jinja2.Environment(
    loader=jinja2.PackageLoader("slipwatch.publish", "templates"),
    # the templates are named *.html.j2: the default rule (names ending in .html) would not escape them
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    # every value a template prints, before HTML escaping: a vendor's line break would forge a line
    finalize=lambda value: one_line(value) if isinstance(value, str) else value,
)
