"""slipwatch.sanitise: control, bidi and invisible characters in visible form, nothing dropped."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slipwatch.sanitise import one_line, visible

SHOWN = ("Cc", "Cf", "Cs", "Zl", "Zp")
BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
JOINERS = "\u200c\u200d"


def hidden(text: str, keep: str = "") -> list[str]:
    """The characters of `text` a person would not see for what they are, but the joiners in words."""
    out = []
    for i, c in enumerate(text):
        if c in keep or (unicodedata.category(c) not in SHOWN and c not in BIDI_CONTROLS):
            continue
        joined = c in JOINERS and 0 < i < len(text) - 1 and all(
            not n.isascii() and (unicodedata.category(n)[0] in "LM" or unicodedata.category(n) == "So")
            for n in (text[i - 1], text[i + 1]))
        if not joined:
            out.append(c)
    return out


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Beta \x1b[2J build", "Beta ␛[2J build"),
        ("\x1b]8;;https://evil.example/\x1b\\plan\x1b]8;;\x1b\\", "␛]8;;https://evil.example/␛\\plan␛]8;;␛\\"),
        ("report\u202egnp.exe", "report<U+202E>gnp.exe"),
        ("\u2066isolated\u2069", "<U+2066>isolated<U+2069>"),
        ("\x9b2J and \x85", "<U+009B>2J and <U+0085>"),
        ("bell\x07 null\x00 del\x7f", "bell␇ null␀ del␡"),
        ("pay\u200bpal pay\u200dpal", "pay<U+200B>pal pay<U+200D>pal"),
        ("hidden\U000e0041\U000e0042", "hidden<U+E0041><U+E0042>"),
        ("\ufeffsoft\u00adhyphen", "<U+FEFF>soft<U+00AD>hyphen"),
        ("line\u2028break", "line<U+2028>break"),
        ("\ud800 lone surrogate", "<U+D800> lone surrogate"),
        ("two\nlines\tand a tab\r", "two␊lines␉and a tab␍"),
        ("Übergabe café 納期 — “quoted” 👍", "Übergabe café 納期 — “quoted” 👍"),
    ],
)
def test_each_hostile_character_has_a_visible_form(text, shown):
    assert visible(text) == shown


def test_newlines_and_tabs_stay_where_a_format_has_lines():
    assert visible("two\nlines\tand\x1b", keep="\n\t") == "two\nlines\tand␛"


def test_one_line_makes_breaks_spaces_and_the_rest_visible():
    assert one_line("Beta\r\nbuild\tdue\u2028Friday\x1b[2J") == "Beta  build due Friday␛[2J"


def test_joiners_stay_inside_words_of_scripts_that_need_them():
    persian = "می\u200cخواهم"  # "I want": the ZWNJ keeps the prefix apart, as Persian spells it
    family = "👩\u200d💻"
    assert visible(persian) == persian and visible(family) == family
    assert visible("\u200cmی") == "<U+200C>mی"  # at the start of the text: joins nothing


def test_every_control_format_and_separator_character_is_shown():
    """The fast path's ranges cover every such character of the Unicode version Python has."""
    missed = [
        f"U+{code:04X}" for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in SHOWN and hidden(visible(f"a{chr(code)}a"))
    ]
    assert missed == []


@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=60))  # surrogates too
def test_nothing_hidden_is_left_and_a_second_pass_changes_nothing(text):
    once = visible(text)
    assert hidden(once) == []
    assert visible(once) == once
    assert hidden(one_line(text)) == [] and one_line(one_line(text)) == one_line(text)


@given(st.text(alphabet=st.sampled_from(
    ["a", "ی", "م", "👩", "\u200c", "\u200d", "\u202e", "\x1b", "\n", "\t", "\u2066", " ", "\x9b", "\u200b"]),
    max_size=30))
def test_the_characters_that_matter_most_never_survive(text):
    """The same property, drawn from the characters an attacker reaches for, next to the joiners' neighbours."""
    once = visible(text, keep="\n")
    assert hidden(once, keep="\n") == [] and visible(once, keep="\n") == once
    assert not set(once) & (BIDI_CONTROLS | {"\x1b", "\x9b", "\t", "\u200b"})
