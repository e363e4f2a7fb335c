import pytest


@pytest.fixture(autouse=True)
def miner_home(tmp_path_factory, monkeypatch):
    """Every test gets its own secrets folder: nothing touches the real ~/.config/miner."""
    home = tmp_path_factory.mktemp("miner-home")
    monkeypatch.setenv("MINER_HOME", str(home))
    monkeypatch.delenv("MINER_PSEUDONYM_KEY", raising=False)
    return home
