"""The hand-written dev set (tests/data/questions_dev): its size and the figures, with a margin."""

import questions_devset


def test_dev_set_is_big_enough_and_varied():
    sentences = questions_devset.load_sentences()
    threads = questions_devset.load_threads()
    assert len(sentences) >= 400 and len(threads) >= 40
    categories = {row["category"] for row in sentences}
    assert {"question", "noquestionmark", "numbered", "statement", "greeting", "signature", "quote",
            "rhetorical", "abbrev"} <= categories
    assert {row["label"] for row in sentences} == {"Q", "N"}
    assert {t["label"] for t in threads} == {"on", "off"}
    assert sum(len(t["gold"]) for t in threads) >= 80
    assert any(post["quoted"] for t in threads for post in t["posts"])


def test_dev_set_figures():
    figures = questions_devset.evaluate()
    # targets: precision >= 0.95, recall >= 0.90; measured well above (see bench_questions.py)
    assert figures["precision"] >= 0.95, figures["sentence_errors"] + figures["thread_false_positives"]
    assert figures["recall"] >= 0.92, figures["sentence_errors"] + figures["thread_misses"]
    assert figures["thread_precision"] >= 0.95 and figures["thread_recall"] >= 0.92
    assert figures["off_topic_to_faq"] <= 0.05
