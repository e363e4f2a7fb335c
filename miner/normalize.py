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
    """.split()
)

_TOKEN = re.compile(r"[0-9a-zäöüß]+", re.IGNORECASE)
_STEMMER = snowballstemmer.stemmer("german")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word (cached: forum vocabularies repeat a lot)."""
    return _STEMMER.stemWord(word)


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


def _phrase_pattern(phrases: list[str]) -> re.Pattern | None:
    """One regex for whole-word phrases, longest first so 'threema work' beats 'threema'."""
    if not phrases:
        return None
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?<![\w.-])(?:{alternation})(?![\w-])", re.IGNORECASE)


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
        self._synonym_re = _phrase_pattern(list(synonyms))
        self._filler_re = _phrase_pattern(fillers)

    def fit(self, texts, y=None) -> "GermanNormalizer":
        self._prepare()
        counts: dict[str, dict[str, int]] = {}
        for words in self.transform(texts):
            for word in words.split():
                bucket = counts.setdefault(stem(word), {})
                bucket[word] = bucket.get(word, 0) + 1
        self.surface_ = {s: max(c.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0] for s, c in counts.items()}
        return self

    def normalize(self, text: str) -> str:
        """One text: drop filler, map variants to canonical terms, drop stop words."""
        if not hasattr(self, "synonyms_"):
            self._prepare()
        text = (text or "").lower().replace("-", " ").replace("–", " ")
        if self._filler_re is not None:
            text = self._filler_re.sub(" ", text)
        if self._synonym_re is not None:
            text = self._synonym_re.sub(lambda m: " " + self.synonyms_[" ".join(m.group(0).split())] + " ", text)
        words = [w for w in _TOKEN.findall(text) if len(w) > 1 and w not in self.stop_words]
        return " ".join(words)

    def transform(self, texts) -> list[str]:
        return [self.normalize(t) for t in texts]

    def fit_transform(self, texts, y=None) -> list[str]:
        return self.fit(texts).transform(texts)
