"""Deliverable names: the short name a vendor uses, without the words around it."""

from __future__ import annotations

import pytest

from slipwatch.extract.names import (clean_name, is_vague, project_of, split_items, subject_item,
                                     subject_name)
from slipwatch.lang import text_languages


@pytest.mark.parametrize("raw, name", [
    ("1. Product feed export", "Product feed export"),
    ("• the Android build", "Android build"),
    ("OMS integration (order export)", "OMS integration (order export)"),           # a short aside names it
    ("Checkout UI (cart, shipping and payment steps)", "Checkout UI"),              # a long one describes it
    ("Loyalty migration (was 4 Dec)", "Loyalty migration"),
    ("Ozalid proofs dispatch 蓝纸打样寄出", "Ozalid proofs dispatch"),
    ("**Release notes** –", "Release notes"),
    ("the pilot build for", "pilot build"),
    ("Style guide together with the icon set", "Style guide and the icon set"),
    ("・要件定義書のご提出：", "要件定義書のご提出"),                                  # written in CJK: kept whole
    ("UAT環境へのデプロイ", "UAT環境へのデプロイ"),
])
def test_clean_name(raw: str, name: str) -> None:
    assert clean_name(raw) == name


@pytest.mark.parametrize("sentence, name", [
    # the subject, before its verb
    ("The ONIX feed for Batch 1 will be uploaded by 6 pm tomorrow.", "ONIX feed for Batch 1"),
    ("Style sheet v2 with your comments will be shared next Tuesday.", "Style sheet v2 with your comments"),
    ("Because of the author's travel, the second proofs moved forward.", "second proofs"),
    ("Good news: the pre-production samples were dispatched today.", "pre-production samples"),
    # a salutation on the item's own line is not part of the name (regression: "Hi, the Storefront copy deck")
    ("Hi, the Storefront copy deck will be ready on Friday.", "Storefront copy deck"),
    ("Hi Maya, the Storefront copy deck will be ready on Friday.", "Storefront copy deck"),
    ("This is to inform you that Batch 1 was delivered on Thursday.", "Batch 1"),
    ("Rahul promised on the call that the SKU sheet comes tomorrow.", "SKU sheet"),
    ("El plan de rodaje ya lo tenéis.", "plan de rodaje"),
    # the object, when the writer is the subject
    ("We submitted both builds to the stores today.", "both builds to the stores today"),
    ("I'll send you a shortlist of three voices by Friday.", "shortlist of three voices by Friday"),
    ("Terminamos la sesión en El Chaltén ayer.", "sesión en El Chaltén ayer"),
    # a contracted writer and a wish are the writer's too
    ("We'd like to publish the field guide on Thursday.", "field guide on Thursday"),
    ("we would like to publish the field guide on Thursday.", "field guide on Thursday"),
    # a condition opens the sentence, the item follows it
    ("If the printer agrees, the field guide will ship on Thursday.", "field guide"),
    # no object: the item is named elsewhere
    ("It is deployed to production behind a feature flag.", ""),
])
def test_subject_name(sentence: str, name: str) -> None:
    assert subject_name(sentence) == name


@pytest.mark.parametrize("name, vague", [
    ("the date", True), ("ETA pls note", True), ("it", True), ("14", True),
    ("Beta 2", False), ("Fecha", True),
    ("4.12.1", False), ("v0.9.0", False),  # a version names a release; a lone number does not
    # a pronoun as the subject opens the writer's clause; the IT department is no pronoun
    ("I've just", True), ("We're co-authors", True), ("Je serai", True), ("Ik ben uitgegaan", True),
    ("It's", True), ("IT handover", False),
    # what is left of a date names nothing, in any language of the registry; a code is no weekday
    ("Wednesday", True), ("Fri.", True), ("tomorrow", True), ("Morgen", True), ("Mai 12", True),
    ("of Tuesday", True), ("on Tue", True), ("SO-53310", False), ("May release", False), ("Final", False),
])
def test_vague_names(name: str, vague: bool) -> None:
    assert is_vague(name) is vague


@pytest.mark.parametrize("subject, name", [
    ("Foil samples set 2 - ETA?", "Foil samples set 2"),
    ("[JIRA] (INK-23) Navigable prototype – homepage", "Navigable prototype – homepage"),
    ("[acme/shop] Catalogue import (Issue #41)", "Catalogue import"),
])
def test_subject_item(subject: str, name: str) -> None:
    assert subject_item(subject) == name


@pytest.mark.parametrize("subject, text, project", [
    ("Weekly status", "Status for Project Atlas below.", "Atlas"),
    ("Harbor – weekly status W42", "", "Harbor"),
    ("Re: quick question", "Nothing to report.", None),
])
def test_project(subject: str, text: str, project: str | None) -> None:
    assert project_of(subject, text) == project


@pytest.mark.parametrize("sentence, name", [
    # a person or a handle as the subject: the deliverable is the object
    ("Marek Nowak will send the load test plan.", "load test plan"),
    ("Ines shipped the colour cards.", "colour cards"),
    ("@sam moved this to Sprint 9.", ""),               # "this": the thread's item, named elsewhere
    ("Harborview went live on Monday.", "Harborview go-live"),   # no object: a project and its event
    # a recipient is no part of the object
    ("We handed over the operations runbook to your support team.", "operations runbook"),
    # the event a short subject's verb names
    ("The pallets left our factory on 2 Nov.", "pallets ex-factory"),
    ("The web shop is now live.", "web shop go-live"),
    ("The nightly export pipeline went live.", "nightly export pipeline"),   # long enough on its own
    ("We went live on Tuesday with the returns portal.", "returns portal go-live"),
    ("We launched the referral scheme.", "referral scheme"),
    # an all-capitals code is never a verb ("ES" is Spanish "is")
    ("The EN/ES product sheets are due Friday.", "EN/ES product sheets"),
])
def test_who_does_it_and_what_happened(sentence: str, name: str) -> None:
    assert subject_name(sentence) == name


@pytest.mark.parametrize("name", [
    "Lantern deliverables status",
    "status for week 46",
    "estado de los entregables",
    "Project update",
    "Tracking",
    "tracking link",
    "DHL tracking number",
])
def test_a_name_that_is_the_report_itself_is_vague(name: str) -> None:
    assert is_vague(name)


@pytest.mark.parametrize("name, sentence, items", [
    ("installer and the admin guide", "The installer and the admin guide are due Friday.",
     ["installer", "admin guide"]),
    # one deliverable: a label, an object, or words joined inside an aside
    ("Cloth and foil samples", "Cloth and foil samples: shipped Friday.", ["Cloth and foil samples"]),
    ("sample chapter and the style sheet", "We will send the sample chapter and the style sheet by Friday.",
     ["sample chapter and the style sheet"]),
    ("A/B test results", "The A/B test results are due Friday.", ["A/B test results"]),
    # codes sharing one head noun are one deliverable as named
    ("EN/ES product sheets", "The EN/ES product sheets are due Friday.", ["EN/ES product sheets"]),
    ("iOS/Android builds", "iOS/Android builds: Friday.", ["iOS/Android builds"]),
])
def test_one_sentence_can_state_two_items(name: str, sentence: str, items: list[str]) -> None:
    assert split_items(name, sentence) == items


@pytest.mark.parametrize("subject, name", [
    ("Work Item Changed: Task 4412 - Import API", "Import API"),
    ("Reminder: Press kit due soon", "Press kit due soon"),
    ("Bug #231: Checkout crash on iOS 18", "Checkout crash on iOS 18"),
])
def test_a_tools_subject_prefix_is_not_the_items_name(subject: str, name: str) -> None:
    assert subject_item(subject) == name


@pytest.mark.parametrize("language", [lang for lang in text_languages() if lang.name_leading or lang.name_trailing],
                         ids=lambda lang: lang.code)
def test_a_name_loses_the_words_its_language_file_says_no_name_starts_or_ends_with(language) -> None:
    for word in language.name_leading:
        assert clean_name(f"{word} Beta build") == "Beta build", (language.code, word)
    for word in language.name_trailing:
        assert clean_name(f"Beta build {word}") == "Beta build", (language.code, word)
