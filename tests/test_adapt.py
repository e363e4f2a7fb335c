import csv
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.preprocessing import normalize

from miner.adapt import GroupProjection, confident_members, within_whitening
from miner.cluster import FaqPipeline, renumber

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))


def nuisance_groups(seed: int = 0, per_group: int = 30):
    """Three groups told apart by small offsets, each member shifted along a strong direction that
    says nothing about its group (a platform name every topic mentions): cosine neighbours cross groups."""
    rng = np.random.default_rng(seed)
    dims = 20
    labels = np.repeat(np.arange(3), per_group)
    centres = np.zeros((3, dims))
    centres[np.arange(3), np.arange(3)] = 1.0
    points = 3.0 + centres[labels] * 0.6 + rng.normal(0, 0.15, (len(labels), dims))
    points[:, 3] += rng.normal(0, 10.0, len(labels))  # the strong within-group direction
    return normalize(points).astype(np.float32), labels


def nearest_is_own(points, labels) -> float:
    similarity = points @ points.T
    np.fill_diagonal(similarity, -np.inf)
    return float((labels[similarity.argmax(axis=1)] == labels).mean())


def test_whitening_learned_from_groups_brings_a_members_neighbours_into_its_group():
    points, labels = nuisance_groups()
    projected = GroupProjection(whiten=True, mix=1.0, margin=0.0).fit(points, labels).transform(points)
    before, after = nearest_is_own(points, labels), nearest_is_own(projected, labels)
    assert after > before + 0.1
    assert np.allclose(np.linalg.norm(projected, axis=1), 1.0, atol=1e-5)
    # new points (not fitted on) of the same groups gain as well: the projection generalises
    fresh, fresh_labels = nuisance_groups(seed=1, per_group=60)
    model = GroupProjection(whiten=True, mix=1.0, margin=0.0).fit(points, labels)
    assert nearest_is_own(model.transform(fresh), fresh_labels) > nearest_is_own(fresh, fresh_labels) + 0.05


def test_discriminant_projection_mixes_with_the_original_space():
    points, labels = nuisance_groups()
    model = GroupProjection(whiten=False, mix=0.5, shrinkage=0.5, margin=0.0).fit(points, labels)
    mixed = model.transform(points)
    assert mixed.shape == (len(points), points.shape[1] + 2)  # three groups: two discriminant directions
    assert np.allclose(mixed[:, :points.shape[1]], np.sqrt(0.5) * points)
    assert nearest_is_own(mixed, labels) > nearest_is_own(points, labels)


def test_confident_members_leave_out_the_doubtful_and_the_unassigned():
    points = normalize(np.array([[1, 0], [0.99, 0.1], [0.7, 0.7], [0, 1], [0.1, 0.99], [0.6, 0.8]], dtype=float))
    labels = np.array([0, 0, 0, 1, 1, -1])
    core = confident_members(points, labels, margin=0.2)
    assert set(core.tolist()) == {0, 1, 3, 4}  # the member between both centres and the outlier are out


def test_without_two_confident_groups_the_projection_is_the_identity():
    points, _ = nuisance_groups()
    model = GroupProjection().fit(points, np.zeros(len(points), dtype=int))
    assert model.scalings_ is None and model.transform(points) is points


def fitted(adapt_rounds: int = 6, groups=None, loose=None, lookups: bool = True, adapt=None):
    texts = [r["text"] for r in ROWS]
    return FaqPipeline(adapt=adapt or GroupProjection(), adapt_rounds=adapt_rounds, adapt_lookups=lookups).fit(
        texts, groups=groups, loose=loose)


def test_projected_grouping_is_a_fixed_point_of_re_mining():
    """Re-mining its own entries (with their loose flags) must not move a question."""
    first = fitted().grouping_
    again = fitted(groups=list(first.labels), loose=list(first.loose)).grouping_
    assert (renumber(first.labels) == renumber(again.labels)).all()
    assert (first.loose == again.loose).all()


def test_lookups_and_the_saved_model_use_the_projected_space():
    pipeline = fitted()
    grouping = pipeline.grouping_
    plain = FaqPipeline(adapt=None).fit([r["text"] for r in ROWS]).grouping_
    assert pipeline.adapt_ is not None and not np.allclose(grouping.points, plain.points)
    texts = [r["text"] for r in ROWS[:5]]
    assert np.allclose(pipeline.embed(texts), grouping.points[:5], atol=1e-5)
    restored = pickle.loads(pickle.dumps(pipeline))
    assert np.allclose(restored.embed(texts), grouping.points[:5], atol=1e-5)


def test_projection_for_ranking_only_keeps_the_grouping():
    ranking_only = fitted(adapt_rounds=0)
    plain = FaqPipeline(adapt=None).fit([r["text"] for r in ROWS]).grouping_
    assert (ranking_only.grouping_.labels == plain.labels).all()
    assert ranking_only.adapt_ is not None and not np.allclose(ranking_only.grouping_.points, plain.points)


def test_by_default_the_projection_groups_and_lookups_stay_in_the_mixed_space():
    texts = [r["text"] for r in ROWS]
    pipeline = fitted(lookups=False)
    plain = FaqPipeline(adapt=None).fit(texts).grouping_
    assert np.allclose(pipeline.grouping_.points, plain.points)  # centres and lookups: the mixed space
    assert pipeline.adapt_ is None and np.allclose(pipeline.embed(texts[:3]), plain.points[:3], atol=1e-5)
    assert not (renumber(pipeline.grouping_.labels) == renumber(plain.labels)).all()  # but the entries differ


def test_the_default_projects_only_with_a_sentence_model():
    texts = [r["text"] for r in ROWS]
    lexical = FaqPipeline().fit(texts)
    assert lexical._adapt_step() is None and lexical.adapt_ is None
    assert (lexical.grouping_.labels == FaqPipeline(adapt=None).fit(texts).grouping_.labels).all()
    assert isinstance(FaqPipeline(semantic=object())._adapt_step(), GroupProjection)



def test_a_direction_only_one_group_uses_is_not_stretched():
    """Quiet inside most groups because only one group uses it: the pooled variance is tiny, yet it
    should not be blown up; a direction quiet inside every group still is."""
    rng = np.random.default_rng(0)
    groups, per, dims = 8, 20, 6
    labels = np.repeat(np.arange(groups), per)
    points = rng.normal(0, 1.0, (groups * per, dims))
    points[:, 0] *= 0.05  # quiet inside every group
    points[:, 1] *= 0.01
    points[labels == 0, 1] = rng.normal(0, 0.3, per)  # varies inside one group only, quiet elsewhere
    plain = within_whitening(points, labels, 0.0)
    shared = within_whitening(points, labels, 0.0, shared=0.25)
    stretch = lambda w, d: float(np.linalg.norm(w[:, d]))
    assert stretch(shared, 0) == pytest.approx(stretch(plain, 0), rel=0.05)
    assert stretch(shared, 1) < stretch(plain, 1) / 2
    assert stretch(shared, 1) < stretch(shared, 0)
