"""`extract`: every dated deliverable of a vendor message (RULES.md), from its
prose, its tables, its attachments and its tool notifications.

The same item is often stated twice (a sentence and the ICS it attaches, a
body line and the CSV row): items on the same day with names that share
their words are one item, keeping the most telling status and the most
precise date.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from collections.abc import Sequence

from slipwatch.config import LimitsConfig
from slipwatch.mail.model import Document, Table, VendorMessage

from . import dates as grammar
from .calendar import calendar_milestones
from .candidates import UNDATED_CONFIDENCE, announced, subject_milestones, text_milestones
from .learned import DECISIONS, prose_milestones
from .listtimes import with_list_times
from .model import DELAYED, DELIVERED, PLANNED, Milestone, Reading
from .names import content_words, project_of, subject_item
from .noise import INVOICE, NEWSLETTER, OUT_OF_OFFICE, message_kind
from .notifications import notification_milestones
from .tables import attachment_tables, html_twins, table_milestones, text_tables
from .words import FIELD_WORDS, SUBJECT_REFERENCE, cue_regex

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+")


def extract(message: VendorMessage, limits: LimitsConfig = LimitsConfig(), decisions: str = DECISIONS) -> list[Milestone]:
    """The milestones `message` states; [] when it states none. `decisions`: how the
    prose is decided, by the hand rules, the learned model or both (learned.MODES).

    Raises LimitExceeded when an attachment breaks one of the `limits`.
    """
    if message.sent is None:
        return []
    # "١٥ ديسمبر", "१० दिसंबर": every stage reads ASCII digits
    message = dataclasses.replace(message, subject=grammar.ascii_digits(message.subject), text=grammar.ascii_digits(message.text),
                                  forward_note=grammar.ascii_digits(message.forward_note),
                                  documents=tuple(dataclasses.replace(d, text=grammar.ascii_digits(d.text))
                                                  for d in message.documents))
    kind = message_kind(message.subject, message.text)
    if kind in (OUT_OF_OFFICE, INVOICE):
        log.debug("%s: no milestones in a %s", message.message_id, kind)
        return []
    csv_tables = attachment_tables(message.attachments, limits)
    reading = message_reading(message, csv_tables)
    notified, prose = notification_milestones(message, reading)
    items = list(notified)
    tables = html_twins(text_tables(prose), message.tables) or list(message.tables)
    for table in tables:
        items += table_milestones(table, reading, origin="table")
    for table in csv_tables:
        items += table_milestones(table, reading, origin="csv")
    items += calendar_milestones(message.attachments, reading, limits)
    if kind != NEWSLETTER:
        # a mail that is all subject ("Logo final due Fri 6 Mar") says it there
        items += prose_milestones(prose if prose.strip() else message.subject, reading, decisions)
    for document in message.documents:
        items += document_milestones(document, reading, decisions, prose=kind != NEWSLETTER)
    if not message.references and not any(m.status == DELIVERED for m in items):
        # a new thread whose subject announces what its text does not report: "firmware 2.4.0-rc2 is out"
        items += subject_milestones(message.subject, reading)
    elif not message.references:
        items = announced(items, message.subject, reading)
    if message.forward_note:
        items += text_milestones(message.forward_note, dataclasses.replace(reading, forward_note=True))
    if not items and kind != NEWSLETTER and not message.references and (
            SUBJECT_REFERENCE.search(message.text) or not grammar.find_dates(message.text, message.sent)):
        # "Logo final due Fri 6 Mar" over a body that dates nothing or says "as per subject": the
        # subject is the message. Other dates and no item tell what the subject's date is (a visit).
        items = text_milestones(message.subject, reading)

    project = project_of(message.subject, message.text)
    return [dataclasses.replace(m, name=_without_project(m.name, project), project=m.project or project)
            for m in with_list_times(merge(items), prose, reading)]


def message_reading(message: VendorMessage, csv_tables: Sequence[Table] = ()) -> Reading:
    """How every part of `message` (a message with its sending time) is read: that time,
    and the numeric-date order its text, its CSV attachments (`csv_tables`) and its documents settle."""
    tables = [*csv_tables, *(t for d in message.documents for t in d.tables)]
    numbers = "\n".join([message.text, *(d.text for d in message.documents),
                         *(" ".join(r) for t in tables for r in t.rows)])
    return Reading(message.sent, grammar.numeric_order(numbers), fallback_name=subject_item(message.subject))


def document_milestones(document: Document, reading: Reading, decisions: str = DECISIONS, *,
                        prose: bool = True) -> list[Milestone]:
    """The items of an office attachment (slipwatch.mail.documents), each with evidence that names it.

    Its own tables (a spreadsheet's sheets, a Word file's tables) are read as a body's HTML tables
    are ("report.docx, table 1, row 3: Pilot build | 1 Dec | Done"). Its running text (a Word file's
    paragraphs, a PDF's pages laid out as printed) is one more text of the message, read as the body
    is: the tables laid out in it, then, unless `prose` is False (a newsletter's), its sentences, which
    keep the origin "text" of the prose reader with the attachment's name before their evidence. A text
    parted into pages by form feeds (a PDF's) is read page by page, and the evidence names the page
    ("schedule.pdf, page 2: ..."): a table that runs on over a page break is two tables there."""
    items = [m for table in document.tables for m in table_milestones(table, reading, origin="document")]
    pages = document.text.split("\f")
    for number, page in enumerate(pages, start=1):
        where = f"{document.name}, page {number}" if len(pages) > 1 else document.name
        items += [m for table in text_tables(page)
                  for m in table_milestones(dataclasses.replace(table, source=where), reading, origin="document")]
        if prose and page.strip():
            items += [dataclasses.replace(m, evidence=f"{where}: {m.evidence}")
                      for m in prose_milestones(_without_stamps(page, reading), reading, decisions)]
    return items


# A line that opens with the document's own date: "Date of issue: 3 Dec 2026", "报告日期：", "Atualizado em 19/01"
_STAMP_LABEL = re.compile(r"\W*" + cue_regex(FIELD_WORDS["stamp"]) + r"(?:\s+\w{1,3})?\s*[:：]?\s*", re.IGNORECASE)


def _without_stamps(text: str, reading: Reading) -> str:
    """The text without the dates a document gives itself (issued, reported, updated on), each line's
    label and date blanked where the line opens with them: when the document was made is no item."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        found = grammar.find_dates(line, reading.sent, day_first=reading.day_first)
        if found and _STAMP_LABEL.fullmatch(line[:found[0].start]):
            lines[i] = " " * found[0].end + line[found[0].end:]
    return "\n".join(lines)


def _without_project(name: str, project: str | None) -> str:
    """ "Gift boxes – Dielines" is the item "Dielines" of the project "Gift boxes"."""
    if project and name.lower().startswith(project.lower()):
        rest = name[len(project):]
        m = re.match(r"\s*(?:[–—:|]|\s-)\s*(?=\S)", rest)
        if m:
            return rest[m.end():]
    return name


@functools.lru_cache(maxsize=4096)
def _words_of(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The content words of an item's name, and all its words: each name is compared with many."""
    return frozenset(content_words(name)), frozenset(_WORD.findall(name.lower()))


def _codes_apart(a: str, b: str) -> bool:
    """ "PT subtitle files" and "ES subtitle files", "Batch 1" and "Batch 2": the
    words that tell them apart are codes or numbers, so they are two items."""
    wa, wb = _words_of(a)[1], _words_of(b)[1]
    only = (wa - wb) | (wb - wa)
    return bool(wa - wb) and bool(wb - wa) and all(len(w) <= 3 or w.isdigit() for w in only)


_ROWS = ("table", "csv", "document")


def _similar(a: Milestone, b: Milestone) -> bool:
    wa, wb = _words_of(a.name)[0], _words_of(b.name)[0]
    if not wa or not wb or _codes_apart(a.name, b.name):
        return False
    if a.origin in _ROWS and b.origin in _ROWS and a.evidence != b.evidence:
        # two rows are two items ("Delivery Rotterdam", "Printing + delivery insert"), unless named alike
        return wa == wb
    shared = len(wa & wb)
    return shared / min(len(wa), len(wb)) >= 0.5 or 2 * shared / (len(wa) + len(wb)) >= 0.6


def _combine(keep: Milestone, other: Milestone) -> Milestone:
    """One item from two statements of it."""
    first, second = sorted((keep, other), key=lambda m: (
        m.status != PLANNED, m.previous_due is not None, m.origin != "text"), reverse=True)
    if first.confidence <= UNDATED_CONFIDENCE < second.confidence:
        first, second = second, first
    due = first.due
    if len(due) == 10 and len(second.due) > 10 and second.day == first.day:
        due = second.due  # the attachment knows the time of day
    # a table's or a calendar's name is the item's own; prose wraps it in words
    name = second.name if first.origin == "text" and second.origin != "text" else first.name
    return dataclasses.replace(first, name=name, due=due, previous_due=first.previous_due or second.previous_due)


def _same(a: Milestone, b: Milestone) -> bool:
    """Two statements of one item, of names `_similar` already found alike."""
    if a.day == b.day:
        return True
    # a delivery told without its day is the one a table or attachment dates
    undated = min(a, b, key=lambda m: m.confidence)
    return undated.confidence <= UNDATED_CONFIDENCE and a.status == b.status == DELIVERED


def _restated_delay(a: Milestone, b: Milestone) -> Milestone | None:
    """The item stated twice, once late without its old date and once on the
    old date ("will not make today's 6 PM ... revised ETA Tuesday"), or once as a move and once
    on the day it moved from: one item. The names are `_similar` already."""
    if a.day == b.day:
        return None
    early, late = sorted((a, b), key=lambda m: m.day)
    if late.status == DELAYED and late.previous_due is None and early.status in (DELAYED, PLANNED):
        return dataclasses.replace(late, previous_due=early.due)
    if late.previous_due is not None and late.previous_due[:10] == early.day and early.previous_due is None \
            and early.status in (DELAYED, PLANNED):
        # the move told once more on its old date ("Caja Lick Mat 29/01/2027 05/02/2027 Retrasado", a
        # table's row in the plain text beside the HTML table that moved it): the move is the item
        return late
    return None


# Earlier items that an item is compared with, at most: the latest that share a word with its name.
# Mails state a few dozen items; an export of thousands of rows is distinct row by row, and
# comparing each with all before it would read it in quadratic time.
_MERGE_WINDOW = 200


def merge(items: list[Milestone]) -> list[Milestone]:
    """Items that are the same deliverable, as one."""
    out: list[Milestone] = []
    naming: dict[str, list[int]] = {}  # a content word -> the items of `out` whose names hold it, in order
    for item in items:
        words = set(content_words(item.name))
        near = sorted({i for w in words for i in naming.get(w, ())[-_MERGE_WINDOW:]})[-_MERGE_WINDOW:]
        for i in near:
            seen = out[i]
            if not _similar(seen, item):
                continue
            if _same(seen, item):
                out[i] = _combine(seen, item)
                break
            restated = _restated_delay(seen, item)
            if restated is not None:
                out[i] = restated
                break
        else:
            i = len(out)
            out.append(item)
        for w in set(content_words(out[i].name)):
            if not naming.setdefault(w, []) or naming[w][-1] != i:
                naming[w].append(i)
    return out
