"""Readable titles for groups of questions: "Personalrat und Erreichbarkeit", not "Personalrat, Erreichbar".

Why: a section's computed title is the first thing an editor reads on the FAQ page, the workbench
and the export. A keyword list of stems' surface forms capitalizes adjectives and participles
("Erreichbar", "Durchgesetzt"), which reads wrong in German. German writes nouns with a capital
letter inside a sentence, so how people capitalize a word away from a sentence start is a cheap,
offline noun signal; product names ("WhatsApp", "schul.cloud", "DSFA") are recognised by their
spelling and keep it. Among the nouns, the ones distinctive for the group win (frequent in its
questions, rare in the other groups': a class-based weighting like BERTopic's c-TF-IDF), shown in
the form people wrote most often and joined as a title ("WhatsApp, Signal und Threema"). Where
capitalization says nothing (English questions, a forum written in lower case) or a group has no
noun, all content words compete.
Pure functions; ``miner.sections`` stores the result.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from miner.keys import PSEUDONYM
from miner.normalize import STOP_WORDS, load_vocabulary, stem

MAX_WORDS = 3
# two words name a section; a third joins only with at least this share of the second's score
# (a weak third word is filler: "Teams, Telegram und Chat")
THIRD_WORD_SHARE = 0.5
# a German noun is capitalized away from a sentence start at least this often
NOUN_CAPITALIZED = 0.5
# below this share of capitalized words away from sentence starts, capitalization is no noun signal
CAPITALIZED_CORPUS = 0.1
# an untouched computed title stays while its words are still among this many best candidates
KEEP_AMONG = 2 * MAX_WORDS

# words; a dotted name (schul.cloud) and a gender form (Kolleg*innen, Schüler:innen) stay one word
_WORD = re.compile(r"[^\W_]+(?:\.[a-zäöü][^\W_]*)*(?:[*:_/][iI]nnen)?")
_GENDER = re.compile(r"[*:_/]?[iI]nnen$")
_NOUN_ENDINGS = ("ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen")
_DERIVED_NOUN = ("heit", "heiten", "keit", "keiten", "schaft", "schaften")  # nouns made from adjectives
_BEFORE_NUMBER = re.compile(r"\.\s*\d")
_OPENERS = "\"'„“”‚‘’«»([{<-–—*•·>"
_SENTENCE_END = ".!?:;…\n"
# function words that tell the corpus language (not topic words)
_GERMAN = frozenset("der die das und ist nicht ich wir ihr mit auf für ein eine dem den des sich auch wie kann"
                    " darf".split())
_ENGLISH = frozenset("the and is not with for are you can this that our what how does should".split())


@dataclass
class _Word:
    """What the questions say about one word (all forms of one stem)."""

    forms: Counter = field(default_factory=Counter)
    own_forms: Counter = field(default_factory=Counter)  # forms of the key word itself (schul.cloud), no synonym
    after: Counter = field(default_factory=Counter)  # the capitalized word right before it (None: none)
    inside: Counter = field(default_factory=Counter)  # lower-case form -> uses away from a sentence start
    capitalized: Counter = field(default_factory=Counter)  # of those, written with a capital letter
    shown: Counter | None = None  # the forms a title may show (a noun's, not its adjective's)


def _noun_form(word: _Word, form: str) -> bool:
    """Capitalized away from sentence starts at least half the time; a form seen only at sentence
    starts is a noun if it has a noun ending (Regelung, Erreichbarkeit)."""
    lower = form.lower()
    if word.inside[lower]:
        return word.capitalized[lower] >= NOUN_CAPITALIZED * word.inside[lower]
    return form[:1].isupper() and lower.endswith(_NOUN_ENDINGS)


def _lower_form(word: _Word, form: str) -> bool:
    """A form people write in lower case inside sentences (an adjective, verb or adverb)."""
    lower = form.lower()
    return bool(word.inside[lower]) and word.capitalized[lower] < NOUN_CAPITALIZED * word.inside[lower] \
        and not _spelled_as_name(form)


def _is_initial(text: str, start: int) -> bool:
    """True if the word at ``start`` opens the text or a sentence (German capitalizes it anyway)."""
    before = text[max(0, start - 40):start].rstrip(" \t").rstrip(_OPENERS).rstrip(" \t")
    return not before or before[-1] in _SENTENCE_END


def _spelled_as_name(token: str) -> bool:
    """A capital after the first letter, a digit or a dot: a product or acronym, spelled on purpose."""
    core = _GENDER.sub("", token)
    return any(c.isupper() for c in core[1:]) or any(c.isdigit() for c in core) or "." in core


@functools.lru_cache(maxsize=200_000)
def _word(token: str) -> tuple[str | None, bool]:
    """(key, is a form of the key word itself) of one written word; key None for no content word.
    One key per word whatever its inflection or known variant (WA -> whatsapp); forums repeat
    their words, hence the cache."""
    letters = sum(c.isalpha() for c in token)
    if letters < 3 or token.lower() in STOP_WORDS or letters < len(token) / 2:
        return None, False
    lower = _GENDER.sub("", token).lower()
    key = stem(_synonyms().get(lower, lower))
    return key, stem(re.sub(r"\W", "", lower)) == key


def _tokens(text: str):
    """(word, its key, is at a sentence start, the capitalized word right before it or None) for
    the content words of one question; abbreviations before a number (Art. 8, Abs. 2) are no words
    of the topic, nor is a pseudonym (user-3fa9c2d1e0: distinctive, but no title for researchers)."""
    text = PSEUDONYM.sub(" ", text or "")
    previous = None
    for match in _WORD.finditer(text):
        token = match.group()
        before, previous = previous, match
        key, _ = _word(token)
        if key is None or _BEFORE_NUMBER.match(text, match.end()):
            continue
        joined = (before is not None and text[before.end():match.start()] == " " and before.group()[:1].isupper()
                  and before.group().lower() not in STOP_WORDS)
        yield token, key, _is_initial(text, match.start()), before.group() if joined else None


def _is_german(texts: list[str]) -> bool:
    """More German than English function words: only German marks nouns by capitals. A spread
    sample of a few thousand questions says it as well as all of them."""
    sample = texts[::max(1, len(texts) // 2000)]
    words = Counter(w.lower() for text in sample for w in _WORD.findall(text or ""))
    return sum(words[w] for w in _GERMAN) >= sum(words[w] for w in _ENGLISH)


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    """The domain's one-word variants (miner/data/synonyms.txt), so "WA" counts for WhatsApp."""
    synonyms, _ = load_vocabulary()
    return {variant: canonical for variant, canonical in synonyms.items()
            if " " not in variant and " " not in canonical}


def join_words(words: list[str], german: bool = True) -> str:
    """["A", "B", "C"] -> "A, B und C" (German) or "A, B and C"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + (" und " if german else " and ") + words[-1]


def split_title(title: str) -> list[str]:
    """The words a computed title was made of (inverse of ``join_words``, also for old comma lists)."""
    return [w for w in re.split(r",\s*|\s+(?:und|and)\s+", title or "") if w]


@dataclass
class Candidates:
    """Per group: its words in the order they would enter the title, their keys, the corpus language."""

    ranked: dict[object, list[str]]
    german: bool
    keys: dict[object, list[str]] = field(default_factory=dict)
    sizes: dict[object, int] = field(default_factory=dict)  # how many of them make the title

    def title(self, group) -> str:
        return join_words(self.ranked.get(group, [])[:self.sizes.get(group, MAX_WORDS)], self.german)


def rank_words(texts_by_group: dict[object, list[str]]) -> Candidates:
    """Group -> its title words, best first: nouns (or all content words where capitalization is
    no signal) by how distinctive they are for the group, each in its most frequent written form."""
    all_texts = [t for texts in texts_by_group.values() for t in texts]
    german = _is_german(all_texts)
    words: dict[str, _Word] = defaultdict(_Word)
    used: dict[object, list[set[str]]] = {}  # group -> per question, the keys it uses
    for group, texts in texts_by_group.items():
        used[group] = []
        for text in texts:
            seen = set()
            for token, key, initial, before in _tokens(text):
                word = words[key]
                word.forms[token] += 1
                word.after[before] += 1
                if _word(token)[1]:
                    word.own_forms[token] += 1
                if not initial:
                    word.inside[token.lower()] += 1
                    word.capitalized[token.lower()] += token[:1].isupper()
                seen.add(key)
            used[group].append(seen)
    inside = sum(sum(w.inside.values()) for w in words.values())
    capitalized = sum(sum(w.capitalized.values()) for w in words.values())
    nouns_marked = german and inside > 0 and capitalized / inside >= CAPITALIZED_CORPUS

    def is_noun(key: str) -> bool:
        """A name, mostly used as a noun, or with a noun made from it (erreichbar -> Erreichbarkeit:
        the stemmer gives both one key, and the title shows the noun)."""
        word = words.get(key) or _Word()
        if any(_spelled_as_name(f) for f in word.forms):
            return True
        nouns = [f for f in word.forms if _noun_form(word, f)]
        return (2 * sum(word.forms[f] for f in nouns) >= sum(word.forms.values())
                or any(f.lower().endswith(_DERIVED_NOUN) for f in nouns))

    for word in words.values():  # "Threema Work" is a name, "Welche Materialien" is not
        for before in [b for b in word.after if b is not None and (nouns_marked and not is_noun(_word(b)[0]))]:
            word.after[None] += word.after.pop(before)
    nouns = {k for k in words if is_noun(k)} if nouns_marked else set()
    for key in nouns:  # show the noun, not the adjective it shares a stem with (Erreichbarkeit, not erreichbar)
        words[key].shown = Counter({f: n for f, n in words[key].forms.items() if not _lower_form(words[key], f)})
    questions = {group: Counter(k for seen in per_question for k in seen) for group, per_question in used.items()}
    scores = _distinctive(questions)
    ranked, keys, sizes = {}, {}, {}
    for group, by_key in scores.items():
        order = sorted(by_key, key=lambda k: (-by_key[k], k))
        chosen = _distinct([k for k in order if k in nouns] or order, words, by_key)
        keys[group] = chosen[:KEEP_AMONG]
        ranked[group] = [_display(words[k]) for k in keys[group]]
        third = len(chosen) >= MAX_WORDS and by_key[chosen[2]] >= THIRD_WORD_SHARE * by_key[chosen[1]]
        sizes[group] = MAX_WORDS if third else min(2, len(chosen))
    return Candidates(ranked, german, keys, sizes)


def _distinctive(questions: dict[object, Counter]) -> dict[object, dict[str, float]]:
    """Group -> word -> how well the word names the group: its share of the group's word uses
    (frequent in the group) times the square of the share of its uses that fall in this group
    (rare elsewhere). Plain c-TF-IDF's soft idf let words every section uses ("Messenger",
    "Schule") win; the square keeps an evenly spread frequent word out of small groups' titles."""
    total = Counter()
    for counts in questions.values():
        total.update(counts)
    scores = {}
    for group, counts in questions.items():
        size = sum(counts.values()) or 1
        scores[group] = {k: n / size * (n / total[k]) ** 2 for k, n in counts.items()}
    return scores


def _distinct(keys: list[str], words: dict[str, _Word], score: dict[str, float]) -> list[str]:
    """Drop a word that adds nothing to a better one: another inflection the stemmer kept apart
    (Material beside Materialien), the head of a compound (Geräte beside Dienstgeräte: the compound
    takes the head's place if it is at least half as distinctive, it says more), or a name that
    contains it (Threema Work and Threema)."""
    kept: list[str] = []
    shown: list[str] = []
    for key in keys:
        form = _display(words[key]).lower()
        heads = [i for i, other in enumerate(shown) if form.endswith(other) and form != other]
        if heads and score[key] * 2 >= score[kept[heads[0]]] and not any(
                _same_word(form, other) or set(other.split()) & set(form.split()) for other in shown):
            kept[heads[0]], shown[heads[0]] = key, form
            continue
        if any(_same_word(form, other) or other.endswith(form) or form.endswith(other)
               or set(other.split()) & set(form.split()) for other in shown):
            continue
        kept.append(key)
        shown.append(form)
    return kept


def _same_word(a: str, b: str) -> bool:
    """Two inflections of one word (Material, Materialien)."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and len(long) - len(short) <= 3


def _display(word: _Word) -> str:
    """The form people wrote most often (of the word itself where synonyms were folded in:
    "Bundesland", not "Land" or "NRW"); a plain word starts with a capital, a name keeps its
    spelling; a word that nearly always follows the same capitalized word ends a name (Threema Work)."""
    forms = Counter({f: n for f, n in (word.own_forms or word.forms).items() if word.shown is None or f in word.shown})
    forms = forms or word.shown or word.forms
    form = max(forms.items(), key=lambda f: (f[1], f[0][:1].isupper(), f[0]))[0]
    if form.endswith("n") and forms.get(form[:-1]):  # the dative plural's -n: Kanäle, not Kanälen
        form = form[:-1]
    if not _spelled_as_name(form):
        form = form[:1].upper() + form[1:]
    uses = sum(word.after.values())
    first, count = max(word.after.items(), key=lambda f: (f[1], f[0] or ""))
    if first is not None and count >= 2 and count * 3 >= uses * 2:
        return f"{first} {form}"
    return form


def titles(texts_by_group: dict[object, list[str]], previous: dict[object, str] | None = None) -> dict[object, str]:
    """Group -> title. A group's ``previous`` computed title stays while its words are still among
    the group's best candidates (in any inflection: "Fotos" stays when "Foto" is now more frequent),
    so a re-run with a few more questions does not rename it (an old comma list of such words is
    only joined as a title: "A, B, C" -> "A, B und C")."""
    candidates = rank_words(texts_by_group)
    result = {}
    for group in texts_by_group:
        old = (previous or {}).get(group)
        best = set(candidates.keys.get(group, []))
        words = split_title(old or "")
        if words and all(_word(w.split()[-1])[0] in best for w in words):
            result[group] = join_words(words, candidates.german)
        else:
            result[group] = candidates.title(group)
    return result
