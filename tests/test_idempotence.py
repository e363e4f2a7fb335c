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


def alternating_passes(monkeypatch, states):
    """Make every pass of AutoCluster return the state after the one it was given (a cycle)."""
    import numpy as np

    from miner.cluster import AutoCluster, renumber

    def one_pass(self, points, groups, veto=None, previous_run=None):
        if groups is None:
            return states[0].copy()
        at = next(i for i, s in enumerate(states) if np.array_equal(renumber(s), renumber(groups)))
        return states[(at + 1) % len(states)].copy()

    monkeypatch.setattr(AutoCluster, "_one_pass", one_pass)


def test_passes_that_alternate_settle_on_one_state_from_any_start(monkeypatch, caplog):
    """A two-state cycle (one question pruned, then re-attached) is not "unsettled": the fit keeps
    the state with more questions, whichever state it starts from, and warns about nothing."""
    import logging

    import numpy as np

    from miner.cluster import AutoCluster

    more = np.array([0, 0, 0, 1, 1, 1, 1])
    fewer = np.array([0, 0, 0, 1, 1, 1, -1])
    alternating_passes(monkeypatch, [fewer, more])
    points = np.eye(7)
    with caplog.at_level(logging.WARNING, logger="miner.cluster"):
        first = AutoCluster(max_rounds=8).fit(points)
        again = AutoCluster(max_rounds=8).fit(points, groups=first.labels_)
        from_fewer = AutoCluster(max_rounds=8).fit(points, groups=fewer)
    assert np.array_equal(first.labels_, more) and first.rounds_ < 8
    assert np.array_equal(again.labels_, more) and np.array_equal(from_fewer.labels_, more)
    assert not [r for r in caplog.records if "did not settle" in r.getMessage()]


def test_passes_that_never_repeat_still_warn(monkeypatch, caplog):
    import logging

    import numpy as np

    from miner.cluster import AutoCluster

    alternating_passes(monkeypatch, [np.array([0] * (7 - k) + [-1] * k) for k in range(6)])
    with caplog.at_level(logging.WARNING, logger="miner.cluster"):
        AutoCluster(max_rounds=4).fit(np.eye(7))
    assert [r for r in caplog.records if "did not settle" in r.getMessage()]
