"""A message's new text: quoted history, signatures and footers taken off.

Forward and reply blocks are cut off before this stage (forwards.py); what is
left here is ">" quoting inside the message, the signature and device lines.
Signature removal is deliberately cautious because deliverables and dates
must survive: a signature is cut only near the end of the message, only when
what follows the cut is short, and never when a "P.S." or a list item follows.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from slipwatch.mail.forwards import QuotedLine

# Lines mail apps add under the text ("Sent from my iPhone") in many languages.
_DEVICE_LINE = re.compile(
    r"^\s*(?:sent from my|sent from (?:yahoo|mail for|outlook|samsung|proton)|sent with |get outlook for|"
    r"sent via |von meinem|gesendet von|envoyé de mon|envoyé depuis|enviado desde mi|enviado do meu|"
    r"enviado de meu|inviato da|verzonden (?:vanaf|met) mijn|skickat från min|sendt fra min|"
    r"lähetetty (?:iphonesta|laitteesta)|wysłane z|odesláno z|odoslané z|отправлено (?:с|из)|"
    r"надіслано з|发自我的|寄自我的|iphoneから送信|(?:obtenir|descargar|scarica) outlook)",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?i:(?:best|kind|warm|warmest|many|with best|with kind)\s+(?:regards|wishes|thanks)|regards|"
    r"best|cheers|thanks|warmly|un abrazo|abrazos?|besos|um abraço|abraços?|beijos|a presto|"
    r"groetjes|pozdrowienia|thank you|thanks again|many thanks|thx|br|rgds|all the best|sincerely|"
    r"yours sincerely|yours truly|respectfully|talk soon|cordialement|bien cordialement|"
    r"bien à vous|salutations|saludos|un saludo|atentamente|cordiales saludos|saludos cordiales|"
    r"atenciosamente|cumprimentos|obrigad[oa]|cordiali saluti|distinti saluti|saluti|"
    r"grazie|mit freundlichen grü(?:ß|ss)en|viele grü(?:ß|ss)e|beste grü(?:ß|ss)e|liebe grü(?:ß|ss)e|"
    r"freundliche grü(?:ß|ss)e|grü(?:ß|ss)e|gru(?:ß|ss)|lg|vg|mfg|met vriendelijke groet(?:en)?|"
    r"vriendelijke groet(?:en)?|groeten|med vänlig hälsning|vänliga hälsningar|hälsningar|"
    r"med venlig hilsen|venlig hilsen|med vennlig hilsen|hilsen|ystävällisin terveisin|terveisin|"
    r"pozdrawiam|z poważaniem|s pozdravem|s pozdravom|üdvözlettel|cu stimă|с уважением|"
    r"с наилучшими пожеланиями|спасибо|з повагою|saygılarımla|此致|谢谢|よろしくお願いします)"
    # An optional name on the same line ("Best, Camila"); capitalised, so that
    # "Thanks for the files" is not taken for a sign-off. Possessive (*+): blanks
    # are never handed back, so a long gap is crossed once, not tried in every split.
    r"\s*+[,.!]?\s*+(?:[A-Z\u00c0-\u024f][\w.'-]*+(?:\s++[A-Z\u00c0-\u024f][\w.'-]*+){0,2})?\s*+[,.!]?\s*+$",
)
_DISCLAIMER = re.compile(
    r"^\s*(?:disclaimer|confidentiality|confidential|legal notice|notice:|this (?:e-?mail|message|"
    r"communication)[^.]{0,80}(?:confidential|intended)|the information (?:contained|in this)|"
    r"diese e-?mail|ce (?:message|courriel)[^.]{0,60}confidenti|este (?:mensaje|correo)[^.]{0,60}"
    r"confidencial|questo messaggio|esta mensagem|informacja zawarta|avis de confidentialit)",
    re.IGNORECASE,
)
_SIGNATURE_DELIMITER = re.compile(r"^\s*--\s*$|^\s*—\s*$")
# A mailing list's footer under its rule: "Bte mailing list -- bte@...", "To unsubscribe send an email to ...".
_RULE = re.compile(r"^\s*(?:_{10,}|-{10,}|={10,})\s*$")
_LIST_FOOTER = re.compile(r"mailing\s+list|unsubscribe|listinfo|mailman|subscribed\s+to", re.IGNORECASE)
_POSTSCRIPT = re.compile(r"^\s*(?:p\.?\s?s\.?|nb)\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]\s|\d{1,2}[.)]\s)")
_TAIL_LINES = 20  # a signature with address and footer rarely runs longer


def new_text(lines: Sequence[QuotedLine]) -> str:
    """The message's own text from its lines (depth 0), signatures off."""
    own = [line.text for line in lines if line.depth == 0]
    own = [line for line in own if not _DEVICE_LINE.match(line)]
    own = _cut_list_footer(own)
    own = _cut_tail(own, _SIGNATURE_DELIMITER)
    own = _cut_tail(own, _SIGN_OFF, needs_text_above=True)
    own = _cut_tail(own, _DISCLAIMER)
    text = textwrap.dedent("\n".join(own))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _cut_list_footer(lines: list[str]) -> list[str]:
    """The lines above the footer a mailing list adds under every post."""
    for n in range(len(lines) - 1, max(-1, len(lines) - _TAIL_LINES), -1):
        if _RULE.match(lines[n]) and any(_LIST_FOOTER.search(line) for line in lines[n + 1:n + 4]):
            return lines[:n]
    return lines


def _cut_tail(lines: list[str], marker: re.Pattern[str], *, needs_text_above: bool = False) -> list[str]:
    """Cut at the first marker line after which only a short, content-free tail follows."""
    filled = [n for n, line in enumerate(lines) if line.strip()]
    for n in filled[-_TAIL_LINES:]:
        if not marker.match(lines[n]):
            continue
        if needs_text_above and not any(lines[m].strip() for m in range(n)):
            continue
        tail = [line for line in lines[n + 1:] if line.strip()]
        if len(tail) > _TAIL_LINES or any(_POSTSCRIPT.match(x) or _LIST_ITEM.match(x) for x in tail):
            continue
        return lines[:n]
    return lines
