"""Identity matching looks only at the milestones an item can match, and what it remembers stays true.

A vendor's milestones are kept in memory between mails (track/record.py) and indexed by the words of
their names (track/identity.py WordIndex): a mail's cost depends on the words it carries, not on the
years of history behind it. Whatever changes the milestones elsewhere (a correction from the CLI,
another process, a transaction rolled back) makes the next mail read them again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slipwatch.extract.model import Milestone
from slipwatch.store import Location, Store
from slipwatch.track import corrections
from slipwatch.track.identity import THRESHOLD, WordIndex, Words, similarity
from slipwatch.track.record import CLOSED_MATCHABLE, Observation, VendorMilestones, record

SENT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "slipwatch.db")
    yield s
    s.close()


def mail(store: Store, *items: Milestone, sent: dt.datetime = SENT, message_id: str | None = None,
         replies_to: str | None = None) -> list[int]:
    """Record one vendor mail's items; the milestones they went to."""
    message = None
    if message_id:
        message = store.admit(f"Message-ID: {message_id}\n\n".encode(), message_id, Location("test", message_id)).id
        store.conn.execute("UPDATE messages SET message_id = ? WHERE id = ?", (message_id, message))
    with store.transaction() as conn:
        done = record(conn, Observation(message, "Nimbus Labs", "pm@nimbuslabs.example", sent, items,
                                        thread=(replies_to,) if replies_to else ()))
    return [r.milestone for r in done]


def item(name: str, due: str = "2026-11-20", status: str = "planned", **more) -> Milestone:
    return Milestone(name, "Atlas", due, status, **more)


def test_the_index_finds_the_names_that_can_match_by_themselves():
    index = WordIndex()
    for mid, name in enumerate(["UAT build", "Product catalogue import", "Printed samples", "Beta 2",
                                "Android beta 2 build"], 1):
        index.add(mid, [Words.of(name)])
    assert index.could_match("the UAT drop") == {1}  # drop and build are one word (synonyms)
    assert index.could_match("Catalog import") == {2}  # nearly equal to "catalogue": a typo, or another spelling
    assert index.could_match("Dielines") == set()
    assert index.could_match("Beta 2") == {4, 5}  # every word of theirs, or all of its words
    assert index.could_match("Catalogue") == {2}  # all of its words are the name's
    assert index.could_match("UAT build plan") == {1}  # every word of the name is the item's
    # shares a word, but two of three words differ: the name cannot reach THRESHOLD by itself
    assert index.could_match("Printed labels") == set()


def test_a_name_that_shares_only_a_misspelt_word_still_matches(store):
    (first,) = mail(store, item("Catalogue import"))
    (second,) = mail(store, item("Catalog imprt", "2026-11-27"))  # no word the same
    assert second == first


def test_a_vendor_with_years_of_history_compares_an_item_with_the_few_it_can_match(store):
    mail(store, *(item(f"Retouching batch {n}") for n in range(300)), item("UAT build"))
    with store.transaction() as conn:
        known = VendorMilestones.load(conn, 1)
    (uat,) = [mid for mid in known.candidates("UAT build", (), SENT) if "UAT build" in known.candidate(mid).names]
    assert known.candidates("the UAT drop", (), SENT) == {uat}
    (seventh,) = known.candidates("Retouching batch 7", (), SENT)  # all 300 share two of its three words
    assert "Retouching batch 7" in known.candidate(seventh).names


def test_an_item_with_an_old_date_is_compared_with_the_milestones_due_then(store):
    (first,) = mail(store, item("UAT build", "2026-11-20"))
    # a name that scores below THRESHOLD alone, lifted by the old date the mail gives (identity.decide)
    (same,) = mail(store, item("UAT smoke build", "2026-11-27", previous_due="2026-11-20"),
                   sent=SENT + dt.timedelta(days=1))
    assert same == first


_WORDS = ["uat", "build", "beta", "catalogue", "catalog", "print", "prints", "label", "2", "3", "android", "ios"]


@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), min_size=1, max_size=25),
       st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6))
def test_the_index_never_leaves_out_a_name_that_would_match(names, item_words):
    index = WordIndex()
    for mid, name in enumerate(names):
        index.add(mid, [Words.of(" ".join(name))])
    item_name = " ".join(item_words)
    matching = {mid for mid, name in enumerate(names) if similarity(item_name, " ".join(name)) >= THRESHOLD}
    assert matching <= index.could_match(item_name)


def test_a_correction_made_elsewhere_is_seen_by_the_next_mail(store, tmp_path):
    (first,) = mail(store, item("UAT build"))
    other = Store.open(tmp_path / "slipwatch.db")  # the CLI, while the daemon runs
    with other.transaction() as conn:
        corrections.ignore(conn, first, author="maya@fernhill.example", at=SENT)
    other.close()
    (second,) = mail(store, item("UAT build", "2026-11-27"), sent=SENT + dt.timedelta(days=1))
    assert second != first  # the ignored milestone matches nothing: a remembered copy would have matched it


def test_a_mail_whose_transaction_rolled_back_leaves_nothing_remembered(store):
    with pytest.raises(RuntimeError), store.transaction() as conn:
        record(conn, Observation(None, "Nimbus Labs", "pm@nimbuslabs.example", SENT, [item("UAT build")]))
        raise RuntimeError("the disk filled up")
    (milestone,) = mail(store, item("UAT build"))
    (again,) = mail(store, item("UAT build", "2026-11-27"))
    assert store.conn.execute("SELECT count(*) FROM milestones").fetchone()[0] == 1
    assert again == milestone


def test_items_of_one_mail_see_the_milestones_the_earlier_ones_made(store):
    first, second = mail(store, item("UAT build"), item("UAT build", "2026-11-27", previous_due="2026-11-20"))
    assert first == second


@pytest.mark.parametrize("status", ["delivered", "cancelled"])
def test_a_milestone_closed_long_ago_is_not_matched_by_a_new_mail(store, status):
    (old,) = mail(store, item("UAT build"), sent=SENT)
    mail(store, item("UAT build", status=status), sent=SENT + dt.timedelta(days=20))
    later = SENT + dt.timedelta(days=20) + CLOSED_MATCHABLE
    (recent,) = mail(store, item("UAT build", "2027-03-01"), sent=later - dt.timedelta(days=1))
    assert recent == old  # closed within the window: still the same deliverable
    # a second closure, then a mail past the window after it: the next release of the same name is new
    mail(store, item("UAT build", status=status), sent=later)
    (new,) = mail(store, item("UAT build", "2027-09-01"), sent=later + CLOSED_MATCHABLE + dt.timedelta(days=1))
    assert new != old


def test_a_reply_in_the_thread_of_a_closed_milestone_still_matches_it(store):
    (old,) = mail(store, item("UAT build", status="delivered"), sent=SENT, message_id="<done@nimbuslabs.example>")
    (same,) = mail(store, item("UAT build", "2027-06-01", status="delayed"), sent=SENT + 2 * CLOSED_MATCHABLE,
                   replies_to="<done@nimbuslabs.example>")
    assert same == old


def test_a_milestone_still_open_is_matched_however_old(store):
    (old,) = mail(store, item("UAT build"), sent=SENT)
    (same,) = mail(store, item("UAT build", "2028-01-10"), sent=SENT + dt.timedelta(days=700))
    assert same == old
