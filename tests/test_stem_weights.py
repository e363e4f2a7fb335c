"""Stem weights learned once from labelled sets (miner.stem_weights): spread stems weigh less in the lexical view."""

import pickle

import numpy as np

from miner import stem_weights
from miner.cluster import FaqPipeline
from miner.normalize import GermanNormalizer
from miner.vectorize import HybridVectorizer

# two small labelled sets: "Sdui" runs through every entry, "Mobbing", "Sommerferien", "Lizenz" keep to one
FIRST = {
    "lizenz": ["Was kosten Threema Lizenzen für die Schule?", "Wie bekommen wir Threema Lizenzen?",
               "Sdui Lizenz für Referendare?"],
    "mobbing": ["Was tun bei Mobbing im Klassenchat?", "Mobbing im Klassenchat melden, wie?",
                "Sdui Klassenchat Mobbing, wer hilft?"],
    "ferien": ["Wann beginnen die Sommerferien in Bayern?", "Sommerferien Termine Bayern gesucht",
               "Sdui zeigt Sommerferien falsch an"],
}
SECOND = {
    "mobbing": ["Mobbing in der Elterngruppe, was tun?", "Sdui meldet Mobbing nicht", "Mobbing unter Schülern im Chat"],
    "lizenz": ["Lizenz für Sdui verlängern?", "Wer bezahlt die Lizenz?", "Lizenz läuft ab, was nun?"],
    "ferien": ["Sommerferien und Sdui Benachrichtigungen?", "Sommerferien Nachrichten abschalten?",
               "Dürfen Eltern in den Sommerferien schreiben?"],
}


def as_set(entries: dict) -> tuple[list[str], list[str]]:
    return [t for texts in entries.values() for t in texts], [e for e, texts in entries.items() for _ in texts]


def idf_of(vectorizer: HybridVectorizer, stem: str) -> float:
    return float(vectorizer.word_tfidf_.idf_[vectorizer.stem_index_[stem]])


def test_a_spread_stem_weighs_less_and_a_concentrated_one_more():
    weights = stem_weights.fit_weights([as_set(FIRST), as_set(SECOND)], prior=2.0, strength=1.0, floor=0.01, cap=4.0)
    assert weights["sdui"] < 1.0
    assert weights["mobbing"] > 1.0 and weights["sommerferi"] > 1.0 and weights["lizenz"] > 1.0
    # less prior moves a weight further from 1: the prior shrinks stems seen in few pairs
    strong = stem_weights.fit_weights([as_set(FIRST), as_set(SECOND)], prior=0.5, strength=1.0, floor=0.01, cap=4.0)
    assert strong["sdui"] < weights["sdui"] and strong["mobbing"] > weights["mobbing"]
    clipped = stem_weights.fit_weights([as_set(FIRST), as_set(SECOND)], prior=0.5, strength=1.0, floor=0.6, cap=1.2)
    assert min(clipped.values()) == 0.6 and max(clipped.values()) == 1.2


def test_pairs_never_cross_sets():
    """Two sets' entries may share a name ("ferien" here and there): pairs are counted inside a set."""
    pooled = stem_weights.stem_pairs(*as_set({**FIRST}))
    assert pooled["sdui"] == (3, 0)  # three questions, three pairs, none in one entry
    assert pooled["mobbing"] == (3, 3)


def test_a_new_forums_unseen_stems_keep_their_idf():
    weights = stem_weights.fit_weights([as_set(FIRST), as_set(SECOND)], prior=2.0, strength=1.0, floor=0.25, cap=4.0)
    forum = ["Sdui Stundenplan in der App?", "Stundenplan fehlt seit gestern", "Mobbing per Sprachnachricht?"]
    normalized = GermanNormalizer().fit_transform(forum)
    plain = HybridVectorizer(stem_weights=False).fit(normalized)
    weighted = HybridVectorizer(stem_weights=weights).fit(normalized)
    assert "stundenplan" not in weights and "stundenplan" in plain.stem_index_
    assert idf_of(weighted, "stundenplan") == idf_of(plain, "stundenplan")
    assert np.isclose(idf_of(weighted, "sdui"), idf_of(plain, "sdui") * weights["sdui"])
    assert np.isclose(idf_of(weighted, "mobbing"), idf_of(plain, "mobbing") * weights["mobbing"])
    assert weighted.stem_weights_ == 2 and plain.stem_weights_ == 0


def test_a_saved_model_keeps_its_weights_and_the_run_records_them():
    weights = stem_weights.fit_weights([as_set(FIRST)], prior=1.0, strength=1.0, floor=0.25, cap=4.0)
    texts, _ = as_set(SECOND)
    pipeline = FaqPipeline(vectorizer=HybridVectorizer(stem_weights=weights), min_size=2).fit(texts)
    plain = FaqPipeline(vectorizer=HybridVectorizer(stem_weights=False), min_size=2).fit(texts)
    assert pipeline.settings()["stem_weights"] is True and plain.settings()["stem_weights"] is False
    saved = pickle.loads(pickle.dumps(pipeline))
    new = ["Sdui Lizenz bei Mobbing?"]
    assert np.allclose(saved.embed(new), pipeline.embed(new))
    assert np.array_equal(saved.vectorizer_.word_tfidf_.idf_, pipeline.vectorizer_.word_tfidf_.idf_)
    assert not np.allclose(plain.embed(new), pipeline.embed(new))
    state = plain.__getstate__()
    old = FaqPipeline.__new__(FaqPipeline)
    old.__dict__.update(pickle.loads(pickle.dumps(state)))
    del old.vectorizer_.__dict__["stem_weights_"], old.vectorizer_.__dict__["stem_weights"]  # saved before the weights
    assert np.allclose(old.embed(new), plain.embed(new)) and old.settings()["stem_weights"] is False


def test_missing_file_means_idf_alone_and_the_shipped_file_loads(tmp_path):
    assert stem_weights.load(tmp_path / "none.json") == {}
    path = tmp_path / "w.json"
    stem_weights.save(path, {"sdui": 0.5, "mobbing": 2.0}, {"sets": ["a"]})
    assert stem_weights.load(path) == {"sdui": 0.5, "mobbing": 2.0}
    shipped = stem_weights.load()
    assert all(stem_weights.FLOOR <= w <= stem_weights.CAP for w in shipped.values())


class StandIn:
    """A stand-in sentence model (no model file): rows that differ by text."""

    model_id_ = "stand-in"

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        rows = np.ones((len(texts), 4), dtype=np.float32)
        rows[:, 0] += np.array([len(t) % 7 for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_lexical_path_weighs_stems_with_the_shipped_weights(monkeypatch):
    monkeypatch.setattr(stem_weights, "load", lambda path=None: {"sdui": 0.5})
    texts, _ = as_set(SECOND)
    fitted = FaqPipeline(min_size=2).fit(texts)
    plain = FaqPipeline(vectorizer=HybridVectorizer(), min_size=2).fit(texts)  # a vectorizer alone: IDF
    assert fitted.settings()["stem_weights"] is True and plain.settings()["stem_weights"] is False
    assert np.isclose(idf_of(fitted.vectorizer_, "sdui"), 0.5 * idf_of(plain.vectorizer_, "sdui"))
    assert idf_of(fitted.vectorizer_, "mobbing") == idf_of(plain.vectorizer_, "mobbing")
    # beside a sentence model the lexical view keeps IDF alone
    mixed = FaqPipeline(min_size=2, semantic=StandIn(), adapt=None).fit(texts)
    assert mixed.settings()["stem_weights"] is False
    assert idf_of(mixed.vectorizer_, "sdui") == idf_of(plain.vectorizer_, "sdui")
