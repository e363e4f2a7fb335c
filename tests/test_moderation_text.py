"""Pure moderator helpers: merged rankings, excerpts, the reply text, the --json shape."""


from miner import moderation_text


def test_faq_page_url():
    assert moderation_text.faq_page_url("https://faq.example.org/faq", 12) == "https://faq.example.org/faq/12"
    assert moderation_text.faq_page_url("https://faq.example.org/faq/#old", 3) == "https://faq.example.org/faq/3"
    assert moderation_text.faq_page_url("", 5) == "http://127.0.0.1:8001/faq/5"


def test_combine_rankings_keeps_each_entry_best_score_and_all_shared_terms():
    merged = moderation_text.combine_rankings([
        [{"faq_id": 1, "title": "A", "score": 0.4, "shared_terms": ["signal"]},
         {"faq_id": 2, "title": "B", "score": 0.3, "shared_terms": ["threema"]}],
        [{"faq_id": 2, "title": "B", "score": 0.9, "shared_terms": ["lizenz", "threema"]},
         {"faq_id": 3, "title": "C", "score": 0.1, "shared_terms": []}],
    ], top=2)
    assert [(h["faq_id"], h["score"]) for h in merged] == [(2, 0.9), (1, 0.4)]
    assert merged[0]["shared_terms"] == ["lizenz", "threema"]


def test_answer_excerpt_keeps_markdown_structure_and_cuts_at_a_word():
    body = ("## Kurz\n\n**Ja**, mit [Einwilligung](https://x.example/e).\n\n\n- erstens\n- zweitens\n\n"
            "<script>x</script>```\ncode\n```\n" + "Sehr lange Erklärung " * 40)
    excerpt = moderation_text.answer_excerpt(body, limit=80)
    assert excerpt.split("\n")[:7] == ["**Kurz**", "", "**Ja**, mit [Einwilligung](https://x.example/e).", "",
                                        "- erstens", "- zweitens", ""]
    last = excerpt.split("\n")[-1]
    assert last.startswith("Sehr lange") and last.endswith(" …")
    assert len(moderation_text.markdown_to_plain(excerpt)) <= 82
    assert "script" not in excerpt and "code" not in excerpt
    # a list item that does not fit keeps its marker; the cut text has no open link or emphasis
    cut = moderation_text.answer_excerpt("1. [Link](https://a.example) und **sehr** " + "viel Text " * 30, limit=40)
    assert cut.startswith("1. Link und sehr viel") and cut.endswith(" …") and "**" not in cut
    assert moderation_text.answer_excerpt("Kurz.") == "Kurz."
    assert moderation_text.answer_excerpt(None) == ""


def test_reply_quotes_every_line_of_a_structured_excerpt():
    text = moderation_text.reply_markdown("T", "Ja:\n\n- erstens\n- zweitens", "https://f/faq/2")
    assert "> Ja:\n>\n> - erstens\n> - zweitens\n\n" in text


def test_reply_markdown_is_the_exact_polite_german_text():
    text = moderation_text.reply_markdown("Signal [dienstlich]?", "Ja, fragen Sie @leitung oder a@b.de.",
                                   "https://faq.example.org/faq/1")
    assert text == (
        "Hallo,\n\n"
        "vielen Dank für die Frage! Dazu gibt es bereits einen Eintrag in unserer FAQ:\n\n"
        "**[Signal \\[dienstlich\\]?](https://faq.example.org/faq/1)**\n\n"
        "> Ja, fragen Sie @\u200bleitung oder a@b.de.\n\n"
        "Die vollständige Antwort steht hier: https://faq.example.org/faq/1\n\n"
        "Falls damit noch etwas offen bleibt, gerne hier im Thema nachfragen.\n\n"
        "Viele Grüße\n"
    )


def test_reply_without_an_answer_only_links_the_entry():
    text = moderation_text.reply_markdown("Titel", "", "https://f/faq/2")
    assert ">" not in text.replace("](", "")
    assert text.count("https://f/faq/2") == 2


def test_suggestion_result_shape():
    result = moderation_text.suggestion_result(
        {"kind": "text", "text": "Signal?"},
        [{"faq_id": 1, "title": "medoid", "score": 0.87654, "shared_terms": ["signal"]},
         {"faq_id": 2, "title": "Zwei", "score": 0.2, "shared_terms": []}],
        faqs={1: {"id": 1, "title": "Signal dienstlich?"}},
        answers={1: {"status": "published", "body": "Ja."}, 2: {"status": "draft", "body": "Entwurf"}},
        faq_url="https://faq.example.org/faq",
    )
    assert set(result) == {"source", "faq_url", "suggestions"}
    first, second = result["suggestions"]
    assert set(first) == {"rank", "faq_id", "title", "score", "shared_terms", "reason", "answer_status",
                          "answer_excerpt", "faq_page_url", "reply", "fits"}
    assert first["fits"] and second["fits"]  # a ranker without a gate: every entry fits
    assert (first["rank"], first["faq_id"], first["title"], first["score"]) == (1, 1, "Signal dienstlich?", 0.877)
    assert first["reason"] == "gemeinsame Begriffe: signal"
    assert moderation_text.reason_text(["signal"], lang="en") == "shared terms: signal"
    assert moderation_text.reason_text([]) == "ähnliche Formulierung (kein einzelner gemeinsamer Begriff)"
    assert first["faq_page_url"] == "https://faq.example.org/faq/1"
    assert "> Ja." in first["reply"]
    # a draft is shown to the moderator but never quoted in the reply
    assert second["answer_status"] == "draft" and second["answer_excerpt"] == "Entwurf"
    assert "Entwurf" not in second["reply"]
    assert second["title"] == "Zwei"


def test_asked_questions_prefer_the_starters():
    from miner.app.moderation import asked_questions

    rows = [{"text": "Welches Bundesland?", "in_first_post": 0, "asked_by_starter": 0, "kind": "explicit"},
            {"text": "Signal erlaubt?", "in_first_post": 0, "asked_by_starter": 0, "kind": "title"},
            {"text": "Und Threema?", "in_first_post": 1, "asked_by_starter": 1, "kind": "explicit"}]
    assert asked_questions(rows) == ["Signal erlaubt?", "Und Threema?"]
    assert asked_questions(rows[:1]) == ["Welches Bundesland?"]


def test_texts_to_rank_adds_the_questions_of_a_longer_text():
    assert moderation_text.texts_to_rank("Darf ich Signal nutzen?") == ["Darf ich Signal nutzen?"]
    mail = "Liebe Kollegen, kurze Frage. Darf ich Signal dienstlich nutzen? Und wie ist es mit Threema Work?\nDanke"
    assert moderation_text.texts_to_rank(mail) == [mail, "Darf ich Signal dienstlich nutzen?", "Und wie ist es mit Threema Work?"]
    assert moderation_text.texts_to_rank("  ") == []


def test_reply_link_text_escapes_html_of_a_mined_title():
    text = moderation_text.reply_markdown("Signal <img src=x onerror=alert(1)>?", "", "https://f/faq/2")
    assert "**[Signal \\<img src=x onerror=alert(1)\\>?](https://f/faq/2)**" in text


def test_a_weak_match_gets_no_reply_to_copy():
    """Entries the matcher says do not fit are shown for orientation, never offered as the answer."""
    hits = moderation_text.combine_rankings([
        [{"faq_id": 1, "title": "Drucker?", "score": 0.4, "shared_terms": [], "fits": False}],
        [{"faq_id": 1, "title": "Drucker?", "score": 0.3, "shared_terms": [], "fits": False},
         {"faq_id": 2, "title": "Signal?", "score": 0.2, "shared_terms": [], "fits": False}],
    ])
    assert [(h["faq_id"], h["fits"]) for h in hits] == [(1, False), (2, False)]
    result = moderation_text.suggestion_result({"kind": "text", "text": "Der Drucker druckt nicht."}, hits, faqs={},
                                               answers={}, faq_url="https://faq.example.org/faq")
    assert [s["fits"] for s in result["suggestions"]] == [False, False]
    text = moderation_text.format_suggestions(result)
    assert "Kein FAQ-Eintrag passt gut genug" in text and "[FAQ 1]" in text
    assert "Hallo," not in text and "zum Kopieren):" not in text
    assert "No FAQ entry fits well enough" in moderation_text.format_suggestions(result, lang="en")
    # one of a thread's questions fitting is enough; the reply is the best fitting entry's
    mixed = moderation_text.combine_rankings([
        [{"faq_id": 1, "title": "Drucker?", "score": 0.4, "shared_terms": [], "fits": False}],
        [{"faq_id": 2, "title": "Signal?", "score": 0.35, "shared_terms": ["signal"], "fits": True}],
    ])
    text = moderation_text.format_suggestions(moderation_text.suggestion_result(
        {"kind": "text", "text": "x"}, mixed, faqs={}, answers={}, faq_url="https://faq.example.org/faq"))
    assert "Antwort mit FAQ 2" in text and "(passt nicht gut genug)" in text and "Kein FAQ-Eintrag passt gut" not in text
