"""What carries dates but is no milestone (RULES.md "What counts"): out-of-office
replies, invoices, newsletters, meetings, closures, legal footers.

Three grains: a whole message (`message_kind`), a sentence or bullet
(`is_noise`), and a single date inside a sentence that belongs to a meeting
("as agreed on Monday's call") rather than to the deliverable
(`is_meeting_date`).
"""

from __future__ import annotations

import re

from .words import CJK_CHAR, MAIL_KIND_WORDS, NOISE_WORDS, alternation, cue_regex

_I = re.IGNORECASE

OUT_OF_OFFICE = "out_of_office"
INVOICE = "invoice"
NEWSLETTER = "newsletter"

_OOO_SUBJECT = re.compile(
    r"^\s*(?:automatic\s+reply|auto(?:matic)?[- ]?(?:reply|response)|out\s+of\s+(?:the\s+)?office|"
    r"abwesenheit|automatische\s+antwort|r[ée]ponse\s+automatique|absence|respuesta\s+autom[áa]tica|"
    r"fuera\s+de\s+la\s+oficina|resposta\s+autom[áa]tica|aus[eê]ncia|risposta\s+automatica|"
    r"fuori\s+ufficio|autoodpowied[źz]|nieobecno[śs][ćc])", _I)
_OOO_TEXT = re.compile(
    r"\b(?:I\s+am|I'm|I\s+will\s+be)\s+(?:currently\s+)?(?:on\s+(?:annual\s+|parental\s+)?leave|"
    r"out\s+of\s+(?:the\s+)?office|away\s+from\s+(?:the\s+)?office|on\s+vacation|on\s+holiday)|"
    r"\bich\s+bin\s+(?:bis|vom)\b.{0,40}\b(?:abwesend|im\s+urlaub)|\bje\s+suis\s+absente?\b|"
    r"\bestoy\s+(?:de\s+vacaciones|fuera\s+de\s+la\s+oficina)|\bestou\s+de\s+f[ée]rias|"
    r"\bsono\s+in\s+ferie|\bjestem\s+na\s+urlopie|\bnicht\s+im\s+b[üu]ro\b|\babsente?\s+du\s+bureau\b|"
    r"\bfora\s+do\s+escrit[óo]rio\b|\bfuori\s+sede\b|\bpoza\s+biurem\b", _I)
# the registry's invoice words (lang/*.json "mail_kinds"), whole; those of CJK writing anywhere
_INVOICE = re.compile(
    r"\b" + alternation(w for w in MAIL_KIND_WORDS["invoice"] if not re.search(CJK_CHAR, w)) + r"\b|"
    + alternation(w for w in MAIL_KIND_WORDS["invoice"] if re.search(CJK_CHAR, w)), _I)
_NEWSLETTER = re.compile(r"\b(?:newsletters?|bolet[íi]n|infolettre|rundbrief|biuletyn)\b", _I)
# Tools put an unsubscribe link under every notification; only with news of the
# vendor itself (closures, awards, a new site) does it make a newsletter.
_UNSUBSCRIBE = re.compile(r"\b(?:unsubscribe|abmelden|d[ée]sabonner|darse\s+de\s+baja|descadastr\w*|"
                          r"disiscriviti|wypisz)\b", _I)
_VENDOR_NEWS = re.compile(r"\b(?:closed|closure|holidays?|awards?|greetings|season|news|novedades|neuigkeiten|"
                          r"nouveaut[ée]s|novidades|notizie|aktualno[śs]ci|cerrad[oa]|geschlossen|ferm[ée]e?)\b", _I)


def message_kind(subject: str, text: str) -> str | None:
    """OUT_OF_OFFICE, INVOICE or NEWSLETTER when the whole message is one."""
    if _OOO_SUBJECT.search(subject) or _OOO_TEXT.search(text[:600]):
        return OUT_OF_OFFICE
    if _INVOICE.search(subject):
        return INVOICE
    if _NEWSLETTER.search(subject) or _NEWSLETTER.search(text) or (
            _UNSUBSCRIBE.search(text) and _VENDOR_NEWS.search(subject + "\n" + text)):
        return NEWSLETTER
    return None


_NOISE = re.compile(
    r"(?<![\w-])(?:"
    # closures, leave, holidays
    r"(?:office|offices|studio|factory|plant|warehouse|we\s+are|we're|we\s+will\s+be|will\s+be)\s+(?:\w+\s+)?closed|"
    r"closed\s+(?:for|on|from|between|during|over)|closure|public\s+holiday|bank\s+holiday|"
    r"on\s+(?:annual\s+)?leave|out\s+of\s+(?:the\s+)?office|back\s+in\s+the\s+office|vacation|"
    r"geschlossen|betriebsferien|urlaub|feiertag|ferm[ée]e?s?|fermeture|cong[ée]s|cerrad[oa]s?|"
    r"cierre\s+por|vacaciones|feriado|fechad[oa]s?|f[ée]rias|chius[oaie]|chiusura|ferie|"
    r"zamkni[ęe]t[aey]|urlop\w*|gesloten|vakantie|feestdag\w*|kantoor\s+dicht|tutup|libur\w*|cuti\s+bersama|"
    r"kapal[ıi]|tatil\w*|bayram\w*|st[äa]ngt|lukket|stengt|zav[řr]eno|dovolen[áa]|zatvoren[oa]?|"
    r"godi[šs]nji\s+odmor|"
    # payments (their words are the registry's: _REGISTERED)
    r"net\s+\d{1,3}\b|"
    # legal footers, certificates, company facts
    r"iso(?:/iec)?\s*\d{4,5}|certificate\s+(?:no\.?|number|valid)|certified\s+since|"
    r"valid\s+(?:until|to|till|through)|registered\s+(?:in|office|under|no\.?)|"
    r"incorporated\s+(?:in|on|under)|disclaimer|"
    r"confidential\w*|copyright|all\s+rights\s+reserved|policy\s+revised|established\s+\d{4}|"
    r"g[üu]ltig\s+bis|valable\s+jusqu|v[áa]lid[oa]\s+hasta|v[áa]lido\s+at[ée]|valido\s+fino|"
    # events that are not deliverables
    r"trade\s+(?:fair|show)|fair|booth|exhibition|expo|ceremony|awards?|shortlisted|"
    r"status\s+report|weekly\s+report|statusbericht\w*|wochenbericht\w*|rapport\s+(?:d['’]avancement|hebdomadaire)|"
    r"informe\s+(?:de\s+estado|semanal)|relat[óo]rio\s+(?:de\s+status|semanal)|rapporto\s+(?:di\s+stato|settimanale)|"
    r"statusrapport\w*|voortgangsrapport\w*|durum\s+raporu|laporan\s+(?:status|mingguan)|"
    r"this\s+(?:message|e-?mail|notification)\b|"
    r"(?:you\s+are|you['’]re)\s+receiving\s+this|you\s+received\s+this|"
    r"(?:every|each)\s+(?:\w+day|day|week|month|morning|evening)|"
    r"unsubscribe|newsletter"
    r")(?![\w-])|©", _I)

_MEETING = re.compile(
    # "Last Call", "call for papers / backports / volunteers" open a deadline, they are no meeting
    r"(?<![\w-])(?:(?<!last\s)(?<!final\s)calls?(?!\s+for\b)|meetings?|steering(?:\s+\w+)?|workshops?|demos?|kick-?offs?|"
    r"(?:weekly|daily|monthly|team|status|project|quick|bi-?weekly)\s+syncs?|sync\s+(?:call|meeting)|"
    r"stand-?ups?|webinars?|catch-?ups?|check-?ins?|walkthroughs?|sessions?|invites?|invitations?|"
    r"(?:sprint|design|status|weekly|monthly|quarterly|project|progress|service|steering|"
    r"retro|review)\s+(?:\S+\s+)?reviews?|reviews?\s+(?:call|meeting)|retrospective|planning|agend[aéeoó]\w*|"
    r"teams|zoom|webex|google\s+meet|booked|"
    r"reuni[óo]n|r[ée]union|reuni[ãa]o|riunione|besprechung|telefonat|spotkani\w+|llamada|appel|"
    r"chamada|chiamata|planeaci[óo]n|planificaci[óo]n|planejamento|pianificazione|termin\s+mit|"
    r"videoconferencia|visioconf[ée]rence|"
    # committees and boards decide, they deliver nothing
    r"committee|comit[ée]s?|comit[êe]|comitato|komitet\w*|ausschuss|gremium|"
    r"vergadering|overleg|toplant[ıi]\w*|rapat|pertemuan|m[öø]te[t]?|møde[t]?|sch[ůu]zk\w*|sastan\w*|"
    r"advisory\s+board|(?-i:CAB)|board\s+meeting)(?![\w-])"
    # a meeting word that only qualifies a deliverable: "demo build", "workshop report"
    r"(?!\s+(?:builds?|apps?|apks?|versions?|releases?|videos?|recordings?|decks?|slides|materials?|reports?|"
    r"minutes|notes|documents?|docs?|environments?|envs?|sites?|servers?|instances?|kits?|files?|scripts?|"
    r"packages?|data|content|accounts?|summary|outputs?|"
    # ... or that is itself published: "Volunteer call published"
    r"published|posted|circulated|online|available)\b)", _I)


# the registry's words of closures and payments (lang/*.json "noise")
_REGISTERED = re.compile(cue_regex(w for words in NOISE_WORDS.values() for w in words), _I)


def is_noise(text: str) -> bool:
    """True for a sentence about closures, payments, legal matters or events."""
    return bool(_NOISE.search(text) or _REGISTERED.search(text))


def is_meeting(name: str) -> bool:
    """True when an item's name is a meeting ("Sprint 4 review", "weekly call")."""
    return bool(_MEETING.search(name))


_NEAR_AFTER = re.compile(r"^(?:['’]s)?\s*(?:[\w-]+\s+){0,2}?", _I)


def is_meeting_date(text: str, start: int, end: int) -> bool:
    """True when the date at text[start:end] dates a meeting: "Monday's call",
    "the call on Tuesday", "15:00 CEST on Teams"."""
    after = text[end:end + 40]
    lead = _NEAR_AFTER.match(after)
    tail = after[lead.end():] if lead else after
    m = _MEETING.match(tail)
    if m:
        return True
    if re.match(r"^[,\s]*(?:\d{1,2}[:.]\d{2}\s*\w*\s*)?(?:on|via|in)\s+(?:teams|zoom|webex|google\s+meet)\b", after, _I):
        return True
    before = text[max(0, start - 40):start]
    return bool(_MEETING_BEFORE.search(before))


_MEETING_BEFORE = re.compile(_MEETING.pattern + r"[:\s]+(?:[\w'’-]+\s+){0,3}$", _I)
