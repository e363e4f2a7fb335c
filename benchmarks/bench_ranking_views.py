"""Which ranking should the matcher order entries by? Centre cosines per view, members' evidence, learned models.

Measured in today's space: the FAQ step with the domain map (for an own set one fitted without it, as
``bench_generalization`` does through ``use_domain_map``), so the points have a lexical block (LSA), a
sentence block (e5 through the map) whose last columns are the map's discriminant part. ``today`` is
``Matcher.order``: mixed cosine to the centre + ``DISCRIMINANT_SHARE`` x the discriminant columns' cosine.

Per row and split (stratified 70/30, ``bench_generalization``'s), the real FAQ step builds entries from the
training part; each held-out question (with its thread context) is ranked against the entries; right = an
entry whose majority label is the question's. Rankings: each view's centre cosine alone (``mixed``,
``sentence``, ``e5`` = the sentence block without the discriminant part, ``disc``, ``lexical``), mixes with
other lexical shares; members' evidence in today's similarity (mixed + share x disc cosine per member): the
similarity-weighted vote of the k nearest members, the best member, each alone and added to today's order;
logistic regression / ridge trained on the members (their entry as the label) in today's space, added to
today's order; today's order with the held-out question (also the members) embedded without its thread
context. The same rankings with the gold labels of the training part as entries (``gold``) are the
ceiling the entries allow. Misses of today's top-3 are split into unreachable (their label is no entry's
majority) and ranked 4-10 / beyond. The own sets named by ``--pool`` are pooled with each ranking's paired
difference to today's per split, the figure a choice is made on (validation rows are measured only).

    python benchmarks/bench_ranking_views.py [--rows dev,dev2,forum] [--seeds 0,1,2,3] [--pool dev,dev2,forum]
        [--json out.json | --from-json out.json[,more.json]]

Run each row in its own process when comparing (the domain map held out is set per process); ``--from-json``
takes several files and prints their rows together.
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

BASE = "today"

# Centre rankings: weights of each view's centre cosine (views: mixed, sentence, e5, disc, lexical).
CENTRE = {
    "today": {"mixed": 1, "disc": 0.5},
    "mixed alone": {"mixed": 1},
    "sentence alone": {"sentence": 1},
    "e5 (no disc) alone": {"e5": 1},
    "disc alone": {"disc": 1},
    "lexical alone": {"lexical": 1},
    **{f"lexical {a:.1f} + sentence {1 - a:.1f} + disc 0.5": {"lexical": a, "sentence": 1 - a, "disc": 0.5}
       for a in (0.0, 0.2, 0.3, 0.4, 0.5)},
    **{f"lexical {a:.1f} + sentence {1 - a:.1f} + disc 1.0": {"lexical": a, "sentence": 1 - a, "disc": 1.0}
       for a in (0.2, 0.3, 0.5)},
}
# Members' evidence: ("vote", k) = similarity-weighted share of the k nearest members; ("max", 0) = best member;
# added to today's order times ``share`` (None: alone).
MEMBERS = {
    **{f"vote of {k} nearest": (("vote", k), None) for k in (3, 5, 10)},
    **{f"today + {s} x vote of {k}": (("vote", k), s) for k in (3, 5, 10) for s in (0.2, 0.5, 1.0)},
    "best member": (("max", 0), None),
    **{f"today + {s} x best member": (("max", 0), s) for s in (0.3, 1.0)},
}
# Learned on the members in today's space: (model, C or alpha, share added to today's order; None: alone).
LEARNED = {
    **{f"LR C={c}: proba/max": ("lr", c, None) for c in (10, 100)},
    **{f"today + {s} x LR C={c} proba/max": ("lr", c, s) for c in (10, 100) for s in (0.2, 0.5)},
    **{f"today + {s} x ridge a={a}": ("ridge", a, s) for a in (1.0,) for s in (0.5, 1.0)},
}
PLAIN = ("today, held-out question without its thread context", "today, question and members without thread context")
NAMES = ["Matcher.order (product)", *CENTRE, *PLAIN, *MEMBERS, *LEARNED]


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)


def views(matcher, texts: list[str], contexts: list[str] | None) -> dict:
    """Each text's point and its blocks (rows L2-normalised); ``today`` = mixed + share x disc as one vector,
    so its dot product is today's order."""
    from miner.match import DISCRIMINANT_SHARE

    points = matcher.pipeline_.embed(texts, contexts)
    block = matcher.pipeline_.sentence_columns()
    disc = matcher.discriminant_columns()
    stop = points.shape[1] if block.stop is None else block.stop
    result = {"mixed": points, "lexical": unit(points[:, :block.start]), "sentence": unit(points[:, block.start:stop]),
              "e5": unit(points[:, block.start:disc.start]), "disc": unit(points[:, disc])}
    result["today"] = np.hstack([points, np.sqrt(DISCRIMINANT_SHARE) * result["disc"]])
    return result


def centre_cosines(query: dict, members: dict, groups: list[list[int]]) -> dict:
    return {k: query[k] @ unit(np.vstack([members[k][g].mean(axis=0) for g in groups])).T
            for k in ("mixed", "lexical", "sentence", "e5", "disc")}


def member_scores(similarity: np.ndarray, groups: list[list[int]], how: tuple) -> np.ndarray:
    kind, k = how
    column = np.empty(similarity.shape[1], dtype=int)
    for e, g in enumerate(groups):
        column[g] = e
    if kind == "max":
        return np.column_stack([similarity[:, g].max(axis=1) for g in groups])
    nearest = np.argsort(-similarity, axis=1)[:, :k]
    weights = np.clip(np.take_along_axis(similarity, nearest, axis=1), 0, None)
    votes = np.zeros((similarity.shape[0], len(groups)))
    for r in range(similarity.shape[0]):
        np.add.at(votes[r], column[nearest[r]], weights[r])
    return votes / np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)


def learned_scores(query: np.ndarray, members: np.ndarray, groups: list[list[int]], model: str, c: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression, RidgeClassifier

    labels = np.empty(len(members), dtype=int)
    for e, g in enumerate(groups):
        labels[g] = e
    if len(groups) < 2:
        return np.ones((len(query), len(groups)))
    if model == "lr":
        fitted = LogisticRegression(C=c, class_weight="balanced", max_iter=1000).fit(members, labels)
        out = fitted.predict_proba(query)
        return out / out.max(axis=1, keepdims=True)
    return RidgeClassifier(alpha=c, class_weight="balanced").fit(members, labels).decision_function(query)


def hits(scores: np.ndarray, labels: list, gold: list) -> tuple[float, float]:
    best = np.argsort(-scores, axis=1, kind="stable")[:, :3]
    ranked = [[labels[j] for j in row] for row in best]
    return (float(np.mean([r[0] == g for r, g in zip(ranked, gold)])),
            float(np.mean([g in r for r, g in zip(ranked, gold)])))


def rankings(query: dict, members: dict, groups: list[list[int]]) -> dict[str, np.ndarray]:
    """queries x groups scores of every ranking but the product's own."""
    centre = centre_cosines(query, members, groups)
    out = {name: sum(w * centre[k] for k, w in weights.items()) for name, weights in CENTRE.items()}
    today = out[BASE]
    similarity = query["today"] @ members["today"].T
    for name, (how, share) in MEMBERS.items():
        evidence = member_scores(similarity, groups, how)
        out[name] = evidence if share is None else today + share * evidence
    fitted = {}
    for name, (model, c, share) in LEARNED.items():
        if (model, c) not in fitted:
            fitted[model, c] = learned_scores(query["today"], members["today"], groups, model, c)
        out[name] = fitted[model, c] if share is None else today + share * fitted[model, c]
    return out


def split_scores(row: str, seed: int) -> dict:
    """Top-1/top-3 of every ranking for one split: miner entries and gold topics as entries."""
    from miner import store
    from miner.match import load_matcher

    bg.use_domain_map(row)
    bg.use_stem_weights(row)
    items = bg.LOADERS[row]()["items"]
    truth = [it["label"] for it in items]
    train, test = stratified_split(truth, bg.HOLDOUT, seed)
    vectors = bg.MinerVectors()
    with tempfile.TemporaryDirectory() as folder:
        db = bg.run_miner([items[i] for i in train], True, seed, vectors, Path(folder), "train")
        majority = bg.entry_majority(db, train, truth)
        vectors.seed(db)
        matcher = load_matcher(db)
        members = store.load_live_faq_members(db)
        contexts = store.load_thread_contexts(db, (m["thread"] for m in members))
        try:  # the sentence model's vectors are cached in this database
            return scores_of(matcher, members, contexts, items, truth, train, test, majority)
        finally:
            db.conn.close()


def scores_of(matcher, members, contexts, items, truth, train, test, majority) -> dict:
    member_views = views(matcher, [m["text"] for m in members], [contexts.get(m["thread"], "") for m in members])
    by_entry: dict[int, list[int]] = defaultdict(list)
    for j, m in enumerate(members):
        by_entry[m["faq_id"]].append(j)
    entries = sorted(by_entry)
    test_contexts = [bg.context_of(items[i]) for i in test]
    query = views(matcher, [items[i]["text"] for i in test], test_contexts if any(test_contexts) else None)
    train_contexts = [bg.context_of(items[i]) for i in train]
    train_views = views(matcher, [items[i]["text"] for i in train], train_contexts if any(train_contexts) else None)
    topics = sorted({truth[i] for i in train})
    by_topic = {t: [] for t in topics}
    for j, i in enumerate(train):
        by_topic[truth[i]].append(j)
    gold = [truth[i] for i in test]
    entry_labels = [majority.get(f) for f in entries]
    miner = rankings(query, member_views, [by_entry[f] for f in entries])
    ceiling = rankings(query, train_views, [by_topic[t] for t in topics])
    if any(test_contexts):  # the ask by its own words: the held-out question, or also the members, without thread context
        plain = views(matcher, [items[i]["text"] for i in test], None)
        groups = [by_entry[f] for f in entries]
        out_plain = {PLAIN[0]: centre_cosines(plain, member_views, groups),
                     PLAIN[1]: centre_cosines(plain, views(matcher, [m["text"] for m in members], None), groups)}
    reachable = set(majority.values())
    out = {"covered": float(np.mean([g in reachable for g in gold])), "held_out": len(test)}
    product = matcher.order(query["mixed"], matcher.scores(query["mixed"]))
    product_hits = hits(product, [majority.get(f) for f in matcher.ids_], gold)
    out["Matcher.order (product)"] = (product_hits, None)  # gold topics: ``today``
    for name in miner:
        out[name] = (hits(miner[name], entry_labels, gold), hits(ceiling[name], topics, gold))
    if any(test_contexts):
        for name, centre in out_plain.items():
            out[name] = (hits(sum(w * centre[k] for k, w in CENTRE[BASE].items()), entry_labels, gold), None)
    ranks = np.argsort(-miner[BASE], axis=1, kind="stable")
    misses = {"unreachable": 0, "rank 4-10": 0, "beyond 10": 0}
    for r, g in zip(ranks, gold):
        labels = [entry_labels[j] for j in r]
        if g in labels[:3]:
            continue
        key = "unreachable" if g not in reachable else "rank 4-10" if g in labels[:10] else "beyond 10"
        misses[key] += 1
    out["misses"] = misses
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="dev,dev2,forum")
    parser.add_argument("--seeds", default="0,1,2,3")
    parser.add_argument("--json", help="also write every split's scores to this file")
    parser.add_argument("--pool", default="dev,dev2,forum",
                        help="rows whose held-out questions are pooled into one table at the end (the own sets)")
    parser.add_argument("--from-json", help="print the tables of --json files (comma-separated) instead of running")
    args = parser.parse_args(argv)
    if args.from_json:
        dump = {}
        for name in args.from_json.split(","):
            dump.update(json.loads(Path(name).read_text()))
        for row, runs in dump.items():
            print_row(row, runs, ",".join(str(s) for s in range(len(runs))))
        pool = [r for r in args.pool.split(",") if r in dump]
        if len(pool) > 1:
            print_pooled(dump, pool)
        return 0
    dump = {}
    seeds = [int(s) for s in args.seeds.split(",")]
    for row in args.rows.split(","):
        runs = []
        for seed in seeds:
            runs.append(split_scores(row, seed))
            dump[row] = runs
            if args.json:
                Path(args.json).write_text(json.dumps(dump))
        print_row(row, runs, args.seeds)
    pool = [r for r in args.pool.split(",") if r in dump]
    if len(pool) > 1:
        print_pooled(dump, pool)
    return 0


def print_row(row: str, runs: list[dict], seeds: str) -> None:
    misses = {k: np.mean([r["misses"][k] for r in runs]) for k in runs[0]["misses"]}
    print(f"\n{row}: {runs[0]['held_out']} held out per split, seeds {seeds}; held-out questions whose "
          f"label is some entry's majority: {np.mean([r['covered'] for r in runs]):.3f}; today's top-3 misses per "
          "split: " + ", ".join(f"{k} {v:.1f}" for k, v in misses.items()))
    print("| ranking | miner entries top-1 / top-3 (min..max top-3) | gold topics as entries top-1 / top-3 |\n"
          "|---|---|---|")
    for name in NAMES:
        if name in runs[0]:
            values = np.array([r[name][0] for r in runs])
            m1, m3 = values.mean(axis=0)
            ceiling = "" if runs[0][name][1] is None else "{:.3f} / {:.3f}".format(
                *np.mean([r[name][1] for r in runs], axis=0))
            print(f"| {name} | {m1:.3f} / {m3:.3f} ({values[:, 1].min():.3f}..{values[:, 1].max():.3f}) | {ceiling} |")


def print_pooled(dump: dict, rows: list[str], base: str = BASE) -> None:
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

    for name in NAMES:
        if all(name in dump[r][0] for r in rows):
            values = np.array([pooled(name, s) for s in range(seeds)])
            diff = values - np.array([pooled(base, s) for s in range(seeds)])
            print(f"| {name} | {values[:, 0].mean():.3f} / {values[:, 1].mean():.3f} | "
                  f"{diff[:, 0].mean():+.3f} ({diff[:, 0].min():+.3f} .. {diff[:, 0].max():+.3f}) | "
                  f"{diff[:, 1].mean():+.3f} ({diff[:, 1].min():+.3f} .. {diff[:, 1].max():+.3f}) |")


if __name__ == "__main__":
    raise SystemExit(main())
