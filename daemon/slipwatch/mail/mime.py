"""Raw message bytes to decoded headers, body text and attachments.

The stdlib `email` package with policy=compat32 reads anything without raising
and is about ten times faster than policy.default; what it leaves undone is
done here, defensively: charsets that are missing, wrong or unknown, 8-bit
header bytes, broken transfer encodings, signed wrappers and attached messages
(forward as attachment, nested to any depth).
"""

from __future__ import annotations

import dataclasses
import email
import email.errors
import email.header
import email.parser
import logging
import re
from dataclasses import dataclass, field
from email.message import Message
from email.policy import compat32

from slipwatch.mail import tnef
from slipwatch.mail.addresses import Sender, header_sender
from slipwatch.mail.dedup import normalise_message_id
from slipwatch.mail.html import HtmlText, html_to_text
from slipwatch.mail.model import Attachment

logger = logging.getLogger(__name__)

# Labels mail software puts on charsets that Python does not know by that name,
# and declared charsets that are subsets of what senders really use.
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "gb_2312-80": "gb18030", "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949", "ks_c_5601": "cp949",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
    "ascii": "cp1252", "ansi_x3.4-1968": "cp1252", "iso-8859-9": "cp1254",
    "iso-8859-8-i": "iso-8859-8", "iso-8859-6-i": "iso-8859-6",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unknown": "utf-8", "unknown-8bit": "utf-8",
    "windows-874": "cp874", "x-mac-roman": "mac_roman", "macintosh": "mac_roman",
    "koi8": "koi8-r", "x-koi8-r": "koi8-r",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_HEADERS = email.parser.BytesHeaderParser(policy=compat32)

# What the extractor can read besides the body: calendars, tables, documents.
_INTERESTING_TYPES = frozenset({
    "text/calendar", "application/ics", "text/x-vcalendar", "text/csv", "text/x-csv",
    "application/csv", "text/tab-separated-values", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.oasis.opendocument.spreadsheet", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/json", "text/markdown", "application/zip", "application/x-zip-compressed",
    "application/gzip", "application/x-gzip",
})
_INTERESTING_SUFFIXES = (
    ".ics", ".vcs", ".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".docx",
    ".json", ".txt", ".md", ".zip", ".gz",
)
_SIGNATURE_TYPES = frozenset({
    "application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature",
})


@dataclass(frozen=True)
class MimeMessage:
    """One message of the tree: the outer mail or an attached message/rfc822.

    `sender` comes from the raw From header (slipwatch.mail.addresses), the
    other headers are decoded; `message_id` is normalised (slipwatch.mail.dedup).
    """

    sender: Sender
    date_header: str
    subject: str
    message_id: str | None
    in_reply_to: str
    references: str
    plain: str
    html: HtmlText | None
    attachments: tuple[Attachment, ...]
    attached: tuple[MimeMessage, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def body(self) -> str:
        """The text to read: the text part, else the rendered HTML."""
        if self.plain.strip() or self.html is None:
            return self.plain
        return self.html.text


def parse_message(raw: bytes, tree: Message | None = None) -> MimeMessage:
    """Parse bytes into the message tree (or read the tree of them already parsed); never raises for
    malformed input."""
    if tree is not None:
        return _read(tree, depth=0)
    try:
        message = email.message_from_bytes(raw, policy=compat32)
    except RecursionError:
        # Thousands of nested multiparts exhaust the stdlib parser; the headers
        # alone still say who sent what when.
        message = email.parser.BytesParser(policy=compat32).parsebytes(raw, headersonly=True)
        message.set_payload("")
        found = _read(message, depth=0)
        return dataclasses.replace(found, problems=(*found.problems, "MIME nesting too deep to read the body"))
    return _read(message, depth=0)


def parse_headers(raw: bytes) -> Message:
    """The outer header block only: cheap, and all that identity and trust need."""
    try:
        return _HEADERS.parsebytes(raw)
    except Exception:  # noqa: BLE001 - compat32 is lenient; anything else means no usable header
        return Message()


def _read(message: Message, depth: int) -> MimeMessage:
    collector = _Collector(depth)
    collector.walk(message)
    return MimeMessage(
        sender=header_sender(raw_headers(message, "From")),
        date_header=header_text(message, "Date"),
        subject=header_text(message, "Subject"),
        message_id=normalise_message_id(header_text(message, "Message-ID")),
        in_reply_to=header_text(message, "In-Reply-To"),
        references=header_text(message, "References"),
        plain="\n".join(collector.plain),
        html=collector.render_html(),
        attachments=tuple(collector.attachments),
        attached=tuple(collector.attached),
        problems=tuple(collector.problems),
    )


class _Collector:
    """Walks one message's parts, stopping at attached messages (read on their own)."""

    MAX_DEPTH = 8  # attached-message nesting; deeper is an attack or a loop

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[Attachment] = []
        self.attached: list[MimeMessage] = []
        self.problems: list[str] = []

    def walk(self, part: Message) -> None:
        ctype = part.get_content_type()
        if ctype in _SIGNATURE_TYPES:
            return
        if ctype == "message/rfc822" or (
            ctype == "application/octet-stream" and (part.get_filename() or "").lower().endswith(".eml")
        ):
            self._attached_message(part)
            return
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                for sub in payload:
                    if isinstance(sub, Message):
                        self.walk(sub)
            return
        if ctype == "application/pkcs7-mime" or ctype == "application/x-pkcs7-mime":
            self.problems.append("S/MIME enveloped or opaque-signed content cannot be read")
            return
        try:
            self._leaf(part, ctype)
        except Exception as exc:  # noqa: BLE001 - one broken part must not cost the others
            logger.debug("part %s unreadable: %s", ctype, type(exc).__name__)
            self.problems.append(f"a {ctype} part could not be read: {type(exc).__name__}")

    def _attached_message(self, part: Message) -> None:
        if self.depth >= self.MAX_DEPTH:
            self.problems.append("attached messages nested too deep; the innermost are skipped")
            return
        payload = part.get_payload()
        inner: Message | None = None
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            inner = payload[0]
        else:
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data.strip():
                inner = email.message_from_bytes(data, policy=compat32)
        if inner is None:
            self.problems.append("an attached message is empty")
            return
        self.attached.append(_read(inner, self.depth + 1))

    def _leaf(self, part: Message, ctype: str) -> None:
        filename = _filename(part)
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        is_body_text = ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename
        if is_body_text:
            text = decode_part(part, self.problems)
            (self.plain if ctype == "text/plain" else self.html).append(text)
            return
        if tnef.is_tnef(ctype, filename):
            self._winmail(part.get_payload(decode=True))
            return
        if _interesting(ctype, filename):
            data = part.get_payload(decode=True)
            if isinstance(data, bytes):
                self.attachments.append(Attachment(filename=filename, content_type=ctype, data=data))

    def _winmail(self, data: object) -> None:
        """Outlook's rich-text container: its body joins the message's, its files its attachments."""
        unpacked = tnef.unpack(data if isinstance(data, bytes) else b"")
        if unpacked.text:
            self.plain.append(unpacked.text)
        if unpacked.html:
            self.html.append(unpacked.html)
        self.problems.extend(unpacked.problems)
        self.attachments.extend(a for a in unpacked.attachments if _interesting(a.content_type, a.filename))

    def render_html(self) -> HtmlText | None:
        if not self.html:
            return None
        return html_to_text("\n".join(self.html))


def _interesting(ctype: str, filename: str | None) -> bool:
    """An attachment the extractor can read (a calendar, a table...), by type or by name."""
    return ctype in _INTERESTING_TYPES or (filename or "").lower().endswith(_INTERESTING_SUFFIXES)


def decode_part(part: Message, problems: list[str]) -> str:
    """A text part's payload as str, whatever its charset label says."""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    declared = part.get_content_charset()
    if not declared and part.get_content_type() == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        declared = meta.group(1).decode("ascii", "replace").lower() if meta else None
    return decode_bytes(data, declared, problems)


def decode_bytes(data: bytes, declared: str | None, problems: list[str]) -> str:
    """Declared charset first, then UTF-8, then windows-1252, which never fails."""
    for candidate in _charset_candidates(declared):
        try:
            return data.decode(candidate)
        except (ValueError, LookupError):  # bad bytes, or a label no codec has (even "\0")
            continue
    problems.append(f"text is not valid {declared or 'UTF-8'}; read as windows-1252")
    return data.decode("cp1252", "replace")


def _charset_candidates(declared: str | None) -> list[str]:
    candidates = []
    if declared:
        name = declared.strip().strip('"').lower()
        candidates.append(_CHARSET_ALIASES.get(name, name))
    candidates.append("utf-8")
    return candidates


def header_text(message: Message, name: str) -> str:
    """A header decoded from RFC 2047 words and stray 8-bit bytes, unfolded."""
    try:
        raw = message.get(name)
    except Exception:  # noqa: BLE001 - compat32 raises odd errors on hostile headers
        return ""
    if raw is None:
        return ""
    if isinstance(raw, email.header.Header):
        # compat32 wraps raw 8-bit header bytes as charset "unknown-8bit".
        try:
            return " ".join(_join_parts(email.header.decode_header(raw)).split())
        except email.errors.HeaderParseError:
            return ""
    return decode_header_value(_FOLD.sub("", str(raw)))


def raw_headers(message: Message, name: str) -> list[str]:
    """Every value of a header as it arrived, undecoded: 8-bit bytes read as UTF-8 (or windows-1252)."""
    try:
        return [_unescape_8bit(str(v)) for k, v in message.raw_items() if k.lower() == name.lower()]
    except Exception:  # noqa: BLE001 - compat32 raises odd errors on hostile headers
        return []


def decode_header_value(value: str) -> str:
    try:
        parts = email.header.decode_header(value)
    except (ValueError, IndexError, AssertionError, email.errors.HeaderParseError):
        parts = [(value, None)]
    return " ".join(_join_parts(parts).split())


def _join_parts(parts: list[tuple[bytes | str, str | None]]) -> str:
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(_unescape_8bit(chunk))
        else:
            out.append(decode_bytes(chunk, None if charset == "unknown-8bit" else charset, []))
    return "".join(out)


def _unescape_8bit(text: str) -> str:
    """compat32 keeps raw 8-bit header bytes as surrogates; most are UTF-8."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    data = text.encode("ascii", "surrogateescape")
    return decode_bytes(data, None, [])


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - RFC 2231 parameters can be arbitrarily broken
        return None
    return decode_header_value(name) if name else None


def message_ids(*values: str) -> tuple[str, ...]:
    """Every <id> in In-Reply-To/References values, in order, once."""
    seen: dict[str, None] = {}
    for value in values:
        for found in re.findall(r"<[^<>\s]+>", value or ""):
            seen.setdefault(found, None)
    return tuple(seen)
