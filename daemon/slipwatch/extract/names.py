"""Deliverable names as the vendor says them, and the project a message is about.

A name is the noun phrase a sentence is about: the subject before the verb
("The ONIX feed for Batch 1 | will be uploaded ..."), the label of a bullet
("UAT build | – 20 Nov"), or, when the subject is the vendor itself ("We
submitted | both builds ..."), the object after the verb. Cleaning removes what
vendors wrap around it: numbering, articles, lead-ins ("Good news:",
"Because of X,"), long parentheticals, trailing prepositions.
"""

from __future__ import annotations

import re

from .status import AT_RISK_WORDS, CANCELLED_WORDS, DELAYED_WORDS, DELIVERED_WORDS, MOVED_WORDS
from .words import (CJK_CHAR, CLAUSE_OPENERS, CONTEXT_WORDS, MONTHS, NAME_LEADING, NAME_TRAILING,
                    NAME_TRAILING_JOINED, RELATIVE_DAYS, WEEKDAY_ABBR, WEEKDAYS, alternation)

_I = re.IGNORECASE

# Verbs that end a subject. Status words count too ("Batch 1 | delivered").
_VERBS = re.compile(
    # an all-capitals word is a code or an abbreviation, never a verb: "PT/ES files", "IS team"
    r"(?<![\w-])(?-i:(?![A-Z]{2,}(?![\w-])))(?:"
    r"is|are|was|were|will|shall|'ll|has|have|had|can|could|may|might|must|should|would\s+like\s+to|would|"
    r"went|goes|comes|come|follows?|remains?|stays?|starts?|started|runs|ends|got|gets|depends|"
    r"lands|arrives?|arrived|reached|takes|took|needs?|moves|slips|keeps|looks|becomes?|became|"
    r"(?:expects?|plans?|planning|intends?|aims?|hopes?|wants?|needs?)\s+to|expects?|aren't|isn't|won't|can't|"
    r"ist|sind|war|waren|wird|werden|wurde|wurden|hat|haben|bleibt|kommt|geht|folgt|erfolgt|"
    r"liefern|schicken|senden|beginnt|startet|endet|"
    r"est|sont|était|sera|seront|ont|va|vont|reste|arrive|"
    r"es|son|está|están|estaba|fue|fueron|será|serán|sigue|siguen|queda|quedó|quedaron|van|llega|se|"
    r"é|são|estão|foi|foram|serão|vai|vão|segue|seguem|fica|ficou|ficaram|ficam|chega|"
    r"è|sono|sarà|saranno|sta|resta|restò|"
    r"jest|są|był|była|było|będzie|będą|został|została|zostały|zostanie|przesuwamy|"
    r"pasa|pasan|passa|passe|cambia|han|ha|hemos|tenemos|ten[ée]is|tiene|tienen|avons|avez|abbiamo|"
    r"hanno|temos|t[êe]m|mamy|maj[ąa]|"
    # adverbs that follow the subject: "El plan de rodaje | ya lo tenéis"
    r"already|ya|j[áa]|d[ée]j[àa]|bereits|schon|gi[àa]|ju[żz]"
    r")(?![\w-])|['’]ll(?![\w])", _I)
_STATUS_WORDS = (DELIVERED_WORDS, DELAYED_WORDS, AT_RISK_WORDS, CANCELLED_WORDS, MOVED_WORDS)

_PRONOUNS = frozenset(
    "we i you they he she it our team the team us nous je vous wir ich sie ihr nosotros yo "
    "ellos nós eu eles noi io loro my ja oni below here attached enclosed following this these".split())
_OBJECT_PRONOUNS = re.compile(r"^(?:you|us|them|him|her|vous|uns|ihnen|les|lhes|le|vi|ci|wam|państwu)\s+", _I)
_ADVERBS = re.compile(
    r"^(?:now|also|just|already|finally|fully|successfully|still|then|today|ya|já|déjà|bereits|"
    r"schon|già|już|officially)\s+", _I)

# Sentence openers that are not the subject.
_LEAD_IN = re.compile(  # used with match(text, pos): no "^"
    r"(?:"
    r"(?:(?:good|great|bad|some|quick|the)\s+news(?:\s+first)?|sorry\b[^:,.!]*|apologies\b[^:,.!]*|"
    r"unfortunately|fortunately|luckily|also|and|but|so|however|meanwhile|finally|then|next|"
    r"additionally|in\s+addition|fyi|note|update|reminder|p\.?s\.?|btw|"
    r"leider|au[ßs]erdem|zudem|malheureusement|aussi|par\s+ailleurs|lamentablemente|adem[áa]s|"
    r"tambi[ée]n|infelizmente|al[ée]m\s+disso|tamb[ée]m|j[áa]|purtroppo|inoltre|niestety|ponadto|"
    r"boas\s+not[íi]cias|buenas\s+noticias|bonne\s+nouvelle|gute\s+nachrichten|buone\s+notizie|"
    r"dobra\s+wiadomo[śs][ćc])\s*[:,!–—-]?\s+"
    # a salutation on the item's own line: "Hi, the deck ...", "Hello team - the deck ...", "Hi Maya, the ..."
    r"|(?:hi|hello|hey|dear|hola|ol[áa]|bonjour|hallo|ciao|cze[śs][ćc])(?:\s+[^\W\d_]+)?\s*[,!–—-]\s*"
    r"|as\s+(?:discussed|agreed|planned|promised|mentioned|requested|expected|announced)\b[^,;:.]*[,:]\s*"
    r"|(?:because|due\s+to|following|after|given|since|with|owing\s+to|wie\s+besprochen|comme\s+convenu|"
    # a condition: "if nothing explodes, 0.10.0 final on friday"
    + alternation(CLAUSE_OPENERS["conditions"]) + "|"
    r"como\s+acordamos|como\s+combinado|come\s+concordato|zgodnie\s+z)\b[^,;:.]*,\s*"
    r"|(?P<topic_lead>regarding|concerning|as\s+(?:for|to|regards)|about|re:|bez[üu]glich|concernant|quant\s+[àa]|"
    r"en\s+cuanto\s+a|respecto\s+a|quanto\s+a|em\s+rela[çc][ãa]o\s+a|riguardo\s+a|per\s+quanto\s+riguarda|"
    r"je[śs]li\s+chodzi\s+o)\s+(?P<topic>[^,:;–—]{2,60}?)\s*(?:[,:;–—]|\s-)\s+"
    r"|(?:please\s+find\s+(?:attached|enclosed|below|here)|attached\s+(?:is|are|please\s+find)|"
    r"(?:here|below|enclosed)\s+(?:is|are)|(?:i|we)\s+(?:attach|enclose)|anbei|ci-joint|adjunto|em\s+anexo|"
    r"in\s+allegato|w\s+za[łl][ąa]czniku)\s+"
    r"|(?:this\s+is\s+to\s+(?:inform|confirm|let)\b|please\s+note|just\s+to\s+confirm|i\s+can\s+confirm|"
    r"we\s+can\s+confirm|i\s+wanted\s+to\s+let\s+you\s+know|[^.]{0,60}?\b(?:promised|confirm(?:ed)?|said|"
    r"told\s+(?:us|me|you|him|her|them)|wrote|"
    r"inform(?:ed)?(?:\s+(?:you|us))?|mentioned|assured|committed|announce|report|let\s+you\s+know)\b)[^.]*?\bthat\s+"
    r"|[^.]{0,60}?\b(?:confirma|confirmam|confirmo|confirmamos|informo|informamos|comunico|comunicamos|"
    r"confirme|confirment|best[äa]tigt|best[äa]tigen|conferma|"
    r"confermano|potwierdza|potwierdzaj[ąa]|dice|dicen|diz|dizem|dit|disent|sagt|sagen|dice)\b,?\s+"
    r"(?:que|dass|che|[żz]e)\s+"
    r")", _I)

# List marks of CJK writing, which need no space after them: "・結合テスト", "１．要件定義書", "2、UAT"
CJK_LIST_MARK = (r"(?:[・※]|[(（]?[\d０-９]{1,2}[．、）]|[(（]?[０-９]{1,2}[.)]"
                 r"|\(?\d{1,2}[.)](?=[\u3000]*" + CJK_CHAR + "))")
# A task list's box ("- [ ] ", "[x]") is part of the mark
_BULLET = re.compile(r"^\s*(?:(?:(?:[-–—•*·▪◦●○■►]+|\(?\d{1,2}[.)]|\(?[a-h][.)]|\(?[ivx]{1,4}\))\s+|(?=\[[ xX]\]))"
                     r"(?:\[[ xX]\]\s+)?|" + CJK_LIST_MARK + r"[\s\u3000]*)")
_TASK_BOX = re.compile(r"^\s*(?:[-–—•*·▪◦●○■►]+\s+)?\[[ xX]\]\s")
_PAREN = re.compile(r"\s*\(([^()]*)\)")
# "ETA for the cabinets" names the cabinets.
_DATE_OF = re.compile(r"^(?:the\s+)?(?:new\s+|revised\s+|current\s+)?(?:eta|etd|deadline|due\s+date|target\s+date|"
                      r"delivery\s+date|date)\s+(?:for|of)\s+", _I)
_TOGETHER = re.compile(r"\s+(?:together|along)\s+with\s+", _I)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]+")
# A CJK translation beside a name in another script: "Ozalid proofs dispatch 蓝纸打样寄出"
_CJK_TRANSLATION = re.compile(r"(?:^|(?<=\s))[\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]+(?=\s|$)")
_ARTICLES = re.compile(r"^" + alternation(NAME_LEADING) + r"\s+", _I)
_TRAILING = re.compile(r"(?:\s+|^)" + alternation(NAME_TRAILING) + r"$"
                       + (r"|(?<=\S)" + alternation(NAME_TRAILING_JOINED) + r"$" if NAME_TRAILING_JOINED else ""), _I)
_EDGE_PUNCT = " \t\n\r-–—:;,.!?*_\"'“”‘’«»|/>：　、。"

_FILLER = frozenset(
    "the a an le la les el los las der die das il lo o os "
    "date dates deadline eta etd it its this that these those them everything all rest pls please "
    "note new revised target due day days week weeks time plan schedule update status item items one "
    "same we i you they our your fecha data termin datum nueva nova nuovo nuova neuer neue nouvelle "
    "prazo plazo scadenza échéance also still now current next following remaining other".split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def strip_marker(text: str) -> str:
    """A line without its bullet or list number."""
    return _BULLET.sub("", text, count=1)


_FOR_OBJECT = re.compile(r"^for\s+(?=(?:the|our|your)\s)", _I)
_PREPOSITION_START = re.compile(r"^(?:to|on|in|at|for|from|with|by|into|onto|behind|via|over|under|through|"
                                r"al|en|para|por|à|au|dans|sur|nach|auf|im|zum|zur|na|do|w)\b", _I)


# Dates are blanked out of a clause with this mark before it is named: a name ends there.
BLANK = "\u2060"
_INFINITIVE = re.compile(r"^to\s+(?!(?:the|a|an|our|your|this|that|\d)\b)(?=[a-z])", _I)
_MODAL = re.compile(r"will|shall|'ll|can|could|may|might|must|should|would|wird|werden|va|vont|van|vai|v[ãa]o|"
                    r"(?:expects?|plans?|planning|intends?|aims?|hopes?|wants?|needs?|(?:would\s+)?like)\s+to", _I)
_NEGATED = re.compile(r"\s(?:no|not|nicht|ne|n[ãa]o|non|nie)\s*$", _I)
# "Moving | this | out of the Launch milestone": the object is the item talked about, named elsewhere.
_PRONOUN_OBJECT = re.compile(r"(?:this|it|that|these|those)\b(?=\s*(?:$|[,.;:(–—]|(?:out|to|from|into|in|on|by|back|"
                             r"forward|up|off|over|for|until|till|and|as)\b))", _I)
_MAIN_VERB = re.compile(r"^(?:not\s+|also\s+|then\s+)?[^\W\d_]+\s+", _I)


def _drop_long_parens(text: str) -> str:
    # "(order export)" names the item; "(cart, shipping and payment steps)" describes it
    def keep(m: re.Match[str]) -> str:
        inner = m.group(1)
        words = inner.split()
        if "," in inner or ";" in inner or len(words) > 3 or re.search(r"\b(?:was|were|is|are)\b", inner, _I):
            return ""
        return m.group(0)

    return _PAREN.sub(keep, text)


_DATED_PAREN = re.compile(r"\s*\([^()" + BLANK + r"]*" + BLANK + r"[^()]*\)")


def clean_name(raw: str) -> str:
    """The deliverable's short name from the words around it."""
    # "(also due <date>)" dates the item, it does not name it
    text = _DATED_PAREN.sub(" ", strip_marker(raw))
    text = _DATE_OF.sub("", _one_script(text).replace(BLANK, " ").strip(), count=1)
    text = _drop_long_parens(text)
    text = re.sub(r"\([^()]*$|^[^()]*\)|\(\s*\)", " ", text)  # cut or emptied parentheses
    text = " ".join(_TOGETHER.sub(" and ", text.replace("**", "")).split())
    previous = None
    while previous != text:
        previous = text
        text = text.strip(_EDGE_PUNCT)
        text = _ARTICLES.sub("", text)
        text = _TRAILING.sub("", text)
    return text


_LETTERS = re.compile(r"[a-zA-ZÀ-ɏ]{2,}")


def _one_script(text: str) -> str:
    """A name beside its CJK translation keeps its words in the other script ("物料齐套 Kitting");
    a name written in CJK ("要件定義書のご提出", "15.0.0 リリース") stays whole."""
    other = _CJK_TRANSLATION.sub(" ", text)
    return other if _LETTERS.search(other) else text


def _lead_in(text: str) -> tuple[int, str]:
    """How many characters of `text` open it without being its subject, and
    the topic they name ("Regarding the labels - they shipped" -> "the labels")."""
    pos = len(text) - len(text.lstrip())
    topic = ""
    while True:
        m = _LEAD_IN.match(text, pos)
        if not m or m.end() == pos:
            return pos, topic
        topic = m.group("topic") or topic
        pos = m.end()


def topic_of(text: str) -> str:
    """The topic an opener names ("Regarding the labels –" -> "the labels"), or ""."""
    return _lead_in(text)[1]


def lead_in_length(text: str) -> int:
    return _lead_in(text)[0]


def strip_lead_in(text: str) -> str:
    """A sentence without openers like "Good news:" or "As agreed on the call,"."""
    return text[lead_in_length(text):].strip()


def first_verb(text: str) -> re.Match[str] | None:
    found = [m for m in (p.search(text) for p in (_VERBS, *_STATUS_WORDS)) if m]
    return min(found, key=lambda m: m.start()) if found else None


def _is_pronoun(phrase: str) -> bool:
    words = phrase.lower().split()
    return not words or " ".join(words[-2:]) in _PRONOUNS or words[-1] in _PRONOUNS


# A person as the subject ("Radu Pop will send the script", "@lee moved this ..."): the
# deliverable is the object. A capitalised name counts only with a verb and an object
# after it, since "Tidewater went live" names a project.
# The words of "is", "will" in every language, that may end a subject the verb list does not know
_AUXILIARIES = frozenset(w for w in (*CONTEXT_WORDS["reported"], *CONTEXT_WORDS["future"]) if " " not in w)
_HANDLE = re.compile(r"^\s*@[\w.-]+\s*$")
_PERSON_NAME = re.compile(r"^\s*[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+(?:\s+[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]+){0,2}\s*$")
_ACTS_ON_OBJECT = re.compile(r"(?:(?:will|shall|can|'ll|is\s+going\s+to|plans?\s+to)\s+)?(?:\w+\s+){1,2}?"
                             r"(?:the|our|your|their|a|an|all|both|these|those|this|that|it|them)\b", _I)


def _is_person(subject: str, predicate: str) -> bool:
    if _HANDLE.match(subject):
        return True
    return bool(_PERSON_NAME.match(subject)) and bool(_ACTS_ON_OBJECT.match(predicate))


# Verbs that are the milestone when their subject is just the thing or the project:
# "Tidewater went live" is the Tidewater go-live, "the goods left our factory" the ex-factory.
_EVENTS = (
    (re.compile(r"(?:went|goes|go|gone|is|are|was|were)\s+(?:fully\s+|now\s+)?live\b|went\s+into\s+production", _I),
     "go-live"),
    (re.compile(r"left\s+(?:our|the|their)\s+(?:factory|plant|mill)", _I), "ex-factory"),
    (re.compile(r"(?:was|were|got)?\s*launched\b", _I), "launch"),
)
_SHORT_SUBJECT = 2  # words


_DIRECT_OBJECT = re.compile(r"\s+(?:the|our|your|their|its|a|an|all|both|this|these|v?\d)\b", _I)


def _event(predicate: str) -> str | None:
    """The event the verb names when it takes no object ("launched on Monday", not "launched the app")."""
    for verb, event in _EVENTS:
        m = verb.match(predicate)
        if m and not _DIRECT_OBJECT.match(predicate, m.end()):
            return event
    return None


def _with_event(name: str, predicate: str) -> str:
    event = _event(predicate)
    if not name or not event or len(name.split()) > _SHORT_SUBJECT or event in name.lower():
        return name
    return f"{name} {event}"


_WITH_OBJECT = re.compile(r"\bwith\s+(?P<what>[^,;:.()–—" + BLANK + r"]+)", _I)


def _writer_event(predicate: str) -> str:
    """ "We went live on Tuesday with the loyalty module": the loyalty module go-live."""
    event = _event(predicate)
    if event is None:
        return ""
    what = _WITH_OBJECT.search(predicate)
    return _with_event(clean_name(what.group("what")), predicate) if what else event.capitalize()


def own_subject(clause: str) -> str:
    """The noun phrase before the verb of `clause` when it is a thing, not the
    writer, a pronoun or a person ("test wytrzymałości EN 12520 | zaliczony"); else ""."""
    clause = strip_lead_in(clause)
    verb = first_verb(clause)
    if verb is None or verb.start() == 0:
        return ""
    subject = clause[:verb.start()]
    # "ready <date>, sent ...", "en consecuencia se retrasa": no noun phrase
    if BLANK in subject or _PREPOSITION_START.match(subject.strip()) or _NEGATED.search(subject) \
            or _is_pronoun(subject) or _is_person(subject, clause[verb.start():]):
        return ""
    return clean_name(subject)


# "we'd like to release", "I'll send": the pronoun and its verb, spelled out for the verb's sake
_CONTRACTION = re.compile(r"\b(?P<who>i|we|you|they|he|she|it)['’](?P<verb>d|ll|re|ve|m)\b", _I)
_CONTRACTED = {"d": "would", "ll": "will", "re": "are", "ve": "have", "m": "am"}


def _expanded(m: re.Match[str]) -> str:
    return f"{m.group('who')} {_CONTRACTED[m.group('verb').lower()]}"


def _without_auxiliary(phrase: str) -> str:
    """`phrase` without the auxiliary it ends with ("Nátisk je": Czech "is", not French "I")."""
    words = phrase.split()
    while words and words[-1].lower() in _AUXILIARIES:
        words.pop()
    return " ".join(words)


_JOINED_ENDING = re.compile(r"^['’]\w+\s*")


def _first_name(subject: str) -> str:
    """The name before the first date of a subject, or after it when the clause opens with its date, as
    languages that put the verb last do ("12 Aralık katalog baskısı | iptal edildi")."""
    pieces = subject.split(BLANK)
    first = clean_name(pieces[0])
    # a case ending written onto the date stays with it: "28 Mart'taki DJ performansı"
    after = _JOINED_ENDING.sub("", next((piece.strip() for piece in pieces[1:] if piece.strip()), ""))
    if first or not subject.startswith(BLANK) or not after or _PREPOSITION_START.match(after):
        return first  # "<date> for design freeze isn't realistic": the date's purpose, no name
    return clean_name(after)


def subject_name(clause: str) -> str:
    """The noun phrase `clause` is about: its subject, or its object when the
    subject is the writer ("We submitted both builds" -> "both builds")."""
    skip, topic = _lead_in(clause)
    clause = _CONTRACTION.sub(_expanded, clause[skip:].strip())
    verb = first_verb(clause)
    if verb is None:
        return clean_name(clause.split(BLANK)[0])
    subject = clause[:verb.start()]
    if _NEGATED.search(subject):
        return ""  # "el palé no | llega hasta el martes": what does not happen names no item
    if not _is_pronoun(_without_auxiliary(subject)) and not _is_person(subject, clause[verb.start():]):
        return _with_event(_first_name(subject), clause[verb.start():])
    if topic:
        return clean_name(topic)  # "Regarding the labels – they shipped"
    if _event(clause[verb.start():]):
        return _writer_event(clause[verb.start():])
    rest = clause[verb.end():].lstrip()
    if _MODAL.fullmatch(verb.group(0)) or _INFINITIVE.match(rest):
        rest = _MAIN_VERB.sub("", _INFINITIVE.sub("", rest, count=1), count=1)  # "we will | send | the docs"
    while True:
        rest = rest.lstrip(BLANK + " \t\n")  # "will not make | <date> | for the UAT build"
        nxt = first_verb(rest)
        if nxt is not None and nxt.start() == 0:
            rest = rest[nxt.end():].lstrip()
            continue
        stripped = _ADVERBS.sub("", _OBJECT_PRONOUNS.sub("", rest))
        if stripped == rest:
            break
        rest = stripped
    if _FOR_OBJECT.match(rest):
        rest = _FOR_OBJECT.sub("", rest, count=1)  # "we will not make today's 6 PM | for the UAT build"
    elif _PREPOSITION_START.match(rest) or _PRONOUN_OBJECT.match(rest):
        return ""  # "It is deployed | to production": no object, the item is elsewhere
    end = len(rest)
    # "handed over the admin manual | to your IT team": the object ends before its recipient
    cut = re.search(r"[,;:(–—" + BLANK + r"]|\s-\s|\s(?:to|for|with)\s+(?:you|us|your|our|their)\b", rest)
    if cut:
        end = cut.start()
    verb_after = first_verb(rest[:end])
    if verb_after:
        end = verb_after.start()
    return clean_name(rest[:end])


# "The installer and the user guide are due Friday": two subjects of a plural verb are two
# items; a label or an object ("Cloth and foil samples: shipped") is one deliverable.
_AND = re.compile(r"\s+(?:and|as\s+well\s+as|y|e|et|und|i|oraz)\s+", _I)
_PLURAL_VERB = r"\s+(?:are|were|have|both|will\s+both|sind|son|sont|s[ãa]o|sono|s[ąa])\b"


def split_items(name: str, sentence: str) -> list[str]:
    """The items one name states together; [name] for one. "PT/ES subtitle files"
    is one deliverable as the vendor names it: one line, one date, one item."""
    parts = _AND.split(name)
    if len(parts) != 2 or "(" in name or not all(content_words(p) for p in parts):
        return [name]
    if re.search(re.escape(parts[1]) + _PLURAL_VERB, sentence, _I) and not re.search(
            re.escape(name) + r"\s*[:–—]", sentence):
        return [clean_name(part) for part in parts]
    return [name]


def content_words(name: str) -> list[str]:
    return [w for w in _WORD.findall(name.lower()) if w not in _FILLER and not w.isdigit()]


# A name whose head is the report itself introduces items, it is none:
# "Lantern deliverables status", "the status for week 42", "estado de los entregables".
_REPORT_HEAD = re.compile(
    r"(?:^|\s)(?:status|state|update|overview|summary|situation|progress|estado|situaci[óo]n|situa[çc][ãa]o|"
    r"statut|stato|situazione|stan|sytuacja|situa[tţț]ia|stare|aktualizacja|actualizaci[óo]n|mise\s+[àa]\s+jour)"
    r"(?:\s+(?:report|of|for|de|des|du|del|dos|das|on|as|at|in|na|la|per|dla|pentru)\b.*)?$", _I)


# The head of an action item in minutes names who acts, not what is due: "ACTION:", "Action item -
# Tom:", "AP Kemal:", "TODO (Ana):"; the item is the rest of the line.
_ACTION_HEAD = re.compile(
    r"^(?i:action(?:\s+(?:item|point))?s?|a\.?i\.?|a\.?p\.?|to-?do|aktion(?:spunkt)?|acci[óo]n|azione|actie(?:punt)?|"
    r"a[çc][ãa]o|dzia[łl]anie|eylem|tindakan|action\s+à\s+mener)\b"
    r"(?:\s*[-–—(\[]?\s*[A-ZÀ-Þ][\w.'’-]*(?:\s+[A-ZÀ-Þ][\w.'’-]*)?\s*[)\]]?)?$")


# What an action item asks for: "Maria to | send | the budget", "share | the dataset sheet": its owner
# and its verb come first, the thing due follows from an article or determiner on.
_ACTION_OWNER = re.compile(r"^[^\n]{1,40}?\s+(?:to|will|should|must)\s+(?=[a-zà-ÿ])")  # "BRW (Joost/Chiara) to"
_ACTION_VERB = re.compile(r"^[a-zà-ÿ][\w'’-]*(?:\s+(?:in|out|up|on|over|off|back))?\s+(?="
                          + _ARTICLES.pattern.lstrip("^") + ")", _I)  # "fill in | the sheet"


def is_action_head(label: str) -> bool:
    return bool(_ACTION_HEAD.match(label.strip()))


def is_task_owner(line: str, label: str) -> bool:
    """True when a task list's line opens with who does it: "- [ ] tkowal: triage the flake",
    "[ ] @mira: order the connectors" (one word or a handle before the colon)."""
    return bool(_TASK_BOX.match(line)) and len(label.split()) == 1


def action_item(text: str) -> str:
    """The thing an action item asks for: "Joost to circulate the DMP draft to partners" -> "DMP draft
    to partners"; unchanged when the line does not read as owner-and-verb."""
    rest = _ACTION_OWNER.sub("", text.strip(), count=1)
    rest = _ACTION_VERB.sub("", rest, count=1)
    return clean_name(rest)


# A parcel's tracking is how to follow a delivery, not one: "Tracking should be live tonight".
_TRACKING = re.compile(r"^(?:(?:parcel|shipment|courier|dhl|ups|fedex)\s+)?(?:tracking|awb|waybill|air\s+waybill|"
                       r"seguimiento|rastreamento|sendungsverfolgung|suivi)(?:\s+(?:number|no\.?|link|code|id|"
                       r"info(?:rmation)?|details|page))?$", _I)


# A version names a release ("4.12.1", "v0.9.0", "4.2.0rc1"), where a lone number ("14") says nothing.
VERSION = re.compile(r"v?\d+(?:\.\d+){1,3}[a-z]*\d*", _I)
VERSION_WORD = re.compile(r"(?<![\w.])" + VERSION.pattern + r"(?![\w.])", _I)


# The registry's words for a day or a month in every language: a name of these alone ("Fri" of
# "Fri 2027-04-16: RC tarballs", "Tomorrow") is what is left of a date, which names no item. Phrases
# ("the day after") stay out: their words ("the", "after") are no date's alone.
_DATE_WORDS = frozenset(w.lower() for w in (*MONTHS, *WEEKDAYS, *WEEKDAY_ABBR, *RELATIVE_DAYS)
                        if _WORD.fullmatch(w))
_EDGE_WORDS = NAME_LEADING | NAME_TRAILING


def is_vague(name: str) -> bool:
    """True when a name says nothing of its own ("the date", "it", "ETA", "Friday"), names
    the report rather than an item ("Project X status") or a parcel's tracking."""
    return not content_words(name) and not VERSION_WORD.search(name) or _only_date_words(name) \
        or bool(_REPORT_HEAD.search(name)) or bool(_TRACKING.match(name.strip())) \
        or bool(_ACTION_HEAD.match(name.strip())) or opens_a_clause(name)


def _only_date_words(name: str) -> bool:
    """True when the words of `name`, as its blanks part them, are a date's, filler, numbers and the
    words no name starts or ends with: "Fri", "of Tuesday", but not "SO-53310" (a code whose letters
    are a weekday's)."""
    words = [w for w in (w.strip(_EDGE_PUNCT).lower() for w in name.split())
             if w not in _FILLER and w not in _EDGE_WORDS and not w.isdigit()]
    return bool(words) and all(w in _DATE_WORDS for w in words)


# The writer, the reader or a third party as a clause's subject: "I've just", "We're co-authors",
# "Je serai", "Ik ben uitgegaan" open what someone does or is, never a deliverable's name.
_SUBJECT_PRONOUNS = frozenset(CLAUSE_OPENERS["subject_pronouns"])


def opens_a_clause(name: str) -> bool:
    """True when `name` opens with a personal pronoun as its subject ("I've just", "It's"): the
    writer's clause, no item's name ("IT handover" is the IT department's)."""
    first = re.split(r"[\s'’]", name.strip(), maxsplit=1)[0]
    return first.lower() in _SUBJECT_PRONOUNS and (first == "I" or not first.isupper())


_PROJECT_NAMED = re.compile(
    r"\b(?i:project|projekt|projet|proyecto|projeto|progetto|programme|program|programa)\s+"
    r"(?P<name>[A-Z][\w-]*(?:\s+(?!Phase\b)[A-Z][\w-]*){0,2})"
    r"|(?P<name2>(?:[A-Z][\w-]*\s+){0,2}[A-Z][\w-]*)\s+(?i:project|programme|program)\b")
# Tool tags and reference numbers ("[JIRA]", "(INK-23)", "PO 4471", "FH-4471") name no project.
_SUBJECT_TAGS = re.compile(r"\[[^\]]*\]|\([A-Z]+-\d+\)|^\s*(?:(?:PO|Job|Order)\s+\S+|[A-Z]{1,5}(?:-[A-Z0-9]+)*-?\d[\w-]*)\s*")
_SUBJECT_HEAD = re.compile(r"^(?P<head>[^–—:|]{2,40}?)\s*(?:[–—|]|\s-\s)")


def project_of(subject: str, text: str) -> str | None:
    """The project a message names ("Project Harbor", "Inkwell – status"), if any."""
    for source in (subject, text):
        m = _PROJECT_NAMED.search(source)
        if m:
            return m.group("name") or m.group("name2")
    head = _SUBJECT_HEAD.match(_SUBJECT_TAGS.sub("", subject).strip())
    if head and len(head.group("head").split()) <= 4:
        return head.group("head").strip()
    return None


_SUBJECT_NOISE = re.compile(r"\[[^\]]*\]|\((?:[A-Z][A-Z0-9]+-\d+|(?:issue|pr|mr|pull\s+request)\s*#?\d+|#\d+)\)", _I)


# What tools put before the item's title: "Work Item Changed: Task 4412 - ", "Reminder: ", "Bug #12: ".
# "ENG-142 Search page" (Linear, Jira keys), "Task: Label artwork" (Asana, Planner).
_TOOL_PREFIX = re.compile(
    r"^\s*(?:[^:|]{0,30}\b(?:changed|updated|assigned|created|commented|mentioned|reminder|due\s+soon|overdue)\b"
    r"[^:|]{0,20}[:：]\s*)?(?:(?:task|bug|issue|story|user\s+story|epic|feature|ticket|work\s+item|card|pbi)\s*#?\d+"
    r"\s*[-–—:]\s*|(?-i:[A-Z][A-Z0-9]{1,9}-\d+)\s*[-–—:]?\s+|(?:task|to-?do|card|issue|item)\s*[:：]\s*)?", _I)


# ... and what they put after it: "Feature 4812 - Import API was changed".
_TOOL_SUFFIX = re.compile(
    r"\s+(?:was|were|has\s+been|have\s+been)\s+(?:changed|updated|modified|edited|assigned|created|resolved|"
    r"closed|completed|reopened|moved|commented\s+on)\s*$"
    r"|\s+(?:wurde|wurden)\s+(?:ge[äa]ndert|aktualisiert|erstellt|zugewiesen|geschlossen)\s*$"
    r"|\s+a\s+[ée]t[ée]\s+(?:modifi[ée]e?|mise?\s+[àa]\s+jour|cr[ée]{2}e?|assign[ée]e?|ferm[ée]e?)\s*$"
    r"|\s+(?:fue|ha\s+sido|foi)\s+(?:modificad[oa]|actualizad[oa]|atualizad[oa]|alterad[oa]|cread[oa]|criad[oa]|"
    r"asignad[oa]|atribu[íi]d[oa]|cerrad[oa]|fechad[oa])\s*$"
    r"|\s+[èe]\s+stat[oa]\s+(?:modificat[oa]|aggiornat[oa]|creat[oa]|assegnat[oa]|chius[oa])\s*$"
    r"|\s+(?:został[aoy]?|zostały)\s+(?:zmienion[yae]|zaktualizowan[yae]|utworzon[yae]|przypisan[yae])\s*$"
    r"|\s+(?:is\s+)?(?:gewijzigd|bijgewerkt|aangemaakt)\s*$", _I)


_UNITS = (r"(?:new\s+|neue\s+|nouvelles?\s+|nuevas?\s+|novas?\s+|nuov[ei]\s+)?"
          r"(?:tasks?|cards?|items?|notifications?|updates?|changes?|activit(?:y|ies)|comments?|pulses?|rows?|"
          r"tarefas?|tareas?|t[âa]ches?|aufgaben?|attivit[àa]|compiti|notifica(?:ç(?:ões|ão)|ciones?|tions?|zioni)|"
          r"atualizaç(?:ões|ão)|actualizaci(?:ones|ón)|mises?\s+à\s+jour|aktualisierungen|benachrichtigungen|"
          r"aggiornamenti|cartões|tarjetas|cartes|karten|schede|elementos?|éléments?)")
# Lines that head a digest or a section of it, never an item.
DIGEST_HEADER = re.compile(
    r"^\s*(?:\d+\s+" + _UNITS + r"\b"
    r"|[^\n]*?\s(?:and|e|y|et|und|ed)\s+(?:mais\s+|m[áa]s\s+|altri\s+)?(?:\d+|one|um|uma|uno|una|un|une|ein|eine)\s+"
    r"(?:others?|outr[oa]s?|otr[oa]s?|autres?|andere|altr[oi]|more|mais|m[áa]s)\b"
    r"|(?:your\s+)?(?:weekly|daily|monthly)\s+(?:[A-Z]\w+\s+)?(?:digest|summary|recap|update)"
    r"|(?:digest|r[ée]sum[ée]|resumo|resumen|zusammenfassung|riepilogo|r[ée]capitulatif)\s+(?:hebdomadaire|semanal|"
    r"w[öo]chentlich\w*|settimanale|quotidien|di[áa]rio)"
    r"|[^\n]*\bproject\s+update\b|[^\n]*\bposted\s+(?:an?\s+)?(?:update|message)\b"
    r"|(?:upcoming|coming\s+up|due\s+soon|overdue|pr[óo]xim[oa]s?|em\s+breve|a\s+vencer|[àa]\s+venir|bient[ôo]t|"
    r"demn[äa]chst|f[äa]llig|in\s+scadenza|atrasad[oa]s|vencid[oa]s|en\s+retard|[üu]berf[äa]llig|scadut[ei])\b"
    r"|here'?s\s+what|what\s+you\s+missed|you\s+have\s+\d|\d+\s+[^\n]{0,20}\bsince\s+your\s+last)", re.IGNORECASE)
_SUBJECT_TAIL = re.compile(r"\s*(?:[·•|:–—]|\s-)\s*(?:\d+\s+" + _UNITS + r"\b|project\s+update\b|(?:weekly|daily)\s+"
                           r"(?:digest|summary|update)\b)[^\n]*$", re.IGNORECASE)


def without_digest_header(subject: str) -> str:
    """A subject with its digest part removed ("Hull – 2 task updates" → "Hull"); "" when it is all header."""
    subject = _SUBJECT_TAIL.sub("", subject)
    return "" if DIGEST_HEADER.match(subject) else subject


def subject_item(subject: str) -> str:
    """The item a subject line names, tool tags and "ETA?" removed."""
    title = _TOOL_PREFIX.sub("", _CJK.sub(" ", _SUBJECT_NOISE.sub(" ", subject)), count=1)
    title = without_digest_header(title.strip())
    return clean_name(_TOOL_SUFFIX.sub("", title)) if title else ""
