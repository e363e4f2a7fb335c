"""A weight per word stem, learned once from the project's own labelled sets, for the lexical view's IDF.

IDF says how rare a stem is, not whether sharing it means sharing an answer. In the own sets some
stems keep to one FAQ entry ("Krankmeldung", "Vertretungsplan") while others run through many
entries of a set (platform names, "Eltern", "Datenschutz", "erlaubt"): two questions sharing such a
stem are no more alike than two questions sharing any stem. Per stem we count the pairs of questions
holding it and how many of those pairs share an entry, pooled over the sets (pairs never cross
sets), shrunk towards the pooled rate by ``PRIOR`` pairs: a stem seen in few pairs stays near 1, an
unseen stem (a new forum's own words) is exactly 1. The weight is the smoothed rate relative to the
pooled rate, to the power ``STRENGTH``, clipped to [``FLOOR``, ``CAP``]. Shipped as
``miner/data/stem_weights.json`` (built by ``benchmarks/make_stem_weights.py``). With ``CAP`` 1 the
weights only lower spread stems: which stems keep to one entry is a matter of the set's own entries
(the forum's are not the development sets'), which stems run through all of them carries over.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from miner.normalize import GermanNormalizer, stem_tokens

PATH = Path(__file__).resolve().parent / "data" / "stem_weights.json"
# chosen on the own sets, each measured with weights fitted without it (benchmarks/README.md)
PRIOR = 10.0  # pairs of pseudo-evidence at the pooled rate
STRENGTH = 1.0
FLOOR = 0.5
CAP = 1.0  # no stem weighs more than its IDF: raising the own sets' concentrated stems cost the forum


def stem_pairs(texts: list[str], labels: list, normalizer: GermanNormalizer | None = None) -> dict[str, tuple[int, int]]:
    """Per stem of one labelled set: (pairs of questions holding it, of those the pairs in one entry)."""
    normalized = (normalizer or GermanNormalizer()).fit_transform(texts)
    by_stem: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for text, label in zip(normalized, labels):
        for stem in set(stem_tokens(text)):
            by_stem[stem][label] += 1
    out = {}
    for stem, counts in by_stem.items():
        n = sum(counts.values())
        out[stem] = (n * (n - 1) // 2, sum(c * (c - 1) // 2 for c in counts.values()))
    return out


def fit_weights(sets: list[tuple[list[str], list]], prior: float = PRIOR, strength: float = STRENGTH,
                floor: float = FLOOR, cap: float = CAP) -> dict[str, float]:
    """Weights from labelled sets, (question texts, entry label per text) each; only stems that differ from 1."""
    pairs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for texts, labels in sets:
        for stem, (total, same) in stem_pairs(texts, labels).items():
            pairs[stem][0] += total
            pairs[stem][1] += same
    all_pairs = sum(total for total, _ in pairs.values())
    if not all_pairs:
        return {}
    pooled = sum(same for _, same in pairs.values()) / all_pairs
    weights = {}
    for stem, (total, same) in sorted(pairs.items()):
        rate = (same + prior * pooled) / (total + prior)
        weight = round(min(max((rate / pooled) ** strength, floor), cap), 4)
        if weight != 1.0:
            weights[stem] = weight
    return weights


def save(path: Path, weights: dict[str, float], about: dict) -> None:
    path.write_text(json.dumps({"about": about, "weights": weights}, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                    encoding="utf-8")


def load(path: Path | None = None) -> dict[str, float]:
    """The shipped weights, or none (no file): every stem then keeps its IDF."""
    path = path or PATH
    if not path.is_file():
        return {}
    return {str(k): float(v) for k, v in json.loads(path.read_text(encoding="utf-8"))["weights"].items()}
