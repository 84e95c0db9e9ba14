"""The language registry: every language file is complete and well formed.

Adding a language is adding daemon/slipwatch/lang/<code>.json; these tests
say what such a file must hold.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources

import pytest

from slipwatch import lang
from slipwatch.errors import LanguageFileError

LANGUAGES = lang.languages()
TEXT_LANGUAGES = lang.text_languages()


def test_the_registry_holds_the_languages_read_today():
    codes = {language.code for language in LANGUAGES}
    assert {"en", "de", "fr", "es", "pt", "pl", "it", "nl", "tr", "id", "hr", "fi", "ru", "ja", "zh"} <= codes


def test_every_file_in_the_folder_is_a_language():
    files = {e.name for e in resources.files("slipwatch.lang").iterdir() if e.name.endswith(".json")}
    assert files == {f"{language.code}.json" for language in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_every_language_names_every_month_and_weekday(language):
    assert len(language.months) == 12
    for number, (words, header_words) in enumerate(zip(language.months, language.header_months), 1):
        assert words or header_words, f"{language.code}: month {number} has no word"
    assert len(language.weekdays) == 7
    assert all(language.weekdays), f"{language.code}: a weekday has no word"
    assert language.date_order in ("DMY", "MDY", "YMD")


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_every_language_says_how_its_mail_clients_label_a_forward(language):
    labels = language.mail.labels
    assert labels["from"] and labels["date"] and labels["subject"], language.code


@pytest.mark.parametrize("language", TEXT_LANGUAGES, ids=lambda language: language.code)
def test_a_language_read_in_text_has_relative_days(language):
    # today, tomorrow and yesterday at least; a word for both sides counts for both (Hindi "कल")
    either = {sign * days for days in language.relative_either.values() for sign in (1, -1)}
    assert {0, 1, -1} <= set(language.relative_days.values()) | either, language.code


@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_weak_words_are_words_of_the_language(language):
    words = set(language.month_words(headers=True))
    assert language.weak_months <= words
    assert language.header_weak_months <= words


def test_no_word_names_two_months_across_shared_languages():
    months: dict[str, set[int]] = defaultdict(set)
    for language in lang.shared_languages():
        for word, month in language.month_words(headers=True).items():
            months[word].add(month)
    assert {word: found for word, found in months.items() if len(found) > 1} == {}


def test_an_exclusive_language_says_how_to_recognise_its_mail():
    for language in LANGUAGES:
        if language.exclusive:
            assert language.mail.marks, language.code


# The roles tool notifications and tables read: the item, its dates and its status.
READ_ROLES = ("name", "due", "date", "start", "previous", "revised", "status", "owner")


@pytest.mark.parametrize("language", TEXT_LANGUAGES, ids=lambda language: language.code)
def test_a_language_read_in_text_names_its_fields_and_table_headings(language):
    missing = [role for role in READ_ROLES if not language.fields[role]]
    assert missing == [], f"{language.code}: no field words for {missing}"


def test_a_field_word_may_end_in_a_star_for_any_ending_and_nowhere_else(tmp_path):
    good = json.loads(resources.files("slipwatch.lang").joinpath("en.json").read_text(encoding="utf-8"))
    assert lang._language("xx", dict(good, fields={"revised": ["replan*"]})).fields["revised"] == ("replan*",)
    with pytest.raises(LanguageFileError, match=r"'fields.due' holds 'f\*llig'; '\*' may only end a word"):
        lang._language("xx", dict(good, fields={"due": ["f*llig"]}))


def test_a_malformed_file_is_named_with_the_fix(tmp_path, monkeypatch):
    good = json.loads(resources.files("slipwatch.lang").joinpath("en.json").read_text(encoding="utf-8"))
    broken = dict(good, months=good["months"][:11])
    with pytest.raises(LanguageFileError, match=r"xx\.json: 'months' must be a list of 12 lists"):
        lang._language("xx", broken)
    with pytest.raises(LanguageFileError, match=r"xx\.json: 'era_offset' must be a whole number"):
        lang._language("xx", dict(good, era_offset="543"))
    with pytest.raises(LanguageFileError, match=r"xx\.json: date_order must be one of DMY, MDY, YMD"):
        lang._language("xx", dict(good, date_order="DM"))
    with pytest.raises(LanguageFileError, match=r"holds 'January'; words are lower case"):
        lang._language("xx", dict(good, weak_months=["January"]))
    with pytest.raises(LanguageFileError, match=r"unknown keys \['monts'\]"):
        lang._language("xx", dict(good, monts=[]))
    with pytest.raises(LanguageFileError, match=r"xx\.json: 'status' may hold only delivered, delayed, at_risk"):
        lang._language("xx", dict(good, status={"done": ["done"]}))
    with pytest.raises(LanguageFileError, match=r"xx\.json: 'name_edges' may hold only 'leading' and 'trailing'"):
        lang._language("xx", dict(good, name_edges={"first": ["the"]}))
    with pytest.raises(LanguageFileError, match=r"'moves' may hold only old, from, to, plan, link"):
        lang._language("xx", dict(good, moves={"was": ["was"]}))
    with pytest.raises(LanguageFileError, match=r"'status.delayed' holds '\*slip'; '\*' may only end a word"):
        lang._language("xx", dict(good, status={"delayed": ["*slip"]}))
    with pytest.raises(LanguageFileError, match=r"holds 'schuift …'; .* ' … ' only stand between two words"):
        lang._language("xx", dict(good, status={"delayed": ["schuift …"]}))
    with pytest.raises(LanguageFileError, match=r"xx\.json: 'fields' may hold only name, label, group, due"):
        lang._language("xx", dict(good, fields={"deadline": ["due"]}))


@pytest.mark.parametrize("language", [language for language in TEXT_LANGUAGES if language.spaced],
                         ids=lambda language: language.code)
def test_a_language_read_in_text_says_how_its_writers_report_a_delivery_and_a_delay(language):
    # the cue groups a vendor's words are read by (statuses, table cells, moved dates)
    assert language.status["delivered"] and language.status["delayed"], language.code
    assert language.status_cells["delivered"], language.code


def test_every_text_language_marks_an_old_date_or_where_a_move_starts():
    for language in TEXT_LANGUAGES:
        moves = language.moves
        assert moves["old"] or moves["from"] or moves["from_after"], language.code


def test_clause_openers_invoice_words_and_tool_activity_live_in_the_registry():
    from slipwatch.extract.words import ACTIVITY_WORDS, CLAUSE_OPENERS, MAIL_KIND_WORDS
    assert {"we", "je", "wir", "yo", "eu", "io", "ik"} <= set(CLAUSE_OPENERS["subject_pronouns"])
    assert {"if", "wenn", "si", "als", "qualora", "jeśli"} <= set(CLAUSE_OPENERS["conditions"])
    assert {"invoice", "rechnung", "factuur", "請求書"} <= set(MAIL_KIND_WORDS["invoice"])
    from slipwatch.extract.words import NOISE_WORDS
    assert {"on holiday", "放假", "휴무", "nghỉ lễ"} <= set(NOISE_WORDS["closure"])
    assert {"invoice", "rechnung", "termin płatności"} <= set(NOISE_WORDS["payment"])
    # tools localise their activity sentences: every language of their UIs names each kind of verb
    for code in ("en", "de", "fr", "es", "nl", "it"):
        activity = lang.language(code).activity
        assert all(activity[group] for group in lang.ACTIVITY_CUES), code


def test_a_misnamed_group_of_the_new_sections_is_named_with_the_fix():
    good = json.loads(resources.files("slipwatch.lang").joinpath("en.json").read_text(encoding="utf-8"))
    with pytest.raises(LanguageFileError, match=r"'clauses' may hold only subject_pronouns, conditions, sequence"):
        lang._language("xx", dict(good, clauses={"pronouns": ["we"]}))
    with pytest.raises(LanguageFileError, match=r"'mail_kinds' may hold only invoice"):
        lang._language("xx", dict(good, mail_kinds={"bill": ["bill"]}))
    with pytest.raises(LanguageFileError, match=r"'noise' may hold only closure, payment"):
        lang._language("xx", dict(good, noise={"holiday": ["on holiday"]}))
    with pytest.raises(LanguageFileError, match=r"'activity' may hold only change, changed, complete, mark, done"):
        lang._language("xx", dict(good, activity={"completed": ["completed"]}))
    with pytest.raises(LanguageFileError, match=r"'activity.complete' holds 'Completed'; words are lower case"):
        lang._language("xx", dict(good, activity={"complete": ["Completed"]}))


def test_the_registry_is_read_once():
    assert lang.languages() is lang.languages()
