"""Authentication-Results headers (RFC 8601), read as the grammar writes them.

    authserv-id [version] ; method[/version]=result [reason=value] [ptype.property=value ...] ; ...

The sender controls much of what a receiving server writes there (the
envelope sender it copies into smtp.mailfrom, comments, quoted strings), so
nothing is searched for in the text: comments are skipped, quoted strings are
read whole, a property's value is read as a value whatever it spells
("smtp.mailfrom=dmarc=pass@evil.example"), and a result that does not parse
is dropped, never guessed at. One pass over the text, so the time is linear
in its length; nothing in it can make `parse` raise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# what ends a bare word: the RFC 2045 tspecials and white space
_WORD_END = frozenset(' \t\r\n()<>@,;:\\"/[]?=')
# a property's value (RFC 8601 pvalue) may be an address, whose local part holds "=", "/" or "?"
_VALUE_END = frozenset(' \t\r\n();"')
_SPACE = frozenset(" \t\r\n")
_KEYWORD = re.compile(r"[a-z0-9](?:[a-z0-9_-]*)")
_PROPERTY = re.compile(r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)?")


@dataclass(frozen=True)
class Result:
    """One method's result ("dmarc", "pass") and its properties (("header.from", "x.example"), ...)."""

    method: str
    result: str
    properties: tuple[tuple[str, str], ...] = ()

    def get(self, name: str) -> str | None:
        """The value of the first property of that name ("header.from"), or None."""
        return next((value for key, value in self.properties if key == name), None)


@dataclass(frozen=True)
class AuthResults:
    """One Authentication-Results header: the server that wrote it (None when it names none) and its results."""

    authserv_id: str | None
    results: tuple[Result, ...]


class _Malformed(Exception):
    """The text at hand does not follow the grammar."""


class _Reader:
    """A position in the header's text, moved forward only."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    @property
    def done(self) -> bool:
        return self.pos >= len(self.text)

    def at(self, char: str) -> bool:
        return self.pos < len(self.text) and self.text[self.pos] == char

    def skip_cfws(self) -> None:
        """White space and comments (nested, with backslash escapes); an unclosed comment is malformed."""
        text = self.text
        while self.pos < len(text):
            if text[self.pos] in _SPACE:
                self.pos += 1
            elif text[self.pos] == "(":
                depth = 0
                while self.pos < len(text):
                    char = text[self.pos]
                    self.pos += 1
                    if char == "\\":
                        self.pos += 1
                    elif char == "(":
                        depth += 1
                    elif char == ")":
                        depth -= 1
                        if depth == 0:
                            break
                if depth:
                    raise _Malformed("unclosed comment")
            else:
                return

    def word(self, ends: frozenset[str] = _WORD_END) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ends:
            self.pos += 1
        return self.text[start:self.pos]

    def keyword(self, form: re.Pattern[str] = _KEYWORD) -> str:
        word = self.word().lower()
        if not form.fullmatch(word):
            raise _Malformed(f"not a keyword: {word[:40]!r}")
        return word

    def quoted(self) -> str:
        """A quoted string from its opening quote: its content, escapes undone."""
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == '"':
                return "".join(out)
            if char == "\\" and self.pos < len(self.text):
                char = self.text[self.pos]
                self.pos += 1
            out.append(char)
        raise _Malformed("unclosed quoted string")

    def value(self) -> str:
        """An RFC 2045 value: a token or a quoted string."""
        if self.at('"'):
            return self.quoted()
        word = self.word()
        if not word:
            raise _Malformed("a value is missing")
        return word

    def pvalue(self) -> str:
        """A property's value: a quoted string, a quoted local part with its @domain, or everything up to
        white space, a comment or the next ";" (an address's local part may spell "dmarc=pass")."""
        if self.at('"'):
            local = self.quoted()
            return f'"{local}"{self.word(_VALUE_END)}' if self.at("@") else local
        word = self.word(_VALUE_END)
        if not word:
            raise _Malformed("a property's value is missing")
        return word

    def expect(self, char: str) -> None:
        self.skip_cfws()
        if not self.at(char):
            raise _Malformed(f"{char!r} expected")
        self.pos += 1
        self.skip_cfws()

    def skip_to_next_result(self) -> None:
        """Up to the next ";" outside comments and quoted strings (or the end, when one is left open)."""
        while self.pos < len(self.text) and not self.at(";"):
            try:
                if self.at('"'):
                    self.quoted()
                elif self.at("("):
                    self.skip_cfws()
                else:
                    self.pos += 1
            except _Malformed:
                self.pos = len(self.text)


def parse(value: str) -> AuthResults:
    """One header's value; a result that does not parse is left out."""
    reader = _Reader(value)
    try:
        reader.skip_cfws()
        start = reader.pos
        authserv_id: str | None = reader.value().lower()
        reader.skip_cfws()
        if reader.at("="):  # a result where the server's name belongs: Microsoft 365 names none
            authserv_id, reader.pos = None, start
        elif not reader.done and value[reader.pos].isdigit():
            reader.word()  # the header's version: 1 is the only one there is
    except _Malformed:
        return AuthResults(None, ())
    results = []
    first = authserv_id is None  # that header's first result has no ";" before it
    while True:
        try:
            reader.skip_cfws()
            if reader.done:
                break
            if not first:
                if not reader.at(";"):
                    raise _Malformed("';' expected")
                reader.pos += 1
            first = False
            found = _resinfo(reader)
        except _Malformed:
            reader.skip_to_next_result()
            continue
        if found is not None:
            results.append(found)
    return AuthResults(authserv_id, tuple(results))


def _resinfo(reader: _Reader) -> Result | None:
    """`method[/version]=result [reason=value] [ptype.property=pvalue ...]`, up to the next ";" or the end;
    None for "none" (the server checked nothing)."""
    reader.skip_cfws()
    method = reader.keyword()
    reader.skip_cfws()
    if method == "none" and (reader.done or reader.at(";")):
        return None
    if reader.at("/"):
        reader.expect("/")
        reader.keyword()  # the method's version
    reader.expect("=")
    result = reader.keyword()
    properties = []
    while True:
        reader.skip_cfws()
        if reader.done or reader.at(";"):
            return Result(method, result, tuple(properties))
        name = reader.keyword(_PROPERTY)
        reader.expect("=")
        if name == "reason":
            reader.value()
        else:
            properties.append((name, reader.pvalue()))
