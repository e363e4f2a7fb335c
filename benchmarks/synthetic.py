"""Synthetic German forum questions for scale tests: dev-set questions with random, realistic noise.

Not for quality figures (the variants are too close to their originals): only to measure time and
memory at 10k-300k questions with a realistic vocabulary and text length.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from common import load_dev

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # generators shared with the tests

PREFIXES = ["", "", "", "Hallo zusammen, ", "Kurze Frage: ", "Moin, ", "Liebe Kolleginnen und Kollegen, ",
            "Ich hätte mal eine Frage: ", "Weiß jemand, "]
SUFFIXES = ["", "", "", " Danke im Voraus!", " LG", " Bei uns ist das gerade Thema.", " Wir sind eine Grundschule.",
            " Es geht um die Klasse {n}.", " Wir haben {n} Lehrkräfte.", " Seit {n} Wochen diskutieren wir das."]
PLACES = ["Bayern", "NRW", "Hessen", "Sachsen", "Berlin", "Hamburg", "Bremen", "Niedersachsen", "Thüringen",
          "am Gymnasium", "an der Realschule", "an der Gesamtschule", "im Kollegium", "in der Oberstufe"]


def questions(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts, _ = load_dev()
    result = []
    for i in range(n):
        words = rng.choice(texts).split()
        if len(words) > 4 and rng.random() < 0.3:
            del words[rng.randrange(1, len(words) - 1)]
        if rng.random() < 0.4:
            words.insert(rng.randrange(1, len(words)), rng.choice(PLACES))
        text = rng.choice(PREFIXES) + " ".join(words) + rng.choice(SUFFIXES).format(n=rng.randint(2, 120))
        result.append(text)
    return result


# Many topics: tool x aspect x audience, each asked in several frames with the tool's and the
# aspect's other names (scale tests with thousands of entries; still not for quality figures).
TOOLS = [["WhatsApp", "Whatsapp", "WA"], ["Signal"], ["Threema", "Threema Work"], ["Telegram"], ["Schul.cloud", "schul.cloud"],
         ["Microsoft Teams", "Teams", "MS Teams"], ["Moodle"], ["IServ", "Iserv"], ["Sdui", "SDUI"], ["Schoolfox", "SchoolFox"],
         ["Untis Messenger", "WebUntis-Messenger"], ["Element", "Matrix"], ["Wire"], ["Discord"], ["Instagram"],
         ["Elternportal", "Eltern-Portal"], ["Logineo", "LOGINEO NRW"], ["Mebis", "ByCS"], ["itslearning"], ["Padlet"],
         ["Zoom"], ["BigBlueButton", "BBB"], ["Nextcloud"], ["Edupage"], ["Classroom", "Google Classroom"]]
ASPECTS = [["datenschutzkonform", "DSGVO-konform", "mit dem Datenschutz vereinbar"],
           ["auf dem Privathandy installieren", "auf dem privaten Smartphone nutzen"],
           ["eine Klassengruppe anlegen", "eine Gruppe für die Klasse einrichten"],
           ["Krankmeldungen empfangen", "Krankmeldungen annehmen"], ["Elternbriefe verschicken", "Elternbriefe versenden"],
           ["Lesebestätigungen sehen", "sehen, wer die Nachricht gelesen hat"], ["Dateien teilen", "Arbeitsblätter teilen"],
           ["Videoanrufe machen", "per Video telefonieren"], ["Nachrichten nachts stummschalten", "Benachrichtigungen abends abschalten"],
           ["Kosten übernehmen lassen", "die Lizenz bezahlen lassen"], ["Schüler ohne Handy erreichen", "Kinder ohne Smartphone einbinden"],
           ["Nachrichten archivieren", "Chats aufbewahren"], ["ein Konto für Referendare anlegen", "Zugänge für Referendare einrichten"],
           ["Umfragen erstellen", "Abstimmungen machen"], ["Termine eintragen", "einen Kalender führen"],
           ["Noten mitteilen", "Zensuren verschicken"], ["Übersetzungen für Eltern nutzen", "Nachrichten übersetzen lassen"],
           ["gesperrte Konten entsperren", "ein gesperrtes Konto freischalten"], ["Passwörter zurücksetzen", "ein neues Passwort vergeben"],
           ["die Telefonnummer verbergen", "die Handynummer nicht zeigen"], ["Mobbing melden", "beleidigende Nachrichten melden"],
           ["Sprachnachrichten verbieten", "Audionachrichten abschalten"], ["Eltern zur Nutzung verpflichten", "die Nutzung für Eltern vorschreiben"],
           ["den Dienstherrn fragen", "die Genehmigung der Schulleitung einholen"], ["Gruppen nach dem Schuljahr löschen", "alte Klassengruppen auflösen"]]
AUDIENCES = [["mit Eltern", "für die Elternkommunikation"], ["mit Schülern", "mit den Schülerinnen und Schülern"],
             ["im Kollegium", "unter Kollegen"], ["als Schulleitung", "für die Schulleitung"]]
FRAMES = ["Darf man {tool} {audience} {aspect}?", "Kann ich bei {tool} {audience} {aspect}?",
          "Wie kann man mit {tool} {audience} {aspect}?", "Ist es erlaubt, {tool} {audience} zu nutzen und {aspect}?",
          "{tool} {audience}: wie {aspect}?", "Hat jemand Erfahrung, wie man in {tool} {audience} {aspect}?"]


def topic_questions(n: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """n questions over len(TOOLS) x len(ASPECTS) x len(AUDIENCES) topics (2,500), and each one's topic."""
    rng = random.Random(seed)
    topics = [(t, a, u) for t in range(len(TOOLS)) for a in range(len(ASPECTS)) for u in range(len(AUDIENCES))]
    texts, labels = [], []
    for _ in range(n):
        k = rng.randrange(len(topics))
        t, a, u = topics[k]
        text = rng.choice(FRAMES).format(tool=rng.choice(TOOLS[t]), aspect=rng.choice(ASPECTS[a]), audience=rng.choice(AUDIENCES[u]))
        texts.append(rng.choice(PREFIXES) + text + rng.choice(SUFFIXES).format(n=rng.randint(2, 120)))
        labels.append(k)
    return texts, labels


def word_topic_questions(n: int, topics: int = 2500, seed: int = 0) -> tuple[list[str], list[int]]:
    """n questions over ``topics`` topics, each topic three content words of the dev set (a topic's
    questions share all three, two topics share at most one): thousands of lexically separable entries."""
    from word_topics import framed, separable_triples

    rng = random.Random(seed)
    chosen = separable_triples(topics, rng)
    result, labels = [], []
    for _ in range(n):
        k = rng.randrange(topics)
        words = rng.sample(chosen[k], 3)
        result.append(rng.choice(PREFIXES) + framed(words, rng) + rng.choice(SUFFIXES).format(n=rng.randint(2, 120)))
        labels.append(k)
    return result, labels
