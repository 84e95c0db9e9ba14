"""Deliverable names: the short name a vendor uses, without the words around it."""

from __future__ import annotations

import pytest

from slipwatch.extract.names import clean_name, is_vague, project_of, shorten, subject_item, subject_name


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
])
def test_clean_name(raw: str, name: str) -> None:
    assert clean_name(raw) == name


@pytest.mark.parametrize("sentence, name", [
    # the subject, before its verb
    ("The ONIX feed for Batch 1 will be uploaded by 6 pm tomorrow.", "ONIX feed for Batch 1"),
    ("Style sheet v2 with your comments will be shared next Tuesday.", "Style sheet v2 with your comments"),
    ("Because of the author's travel, the second proofs moved forward.", "second proofs"),
    ("Good news: the pre-production samples were dispatched today.", "pre-production samples"),
    ("This is to inform you that Batch 1 was delivered on Thursday.", "Batch 1"),
    ("Rahul promised on the call that the SKU sheet comes tomorrow.", "SKU sheet"),
    ("El plan de rodaje ya lo tenéis.", "plan de rodaje"),
    # the object, when the writer is the subject
    ("We submitted both builds to the stores today.", "both builds to the stores today"),
    ("I'll send you a shortlist of three voices by Friday.", "shortlist of three voices by Friday"),
    ("Terminamos la sesión en El Chaltén ayer.", "sesión en El Chaltén ayer"),
    # no object: the item is named elsewhere
    ("It is deployed to production behind a feature flag.", ""),
])
def test_subject_name(sentence: str, name: str) -> None:
    assert subject_name(sentence) == name


@pytest.mark.parametrize("name, short", [
    ("final dielines for all three box sizes", "final dielines"),
    ("dry run of the import on staging", "dry run"),
    ("A Map of Small Rains final masters", "A Map of Small Rains final masters"),  # a title stays whole
    ("ONIX feed for Batch 1", "ONIX feed for Batch 1"),                            # short enough
])
def test_long_names_lose_their_descriptive_tail(name: str, short: str) -> None:
    assert shorten(name) == short


@pytest.mark.parametrize("name, vague", [
    ("the date", True), ("ETA pls note", True), ("it", True), ("14", True),
    ("Beta 2", False), ("Fecha", True),
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
