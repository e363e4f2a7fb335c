"""Real names written in posts (greetings, signatures, display names) are replaced (miner.names + parse)."""

import pytest

from miner import names, parse
from miner.keys import Pseudonymizer
from miner.sentences import split_sentences

PSEUDO = Pseudonymizer(b"test-key")


def topic(*posts):
    """A /t/{id}.json-shaped topic whose posts are (username, display name, cooked)."""
    return {"id": 7, "title": "Frage", "slug": "frage", "posts_count": len(posts), "post_stream": {"posts": [
        {"id": i + 1, "post_number": i + 1, "username": u, "name": n, "cooked": c} for i, (u, n, c) in enumerate(posts)
    ]}, "details": {"participants": [{"username": "lea_w", "name": "Lea Winter"}]}}


def rows(data):
    known = parse.topic_usernames(data, data["post_stream"]["posts"])
    return [parse.parse_post(p, forum="f", thread_id="f:7", pseudonymize=PSEUDO, known_usernames=known)
            for p in data["post_stream"]["posts"]]


def test_the_seed_threads_greetings_and_signatures_lose_their_names():
    data = topic(
        ("matthias_k", "Matthias Kern", "<p>Hallo,</p><p>Gibt es Alternativen?</p><p>Viele Grüße<br>Matthias</p>"),
        ("freie_messenger", "Martin", "<p>Hallo Matthias,</p><p>ja.</p><p>Herzliche Grüße</p><p>Freie Messenger<br>Martin</p>"),
        ("tobi", "Tobias Ried", "<p>Hallo Martin und MAtthias,</p><p>Danke, Oskar.</p><p>VG, Tobias</p>"),
    )
    first, second, third = rows(data)
    m, t, fm = PSEUDO("matthias_k"), PSEUDO("tobi"), PSEUDO("freie_messenger")
    assert first["text"] == f"Hallo,\n\nGibt es Alternativen?\n\nViele Grüße\n{m}"
    assert second["text"].startswith(f"Hallo {m},") and second["text"].endswith(f"\n{fm}")
    assert third["text"] == f"Hallo {fm} und {m},\n\nDanke, Oskar.\n\nVG, {t}"
    assert third["masked"] == 3
    for row in (first, second, third):
        for word in ("Matthias", "Martin", "Tobias", "Kern"):
            assert word.lower() not in (row["text"] + row["html"]).lower(), (word, row)


def test_unknown_names_in_greetings_and_signatures_become_name():
    result = parse.clean_cooked("<p>Servus Thomas,</p><p>geht das?</p><p>Gruß<br>P. Nowak, Schulleitung</p>", PSEUDO)
    assert result["text"] == "Servus [name],\n\ngeht das?\n\nGruß\n[name], Schulleitung"
    assert result["masked"] == 2 and "Nowak" not in result["html"] and "Thomas" not in result["html"]
    same = parse.clean_cooked("<p>Hallo zusammen,</p><p>LG Claudia</p><p>Gruß aus Bremen</p>", PSEUDO)
    assert same["text"] == "Hallo zusammen,\n\nLG [name]\n\nGruß aus Bremen"
    assert parse.clean_cooked("<p>Thanks, Mark</p>", PSEUDO)["text"] == "Thanks, [name]"


def test_names_that_are_also_words_are_replaced_only_where_they_name_someone():
    data = topic(("lea_w", "Lea Winter", "<p>Im Winter ist es kalt, fragt Frau Winter. Lea Winter sagt ja.</p>"
                                          "<p>VG<br>Lea</p>"))
    lea = PSEUDO("lea_w")
    assert rows(data)[0]["text"] == f"Im Winter ist es kalt, fragt Frau {lea}. {lea} sagt ja.\n\nVG\n{lea}"


def test_a_word_two_participants_share_becomes_name_and_short_or_common_words_stay():
    index = names.build_index({"a": "Anna Weber", "b": "Anna Schulz", "c": "Ute Li", "d": "Grundschule Lindenhof"},
                              PSEUDO)
    assert index.replace("Anna und Frau Schulz und Anna Weber")[0] == (
        f"[name] und Frau {PSEUDO('b')} und {PSEUDO('a')}")
    assert index.replace("Li sagt: eine Grundschule im Weber-Viertel")[0] == "Li sagt: eine Grundschule im Weber-Viertel"
    assert index.replace("Lindenhof")[0] == PSEUDO("d")


def test_display_names_in_titles_are_replaced():
    data = topic(("herr_k", "Thomas Kaiser", "<p>x</p>"))
    data["title"] = "Frage an Thomas Kaiser und den Kaiser"
    row = parse.parse_topic(data, forum="f", base_url="https://f", pseudonymize=PSEUDO)
    assert row["title"] == f"Frage an {PSEUDO('herr_k')} und den Kaiser"


def test_linked_topic_titles_become_their_url_in_text():
    cooked = ('<p>Verwandtes Thema: <a href="https://f.example/t/telegram-ok/512" class="inline-onebox">'
              'Telegram für Schule ok?</a></p>')
    result = parse.clean_cooked(cooked, PSEUDO)
    assert result["text"] == "Verwandtes Thema: https://f.example/t/telegram-ok/512"
    assert "Telegram für Schule ok?" in result["html"]


@pytest.mark.parametrize("text", [
    "Hallo [name],\nwie macht ihr das?\n\nVG\n[name]",
    "Hallo [name] und user-0123456789,\nwie macht ihr das?\n\nVG, [name]",
    "Servus [name]!\nwie macht ihr das?\n\nViele Grüße\n[name], Schulleitung",
])
def test_masked_greetings_and_signatures_are_still_recognised(text):
    sentences = split_sentences(text)
    assert [s.text for s in sentences if not s.skip] == ["wie macht ihr das?"]
    assert sentences[0].skip == "greeting" and sentences[-1].skip in ("closing", "signature")


def test_a_capitalised_word_after_herr_or_frau_is_a_name_even_when_unknown():
    result = parse.clean_cooked("<p>Laut Frau Müller und Herrn Dr. Kaiser darf die Frau und der Herr das. "
                                "Frau Schulleiterin sagt nein.</p>", PSEUDO)
    assert result["text"] == ("Laut Frau [name] und Herrn Dr. [name] darf die Frau und der Herr das. "
                              "Frau Schulleiterin sagt nein.")


def test_an_initial_tells_whose_shared_name_it_is():
    index = names.build_index({"a": "Andreas Frank", "f": "Frank Peters"}, PSEUDO)
    assert index.replace("A. Frank und Frank")[0] == f"{PSEUDO('a')} und [name]"
    data = topic(("a", "Andreas Frank", "<p>x</p><p>Gruß<br>A. Frank, Netzwerkbetreuung</p>"),
                 ("f", "Frank Peters", "<p>y</p>"))
    assert rows(data)[0]["text"] == f"x\n\nGruß\n{PSEUDO('a')}, Netzwerkbetreuung"
