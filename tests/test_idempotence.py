"""`miner mine` twice (and three times) on the bundled forum changes no row ("running it
twice changes nothing"). Each re-run is a separate process with its own hash seed, so anything
that depends on set or dict-of-set order (relevance reasons, tie breaks) shows up as a change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from miner import store

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("questions", "threads", "faqs", "faq_months")


def dump(path: Path) -> dict[str, dict]:
    db = store.open_db(path)
    return {table: {row[0]: row for row in db.execute(f"select * from {table}").fetchall()} for table in TABLES}


def mine(path: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "miner", "mine", str(path), "--quiet"], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


@pytest.fixture
def demo_db(mined_demo_copy) -> Path:
    return mined_demo_copy


@pytest.mark.slow
def test_mine_on_unchanged_forum_changes_no_row(demo_db):
    first = dump(demo_db)
    assert len(first["faqs"]) >= 15 and any(q[1] for q in first["questions"].values())
    mine(demo_db, "1")
    second = dump(demo_db)
    for table in TABLES:
        changed = [k for k in set(first[table]) | set(second[table]) if first[table].get(k) != second[table].get(k)]
        assert changed == [], f"second run changed {len(changed)} rows of {table}, e.g. {changed[:3]}"
    mine(demo_db, "2")
    assert dump(demo_db) == second


def test_clusterer_result_is_a_fixed_point():
    import numpy as np

    from miner.cluster import AutoCluster

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(6, 20))
    points = np.vstack([c + rng.normal(scale=0.9, size=(15, 20)) for c in centres] + [rng.normal(size=(10, 20))])
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    labels = AutoCluster(threshold=0.8).fit_predict(points)
    assert labels.max() >= 2
    assert np.array_equal(AutoCluster(threshold=0.8).fit_predict(points, groups=labels), labels)
