"""Status words: how vendors say done, late, at risk or dropped, in seven languages.

`read_status` reads a sentence (or a bullet, a table cell) and says which of
the RULES.md statuses its words express, plus whether they say the date
moved later or earlier. Dates themselves are weighed in moves.py: a new date
after the old one is a delay whatever the words say.

Precedence when several statuses are worded: cancelled > delivered >
delayed > at_risk > planned ("descoped, as agreed" is cancelled; "delivered
on the revised date" is delivered; "slips to the 13th, still at risk" is
delayed, since it has a new date).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED
from .words import CJK_CHAR, STATUS_CUE_WORDS, trie_regex


_WIDE = re.compile(CJK_CHAR)


def _words(*patterns: str, data: tuple[str, ...] = ()) -> re.Pattern[str]:
    """The patterns, and the registry's literal words (`data`, as a prefix tree: quick to try), each
    matched as whole words."""
    spaced = [w for w in data if not _WIDE.search(w)]
    wide = [w for w in data if _WIDE.search(w)]
    return re.compile("|".join([r"(?<![\w-])(?:" + "|".join([*patterns, *([trie_regex(spaced)] if spaced else [])])
                                + r")(?![\w])", *([trie_regex(wide)] if wide else [])]), re.IGNORECASE)


CANCELLED_WORDS = _words(
    r"cancell?(?:ed|ing)", r"de-?scoped?", r"dropped", r"scrapped", r"shelved", r"abandoned",
    r"removed\s+from\s+(?:the\s+)?scope", r"out\s+of\s+scope", r"(?:put\s+)?on\s+hold",
    r"no\s+longer\s+(?:needed|required|planned|in\s+scope)", r"won'?t\s+(?:be\s+delivered|happen)",
    r"will\s+not\s+be\s+delivered", r"withdrawn",
    # de
    r"storniert", r"abgesagt", r"gestrichen", r"entf[äa]llt", r"auf\s+eis\s+gelegt", r"gecancelt",
    # fr
    r"annul[ée]e?s?", r"supprim[ée]e?s?", r"abandonn[ée]e?s?", r"hors\s+p[ée]rim[èe]tre", r"en\s+suspens",
    # es / pt
    r"cancelad[oa]s?", r"descartad[oa]s?", r"suspendid[oa]s?", r"fuera\s+de(?:l)?\s+alcance",
    r"en\s+pausa", r"fora\s+do\s+escopo", r"suspens[oa]s?",
    # it
    r"annullat[oaie]", r"cancellat[oaie]", r"sospes[oaie]", r"stralciat[oaie]",
    # pl
    r"anulowan[yae]", r"odwołan[yae]", r"wstrzyman[yae]", r"usunięt[yae]\s+z\s+zakresu",
    # ro
    r"anulat[ăe]?", r"suspendat[ăe]?",
    # nl / tr / id
    r"geannuleerd", r"geschrapt", r"vervalt", r"iptal\s+edil\w*", r"dibatalkan", r"batal",
    data=STATUS_CUE_WORDS["cancelled"],
)

DELIVERED_WORDS = _words(
    r"delivered", r"shipped", r"handed\s+(?:over|off)", r"deployed", r"completed", r"complete",
    r"done", r"finished", r"signed\s+off", r"sent", r"submitted", r"uploaded", r"released",
    r"launched", r"dispatched", r"went\s+(?:(?:fully\s+)?live|out|up|to)", r"(?:is|are)\s+(?:now\s+)?live",
    r"passed", r"published", r"shared", r"implemented", r"merged", r"provided",
    r"wrapped(?:\s+up)?", r"left\s+(?:our|the)\s+(?:factory|warehouse|plant|premises)", r"finali[sz]ed",
    # de
    r"geliefert", r"ausgeliefert", r"erledigt", r"abgeschlossen", r"fertiggestellt", r"übergeben",
    r"übermittelt", r"versendet", r"verschickt", r"bereitgestellt", r"hochgeladen", r"abgenommen",
    r"live\s+gegangen", r"ausgerollt",
    # fr
    r"livr[ée]e?s?", r"termin(?:é|ée|és|ées|ee|ees)", r"envoy[ée]e?s?", r"d[ée]ploy[ée]e?s?", r"achev[ée]e?s?",
    r"remise?s?", r"exp[ée]di[ée]e?s?", r"finalis[ée]e?s?", r"transmise?s?", r"mise?s?\s+en\s+ligne",
    r"publi[ée]e?s?", r"valid[ée]e?s?",
    # es / pt
    r"entregad[oa]s?", r"entregamos", r"terminad[oa]s?", r"terminamos", r"completad[oa]s?",
    r"completamos", r"enviad[oa]s?", r"enviamos", r"desplegad[oa]s?", r"finalizad[oa]s?",
    r"finalizamos", r"publicad[oa]s?", r"subid[oa]s?", r"entregues?", r"conclu[íi]d[oa]s?",
    r"conclu[íi]mos", r"implantad[oa]s?", r"carregad[oa]s?", r"despachad[oa]s?",
    # it
    r"consegnat[oaie]", r"spedit[oaie]", r"completat[oaie]", r"terminat[oaie]", r"inviat[oaie]",
    r"rilasciat[oaie]", r"pubblicat[oaie]", r"caricat[oaie]", r"conclus[oaie]",
    # pl
    r"dostarczon[yae]", r"wdrożon[yae]", r"zakończon[yae]", r"wysłan[yae]", r"oddan[yae]",
    r"przekazan[yae]", r"ukończon[yae]", r"opublikowan[yae]",
    # pl, more
    r"wyjecha[łl]\w*", r"zaliczon[yae]", r"odebran[yae]", r"wys[łl]ali[śs]my", r"dostarczyli[śs]my",
    r"przekazali[śs]my",
    # ro
    r"livrat[ăe]?", r"predat[ăe]?", r"finalizat[ăe]?", r"încheiat[ăe]?",
    # nl / tr / id
    r"geleverd", r"opgeleverd", r"verzonden", r"verstuurd", r"afgerond", r"voltooid", r"gepubliceerd",
    r"teslim\s+edildi", r"teslim\s+ettik", r"g[öo]nderildi", r"g[öo]nderdik", r"tamamland[ıi]",
    r"sevk\s+edildi", r"yay[ıi]nland[ıi]", r"teslim\s+edilmi[şs]tir", r"g[öo]nderilmi[şs]tir",
    r"(?:sudah|telah)\s+(?:kami\s+|saya\s+)?(?:di)?(?:kirim|selesai|serahkan|rilis|terima)\w*",
    r"terkirim", r"diserahkan", r"dikirimkan",
    # nordic / cs / sk / hr / sl
    r"levererad[et]?", r"leveret", r"levert", r"skickad[et]?", r"afsendt", r"avsluttet", r"afsluttet",
    r"f[äa]rdigst[äa]lld[at]?", r"dod[áa]n[oa]?", r"odesl[áa]n[oa]?", r"dokon[čc]en[oa]?",
    r"isporu[čc]en[oa]?", r"poslan[oa]?", r"zavr[šs]en[oa]?", r"dostavljen[oa]?",
    # on a file host: "the finals are up on the drive since noon"
    r"(?:is|are)\s+(?:now\s+)?(?:up|online|available)\s+(?:on|in|at)",
    # a release: "21.1.0-rc1 is tagged", "rc2 tagged and pushed", "firmware 2.4.0-rc2 is out" (a person is
    # out of office, out sick, out until Monday)
    r"tagged", r"(?:is|are)\s+(?:now\s+)?out(?!\s+(?:of|until|till|sick|on|for|today|this|next|and\s+about))",
    data=STATUS_CUE_WORDS["delivered"],
)

DELAYED_WORDS = _words(
    # "tagged and pushed" publishes a release
    r"delay(?:ed|s)?", r"slip(?:s|ped|ping)?", r"(?<!tagged\sand\s)push(?:ed|es|ing)(?:\s+(?:back|out))?",
    r"push\s+(?:back|out)",
    r"postpone[ds]?", r"postponing", r"reschedul(?:ed|es|ing)", r"deferred", r"(?:(?:is|are|be|been|running|days?|weeks?)\s+)late",
    r"behind(?:\s+schedule)?", r"overdue", r"revised\s+(?:eta|etd|date|delivery|target|deadline|due\s+date|plan)",
    r"new\s+(?:eta|etd|date|target|deadline|due\s+date)", r"will\s+now\s+be", r"now\s+(?:due|expected|ends|lands|planned|scheduled)",
    r"extended", r"(?:will|can|could)\s*(?:not|n'?t)\s+make", r"more\s+(?:days?|weeks?|time)",
    # de
    r"verschoben", r"verschiebt", r"verschieben", r"verz[öo]gert", r"verz[öo]gerung", r"versp[äa]tet",
    r"versp[äa]tung", r"sp[äa]ter", r"neuer\s+termin", r"neues\s+datum",
    # fr
    r"d[ée]cal[ée]e?s?", r"report[ée]e?s?", r"repouss[ée]e?s?", r"retard[ée]e?s?", r"en\s+retard",
    r"nouvelle\s+date", r"glisse", r"glissement",
    # es / pt
    r"retrasad[oa]s?", r"retras(?:a|an|amos|o)", r"atrasad[oa]s?", r"atras(?:ar|a|am|o)",
    r"pospuest[oa]s?", r"aplazad[oa]s?", r"demorad[oa]s?", r"demora", r"nueva\s+fecha",
    r"reprogramad[oa]s?", r"adiad[oa]s?", r"adiamos", r"remarcad[oa]s?", r"nova\s+data",
    # it
    r"posticipat[oaie]", r"rinviat[oaie]", r"slitta(?:to|ta|no|mento)?", r"in\s+ritardo", r"ritardo",
    r"nuova\s+data", r"ripianificat[oaie]",
    # pl
    r"przesunięt[yae]", r"opóźnion[yae]", r"opóźnienie", r"nowy\s+termin", r"przełożon[yae]", r"później",
    # ro
    r"întârzi\w*", r"amânat[ăe]?", r"termen\s+nou",
    # nl / tr / id
    r"vertraagd", r"vertraging", r"uitgesteld", r"verschoven", r"nieuwe\s+datum", r"ertelendi", r"ertelen\w*",
    r"gecik\w*", r"yeni\s+tarih", r"tertunda", r"ditunda", r"diundur", r"mundur", r"terlambat",
    r"tanggal\s+baru",
    data=STATUS_CUE_WORDS["delayed"],
)

AT_RISK_WORDS = _words(
    r"at[\s-]risk", r"risk\s+of\s+(?:slipping|delay|missing)",
    r"risk\s+(?:that\s+)?(?:it|this|we|they)\s+(?:slips?|(?:will\s+)?(?:be\s+)?late|(?:will\s+)?miss)", r"risky", r"blocked", r"blocker",
    r"(?:might|may|could)\s+(?:not|n'?t)\s+(?:make|meet|hit|be\s+(?:ready|met|done))",
    r"(?:might|may|could)\s+(?:be\s+)?(?:slip|delay(?:ed)?|late)", r"can'?t\s+promise", r"cannot\s+promise", r"can'?t\s+guarantee",
    r"cannot\s+guarantee", r"cannot\s+commit", r"not\s+confident", r"unlikely", r"in\s+jeopardy",
    r"jeopardi[sz]ed", r"amber", r"stuck", r"tight",
    # de
    r"gef[äa]hrdet", r"kritisch", r"blockiert", r"fraglich", r"wackelt",
    # fr
    r"[àa]\s+risque", r"en\s+risque", r"menac[ée]e?s?", r"compromise?s?", r"bloqu[ée]e?s?",
    # es / pt
    r"en\s+riesgo", r"em\s+risco", r"bloquead[oa]s?", r"comprometid[oa]s?", r"peligra",
    r"no\s+podemos\s+garantizar", r"n[ãa]o\s+podemos\s+garantir",
    # it
    r"a\s+rischio", r"bloccat[oaie]", r"in\s+dubbio", r"non\s+possiamo\s+garantire",
    # pl
    r"zagrożon[yae]", r"zablokowan[yae]", r"ryzyko",
    # ro
    r"[îi]n\s+risc", r"blocat[ăe]?",
    # nl / tr / id
    r"in\s+gevaar", r"geblokkeerd", r"risico", r"risk\s+alt[ıi]nda", r"riskli", r"engellendi",
    r"berisiko(?:\s+terlambat)?", r"terhambat", r"terblokir",
    data=STATUS_CUE_WORDS["at_risk"],
)

EARLIER_WORDS = _words(
    r"moved\s+up", r"move[sd]?\s+(?:\w+\s+){0,6}?forward", r"pulled\s+(?:in|forward)", r"brought\s+(?:forward|in)",
    r"earlier", r"ahead\s+of\s+schedule", r"advanced",
    r"vorgezogen", r"fr[üu]her", r"avanc[ée]e?s?", r"plus\s+t[ôo]t", r"adelantad[oa]s?",
    r"adelantamos", r"antecipad[oa]s?", r"adiantad[oa]s?", r"anticipat[oaie]", r"in\s+anticipo",
    r"przyspieszon[yae]", r"wcześniej",
)

# A move whose direction only the dates tell ("moved from A to B").
MOVED_WORDS = _words(
    r"mov(?:ed|es|ing)", r"shift(?:s|ed|ing)?", r"chang(?:ed|es)", r"becomes?", r"became", r"accordingly", r"przesuwamy", r"przesuwa\s+się",
    r"movid[oa]s?", r"movemos", r"se\s+mueve", r"pasa(?:mos)?\s+del?", r"passa\s+d[aoe]", r"passe\s+du", r"spostat[oaie]", r"spostiamo", r"d[ée]plac[ée]e?s?",
    r"ge[äa]ndert", r"umgeplant",
)

# Words that keep a worded delivery in the future: "will be delivered".
_FUTURE = re.compile(
    r"(?<![\w])(?:will|shall|'ll|to\s+be|being|getting|going\s+to|should|would|must|can|could|need(?:s)?\s+to|"
    r"plan(?:ned)?\s+to|expected\s+to|scheduled\s+to|ready\s+to|once|when|after|until|before|if|as\s+soon\s+as|"
    r"wird|werden|soll|sollen|sera|seront|va|vont|doit|doivent|ser[áa]|ser[áa]n|ser[ãa]o|vai|v[ãa]o|"
    r"deve|devem|debe|sar[àa]|saranno|będzie|będą|zostanie|zostaną|para\s+ser|per\s+essere|"
    r"zal|zullen|wordt|worden|akan|harus)(?![\w])"
    r"[^,;:.()–—]*$",
    re.IGNORECASE,
)
# "75 % complete" is progress, not a delivery
_PARTIAL = re.compile(r"(?<!100)(?<!100\s)\b\d{1,2}\s?%\s*$")
# A delivery reported as a fact: "is done", "was delivered", "Status: complete".
_REPORTED = re.compile(
    r"(?<![\w])(?:is|are|was|were|been|got|has|have|had|just|now|already|ya|j[áa]|bereits|schon|ist|sind|"
    r"wurden?|est|sont|[ée]t[ée]|fue|fueron|foi|foram|stat[oaie]|został[aoy]?)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NEGATION = re.compile(
    r"(?<![\w])(?:no|not|n't|without|never|nicht|kein\w*|pas|sans|sin|sem|senza|bez|nie)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)

_ORDER = (CANCELLED, DELIVERED, DELAYED, AT_RISK)
# The registry's delivery phrases state a fact ("já está disponível", "dodali jsme").
_REPORTING_WORDS = frozenset(w for w in STATUS_CUE_WORDS["delivered"] if " " in w)


@dataclass(frozen=True)
class Cue:
    """What the words of a text say about an item's status."""

    status: str = PLANNED
    later: bool = False      # the words say the date moved later
    earlier: bool = False    # ... or earlier
    moved: bool = False      # ... or moved, direction unsaid
    reported: bool = False   # a delivery stated as a fact ("is done"), datable on the day it is told

    @property
    def any_move(self) -> bool:
        return self.later or self.earlier or self.moved


def _live(pattern: re.Pattern[str], text: str, *, future_guard: bool = False) -> list[re.Match[str]]:
    found = []
    for m in pattern.finditer(text):
        before = text[max(0, m.start() - 40):m.start()]
        if _NEGATION.search(before):
            continue
        if future_guard and (_FUTURE.search(_clause_before(text, m.start())) or _PARTIAL.search(before)):
            continue
        found.append(m)
    return found


_CLAUSE_MARK = re.compile(r"[,;:.()–—][^,;:.()–—]*$")


def _clause_before(text: str, end: int) -> str:
    """The clause that runs up to `end`, at most 80 characters back: "once the last round of
    testing in the public clouds is " before "done"."""
    window = text[max(0, end - 80):end]
    mark = _CLAUSE_MARK.search(window)
    return window[mark.start():] if mark else window


# A reason clause speaks of something else: "moved from Dec 18 because the policy is
# still being finalised", "slips, as the fabric shipped late".
_REASON = re.compile(r"(?<![\w])(?:because|since\s+(?:the|our|your|their|we|they|it)|as\s+(?:the|our|your|their|we|they|it)|"
                     r"owing\s+to|weil|da\s+(?:die|der|das|wir)|parce\s+que|car|porque|ya\s+que|pois|perch[ée]|"
                     r"poich[ée]|poniewa[żz]|bo)\b", re.IGNORECASE)


# "done by Thursday", "completed before the 20th": a deadline, not a delivery.
_DEADLINE_AFTER = re.compile(
    r"\s+(?:by|before|until|no\s+later\s+than)\s+(?:the\s+|this\s+|next\s+|(?:the\s+)?end\s+of\s+|mid-?)?"
    r"(?:\d|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b|(?:jan(?:uary)?|feb(?:ruary)?|"
    r"mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?)\b|tomorrow|tonight|eod|cob|eow|week|wk|cw|kw|q[1-4]|month)", re.IGNORECASE)


def _delivered_now(text: str) -> list[re.Match[str]]:
    """Delivery words that report a delivery, not a deadline ("done by Friday")."""
    found = []
    for m in _live(DELIVERED_WORDS, text, future_guard=True):
        before = text[max(0, m.start() - 30):m.start()]
        if _DEADLINE_AFTER.match(text, m.end()) and not _REPORTED.search(before):
            continue
        found.append(m)
    return found


def without_reason(text: str) -> str:
    """`text` without its reason clause ("..., because the trainers are on leave")."""
    reason = _REASON.search(text)
    if reason and text[:reason.start()].strip(" \t\n,;:–—-"):
        return text[:reason.start()]
    return text


def read_status(text: str) -> Cue:
    """The status the words of `text` express (PLANNED when they say none);
    the words of a reason clause ("because ...") do not count."""
    text = without_reason(text)
    risk = _live(AT_RISK_WORDS, text)
    risk_spans = [(m.start(), m.end()) for m in risk]
    delivered = _delivered_now(text)
    hits: dict[str, bool] = {
        CANCELLED: bool(_live(CANCELLED_WORDS, text)),
        DELIVERED: bool(delivered),
        # "may slip" is a risk, not a slip
        DELAYED: any(not any(s <= m.start() < e for s, e in risk_spans) for m in _live(DELAYED_WORDS, text)),
        AT_RISK: bool(risk),
    }
    earlier = bool(_live(EARLIER_WORDS, text))
    status = next((s for s in _ORDER if hits[s]), PLANNED)
    if status == DELAYED and earlier:
        status = PLANNED  # "moved up ... earlier than the revised plan"
    reported = any(not text[:m.start()].strip(" \t\n:–—-") or _REPORTED.search(text[max(0, m.start() - 30):m.start()])
                   or re.match(r"(?:is|are|went)\b", m.group(0), re.IGNORECASE)
                   or " ".join(m.group(0).lower().split()) in _REPORTING_WORDS for m in delivered)
    return Cue(status=status, later=hits[DELAYED] and not earlier, earlier=earlier,
               moved=bool(MOVED_WORDS.search(text)), reported=reported)


# Table and tool status cells say more with fewer words: "Done", "Green", "100%", "Working on it".
# Per status and language, checked in this order (a cell "Done (was late)" is delivered).
_CELL_WORDS_BY_LANGUAGE: dict[str, dict[str, tuple[str, ...]]] = {
    CANCELLED: {
        "en": (r"won'?t\s+do", "descoped", r"cancell?ed", "dropped", r"on\s+hold", "withdrawn", "abandoned"),
        "de": ("storniert", "abgebrochen", "gestrichen", "pausiert"), "fr": (r"annul[ée]e?", r"abandonn[ée]e?", r"en\s+pause"),
        "es": (r"cancelad[oa]", r"en\s+pausa", r"descartad[oa]"), "pt": (r"cancelad[oa]", r"em\s+pausa"),
        "it": (r"annullat[oa]", r"sospes[oa]", r"in\s+pausa"), "nl": ("geannuleerd", r"on\s+hold"),
        "pl": (r"anulowan[ey]", r"wstrzyman[ey]"), "ro": (r"anulat[ăa]?",), "tr": (r"iptal",), "id": ("dibatalkan", "batal"),
        "cs": (r"zru[šs]eno",), "hu": (r"t[öo]r[öo]lve", "elmarad"), "vi": (r"h[ủu]y",), "zh": ("取消", "暂停"), "ja": ("中止", "キャンセル"),
    },
    DELIVERED: {
        "en": ("done", r"complete[d]?", "closed", "resolved", "finished", "delivered", r"100\s?%", "shipped",
               r"signed\s+off", "released", "blue"),  # BRAG: blue = complete
        "de": ("erledigt", "fertig", "abgeschlossen", "geliefert"), "fr": (r"termin[ée]e?", r"livr[ée]e?", "fait", r"clos"),
        "es": ("hecho", r"completad[oa]", r"terminad[oa]", r"entregad[oa]", r"cerrad[oa]", "listo"),
        "pt": (r"conclu[íi]d[oa]", r"entregue", "feito", r"finalizad[oa]"), "it": ("fatto", r"completat[oa]", r"consegnat[oa]", r"chius[oa]"),
        "pl": ("zrobione", "gotowe", r"zako[ńn]czone"), "nl": ("klaar", "gereed", "afgerond", "opgeleverd"),
        "tr": (r"tamamland[ıi]", "bitti"), "id": ("selesai",), "ro": (r"finalizat[ăa]?", r"livrat[ăa]?"),
        "cs": ("hotovo", r"dokon[čc]eno"), "hu": (r"k[ée]sz", r"teljes[íi]tve"), "vi": (r"ho[àa]n\s+th[àa]nh", "xong"),
        "zh": ("已完成", "完成", "已交付"), "ja": ("完了",),
    },
    AT_RISK: {
        "en": ("amber", "yellow", "red", "stuck", "blocked", r"at\s+risk"), "de": ("gelb", "rot", "blockiert", r"gef[äa]hrdet"),
        "fr": ("orange", r"[àa]\s+risque", r"bloqu[ée]e?"), "es": (r"en\s+riesgo", r"bloquead[oa]", "amarillo", "rojo"),
        "pt": (r"em\s+risco", r"bloquead[oa]", "amarelo", "vermelho"), "it": (r"a\s+rischio", r"bloccat[oa]", "giallo", "rosso"),
        "nl": ("geblokkeerd", "risico", "oranje", "rood"), "pl": (r"zagro[żz]one", r"zablokowane"), "ro": (r"[îi]n\s+risc", r"blocat[ăa]?"),
        "tr": ("riskli", "engellendi"), "id": ("berisiko", "terblokir"), "cs": (r"ohro[žz]eno", r"blokov[áa]no"),
        "hu": (r"vesz[ée]lyben", "blokkolva"), "vi": (r"r[ủu]i\s+ro",), "zh": ("风险", "受阻", "阻塞"), "ja": ("リスク",),
    },
    DELAYED: {
        "en": ("delayed", "late", "slipped", "revised", "overdue", "behind"), "de": ("verschoben", r"versp[äa]tet", r"verz[öo]gert"),
        "fr": (r"retard[ée]e?", r"en\s+retard", r"report[ée]e?"), "es": (r"retrasad[oa]", r"atrasad[oa]", r"demorad[oa]"),
        "pt": (r"atrasad[oa]", r"adiad[oa]"), "it": (r"in\s+ritardo", r"posticipat[oa]"), "pl": (r"op[óo][źz]nion[ey]",),
        "nl": ("vertraagd", "uitgesteld"), "tr": (r"gecikme\w*", "ertelendi"), "id": ("terlambat", "tertunda"),
        "ro": (r"[îi]nt[âa]rziat[ăa]?",), "cs": (r"zpo[žz]d[ěe]no",), "hu": (r"k[ée]sik", "csúszik"), "vi": (r"tr[ễe]",),
        "zh": ("延期", "延迟", "逾期"), "ja": ("遅延",),
    },
    PLANNED: {
        "en": ("green", r"on\s+track", r"on\s+schedule", r"in\s+progress", r"working\s+on\s+it", r"not\s+started", "open",
               "planned", r"to\s+do", "scheduled", "active"),
        "de": (r"gr[üu]n", r"in\s+arbeit", "offen", "geplant"), "fr": ("vert", r"en\s+cours", r"pr[ée]vu"),
        "es": ("verde", r"en\s+curso", r"en\s+progreso", "pendiente"), "pt": ("verde", r"em\s+andamento", r"em\s+progresso"),
        "it": ("verde", r"in\s+corso"), "nl": (r"op\s+schema", "lopend", "bezig"), "tr": (r"devam\s+ediyor", r"planland[ıi]"),
        "id": ("berjalan", r"sesuai\s+jadwal"), "pl": (r"w\s+toku",), "ro": (r"[îi]n\s+lucru",), "cs": (r"prob[íi]h[áa]",),
        "hu": (r"folyamatban",), "vi": (r"[đd]ang\s+l[àa]m",), "zh": ("进行中", "未开始", "正常"), "ja": ("進行中",),
    },
}


def _cell_pattern(words: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    fragments = [w for lang in words.values() for w in lang]
    wide = [w for w in fragments if _WIDE.search(w)]
    whole = _words(*(w for w in fragments if w not in wide)).pattern
    return re.compile("|".join([whole, *wide]), re.IGNORECASE)


_CELL_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (status, _cell_pattern(words)) for status, words in _CELL_WORDS_BY_LANGUAGE.items())
# A RAG column may hold the letter alone: R, A, G (B for blue, complete).
_RAG_LETTER = {"r": AT_RISK, "a": AT_RISK, "g": PLANNED, "b": DELIVERED}


def cell_status(text: str) -> str | None:
    """The status a status cell states, or None when it states none."""
    letter = _RAG_LETTER.get(text.strip().lower())
    if letter:
        return letter
    cue = read_status(text)
    if cue.status != PLANNED:
        return cue.status
    for status, words in _CELL_WORDS:
        if words.search(text):
            return status
    return PLANNED if cue.earlier else None
