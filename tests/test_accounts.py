"""Accounts: hashes from env or a 0600 file, roles on actors, a stable cookie secret."""

import os
import stat

import pytest
from click.testing import CliRunner
from datasette_auth_passwords.utils import verify_password

from miner import accounts
from miner.cli import cli
from miner.errors import UsageError


def test_hash_password_command_prints_a_verifiable_hash():
    result = CliRunner().invoke(cli, ["hash-password", "--password", "geheim-123"])
    assert result.exit_code == 0
    printed = result.output.strip()
    assert printed.startswith("pbkdf2_sha256$480000$") and "geheim-123" not in printed
    assert verify_password("geheim-123", printed) and not verify_password("falsch", printed)


def test_accounts_from_env_win_over_file(monkeypatch, miner_home):
    h = accounts.hash_password("pw", iterations=1000)
    (miner_home / "accounts").write_text(f"filed editor {h}\n")
    os.chmod(miner_home / "accounts", 0o600)
    assert [a.actor for a in accounts.load_accounts()] == [{"id": "filed", "roles": ["editor"]}]
    monkeypatch.setenv("MINER_ACCOUNTS", f"anna editor,moderator {h}; bob moderator {h}")
    assert [a.actor for a in accounts.load_accounts()] == [
        {"id": "anna", "roles": ["editor", "moderator"]},
        {"id": "bob", "roles": ["moderator"]},
    ]


def test_readable_accounts_file_and_bad_lines_are_refused(monkeypatch, miner_home):
    h = accounts.hash_password("pw", iterations=1000)
    path = miner_home / "accounts"
    path.write_text(f"# comment\nanna editor {h}\n")
    os.chmod(path, 0o644)
    with pytest.raises(UsageError, match="für andere Benutzer lesbar oder schreibbar") as refused:
        accounts.load_accounts()
    assert "chmod 600" in refused.value.hint
    monkeypatch.setenv("MINER_ACCOUNTS", f"anna admin {h}")
    with pytest.raises(UsageError, match="ist ungültig"):
        accounts.load_accounts()
    monkeypatch.setenv("MINER_ACCOUNTS", "anna editor")
    with pytest.raises(UsageError, match="name rolle hash"):
        accounts.load_accounts()


def test_datasette_secret_is_stable_and_private(monkeypatch, miner_home):
    monkeypatch.delenv("DATASETTE_SECRET", raising=False)
    first = accounts.datasette_secret()
    assert first == accounts.datasette_secret() and len(first) == 64
    assert stat.S_IMODE((miner_home / "datasette.secret").stat().st_mode) == 0o600
    monkeypatch.setenv("DATASETTE_SECRET", "from-env")
    assert accounts.datasette_secret() == "from-env"
