"""Synthetic German forum questions for scale tests: dev-set questions with random, realistic noise.

Not for quality figures (the variants are too close to their originals): only to measure time and
memory at 10k-300k questions with a realistic vocabulary and text length.
"""

from __future__ import annotations

import random

from common import load_dev

PREFIXES = ["", "", "", "Hallo zusammen, ", "Kurze Frage: ", "Moin, ", "Liebe Kolleginnen und Kollegen, ",
            "Ich hätte mal eine Frage: ", "Weiß jemand, "]
SUFFIXES = ["", "", "", " Danke im Voraus!", " LG", " Bei uns ist das gerade Thema.", " Wir sind eine Grundschule.",
            " Es geht um die Klasse {n}.", " Wir haben {n} Lehrkräfte.", " Seit {n} Wochen diskutieren wir das."]
PLACES = ["Bayern", "NRW", "Hessen", "Sachsen", "Berlin", "Hamburg", "Bremen", "Niedersachsen", "Thüringen",
          "am Gymnasium", "an der Realschule", "an der Gesamtschule", "im Kollegium", "in der Oberstufe"]


def questions(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts, _ = load_dev()
    result = []
    for i in range(n):
        words = rng.choice(texts).split()
        if len(words) > 4 and rng.random() < 0.3:
            del words[rng.randrange(1, len(words) - 1)]
        if rng.random() < 0.4:
            words.insert(rng.randrange(1, len(words)), rng.choice(PLACES))
        text = rng.choice(PREFIXES) + " ".join(words) + rng.choice(SUFFIXES).format(n=rng.randint(2, 120))
        result.append(text)
    return result
