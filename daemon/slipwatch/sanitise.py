"""Text from mail, made inert for people: what a terminal, a mail client or a calendar would act on shows
as what it is.

Vendor mail is anyone's to write. An escape sequence in a subject can clear a
terminal or plant an OSC 8 link under innocent words; a right-to-left
override makes "gnp.exe" read "exe.png"; zero-width characters hide text or
make two names look alike. Every output meant for a person (the CLI, logs,
digests, feeds, the answers we send) passes vendor text through `visible`:
C0 controls become their control pictures (ESC is "␛"), DEL "␡", and C1
controls, format characters (bidi controls, zero-width characters, tags),
surrogates and line/paragraph separators become "<U+202E>". Nothing is
dropped, so a person sees that something was there. The store and the raw
mail keep the text as it came.

The joiners U+200C and U+200D stay between two letters of a script that
needs them (Persian, the Indic scripts, emoji sequences); between ASCII
letters they only hide things and are shown.
"""

from __future__ import annotations

import re
import unicodedata

# Every character of categories Cc, Cf, Cs, Zl and Zp (tests/test_sanitise.py checks this against the
# running Python's Unicode data), in ranges that may hold a few others, which are kept.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_SHOWN = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
_JOINERS = frozenset("\u200c\u200d")
_BREAKS = re.compile(r"[\t\n\v\f\r\x85\u2028\u2029]")


def visible(text: str, keep: str = "") -> str:
    """`text` with every control, format and separator character in a visible form; those in `keep`
    ("\\n\\t" where a format has lines) stay. Idempotent."""
    if not _SUSPECT.search(text):
        return text
    return _SUSPECT.sub(lambda m: _shown(m, keep), text)


def one_line(text: str) -> str:
    """`visible` for a place that holds one line (a table cell, a SUMMARY, a name inside a sentence):
    each line break or tab becomes a space."""
    return visible(_BREAKS.sub(" ", text))


def _shown(match: re.Match[str], keep: str) -> str:
    char = match.group()
    if char in keep or unicodedata.category(char) not in _SHOWN or _joining(match):
        return char
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures: "␀", "␛", "␟"
    if code == 0x7F:
        return "\u2421"  # "␡"
    return f"<U+{code:04X}>"


def _joining(match: re.Match[str]) -> bool:
    """A joiner between two letters (or marks, or emoji) of a script that uses joiners."""
    if match.group() not in _JOINERS:
        return False
    text, at = match.string, match.start()
    return 0 < at < len(text) - 1 and all(_joinable(text[at + step]) for step in (-1, 1))


def _joinable(char: str) -> bool:
    category = unicodedata.category(char)
    return not char.isascii() and (category[0] in "LM" or category == "So")
