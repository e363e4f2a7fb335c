import json

import pytest
from click.testing import CliRunner

from faqdb import assignment, mined_dev_db
from miner import store
from miner.cli import cli


@pytest.fixture
def db_path(tmp_path):
    return str(mined_dev_db(tmp_path / "m.db"))


def run(*args):
    return CliRunner().invoke(cli, list(args))


def entries(path):
    return [r["id"] for r in store.open_db(path).query("select id from faqs where status = 'active' order by size desc")]


def test_every_faq_subcommand_explains_itself():
    for name in ["list", "rename", "move", "merge", "split", "not-faq"]:
        result = run("faq", name, "--help")
        assert result.exit_code == 0 and len(result.output) > 80, name


def test_list_rename_move_merge_split_not_faq(db_path):
    a, b, c = entries(db_path)[:3]
    listed = run("faq", "list", db_path)
    assert listed.exit_code == 0 and f"#{a}" in listed.output
    assert run("faq", "rename", db_path, str(a), "Darf ich WhatsApp dienstlich nutzen?").exit_code == 0
    db = store.open_db(db_path)
    question = next(db.query("select id from questions where faq_id = ? limit 1", [b]))["id"]
    assert run("faq", "move", db_path, question, str(a)).exit_code == 0
    assert assignment(db)[question] == a
    merged = run("faq", "merge", db_path, str(a), str(b))
    assert merged.exit_code == 0 and f"#{b} in #{a} zusammengelegt" in merged.output
    members = [q for q, f in assignment(db).items() if f == a][:2]
    split = run("faq", "split", db_path, str(a), *members)
    assert split.exit_code == 0 and "in den neuen Eintrag #" in split.output
    assert run("faq", "not-faq", db_path, str(c)).exit_code == 0
    other = next(db.query("select id from questions where faq_id is not null and faq_id != ? limit 1", [c]))["id"]
    assert run("faq", "not-faq", db_path, "--question", other).exit_code == 0
    kinds = [r["kind"] for r in db.query("select kind from corrections order by id")]
    assert kinds == ["rename", "move", "merge", "split", "not_faq", "not_faq_question"]
    shown = run("faq", "list", db_path, "--all").output
    assert "kein FAQ-Eintrag" in shown and "aufgelöst" in shown
    one = run("faq", "list", db_path, "--id", str(a)).output
    assert "Darf ich WhatsApp dienstlich nutzen?" in one and json.loads(db["faqs"].get(b)["successors"]) == [a]


def test_user_mistakes_give_clear_messages(db_path, tmp_path):
    missing = run("faq", "list", str(tmp_path / "nope.db"))
    assert missing.exit_code == 2 and "Keine Datenbank" in missing.output and "Traceback" not in missing.output
    bad = run("faq", "rename", db_path, "9999", "x")
    assert bad.exit_code == 2 and "keinen FAQ-Eintrag #9999" in bad.output
    neither = run("faq", "not-faq", db_path)
    assert neither.exit_code == 2 and "entweder" in neither.output


def test_corrections_record_who_and_answer_in_json(db_path):
    a, b, c = entries(db_path)[:3]
    renamed = run("faq", "rename", db_path, str(a), "Darf ich WhatsApp dienstlich nutzen?", "--by", "anna", "--json")
    assert renamed.exit_code == 0, renamed.output
    assert json.loads(renamed.output) == {"correction": "rename", "faq_id": a,
                                          "title": "Darf ich WhatsApp dienstlich nutzen?", "by": "anna"}
    merged = json.loads(run("faq", "merge", db_path, str(a), str(b), "--by", "bernd", "--json").output)
    assert (merged["correction"], merged["faq_id"], merged["merged"], merged["by"]) == ("merge", a, b, "bernd")
    question = store.open_db(db_path).execute("select id from questions where faq_id = ? limit 1", [c]).fetchone()[0]
    moved = json.loads(run("faq", "move", db_path, question, str(a), "--json", "--by", "carla").output)
    assert moved == {"correction": "move", "question": question, "from": c, "to": a, "by": "carla"}
    hidden = CliRunner().invoke(cli, ["faq", "not-faq", db_path, str(c), "--json"], env={"MINER_EDITOR": "dora"})
    assert json.loads(hidden.output)["by"] == "dora"
    assert run("faq", "rename", db_path, str(a), "Alter Schalter", "--editor", "erik").exit_code == 0  # old spelling
    db = store.open_db(db_path)
    history = [tuple(r) for r in db.execute("select faq_id, event, editor from faq_history where editor is not null order by id")]
    assert history == [(a, "rename", "anna"), (b, "merge", "bernd"), (a, "move", "carla"), (c, "not_faq", "dora"),
                       (a, "rename", "erik")]
    assert [r[0] for r in db.execute("select editor from corrections order by id")] == ["anna", "bernd", "carla", "dora", "erik"]


def test_faq_list_json(db_path):
    listed = run("faq", "list", db_path, "--json")
    rows = json.loads(listed.output)
    assert [r["id"] for r in rows] == entries(db_path)
    assert set(rows[0]) == {"id", "title", "size", "threads", "last_asked", "status", "keywords", "successors"}
    one = json.loads(run("faq", "list", db_path, "--id", str(rows[0]["id"]), "--json").output)
    assert one["id"] == rows[0]["id"] and len(one["questions"]) == rows[0]["size"]
    assert {q["id"] for q in one["questions"]} == {r[0] for r in store.open_db(db_path).execute(
        "select id from questions where faq_id = ?", [rows[0]["id"]])}
