"""learned.py and training.py: the decisions learned from labelled mail.

Features are plain names read off a candidate; inference is a sum of weights
and a softmax, in pure Python, from model.json; training on the labelled
mails writes model.json again, byte for byte.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from slipwatch.extract import extract, learned
from slipwatch.extract.learned import (COMBINED, DECISIONS, DUE, FILTER, LEARNED, MODES, NONE, PREVIOUS, RULES,
                                       Classifier, features, model, prose_milestones)
from slipwatch.extract.mentions import date_candidates
from slipwatch.extract.model import STATUSES, Reading
from tests.extract.messages import MON_2_NOV_IST, message, summary

MODEL = Path(__file__).resolve().parents[2] / "daemon" / "slipwatch" / "extract" / "model.json"
NAMES = MODEL.with_name("names.json")


def candidate(text: str, which: str):
    return next(c for c in date_candidates(text, MON_2_NOV_IST) if c.text == which)


def test_features_name_the_unit_the_region_the_distance_and_the_words_around():
    c = candidate("Beta build: 9 Nov\nFinal release: 18 Dec", "9 Nov")
    assert features(c) == [
        "before:beta", "before:build", "date_kind=absolute", "date_kind=absolute&unit=field", "dates_in_text=2",
        "dates_in_unit=1", "distance=next_week", "distance=next_week&status=planned", "just_before:build",
        "place_in_text=start", "place_in_unit=only", "region=body", "status=planned",
        "status=planned&moved=False&place=only", "unit=field", "word:beta", "word:build"]


def test_the_words_of_the_whole_unit_are_features_of_each_of_its_dates():
    # "Please note our office is closed on Friday 26 March (Good Friday)": the unit's words tell a closure
    c = candidate("Note our office is closed on Friday 26 March (Good Friday), so is the warehouse.", "Friday 26 March")
    assert {"word:office", "word:closed", "word:warehouse"} <= set(features(c))


def test_a_move_tells_the_old_date_by_its_place_in_the_unit():
    text = "The pilot run slips from 9 Nov to 16 Nov."
    old, new = (features(c, i) for i, c in enumerate(date_candidates(text, MON_2_NOV_IST)))
    assert "moved" in old and "moved" in new
    assert "place_in_unit=first" in old and "place_in_unit=last" in new
    assert "just_before:from" in old and "just_before:to" in new


def test_a_past_date_and_a_signature_date_say_so():
    text = "Thanks for the call on 28 Oct 2026.\n\n-- \nOffice closed 24 Dec"
    call, closed = date_candidates(text, MON_2_NOV_IST)
    assert "distance=past_week" in features(call)
    assert "region=signature" in features(closed)


def test_a_classifier_sums_the_weights_of_the_features_and_takes_the_softmax():
    clf = Classifier(("due", "none", "previous"), (0.0, 1.0, 0.0), {"moved": (2.0, 0.0, 1.0)})
    p = clf.predict(["moved", "unknown feature"])
    total = math.exp(2) + math.exp(1) + math.exp(1)
    assert p == pytest.approx({"due": math.exp(2) / total, "none": math.exp(1) / total,
                               "previous": math.exp(1) / total})


def test_a_binary_classifier_keeps_one_row_of_weights_for_its_second_class():
    clf = Classifier(("delivered", "planned"), (0.0,), {"after:shipped": (-2.0,)})
    assert clf.predict(["after:shipped"])["planned"] == pytest.approx(1 / (1 + math.exp(2)))
    assert clf.predict([])["planned"] == pytest.approx(0.5)


def test_the_model_file_loads_and_is_well_formed():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert list(data) == sorted(data)
    for part, classes in (("role", {DUE, NONE, PREVIOUS}), ("status", set(STATUSES))):
        clf = data[part]
        assert set(clf["classes"]) <= classes and clf["classes"] == sorted(clf["classes"])
        rows = 1 if len(clf["classes"]) == 2 else len(clf["classes"])
        assert len(clf["intercepts"]) == rows
        assert all(len(w) == rows and all(isinstance(v, float | int) for v in w) for w in clf["weights"].values())
        assert list(clf["weights"]) == sorted(clf["weights"])
    m = model()
    decision = m.decide(candidate("Final release: 18 Dec", "18 Dec"))
    assert sum(decision.roles.values()) == pytest.approx(1.0)
    assert decision.status in STATUSES


def test_a_plain_field_with_a_future_date_is_a_due_date_to_the_model():
    c = candidate("Hi team,\nFinal release: 18 Dec\nThanks", "18 Dec")
    assert model().decide(c).roles[DUE] > 0.5


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_reads_a_plain_schedule(mode):
    text = "Beta build: 9 Nov\nFinal release: 18 Dec"
    got = {(m.name, m.due) for m in prose_milestones(text, Reading(MON_2_NOV_IST, None), mode)}
    assert {("Beta build", "2026-11-09"), ("Final release", "2026-12-18")} <= got


def test_an_unknown_mode_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown decisions 'magic': use one of rules, filter, combined, learned"):
        prose_milestones("Beta: 9 Nov", Reading(MON_2_NOV_IST, None), "magic")


def test_the_default_decisions_are_the_ones_extract_uses():
    mail = message("Beta build: 9 Nov\nFinal release: 18 Dec")
    assert summary(extract(mail)) == summary(extract(mail, decisions=DECISIONS))
    assert DECISIONS in (RULES, FILTER, COMBINED, LEARNED)


@pytest.mark.slow
def test_training_reproduces_the_committed_model():
    training = pytest.importorskip("slipwatch.extract.training")
    if not training.DEV.is_dir():
        pytest.skip(f"the dev corpus is not at {training.DEV}")
    mails = [training.labelled(eml) for eml in training.labelled_mails()]
    for model, trained in ((MODEL, training.train(mails)), (NAMES, training.train_names(mails))):
        assert training.dumps(trained) == model.read_text(encoding="utf-8"), \
            f"{model.name} is not what training gives on the labelled mails: run `make train` and review the diff"


def test_training_reads_the_dev_corpus_and_every_set_of_the_repository_in_order(tmp_path):
    # the blind sets live outside the repository: every set in it, fresh ones too, both halves, trains
    training = pytest.importorskip("slipwatch.extract.training")
    for name in ("dev/b.eml", "dev/a.eml", "heldout/set10/001-c.eml", "heldout/set3/002-a.eml",
                 "heldout/set3/001-b.eml", "heldout/fresh/set12/002-d.eml", "heldout/setup/001-x.eml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    names = [f"{p.parent.name}/{p.name}" for p in training.labelled_mails(tmp_path / "dev", tmp_path / "heldout")]
    assert names == ["dev/a.eml", "dev/b.eml", "set3/001-b.eml", "set3/002-a.eml", "set10/001-c.eml",
                     "set12/002-d.eml"]


@pytest.mark.parametrize("mode", [COMBINED, LEARNED])
def test_the_model_adds_no_item_from_a_unit_the_rules_say_states_nothing(mode):
    text = "Could we move the acceptance test to 20 Nov?\nThanks for sending the mockups on 3 Nov.\nQuick note:"
    assert prose_milestones(text, Reading(MON_2_NOV_IST, None), mode) == []


def test_the_model_restates_a_planned_item_it_is_sure_was_delivered():
    reading = Reading(MON_2_NOV_IST, None)
    assert summary(prose_milestones("RC1 cut today.", reading, RULES)) == [
        ("RC1 cut", "2026-11-02", "planned", None)]
    assert summary(prose_milestones("RC1 cut today.", reading, COMBINED)) == [
        ("RC1 cut", "2026-11-02", "delivered", None)]


def test_an_item_takes_the_models_status_from_its_own_unit_not_from_another_on_the_same_day(monkeypatch):
    # a model sure that a unit saying "hold" is cancelled, and of nothing else
    sure = learned.Model(Classifier(("due", "none", "previous"), (5.0, 0.0, 0.0), {}),
                         Classifier(("cancelled", "planned"), (0.0,), {"word:hold": (-5.0,)}))
    monkeypatch.setattr(learned, "model", lambda: sure)
    text = "- Salad bowl: on hold indefinitely, was planned for 15 Jan.\n- Colour samples: 15 Jan."
    got = {m.name: m.status for m in prose_milestones(text, Reading(MON_2_NOV_IST, None), COMBINED)}
    assert got["Colour samples"] == "planned"
