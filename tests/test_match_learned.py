"""The learned ordering: a classifier trained on every entry's members (an option of the matcher)."""

import pickle

import numpy as np
import pytest

from miner.match import Matcher


def unit(rows) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# Entry 1's members spread over a wide arc (0..50 degrees), entry 2's sit tight (85..90): a query at
# 62 degrees is nearer entry 2's centre by cosine, yet on entry 1's side of the gap between them.
def arc(degrees) -> list[list[float]]:
    return [[np.cos(np.radians(d)), np.sin(np.radians(d)), 0.0] for d in degrees]


SPREAD = arc(range(0, 51, 10))
TIGHT = arc([85, 86, 87, 88, 89, 90])
QUERY = unit(arc([62]))


def members_matcher(share: float) -> Matcher:
    points = unit(SPREAD + TIGHT)
    faq_ids = [1] * len(SPREAD) + [2] * len(TIGHT)
    return Matcher(learned_share=share).from_points(None, points, ["frage"] * len(faq_ids), faq_ids,
                                                    {1: "Eins", 2: "Zwei"})


def best(matcher: Matcher, points: np.ndarray) -> int:
    return matcher.ids_[int(np.argmax(matcher.order(points, matcher.scores(points))[0]))]


def test_the_centre_ranks_the_query_wrong_and_the_learned_model_right():
    centre = members_matcher(0.0)
    assert centre.ids_[int(np.argmax(centre.scores(QUERY)[0]))] == 2
    assert best(centre, QUERY) == 2  # off: the order is the cosine
    learned = members_matcher(0.5)
    assert best(learned, QUERY) == 1
    # the cosine itself (the floor's measure, ``score``) is not changed by the model
    assert np.allclose(learned.scores(QUERY), centre.scores(QUERY))


def test_the_model_is_fitted_once_saved_with_the_matcher_and_reused():
    matcher = members_matcher(0.5)
    blob = matcher.dumps()
    assert matcher.model_ is not None and len(blob) < 20_000
    loaded = pickle.loads(blob)
    assert not hasattr(loaded, "_training")  # the members' points are not saved
    assert loaded.model_ is not None and best(loaded, QUERY) == 1
    assert np.allclose(loaded.order(QUERY, loaded.scores(QUERY)), matcher.order(QUERY, matcher.scores(QUERY)))


def test_editor_examples_are_training_rows_that_move_look_alike_texts():
    """A text like the questions an editor moved to entry 2 follows them (before: entry 1)."""
    corrected = unit(arc([55, 57, 59]))
    matcher = members_matcher(0.5)
    text = unit(arc([56]))
    assert best(pickle.loads(members_matcher(0.5).dumps()), text) == 1
    matcher.teach(corrected, [2, 2, 2])
    loaded = pickle.loads(matcher.dumps())
    assert loaded.examples_learned_ == 3
    assert best(loaded, text) == 2


def test_a_loaded_model_still_follows_examples_taught_after_it_was_saved():
    """Examples taught after the run (no members held to refit) pull by their similarity, as without the model."""
    loaded = pickle.loads(members_matcher(0.5).dumps())
    text = unit(arc([56]))
    before = loaded.order(text, loaded.scores(text))[0, 1]
    loaded.teach(unit(arc([57])), [2])
    assert loaded.model_ is not None
    assert loaded.order(text, loaded.scores(text))[0, 1] > before + 0.02


def test_a_matcher_saved_before_the_option_still_ranks():
    old = members_matcher(0.0)
    for name in ("learned_share", "model_", "_training"):
        old.__dict__.pop(name, None)
    loaded = pickle.loads(pickle.dumps(old))
    assert best(loaded, QUERY) == 2


def test_the_faq_step_saves_the_learned_model_and_lookups_reuse_it(tmp_path, monkeypatch):
    """`miner mine` fits it on all members; `miner suggest` loads it without fitting anything."""
    from faqdb import add_questions, dev_rows

    import miner.match
    from miner import store
    from miner.cluster import FaqPipeline
    from miner.faqs import update_faqs

    monkeypatch.setattr(miner.match, "LEARNED_SHARE", 0.3)
    db = store.open_db(tmp_path / "l.db")
    add_questions(db, dev_rows())
    update_faqs(db, progress=False)

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted again")

    monkeypatch.setattr(FaqPipeline, "fit_embed", no_fit)
    monkeypatch.setattr("sklearn.linear_model.LogisticRegression.fit", no_fit)
    matcher = miner.match.load_matcher(db)
    assert matcher.learned_share == 0.3 and set(matcher.model_.classes_.tolist()) == set(matcher.ids_)
    best = matcher.rank("Was kostet Threema Work für 60 Lehrkräfte?", top=3)
    assert best[0]["fits"] and "threema" in best[0]["title"].lower() + " ".join(best[0]["shared_terms"]).lower()
    assert matcher.rank("Unser Drucker im Lehrerzimmer druckt nur noch leere Seiten, was tun?", top=1)[0]["fits"] is False
