"""Vocabularies the date grammar reads: months, weekdays, numbers, relative days.

Every table maps a lower-case word (accented and unaccented spellings both
listed) to its value.  ``alternation()`` turns a table into a regex
alternation, longest words first so that "sept" wins over "sep".

Languages: English, German, French, Spanish, Portuguese, Polish, Italian,
Dutch, Turkish and Indonesian.  Short words that are also ordinary words
("may", "set", "out", "mar", "sat", "sun", ...) are listed in the WEAK sets: the grammar accepts them only
where the context leaves no doubt (see dates.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --------------------------------------------------------------------------
# Months (1-12)
# --------------------------------------------------------------------------

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "jaenner", "janvier", "janv",
        "enero", "ene", "janeiro", "stycznia", "styczeń", "styczen", "styczniu",
        "gennaio", "gen", "januari",
        "ocak"),
    2: ("february", "feb", "febr", "februar", "février", "fevrier", "févr", "fevr",
        "febrero", "fevereiro", "fev", "lutego", "luty", "lutym", "febbraio",
        "februari",
        "şubat", "subat"),
    3: ("march", "mar", "märz", "maerz", "mär", "mrz", "mars", "marzo", "março",
        "marco", "marca", "marzec", "marcu", "maart", "mrt",
        "mart", "maret"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "kwietnia", "kwiecień",
        "kwiecien", "kwietniu", "aprile",
        "nisan"),
    5: ("may", "mai", "mayo", "maio", "maja", "maj", "maju", "maggio", "mag", "mei",
        "mayıs", "mayis"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "czerwca", "czerwiec",
        "czerwcu", "giugno", "giu",
        "haziran"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "lipca",
        "lipiec", "lipcu", "luglio", "lug",
        "temmuz"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "sierpnia", "sierpień",
        "sierpien", "sierpniu", "augustus",
        "ağustos", "agustos"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setiembre",
        "setembro", "set", "września", "wrzesnia", "wrzesień", "wrzesien",
        "wrześniu", "settembre",
        "eylül", "eylul"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "out",
         "października", "pazdziernika", "październik", "pazdziernik",
         "październiku", "ottobre", "ott",
         "ekim"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "listopada",
         "listopad", "listopadzie", "lis",
         "kasım", "kasim"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "dec",
         "diciembre", "dic", "dezembro", "grudnia", "grudzień", "grudzien",
         "grudniu", "dicembre", "gru",
         "aralık", "aralik", "desember"),
}

MONTHS: dict[str, int] = {w: n for n, words in _MONTH_NAMES.items() for w in words}

# Month words that are also common words; only accepted in unmistakable
# shapes ("6 de nov", "28 out 2026", "May 5" capitalised...).
WEAK_MONTHS: frozenset[str] = frozenset(
    {"may", "mar", "set", "out", "ago", "gen", "lis", "gru", "mag", "lug", "ott",
     "giu", "dic", "maj", "mai", "mei", "jun", "jul", "dez", "fev", "ene", "mars",
     "mart", "ekim"})

# --------------------------------------------------------------------------
# Weekdays (Monday = 0)
# --------------------------------------------------------------------------

_WEEKDAY_NAMES: dict[int, tuple[str, ...]] = {
    0: ("monday", "montag", "lundi", "lunes", "segunda-feira", "segunda",
        "poniedziałek", "poniedzialek", "lunedì", "lunedi", "maandag",
        "pazartesi", "senin"),
    1: ("tuesday", "dienstag", "mardi", "martes", "terça-feira", "terca-feira",
        "terça", "terca", "wtorek", "martedì", "martedi", "dinsdag",
        "salı", "sali", "selasa"),
    2: ("wednesday", "mittwoch", "mercredi", "miércoles", "miercoles",
        "quarta-feira", "quarta", "środa", "środę", "środy", "sroda", "srode",
        "mercoledì", "mercoledi", "woensdag",
        "çarşamba", "carsamba", "rabu"),
    3: ("thursday", "donnerstag", "jeudi", "jueves", "quinta-feira", "quinta",
        "czwartek", "giovedì", "giovedi", "donderdag",
        "perşembe", "persembe", "kamis"),
    4: ("friday", "freitag", "vendredi", "viernes", "sexta-feira", "sexta",
        "piątek", "piatek", "venerdì", "venerdi", "vrijdag",
        "cuma", "jumat", "jum'at"),
    5: ("saturday", "samstag", "sonnabend", "samedi", "sábado", "sabado",
        "sobota", "sobotę", "sobote", "soboty", "sabato", "zaterdag",
        "cumartesi", "sabtu"),
    6: ("sunday", "sonntag", "dimanche", "domingo", "niedziela", "niedzielę",
        "niedziele", "domenica", "zondag"),
}
WEEKDAYS: dict[str, int] = {w: n for n, words in _WEEKDAY_NAMES.items() for w in words}

# Abbreviations.  English ones may stand alone when capitalised ("HL on track
# for Mon"); the others only in front of a date ("sex, 6 de nov", "Do, 15.10.").
_WEEKDAY_ABBR: dict[int, tuple[str, ...]] = {
    0: ("mon", "mo", "lun", "seg", "pon", "ma"),
    1: ("tue", "tues", "di", "mar", "ter", "wt", "din"),
    2: ("wed", "mi", "mer", "mié", "mie", "qua", "śr", "sr", "wo", "woe"),
    3: ("thu", "thur", "thurs", "do", "jeu", "jue", "qui", "czw", "gio", "don"),
    4: ("fri", "fr", "ven", "vie", "sex", "pt", "pią", "vr", "vrij"),
    5: ("sat", "sa", "sam", "sáb", "sab", "sob", "za"),
    6: ("sun", "so", "dim", "dom", "nd", "niedz", "zo"),
}
WEEKDAY_ABBR: dict[str, int] = {w: n for n, words in _WEEKDAY_ABBR.items() for w in words}
# English abbreviations usable without a following date (capitalised only).
WEEKDAY_ABBR_ALONE: frozenset[str] = frozenset(
    {"mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"})

# --------------------------------------------------------------------------
# Numbers written as words (durations, "in two weeks")
# --------------------------------------------------------------------------

NUMBER_WORDS: dict[str, int] = {
    # English
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a couple of": 2, "couple of": 2, "a single": 1, "another": 1,
    # German
    "ein": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2,
    "drei": 3, "vier": 4, "fünf": 5, "funf": 5, "sechs": 6, "sieben": 7,
    "acht": 8, "neun": 9, "zehn": 10,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quinze": 15,
    # Spanish / Portuguese / Italian
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "quince": 15,
    "um": 1, "uma": 1, "dois": 2, "duas": 2, "três": 3, "quatro": 4,
    "sete": 7, "oito": 8, "nove": 9, "dez": 10, "quinze dias": 15,
    "due": 2, "tre": 3, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
    "dieci": 10,
    # Polish
    "jeden": 1, "jedna": 1, "jeden dzień": 1, "dwa": 2, "dwie": 2, "dwóch": 2,
    "dwoch": 2, "trzy": 3, "trzech": 3, "cztery": 4, "pięć": 5, "piec": 5,
    "sześć": 6, "szesc": 6, "siedem": 7, "osiem": 8, "dziewięć": 9, "dziesięć": 10,
    # Dutch
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7,
    "negen": 9, "tien": 10,
}

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
    "fourth": 4, "4th": 4, "fifth": 5, "5th": 5, "last": -1, "final": -1,
    # es / pt / it / fr / de
    "primera": 1, "primer": 1, "primeira": 1, "segunda": 2, "tercera": 3,
    "terceira": 3, "cuarta": 4, "quarta": 4, "última": -1, "ultima": -1,
    "prima": 1, "seconda": 2, "terza": 3,
    "première": 1, "premiere": 1, "deuxième": 2, "deuxieme": 2, "seconde": 2,
    "troisième": 3, "troisieme": 3, "quatrième": 4, "dernière": -1, "derniere": -1,
    "ersten": 1, "erste": 1, "zweiten": 2, "zweite": 2, "dritten": 3, "dritte": 3,
    "vierten": 4, "letzten": -1, "letzte": -1,
}

# --------------------------------------------------------------------------
# Relative day words -> offset in days from the sent date
# --------------------------------------------------------------------------

RELATIVE_DAYS: dict[str, int] = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1,
    "day after tomorrow": 2, "the day after tomorrow": 2,
    "yesterday": -1, "last night": -1, "day before yesterday": -2,
    "the day before yesterday": -2,
    # German
    "heute": 0, "morgen": 1, "übermorgen": 2, "uebermorgen": 2, "gestern": -1,
    "vorgestern": -2, "heute morgen": 0, "gestern abend": -1,
    # French
    "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1, "après-demain": 2,
    "apres-demain": 2, "hier": -1, "avant-hier": -2, "ce matin": 0, "ce soir": 0,
    "hier soir": -1,
    # Spanish
    "hoy": 0, "mañana": 1, "manana": 1, "pasado mañana": 2, "pasado manana": 2,
    "ayer": -1, "anteayer": -2, "antier": -2, "esta mañana": 0, "esta tarde": 0,
    "anoche": -1,
    # Portuguese
    "hoje": 0, "amanhã": 1, "amanha": 1, "depois de amanhã": 2,
    "depois de amanha": 2, "ontem": -1, "anteontem": -2, "hoje de manhã": 0,
    # Polish
    "dziś": 0, "dzis": 0, "dzisiaj": 0, "jutro": 1, "pojutrze": 2,
    "wczoraj": -1, "przedwczoraj": -2,
    # Italian
    "oggi": 0, "domani": 1, "dopodomani": 2, "ieri": -1, "l'altro ieri": -2,
    "stamattina": 0, "stasera": 0,
    # Dutch
    "vandaag": 0, "overmorgen": 2, "gisteren": -1, "eergisteren": -2,
    # Turkish
    "bugün": 0, "bugun": 0, "yarın": 1, "yarin": 1, "dün": -1, "öbür gün": 2,
    # Indonesian
    "hari ini": 0, "besok": 1, "kemarin": -1, "lusa": 2,
}


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces flexible."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"\s+")
        parts.append("".join("['’]" if ch in "'’" else ch for ch in esc))
    return "(?:" + "|".join(parts) + ")"


def trie_regex(words: Iterable[str]) -> str:
    """A regex for ``words`` built as a prefix tree: fast to try at a position.

    Spaces match any run of blanks; an apostrophe matches ' or ’.
    """
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w.replace("’", "'"):
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            if ch == " ":
                edge = r"\s+"
            elif ch == "'":
                edge = "['’]"
            else:
                edge = re.escape(ch)
            alts.append(edge + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return "(?:" + body + ")?"
        return body

    return "(?:" + emit(trie) + ")"


def strip_dot(word: str) -> str:
    return word.lower().rstrip(".")
