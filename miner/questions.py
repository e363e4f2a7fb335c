"""Pure: find the questions people actually ask in a forum post (German first, English too).

Forum posts are untidy: questions come without "?", as "1. Frage:" items, wrapped in greetings,
signatures and code. The steps here are small and named: ``split_sentences`` cuts a post's plain
text into sentences (German abbreviations, dates, lists, line breaks, emoji, URLs), ``question_kind``
decides whether one sentence asks something, ``extract_questions`` applies both to one post and
``extract_thread_questions`` to a whole thread (title as its own kind, near-duplicates dropped).
Quoted text never arrives here: the parser keeps it apart in ``posts.quoted`` and we only read
``posts.text``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("german")

# ------------------------------------------------------------------ vocabulary of the rules

ABBREVIATIONS = {
    "z.b", "zb", "bzw", "ca", "u.a", "nr", "dr", "usw", "d.h", "dh", "etc", "evtl", "ggf", "ggfs", "vgl",
    "inkl", "bzgl", "hr", "fr", "frau", "prof", "str", "abs", "s", "z.t", "u.u", "o.ä", "u.ä", "v.a", "i.d.r",
    "u.v.m", "uvm", "mio", "mrd", "tel", "max", "min", "mind", "insb", "sog", "zzgl", "e.g", "i.e", "vs",
    "mr", "mrs", "ms", "approx", "jh", "geb", "lt", "gem", "allg", "bspw", "z.z", "z.zt", "zzt", "o.g", "s.o",
    "s.u", "dgl", "ff", "kl", "jg", "std", "sek", "abt", "z.hd", "i.a", "m.e", "u.e", "incl", "eigtl",
    "mfg", "co", "st", "art", "ab", "bd", "hrsg", "jhd", "ca", "evt", "allg", "usf", "sa", "so", "mo", "di",
    "mi", "do", "fr", "apr", "aug", "sep", "sept", "okt", "nov", "dez", "jan", "feb", "mär", "jun", "jul",
    "kap", "anm", "bsp", "ebd", "einschl", "entspr", "erg", "gegr", "ggü", "i.v", "i.r", "n.chr", "v.chr",
    "sek", "schulj", "stellv", "verw", "vorl", "z.k", "zit", "etc.pp", "o.k", "a.d", "p.s", "ps",
}
SENTENCE_FINAL_ABBREVIATIONS = {"usw", "etc", "u.ä", "o.ä", "u.v.m", "uvm", "usf", "ff", "etc.pp"}

EMOJI = r"[\U0001F300-\U0001FAFF\U0001F000-\U0001F2FF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]"
EMOJI_TOKEN = re.compile(rf"(?:{EMOJI}+|:[a-z0-9_+\-]+:|[:;]-?[()DPp](?![\w]))")
TRAILING_NOISE = re.compile(rf"(?:\s|{EMOJI}|:[a-z0-9_+\-]+:|[:;]-?[()DPp])+$")
CLOSING_QUOTES = re.compile(r"[\"“”„»«'’]+$")
URL = re.compile(r"\b(?:https?://|www\.|xmpp:|mailto:)\S+", re.I)

LIST_MARKER = re.compile(r"^\s*(?:[-*•–·]\s+|\(?\d{1,2}[.)]\s+|\(?[a-h][)]\s+)")
QUESTION_MARKER = re.compile(
    r"^\s*(?:\(?\d{1,2}[.)]\s*)?(?:(?:meine|eine|unsere|die|zweite|erste|dritte|letzte|noch\s+eine)\s+)?"
    r"(?:frage|question|q)(?:\s*(?:nr\.?\s*)?\d{1,2}\.?)?(?:\s+(?:an\s+(?:die\s+runde|alle|euch|sie)|zu\s+[\w.\- ]{1,30}))?"
    r"\s*[:：]\s*",
    re.I,
)
GREETING = re.compile(
    r"^(?:hallo|hallöchen|hi|hey|moin|moinsen|servus|salut|tach|huhu|grüß\s+gott|grüezi|guten\s+(?:morgen|tag|abend)|"
    r"liebe|lieber|liebes|sehr\s+geehrte[rn]?|hello|dear|good\s+(?:morning|afternoon|evening)|greetings)\b",
    re.I,
)
CLOSING = re.compile(
    r"^(?:(?:viele|liebe|beste|herzliche|schöne|freundliche|sonnige|kollegiale|nette|mit\s+freundlichen|mit\s+besten|"
    r"mit\s+kollegialen|mit\s+herzlichen)\s+(?:grüße|grüssen|grüßen|grüsse|gruß|gruss)|grüße|grüsse|gruß|gruss|"
    r"vg|lg|mfg|bg|hg|sg|cheers|best(?:\s+regards)?|regards|kind\s+regards|thanks(?:\s+in\s+advance)?|thank\s+you|thx|"
    r"danke(?:\s+(?:schön|schon\s+mal|schonmal|im\s+voraus|vorab|euch|dir|ihnen|für\s+\w+(?:\s+\w+){0,3}|und\s+gruß|und\s+grüße))*|"
    r"dankeschön|vielen\s+dank(?:\s+(?:im\s+voraus|vorab|schon\s+mal|schonmal|für\s+\w+(?:\s+\w+){0,3}))*|"
    r"besten\s+dank|tausend\s+dank|merci|ciao|tschüss|bis\s+dann)\b[\s,.!:;)]*",
    re.I,
)
POSTSCRIPT_PREFIX = re.compile(r"^(?:p\.?\s?s\.?|nachtrag|edit|update)\s*:\s*", re.I)
LEADING_CONJUNCTION = re.compile(r"^(?:und|also|aber|oder|vielleicht|and|so|but)\s+")
SIGNATURE_SEPARATOR = re.compile(r"^(?:--+|—|__+)\s*$")
POSTSCRIPT = re.compile(r"^(?:p\.?\s?s\.?|nachtrag|edit|update)\s*[:.]?", re.I)
CODE_LINE = re.compile(
    r"^\s*(?:\$ |# |sudo |apt(?:-get)? |pip3? |git |docker |systemctl |ssh |curl |wget |cd |ls |cat |echo |"
    r"mysql |npm |chmod |chown |import |from \w+ import|def |class |function |var |let |const |<\?php|</?\w+[ >]|"
    r"[{}\[\]]\s*$|/etc/|/var/|/usr/|[A-Z]:\\)"
)

V1_VERBS = set("""
gibt gäbe gibts gibt's kann können könnt könnte könnten kannst darf dürfen dürfte dürften darfst dürft muss müssen
müsste müssten musst müsst soll sollen sollte sollten sollst sollt ist sind seid bist wäre wären war waren hat haben
habt hast hätte hätten hättet wird werden werdet wirst würde würden würdet weiß weiss wisst wissen weißt weisst kennt kennen kennst
nutzt nutzen benutzt benutzen verwendet verwenden macht machen gilt gelten reicht reichen braucht brauchen brauchst
funktioniert geht gehen klappt läuft laufen mag möchte möchtest möchten will willst wollen wollt setzt setzen erlaubt
erlauben spricht sprechen bietet bieten unterstützt unterstützen steht stehen liegt lohnt empfiehlt empfehlt empfehlen
findet findest meint meinst denkt denkst seht siehst sieht gibt's hab habe bin verstehe versteh sehe kommt kommen
bekommt bekommen schickt schicken schreibt schreiben teilt teilen handhabt handhaben regelt regeln löst lösen
informiert informieren erreicht erreichen dürfe müsse sei
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
V1_PARTICLES = {"schon", "noch", "eigentlich", "denn", "überhaupt", "ja", "sich", "mal", "auch", "hier", "irgendwo"}
DUPLICATE_STOPWORDS = set("""
der die das den dem des ein eine einer einen einem an am in im mit zu zum zur von vom für auf bei und oder es ich
man wir ihr du sie denn eigentlich auch noch schon mal the a an of to for with
""".split())
PREPOSITIONS = {"mit", "seit", "bei", "ab", "für", "in", "an", "auf", "von", "zu", "aus", "nach", "über", "unter", "um",
                "bis", "gegen", "durch", "ohne", "vor", "from", "with", "for", "in", "on", "at", "to", "since", "by"}
# After a comma, words that continue a question ("..., wenn", "..., die man") rather than start a main clause.
CLAUSE_CONTINUATIONS = set("""
wenn dass ob weil damit obwohl falls die der das den dem deren dessen welche welcher welches wie was wo wer wen wem
wann warum wieso weshalb womit wofür woran worauf bzw also oder und aber sondern ohne um sodass bevor nachdem sobald
solange während indem z zb ggf evtl etwa insbesondere vor allem auch oder gar sprich konkret
if that whether which who when where why how and or but so because
""".split())
MAIN_CLAUSE_AFTER_COMMA = re.compile(r",\s*([\wäöüß]+)")
INVERTED_MAIN_CLAUSE = re.compile(r",\s*([\wäöüß]+)\s+(?:ich|wir|man|es|er|du|ihr)\b", re.I)
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
    r"^(?:wie\s+(?:gesagt|schon|bereits|oben|erwähnt|beschrieben|immer|auch\s+immer|du\s+siehst|ihr\s+seht|man\s+sieht|"
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
# First words after which a sentence without "?" may still ask; anything else is skipped cheaply.
_OPENERS = set("""
und also aber oder vielleicht and so but ich wir mich meine die freue freuen bitte i any does über noch
""".split())
FIRST_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a post with where it came from and whether a "Frage:" marker introduced it."""

    text: str
    position: int
    marked: bool = False  # introduced by "Frage:" / "1. Frage:"
    skip: str = ""  # why it cannot be a question: greeting / closing / signature / code / quote


# ------------------------------------------------------------------ splitting


def _is_marker_only(unit: str) -> bool:
    match = QUESTION_MARKER.match(unit)
    return bool(match) and not unit[match.end():].strip()


def _ends_sentence(line: str) -> bool:
    stripped = TRAILING_NOISE.sub("", line)
    return bool(re.search(r"[.!?…:;]$", stripped)) or stripped != line.rstrip()


JOIN_WORDS = {
    "und", "oder", "aber", "dass", "die", "der", "das", "den", "dem", "des", "mit", "für", "zu", "von", "in", "an",
    "auf", "ein", "eine", "einen", "einem", "ob", "wie", "wenn", "weil", "als", "im", "am", "bei", "nach", "über",
    "the", "a", "an", "and", "or", "to", "of", "with", "for", "that",
}


def _should_join(previous: str, line: str) -> bool:
    """A line break inside a sentence (wrapped text) rather than the end of one."""
    if _is_marker_only(previous) or re.fullmatch(r"\(?\d{1,2}[.)]", previous):
        return True  # "1. Frage:" or a bare list number on its own line
    if _ends_sentence(previous) or LIST_MARKER.match(line) or line.startswith(">") or CODE_LINE.match(line):
        return False
    if GREETING.match(previous) and len(previous.split()) <= 4:
        return False
    if CLOSING.match(line) or QUESTION_MARKER.match(line):
        return False
    last_word = previous.split()[-1].lower() if previous.split() else ""
    return line[:1].islower() or previous.endswith(",") or last_word in JOIN_WORDS


def _units(text: str) -> list[tuple[str, str]]:
    """Lines joined into logical units, each tagged with a skip reason ('' = usable)."""
    units: list[tuple[str, str]] = []
    in_fence = False
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        current: list[list[str]] = []
        for raw in paragraph.split("\n"):
            line = raw.strip()
            if line.startswith("```") or line.lower() in ("[code]", "[/code]"):
                in_fence = not in_fence if line.startswith("```") else line.lower() == "[code]"
                continue
            if not line:
                continue
            if in_fence or CODE_LINE.match(raw) or raw.startswith(("    ", "\t")) and _looks_like_code(line):
                current.append([line, "code"])
            elif line.startswith(">"):
                current.append([line, "quote"])
            elif current and not current[-1][1] and _should_join(current[-1][0], line):
                current[-1][0] += " " + line
            else:
                current.append([line, ""])
        # a "Frage:" line alone at the end of a paragraph introduces the next paragraph
        if units and not units[-1][1] and _is_marker_only(units[-1][0]) and current and not current[0][1]:
            units[-1] = (units[-1][0] + " " + current[0][0], "")
            current = current[1:]
        units.extend((unit, skip) for unit, skip in current)
        units.append(("", "paragraph"))
    return units


def _looks_like_code(line: str) -> bool:
    symbols = sum(line.count(c) for c in "{}();=<>[]$/\\|_")
    letters = sum(ch.isalpha() for ch in line)
    return symbols >= 3 and symbols * 4 > letters or line.rstrip().endswith((";", "{", "}"))


BOUNDARY = re.compile(r"(?:[.!?…]+|" + EMOJI + r"+)[\"”“’'»«)\]]*(?=\s|$)")


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _abbreviation_before(text: str, end: int) -> str | None:
    """The word ending at ``end`` (just before a period) if it is an abbreviation or a number."""
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:end].lstrip("([\"„“'»«").lower()
    if not word:
        return None
    if word.rstrip(".") in ABBREVIATIONS or re.fullmatch(r"(?:[a-zäöü]\.){1,3}[a-zäöü]", word):
        return word.rstrip(".")
    if re.fullmatch(r"\d{1,3}|\d{1,2}\.\d{1,2}|[ivx]{1,4}", word):
        return "#"
    if len(word) == 1 and word.isalpha():
        return "#"
    return None


def _split_unit(unit: str) -> list[str]:
    """Cut one logical unit at sentence ends, leaving abbreviations, dates, URLs and (...) alone."""
    protected = URL.sub(lambda m: "U" * len(m.group()), unit)  # same length, no punctuation inside URLs
    pieces: list[str] = []
    start = 0
    for match in BOUNDARY.finditer(protected):
        punct = match.group()
        rest = protected[match.end():].lstrip()
        piece = protected[start:match.start()]
        if piece.count("(") > piece.count(")") and len(piece) < 300:
            continue  # inside parentheses: "(falscher?)", "(aka: „wer ...? Danke.“)"
        if rest and EMOJI_TOKEN.match(rest) and not re.match(EMOJI, punct[0]):
            continue  # "Geht das? 😊 Danke": the emoji belongs to the sentence before it
        if punct[0] == "." and not punct.startswith(".."):
            abbreviation = _abbreviation_before(protected, match.start())
            if abbreviation and not (abbreviation in SENTENCE_FINAL_ABBREVIATIONS and rest[:1].isupper()):
                continue
            if rest[:1].islower() and len(_word_before(protected, match.start())) <= 3:
                continue  # unknown short abbreviation: "und co. sind"
        elif punct.startswith(("..", "…")) and rest[:1].islower():
            continue
        if not rest and match.end() == len(protected):
            break
        pieces.append(unit[start:match.end()].strip())
        start = match.end()
    tail = unit[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if p]


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a post's plain text, each marked with a skip reason where it cannot be a question."""
    sentences: list[Sentence] = []
    signature = False  # after a closing formula: short lines are the name / role
    units = _units(text or "")
    for index, (unit, skip) in enumerate(units):
        if skip == "paragraph":
            continue
        if SIGNATURE_SEPARATOR.match(unit):
            signature = True
            continue
        if POSTSCRIPT.match(unit):
            signature = False
        marked = False
        body = unit
        marker = QUESTION_MARKER.match(body)
        if marker and not skip:
            body, marked = body[marker.end():].strip(), True
        if not skip:
            body = LIST_MARKER.sub("", body)
        parts = _split_unit(body) if not skip else [body]
        for number, part in enumerate(parts):
            reason = skip
            words = part.split()
            if not reason and signature and len(words) <= 6 and not part.rstrip().endswith("?"):
                reason = "signature"
            elif not reason and GREETING.match(part) and (len(words) <= 5 or part.rstrip().endswith((",", "!"))):
                reason = "greeting"
            elif not reason and CLOSING.match(part) and len(CLOSING.sub("", part, count=1).split()) <= 3 \
                    and not part.rstrip().endswith("?"):
                reason = "closing"
                signature = True
            elif not reason and URL.fullmatch(part.strip()):
                reason = "url"
            elif not reason:
                signature = False
            sentences.append(Sentence(part, len(sentences), marked and number == 0, reason))
    return sentences


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
    text = re.sub(r"\s+", " ", text)
    return text[:1].upper() + text[1:] if text else text


_WORD = re.compile(r"[\wäöüß']+")
_NORMAL_WORD = re.compile(r"[\wäöüß]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def question_kind(sentence: str, *, marked: bool = False, in_answer: bool = False, cleaned: bool = False) -> str | None:
    """'explicit' (ends in "?"), 'implicit' (asks by its form) or None (not a question worth keeping).

    ``in_answer``: the sentence is in someone else's reply, where tag questions ("..., oder?") and
    set phrases ("Warum auch nicht?") are rhetorical.
    """
    text = sentence if cleaned else clean_question(sentence)
    if CLOSING_QUOTES.sub("", text).endswith("?"):
        text = CLOSING_QUOTES.sub("", text)
    words = _words(URL.sub(" ", text))
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
    if INDIRECT_OPENERS.match(first):
        return None if in_answer and first_words[0] in ("ich", "wir") and "frage mich" not in first else "implicit"
    if first_words[0] in PREPOSITIONS and len(first_words) > 1 and first_words[1] in WH_WORDS:
        first_words = first_words[1:]  # "Mit welcher App ...", "Seit wann ..."
    head = first_words[0]
    if head in WH_WORDS:
        if STATEMENT_WH_OPENERS.match(first) or len(first_words) < 3 or _main_clause_after_comma(first):
            return None
        if in_answer and STATEMENT_PARTICLES.search(first):
            return None
        return "implicit"
    if head in V1_VERBS or head.endswith("iert"):
        if INVERTED_MAIN_CLAUSE.search(first) and not _continues(INVERTED_MAIN_CLAUSE.search(first).group(1)):
            return None  # "Sollte jemand eine Lösung haben, freue ich mich ..."
        rest = first_words[1:]
        original = text.split()[1:]
        while rest and rest[0] in V1_PARTICLES and len(rest) > 1 and rest[0] not in V1_SUBJECTS:
            rest, original = rest[1:], original[1:]
        second = rest[0] if rest else ""
        if original and original[0].endswith(",") and (len(rest) < 2 or rest[1] not in INDIRECT_QUESTION_WORDS):
            return None  # "Gibt es, heißt ...", "Darf man, wenn ..." (but "Weiß jemand, ob ..." asks)
        if in_answer and len(first_words) < 4:
            return None  # elliptical answers: "Kann man machen.", "Ist halt so."
        if second == "ich":
            if head in MODALS and not COLLOQUIAL_V1_ICH.search(" ".join(rest[1:3])):
                return "implicit"
            return None
        if second in V1_SUBJECTS:
            if STATEMENT_PARTICLES.search(first) and in_answer:
                return None
            return "implicit"
        if original and original[0][:1].isupper() and head not in ("ist", "war", "hat"):
            return "implicit"  # "Kooperiert schon eine Schule ...", "Nutzt Threema ..."
    return None


def _continues(word: str) -> bool:
    return word.lower() in CLAUSE_CONTINUATIONS


def _main_clause_after_comma(text: str) -> bool:
    """"Wer das nicht will, muss ..." / "Ob X, hängt ab": a wh-clause used as part of a statement."""
    match = MAIN_CLAUSE_AFTER_COMMA.search(text)
    return bool(match) and not _continues(match.group(1))


# ------------------------------------------------------------------ posts and threads


def normalise(text: str) -> str:
    """Lower case, no accents folded away, no punctuation: what "the same question" compares."""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(_NORMAL_WORD.findall(text))


def question_id(post_id: str, text: str) -> str:
    """Stable id: the post plus a short hash of the normalised question text."""
    digest = hashlib.sha1(normalise(text).encode()).hexdigest()[:10]
    return f"{post_id}:{digest}"


def extract_questions(post: dict, thread: dict) -> list[dict]:
    """Question rows of one post (no title, no de-duplication: see ``extract_thread_questions``)."""
    if post.get("deleted"):
        return []
    starter = thread.get("starter")
    first_post = (post.get("post_number") or 0) == 1
    by_starter = bool(starter) and post.get("author") == starter
    in_answer = not first_post and not by_starter
    rows = []
    for sentence in split_sentences(post.get("text") or ""):
        if sentence.skip:
            continue
        if not sentence.marked and "?" not in sentence.text and not _may_ask(sentence.text):
            continue
        text = clean_question(sentence.text)
        kind = question_kind(text, marked=sentence.marked, in_answer=in_answer, cleaned=True)
        if not kind:
            continue
        rows.append(_row(post, thread, text, kind, sentence.position, by_starter, first_post))
    return rows


def _may_ask(text: str) -> bool:
    """Cheap pre-check: can this sentence without "?" be an implicit question at all?"""
    match = FIRST_WORD.match(text)
    if not match:
        return True  # starts with a list marker, digit or symbol: let the full rules decide
    word = match.group().lower()
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
    return {_stem(word) for word in words}


@functools.lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _STEMMER.stemWord(word)


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
