"""The lexical view's coherence weight: stems whose questions are about different things weigh less."""

import pickle
import zlib

import numpy as np

from miner.cluster import FaqPipeline
from miner.normalize import GermanNormalizer
from miner.vectorize import HybridVectorizer, coherence_factors, term_coherence

TOPICS = {
    "threema": ["Was kosten Threema Lizenzen für die Schule?", "Wie bekommen wir Threema Lizenzen?",
                "Threema Lizenz für Referendare?", "Sdui oder Threema Lizenzen verlängern?"],
    "mobbing": ["Was tun bei Mobbing im Klassenchat?", "Mobbing im Klassenchat melden, wie?",
                "Schüler wird im Klassenchat gemobbt, Mobbing stoppen", "Sdui Klassenchat Mobbing, wer hilft?"],
    "ferien": ["Wann beginnen die Sommerferien in Bayern?", "Sommerferien Termine Bayern gesucht",
               "Sommerferien Bayern verschoben?", "Sdui zeigt Sommerferien falsch an"],
}
TEXTS = [text for questions in TOPICS.values() for text in questions]


class TopicAxes:
    """A stand-in sentence model: each question near its topic's axis (no model, picklable)."""

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        rows = np.zeros((len(texts), 16), dtype=np.float32)
        for i, text in enumerate(texts):
            topic = next((k for k, (name, questions) in enumerate(TOPICS.items()) if text in questions), 3)
            rows[i, topic] = 1.0
            rows[i, 4 + zlib.crc32(text.encode()) % 12] = 0.3
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def idf_of(vectorizer: HybridVectorizer, stem: str) -> float:
    return float(vectorizer.word_tfidf_.idf_[vectorizer.stem_index_[stem]])


def test_term_coherence_is_the_average_pairwise_cosine_of_the_texts_holding_the_term():
    rng = np.random.default_rng(0)
    counts = (rng.random((20, 6)) < 0.4).astype(np.float32)
    points = rng.standard_normal((20, 5))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    average, df, baseline = term_coherence(counts, points)
    for term in range(6):
        rows = np.flatnonzero(counts[:, term])
        gram = points[rows] @ points[rows].T
        assert df[term] == len(rows)
        assert abs(average[term] - (gram.sum() - len(rows)) / (len(rows) * (len(rows) - 1))) < 1e-6
    gram = points @ points.T
    assert abs(baseline - (gram.sum() - 20) / (20 * 19)) < 1e-6


def test_a_term_spread_over_topics_weighs_less_than_a_topic_word():
    normalized = GermanNormalizer().fit_transform(TEXTS)
    semantic = TopicAxes().transform(TEXTS)
    plain = HybridVectorizer().fit(normalized, semantic=semantic)
    weighted = HybridVectorizer(coherence=1.0).fit(normalized, semantic=semantic)
    assert idf_of(plain, "sdui") > idf_of(plain, "threema")  # rarer, so IDF rates it higher
    assert idf_of(weighted, "sdui") < 0.5 * idf_of(plain, "sdui")
    assert idf_of(weighted, "threema") == idf_of(plain, "threema")
    assert idf_of(weighted, "mobbing") == idf_of(plain, "mobbing")
    # off by default, and without a sentence model the weight has nothing to go by
    assert np.array_equal(HybridVectorizer().fit(normalized, semantic=semantic).word_tfidf_.idf_, plain.word_tfidf_.idf_)
    assert np.array_equal(HybridVectorizer(coherence=1.0).fit(normalized).word_tfidf_.idf_, plain.word_tfidf_.idf_)


def test_factors_are_clipped_at_the_floor_and_terms_in_few_texts_keep_their_idf():
    average = np.array([0.5, 0.4, 0.0, -0.2, 0.0])
    df = np.array([5, 5, 5, 5, 2])
    factors = coherence_factors(average, df, baseline=0.0, strength=1.0, floor=0.25, quantile=0.5)
    assert factors.tolist() == [1.0, 1.0, 0.25, 0.25, 1.0]
    assert coherence_factors(average, df, 0.0, 1.0, 0.25, quantile=0.0).tolist() == [1.0] * 5  # no scale: no change


def test_the_weight_is_fitted_with_the_pipeline_kept_when_saved_and_deterministic():
    def fitted():
        return FaqPipeline(vectorizer=HybridVectorizer(coherence=1.0), semantic=TopicAxes(), min_size=2).fit(TEXTS)

    pipeline = fitted()
    plain = FaqPipeline(semantic=TopicAxes(), min_size=2).fit(TEXTS)
    assert idf_of(pipeline.vectorizer_, "sdui") < idf_of(plain.vectorizer_, "sdui")
    assert np.array_equal(fitted().vectorizer_.word_tfidf_.idf_, pipeline.vectorizer_.word_tfidf_.idf_)
    saved = pickle.loads(pickle.dumps(pipeline))
    assert np.array_equal(saved.vectorizer_.word_tfidf_.idf_, pipeline.vectorizer_.word_tfidf_.idf_)
    new = ["Sdui Lizenz für Threema?"]
    assert np.allclose(saved.embed(new), pipeline.embed(new))
    assert not np.allclose(plain.embed(new), pipeline.embed(new))
