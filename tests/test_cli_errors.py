"""Bad inputs get a one-line error with a hint and a non-zero exit code, never a traceback."""

import socket

import pytest
from click.testing import CliRunner

from miner import store
from miner.cli import cli


def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output and not isinstance(result.exception, (TypeError, AttributeError))
    return result


@pytest.mark.parametrize("command", [["mine", "DB"], ["faq", "list", "DB"], ["suggest", "DB", "--text", "Signal?"],
                                     ["queue", "DB"], ["forget", "DB", "someone", "-y"],
                                     ["link", "DB", "https://f.example/t/x/1", "1"]])
def test_a_text_file_given_as_database(tmp_path, command):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 20)
    result = invoke(*[text if a == "DB" else a for a in command])
    assert result.exit_code == 2
    assert f"Fehler: {text} ist keine miner-Datenbank" in result.output
    assert text.read_text() == "not a database\n" * 20


@pytest.mark.parametrize("command", [["mine"], ["queue"], ["suggest", "--text", "x"]])
def test_a_missing_database_is_not_created(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = invoke(command[0], missing, *command[1:])
    assert result.exit_code == 2 and f"Keine Datenbank unter {missing}: die Datei gibt es nicht." in result.output
    assert not missing.exists()


def test_faq_list_on_an_unmined_database(tmp_path):
    path = tmp_path / "scraped.db"
    store.open_db(path).conn.close()
    result = invoke("faq", "list", path)
    assert result.exit_code == 2 and "hat noch keine FAQ-Einträge" in result.output and "miner mine" in result.output


@pytest.mark.parametrize("command, message", [(["mine"], "enthält noch keine Beiträge zum Auswerten"),
                                              (["queue"], "Diese Datenbank hat noch keine FAQ-Einträge.")])
def test_steps_run_out_of_order_say_what_comes_first(tmp_path, command, message):
    path = tmp_path / "empty.db"
    store.open_db(path).conn.close()
    result = invoke(command[0], path, *command[1:])
    assert result.exit_code == 2 and message in result.output


def test_a_database_in_a_missing_folder(tmp_path):
    result = invoke("demo", "--no-serve", "--quiet", "--db", tmp_path / "no" / "such" / "demo.db")
    assert result.exit_code == 2 and "lässt sich nicht öffnen" in result.output and "Ordner existiert" in result.output


def test_suggest_with_empty_text(tmp_path):
    path = tmp_path / "scraped.db"
    store.open_db(path).conn.close()
    result = invoke("suggest", path, "--text", "")
    assert result.exit_code == 2 and "Der zuzuordnende Text ist leer." in result.output


def test_suggest_with_a_question_where_the_thread_address_belongs(tmp_path):
    path = tmp_path / "scraped.db"
    store.open_db(path).conn.close()
    before = path.read_bytes()
    result = invoke("suggest", path, "Darf ich Signal dienstlich nutzen?")
    assert result.exit_code == 2 and "ist keine Thread-Adresse, sondern Text." in result.output
    assert "miner suggest DB --text" in result.output
    assert path.read_bytes() == before  # refused before the database is opened for writing


def test_serve_and_demo_on_a_port_in_use(tmp_path):
    from publish_db import build_db  # a small mined database

    path = build_db(tmp_path / "pub.db")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        served = invoke("serve", path, "--port", port)
        demo = invoke("demo", "--db", tmp_path / "demo.db", "--port", port, "--quiet")
    for result in (served, demo):
        assert result.exit_code == 2
        assert f"Fehler: Auf 127.0.0.1:{port} kann nicht gelauscht werden: Address already in use." in result.output
    assert not (tmp_path / "demo.db").exists()  # refused before building


def test_scrape_of_a_site_that_is_not_discourse_leaves_no_database(tmp_path, httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/about.json").respond_with_data("Not Found", status=404)  # a plain web server
    path = tmp_path / "new.db"
    result = invoke("scrape", path, httpserver.url_for("/").rstrip("/"), "--delay", "0", "--quiet")
    assert result.exit_code == 2 and "antwortet nicht wie ein Discourse-Forum" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_website_answering_html_is_not_discourse_and_is_told_quickly(tmp_path, httpserver):
    page = "<!DOCTYPE html><html><body><h1>Schulhomepage</h1></body></html>"
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/about.json").respond_with_data(page, content_type="text/html")
    result = invoke("scrape", tmp_path / "new.db", httpserver.url_for("/").rstrip("/"), "--delay", "0", "--quiet")
    assert result.exit_code == 2 and "antwortet nicht wie ein Discourse-Forum" in result.output
    assert len([r for r, _ in httpserver.log if r.path == "/about.json"]) == 2  # one retry, not the full backoff


def _commands(group, prefix=()):
    import click

    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("command", list(_commands(cli)), ids=" ".join)
def test_every_command_help_has_an_example(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0 and "Beispiel" in result.output
