"""A forum described by a YAML profile of CSS selectors, read like an engine's."""

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from forumgen import write_forum
from miner import store
from miner.cli import cli
from miner.replay_phpbb import PhpbbReplayServer
from miner.sources.profile import ProfileError, load_profile

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "profile-example.yml"


@pytest.fixture
def forum(tmp_path):
    info = write_forum(tmp_path / "snapshot", threads=30, seed=5, pinned=1, max_posts=40, long_max=30)
    return tmp_path / "snapshot", info


def scrape(tmp_path, server, profile, *extra):
    return CliRunner().invoke(cli, ["scrape", str(tmp_path / "f.db"), server.url, "--delay", "0", "--quiet",
                                    "--profile", str(profile), *extra])


def test_the_documented_example_profile_reads_a_phpbb_board(tmp_path, forum):
    directory, info = forum
    with PhpbbReplayServer(directory) as server:
        result = scrape(tmp_path, server, EXAMPLE)
        assert result.exit_code == 0, result.output
        before = len(server.request_log)
        again = scrape(tmp_path, server, EXAMPLE)
        assert again.exit_code == 0 and not [p for p in server.request_log[before:] if "viewtopic" in p]
    db = store.open_db(tmp_path / "f.db")
    assert db.execute("select count(*), count(distinct post_id) from posts").fetchone() == (info["posts"],) * 2
    assert dict(db.execute("select topic_id, posts_count from threads").fetchall()) == info["sizes"]
    assert db.execute("select engine from forums").fetchone() == ("profile",)
    assert db.execute("select count(*) from posts where created_at is null or author is null").fetchone() == (0,)
    quoted = db.execute("select quoted, html from posts where quoted != '' limit 1").fetchone()
    assert quoted[0].startswith("Zitat aus Beitrag") and 'data-username="user-' in quoted[1]
    assert db.execute("select count(*) from posts where text like '%Viele Grüße aus dem Lehrerzimmer%'").fetchone() == (0,)


def edited(tmp_path, **changes) -> Path:
    config = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        config[section][key] = value
    path = tmp_path / "forum.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_a_selector_that_matches_nothing_is_named(tmp_path, forum):
    directory, _ = forum
    with PhpbbReplayServer(directory) as server:
        rows = scrape(tmp_path, server, edited(tmp_path, topics__row="li.thread", boards__link="a.board"))
        assert rows.exit_code == 2
        assert "selector topics.row ('li.thread') matched nothing" in rows.output and "forum.yml" in rows.output
        assert not (tmp_path / "f.db").exists()  # refused on the start page, before anything was written
        posts = scrape(tmp_path, server, edited(tmp_path, thread__post="article.message"))
        assert posts.exit_code == 2 and "selector thread.post ('article.message') matched nothing" in posts.output
        assert "/viewtopic.php?t=" in posts.output


def test_broken_profiles_are_refused_with_what_to_fix(tmp_path):
    bad_yaml = tmp_path / "a.yml"
    bad_yaml.write_text("topics: [unclosed\n")
    with pytest.raises(ProfileError, match=r"kein gültiges YAML \(Zeile 2\)"):
        load_profile(bad_yaml)
    missing = tmp_path / "b.yml"
    missing.write_text("topics:\n  row: li\n  link: a\nthread:\n  id: 't=(\\d+)'\n  title: h2\n  post: div.post\n")
    with pytest.raises(ProfileError, match=r"thread.body fehlt"):
        load_profile(missing)
    unknown = tmp_path / "c.yml"
    shutil.copy(EXAMPLE, unknown)
    unknown.write_text(unknown.read_text() + "pagination: x\n")
    with pytest.raises(ProfileError, match="unbekannte Schlüssel: pagination"):
        load_profile(unknown)
    both = CliRunner().invoke(cli, ["scrape", str(tmp_path / "x.db"), "http://127.0.0.1:9", "--engine", "phpbb",
                                    "--profile", str(EXAMPLE)])
    assert both.exit_code == 2 and "entweder --engine oder --profile" in both.output
    assert not (tmp_path / "x.db").exists()
