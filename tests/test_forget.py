"""The pure parts of `miner forget`: quote surgery, which posts go, FAQ re-counting, erased authors."""

from miner import entries, forget
from miner import scrub as f
from miner import store
from miner.keys import erasure_key

ME = "user-aaaaaaaaaa"
OTHER = "user-bbbbbbbbbb"
MINE = "Bei uns läuft alles über den Schulmessenger mit eigenem Server."


def test_attributed_quote_and_mention_are_removed_from_html():
    html = (f'<aside class="quote no-group" data-username="{ME}" data-post="3"><div class="title">'
            f'<img src="/user_avatar/f/{ME}/48/1.png"> {ME}:</div><blockquote><p>kurz</p></blockquote></aside>'
            f'<p>Stimmt, <a class="mention" href="/u/{ME}">@{ME}</a> hat recht.</p>')
    out, removed = f.strip_quotes_html(html, ME, [], [])
    assert removed == ["kurz"]
    assert out == "<p>Stimmt, @[gelöscht] hat recht.</p>"


def test_unattributed_and_partial_quotes_of_their_words_are_removed():
    fragments = f.distinctive_fragments([MINE + " Danke!"])
    assert fragments == [MINE]  # "Danke!" is too short to be anybody's own words
    own = [f.normalize(MINE)]
    html = ("<blockquote><p>Bei uns läuft alles über den\nSchulmessenger</p></blockquote><p>Meine Antwort.</p>"
            f'<aside class="quote" data-username="{OTHER}"><blockquote><p>Etwas ganz anderes hier.</p></blockquote></aside>')
    out, removed = f.strip_quotes_html(html, ME, fragments, own)
    assert len(removed) == 1
    assert "Schulmessenger" not in out and "Meine Antwort." in out and "Etwas ganz anderes hier." in out


def test_html_without_their_traces_is_returned_unchanged():
    html = "<p>Hallo   <b>Welt</b></p><blockquote>Zitat von jemand anderem hier</blockquote>"
    assert f.strip_quotes_html(html, ME, [MINE], [MINE]) == (html, [])


def test_quoted_text_lines_of_them_are_dropped():
    quoted = f"{MINE}\n\nEin Zitat von jemand anderem, das bleibt.\n{ME} schrieb: kurz"
    out, dropped = f.strip_quoted_text(quoted, ME, [MINE], [MINE])
    assert (out, dropped) == ("Ein Zitat von jemand anderem, das bleibt.", 2)


def test_posts_to_remove_keeps_placeholders_only_where_needed():
    posts = [
        {"id": "1", "post_number": 1, "author": ME, "reply_to_post_number": None, "text": "a"},
        {"id": "2", "post_number": 2, "author": OTHER, "reply_to_post_number": 1, "text": "b"},
        {"id": "3", "post_number": 3, "author": ME, "reply_to_post_number": None, "text": "c"},
        {"id": "4", "post_number": 4, "author": ME, "reply_to_post_number": None, "text": "d"},
        {"id": "5", "post_number": 5, "author": OTHER, "reply_to_post_number": 4, "text": "e"},
    ]
    assert f.posts_to_remove(posts, ME) == (["3"], ["1", "4"])
    alone = [p for p in posts if p["author"] == ME] + [
        {"id": "9", "post_number": 9, "author": None, "reply_to_post_number": 1, "text": "[gelöscht]"}]
    assert f.posts_to_remove(alone, ME) == (["1", "3", "4"], [])


def test_url_without_slug():
    assert f.url_without_slug("https://f.example/t/darf-ich-whatsapp/123") == "https://f.example/t/123"
    assert f.url_without_slug("https://f.example/t/123") == "https://f.example/t/123"


def test_recount_faq_retires_an_empty_entry_and_keeps_editor_titles():
    faq = {"id": 1, "title": "Darf ich?", "medoid_question": "q1", "title_by_editor": 0}
    assert forget.recount_faq(faq, [], {"q1": "Darf ich?"}) == {
        "size": 0, "threads": 0, "first_asked": None, "last_asked": None, "medoid_question": None,
        "title": "[gelöscht]", "status": "retired"}
    edited = {**faq, "title": "Von Hand", "title_by_editor": 1}
    remaining = [{"id": "q2", "text": "Wie?", "thread": "t", "asked_at": "2024-05-01", "faq_similarity": 0.4},
                 {"id": "q3", "text": "Was?", "thread": "u", "asked_at": "2024-03-01", "faq_similarity": 0.9}]
    assert forget.recount_faq(edited, remaining, {"q1": "Darf ich?"}) == {
        "size": 2, "threads": 2, "first_asked": "2024-03-01", "last_asked": "2024-05-01", "medoid_question": "q3"}
    assert entries.month_counts(remaining) == {"2024-05": 1, "2024-03": 1}


def test_erased_people_latest_decision_per_scope_wins(tmp_path):
    db = store.open_db(tmp_path / "e.db")
    key = b"k" * 32
    with db.conn:
        store.save_erasure(db, {"person": erasure_key(ME, key), "forum": None, "allow_return": 0})
        store.save_erasure(db, {"person": erasure_key(OTHER, key), "forum": "a.example", "allow_return": 0})
        store.save_erasure(db, {"person": erasure_key(OTHER, key), "forum": "a.example", "allow_return": 1})
        store.save_erasure(db, {"author": "user-cccccccccc", "forum": "b.example", "allow_return": 0})  # old format

    def blocked(forum=None):
        erased = store.erased_people(db, key, forum)
        return {p for p in (ME, OTHER, "user-cccccccccc", "user-dddddddddd") if p in erased}

    assert blocked() == {ME, "user-cccccccccc"}
    assert blocked("a.example") == {ME}
    assert blocked("b.example") == {ME, "user-cccccccccc"}
    # the old row now holds the keyed hash only: nothing in the table joins to a pseudonym
    assert [tuple(r) for r in db.execute("select author, person from erasures where id = 4")] == [
        (None, erasure_key("user-cccccccccc", key))]
    assert "user-" not in " ".join(str(r) for r in db.execute("select * from erasures").fetchall())
    assert "user-cccccccccc" not in store.erased_people(db, b"another key", "b.example")


def test_fts_triggers_follow_deletes_and_updates(tmp_path):
    """The FTS index follows row changes through triggers even before `compact` rebuilds it."""
    db = store.open_db(tmp_path / "fts.db")
    with db.conn:
        store.save_rows(db, "posts", [{"id": "p1", "text": "Schulmessenger eins"}, {"id": "p2", "text": "Schulmessenger zwei"}])
    with db.conn:
        store.delete_rows(db, "posts", "id", ["p1"])
        store.update_row(db, "posts", "p2", {"text": "[gelöscht]"})
    assert list(db.query("select rowid from posts_fts where posts_fts match 'Schulmessenger'")) == []


def test_prune_keywords_drops_only_terms_nobody_else_uses():
    own = ["Unser Zebrafinkenprotokoll und WhatsApp"]
    remaining = ["Ist WhatsApp erlaubt?"]
    assert forget.prune_keywords("whatsapp, zebrafinkenprotokoll, eltern", remaining, own) == "whatsapp, eltern"
    assert forget.prune_keywords('["whatsapp", "zebrafinken"]', remaining, own) == '["whatsapp"]'
    assert forget.prune_keywords("whatsapp;eltern", remaining, own) == "whatsapp;eltern"
    assert forget.prune_keywords(None, remaining, own) is None
    assert forget.prune_keywords("zebrafinken, whatsapp", [], own, lambda t: t == "whatsapp") == "whatsapp"


def test_scrub_post_for_the_scraper_save_path():
    html = (f'<aside class="quote" data-username="{ME}"><div class="title">{ME}:</div>'
            f"<blockquote><p>{MINE}</p></blockquote></aside><p>Bei uns nicht. Frag @{OTHER}.</p>")
    other = {"id": "f:2", "author": OTHER, "text": f"Bei uns nicht. Frag @{ME}.", "quoted": MINE, "html": html}
    out = f.scrub_post(other, {ME})
    assert out["quoted"] == "" and ME not in out["html"] and "Schulmessenger" not in out["html"]
    assert out["text"] == "Bei uns nicht. Frag @[gelöscht]." and "Bei uns nicht." in out["html"]
    own = {"id": "f:1", "author": ME, "text": MINE, "quoted": "", "html": f"<p>{MINE}</p>", "masked": 1}
    assert f.scrub_post(own, {ME}) == {"id": "f:1", "author": None, "text": "[gelöscht]", "quoted": "", "html": "",
                                       "masked": 0}
    assert f.scrub_post(other, set()) is other and f.scrub_post(other, {"user-cccccccccc"}) == other
    thread = {"id": "f:9", "starter": ME, "title": "Mein Titel", "slug": "mein-titel", "url": "https://f/t/mein-titel/9"}
    assert f.scrub_thread(thread, {ME}) == {"id": "f:9", "starter": None, "title": "[gelöscht]", "slug": None,
                                            "url": "https://f/t/9"}
    assert f.scrub_thread(thread, {OTHER}) is thread


def test_quote_attributed_to_someone_else_stays_even_with_the_same_words():
    html = (f'<aside class="quote" data-username="{OTHER}"><blockquote><p>{MINE}</p></blockquote></aside>'
            f"<blockquote><p>{MINE}</p></blockquote><p>Eigene Worte.</p>")
    post = {"text": "Eigene Worte.", "quoted": f"{MINE}\n\n{MINE}", "html": html}
    changes, quotes = f.clean_other_post(post, ME, [MINE], [MINE])
    assert quotes == 1  # only the unattributed copy
    assert changes["html"].count("Schulmessenger") == 1 and OTHER in changes["html"]
    assert "text" not in changes


def test_same_sentence_written_by_someone_else_is_not_erased(tmp_path):
    """Only the person's own rows and quotes of them go: identical words of others stay."""
    db = store.open_db(tmp_path / "same.db")
    question = "Darf ich WhatsApp für die Kommunikation mit Eltern nutzen?"
    with db.conn:
        store.save_rows(db, "threads", [{"id": "f:1", "forum": "f", "starter": ME}, {"id": "f:2", "forum": "f", "starter": OTHER}])
        store.save_rows(db, "posts", [
            {"id": "f:11", "forum": "f", "thread": "f:1", "post_number": 1, "author": ME, "text": question,
             "html": f"<p>{question}</p>", "quoted": ""},
            {"id": "f:21", "forum": "f", "thread": "f:2", "post_number": 1, "author": OTHER, "text": question,
             "html": f"<p>{question}</p>", "quoted": ""},
        ])
        store.save_rows(db, "faqs", [{"id": 1, "title": question, "size": 2, "threads": 2, "medoid_question": "q11"}])
        store.save_rows(db, "questions", [
            {"id": "q11", "thread": "f:1", "post": "f:11", "text": question, "faq_id": 1, "asked_at": "2024-01-01"},
            {"id": "q21", "thread": "f:2", "post": "f:21", "text": question, "faq_id": 1, "asked_at": "2024-02-01"},
        ])
        store.EmbeddingCache(db).put_many({"k1": b"\0" * 1536})  # a vector `mine --semantic` kept
    result = forget.erase(db, forget.plan_erasure(db, ME))
    assert (result["posts"], result["questions"], result["threads"], result["residue"]) == (1, 1, 1, {})
    assert db["embeddings"].count == 0  # derived from the erased texts too
    assert db["posts"].get("f:21")["text"] == question
    assert [q["id"] for q in db.query("select id from questions")] == ["q21"]
    faq = db["faqs"].get(1)
    assert (faq["size"], faq["threads"], faq["title"], faq["medoid_question"]) == (1, 1, question, "q21")


def test_title_question_of_a_kept_thread_goes_with_the_title(tmp_path):
    db = store.open_db(tmp_path / "title.db")
    with db.conn:
        store.save_rows(db, "threads", [{"id": "f:3", "forum": "f", "starter": ME, "title": "Mein Titel?",
                                         "url": "https://f/t/mein-titel/3"}])
        store.save_rows(db, "posts", [{"id": "f:32", "forum": "f", "thread": "f:3", "post_number": 2,
                                       "author": OTHER, "text": "Welche Lizenz habt ihr?", "html": "", "quoted": ""}])
        store.save_rows(db, "questions", [
            {"id": "qt", "thread": "f:3", "post": None, "position": -1, "text": "Mein Titel?"},
            {"id": "q32", "thread": "f:3", "post": "f:32", "position": 0, "text": "Welche Lizenz habt ihr?"},
        ])
    plan = forget.plan_erasure(db, ME)
    assert (plan.posts, plan.started_threads, [q["id"] for q in plan.questions]) == (0, ["f:3"], ["qt"])
    forget.erase(db, plan)
    assert [q["id"] for q in db.query("select id from questions")] == ["q32"]
    assert db["threads"].get("f:3")["title"] == "[gelöscht]"
