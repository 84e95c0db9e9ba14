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
from slipwatch.mail.model import Attachment, Table

from . import dates as grammar
from .structure import TABLE_ROW, aligned_blocks
from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .moves import settle
from .names import clean_name, is_vague
from .noise import is_meeting
from .status import Cue, cell_status, read_status

log = logging.getLogger(__name__)

_I = re.IGNORECASE

NAME, LABEL, DUE, REVISED, STATUS, START, NOTE = "name", "label", "due", "revised", "status", "start", "note"

# Checked in this order: "Start date" is no due date, "Revised date" no plan.
_HEADINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (START, re.compile(r"\b(?:start|begin|inicio|in[íi]cio|d[ée]but|beginn|inizio|rozpocz\w*|von|"
                      r"startdatum|ba[şs]lang[ıi][çc]|mulai)\b", _I)),
    (STATUS, re.compile(r"\b(?:status|state|rag|estado|[ée]tat|statut|stato|stan|stare|stadiu|progress|avance|"
                        r"fortschritt|progresso|avanzamento|post[ęe]p|complete|completion|erledigt|voortgang|durum|"
                        r"ilerleme|kemajuan)\b|%|状态", _I)),
    # "Orig. ETD", "Original ETA": the plan, though ETA and ETD are dates a forecast gives
    (DUE, re.compile(r"\b(?:orig(?:inal)?|baseline|planned|plan|initial)\b", _I)),
    (REVISED, re.compile(r"\b(?:revised|revision|forecast|new|actual|current|expected|eta|etd|latest|re-?plan\w*|"
                         r"nueva|nuevo|nouvelle|nouveau|neu\w*|nova|novo|nuova|nuovo|nowy|nowa|nou[ăa]?|prognos\w*|"
                         r"previs[ãa]o|revis\w+|actualizad\w*|aktuell\w*|ajust\w*|updated|nieuwe?|herzien\w*|yeni|"
                         r"g[üu]ncel\w*|baru|revisi)\b|调整", _I)),
    (DUE, re.compile(r"\b(?:due|dates?|deadline|finish|end|target|planned|plan|baseline|original|ini[tţț]ial\w*|"
                     r"delivery|fecha|[ée]ch[ée]ance|termin|termen\w*|datum|f[äa]llig\w*|soll|prazo|data|scadenza|"
                     r"ende|fin|fim|koniec|zako[ńn]cz\w*|entrega|livraison|lieferung|consegna|dostawa|prevista?|"
                     r"pr[ée]vue?|geplant|planowan\w*|"
                     # nl, tr, id
                     r"opleverdatum|einddatum|streefdatum|gepland|oplevering|tarih\w*|teslim|biti[şs]|"
                     r"planlanan|tenggat|tanggal|batas\s+waktu|jatuh\s+tempo|target\w*|rencana)\b|计划", _I)),
    (NOTE, re.compile(r"\b(?:comments?|remarks?|notes?|observations?|observaciones|comentarios?|coment[áa]rios?|"
                      r"observa[çc][õo]es|bemerkung\w*|kommentar\w*|anmerkung\w*|commentaires?|remarques?|"
                      r"commenti|osservazioni|note|uwagi|komentarz\w*|observa[tţț]ii|comentarii|opmerking\w*|"
                      r"a[çc][ıi]klama\w*|notlar|yorum\w*|catatan|keterangan|komentar)\b", _I)),
    (NAME, re.compile(r"\b(?:milestones?|deliverables?|tasks?|task\s+name|activit\w+|workstreams?|phases?|steps?|stages?|"
                      r"entregables?|tareas?|hitos?|actividad|livrables?|t[aâ]ches?|jalons?|[ée]tapes?|"
                      r"meilensteine?|aufgaben?|liefer\w+|arbeitspaket|vorgang|entreg[áa]ve(?:l|is)|tarefas?|"
                      r"marcos?|atividades?|etapas?|attivit[àa]|fase|zadani[ea]|etap|kamie[ńn]\w*|livrabil\w*|"
                      r"activit[ăa][tţț]i|sarcin[ăa]|work\s+item|process|batch|stufe|faza|"
                      # nl, tr, id
                      r"mijlpa(?:al|len)|taak|opleveringen|fases?|g[öo]rev(?:ler)?|a[şs]ama|teslimat|"
                      r"kilometre\s+ta[şs][ıi]|tugas|tahap(?:an)?|pekerjaan)\b|工序", _I)),
    # What a row is about when no column names the milestone itself.
    (LABEL, re.compile(r"\b(?:items?|titles?|description|produkt\w*|products?|names?|nombre|nom|nome|titel|"
                       r"t[íi]tulo|titre|titolo|issue|summary)\b", _I)),
)
# Columns that only identify a row or a person: a name column only when nothing else can be.
_NOT_NAME = re.compile(r"^\W*(?:#|id|no\.?|nr\.?|ref\.?|sku|style|code|art(?:icle)?\.?|po|qty|quantity|"
                       r"owner|assignee|responsible|resp\.?|lead|who|supplier|vendor)\W*$", _I)
_EMPTY_CELL = re.compile(r"^[\s\-–—/?]*(?:n/?a|tbc|tbd|none|pending|-)?[\s\-–—/?]*$", _I)


@dataclass(frozen=True)
class Columns:
    """Where a table keeps what a milestone needs (column indexes); `header`
    is the row that heads the table (a title row may sit above it)."""

    name: int
    due: int
    revised: int | None = None
    status: int | None = None
    note: int | None = None
    header: int = 0
    label: int | None = None  # what a row is about when the name column repeats a step


def _date_share(table: Table, col: int, header: int, reading: Reading) -> float:
    cells = [row[col] for row in table.rows[header + 1:] if col < len(row) and not _EMPTY_CELL.match(row[col])]
    if not cells:
        return 0.0
    dated = 0
    for cell in cells:
        found = grammar.find_dates(cell, reading.sent, day_first=reading.day_first)
        if found and sum(m.end - m.start for m in found) >= 0.5 * len(cell.strip()):
            dated += 1
    return dated / len(cells)


def _repeats(table: Table, col: int, header: int) -> bool:
    """True when a column names the same thing on two rows ("Glazing", "Glazing"):
    a step done to several products, which another column tells apart."""
    cells = [row[col].strip().lower() for row in table.rows[header + 1:] if col < len(row) and row[col].strip()]
    return len(set(cells)) < len(cells)


def _roles(row: Sequence[str]) -> dict[str, list[int]]:
    roles: dict[str, list[int]] = {}
    for col, heading in enumerate(row):
        for role, pattern in _HEADINGS:
            if pattern.search(heading):
                roles.setdefault(role, []).append(col)
                break
    return roles


def _header_row(table: Table) -> int:
    """The heading row: the first of the top rows with two cells that name a role
    (a title row such as "Status – week 42" may sit above it)."""
    for i, row in enumerate(table.rows[:3]):
        if sum(len(cols) for cols in _roles(row).values()) >= 2:
            return i
    return 0


def find_columns(table: Table, reading: Reading) -> Columns | None:
    """The columns of a milestone table, or None when it is not one."""
    top = _header_row(table)
    if len(table.rows) < top + 2:
        return None
    header = table.rows[top]
    roles = _roles(header)
    if not roles.get(DUE) and roles.get(REVISED):
        roles[DUE] = roles.pop(REVISED)  # "ETA" or "Forecast" alone is the date the row is due
    taken = {c for cols in roles.values() for c in cols}
    dates = [c for c in roles.get(DUE, []) + roles.get(REVISED, [])]
    if not roles.get(DUE):
        by_content = [c for c in range(len(header))
                      if c not in taken and _date_share(table, c, top, reading) >= 0.6]
        if not by_content:
            return None
        roles[DUE] = by_content[:1]
        dates = by_content
    free = [c for c in range(len(header)) if c not in taken and c not in dates]
    name_cols = roles.get(NAME) or roles.get(LABEL) or [c for c in free if not _NOT_NAME.match(header[c])] or free
    if not name_cols:
        return None
    due = roles[DUE][0]
    revised = roles[REVISED][0] if roles.get(REVISED) else (roles[DUE][1] if len(roles[DUE]) > 1 else None)
    status = roles[STATUS][-1] if roles.get(STATUS) else None
    note = roles[NOTE][0] if roles.get(NOTE) else None
    label = roles[LABEL][0] if roles.get(NAME) and roles.get(LABEL) and _repeats(table, name_cols[0], top) else None
    return Columns(name=name_cols[0], due=due, revised=revised, status=status, note=note, header=top, label=label)


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
    for row in table.rows[cols.header + 1:]:
        item = _row(row, cols, reading, origin)
        if item is not None:
            items.append(item)
    return items


_SHORT_LABEL = 6  # words; a longer cell describes the row rather than naming it


def _name(row: Sequence[str], cols: Columns) -> str:
    """The row's item: "Dinner plate – Glazing" when a product or title column says
    what the step of the name column is done to ("Dinner plate | Glazing",
    "Side plate | Glazing")."""
    name = clean_name(_cell(row, cols.name))
    label = clean_name(_cell(row, cols.label))
    if not label or len(label.split()) > _SHORT_LABEL or label.lower() in name.lower():
        return name
    return f"{label} – {name}" if name else label


def _row(row: Sequence[str], cols: Columns, reading: Reading, origin: str) -> Milestone | None:
    name = _name(row, cols)
    if not name or is_vague(name) or is_meeting(name):
        return None
    status_text = _cell(row, cols.status)
    said = _said(status_text, _cell(row, cols.note))
    planned, revised = _cell(row, cols.due), _cell(row, cols.revised)
    if said == DELIVERED and status_text:
        done_on = grammar.find_dates(status_text, reading.sent, day_first=reading.day_first)
        if done_on:
            revised = done_on[0].text  # "Delivered on 03.12" is the date it was done
    # the two dates as a move ("A → B") so that moves.settle weighs them like prose
    line = f"{planned} → {revised}" if planned and revised else planned or revised
    matches = grammar.find_dates(line, reading.sent, day_first=reading.day_first)
    if not matches:
        return None
    words = read_status(line)
    status = said or words.status
    if status == CANCELLED:
        return _item(name, matches[0].value(reading.sent), None, CANCELLED, row, origin)
    cue = Cue(status=status, later=words.later or bool(revised), earlier=words.earlier, moved=bool(revised))
    timing = settle(line, matches, cue, reading.sent, default_today=False)
    if timing is None:
        return None
    final = timing.status
    if status in (AT_RISK, DELAYED) and timing.previous is None:
        final = status  # "Stuck" / "Delayed" with no new date to compare
    return _item(name, timing.due, timing.previous, final, row, origin)


def _said(status_text: str, note: str) -> str | None:
    """The status a row's status cell and comment state together: a comment that
    reports the item done or descoped outranks a colour, and a worded risk or
    delay counts when the status cell says nothing more."""
    said = cell_status(status_text) if status_text else None
    if not note:
        return said
    cue = read_status(note)
    if cue.status == CANCELLED or cue.status == DELIVERED and cue.reported:
        return cue.status
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
            if len(block) >= 2:
                rows = _rows(block)
                width = max(len(r) for r in rows)
                tables.append(Table(rows=tuple(r + ("",) * (width - len(r)) for r in rows)))
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
            log.debug("attachment %s: %s", att.filename, exc)
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
                log.debug("attachment %s: %s", name, exc)
                continue
            if len(rows) >= 2:
                tables.append(Table(rows=tuple(rows)))
            else:
                log.debug("attachment %s holds no table", name)
    return tables
