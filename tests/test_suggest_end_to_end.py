"""`suggest` with the real parts (scraper, question extraction, FAQ step, matcher) on a replayed forum."""

import forumgen
from miner import moderator_actions, store
from miner.faqs import update_faqs
from miner.mining import extract_questions_into
from miner.replay import ReplayServer
from miner.scrape import scrape_forum


def test_suggest_fetches_the_thread_and_ranks_real_entries(tmp_path):
    snapshot = tmp_path / "snapshot"
    forumgen.write_forum(snapshot, threads=30, seed=7, sizes=[1 + i % 6 for i in range(30)])
    db = store.open_db(tmp_path / "forum.db")
    with ReplayServer(snapshot) as server:
        scrape_forum(db, server.url, delay=0, progress=False)
        extract_questions_into(db)
        update_faqs(db, min_size=3, seed=0)
        faq_ids = [r["id"] for r in db.query("select id from faqs where status = 'active'")]
        assert faq_ids, "the generated forum should give FAQ entries"
        with db.conn:
            store.save_rows(db, "answers", [{"id": 1, "faq_id": faq_ids[0], "body": "Kurze Antwort.",
                                             "status": "published", "created_at": store.now()}])
        thread = next(iter(db.query("select * from threads where relevant = 1 order by topic_id")))
        server.request_log.clear()
        result = moderator_actions.suggest_for_thread(db, f"{server.url}/t/irgendwas/{thread['topic_id']}",
                                                      top=3, faq_url="https://faq.example.org/faq", delay=0)
        assert any(f"/t/{thread['topic_id']}" in path for path in server.request_log)
    assert result["source"]["thread"] == thread["id"]
    assert result["source"]["questions"]
    assert 1 <= len(result["suggestions"]) <= 3
    scores = [s["score"] for s in result["suggestions"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    for s in result["suggestions"]:
        assert s["faq_id"] in faq_ids
        assert s["faq_page_url"] == f"https://faq.example.org/faq/{s['faq_id']}"
        assert s["reply"].startswith("Hallo,")
