"""Status tables (HTML, plain-text " | " layouts, CSV attachments) as items.

Columns are found by their headings, in any order and several languages
(bilingual headings like "Entregable / Deliverable" included): the item
name, its planned date, a revised date, a status, a comment. The heading row
may sit under a title row. When headings say nothing, a column whose cells
are dates is the date column. Start dates, durations and owners are not read.

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
from slipwatch.lang import COLUMN_ROLES
from slipwatch.limits import check_count, read_bounded
from slipwatch.mail.model import Attachment, Table

from . import dates as grammar
from . import specs as S
from .structure import TABLE_ROW, aligned_blocks
from .zones import ZONE_PATTERN
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import OLD_MARK, settle
from .names import clean_name, is_vague
from .noise import is_meeting
from .status import Cue, cell_status, read_status
from .words import HEADING_WORDS, cue_regex

log = logging.getLogger(__name__)

_I = re.IGNORECASE

NAME, GROUP, LABEL, DUE, BASELINE, REVISED, ACTUAL, STATUS, START, NOTE, STAMP = (
    "name", "group", "label", "due", "baseline", "revised", "actual", "status", "start", "note", "stamp")

# What a column holds, told by the words of its heading in any language of the registry (slipwatch.lang,
# "table_headings"); a heading takes the first role whose words it holds, in COLUMN_ROLES order.
_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(cue_regex(HEADING_WORDS[role]), _I)) for role in COLUMN_ROLES)

# Columns that only identify a row or a person: a name column only when nothing else can be.
_NOT_NAME = re.compile(r"^\W*(?:#|id|no\.?|nr\.?|n[ºo°]\.?|ref\.?|sku|style|code|art(?:icle)?\.?|po|qty|quantity|"
                       r"owner|assignee|assigned\s+to|responsible|responsable|resp\.?|lead|who|wie|qui|quem|qui[ée]n|"
                       r"chi|supplier|vendor|channel|canal|platform|team|equipo)\W*$", _I)
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
                      or len(rest.split()) <= 2 and cell_status(rest) is not None):
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
    roles: dict[str, list[int]] = {}
    for col, heading in enumerate(row):
        heading = heading.replace("_", " ")  # an export's field name: "embarque_previsto"
        if len(heading.split()) > _HEADING_WORDS_AT_MOST:
            continue  # a sentence, not a heading
        for role, pattern in _HEADINGS:
            if pattern.search(heading):
                roles.setdefault(role, []).append(col)
                break
    return roles


def _heads(row: Sequence[str]) -> bool:
    """True when a row names the roles of two columns or more and holds no number."""
    return not any(_DIGITS.search(cell) for cell in row) and sum(len(cols) for cols in _roles(row).values()) >= 2


def _header_row(table: Table, reading: Reading) -> int:
    """The heading row: the first of the top rows with two cells that name a role
    (a title row such as "Status – week 42" may sit above it); -1 when the first
    row names no role and holds a date, so that it is a row like the others."""
    for i, row in enumerate(table.rows[:3]):
        if _heads(row):
            # a heading over two ("Dates" over "Due | Revised"): the lower row names the columns
            while i + 1 < len(table.rows) and _heads(table.rows[i + 1]):
                i += 1
            return i
    first = table.rows[0]
    if not _roles(first) and any(grammar.find_dates(cell, reading.sent, day_first=reading.day_first) for cell in first):
        return -1
    return 0


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
    taken = {c for cols in roles.values() for c in cols}
    for role in (BASELINE, DUE, REVISED, ACTUAL):  # a date column left empty on every row is no date column
        roles[role] = [c for c in roles.get(role, []) if _filled(table, c, top)]
    dates = _dates(roles)
    matrix: tuple[int, ...] = ()
    if dates is None:
        by_content = [c for c in range(width) if c not in taken and _date_share(table, c, top, reading) >= 0.6]
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
    # a column of week numbers or other dates beside the one dated ("W16 | 2026-04-17 | Feature freeze")
    # names nothing; the next free column does
    named = [c for c in free if not _NOT_NAME.match(header[c]) and _date_share(table, c, top, reading) < 0.6]
    name_cols = (roles.get(NAME) or roles.get(LABEL) or named or [c for c in free if not _NOT_NAME.match(header[c])]
                 or roles.get(GROUP) or free)
    if not name_cols:
        return None
    if top < 0 and not roles.get(NOTE):
        # no headings: a column beside the name that dates some rows says how they moved
        roles[NOTE] = [c for c in free if c != name_cols[0] and _dated(table, c, top, reading)][:1]
    status = roles[STATUS][-1] if roles.get(STATUS) else None
    note = roles[NOTE][0] if roles.get(NOTE) else None
    label = roles[LABEL][0] if roles.get(NAME) and roles.get(LABEL) and _repeats(table, name_cols[0], top) else None
    actual = roles[ACTUAL][0] if roles.get(ACTUAL) else None
    flags = tuple(c for c in roles.get(STATUS, []) if c != status)
    return Columns(name=name_cols[0], due=dates[0], revised=dates[1], status=status, note=note, header=top,
                   label=label, actual=actual, flags=flags, matrix=matrix)


def _cell(row: Sequence[str], col: int | None) -> str:
    if col is None or col >= len(row) or _EMPTY_CELL.match(row[col]):
        return ""
    return row[col]


def table_milestones(table: Table, reading: Reading, *, origin: str) -> list[Milestone]:
    """The rows of a milestone table as items; [] for any other table."""
    cols = find_columns(table, reading)
    if cols is None:
        return []
    items = []
    for row in _body(table, cols.header):
        if cols.matrix:
            # "M142 | Mon Sep 29 | Wed Oct 01": the M142 branch point, the M142 first beta
            label = _name(row, cols)
            for col in cols.matrix:
                item = _row(row, dataclasses.replace(cols, due=col, matrix=()), reading, origin,
                            name=f"{label} {table.rows[cols.header][col]}".strip())
                items += [item] if item is not None else []
            continue
        item = _row(row, cols, reading, origin)
        if item is not None:
            items.append(item)
    return items


_SHORT_LABEL = 6  # words; a longer cell describes the row rather than naming it


def _name(row: Sequence[str], cols: Columns) -> str:
    """The row's item: "Dinner plate – Glazing" when a product or title column says
    what the step of the name column is done to ("Dinner plate | Glazing",
    "Side plate | Glazing")."""
    cell = _cell(row, cols.name)
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
    if not name or is_vague(name) or is_meeting(name):
        return None
    status_cells = [cell for cell in (_cell(row, cols.status), *(_cell(row, c) for c in cols.flags)) if cell]
    status_text = " | ".join(status_cells)
    note = _cell(row, cols.note)
    said = _said(status_cells, note)
    planned, revised = _cell(row, cols.due), _cell(row, cols.revised)
    actual = _cell(row, cols.actual)
    if actual and said != CANCELLED and grammar.find_dates(actual, reading.sent, day_first=reading.day_first):
        said, revised = DELIVERED, actual  # the day it was done
    elif said == DELIVERED and status_text:
        done_on = grammar.find_dates(status_text, reading.sent, day_first=reading.day_first)
        if done_on:
            revised = done_on[0].text  # "Delivered on 03.12" is the date it was done
    elif said in (None, PLANNED, DELAYED) and status_text and not revised:
        # "Revised ETA 05-Dec-2025", "Now 19-Dec-2025": a date in the status column is the forecast
        forecast = [m for m in grammar.find_dates(status_text, reading.sent, day_first=reading.day_first)
                    if not OLD_MARK.search(status_text[max(0, m.start - 30):m.start])]
        if forecast:
            revised = forecast[0].text
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
        return [tuple(cell.strip() for cell in line.strip().strip("|").split("|")) for line in lines]
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
        if parts[-1] and _heads(row) and not _heads(parts[-1][-1]):
            parts.append([])
        parts[-1].append(row)
    return parts


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
            text = data.decode("utf-8-sig", errors="replace")
            check_count(text.count("\n"), limits.max_csv_lines, f"CSV attachment {name} lines", "max_csv_lines")
            try:
                dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t|")
            except csv.Error:
                dialect = csv.excel
            try:
                rows = [tuple(cell.strip() for cell in row) for row in csv.reader(text.splitlines(), dialect) if any(row)]
            except csv.Error as exc:  # a stray quote or NUL: no table to read
                log.debug("attachment %s: %s", name, type(exc).__name__)  # the message may quote a row
                continue
            if len(rows) >= 2:
                tables.append(Table(rows=tuple(rows)))
            else:
                log.debug("attachment %s holds no table", name)
    return tables
