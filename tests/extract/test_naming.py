"""naming.py and its training: an item's name chosen among the spans of its unit.

The candidates are the runs of words of the item's label and dated sentence;
a span's features belong to its first word, its last word, the words it
holds and the pair; the best span by the sum of its features' weights names
the item, and the rules' name stays unless another span weighs more.
"""

from __future__ import annotations

import json

import pytest

from slipwatch.extract import dates as grammar
from slipwatch.extract import naming
from slipwatch.extract.candidates import rule_name, text_milestones
from slipwatch.extract.model import Reading
from slipwatch.extract.structure import segments
from tests.extract.messages import MON_2_NOV_IST


def unit(text: str):
    """The first dated unit of `text`, its dates and the rules' name for it."""
    found = grammar.find_dates(text, MON_2_NOV_IST)
    for seg in segments(text, [(m.start, m.end) for m in found]):
        dates = [m for m in found if seg.span.start <= m.start < seg.span.end]
        if dates:
            return seg, dates, rule_name(text, seg, dates)[0]
    raise AssertionError(f"no dated unit in {text!r}")


def window(text: str) -> naming.Window:
    seg, dates, rule = unit(text)
    w = naming.window(text, seg, dates, rule)
    assert w is not None
    return w


def words(w: naming.Window) -> list[str]:
    return [w.text[a:b] for a, b in w.words]


def test_the_words_are_the_label_and_the_dated_sentence_and_end_at_the_date():
    w = window("- Beta build: ships on 9 Nov, as planned. Tell us if that breaks anything.")
    assert words(w) == ["Beta", "build", "ships", "on", "as", "planned"]
    assert w.gaps == ("start", "space", "start", "space", "date", "space")
    assert w.label == (0, 1) and w.rule == (0, 1)  # the rules named it by its label
    assert w.shapes[:3] == ("capital", "lower", "lower")


def test_the_rules_name_stays_where_the_model_has_nothing_to_choose():
    text = "The installer and the admin guide are due on 9 Nov."
    seg, dates, rule = unit(text)
    assert naming.window(text, seg, dates, rule) is None  # two items: the rules part them
    assert naming.window(text, seg, [], "installer") is None  # no date to read the words by
    assert naming.window(text, seg, dates, "the date") is None  # a vague name: no item
    assert naming.window(text, seg, dates, "admin guide review call") is None  # a meeting: no item
    assert naming.window(text, seg, dates, "結合テスト") is None  # CJK: no spaces between words
    assert naming.window(text, seg, dates, "release notes") is None  # not among the words


def test_a_span_has_the_features_of_its_edges_its_words_and_the_pair():
    w = window("Sprint 14 zamknęliśmy dnia 9 Nov.")
    assert words(w) == ["Sprint", "14", "zamknęliśmy", "dnia"]
    features = naming.features(w, 0, 1)
    assert {"first=sprint", "first_shape=capital", "gap_before=start", "last=14", "last_shape=digits",
            "word_after=zamknęliśmy", "last>shape_after=digits>lower", "length=2", "has=sprint", "has=14",
            "end_to_date=2", "start_from_date=none"} <= set(features)
    assert ("is_rule" in features) == (w.rule == (0, 1))


def test_registry_words_are_cues():
    w = window("- 4.12.1: Tuesday, 2026-11-10")
    assert words(w) == ["4.12.1", "Tuesday"]
    assert w.shapes == ("version", "capital") and w.cues == ("", "weekday")


def test_the_registry_tells_the_part_a_word_plays_in_any_language():
    # the same cue for "Wochen" and "weeks", "geplant" and "planned": a weight learned in one language
    # serves the others
    w = window("Die Endabnahme der Halle war für 3 Wochen später geplant, jetzt 9 Nov")
    cue = dict(zip(w.lower, w.cues))
    w_en = window("The final sign-off of the hall was planned for 3 weeks later, now 9 Nov")
    cue_en = dict(zip(w_en.lower, w_en.cues))
    assert cue["wochen"] == cue_en["weeks"] == "unit"
    assert cue["geplant"] == cue_en["planned"] == "move_plan"
    assert cue["die"] == cue["der"] == "leading"


def test_the_best_span_is_the_one_whose_features_weigh_most():
    w = window("6. Handover of the laboratory to Faculty of Marine Sciences 9 Nov")
    assert naming.NameModel({}).best(w) == w.rule  # nothing weighs: the rules' name
    cut = naming.NameModel({"word_after=to": 1.0})
    assert w.span_text(*cut.best(w)) == "Handover of the laboratory"


@pytest.mark.parametrize("text", [
    "6. Handover of the laboratory to Faculty of Marine Sciences 9 Nov",
    "Thomas refait le mixage TV lundi 9 novembre, le PAD suit.",
    "- Link staging bisa kami kirim lebih cepat, yaitu Senin, 9 November 2026 (sebelumnya 11 November).",
    "Good news: the pilot run ships to your DC on 9 Nov (200 units, all colours), ahead of plan.",
])
def test_the_sums_over_words_score_every_span_as_its_features_do(text):
    model = naming.model()
    w = window(text)

    def weight(span):
        return sum(model.weights.get(f, 0.0) for f in naming.features(w, *span))

    assert weight(model.best(w)) == pytest.approx(max(weight(span) for span in naming.spans(w)))


def test_spans_cross_no_date_and_no_sentence_break():
    w = window("Label printing for ORB-214-201 is now 9 Nov, was 3 Nov.")
    texts = {w.span_text(i, j) for i, j in naming.spans(w)}
    assert "Label printing" in texts and "now" in texts
    assert not any("was" in t and "now" in t for t in texts)


def test_the_shipped_model_names_a_release_by_its_version():
    reading = Reading(MON_2_NOV_IST, None)
    assert [m.name for m in text_milestones("- 4.12.1: Tuesday, 2026-11-10", reading)] == ["4.12.1"]
    assert [m.name for m in text_milestones("The Beta build is due on 20 Nov.", reading)] == ["Beta build"]


def test_training_labels_spans_by_the_scorers_name_match(tmp_path):
    training = pytest.importorskip("slipwatch.extract.training")
    assert training.name_match(["Handover of the laboratory"], "Handover of the laboratory") == 1.0
    # stop words and a plural s do not count; four words of five agree
    assert training.name_match(["FAI samples"], "the FAI sample") == 1.0
    assert training.name_match(["Handover of the laboratory"], "Handover of the laboratory to Faculty") \
        == pytest.approx(2 * 2 / (2 + 3))
    assert training.name_match(["Sprint", "Sprint 14"], "Sprint 14 closed") == pytest.approx(0.8)

    eml = tmp_path / "001-a.eml"
    eml.write_text("From: pm@vendor.example\nTo: us@example.com\nSubject: Plan\n"
                   "Date: Mon, 02 Nov 2026 10:00:00 +0000\n\n"
                   "- Sprint 14 build zamknęliśmy 9 Nov.\n- Beta build: 20 Nov\n", encoding="utf-8")
    eml.with_suffix(".json").write_text(json.dumps({"milestones": [
        {"name": "Sprint 14 build", "due": "2026-11-09", "status": "planned"},
        {"name": "Beta build", "due": "2026-11-20", "status": "planned"}]}), encoding="utf-8")
    groups = list(training.name_groups(training.labelled(eml)))
    assert len(groups) == 2
    for group in groups:
        assert max(match for _, match in group.spans) == 1.0  # a span names each item as the gold does
        assert all(features for features, _ in group.spans)
