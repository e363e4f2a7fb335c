"""Pure: find people's real names in post text and replace them.

Two mechanisms, both per thread / per post and without I/O:

* ``NameIndex``: the display names (Discourse ``name``) and usernames of a thread's participants.
  Full names, first names and last names are replaced, whole word and case-insensitive, by the
  person's pseudonym (``[name]`` when two participants share the word). Names that are also
  everyday words ("Winter", "Richter", "Lang", "Weiß", "Max") are replaced only where the context
  says "name": after Herr/Frau, in a greeting or signature, or as part of the full name.
* ``mask_salutations``: names in greeting and closing lines ("Hallo X,", "VG, X", "Viele Grüße\\nX")
  are masked as ``[name]`` even when nobody in the thread is called X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from miner.keys import PSEUDONYM_FORM, PSEUDONYM_WORD

NAME = "[name]"

# Names that are also ordinary German (or English) words: only replaced in a name context.
WORD_NAMES = frozenset("""
mai will ernst wolf fuchs koch bauer fischer müller mueller weber schneider lang klein groß gross kurz
hahn winter sommer herbst engel graf kaiser könig koenig vogt busch weiß weiss sauer krause richter keller
maurer zimmermann schäfer schaefer brenner jung alt neu frei fromm froh lieb gut hart fest stark schwarz braun
grün gruen blau licht stern sonne mond berg bach baum feld wald stein vogel adler strauß strauss hase bär löwe
hirsch august april juni juli mark max art dev bill grant rich hope joy faith summer rose page long short
white black brown green young king may bach fink meister schmied schuster wagner glaser dreher kramer
kraemer beck bäcker pfeiffer christ heide kai tag morgen abend ende ehre liebe hoffnung
""".split())
# Words in display names and usernames that name a role or an institution, never a person.
NOT_NAMES = frozenset("""
herr herrn frau hr fr dr prof team admin admins administrator moderation moderator moderatorin mod schule
grundschule gymnasium realschule gesamtschule oberschule förderschule foerderschule berufsschule mittelschule
regelschule sekundarschule gemeinschaftsschule schulleitung schulleiter schulleiterin verwaltung technik
support forum elternbeirat kollegium sekretariat the und and von van der den die das des zu am im gs bbs it
lehrer lehrerin referendar referendarin konrektor konrektorin rektor rektorin klassenlehrer klassenlehrerin
deutschlehrer medien datenschutz info system bot discobot online digital netzwerk hausmeister oberstufe
sek sek1 sek2 ref intl exchange limit quereinsteiger informatik physik chemie bio kunst musik sport
geschichte erdkunde englisch deutsch mathe reli elternbeirat medienpaed
""".split())
# Words that follow "Hallo" / "Liebe" without being a name.
GROUP_WORDS = frozenset("""
zusammen allerseits alle allen leute kollegen kolleginnen kollegium kollege kollegin forum community
miteinander team runde liebe lieber liebes ihr euch in an und aus mitstreiter mitstreiterinnen freunde
everyone all there guys folks together experten admins moderatoren people eltern lehrer lehrerinnen
erstmal nochmal noch mal erst schon ja nein danke auch mitleser mitleserinnen foristen forumsmitglieder
gemeinde nachbarn herr frau herrn damen herren datenschützer datenschutzbeauftragte schulleitung
grüße grüsse gruß gruss viele beste liebe herzliche hallo servus moin danke thanks cheers
""".split())
TITLES = r"(?:Herrn?|Frau|Hr\.|Fr\.|Kollegen?|Kollegin|Dr\.|Prof\.)"
GREETING_LINE = re.compile(
    r"^(?:hallo|hallöchen|hi|hey|moin|servus|salut|tach|huhu|guten\s+(?:morgen|tag|abend)|liebe[rs]?|"
    r"sehr\s+geehrte[rn]?|hello|dear)\b[\s,]*(?:liebe[rs]?\s+)?", re.I)
CLOSING_LINE = re.compile(
    r"^(?:(?:viele|liebe|beste|herzliche|schöne|freundliche|sonnige|kollegiale|nette|mit\s+freundlichen|"
    r"mit\s+besten|mit\s+kollegialen|mit\s+herzlichen)\s+(?:grüße|grüssen|grüßen|grüsse|gruß|gruss)|"
    r"grüße|grüsse|gruß|gruss|vg|lg|mfg|bg|hg|sg|cheers|best(?:\s+regards)?|regards|kind\s+regards|thanks|"
    r"thank\s+you|thx|danke(?:\s+dir|\s+euch)?|dankeschön|vielen\s+dank|merci|ciao|tschüss|bye)\b[\s,.!:;-]*",
    re.I)
# a run of name-like words: optional title, optional initial, capitalised words joined by "und" / ","
NAME_WORD = rf"(?:[A-ZÄÖÜ][\w'-]*|\[name\]|{PSEUDONYM_FORM})"
GROUP = rf"(?:{TITLES}\s+)?(?:[A-ZÄÖÜ]\.\s?)?{NAME_WORD}(?:\s+{NAME_WORD})?"
NAME_GROUP = re.compile(GROUP)
NAME_RUN = re.compile(rf"{GROUP}(?:(?:\s*,\s*|\s+(?:und|&|and)\s+){GROUP})*")
WORD = re.compile(r"[\w'-]+|\[name\]")
# "Frau Müller", "Herrn Kaiser": a title before a capitalised word names someone anywhere in a post
TITLED = re.compile(r"\b(?:Herrn?|Frau|Hr\.|Fr\.)\s+(?:(?:Dr|Prof)\.\s*)?(?:[A-ZÄÖÜ]\.\s?)?([A-ZÄÖÜ][\w'-]+)(?![\w-])")


# single words (with an optional title or initial before them), and every pair of adjacent words
TOKENS = re.compile(rf"(?P<t>\b{TITLES}\s+)?(?<![\w@/.\-\[])(?P<i>[A-ZÄÖÜ]\.\s?)?(?P<w>[^\W\d_][\w'-]*)")
PAIRS = re.compile(r"(?<![\w@/.\-\[])(?=([^\W\d_][\w'-]*[ \t\u00a0]+[^\W\d_][\w'-]*))")


@dataclass
class NameIndex:
    """Name words of a thread's participants -> their pseudonym ("[name]" when shared)."""

    free: dict[str, str] = field(default_factory=dict)  # replaced anywhere (lower-cased keys)
    context: dict[str, str] = field(default_factory=dict)  # replaced only in a name context
    initials: dict[str, str] = field(default_factory=dict)  # "a. frank" -> Andreas Frank's pseudonym
    _probes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._probes = tuple({k.split()[0] for k in self.free} | set(self.context))

    def __bool__(self) -> bool:
        return bool(self.free or self.context)

    def owner(self, word: str) -> str | None:
        key = " ".join(word.lower().split())
        return self.initials.get(key) or self.free.get(key.split()[-1]) or self.context.get(key.split()[-1])

    def _full_names(self, text: str) -> tuple[str, int]:
        """"Lea Winter" as a whole (also where "Winter" alone would be an ordinary word)."""
        out, last, count = [], 0, 0
        for match in PAIRS.finditer(text):
            start, pair = match.start(), match.group(1)
            if start < last or text[start + len(pair):start + len(pair) + 1].isalnum():
                continue
            alias = self.free.get(" ".join(pair.lower().split()))
            if alias is not None:
                out += [text[last:start], alias]
                last, count = start + len(pair), count + 1
        return "".join(out) + text[last:], count

    def _word(self, word: str, titled: bool) -> str | None:
        key = word.lower()
        alias = self.free.get(key)
        if alias is None and titled and word[:1].isupper():
            alias = self.context.get(key)
        return alias

    def replace(self, text: str) -> tuple[str, int]:
        """Whole-word names -> pseudonyms; returns (text, replacements)."""
        if not self or not text:
            return text, 0
        lower = text.lower()
        if not any(probe in lower for probe in self._probes):
            return text, 0
        count = 0
        if any(" " in key and key in lower for key in self.free):
            text, count = self._full_names(text)

        def sub(match: re.Match) -> str:
            nonlocal count
            title, initial, word = match.group("t", "i", "w")
            alias = self.initials.get(f"{initial[0]}. {word}".lower()) if initial else None
            alias = alias or self._word(word, bool(title))
            if alias is None:
                return match.group(0)
            count += 1
            return (title or "") + alias

        return TOKENS.sub(sub, text), count


def build_index(people: dict[str, str | None], pseudonymize: Callable[[str | None], str | None]) -> NameIndex:
    """{username: display name or None} -> NameIndex with each word's owner."""
    free: dict[str, str] = {}
    context: dict[str, str] = {}
    initials: dict[str, str] = {}

    def claim(table: dict[str, str], word: str, alias: str) -> None:
        key = " ".join(word.lower().split())
        if len(key) < 3 or key in NOT_NAMES or PSEUDONYM_WORD.match(key) or not re.search(r"[^\W\d_]", key):
            return
        if table.get(key, alias) != alias:
            table[key] = NAME  # two people share the word: unclear whose
        else:
            table[key] = alias

    for username, display in people.items():
        if not username:
            continue
        alias = pseudonymize(username) or NAME
        words = [w.strip(".,()") for w in (display or "").split()]
        words = [w for w in words if w]
        real = [w for w in words if w.lower() not in NOT_NAMES]
        if len(real) >= 2:
            claim(free, " ".join(real), alias)
            claim(initials, f"{real[0][0]}. {real[-1]}", alias)
        for word in real:
            claim(context if word.lower() in WORD_NAMES else free, word, alias)
        for part in re.split(r"[_.\-\d]+|(?<=[a-zäöü])(?=[A-ZÄÖÜ])", username):
            if part.isalpha():
                claim(context, part, alias)
    for key in list(context):
        if key in free:
            del context[key]
    return NameIndex(free, context, initials)


def _is_name_word(word: str) -> bool:
    if re.fullmatch(r"[A-ZÄÖÜ]\.\s?[A-ZÄÖÜ][\w'-]*", word):
        return _is_name_word(word.split(".")[1].strip())
    if word == NAME or PSEUDONYM_WORD.match(word):
        return False
    bare = word.rstrip(".")
    return bool(bare) and bare[0].isupper() and bare.lower() not in GROUP_WORDS and bare.lower() not in NOT_NAMES \
        and not (len(bare) > 1 and bare.isupper()) and len(bare) <= 24 and bare.replace("-", "").replace("'", "").isalpha()


def _names_in_run(run: str) -> list[str]:
    """The name words of a matched run, without titles and initials."""
    words = [m.group(0) for m in re.finditer(r"\b[A-ZÄÖÜ]\.\s?[A-ZÄÖÜ][\w'-]*", run)]  # "K. Yilmaz" whole
    for word in WORD.findall(run):
        if re.fullmatch(r"(?:Herrn?|Frau|Hr|Fr|Kollegen?|Kollegin|Dr|Prof|und|and)", word):
            continue
        if len(word) == 1:
            continue  # an initial
        words.append(word)
    return words


def salutation_names(text: str) -> set[str]:
    """Words that stand where a name stands: after "Hallo", after "VG", alone below a closing."""
    found: set[str] = set()
    lines = [line.strip() for line in text.split("\n")]
    after_closing = 0
    for line in lines:
        if not line:
            continue
        if "Her" in line or "Fr" in line:
            found.update(w for w in TITLED.findall(line) if _is_name_word(w))
        candidates: list[str] = []
        greeting = GREETING_LINE.match(line)
        closing = CLOSING_LINE.match(line)
        if closing:
            after_closing = 2
            rest = line[closing.end():]
            run = NAME_GROUP.match(rest)
            if rest and run and (run.end() == len(rest) or rest[run.end()] in ",(/|-–"):
                candidates = _names_in_run(run.group(0))
                after_closing = 0
        elif greeting and greeting.end() < len(line):
            for pattern in (NAME_RUN, NAME_GROUP):
                run = pattern.match(line, greeting.end())
                if run and (run.end() == len(line) or line[run.end()] in ",!:.;)"):
                    candidates = _names_in_run(run.group(0))
                    break
        elif after_closing and len(line.split()) <= 6:
            run = NAME_GROUP.match(line)
            if run and (run.end() == len(line) or line[run.end()] in ",(/|-–"):
                candidates = _names_in_run(run.group(0))
            after_closing -= 1
        words = [w for w in candidates if _is_name_word(w)]
        if words and len(words) == len([w for w in candidates if w != NAME and not PSEUDONYM_WORD.match(w)]):
            found.update(words)
            if after_closing and not greeting:
                after_closing = 0  # the name line ends the signature
    return found


def salutation_map(texts: Iterable[str], index: NameIndex | None) -> dict[str, str]:
    """{word: replacement} for the greeting and signature names of a post's texts."""
    mapping: dict[str, str] = {}
    for text in texts:
        if text:
            for word in salutation_names(text):
                mapping[word] = (index.owner(word) if index else None) or NAME
    return mapping


def replace_words(text: str, mapping: dict[str, str], pattern: re.Pattern | None = None) -> tuple[str, int]:
    """Exact-case whole-word replacement of mapping's keys; returns (text, replacements)."""
    if not text or not mapping:
        return text, 0
    pattern = pattern or words_pattern(mapping)
    count = 0

    def sub(match: re.Match) -> str:
        nonlocal count
        count += 1
        return mapping[match.group(0)]

    return pattern.sub(sub, text), count


def words_pattern(mapping: dict[str, str]) -> re.Pattern:
    body = "|".join(re.escape(w) for w in sorted(mapping, key=len, reverse=True))
    return re.compile(rf"(?<![\w@/.\-\[])(?:{body})(?![\w-])")  # "K. Yilmaz" before "Yilmaz"
