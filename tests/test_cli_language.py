"""Messages, errors and help speak German by default; `miner --lang en` or MINER_LANG=en switches to English."""

import pytest
from click.testing import CliRunner

from miner import i18n, store
from miner.cli import cli
from miner.errors import UsageError


def invoke(*args, env=None):
    result = CliRunner().invoke(cli, [str(a) for a in args], env={"MINER_LANG": None, **(env or {})})
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("how, args, env", [
    ("default", [], None),
    ("global option", ["--lang", "de"], {"MINER_LANG": "en"}),  # the option wins over the environment
])
def test_errors_are_german_by_default(tmp_path, how, args, env):
    missing = tmp_path / "typo.db"
    result = invoke(*args, "mine", missing, env=env)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Fehler: Keine Datenbank unter {missing}: die Datei gibt es nicht.",
        "Geben Sie die Datei an, die `miner scrape DB URL` geschrieben hat (z.B. forum.db), oder führen Sie das "
        "zuerst aus.",
    ]


@pytest.mark.parametrize("how, args, env", [
    ("global option", ["--lang", "en"], None),
    ("environment", [], {"MINER_LANG": "en"}),
])
def test_errors_are_english_on_request(tmp_path, how, args, env):
    missing = tmp_path / "typo.db"
    result = invoke(*args, "mine", missing, env=env)
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"Error: No database at {missing}: the file does not exist.",
        "Give the file `miner scrape DB URL` wrote (e.g. forum.db), or run that first.",
    ]


def test_a_later_run_is_german_again(tmp_path):
    """The language is chosen per run: an English run leaves nothing behind for the next one."""
    missing = tmp_path / "typo.db"
    assert "Error: No database" in invoke("--lang", "en", "queue", missing).output
    assert "Fehler: Keine Datenbank" in invoke("queue", missing).output


def test_usage_errors_of_commands_follow_the_language(tmp_path):
    empty = tmp_path / "empty.db"
    store.open_db(empty).conn.close()
    german = invoke("suggest", empty)
    english = invoke("--lang", "en", "suggest", empty)
    assert german.exit_code == english.exit_code == 2
    assert "Fehler: Bitte entweder eine THREAD_URL oder --text TEXT angeben (genau eins)." in german.output
    assert "Error: Give either a THREAD_URL or --text TEXT (exactly one)." in english.output
    assert "Fehler: Diese Datenbank hat noch keine FAQ-Einträge." in invoke("queue", empty).output
    assert "Error: This database has no FAQ entries yet." in invoke("queue", empty, "--lang", "en").output
    assert "enthält noch keine Beiträge zum Auswerten" in invoke("mine", empty).output
    assert f"{empty} has no posts to mine yet." in invoke("--lang", "en", "mine", empty).output


def test_click_parameter_errors_follow_the_language():
    german = invoke("scrape", "x.db", "http://127.0.0.1:9", "--delay", "inf")
    english = invoke("--lang", "en", "scrape", "x.db", "http://127.0.0.1:9", "--delay", "inf")
    assert german.exit_code == english.exit_code == 2
    assert "'inf' ist keine endliche Zahl von Sekunden." in german.output
    assert "'inf' is not a finite number of seconds." in english.output


def test_help_is_german():
    top = invoke("--help").output
    assert "Macht aus Forenthreads über Messenger eine lebendige FAQ." in top
    assert "Sprache der Meldungen" in top
    scrape = invoke("scrape", "--help").output
    assert "Liest ein Forum in DB ein" in scrape and "Beispiel:" in scrape and "Sekunden zwischen zwei Anfragen" in scrape


def test_bilingual_messages_keep_both_texts():
    message = i18n.both("Der Titel ist leer.", "The title is empty.") + " (#3)"
    assert str(message) == "Der Titel ist leer. (#3)"
    assert i18n.localized(message, "en") == "The title is empty. (#3)"
    assert i18n.localized(message, "de") == "Der Titel ist leer. (#3)"
    assert i18n.localized("nur Deutsch", "en") == "nur Deutsch"
    error = UsageError(message, hint=i18n.both("Titel angeben.", "Give a title."))
    assert (error.text("de"), error.hint_text("de")) == ("Der Titel ist leer. (#3)", "Titel angeben.")
    assert (error.text("en"), error.hint_text("en")) == ("The title is empty. (#3)", "Give a title.")


def test_one_catalogue_for_pages_moderators_and_export():
    """The moderators' terminal words and the export's words live in miner.i18n like the pages' texts."""
    from miner import moderation_text
    from miner.export.words import word

    assert moderation_text.say("reply_with", "de", faq_id=4) == i18n.text("mod.reply_with", "de", faq_id=4) \
        == "Antwort mit FAQ 4 (zum Kopieren):"
    assert moderation_text.say("reply_with", "en", faq_id=4) == "Reply with FAQ 4 (copy and paste):"
    assert word("entries", "de", count=1) == "1 Eintrag" and word("entries", "en", count=2) == "2 entries"


def test_mine_help_names_the_smallest_entry_the_faq_step_uses():
    from miner.faqs import MIN_SIZE

    text = " ".join(invoke("mine", "--help").output.split())
    assert f"[default: {MIN_SIZE};" in text and "selten gefragte Themen" in text
