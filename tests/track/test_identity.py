"""Which milestone an item is about: reworded names, numbers, thread and old-date evidence."""

from __future__ import annotations

import pytest

from slipwatch.track import identity
from slipwatch.track.identity import THRESHOLD, Candidate, decide, similarity


@pytest.mark.parametrize(
    "a, b",
    [
        ("UAT build", "the UAT drop"),
        ("UAT build", "Build for UAT"),
        ("Search & filters", "Search and filter"),
        ("Beta", "Beta build"),
        ("API spec", "API specification"),
        ("Go-live", "go live"),
        ("Retouching batch 1 (40 hero images)", "Retouching batch 1 (hero images)"),
        ("Inline QC inspection (AQL 2.5)", "Inline QC inspection"),
        ("Product catalogue import script", "Product catalogue import"),
    ],
)
def test_rewordings_are_the_same_milestone(a, b):
    assert similarity(a, b) >= THRESHOLD


@pytest.mark.parametrize(
    "a, b",
    [
        ("Beta 1", "Beta 2"),
        ("Sprint 4 demo", "Sprint 5 demo"),
        ("Dielines", "Printed samples"),
        ("Checkout UI", "Checkout redesign"),
        ("UAT build", "UAT sign-off"),
    ],
)
def test_different_deliverables_stay_apart(a, b):
    assert similarity(a, b) < THRESHOLD


BETA = Candidate(1, ("Beta build",), "Trailhead app", "2026-11-20")
CHECKOUT = Candidate(2, ("Checkout UI",), None, "2026-11-28")


def test_the_old_date_a_mail_names_ties_a_reworded_item_to_its_milestone():
    assert decide("Checkout redesign", None, None, (), [CHECKOUT]).milestone is None
    d = decide("Checkout redesign", None, "2026-11-28", (), [CHECKOUT])
    assert d.milestone == 2 and "old date 2026-11-28 is its due date" in d.reasons


def test_a_reply_in_the_thread_helps_a_near_name():
    assert decide("Checkout redesign", None, None, (), [CHECKOUT]).milestone is None
    assert decide("Checkout redesign", None, None, {2}, [CHECKOUT]).milestone == 2  # milestone 2 is in the thread
    assert decide("Gift wrap", None, None, {2}, [CHECKOUT]).milestone is None


def test_a_different_project_never_matches():
    assert decide("Beta build", "Harbor", None, (), [BETA]).milestone is None
    assert decide("Beta build", None, None, (), [BETA]).milestone == 1


def test_a_project_named_loosely_is_still_the_same_project():
    """Regression (dev corpus): "Harbor" and "Harbor Phase 2" kept one UAT build apart as two."""
    harbor = Candidate(7, ("UAT build",), "Harbor Phase 2", "2026-11-20")
    assert decide("UAT build", "Harbor", None, (), [harbor]).milestone == 7


def test_no_candidates_means_a_new_milestone_with_a_reason():
    d = decide("Anything", None, None, (), [])
    assert d.milestone is None and d.reasons


def test_candidates_that_cannot_reach_the_threshold_are_spared_the_costly_comparison(monkeypatch):
    """A year of "UAT build <release name>" milestones: a new one shares two words of three with each."""
    history = [Candidate(n, (f"UAT build {word}",), None, "2026-11-20")
               for n, word in enumerate(["Aurora", "Borealis", "Cirrus", "Dorado", "Eridanus", "Fornax"], 1)]
    costly = []
    real = identity.fuzz.token_set_ratio
    monkeypatch.setattr(identity.fuzz, "token_set_ratio", lambda *a: costly.append(a) or real(*a))
    assert decide("UAT build Gemini", None, None, (), history).milestone is None
    assert costly == []
    # the same names with the old date as evidence can reach it: those are compared in full, as before
    decide("UAT build Gemini", None, "2026-11-20", (), history)
    assert len(costly) == len(history)
