"""Messenger relevance: the editable vocabulary, the learned expansion, on/off-topic threads."""

import questions_devset
from miner import relevance as rel


def thread(id, title, first, replies=()):
    return {"id": id, "title": title, "first_post": first, "replies": list(replies)}


def test_term_file_format_words_phrases_wildcards_weights_messengers():
    vocabulary = rel.parse_vocabulary([
        "# comment", "", "threema | 3 | Threema", "teams chat | 3 | Teams", "*chat | 1.5", "messenger* | 2",
        "drucker | -1 |", "schul.cloud | 3 | schul.cloud",
    ])
    found = vocabulary.match("Klassenchat im Teams-Chat, Messengerdienst Threema, schul.cloud und der Drucker")
    assert set(found) == {"threema", "teams chat", "chat", "klassenchat", "messengerdienst", "drucker", "schul cloud"}
    assert found["threema"] == (3.0, "Threema") and found["drucker"] == (-1.0, "")
    assert found["klassenchat"] == (1.5, "") and found["messengerdienst"] == (2.0, "")


def test_an_exact_entry_switches_a_wildcard_off():
    vocabulary = rel.parse_vocabulary(["*chat | 1.5", "schwechat | 0"])
    assert vocabulary.match("Klassenchat am Flughafen Schwechat") == {"klassenchat": (1.5, "")}


def test_a_word_counts_once_with_its_strongest_entry():
    vocabulary = rel.parse_vocabulary(["whatsapp | 3 | WhatsApp", "whatsapp* | 2", "*app | 0.3"])
    assert vocabulary.match("WhatsApp, whatsapp und WhatsApp") == {"whatsapp": (3.0, "WhatsApp")}
    assert vocabulary.match("WhatsAppGruppe") == {"whatsappgruppe": (2.0, "")}
    assert vocabulary.match("Das WLAN-Signal ist schwach") == {}


def test_shipped_vocabulary_parses_and_knows_the_messengers():
    vocabulary = rel.load_vocabulary()
    for word in ["WhatsApp", "Threema Work", "Signal-Gruppe", "Telegram", "Element-App", "XMPP", "Wire Messenger",
                 "Teams-Chat", "schul.cloud", "Schulmessenger", "Elternchat", "Klassenchat"]:
        assert vocabulary.match(word), word


def test_vocabulary_decides_clear_threads_and_gives_reasons():
    results = rel.score_threads([
        thread("a", "WhatsApp-Gruppe mit Eltern?", "Darf ich einer WhatsApp-Gruppe beitreten?"),
        thread("b", "Drucker druckt nicht", "Seit dem Update druckt der Drucker im Lehrerzimmer nichts mehr."),
        thread("c", "WLAN im Neubau", "Das Signal ist im Neubau schwach, reicht ein Access Point pro Flur?"),
    ])
    assert results["a"]["relevant"] == 1 and results["a"]["messengers"] == ["WhatsApp"]
    assert "whatsapp" in results["a"]["relevance_reason"]
    assert results["b"]["relevant"] == 0 and results["c"]["relevant"] == 0
    assert results["a"]["relevance"] > 0.9 > 0.1 > results["b"]["relevance"]


def test_editors_extend_the_vocabulary_without_code(tmp_path):
    corpus = [thread("x", "Erfahrungen mit Quasselbox?", "Wir testen Quasselbox für die Klassen.")]
    assert rel.score_threads(corpus)["x"]["relevant"] == 0
    terms = tmp_path / "terms.txt"
    terms.write_text(rel.DEFAULT_TERMS.read_text() + "\nquasselbox | 3 | Quasselbox\n")
    result = rel.score_threads(corpus, rel.load_vocabulary(terms))["x"]
    assert result["relevant"] == 1 and result["messengers"] == ["Quasselbox"]


def test_learned_expansion_catches_wording_the_list_misses():
    on = [thread(f"on{i}", f"Threema für Klasse {i}", "Threema Work für die Kommunikation: Elternabend, "
                 "Rundmail und Erreichbarkeit der Kolleginnen abends, Eltern erreichen.") for i in range(8)]
    off = [thread(f"off{i}", f"Beamer {i}", "Der Beamer im Raum flackert, HDMI-Kabel getauscht, Projektor "
                  "Lampe Treiber Raum.") for i in range(8)]
    unseen = thread("new", "Eltern erreichen", "Elternabend verschoben: Wie sichere ich Erreichbarkeit der "
                    "Eltern ohne Rundmail, abends, Kolleginnen?")
    plain = thread("plain", "Lampe", "Die Lampe im Projektor ist kaputt.")
    results = rel.score_threads(on + off + [unseen, plain])
    assert results["new"]["relevant"] == 1 and "similar wording" in results["new"]["relevance_reason"]
    assert results["plain"]["relevant"] == 0
    vocabulary_only = rel.score_threads([unseen, plain])
    assert vocabulary_only["new"]["relevant"] == 0  # too few examples to learn: vocabulary alone


def test_questions_of_off_topic_threads_never_relevant():
    vocabulary = rel.load_vocabulary()
    off = {"relevant": 0, "relevance": 0.3, "relevance_reason": ""}
    on = {"relevant": 1, "relevance": 0.9, "relevance_reason": "threema"}
    assert rel.question_relevance("Darf ich WhatsApp nutzen?", off, vocabulary)["relevant"] == 0
    kept = rel.question_relevance("Welches Bundesland ist das?", on, vocabulary)
    assert kept["relevant"] == 1 and kept["relevance_reason"] == "thread: threema"
    assert rel.question_relevance("Darf ich WhatsApp nutzen?", on, vocabulary)["relevance"] > kept["relevance"]


def test_dev_threads_on_and_off_topic():
    figures = questions_devset.relevance_figures(questions_devset.load_threads())
    assert figures["thread_accuracy"] >= 0.9, figures["wrong_threads"]
    assert figures["off_topic_to_faq"] <= 0.05
    assert figures["on_topic_kept"] >= 0.85


def test_prior_is_asked_only_where_it_can_change_the_outcome():
    """Embedding a thread opening is the slow part of mining: a thread whose title names a messenger
    and that the vocabulary already calls relevant needs no prior; the others get the same result as
    with a precomputed list."""
    threads = [
        thread("named", "WhatsApp-Gruppe mit Eltern?", "Darf ich einer WhatsApp-Gruppe beitreten?"),
        thread("rescue", "Eltern abends erreichen", "Wie erreiche ich die Eltern am besten, ohne private Nummer?"),
        thread("passing", "Taschenrechner für Klasse 7", "Die Eltern fragten in der WhatsApp-Gruppe, welcher "
               "Taschenrechner gekauft werden soll. Threema nutzen wir nicht."),
    ]
    probabilities = {"named": 0.9, "rescue": 0.95, "passing": 0.05}
    asked = []

    def prior(indices):
        asked.extend(threads[i]["id"] for i in indices)
        return [probabilities[threads[i]["id"]] for i in indices]

    lazy = rel.score_threads(threads, prior=prior, prior_threshold=0.8)
    eager = rel.score_threads(threads, prior=[probabilities[t["id"]] for t in threads], prior_threshold=0.8)
    assert asked == ["rescue", "passing"]
    assert lazy == eager
    assert lazy["rescue"]["relevant"] == 1 and "prior 0.95" in lazy["rescue"]["relevance_reason"]
    assert lazy["named"]["relevant"] == 1
def test_a_messenger_named_once_in_passing_does_not_make_a_thread_relevant():
    aside = thread("aside", "Klassenkasse: Konto auf meinen Namen?",
                   "Die Eltern sammeln in ihrer WhatsApp-Gruppe schon für die Klassenfahrt. "
                   "Wer haftet, wenn eine Familie nicht zahlt?", ["Ein Schulkonto ist sicherer."])
    asked = thread("asked", "Klassenkasse: Konto auf meinen Namen?",
                   "Die Eltern sammeln schon für die Klassenfahrt. Dürfen sie dafür eine WhatsApp-Gruppe nutzen?",
                   aside["replies"])
    answered = thread("answered", "Klassenkasse: Konto auf meinen Namen?", aside["first_post"],
                      ["Sag ihnen, sie sollen das nicht in der WhatsApp-Gruppe besprechen."])
    unanswered = thread("unanswered", aside["title"], aside["first_post"])
    results = rel.score_threads([aside, asked, answered, unanswered])
    assert results["aside"]["relevant"] == 0 and "in passing" in results["aside"]["relevance_reason"]
    assert results["asked"]["relevant"] == 1 and results["answered"]["relevant"] == 1
    assert results["unanswered"]["relevant"] == 1  # no reply yet shows the mention was an aside
    # the topic prior calls the opening on topic: the one mention is what the thread is about
    assert rel.score_threads([aside], prior=[rel.PASSING_PRIOR])["aside"]["relevant"] == 1
    assert rel.score_threads([aside], prior=[rel.PASSING_PRIOR - 0.01])["aside"]["relevant"] == 0


def test_adjacent_terms_are_one_mention():
    vocabulary = rel.load_vocabulary()
    assert vocabulary.strong_mentions("Wir diskutieren in unserer Signal-Gruppe und im Threema-Chat.") == 2
    assert vocabulary.strong_mentions("Das hat er per Signal geschickt.") == 1
    assert vocabulary.strong_mentions("Die Eltern fragen schon.") == 0
    mathe = thread("m", "Neues Mathebuch für Klasse 5", "Die Fachschaft diskutiert in der Signal-Gruppe, "
                   "welches Lehrwerk wir einführen. Welches nehmt ihr?", ["Wir haben das Buch vom Verlag X."])
    assert rel.score_threads([mathe])["m"]["relevant"] == 0


def test_an_hdmi_signal_is_not_the_messenger():
    beamer = thread("b", "Beamer verliert ständig das HDMI-Signal", "Im Raum 204 flackert das Bild, Kabel getauscht.",
                    ["Probier einen anderen Adapter."])
    assert rel.score_threads([beamer])["b"]["relevant"] == 0
