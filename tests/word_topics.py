"""Many lexically separable topics from the dev set's vocabulary, shared by a test of the
large-input path and the scale benchmark (benchmarks/synthetic.py)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from miner.normalize import content_words

FRAMES = ["Wie regelt ihr {a} bei {b} und {c}?", "Frage zu {b}: was gilt für {a} und {c}?",
          "Hat jemand Erfahrung mit {c}, {a} und {b}?", "{a}, {b}, {c}: wie macht ihr das?"]


def dev_vocabulary() -> list[str]:
    rows = csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8"))
    return sorted({w for r in rows for w in content_words(r["text"]) if len(w) > 3 and w.isalpha()})


def separable_triples(topics: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """``topics`` triples of content words; two triples share at most one word, so no two topics
    share a pair of words."""
    vocabulary = dev_vocabulary()
    chosen: list[tuple[str, str, str]] = []
    pairs: set[tuple[str, str]] = set()
    while len(chosen) < topics:
        triple = tuple(sorted(rng.sample(vocabulary, 3)))
        inside = {(triple[0], triple[1]), (triple[0], triple[2]), (triple[1], triple[2])}
        if not inside & pairs:
            chosen.append(triple)
            pairs |= inside
    return chosen


def framed(words: list[str], rng: random.Random) -> str:
    """The three words of a topic (in the order given) in one of the sentence frames."""
    a, b, c = words
    return rng.choice(FRAMES).format(a=a, b=b, c=c)
