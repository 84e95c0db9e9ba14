"""New text only: quoting, device lines and signatures go, deliverables stay."""

from __future__ import annotations

from slipwatch.mail.forwards import split_quoted
from slipwatch.mail.quotes import new_text


def clean(text: str) -> str:
    return new_text(split_quoted(text))


def test_signature_after_delimiter_goes():
    assert clean("Pilot run: 20 Nov.\n\n-- \nLi Wei\nKettleworks Ltd.\n+86 20 5555 0100") == "Pilot run: 20 Nov."


def test_sign_off_block_with_disclaimer_goes():
    text = (
        "Pilot run: 20 Nov.\n\nBest regards,\nLi Wei\nAccount Manager\n\n"
        "DISCLAIMER: This e-mail is confidential. Policy revised 01-Apr-2024."
    )
    assert clean(text) == "Pilot run: 20 Nov."


def test_localised_sign_offs_and_device_lines():
    assert clean("Lieferung: 20.11.\n\nMit freundlichen Grüßen\nLi Wei") == "Lieferung: 20.11."
    assert clean("Pilot run: 20 Nov.\n\nSent from my iPhone") == "Pilot run: 20 Nov."
    assert clean("Envío: 20/11.\n\nEnviado desde mi iPhone") == "Envío: 20/11."


def test_a_postscript_after_the_sign_off_keeps_everything():
    text = "Pilot run: 20 Nov.\n\nThanks,\nLi\n\nP.S. Tooling sign-off moves to 13 Nov."
    assert "13 Nov" in clean(text)


def test_thanks_inside_the_text_is_not_a_sign_off():
    text = "Thanks for the drawings\nThe pilot run is now 24 Nov."
    assert clean(text) == text


def test_a_mailing_lists_footer_goes():
    text = (
        "The beta is now 3 March.\n\nMeg\n\n_______________________________________________\n"
        "Bte mailing list -- bte@lists.example.org\nTo unsubscribe send an email to bte-leave@lists.example.org"
    )
    assert clean(text) == "The beta is now 3 March.\n\nMeg"


def test_a_rule_above_more_text_is_no_footer():
    text = "Pilot run: 20 Nov.\n\n______________________\nPackaging: 27 Nov, then the list of cartons."
    assert clean(text) == text


def test_quoted_lines_are_history():
    assert clean("Yes, 24 Nov.\n\n> Is 20 Nov still the date?\n> Nora") == "Yes, 24 Nov."
