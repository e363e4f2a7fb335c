"""Pure: find the questions people actually ask in a forum post (German first, English too).

Forum posts are untidy: questions come without "?", as "1. Frage:" items, wrapped in greetings,
signatures and code. The steps here are small and named: ``split_sentences`` (miner.sentences) cuts a
post's plain text into sentences (German abbreviations, dates, lists, line breaks, emoji, URLs), ``question_kind``
decides whether one sentence asks something, ``extract_questions`` applies both to one post and
``extract_thread_questions`` to a whole thread (title as its own kind, near-duplicates dropped).
Quoted text never arrives here: the parser keeps it apart in ``posts.quoted`` and we only read
``posts.text``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from miner.normalize import stem
from miner.sentences import GREETING, LIST_MARKER, QUESTION_MARKER, TRAILING_NOISE, URL, split_sentences
from miner.sentences import Sentence  # noqa: F401  (re-exported: part of this module's API)

# ------------------------------------------------------------------ vocabulary of the rules

CLOSING_QUOTES = re.compile(r"[\"“”„»«'’]+$")
QUESTION_END = re.compile(r"(?:\?+!+[?!]*|!+\?[?!]*)$")  # "Gilt das auch?!", "Echt!?": asks like "?"
# "Ach ja, und: Gilt das ...", "Nebenbei: Welche Version ...": a short lead-in before the question itself
LEAD_IN = re.compile(r"^([^:?!.]{1,80}?):\s+(?=\S)")
# A lead-in pointing at another thread: what follows is that thread's title, not a question asked here
REFERENCE_LEAD = re.compile(r"\b(?:thema|themen|diskussion|thread|threads|beitrag|beiträge|link|siehe|see\s+also|related)\b", re.I)
# A lowercase word, then a capitalised word that starts sentences but is no noun: a sentence end
# without its full stop ("... realistisch Ich muss das abschätzen.")
RUN_ON = re.compile(r"(?<=[a-zäöüß0-9])\s+(?=(?:Ich|Wir|Die|Der|Das|Es|Er|Ohne|Bei|Mein|Meine|Unser|Unsere|Dann|Danke|"
                    r"Leider|Bisher|Momentan|Aktuell|Hier|Dort|Vielen|Viele|Gruß|Grüße|Ansonsten|Sonst|Deshalb|Daher)\b)")
ANSWER_WORDS = {"ja", "nein", "jein", "klar", "genau", "stimmt", "richtig", "doch", "naja", "na", "ok", "okay", "gut",
                "schade", "leider", "tja", "echt", "also", "yes", "no", "sure", "well", "danke", "super", "prima"}
SUBORDINATORS = {"wenn", "falls", "sobald", "als", "weil", "da", "obwohl", "nachdem", "bevor", "solange", "während",
                 "ob", "dass", "damit", "sofern", "soweit", "seit", "seitdem", "wer", "was", "wie", "wo", "wann",
                 "warum", "wieso", "if", "when", "because", "although", "since", "whether"}
ALTERNATIVE_ANYWHERE = re.compile(r"\b(?:ja\s+oder\s+nein|yes\s+or\s+no)\b", re.I)
ALTERNATIVE_END = re.compile(r"\b(?:ja\s+oder\s+nein|yes\s+or\s+no)$", re.I)
POSTSCRIPT_PREFIX = re.compile(r"^(?:p\.?\s?s\.?|nachtrag|edit|update)\s*:\s*", re.I)
LEADING_CONJUNCTION = re.compile(r"^(?:und|aber|oder|vielleicht|and|but)\s+")
V1_VERBS = set("""
gibt gäbe gibts gibt's kann können könnt könnte könnten kannst darf dürfen dürfte dürften darfst dürft muss müssen
müsste müssten musst müsst soll sollen sollte sollten sollst sollt ist sind seid bist wäre wären war waren hat haben
habt hast hätte hätten hättet wird werden werdet wirst würde würden würdet weiß weiss wisst wissen weißt weisst kennt kennen kennst
nutzt nutzen benutzt benutzen verwendet verwenden macht machen gilt gelten reicht reichen braucht brauchen brauchst
funktioniert geht gehen klappt läuft laufen mag möchte möchtest möchten will willst wollen wollt setzt setzen erlaubt
erlauben spricht sprechen bietet bieten unterstützt unterstützen steht stehen liegt lohnt empfiehlt empfehlt empfehlen
findet findest meint meinst denkt denkst seht siehst sieht gibt's hab habe bin verstehe versteh sehe kommt kommen
bekommt bekommen schickt schicken schreibt schreiben teilt teilen handhabt handhaben regelt regeln löst lösen
informiert informieren erreicht erreichen
is are was were can could does do did should would will has have may might shall must
""".split())
WH_WORDS = set("""
wie was wer wen wem wessen welche welcher welches welchen welchem warum wieso weshalb weswegen wo woher wohin wann
wozu womit wofür worauf worüber wovon woran worin wodurch inwiefern inwieweit ob wieviel wieviele weiß
what how why who whom whose which where when whether
""".split()) - {"weiß"}
# After a verb-first opening, who or what it is about: makes "Kann man ..." a question, "Kann sein." not.
V1_SUBJECTS = set("""
es man jemand jmd irgendwer irgendjemand ihr du sie das dies diese dieser dieses der die den dem ein eine einer einen
mir mich uns euch dir eure euer eurer ihre ihrer unsere unser meine mein deine dein
sowas so etwas
you anyone anybody someone somebody there it we i they this that the your any
""".split())
V1_PARTICLES = {"schon", "noch", "eigentlich", "denn", "überhaupt", "ja", "sich", "mal", "auch", "hier", "irgendwo", "da",
                "dann", "dort", "wirklich", "trotzdem", "inzwischen", "jetzt"}
# Object pronouns right after the verb: a question only when a subject follows ("Kann mir jemand ...");
# "Kommt mir komisch vor" is a statement that dropped its "das".
OBJECT_PRONOUNS = {"mir", "mich", "uns", "euch", "dir", "ihm", "ihnen"}
V1_LATE_SUBJECTS = {"jemand", "jmd", "einer", "wer", "irgendwer", "irgendjemand", "ihr", "du", "man", "es", "das", "sie",
                    "you", "anyone", "someone"}
# Shorter than normalize.STOP_WORDS on purpose: near-duplicates are judged on almost every word.
DUPLICATE_STOPWORDS = set("""
der die das den dem des ein eine einer einen einem an am in im mit zu zum zur von vom für auf bei und oder es ich
man wir ihr du sie denn eigentlich auch noch schon mal the a an of to for with
""".split())
PREPOSITIONS = {"mit", "seit", "bei", "ab", "für", "in", "an", "auf", "von", "zu", "aus", "nach", "über", "unter", "um",
                "bis", "gegen", "durch", "ohne", "vor", "per", "via", "from", "with", "for", "in", "on", "at", "to", "since", "by"}
# After a comma, words that continue a question ("..., wenn", "..., die man") rather than start a main clause.
CLAUSE_CONTINUATIONS = set("""
wenn dass ob weil damit obwohl falls die der das den dem deren dessen welche welcher welches wie was wo wer wen wem
wann warum wieso weshalb womit wofür woran worauf bzw also oder und aber sondern ohne um sodass bevor nachdem sobald
solange während indem z zb ggf evtl etwa insbesondere vor allem auch oder gar sprich konkret
if that whether which who when where why how and or but so because
""".split())
MAIN_CLAUSE_AFTER_COMMA = re.compile(r",\s*([\wäöüß]+)")
INVERTED_MAIN_CLAUSE = re.compile(r",\s*([\wäöüß]+)\s+(?:ich|wir|man|es|er|sie|du|ihr|das|dies|diese|dieser|der|die|den|dem|"
                                  r"ein|eine|einer|so|dann)\b", re.I)
COMMA_WORD = re.compile(r",\s*([\wäöüß]+)")
REPORTED_SPEECH = {"sei", "seien", "habe", "hätte", "werde", "würde", "könne", "müsse", "solle", "dürfe", "wolle", "bleibe"}
INFINITIVE_CLAUSE = re.compile(r"\b(?:zu|to)\s+[\wäöüß]+$|^[\wäöüß]+(?:\s+[\wäöüß]+){0,4}zu[\wäöüß]+en$", re.I)
# After a wh-word, a subject pronoun right behind a verb shows question word order ("Wie bekomme ich ...");
# in a clause used inside a statement the subject comes first ("Wie ich das mache, ...").
WH_SUBJECTS = {"ich", "du", "ihr", "man", "jemand", "wir", "es", "sie", "er", "i", "you", "we", "they", "it"}
WH_PHRASE_WORDS = {"viele", "viel", "lange", "oft", "genau", "teuer", "hoch", "groß", "alt", "weit", "sicher", "gut",
                   "schnell", "much", "many", "long", "often"}
WH_PARTICLES = {"denn", "eigentlich", "genau", "überhaupt", "da", "hier", "bitte"}
SUBJECT_WH = {"wer", "was", "who", "what"}
ARTICLES = {"der", "die", "das", "den", "dem", "ein", "eine", "einen", "einem", "eure", "euer", "eurer", "unsere", "unser",
            "meine", "mein", "deine", "dein", "ihre", "ihr", "diese", "dieser", "dieses", "the", "a", "an", "your"}
# After a comma, lowercase words that keep a question going; any other lowercase word there is
# usually the finite verb of a main clause ("Sollte es regnen, fällt ...", "Ob X, bleibt offen").
COMMA_CONTINUATIONS = {"gerade", "besonders", "speziell", "insbesondere", "allerdings", "jedoch", "etwa", "zb", "bzw",
                       "evtl", "ggf", "usw", "etc", "vielleicht", "eventuell", "notfalls", "ansonsten", "sonst",
                       "alternativ", "idealerweise", "möglichst", "auch", "nur", "noch", "am", "im", "vom", "zum", "zur"}
# After a comma, words that narrow the question down ("..., gerade bei Plugins")
NARROWING_WORDS = {"gerade", "besonders", "speziell", "insbesondere", "etwa", "zb", "bzw", "evtl", "ggf", "am", "im",
                   "vom", "zum", "zur", "also"}
MODALS = {"darf", "kann", "muss", "soll", "sollte", "könnte", "dürfte", "müsste", "sollten", "können", "dürfen", "müssen"}
INDIRECT_OPENERS = re.compile(
    r"^(?:ich\s+frage\s+mich|ich\s+frag\s+mich|mich\s+würde\s+interessieren|mich\s+interessiert|mich\s+interessieren|"
    r"ich\s+wüsste\s+gerne?|ich\s+würde\s+gerne?\s+wissen|ich\s+möchte\s+gerne?\s+wissen|ich\s+hätte\s+gerne?\s+gewusst|"
    r"meine\s+frage\s+(?:ist|wäre|lautet|dazu|hierzu)|die\s+frage\s+(?:ist|wäre),\s+(?:ob|wie)|"
    r"i\s+wonder|i\s+was\s+wondering|i'?d\s+like\s+to\s+know|does\s+anyone\s+know|"
    r"(?:ich\s+bin\s+(?:mir\s+)?(?:unsicher|nicht\s+sicher|gespannt),\s+(?:ob|wie|was|welche\w*))|"
    r"(?:(?:ich|wir)\s+)?(?:bitte|bitten)\s+um\s+(?:eure|ihre|kurze)?\s*(?:erfahrungen|tipps|rat|hinweise|rückmeldung|einschätzung|hilfe|ideen)|"
    r"(?:ich\s+)?(?:freue|freuen)\s+(?:mich|uns)\s+über\s+(?:eure|ihre)?\s*(?:erfahrungen|tipps|hinweise|rückmeldungen|einschätzungen|ideen)|"
    r"(?:ich|wir)\s+(?:suche|suchen)\s+(?:eine|einen|ein|nach|gerade|dringend|derzeit|momentan)|"
    r"any\s+(?:ideas|advice|experience|suggestions))\b",
    re.I,
)
STATEMENT_WH_OPENERS = re.compile(
    r"^(?:wie\s+(?:gesagt|schon|bereits|oben|erwähnt|beschrieben|berichtet|bekannt|gemeldet|immer|auch\s+immer|du\s+siehst|ihr\s+seht|man\s+sieht|"
    r"vermutet|erwartet|befürchtet|angekündigt|versprochen)|was\s+(?:mich|uns|die|das|den|der)\b.*\b(?:angeht|betrifft|stört|freut)|"
    r"wer\s+\w+\s+\w+,|wo\s+ein|wann\s+immer|was\s+auch\s+immer|wer\s+auch\s+immer|warum\s+auch\s+immer|"
    r"as\s+(?:said|mentioned)|what\s+i\s+(?:mean|did))",
    re.I,
)
RHETORICAL = re.compile(
    r"^(?:(?:aber|und|doch)\s+)?(?:warum|wieso|weshalb)\s+(?:auch\s+)?nicht\b|^wer\s+weiß\b|^was\s+soll'?s\b|^na\s+und\b|"
    r"^(?:oder|gell|ne|nicht\s+wahr|right|oder\s+etwa\s+nicht|oder\s+nicht|wirklich|echt|ehrlich)\s*\?|"
    r"^wer\s+kennt\s+das\s+nicht|^wie\s+auch\b|^wozu\s+auch|^was\s+(?:denn\s+)?sonst\b|^wer\s+hätte\s+das|"
    r"^warum\s+auch\b|^was\s+will\s+man\s+mehr|^wen\s+wundert|^who\s+knows|^why\s+not\b|^wer\s+\w+\s+(?:das|so\s+was|sowas)\s+schon|"
    r"^(?:(?:und|aber)\s+)?(?:wer|was|wen|wem|wo)\b.*\bschon\b|^(?:ist|war|wäre|sind)\s+(?:das|es|dies)\s+(?:nicht|denn\s+nicht)\s+(?:toll|schön|herrlich|klar|logisch|offensichtlich)|"
    r"^(?:wo|was|wer)\s+ist\s+(?:da|hier)\s+(?:das|der|denn\s+das)\s+problem|"
    r"^\w+(?:\s+\w+)?\?\s*$",
    re.I,
)
NEGATIVE_V1 = re.compile(r"^(?:und\s+|aber\s+)?(?:ist|sind|war|wäre|wären|hat|haben|macht|kann)\s+(?:das|es|dies|sowas)\s+(?:denn\s+|doch\s+)?nicht\b", re.I)
RHETORICAL_PARTICLES = re.compile(r"\b(?:auch|bitte|schon)\b", re.I)
INDIRECT_QUESTION_WORDS = {"ob", "wie", "was", "wo", "wann", "warum", "wer", "wen", "wem", "wieso", "weshalb", "womit",
                           "wofür", "wozu", "woher", "wohin", "welche", "welcher", "welches", "welchen", "welchem",
                           "if", "whether", "how", "what", "which", "where", "when", "why", "who"}
TAG_QUESTION = re.compile(r",\s*(?:oder|nicht|gell|ne|nicht\s+wahr|right|oder\s+nicht|oder\s+etwa\s+nicht|stimmt's)\s*\?+$", re.I)
STATEMENT_PARTICLES = re.compile(r"\b(?:halt|eben|ja\s+auch|übrigens|nämlich|jedenfalls|bei\s+uns|auch\s+so|so\s+machen)\b", re.I)
COLLOQUIAL_V1_ICH = re.compile(r"\b(?:nur|auch|bestätigen|empfehlen|sagen|nachvollziehen|verstehen|gut|nicht)\b", re.I)

MIN_WORDS = 3
MAX_CHARS = 1000  # longer "sentences" are text the splitter could not cut, not one question
# First words after which a sentence without "?" may still ask; anything else is skipped cheaply.
_OPENERS = set("""
und also aber oder vielleicht and so but ich wir mich meine die freue freuen bitte i any does über noch
""".split())
FIRST_WORD = re.compile(r"[^\W\d_]+")
# Where a question may start after a lead-in: behind ":" or "," (cheap pre-check for ``ask``)
LATER_WORD = re.compile(r"[:,]\s*([^\W\d_]+)")
_LATER_STARTS = frozenset(V1_VERBS | WH_WORDS)


# ------------------------------------------------------------------ detection


def clean_question(text: str) -> str:
    """The question's own words: no list or "Frage:" marker, no greeting prefix, no trailing emoji."""
    text = QUESTION_MARKER.sub("", text, count=1)
    text = LIST_MARKER.sub("", text)
    text = POSTSCRIPT_PREFIX.sub("", text)
    greeting = GREETING.match(text)
    if greeting:
        head, sep, tail = text.partition(",")
        if sep and len(head.split()) <= 4 and tail.strip():
            text = tail.strip()
    text = TRAILING_NOISE.sub("", text).strip()
    text = QUESTION_END.sub("?", text)
    text = re.sub(r"\s+", " ", text)
    return text[:1].upper() + text[1:] if text else text


_WORD = re.compile(r"[\wäöüß']+")
_NORMAL_WORD = re.compile(r"[\wäöüß]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _names_a_subject(rest: str) -> bool:
    """Does what follows an indirect opener name something to ask about (a word beyond pronouns,
    articles, question words and the generic verbs of asking)? A bare request for input does not."""
    return any(w not in DUPLICATE_STOPWORDS and w not in V1_SUBJECTS and w not in V1_VERBS
               and w not in INDIRECT_QUESTION_WORDS and w not in V1_PARTICLES and w not in WH_PARTICLES
               for w in _words(rest))


def question_kind(sentence: str, *, marked: bool = False, in_answer: bool = False, cleaned: bool = False) -> str | None:
    """'explicit' (ends in "?"), 'implicit' (asks by its form) or None (not a question worth keeping).

    ``in_answer``: the sentence is in someone else's reply, where tag questions ("..., oder?") and
    set phrases ("Warum auch nicht?") are rhetorical.
    """
    text = sentence if cleaned else clean_question(sentence)
    if QUESTION_END.search(text):
        text = QUESTION_END.sub("?", text)
    if CLOSING_QUOTES.sub("", text).endswith("?"):
        text = CLOSING_QUOTES.sub("", text)
    words = _words(URL.sub(" ", text))
    if len(text) > MAX_CHARS:
        return None
    if len(words) < MIN_WORDS and not (marked and len(words) >= 2):
        return None
    lowered = text.lower()
    if text.endswith("?"):
        if in_answer and (RHETORICAL.search(text) or TAG_QUESTION.search(text) or NEGATIVE_V1.search(text)):
            return None
        if in_answer and _words(text)[0] in WH_WORDS and RHETORICAL_PARTICLES.search(text):
            return None  # "Warum sollte man das auch wollen?", "Wer soll das denn bitte kontrollieren?"
        return "explicit"
    if text.endswith("!") or text.endswith(")"):
        return "implicit" if marked else None
    if marked:
        return "implicit"
    first = LEADING_CONJUNCTION.sub("", lowered)
    first_words = _words(first)
    if not first_words:
        return None
    if ALTERNATIVE_END.search(first) and not in_answer:
        return "implicit"  # "Privathandy für die Schule nutzen, ja oder nein"
    opener = INDIRECT_OPENERS.match(first)
    if opener:
        if not _names_a_subject(first[opener.end():]):
            return None  # "Freue mich über Rückmeldungen.", "Ich bin gespannt, wie ihr das handhabt.": no subject
        return None if in_answer and first_words[0] in ("ich", "wir") and "frage mich" not in first else "implicit"
    if first_words[0] in PREPOSITIONS and len(first_words) > 1 and first_words[1] in WH_WORDS:
        first_words = first_words[1:]  # "Mit welcher App ...", "Seit wann ..."
    head = first_words[0]
    if head in WH_WORDS:
        if STATEMENT_WH_OPENERS.match(first) or len(first_words) < 3 or _main_clause_after_comma(text):
            return None
        if head != "ob" and not _question_word_order(first_words):
            if _elliptic_wh(text):
                return "implicit"  # "Welche Version bzw. welches Modell genau"
            return None  # "Warum das so ist, ist unklar", "Wie der Kollege sagt ..." """
        if in_answer and STATEMENT_PARTICLES.search(first):
            return None
        return "implicit"
    if head in V1_VERBS or head.endswith("iert"):
        if first.split()[0].endswith(","):
            return None  # "Koordiniert, das Projekt ...": a participle, not a verb-first question
        inverted = INVERTED_MAIN_CLAUSE.search(first)
        if inverted and not _continues(inverted.group(1)) and inverted.group(1) not in OBJECT_PRONOUNS:
            return None  # "Sollte jemand eine Lösung haben, freue ich mich ..."
        if _main_clause_after_any_comma(text):
            return None  # "Sollte sie zurückkommen, wird sie verhaftet": condition, then the statement
        if re.search(r"\b(?:doch|ja)\b(?!\s+(?:jemand|einer|wer))", first):
            return None  # "Ist doch klar", "Hat ja niemand geantwortet": particles of statements
        rest = first_words[1:]
        original = text.split()[1:]
        if head in ("gibts", "gibt's", "gäbs", "gäb's"):
            rest, original = ["es"] + rest, ["es"] + original  # the subject is inside the verb
        if len(rest) > 2 and rest[0] in ("oder", "und", "or", "and") and rest[1] in V1_VERBS:
            rest, original = rest[2:], original[2:]  # "Muss oder darf ich ...", "Kann und soll man ..."
        while rest and rest[0] in V1_PARTICLES and len(rest) > 1 and rest[0] not in V1_SUBJECTS:
            rest, original = rest[1:], original[1:]
        second = rest[0] if rest else ""
        if original and original[0].endswith(",") and (len(rest) < 2 or rest[1] not in INDIRECT_QUESTION_WORDS) \
                and not (second in ("es", "das", "it") and len(rest) > 1 and rest[1] in ("wenn", "dass", "if", "that")):
            return None  # "Gibt es, heißt ...", "Darf man, wenn ..." (but "Weiß jemand, ob ..." asks)
        if in_answer and len(first_words) < 4:
            return None  # elliptical answers: "Kann man machen.", "Ist halt so."
        if second == "ich":
            if head in MODALS and not COLLOQUIAL_V1_ICH.search(" ".join(rest[1:3])):
                return "implicit"
            return None
        if second in OBJECT_PRONOUNS and not any(w in V1_LATE_SUBJECTS or w in ("der", "die", "ein", "eine", "the", "a")
                                                 for w in rest[1:3]):
            return None  # "Kommt mir komisch vor", "Hat mich gewundert": a statement without its "das"
        if second in V1_SUBJECTS:
            if STATEMENT_PARTICLES.search(first) and in_answer:
                return None
            return "implicit"
        if original and original[0][:1].isupper() and head not in ("ist", "war", "hat"):
            return "implicit"  # "Kooperiert schon eine Schule ...", "Nutzt Threema ..."
        if original and original[0][:1].isupper() and not in_answer and len(first_words) >= 6 \
                and not text.endswith(".") and "," not in text:
            return "implicit"  # "Ist XMPP für eine Schule eine realistische Alternative ..." (no full stop)
    return None


def ask(sentence: str, *, marked: bool = False, in_answer: bool = False) -> tuple[str, str] | None:
    """(kind, text) when the sentence asks, with the words that ask: the whole sentence, or its
    question behind a short lead-in ("Nebenbei: Welche Version ..."), the question before a sentence
    end that lost its full stop ("Wie lange dauert das Ich muss ..."), or a question clause after a
    comma-separated topic ("moodle oder itslearning, was würdet ihr nehmen": whole sentence kept).
    A lead-in that points at another thread ("Verwandtes Thema: ...?") quotes a title, not a question."""
    text = clean_question(sentence)
    lead = LEAD_IN.match(text)
    if lead and REFERENCE_LEAD.search(lead.group(1)) and text.endswith("?"):
        return None
    kind = question_kind(text, marked=marked, in_answer=in_answer, cleaned=True)
    run_on = kind != "explicit" and not marked and "?" not in text and RUN_ON.search(text)
    if kind and not run_on:
        return kind, text
    if kind == "implicit" and not lead:
        kind = None  # the sentence lost its full stop: only its head may ask
    candidates = [text]
    if lead and len(lead.group(1).split()) <= 10:
        body = clean_question(text[lead.end():])
        if "?" in body or not body.endswith(".") or RUN_ON.search(body):  # "Konkret bedeutet das: Sollte ..., so ...": a statement
            candidates.append(body)
    if not lead and not run_on and ("?" in text or "," not in text and "oder nein" not in text.lower()):
        return (kind, text) if kind else None  # nothing around the sentence's own form to look behind
    for candidate in candidates[::-1]:  # the question behind a lead-in first
        found = _ask_without_mark(candidate, in_answer, checked=candidate is text)
        if found:
            return found
    return (kind, text) if kind else None


def _ask_without_mark(text: str, in_answer: bool, checked: bool) -> tuple[str, str] | None:
    """``checked``: ``text`` itself was already found not to ask (only its parts are left to try)."""
    if "?" in text:
        kind = None if checked else question_kind(text, in_answer=in_answer, cleaned=True)
        return (kind, text) if kind else None
    run_on = RUN_ON.search(text)
    if run_on:
        text, checked = text[:run_on.start()], False  # the head decides; what follows is another sentence
    kind = None if checked else question_kind(text, in_answer=in_answer, cleaned=True)
    if kind:
        return kind, text
    alternative = ALTERNATIVE_ANYWHERE.search(text)
    if alternative and not in_answer and len(_words(text[:alternative.start()])) >= 2 and not text.endswith(".") \
            and _words(text)[0] not in WH_SUBJECTS:
        return "implicit", text[:alternative.end()]  # "privathandy für schule nutzen, ja oder nein wie ..."
    if "," in text and not text.endswith("."):
        topic, _, clause = text.partition(",")
        topic_words = _words(topic)
        if topic_words and len(topic_words) <= 10 and topic_words[0] not in ANSWER_WORDS and (
                topic_words[0] not in SUBORDINATORS or question_kind(topic, in_answer=in_answer, cleaned=True)):
            clause = clause.strip()
            if question_kind(clause[:1].upper() + clause[1:], in_answer=in_answer, cleaned=True):
                return "implicit", text
    return None


def _elliptic_wh(text: str) -> bool:
    """A short "Welche X genau" without any verb and without a full stop: asks for a detail.
    Verbs are spotted as lowercase words with verb endings (nouns are capitalised in German)."""
    if text.endswith((".", ",")) or "," in text:
        return False
    words = LEADING_CONJUNCTION.sub("", text).split()
    if not (3 <= len(words) <= 7) or not phrase_head(words[0].lower()) or words[1].lower() in ("ein", "eine", "einen"):
        return False
    rest = [w.strip(".:;!()") for w in words[1:]]
    return not any(w.lower() in V1_VERBS or (w[:1].islower() and w.lower().endswith(("t", "en", "te", "st")) and len(w) > 3)
                   for w in rest)


def phrase_head(head: str) -> bool:
    return head.startswith("welch") or head in ("wieviel", "wieviele", "which")


def _question_word_order(words: list[str]) -> bool:
    """Direct wh-question order: the finite verb right after the wh-phrase ("Wie macht ihr ...",
    "Welche App nutzt ihr ...", "Wer zahlt ..."), not a wh-clause with its verb at the end."""
    head, rest = words[0], words[1:]
    while rest and rest[0] in WH_PARTICLES:
        rest = rest[1:]
    if not rest:
        return False
    if rest[0] in V1_VERBS or (head in SUBJECT_WH and rest[0].endswith("t") and len(rest[0]) > 3):
        return True
    if len(rest) > 1 and rest[0].endswith(("t", "en")) and len(rest[0]) > 3 \
            and (rest[1] in ARTICLES or rest[1] in WH_PARTICLES or rest[1] in ("denn", "sie", "ihr", "wir")):
        return True  # "Inwiefern haftet die Lehrkraft ...", "Wo findet der Kurs statt", "Was nehmen denn ..."
    if rest[0] in WH_PHRASE_WORDS and len(rest) > 2 and rest[1].endswith(("t", "en")) and len(rest[1]) > 3 \
            and (rest[2] in ARTICLES or rest[2] in WH_SUBJECTS):
        return True  # "Wie lange halten die Akkus", "Wie oft wechselt ihr ..."
    if phrase_head(head) and len(rest) > 2 and rest[1].endswith(("t", "en")) and len(rest[1]) > 3 \
            and (rest[2] in ARTICLES or rest[2] in WH_SUBJECTS or rest[2] in PREPOSITIONS):
        return True  # "Welche Hüllen halten bei euch", "Welche Geräte nutzen die Schulen"
    phrase = head.startswith("welch") or head in ("wieviel", "wieviele", "which", "how") or rest[0] in WH_PHRASE_WORDS
    window = rest[:9] if phrase_head(head) or (head == "wie" and rest[0] in ("viele", "viel")) else rest[:6]
    if phrase and any(w in V1_VERBS for w in window[:3]):
        return True
    return any(subject in WH_SUBJECTS and verb not in WH_SUBJECTS and verb not in CLAUSE_CONTINUATIONS
               for verb, subject in zip(window, window[1:]))


def _continues(word: str) -> bool:
    lowered = word.lower()
    return lowered in CLAUSE_CONTINUATIONS or lowered in PREPOSITIONS or lowered in NARROWING_WORDS


def _main_clause_after_comma(text: str) -> bool:
    """"Wer das nicht will, muss ..." / "Ob X, hängt ab": a wh-clause used as part of a statement."""
    match = MAIN_CLAUSE_AFTER_COMMA.search(text)
    return bool(match) and not _continues(match.group(1)) or _main_clause_after_any_comma(text)


def _main_clause_after_any_comma(text: str) -> bool:
    """A comma followed by a lowercase word that neither continues the clause nor lists things:
    most often the finite verb of a main clause ("Ob ..., der ..., ist nicht klar")."""
    for match in COMMA_WORD.finditer(text):
        word = match.group(1)
        lowered = word.lower()
        clause = text[match.start(1):].split(",", 1)[0].rstrip(" ?!.")
        if INFINITIVE_CLAUSE.search(clause) and lowered not in V1_VERBS and lowered not in REPORTED_SPEECH \
                and not (lowered.endswith("t") and len(lowered) > 3):
            continue  # "..., abends zu schreiben": an infinitive clause, not a main clause
        if word[:1].islower() and not word[:1].isdigit() and lowered not in CLAUSE_CONTINUATIONS \
                and lowered not in PREPOSITIONS and lowered not in COMMA_CONTINUATIONS \
                and lowered not in WH_SUBJECTS and lowered not in ARTICLES:
            return True
    return False


# ------------------------------------------------------------------ posts and threads


def normalise(text: str) -> str:
    """Lower case, Unicode-normalised, punctuation dropped: what "the same question" compares."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_NORMAL_WORD.findall(text))


def question_id(post_id: str, text: str) -> str:
    """Stable id: the post plus a short hash of the normalised question text."""
    digest = hashlib.sha1(normalise(text).encode()).hexdigest()[:10]
    return f"{post_id}:{digest}"


def extract_questions(post: dict, thread: dict) -> list[dict]:
    """Question rows of one post (no title, no de-duplication: see ``extract_thread_questions``)."""
    if post.get("deleted") or post.get("post_type") not in (None, 1):
        return []  # deleted, or a moderator note / small action / whisper rather than a member's post
    starter = thread.get("starter")
    first_post = (post.get("post_number") or 0) == 1
    by_starter = bool(starter) and post.get("author") == starter
    in_answer = not first_post and not by_starter
    rows = []
    before = ""  # the sentence before, for a question that cannot stand alone
    for sentence in split_sentences(post.get("text") or ""):
        if sentence.skip:
            continue
        previous, before = before, sentence.text
        if not sentence.marked and "?" not in sentence.text and not _may_ask(sentence.text):
            continue
        asked = ask(sentence.text, marked=sentence.marked, in_answer=in_answer)
        if not asked:
            continue
        kind, text = asked
        if previous and needs_context(text):
            text = f"{previous.strip()} {text}"
        rows.append(_row(post, thread, text, kind, sentence.position, by_starter, first_post))
    return rows


# Words that point back at what was said before ("Hat sie recht?", "Geht das überhaupt?")
ANAPHORS = frozenset("""sie er es das dies diese dieser dieses dafür dazu damit davon darauf dabei dagegen
darüber daran so da dort that this it they she he""".split())
# a two-word question opening like this continues the sentence before ("Zu Recht?", "Und dann?")
CONTINUATIONS = frozenset("zu und oder aber auch also dann trotzdem wirklich and or but really".split())


def needs_context(question: str) -> bool:
    """True for a question that cannot stand alone: it points back ("sie", "das", "dafür") and names
    nothing itself (German nouns are capitalised; none after the first word), or it is a two-word
    continuation ("Zu Recht?"). Such a question carries the sentence before it, so editors and the
    grouping see what it asks."""
    words = re.findall(r"[\wäöüÄÖÜß-]+", question)
    if not words or len(words) > 6:
        return False
    if len(words) <= 2 and words[0].lower() in CONTINUATIONS:
        return True
    names_something = any(w[0].isupper() or any(c.isdigit() for c in w) for w in words[1:])
    return not names_something and any(w.lower() in ANAPHORS for w in words)


def _may_ask(text: str) -> bool:
    """Cheap pre-check: can this sentence without "?" be an implicit question at all?"""
    match = FIRST_WORD.match(text)
    if not match:
        return True  # starts with a list marker, digit or symbol: let the full rules decide
    word = match.group().lower()
    if not text.rstrip().endswith(".") or RUN_ON.search(text):
        # a lead-in, then a clause that may ask (only without a full stop: see ``ask``)
        if any(w.lower() in _LATER_STARTS for w in LATER_WORD.findall(text)) or "oder nein" in text.lower() \
                or "or no" in text.lower():
            return True
    return (word in V1_VERBS or word in WH_WORDS or word in PREPOSITIONS or word in _OPENERS
            or word.endswith("iert") or bool(GREETING.match(text)))


def _row(post: dict, thread: dict, text: str, kind: str, position: int, by_starter: bool, first_post: bool) -> dict:
    return {
        "id": question_id(post.get("id") or thread["id"] + ":title", text),
        "forum": thread.get("forum") or post.get("forum"),
        "thread": thread["id"],
        "post": post.get("id"),
        "position": position,
        "text": text,
        "kind": kind,
        "asked_by_starter": int(by_starter),
        "in_first_post": int(first_post),
        "in_reply": int(not first_post),
        "asked_at": post.get("created_at") or thread.get("created_at"),
    }


def _duplicate_key(text: str) -> set[str]:
    """Stemmed content words: "Erfahrungen mit der Grundschule" ~ "Erfahrung mit Grundschulen"."""
    words = [w for w in normalise(text).split() if w not in DUPLICATE_STOPWORDS]
    return {stem(word) for word in words}


def _near_duplicate(a: set[str], b: set[str]) -> bool:
    if not a or not b:
        return False
    overlap = len(a & b)
    return overlap / len(a | b) >= 0.75 or overlap / min(len(a), len(b)) >= 0.9 and min(len(a), len(b)) >= 4


def extract_thread_questions(thread: dict, posts: list[dict]) -> list[dict]:
    """All question rows of a thread: the title (kind 'title') then each post's questions in order,
    without near-duplicates of a question already asked earlier in the same thread."""
    posts = sorted(posts, key=lambda p: p.get("post_number") or 0)
    first = next((p for p in posts if p.get("post_number") == 1), None)
    rows: list[dict] = []
    title = clean_question(thread.get("title") or "")
    if title:
        anchor = first or {"id": None, "created_at": thread.get("created_at")}
        row = _row(anchor, thread, title, "title", -1, True, True)
        row["id"] = question_id((first or {}).get("id") or f"{thread['id']}:title", "title " + title)
        rows.append(row)
    seen: list[set[str]] = []
    for post in posts:
        for row in extract_questions(post, thread):
            tokens = _duplicate_key(row["text"])
            if any(_near_duplicate(tokens, other) for other in seen):
                continue
            seen.append(tokens)
            rows.append(row)
    return rows
