"""German text normalisation for FAQ mining: synonyms, filler removal, stop words, stemming.

Why: short forum questions share few words, and the words they share are often filler ("Hallo
zusammen, weiß jemand ...") or spelling variants (WA / WhatsApp). Mapping variants to one form and
dropping filler lets word overlap measure topic instead of politeness. The domain vocabulary lives
in the editable file ``miner/data/synonyms.txt`` (format documented at its top).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import snowballstemmer

DEFAULT_SYNONYMS = Path(__file__).parent / "data" / "synonyms.txt"

# German function words plus words every forum question uses regardless of topic.
STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch auf aus
    bei beim bin bis bist bitte da das dabei dadurch daher damit dann darauf darf darfst dass davon dazu
    dein deine dem den denen denn der deren des deshalb dessen die dies diese diesem diesen dieser
    dieses doch dort du durch dürfen dürft ein eine einem einen einer eines einfach einige einmal er
    es etwas euch euer eure fragen frage für gar gegen gibt gibt's geht gehen gut habe haben hab hat
    hatte hätte hätten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im immer in ins
    ist ja jede jedem jeden jeder jedes jemand jetzt kann kannst kein keine keinem keinen keiner
    können könnt könnte man manche mehr mein meine meinem meinen meiner mich mir mit muss müssen
    musst nach nein nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner
    seit sich sie sind so solche soll sollen sollte sollten sondern sonst über um und uns unser
    unsere unserem unseren unter viel vom von vor wann war waren warum was weil weiter welche
    welchem welchen welcher welches wenn wer werde werden wie wieder will wir wird wirklich wo
    wollen wurde würde würden zu zum zur zwar zwischen eigentlich überhaupt mal denn genau
    eigentlich irgendwie vielleicht bzw usw ggf etc tun macht machen mache mach gemacht ok okay
    ne nen einen gerade schon bereits dafür darüber wieso weshalb hallo danke lg
    the a an and or but is are was were be been being do does did can could should would will may
    might must shall have has had i me my we our us you your he she it its they them their this that
    these those there here what which who whom whose when where why how if of to for in on at by with
    from about as into than then so not no any some all also just very really anyone someone
    """.split()
)

# words, keeping dotted names such as schul.cloud together
_TOKEN = re.compile(r"[0-9a-zäöüß]+(?:\.[0-9a-zäöüß]+)*", re.IGNORECASE)
_STEMMER = snowballstemmer.stemmer("german")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word (cached: forum vocabularies repeat a lot)."""
    return _STEMMER.stemWord(word)


def content_words(text: str, min_length: int = 3) -> set[str]:
    """The words a reader sees (lower-case, no synonyms applied) without stop words."""
    return {w for w in _TOKEN.findall((text or "").lower()) if len(w) >= min_length and w not in STOP_WORDS}


def stem_tokens(text: str) -> list[str]:
    """Analyzer for word features: the stems of an already normalised text."""
    return [stem(token) for token in text.split()]


def load_vocabulary(path: str | Path | None = None) -> tuple[dict[str, str], list[str]]:
    """Read synonyms (variant -> canonical) and filler phrases from the editable data file."""
    synonyms: dict[str, str] = {}
    fillers: list[str] = []
    for raw in Path(path or DEFAULT_SYNONYMS).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.lower().startswith("filler:"):
            phrase = line.split(":", 1)[1].strip().lower()
            if phrase:
                fillers.append(phrase)
            continue
        if "=" not in line:
            continue
        canonical, variants = line.split("=", 1)
        canonical = canonical.strip().lower().replace("-", " ")
        for variant in variants.split(","):
            variant = " ".join(variant.strip().lower().replace("-", " ").split())
            if variant:
                synonyms[variant] = canonical
    return synonyms, fillers


def _phrase_table(phrases: dict[str, str]) -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    """Phrase (as a token tuple) -> replacement tokens, and the longest phrase length."""
    table = {tuple(_TOKEN.findall(p)): tuple(_TOKEN.findall(r)) for p, r in phrases.items() if _TOKEN.findall(p)}
    return table, max((len(k) for k in table), default=0)


class GermanNormalizer:
    """Estimator step: raw question text -> lower-case content words with canonical domain terms.

    ``transform`` keeps words unstemmed (character n-grams see the compounds); ``stem_tokens``
    gives the stems for word features. ``surface_`` maps a stem to its most frequent word, so
    keywords can be shown as real words.
    """

    def __init__(self, synonyms_path: str | Path | None = None, stop_words: frozenset[str] = STOP_WORDS):
        self.synonyms_path = synonyms_path
        self.stop_words = stop_words

    def _prepare(self) -> None:
        synonyms, fillers = load_vocabulary(self.synonyms_path)
        self.synonyms_ = synonyms
        self.fillers_ = fillers
        self._phrases, self._longest = _phrase_table({**synonyms, **{f: "" for f in fillers}})

    def fit(self, texts, y=None) -> "GermanNormalizer":
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts, y=None) -> list[str]:
        """Learn ``surface_`` (stem -> most frequent word) and return the normalised texts."""
        self._prepare()
        normalized = self.transform(texts)
        counts: dict[str, dict[str, int]] = {}
        for words in normalized:
            for word in words.split():
                bucket = counts.setdefault(stem(word), {})
                bucket[word] = bucket.get(word, 0) + 1
        self.surface_ = {s: max(c.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0] for s, c in counts.items()}
        return normalized

    def normalize(self, text: str) -> str:
        """One text: drop filler, map variants to canonical terms (longest phrase first), drop stop words."""
        if not hasattr(self, "_phrases"):
            self._prepare()
        tokens = _TOKEN.findall((text or "").lower().replace("-", " ").replace("–", " "))
        out: list[str] = []
        i, phrases, longest = 0, self._phrases, self._longest
        while i < len(tokens):
            for size in range(min(longest, len(tokens) - i), 0, -1):
                replacement = phrases.get(tuple(tokens[i:i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(tokens[i])
                i += 1
        return " ".join(w for w in out if len(w) > 1 and w not in self.stop_words)

    def transform(self, texts) -> list[str]:
        cache: dict[str, str] = {}
        result = []
        for text in texts:
            if text not in cache:
                cache[text] = self.normalize(text)
            result.append(cache[text])
        return result
