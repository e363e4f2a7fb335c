"""Sentence splitting and question detection, one test per failure mode."""

import pytest

from miner.questions import (clean_question, extract_questions, extract_thread_questions, question_id,
                             question_kind, split_sentences)


def texts(text):
    return [s.text for s in split_sentences(text) if not s.skip]


def asked(text, *, reply=False, starter_reply=False):
    thread = {"id": "f:1", "forum": "f", "starter": "a"}
    post = {"id": "f:10", "post_number": 2 if reply or starter_reply else 1,
            "author": "a" if not reply else "b", "text": text}
    return [q["text"] for q in extract_questions(post, thread)]


# ---------------------------------------------------------------- splitting

@pytest.mark.parametrize("text", [
    "Wir nutzen z.B. Threema und Signal.",
    "Das betrifft ca. 80 Kollegen, u.a. die Referendare.",
    "Laut Erlass Nr. 4 vom 12.03.2024 ist das verboten.",
    "Dr. Meier hat das bzw. die Regeln erklärt.",
    "Am 3. Oktober stellen wir um.",
    "Das ist lt. Art. 6 DSGVO geregelt, d.h. wir brauchen eine Einwilligung.",
    "Siehe https://example.org/a.b?c=1 und die Doku.",
    "Das ist ein anderer (falscher?) Ansatz, denn Kopieren geht immer.",
    "WhatsApp und co. sind an Schulen verboten.",
])
def test_abbreviations_dates_urls_and_parentheses_do_not_split(text):
    assert texts(text) == [text]


def test_splits_sentences_lines_and_emoji():
    assert [(s.text, s.skip) for s in split_sentences("Wir nutzen Threema. Geht das auch mit Signal? 😊 Danke euch")] == [
        ("Wir nutzen Threema.", ""), ("Geht das auch mit Signal? 😊", ""), ("Danke euch", "closing")]
    assert texts("Fotos, Videos usw. Die Eltern sind sauer.") == ["Fotos, Videos usw.", "Die Eltern sind sauer."]
    assert texts("Erste Zeile ohne Punkt\nZweite Zeile") == ["Erste Zeile ohne Punkt", "Zweite Zeile"]
    assert texts("Ich habe eine Frage zu der\nWhatsApp-Gruppe meiner Klasse.") == [
        "Ich habe eine Frage zu der WhatsApp-Gruppe meiner Klasse."]


def test_greeting_closing_signature_and_code_are_marked():
    sentences = split_sentences("Hallo zusammen,\n\nGibt es eine Alternative?\n\nViele Grüße\nAnna\nSchulleiterin"
                                "\n\n```\nsudo apt install x\n```")
    assert [(s.text, s.skip) for s in sentences] == [
        ("Hallo zusammen,", "greeting"), ("Gibt es eine Alternative?", ""), ("Viele Grüße", "closing"),
        ("Anna", "signature"), ("Schulleiterin", "signature"), ("sudo apt install x", "code")]


def test_postscript_after_signature_is_read_again():
    text = "Danke!\nTom\n\nPS: Weiß jemand, ob das auch für Referendare gilt?"
    assert asked(text) == ["Weiß jemand, ob das auch für Referendare gilt?"]


def test_numbered_question_items_on_their_own_lines():
    text = "Zwei Fragen:\n\n1. Frage:\nGibt es eine legale Alternative\n2.\nFrage:\nKooperiert schon eine Schule mit euch"
    assert asked(text) == ["Gibt es eine legale Alternative", "Kooperiert schon eine Schule mit euch"]
    assert asked("Frage:\n\nWie verteilt ihr die Zugangsdaten") == ["Wie verteilt ihr die Zugangsdaten"]
    assert asked("Frage 2: Gibt es dafür eine Dienstanweisung") == ["Gibt es dafür eine Dienstanweisung"]
    assert asked("1) Wie richtet ihr die Gruppen ein?\n2) Wer darf Nachrichten an alle schicken?") == [
        "Wie richtet ihr die Gruppen ein?", "Wer darf Nachrichten an alle schicken?"]


# ---------------------------------------------------------------- detection

@pytest.mark.parametrize("line,kind", [
    ("Darf ich als Lehrkraft WhatsApp nutzen?", "explicit"),
    ("Gibt es eine datenschutzkonforme Alternative zu WhatsApp", "implicit"),
    ("Kann man in Teams den Chat für Schüler abschalten", "implicit"),
    ("Weiß jemand, ob man schul.cloud ohne Smartphone nutzen kann.", "implicit"),
    ("Hat jemand Erfahrung mit Threema Work an Grundschulen", "implicit"),
    ("Wie macht ihr das mit den Elterngruppen", "implicit"),
    ("Mit welcher App informiert ihr die Eltern", "implicit"),
    ("Ich frage mich, ob die Schulleitung das verbieten darf.", "implicit"),
    ("Kooperiert schon eine Schule mit dem Anbieter", "implicit"),
    ("Is there any messenger schools may use?", "explicit"),
    ("Does anyone have experience with Threema in schools", "implicit"),
])
def test_questions_with_and_without_question_mark(line, kind):
    assert question_kind(line) == kind


@pytest.mark.parametrize("line", [
    "Wir nutzen seit zwei Jahren schul.cloud.",
    "Zwei Fragen fallen mir dazu ein:",
    "Wie gesagt, die Schulleitung steht dahinter.",
    "Wer das nicht möchte, muss nicht mitmachen.",
    "Ob das rechtlich sauber ist, weiß ich nicht.",
    "Was die Kosten betrifft, zahlt der Förderverein.",
    "Kann ich nur bestätigen.",
    "Finde ich auch gut so.",
    "Hat bei uns ewig gedauert.",
    "Müsste eigentlich gehen.",
    "Sollte jemand eine Lösung haben, freue ich mich über eine Nachricht.",
    "Was für ein Chaos!",
    "Warum?",
    "Das ist jedoch ein anderer (falscher?) Grundgedanke.",
    "(aka: „wer fotografiert mein Tafelbild und schickt es in die Gruppe? Danke, Oskar.“)",
])
def test_statements_are_not_questions(line):
    assert question_kind(line) is None
    assert question_kind(line, in_answer=True) is None


@pytest.mark.parametrize("line", [
    "Das ist doch genau das Problem, oder?",
    "Warum auch nicht?",
    "Wer kennt das nicht?",
    "Wer will schon nachts Nachrichten von Eltern bekommen?",
    "Ist das nicht genau der Sinn eines Schulmessengers?",
])
def test_rhetorical_questions_in_answers(line):
    assert question_kind(line, in_answer=True) is None


def test_tag_question_of_the_asker_is_kept():
    assert question_kind("Das ist doch verboten, oder?") == "explicit"


def test_quoted_lines_are_not_questions_but_answers_questions_are():
    assert asked("> Ist Signal erlaubt?\nJa, bei uns schon.", reply=True) == []
    assert asked("Welches Bundesland ist das denn bei dir?", reply=True) == ["Welches Bundesland ist das denn bei dir?"]


def test_marker_greeting_and_emoji_are_cleaned():
    assert clean_question("1. Frage: Gibt es eine Alternative? 🙏") == "Gibt es eine Alternative?"
    assert clean_question("Hallo zusammen, gibt es eine Alternative?") == "Gibt es eine Alternative?"


def test_thread_title_kind_flags_and_near_duplicates():
    thread = {"id": "f:1", "forum": "f", "title": "Threema an Grundschulen?", "starter": "a",
              "created_at": "2024-01-01T00:00:00Z"}
    posts = [
        {"id": "f:10", "post_number": 1, "author": "a", "text": "Hat jemand Erfahrung mit Threema an Grundschulen?"},
        {"id": "f:11", "post_number": 2, "author": "b", "text": "Welches Bundesland ist das? Bei uns geht das."},
        {"id": "f:12", "post_number": 3, "author": "a",
         "text": "Niedersachsen. Hat jemand Erfahrungen mit Threema an der Grundschule?"},
        {"id": "f:13", "post_number": 4, "author": "c", "text": "Gibt es dazu eine Handreichung?", "deleted": 1},
    ]
    rows = extract_thread_questions(thread, posts)
    assert [(r["kind"], r["text"], r["post"], r["position"]) for r in rows] == [
        ("title", "Threema an Grundschulen?", "f:10", -1),
        ("explicit", "Hat jemand Erfahrung mit Threema an Grundschulen?", "f:10", 0),
        ("explicit", "Welches Bundesland ist das?", "f:11", 0),
    ]
    assert rows[2]["in_reply"] == 1 and rows[2]["asked_by_starter"] == 0 and rows[1]["in_first_post"] == 1


def test_question_ids_are_stable_and_ignore_case_and_punctuation():
    assert question_id("f:10", "Gibt es X?") == question_id("f:10", "gibt es x")
    assert question_id("f:10", "Gibt es X?") != question_id("f:11", "Gibt es X?")


def test_closing_in_the_middle_does_not_swallow_a_question():
    assert asked("Danke!\nGibt es eine Alternative zu Threema") == ["Gibt es eine Alternative zu Threema"]
    assert [s.skip for s in split_sentences("Liebe Grüße\nKatrin\nSchulleitung")] == ["closing", "signature",
                                                                                      "signature"]


@pytest.mark.parametrize("sentence, kind", [
    ("Freue mich über Rückmeldungen.", None),
    ("Ich bin gespannt, wie ihr das handhabt.", None),
    ("Freue mich über eure Tipps zur Einrichtung von Stashcat.", "implicit"),
    ("Ich bin gespannt, wie ihr die Einwilligung für Threema einholt.", "implicit"),
])
def test_a_request_for_input_asks_only_when_it_names_a_subject(sentence, kind):
    assert question_kind(sentence) == kind


# ------------------------------------------------------------------ failure modes found on the bundled forum
# (lines written for these tests, not copied from the forum)

@pytest.mark.parametrize("sentence, in_answer, expected", [
    ("Gilt die Regel auch für Videoanrufe?!", True, ("explicit", "Gilt die Regel auch für Videoanrufe?")),
    ("moin, geht das auch mit dem Tablet?!", False, ("explicit", "Geht das auch mit dem Tablet?")),
    ("Ach ja, und: Wer pflegt bei euch die Kontaktlisten", False, ("implicit", "Wer pflegt bei euch die Kontaktlisten")),
    ("Wie lange dauert die Einrichtung ungefähr Ich muss das bis Freitag wissen.", False,
     ("implicit", "Wie lange dauert die Einrichtung ungefähr")),
    ("stundenplan per app, wie macht ihr das", False, ("implicit", "Stundenplan per app, wie macht ihr das")),
    ("Wie ist das bei Referendaren, kann man da widersprechen", True,
     ("implicit", "Wie ist das bei Referendaren, kann man da widersprechen")),
    ("gibts in hessen was eigenes zum chatten", False, ("implicit", "Gibts in hessen was eigenes zum chatten")),
    ("Welche Version bzw. welche Lizenz genau", True, ("implicit", "Welche Version bzw. welche Lizenz genau")),
    ("messenger für elternabende ja oder nein bitte ehrlich", False,
     ("implicit", "Messenger für elternabende ja oder nein")),
    ("Wie viele Lizenzen pro Kollegium plant ihr", False, ("implicit", "Wie viele Lizenzen pro Kollegium plant ihr")),
    ("Kann man den Schülern verbieten, nachts zu schreiben", True,
     ("implicit", "Kann man den Schülern verbieten, nachts zu schreiben")),
])
def test_questions_behind_lead_ins_run_ons_and_colloquial_forms(sentence, in_answer, expected):
    from miner.questions import ask
    assert ask(sentence, in_answer=in_answer) == expected


@pytest.mark.parametrize("sentence, in_answer", [
    ("Verwandtes Thema: Threema an Grundschulen?", True),  # a link to another thread shows its title
    ("Kommt mir bekannt vor.", True),  # a statement that dropped its "das"
    ("Ja, kann man so machen", True),
    ("Wenn die Eltern zustimmen, kann man das machen", False),
    ("Konkret heißt das: Sollte der Server ausfallen, so übernimmt die Cloud.", False),
    ("Ob die Schule zahlt, um die Lizenzen zu sichern, bleibt zu sehen.", False),
    ("Sollten die Eltern klagen, sei die Schule bereit zu reagieren.", False),
    ("Bei uns hat das gut geklappt Die Eltern waren zufrieden.", True),
    ("Ich sage ja oder nein, je nachdem.", False),
    ("Welche eine Katastrophe", False),
])
def test_statements_around_the_new_forms_stay_statements(sentence, in_answer):
    from miner.questions import ask
    assert ask(sentence, in_answer=in_answer) is None


def test_greeting_before_a_question_with_emphatic_ending_is_not_skipped():
    assert asked("moin, darf ich whatsapp web am dienstrechner nutzen?!") == [
        "Darf ich whatsapp web am dienstrechner nutzen?"]


@pytest.mark.parametrize("text, needs", [
    ("Hat sie recht?", True), ("Geht das überhaupt?", True), ("Zu Recht?", True), ("geht das überhaupt", True),
    ("Was kostet das?", True), ("Diensthandy für Lehrer?", False), ("Darf ich WhatsApp nutzen?", False),
    ("Ist das mit der DSGVO vereinbar?", False), ("Und bei Klassenfahrten?", False),
])
def test_which_questions_cannot_stand_alone(text, needs):
    from miner.questions import needs_context

    assert needs_context(text) is needs


def test_a_question_that_cannot_stand_alone_carries_the_sentence_before():
    from miner.questions import extract_questions

    post = {"id": "f:1", "post_number": 1, "author": "a",
            "text": "Hallo zusammen,\nunsere Schulleiterin sagt, wir dürfen WhatsApp mit Eltern nicht nutzen. Hat sie recht?"}
    rows = extract_questions(post, {"id": "f:t", "starter": "a"})
    assert [r["text"] for r in rows] == [
        "unsere Schulleiterin sagt, wir dürfen WhatsApp mit Eltern nicht nutzen. Hat sie recht?"]
    alone = extract_questions({**post, "text": "Hat sie recht?"}, {"id": "f:t", "starter": "a"})
    assert [r["text"] for r in alone] == ["Hat sie recht?"]  # nothing before it: left as it is
