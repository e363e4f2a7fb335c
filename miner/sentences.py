"""Pure: cut a forum post's plain text into sentences, German-aware (English works too).

Handles what forum posts do to naive splitters: abbreviations (z.B., bzw., ca., u.a., Nr., Dr., usw.,
d.h.), dates and ordinals ("am 12.03.2024", "3. Oktober"), numbered lists and "1. Frage:" items
(the marker line joins the question it introduces), hard line breaks inside a sentence, emoji,
URLs and "(falscher?)" asides. Each sentence is tagged with why it can never be a question
(greeting, closing, signature, code, quote, url) so the question rules never see those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
SIGNATURE_SEPARATOR = re.compile(r"^(?:--+|—|__+)\s*$")
POSTSCRIPT = re.compile(r"^(?:p\.?\s?s\.?|nachtrag|edit|update)(?![a-zäöüß])\s*[:.]?", re.I)
# a short line after "Viele Grüße" is a name or role, unless it starts the way questions do
ASKING_START = re.compile(r"^(?:gibt|kann|könnt|darf|muss|soll|hat|habt|weiß|kennt|ist|sind|wie|was|wer|welche\w*|"
                          r"warum|wieso|wo|wann|ob|is|are|can|does|do|how|what|which|why)\b", re.I)
CODE_LINE = re.compile(
    r"^\s*(?:\$ |# |sudo |apt(?:-get)? |pip3? |git |docker |systemctl |ssh |curl |wget |cd |ls |cat |echo |"
    r"mysql |npm |chmod |chown |import |from \w+ import|def |class |function |var |let |const |<\?php|</?\w+[ >]|"
    r"[{}\[\]]\s*$|/etc/|/var/|/usr/|[A-Z]:\\)"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a post with where it came from and whether a "Frage:" marker introduced it."""

    text: str
    position: int
    marked: bool = False  # introduced by "Frage:" / "1. Frage:"
    skip: str = ""  # why it cannot be a question: greeting / closing / signature / code / quote



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
    for unit, skip in units:
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
            if not reason and signature and len(words) <= 6 and not part.rstrip().endswith("?") \
                    and not (len(words) >= 3 and ASKING_START.match(part)):
                reason = "signature"
            elif not reason and CLOSING.match(part) and len(CLOSING.sub("", part, count=1).split()) <= 3 \
                    and not part.rstrip().endswith("?"):
                reason = "closing"
                signature = True
            elif not reason and GREETING.match(part) and (len(words) <= 5 or part.rstrip().endswith(",") or (
                    part.rstrip().endswith("!") and not re.search(r"\?!+$", part.rstrip()))):  # "moin, ist ... ?!" asks
                reason = "greeting"
            elif not reason and URL.fullmatch(part.strip()):
                reason = "url"
            elif not reason:
                signature = False
            sentences.append(Sentence(part, len(sentences), marked and number == 0, reason))
    return sentences
