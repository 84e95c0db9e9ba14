"""Status tables (HTML, plain-text " | " layouts, CSV attachments) as items.

Columns are found by their headings, in any order and in every language of
the registry (its field words, lang/*.json "fields"; bilingual headings like
"Entregable / Deliverable" included): the item name, its planned date, a
revised date, a status, a comment. The heading row may sit under a title row.
When headings say nothing, a column whose cells are dates is the date column.
Start dates, durations, owners and week numbers are not read.

The name column is the one whose heading names a milestone or task; a
product, style or SKU column only labels the row ("CL-101 | Strike-off").

A row reads as RULES.md says: Done / 100 % = delivered on the row's date (or
on the date the status cell gives: "Delivered on 3 Dec"); Stuck / Blocked /
Amber without a new date = at risk; a revised date later than the planned
one = delayed (earlier = planned), with the planned date as `previous_due`;
Descoped / Cancelled keep the planned date. A comment that says the item is
done or descoped outranks a RAG colour ("Green | ... | Complete – signed off").
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import io
import zipfile
import zlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from slipwatch.config import LimitsConfig
from slipwatch.limits import check_count, read_bounded
from slipwatch.mail import delimited
from slipwatch.mail.model import Attachment, Table

from . import dates as grammar
from . import specs as S
from .structure import TABLE_ROW, aligned_blocks
from .zones import ZONE_PATTERN
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import OLD_MARK, settle
from .names import clean_name, first_verb, is_vague, subject_name
from .noise import is_meeting
from .status import Cue, cell_status, read_status
from .words import FIELD_WORDS, cue_regex, field_role, heading_role

log = logging.getLogger(__name__)

_I = re.IGNORECASE

# The roles of columns, named as the language registry's field words name them (lang/*.json "fields").
NAME, GROUP, LABEL, DUE, BASELINE, REVISED, ACTUAL, STATUS, START, NOTE, STAMP, DATE, WEEK, OWNER, CODE, OTHER = (
    "name", "group", "label", "due", "previous", "revised", "actual", "status", "start", "note", "stamp", "date",
    "week", "owner", "code", "other")

_EMPTY_CELL = re.compile(r"^[\s\-–—/?]*(?:n/?a|tbc|tbd|none|pending|-)?[\s\-–—/?]*$", _I)


@dataclass(frozen=True)
class Columns:
    """Where a table keeps what a milestone needs (column indexes); `header`
    is the row that heads the table (a title row may sit above it; -1 when the
    table has no heading row). `due` holds the plan, `revised` the forecast,
    `actual` the day it was done; `flags` are more status columns (a RAG colour,
    a % complete) read along with `status`."""

    name: int
    due: int
    revised: int | None = None
    status: int | None = None
    note: int | None = None
    header: int = 0
    label: int | None = None  # what a row is about when the name column repeats a step
    actual: int | None = None
    flags: tuple[int, ...] = ()
    matrix: tuple[int, ...] = ()  # date columns that each date a milestone their heading names
    weeks: tuple[int, ...] = ()  # a plan chart's columns, each headed by a week or a day, marked on a row's weeks


def _body(table: Table, header: int) -> tuple[tuple[str, ...], ...]:
    return table.rows[header + 1:]


def _filled(table: Table, col: int, header: int) -> list[str]:
    return [row[col] for row in _body(table, header) if col < len(row) and not _EMPTY_CELL.match(row[col])]


def _date_share(table: Table, col: int, header: int, reading: Reading) -> float:
    cells = _filled(table, col, header)
    if not cells:
        return 0.0
    dated = 0
    for cell in cells:
        found = grammar.find_dates(cell, reading.sent, day_first=reading.day_first)
        rest = cell
        for m in reversed(found):
            rest = f"{rest[:m.start]} {rest[m.end:]}"
        # a date, or a date with a status word ("Completed Apr 17", "24 Mar (done)")
        if found and (sum(m.end - m.start for m in found) >= 0.5 * len(cell.strip())
                      or len(rest.split()) <= 2 and cell_status(rest) is not None or _labelled_date(cell, reading)):
            dated += 1
    return dated / len(cells)


def _status_share(table: Table, col: int, header: int) -> float:
    """How many of a column's cells are status words ("Done", "Stuck", "Working on it")."""
    cells = _filled(table, col, header)
    if not cells:
        return 0.0
    return sum(len(cell.split()) <= 4 and cell_status(cell) is not None for cell in cells) / len(cells)


def _dated(table: Table, col: int, header: int, reading: Reading) -> bool:
    return any(grammar.find_dates(cell, reading.sent, day_first=reading.day_first)
               for cell in _filled(table, col, header))


def _repeats(table: Table, col: int, header: int) -> bool:
    """True when a column names the same thing on two rows ("Glazing", "Glazing"):
    a step done to several products, which another column tells apart."""
    cells = [row[col].strip().lower() for row in _body(table, header) if col < len(row) and row[col].strip()]
    return len(set(cells)) < len(cells)


_HEADING_WORDS_AT_MOST = 6


def _roles(row: Sequence[str]) -> dict[str, list[int]]:
    """The columns each role's heading names; a bare "Date" or "When" column is the due date."""
    roles: dict[str, list[int]] = {}
    for col, heading in enumerate(row):
        heading = heading.replace("_", " ")  # an export's field name: "embarque_previsto"
        if len(heading.split()) > _HEADING_WORDS_AT_MOST:
            continue  # a sentence, not a heading
        role = heading_role(heading)
        # a tool's other fields ("Version", "Project", "Sprint") may well name the rows
        if role is not None and role != OTHER:
            roles.setdefault(DUE if role == DATE else role, []).append(col)
    return roles


# Roles that set a column apart without telling a heading row from a row of data ("Team", "No.").
_ASIDE = (WEEK, OWNER, CODE)


def _telling(row: Sequence[str]) -> int:
    """How many cells of a row name a role that only a heading names."""
    return sum(len(cols) for role, cols in _roles(row).items() if role not in _ASIDE)


def heads(row: Sequence[str]) -> bool:
    """True when a row names the roles of two columns or more and holds no number."""
    return not any(_DIGITS.search(cell) for cell in row) and _telling(row) >= 2


def _header_row(table: Table, reading: Reading) -> int:
    """The heading row: the first of the top rows with two cells that name a role
    (a title row such as "Status – week 42" may sit above it); -1 when the first
    row names no role and holds a date, so that it is a row like the others."""
    for i, row in enumerate(table.rows[:3]):
        if heads(row):
            # a heading over two ("Dates" over "Due | Revised"): the lower row names the columns
            while i + 1 < len(table.rows) and heads(table.rows[i + 1]):
                i += 1
            return i
    first = table.rows[0]
    if not first[0].strip() and len(first) >= 3:
        return 0  # a blank corner over the rows' names: a plan chart's weeks or days head the columns
    if not _telling(first) and any(grammar.find_dates(cell, reading.sent, day_first=reading.day_first) for cell in first):
        return -1
    if any(_labelled_date(cell, reading) for cell in first):
        return -1  # "Due: 03/02/27" in its cell: a tool's list of items without a heading row
    return 0


def _labelled_date(cell: str, reading: Reading) -> bool:
    """True for a cell that is a date field, label and value: "Vencimiento: 03/02/27", "Due 12 Nov"."""
    found = grammar.find_dates(cell, reading.sent, day_first=reading.day_first)
    if len(found) != 1 or not cell[:found[0].start].strip():
        return False
    return field_role(cell[:found[0].start].strip().rstrip(":：").strip()) in (DUE, DATE, REVISED)


def _dates(roles: dict[str, list[int]]) -> tuple[int, int | None] | None:
    """The plan and the forecast columns: "Baseline finish" and "Finish" are the plan and
    the forecast, as are "Due" and "Revised"; "ETA" or "Forecast" alone is the date the row is due."""
    plan = roles.get(BASELINE, []) + roles.get(DUE, [])
    forecast = roles.get(REVISED, [])
    if not plan:
        plan, forecast = forecast, []
    if not plan:
        return None
    if forecast:
        return plan[0], forecast[0]
    return plan[0], plan[1] if len(plan) > 1 else None


def find_columns(table: Table, reading: Reading) -> Columns | None:
    """The columns of a milestone table, or None when it is not one."""
    top = _header_row(table, reading)
    if len(table.rows) < top + 2:
        return None
    width = max(len(row) for row in table.rows)
    header = (table.rows[top] if top >= 0 else ()) + ("",) * width  # rows may be ragged
    roles = _roles(header)
    # weeks, owners and codes tell rows apart without naming them: a row's name only when nothing else can be
    codes = roles.get(CODE, [])
    aside = sorted(c for role in _ASIDE for c in roles.pop(role, []))
    for role in (BASELINE, DUE, REVISED, ACTUAL):  # a date column left empty on every row is no date column
        roles[role] = [c for c in roles.get(role, []) if _filled(table, c, top)]
    dated = {c for role in (BASELINE, DUE, REVISED, ACTUAL) for c in roles[role] if _date_share(table, c, top, reading)}
    if dated:  # beside columns of dates, one headed as a date that dates nothing holds names ("Levering" | "Leverdatum")
        for role in (BASELINE, DUE, REVISED, ACTUAL):
            roles[role] = [c for c in roles[role] if c in dated]
    taken = {c for cols in roles.values() for c in cols}
    dates = _dates(roles)
    matrix: tuple[int, ...] = ()
    weeks: tuple[int, ...] = ()
    if dates is None:
        by_content = [c for c in range(width) if c not in taken and _date_share(table, c, top, reading) >= 0.6]
        weeks = () if by_content else _chart_columns(table, top, header, taken, reading)
        if weeks:
            by_content = [weeks[0]]
            taken |= set(weeks)
        if not by_content:
            return None
        if top >= 0 and len(by_content) >= 2 and all(header[c].strip() for c in by_content):
            # a date per column, each heading a milestone ("Branch point | First beta | Stable")
            matrix = tuple(by_content)
        dates = by_content[0], (by_content[1] if len(by_content) > 1 and not matrix else None)
        taken |= set(by_content)
    if not roles.get(STATUS):
        roles[STATUS] = [c for c in range(width) if c not in taken and _status_share(table, c, top) >= 0.6][:1]
        taken |= set(roles[STATUS])
    free = [c for c in range(width) if c not in taken]
    # a minutes' "Action" column may hold whose action it is ("GL", "H&P"), its "Item" the point's number ("7.1"),
    # and "Item | Description" over "10 | Aluminium frame": such a column names no row while another can
    headed = [c for c in roles.get(NAME, []) + roles.get(LABEL, [])
              if not _initials(table, c, top) and not _numbers_rows(table, c, top)]
    name_cols = (headed or roles.get(NAME) or roles.get(LABEL)
                 or _named_by_cells(table, top, [c for c in free if c not in aside], reading, codes)
                 or roles.get(GROUP) or free)
    if not name_cols:
        return None
    if not roles.get(NOTE):
        # no heading says so ("Variance", or none at all): a column beside the name that dates some rows
        # says how they moved ("+3 working days (forecast 18/11/2026)"); under a heading, one that dates
        # most rows ("Iter." over "W47") is a column of dates of its own
        roles[NOTE] = [c for c in free if c != name_cols[0] and _dated(table, c, top, reading)
                       and (top < 0 or _date_share(table, c, top, reading) < _MOSTLY)][:1]
    status = roles[STATUS][-1] if roles.get(STATUS) else None
    note = roles[NOTE][0] if roles.get(NOTE) else None
    label = roles[LABEL][0] if roles.get(NAME) and roles.get(LABEL) and roles[LABEL][0] != name_cols[0] \
        and _repeats(table, name_cols[0], top) else None
    actual = roles[ACTUAL][0] if roles.get(ACTUAL) else None
    flags = tuple(c for c in roles.get(STATUS, []) if c != status)
    return Columns(name=name_cols[0], due=dates[0], revised=dates[1], status=status, note=note, header=top,
                   label=label, actual=actual, flags=flags, matrix=matrix, weeks=weeks)


_MARK_WORDS_AT_MOST = 2  # "X", "■", "Green", "Go live": a chart's mark, not a sentence


def _chart_columns(table: Table, top: int, header: Sequence[str], taken: set[int], reading: Reading) -> tuple[int, ...]:
    """The columns of a plan chart ("Task | KW36 | KW37 | KW38", "Item | 2 Mar | 9 Mar"): two or more
    headings that are a week or a day and nothing else, over cells that only mark a row's weeks
    ("X", a filled cell: mail/html.py writes a colour as a word or "■"); () for any other table."""
    if top < 0:
        return ()
    cols = []
    for c, heading in enumerate(header):
        found = grammar.find_dates(heading, reading.sent, day_first=reading.day_first) if c not in taken else []
        if len(found) == 1 and found[0].end - found[0].start >= 0.6 * len(heading.strip()):
            cols.append(c)
    if len(cols) < 2:
        return ()
    marks = [cell for c in cols for cell in _filled(table, c, top)]
    if not marks or any(len(cell.split()) > _MARK_WORDS_AT_MOST for cell in marks):
        return ()
    return tuple(cols)


def _named_by_cells(table: Table, top: int, cols: Sequence[int], reading: Reading, codes: Sequence[int]) -> list[int]:
    """Of the columns whose headings say nothing, those that may name the rows: not a column of
    dates its heading did not claim ("Iter. | Date | Goal" over "W47 | 20 Nov | Pilot build"), and
    before a column that repeats a name down its rows (a merged cell: the project of three articles),
    one that names each row apart; a column that numbers the rows ("Pos. | Article" over "10 | Oxygen
    sensor") last (a version, "2.4.1", names its row). When they hold only figures and specs ("Spec |
    Unit price" over "1920x1080, MP4 | 212,00"), a code or channel column of words names the rows
    ("Channel" over "Radio 30s"); an owner's column never does."""
    # a column of status words never does (the colour a status cell is filled with, beside the "RAG" column)
    cols = [c for c in cols if _status_share(table, c, top) < 0.6]
    named = [c for c in cols if _date_share(table, c, top, reading) < 0.6] or list(cols)
    named = [c for c in named if not _repeats(table, c, top)] + [c for c in named if _repeats(table, c, top)]
    named = [c for c in named if not _numbers_rows(table, c, top)] + [c for c in named if _numbers_rows(table, c, top)]
    if any(_wordy(table, c, top) for c in named):
        return named
    return [c for c in codes if _wordy(table, c, top)] or named


_ROW_NO = re.compile(r"\s*\d{1,3}(?:\.\d{1,2})?[.)]?\s*")


def _numbers_rows(table: Table, col: int, header: int) -> bool:
    """True when most of a column's cells are a row's number ("10", "20", "3.", a minutes' "7.1")."""
    cells = _filled(table, col, header)
    return bool(cells) and sum(bool(_ROW_NO.fullmatch(cell)) for cell in cells) >= _MOSTLY * len(cells)


_INITIALS = re.compile(r"\s*[A-Z][A-Z&/.]{0,3}\s*")


def _initials(table: Table, col: int, header: int) -> bool:
    """True when most of a column's cells are people's initials ("GL", "H&P"): who, not what."""
    cells = _filled(table, col, header)
    return bool(cells) and sum(bool(_INITIALS.fullmatch(cell)) for cell in cells) >= _MOSTLY * len(cells)


_MOSTLY = 0.6
_WORDY = 0.6  # of a cell's letters and digits, letters: "Radio 30s", not "1920x1080, MP4" nor "212,00"


def _wordy(table: Table, col: int, header: int) -> bool:
    """True when most of a column's cells are words rather than figures."""
    cells = _filled(table, col, header)
    words = 0
    for cell in cells:
        letters = sum(ch.isalpha() for ch in cell)
        words += letters > 0 and letters >= _WORDY * sum(ch.isalnum() for ch in cell)
    return bool(cells) and words >= _MOSTLY * len(cells)


def _cell(row: Sequence[str], col: int | None) -> str:
    if col is None or col >= len(row) or _EMPTY_CELL.match(row[col]):
        return ""
    return row[col]


def table_milestones(table: Table, reading: Reading, *, origin: str) -> list[Milestone]:
    """The rows of a milestone table as items; [] for any other table. A document's table
    (`table.source`) names the attachment, sheet and row in each item's evidence."""
    table = _short_dates(table)
    cols = find_columns(table, reading)
    if cols is None:
        return []
    table = _coloured(table, cols)
    fields = _field_labels(table, cols)
    if fields is not None:
        return [_placed(item, table, None) for item in _field_item(table, cols, fields, reading, origin)]
    items = []
    summary = _summary_row(table, cols, reading)
    for at, row in enumerate(_body(table, cols.header), start=cols.header + 1):
        if at == summary:
            continue
        if cols.matrix:
            # "M142 | Mon Sep 29 | Wed Oct 01": the M142 branch point, the M142 first beta
            label = _name(row, cols)
            for col in cols.matrix:
                item = _row(row, dataclasses.replace(cols, due=col, matrix=()), reading, origin,
                            name=f"{label} {table.rows[cols.header][col]}".strip())
                items += [_placed(item, table, at)] if item is not None else []
            continue
        item = _charted(row, cols, table.rows[cols.header], reading, origin) if cols.weeks else _row(
            row, cols, reading, origin)
        if item is not None:
            items.append(_placed(item, table, at))
    return items


def _summary_row(table: Table, cols: Columns, reading: Reading) -> int | None:
    """The first row of a plan when it runs from the first start to the last finish of its rows and no
    other row does: a project's summary task (MS Project's task 0, "Harbour buoy (project summary)"),
    the project rather than a milestone of it. None for any other table."""
    heading = table.rows[cols.header] if cols.header >= 0 else ()
    start = next((c for c, h in enumerate(heading) if heading_role(h.replace("_", " ")) == START), None)
    body = _body(table, cols.header)
    if start is None or len(body) < 3:
        return None
    spans = []
    for row in body:
        first = grammar.find_dates(_cell(row, start), reading.sent, day_first=reading.day_first)
        last = grammar.find_dates(_cell(row, cols.due), reading.sent, day_first=reading.day_first)
        spans.append((first[0].when.date, last[0].when.date) if first and last else None)
    known = [span for span in spans if span is not None]
    if spans[0] is None or len(known) < 3:
        return None
    whole = (min(span[0] for span in known), max(span[1] for span in known))
    return cols.header + 1 if spans[0] == whole and spans.count(whole) == 1 else None


# "25-02": a day and a month with a hyphen, which prose uses for ranges and scores too
_SHORT_DATE = re.compile(r"(?<![\w-])(?P<a>[0-3]?\d)-(?P<b>[0-3]?\d)(?![\w-])")


def _short_date(cell: str) -> bool:
    m = _SHORT_DATE.fullmatch(cell.strip())
    return bool(m) and 1 <= min(int(m["a"]), int(m["b"])) <= 12 and max(int(m["a"]), int(m["b"])) <= 31


def _short_dates(table: Table) -> Table:
    """A table with a column of days written "25-02" (a planning's yearless dates), those days and the
    ones its other cells write alike ("was 25-02") written "25/02", as the date grammar reads them
    (in the sender's order of day and month). Elsewhere "10-12" may be a range; in such a column it is a day."""
    width = max((len(row) for row in table.rows), default=0)
    for col in range(width):
        cells = [row[col] for row in table.rows[1:] if col < len(row) and row[col].strip()]
        if len(cells) >= 2 and sum(map(_short_date, cells)) >= 0.6 * len(cells):
            break
    else:
        return table
    rows = tuple(tuple(_SHORT_DATE.sub(lambda m: f"{m['a']}/{m['b']}", cell) for cell in row) for row in table.rows)
    return dataclasses.replace(table, rows=rows)


def _coloured(table: Table, cols: Columns) -> Table:
    """A document's table whose status cells say nothing but are filled Red, Amber or Green,
    those cells saying their colour: a RAG status shown only as colour. Only in status columns,
    since spreadsheets colour headings, bands and whole rows for looks."""
    status_cols = {c for c in (cols.status, *cols.flags) if c is not None}
    if not table.fills or not status_cols:
        return table
    rows = tuple(
        tuple(fill if c in status_cols and not cell.strip() and fill in _RAG_WORDS else cell
              for c, (cell, fill) in enumerate(zip(row, fills)))
        for row, fills in zip(table.rows, table.fills))
    return dataclasses.replace(table, rows=rows)


_RAG_WORDS = frozenset({"Red", "Amber", "Green"})


def _placed(item: Milestone, table: Table, at: int | None) -> Milestone:
    """The item with where its document shows it ("plan.xlsx, sheet Plan, row 7: ...") before its evidence."""
    if not table.source:
        return item
    where = table.source
    if at is not None and at < len(table.row_numbers):
        where += f", row {table.row_numbers[at]}"
    return dataclasses.replace(item, evidence=f"{where}: {item.evidence}")


def _charted(row: Sequence[str], cols: Columns, header: Sequence[str], reading: Reading,
             origin: str) -> Milestone | None:
    """A plan chart's row: due in the last week it marks (a bar over weeks ends there), on that
    week's Friday (RULES.md) or the day its column names; its mark ("Red", "Done") or its status
    column says how it stands."""
    marked = [c for c in cols.weeks if _cell(row, c)]
    if not marked:
        return None
    # the row as a plain one: the marked column's heading is its date, the mark its status
    last = marked[-1]
    plain = (*row, header[last], row[last])
    status = cols.status if cols.status is not None else len(row) + 1
    return _row(plain, dataclasses.replace(cols, due=len(row), status=status, weeks=()), reading, origin)


def _field_labels(table: Table, cols: Columns) -> list[str | None] | None:
    """The roles of the rows of a table whose rows are a tool's fields of one item ("Field | New
    value | Old value" over "Target Date | 10/2/2026 | 9/30/2026", Azure DevOps): its name column
    holds field labels the registry knows, a date field among them. None for any other table."""
    roles = [field_role(row[cols.name]) if cols.name < len(row) else None for row in _body(table, cols.header)]
    if any(role in (DUE, REVISED) for role in roles) and 2 * sum(role is not None for role in roles) >= len(roles):
        return roles
    return None


def _field_item(table: Table, cols: Columns, roles: Sequence[str | None], reading: Reading,
                origin: str) -> list[Milestone]:
    """The item a table of fields dates: named by its name field, or else by the subject."""
    rows = _body(table, cols.header)
    named = [_cell(row, cols.revised) or _cell(row, cols.due) for row, role in zip(rows, roles) if role in (NAME, LABEL)]
    name = clean_name(named[0]) if named else reading.fallback_name
    items = [_row(row, cols, reading, origin, name=name) for row, role in zip(rows, roles) if role in (DUE, REVISED)]
    return [item for item in items if item is not None]


_SHORT_LABEL = 6  # words; a longer cell describes the row rather than naming it


# "01 Curage / démolition", "3. Pilot build", "2) Artwork": the row's number in a list of lots, not its name
# ("2 prototypes" keeps its count)
_ROW_NUMBER = re.compile(r"^\s*(?:0\d|\d{1,2}[.)])\s+(?=[^\W\d_])")


_LONG_NAME = 6  # words: more is a line item's description, not what a person calls the item
_SPEC_BREAK = re.compile(r"\s—\s|;")  # an en dash joins an item and its step ("Chair – print proof"): no break
_COMMA = re.compile(r",\s")


def _described(cell: str) -> str:
    """What a long description cell calls its item: its head before an em dash or a semicolon, and of
    its comma parts as many as make a name ("Aluminium frame, Vinga lounger, powder coated RAL 7021,
    incl. fixings" is "Aluminium frame, Vinga lounger"); a short cell whole."""
    if len(cell.split()) <= _LONG_NAME:
        return cell
    head = _SPEC_BREAK.split(cell, maxsplit=1)[0].strip() or cell
    parts = _COMMA.split(head)
    kept = parts[0]
    for part in parts[1:]:
        if len(kept.split()) >= _SHORT_NAME:
            break
        kept = f"{kept}, {part}"
    return kept


_SHORT_NAME = 4


def _name(row: Sequence[str], cols: Columns) -> str:
    """The row's item: "Dinner plate – Glazing" when a product or title column says
    what the step of the name column is done to ("Dinner plate | Glazing",
    "Side plate | Glazing")."""
    cell = _described(_ROW_NUMBER.sub("", _cell(row, cols.name)))
    # clean_name keeps a name written in Chinese or Japanese alone ("分支拉取"); beside a
    # translation, the translation names it ("物料齐套 Kitting")
    name = clean_name(cell)
    label = clean_name(_cell(row, cols.label))
    if not label or len(label.split()) > _SHORT_LABEL or label.lower() in name.lower():
        return name
    return f"{label} – {name}" if name else label


_ISO_DAY = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_MONTH_DAY_ISO = re.compile(r"(?<![\d-])(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d-])")


def _was(text: str, reading: Reading) -> str:
    """The date a cell says the item moved from ("OPEN (was 1 Jun)"), or ""."""
    for m in grammar.find_dates(text, reading.sent, day_first=reading.day_first):
        if OLD_MARK.search(text[max(0, m.start - 30):m.start]):
            return m.text
    # "2026-03-06（原 02-27）": an ISO cell writes the old day without the year
    iso = _ISO_DAY.search(text)
    short = _MONTH_DAY_ISO.search(text, iso.end()) if iso else None
    if iso and short and OLD_MARK.search(text[max(0, short.start() - 30):short.start()]):
        new = dt.date(int(iso["y"]), int(iso["m"]), int(iso["d"]))
        days = [day for year in (new.year - 1, new.year, new.year + 1)
                if (day := S.safe_date(year, int(short["m"]), int(short["d"]))) is not None]
        if days:
            return min(days, key=lambda day: abs((day - new).days)).isoformat()
    return ""


def _row(row: Sequence[str], cols: Columns, reading: Reading, origin: str, *, name: str = "") -> Milestone | None:
    name = name or _name(row, cols)
    note = _cell(row, cols.note)
    told = _cell(row, cols.name)
    subject = subject_name(told) if told.rstrip().endswith(".") and len(told.split()) >= _SENTENCE_WORDS \
        and first_verb(told) else ""
    if subject:
        # a minutes' point is a sentence ("First fix M&E slipped from 26/03 to 09/04 due to ..."): its subject
        # names the item and its words say how the item stands, as a comment would
        name, note = subject, f"{told} | {note}" if note else told
    if not name or is_vague(name) or is_meeting(name):
        return None
    status_cells = [cell for cell in (_cell(row, cols.status), *(_cell(row, c) for c in cols.flags)) if cell]
    status_text = " | ".join(status_cells)
    said = _said(status_cells, note)
    planned, revised = _cell(row, cols.due), _cell(row, cols.revised)
    actual = _cell(row, cols.actual) or _done_on(revised, reading) or _done_on(planned, reading)
    if actual and said != CANCELLED and grammar.find_dates(actual, reading.sent, day_first=reading.day_first):
        said, revised = DELIVERED, actual  # the day it was done
    elif said == DELIVERED and status_text:
        done_on = grammar.find_dates(status_text, reading.sent, day_first=reading.day_first)
        if done_on:
            revised = done_on[0].text  # "Delivered on 03.12" is the date it was done
    elif said in (None, PLANNED, DELAYED, AT_RISK) and status_text and not revised:
        # "Revised ETA 05-Dec-2025", "Now 19-Dec-2025", "26-Mar-2027 Amber": a date in the status column is
        # the forecast (a later one makes an amber row delayed, RULES.md)
        revised = _forecast(status_text, reading)
    if not revised and note and _moves(note, reading):
        # "moved to 19 Nov (client feedback)", "new date: 20 Nov": the comment gives the row's new date,
        # and the day it moved from when it says so ("changed the due date from 03/26 to 04/09")
        revised = _forecast(note, reading)
        planned = _was(note, reading) or planned if revised else planned
    was = ""
    if not revised:
        # "2026-03-06（原 02-27）", "OPEN (was 1 Jun)", "spostato dal 15.02": the date it moved from
        in_cell = _was(planned, reading)
        was = in_cell or _was(f"{status_text} | {note}", reading)
        planned = planned.replace(in_cell, " ") if in_cell else planned
    if was:
        planned, revised = was, planned
    # the two dates as a move ("A → B") so that moves.settle weighs them like prose
    line = f"{planned} → {revised}" if planned and revised else planned or revised
    matches = grammar.find_dates(line, reading.sent, day_first=reading.day_first)
    if not matches:
        return None
    words = read_status(line)
    # a date cell's words ("24 Mar (done)") outrank a neutral colour ("G")
    status = words.status if said in (None, PLANNED) and words.status != PLANNED else said or words.status
    if status == CANCELLED:
        return _item(name, matches[-1 if was else 0].value(reading.sent), None, CANCELLED, row, origin)
    cue = Cue(status=status, later=words.later or bool(revised), earlier=words.earlier, moved=bool(revised))
    timing = settle(line, matches, cue, reading.sent, default_today=False)
    if timing is None:
        return None
    final = timing.status
    if status in (AT_RISK, DELAYED) and timing.previous is None:
        final = status  # "Stuck" / "Delayed" with no new date to compare
    return _item(name, _timed(timing.due, _cell(row, cols.name), reading), timing.previous, final, row, origin)


def _done_on(cell: str, reading: Reading) -> str:
    """A date cell that says its day is the one the item was done ("24 May 2025 (A)", a shipping
    schedule's actual against its estimate; "hotovo 20. března 2026"): the cell, else ""."""
    found = grammar.find_dates(cell, reading.sent, day_first=reading.day_first)
    if len(found) != 1:
        return ""
    said = f"{cell[:found[0].start]} {cell[found[0].end:]}".strip()
    return cell if said and len(said.split()) <= 2 and cell_status(said) == DELIVERED else ""


def _forecast(text: str, reading: Reading) -> str:
    """The first date of a cell that is not marked as the old one ("was 1 Jun"), or ""."""
    return next((m.text for m in grammar.find_dates(text, reading.sent, day_first=reading.day_first)
                 if not OLD_MARK.search(text[max(0, m.start - 30):m.start])), "")


# "new date: 20 Nov", "revised 12/3", "moved to 19 Nov": the field words of a new date, right before it
_NEW_DATE = re.compile(cue_regex(FIELD_WORDS[REVISED]) + r"(?:\s+(?:date|day))?\s*[:：]?\s*$", _I)


def _moves(note: str, reading: Reading) -> bool:
    """True when a row's comment says its date moved ("pushed to", "slipped a week, now ...",
    "pulled in") or names a new date ("new date: 20 Nov"); "no change" holds it."""
    cue = read_status(note)
    if cue.held:
        return False
    return cue.any_move or cue.status == DELAYED or any(
        _NEW_DATE.search(note[max(0, m.start - 30):m.start])
        for m in grammar.find_dates(note, reading.sent, day_first=reading.day_first))


# A time of day with its zone, "14:00 UTC", "5 PM CET"
_TIME = re.compile(rf"(?<![\d:.])(?:[01]?\d|2[0-3])(?::[0-5]\d\s*(?:[ap]\.?m\.?)?|\s*[ap]\.?m\.?)"
                   rf"(?:\s*\(?{ZONE_PATTERN}\)?)?(?![\w:])", _I)


def _timed(due: str, name: str, reading: Reading) -> str:
    """The row's day at the time its name cell gives: "Beta freeze (starts 14:00 UTC) | Tue 2025-04-22"."""
    time = _TIME.search(name) if len(due) == 10 else None
    if time is None:
        return due
    found = grammar.find_dates(f"{due} {time.group(0)}", reading.sent, day_first=reading.day_first)
    value = found[0].value(reading.sent) if len(found) == 1 else due
    return value if value[:10] == due else due


_SHORT_NOTE = 3  # words
_SENTENCE_WORDS = 5  # a name cell this long that has a verb and a full stop is a sentence about the item
_PRECEDENCE = (CANCELLED, DELIVERED, DELAYED, AT_RISK, PLANNED)


def _said(status_cells: Sequence[str], note: str) -> str | None:
    """The status a row's status cells and comment state together: the most telling of
    the cells ("Green | Complete | 100%" is delivered, "Amber | In Progress" at risk); a
    comment that reports the item done or descoped outranks a colour, and a worded risk
    or delay counts when the status cells say nothing more."""
    stated = {cell_status(cell) for cell in status_cells}
    said = next((s for s in _PRECEDENCE if s in stated), None)
    if not note:
        return said
    cue = read_status(note)
    if cue.status == CANCELLED or cue.status == DELIVERED and cue.reported:
        return cue.status
    if len(note.split()) <= _SHORT_NOTE and cell_status(note) in (CANCELLED, DELIVERED):
        return cell_status(note)  # a remark that is a status word ("已完成 Done")
    if cue.status in (AT_RISK, DELAYED) and said in (None, PLANNED):
        return cue.status
    return said


def _item(name: str, due: str, previous: str | None, status: str, row: Sequence[str], origin: str) -> Milestone:
    return Milestone(name=name, project=None, due=due, status=status, previous_due=previous,
                     evidence=" | ".join(cell for cell in row if cell), origin=origin, confidence=0.9)


_SEPARATOR = re.compile(r"^[\s|+=:_-]*$")
_TAB = re.compile(r"\t")
_TABS = re.compile(r"\t+")


def _rows(lines: Sequence[str]) -> list[tuple[str, ...]]:
    """The cells of a block of table lines. Tab-separated lines keep their empty
    cells ("Mockups<TAB><TAB>Done") when every line has as many tabs; tabs typed to
    align columns vary from line to line, and a run of them is one gap."""
    if all("|" in line for line in lines):
        # a border pipe opens and closes every line ("| a | b |"); where only some lines open with one,
        # it follows an empty first cell (a cell merged down: "Menuiserie | A" over "           | B")
        stripped = [line.strip() for line in lines]
        opens = all(line.startswith("|") for line in stripped)
        closes = all(line.endswith("|") for line in stripped)
        return [tuple(cell.strip() for cell in line[1 if opens else 0:len(line) - closes].split("|"))
                for line in stripped]
    stripped = [line.strip() for line in lines]
    gap = _TAB if len({line.count("\t") for line in stripped}) == 1 else _TABS
    return [tuple(cell.strip() for cell in gap.split(line)) for line in stripped]


_DIGITS = re.compile(r"\d")


def _padded(rows: Sequence[tuple[str, ...]]) -> Table:
    width = max(len(r) for r in rows)
    return Table(rows=tuple(r + ("",) * (width - len(r)) for r in rows))


def _parts(rows: list[tuple[str, ...]]) -> list[list[tuple[str, ...]]]:
    """The tables of a run of table lines: a row of headings below the first row
    starts a table of its own (two HTML tables rendered one under the other); a row
    that holds a number is data ("Complete – signed off 2 Oct")."""
    parts: list[list[tuple[str, ...]]] = [[]]
    for row in rows:
        if parts[-1] and heads(row) and not heads(parts[-1][-1]):
            parts.append([])
        parts[-1].append(row)
    return parts


_UNDER_ROW = re.compile(r"^[ \t]+[^\s|>*•-]")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t*•-"))


_MOST_ROWS = 0.8


def html_twins(tables: Sequence[Table], html: Sequence[Table]) -> list[Table]:
    """The text's tables, those that an HTML table of the mail shows too replaced by that table when
    it says more: the colour of a status cell that the text leaves empty ("Amber" for a cell filled
    amber), the cells of a merged cell written on each of its rows. The text may show one HTML table
    as two (a row whose last cells are empty breaks its run of tab-separated lines), may leave out a
    column (the colour a cell is filled with) and may run a row's cells together ("Expiry-extension
    over-labels 12/11", one space apart: most rows, not all, are the HTML table's)."""
    out = list(tables)
    for twin in html:
        keys = {_key(row) for row in twin.rows}
        shown = [t for t in out if len(t.rows[0]) <= len(twin.rows[0])
                 and sum(_key(row) in keys for row in t.rows) >= _MOST_ROWS * len(t.rows)]
        rows = sum(len(t.rows) for t in shown)
        if shown and rows >= _MOST_ROWS * len(twin.rows) and _written(twin) > sum(map(_written, shown)):
            at = out.index(shown[0])
            out = [t for t in out if not any(t is s for s in shown)]
            out.insert(at, twin)
    return out


def _key(row: Sequence[str]) -> str:
    return " ".join(row[0].split()).lower() if row else ""


def _written(table: Table) -> int:
    return sum(1 for row in table.rows for cell in row if cell.strip())


def text_tables(text: str) -> list[Table]:
    """Tables laid out in the text, one row per line with " | " or tabs between
    cells, or in columns aligned with spaces."""
    tables: list[Table] = []
    block: list[str] = []
    for line in text.splitlines() + [""]:
        if TABLE_ROW.search(line):
            block.append(line)
        elif line.strip() and _SEPARATOR.match(line) and block:
            continue
        elif block and "|" in block[-1] and _UNDER_ROW.match(line) and _indent(line) >= _indent(block[-1]):
            # a line indented under a row is what the row's comment cell would hold ("* Printing | Active |
            # Due: 04/09/27" over "  Rodrigo changed the due date from 03/26/27 to 04/09/27", a tool's digest)
            block[-1] = f"{block[-1].rstrip()} | {line.strip()}"
        else:
            tables += [table for part in _parts(_rows(block)) if len(part) >= 2
                       for table in [_padded(part)]]
            block = []
    return tables + [block.table for block in aligned_blocks(text)]


_CSV_TYPES = ("text/csv", "text/x-csv", "application/csv", "text/tab-separated-values",
              "application/vnd.ms-excel")


def _csv_payloads(att: Attachment, limits: LimitsConfig) -> list[tuple[str, bytes]]:
    """(name, bytes) of the CSV/TSV data an attachment holds, opening .gz and .zip ones within the limits."""
    filename = (att.filename or "").lower()
    if att.content_type in _CSV_TYPES or filename.endswith((".csv", ".tsv")):
        return [(filename, att.data)]
    if filename.endswith((".csv.gz", ".tsv.gz")) or att.content_type in ("application/gzip", "application/x-gzip"):
        with gzip.GzipFile(fileobj=io.BytesIO(att.data)) as stream:
            return [(filename, read_bounded(stream, limits.max_attachment_bytes, f"attachment {filename}"))]
    if filename.endswith(".zip") or att.content_type in ("application/zip", "application/x-zip-compressed"):
        out = []
        with zipfile.ZipFile(io.BytesIO(att.data)) as archive:
            for member in archive.infolist():
                if member.filename.lower().endswith((".csv", ".tsv")):
                    with archive.open(member) as stream:
                        out.append((member.filename, read_bounded(
                            stream, limits.max_attachment_bytes, f"{filename}/{member.filename}")))
        return out
    return []


def attachment_tables(attachments: Sequence[Attachment], limits: LimitsConfig = LimitsConfig()) -> list[Table]:
    """CSV and TSV attachments as tables, compressed ones (.gz, .zip) included."""
    tables = []
    for att in attachments:
        try:
            payloads = _csv_payloads(att, limits)
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # a broken archive: nothing to read
            log.debug("attachment %s: %s", att.filename, type(exc).__name__)
            continue
        for name, data in payloads:
            text = delimited.decode(data)
            check_count(text.count("\n"), limits.max_csv_lines, f"CSV attachment {name} lines", "max_csv_lines")
            try:
                rows = delimited.rows(text)
            except csv.Error as exc:  # a stray quote or NUL: no table to read
                log.debug("attachment %s: %s", name, type(exc).__name__)  # the message may quote a row
                continue
            if len(rows) >= 2:
                tables.append(Table(rows=tuple(rows)))
            else:
                log.debug("attachment %s holds no table", name)
    return tables
