"""Threads written once: the site description, pinned rules, announcements and the big collection thread."""

SITE = {
    "title": "Lehrerzimmer digital",
    "description": "Forum von Lehrkräften für Lehrkräfte: Messenger, Datenschutz, Schul-IT und alles dazwischen. "
                   "(Synthetisches Beispielforum des Projekts miner.)",
    "discourse_version": "3.2.0",
}

LONG_THREADS = {"whatsapp_dienstlich": 1, "erreichbarkeit": 1, "privathandy": 1, "diensthandy": 1, "drucker": 1}
LONG_REPLIES = (21, 40)

PINNED = [
    dict(
        kind="pinned", relevant=False, category="forum-intern", author="admin_rolf", created="2019-01-14T09:12:44.120Z",
        title="Forenregeln – bitte vor dem ersten Beitrag lesen", tags=["regeln"], closed=True,
        body=(
            "Herzlich willkommen im Lehrerzimmer digital!\n\n"
            "Damit das Forum hilfreich bleibt, ein paar Regeln:\n\n"
            "1. Wir duzen uns. Bleibt freundlich, auch wenn ihr anderer Meinung seid.\n"
            "2. Keine personenbezogenen Daten von Schüler*innen, Eltern oder Kolleg*innen. Auch keine Screenshots mit Namen.\n"
            "3. Bitte zuerst die Suche benutzen und einen aussagekräftigen Titel wählen.\n"
            "4. Keine Rechtsberatung: Beiträge hier ersetzen nicht den Datenschutzbeauftragten oder die Schulaufsicht.\n"
            "5. Werbung nur nach Absprache mit der Moderation.\n\n"
            "Fragen zur Moderation bitte per PN an @Moderation_Jule, @mod_sabine oder mich, oder per Mail an moderation@lehrerzimmer-digital.example.\n\n"
            "Viel Spaß!\nRolf"
        ),
    ),
    dict(
        kind="pinned", relevant=False, category="forum-intern", author="Moderation_Jule", created="2019-02-03T18:40:02.511Z",
        title="Wie stelle ich eine Frage, auf die ich schnell eine gute Antwort bekomme?", tags=["hilfe"], closed=True,
        body=(
            "Hallo zusammen,\n\n"
            "damit euch schnell geholfen werden kann, nennt bitte immer:\n\n"
            "- Bundesland und Schulform (Regeln unterscheiden sich stark!)\n"
            "- welches System ihr nutzt (Messenger, Lernplattform, Server)\n"
            "- was ihr schon probiert habt\n"
            "- bei Technikproblemen: die genaue Fehlermeldung\n\n"
            "Und bitte: Wenn eine Antwort geholfen hat, markiert sie als Lösung. Dann finden andere sie später leichter.\n\n"
            "Danke!\nJule"
        ),
    ),
    dict(
        kind="pinned", relevant=True, category="messenger", author="mod_sabine", created="2020-03-16T07:55:31.004Z",
        title="Messenger in Zeiten von Schulschließungen – bitte zuerst lesen", tags=["corona", "whatsapp"], closed=False,
        body=(
            "Liebe Kolleg*innen,\n\n"
            "gerade kommen sehr viele Fragen zu Messengern, weil die Schulen geschlossen sind. Ein paar Hinweise vorab:\n\n"
            "- Schaut zuerst, was euer Land bereitstellt (Lernplattform, Landesmessenger). Das ist fast immer die sicherste Wahl.\n"
            "- Auch in der Krise gilt: Keine Gesundheitsdaten, keine Noten über private Messenger.\n"
            "- Mehrere Länder haben kurzfristig Übergangsregelungen erlassen. Bitte verlinkt Quellen, wenn ihr sie zitiert.\n\n"
            "https://kultusministerium.example/handreichung-messenger\n\n"
            "Bleibt gesund!\nSabine"
        ),
        replies=[
            {"author": "tobi_it", "text": "Danke für die Zusammenfassung, Sabine. Ich ergänze: Wer Matrix oder XMPP selbst hosten will, bitte jetzt nicht im Hauruckverfahren, lieber erst die Landeslösung anschauen."},
            {"author": "anna_k", "text": "Sehr hilfreich, danke! :pray:"},
        ],
    ),
]

ANNOUNCEMENTS = [
    dict(
        kind="news", relevant=True, category="messenger", author="DatenschutzDirk", created="2021-09-06T16:21:09.331Z",
        title="Neue Handreichung des Ministeriums zu Messengern erschienen", tags=["handreichung"],
        body=(
            "Moin zusammen,\n\n"
            "zur Info: Die überarbeitete Handreichung zu Messenger-Diensten im schulischen Kontext ist online.\n\n"
            "https://kultusministerium.example/handreichung-messenger\n\n"
            "Wichtigste Änderungen aus meiner Sicht: Die Liste der geprüften Dienste wurde aktualisiert, und es gibt jetzt ein Kapitel zu privaten Endgeräten.\n\n"
            "--\nDirk"
        ),
        replies=[
            {"author": "netzwerkfrau", "text": "Danke fürs Teilen! Das Kapitel zu privaten Endgeräten ist wirklich hilfreich."},
            {"author": "herr_yilmaz", "text": "Endlich mal etwas Konkretes. Hab's direkt an unsere Schulleitung weitergeleitet."},
            {"text": "Danke, Dirk :+1:"},
        ],
    ),
    dict(
        kind="news", relevant=False, category="forum-intern", author="admin_rolf", created="2023-07-24T20:02:15.870Z",
        title="Wartungsarbeiten am Forum am Samstag", tags=[],
        body="Hallo zusammen,\n\nam Samstag zwischen 8 und 10 Uhr ist das Forum wegen eines Updates kurz nicht erreichbar. Danach sollte alles etwas schneller sein.\n\nGruß\nRolf",
        replies=[{"text": "Danke für die Info!"}],
    ),
    dict(
        kind="news", relevant=True, category="messenger", author="medienpaed_ole", created="2024-02-12T17:45:51.602Z",
        title="Online-Fortbildung „Sicher kommunizieren mit Messengern“ – noch Plätze frei", tags=["fortbildung"],
        body=(
            "Moin,\n\n"
            "das Medienzentrum bietet im März wieder die Online-Fortbildung zu Messengern in der Schule an (3 x 90 Minuten, kostenlos). Themen: Rechtslage, Landeslösungen, Elternkommunikation, Erreichbarkeit.\n\n"
            "https://medienzentrum.example/fortbildung/messenger\n\n"
            "Bei Fragen zur Anmeldung könnt ihr mich auch direkt anrufen: 040 66969 214\n\n"
            "--\nGruß aus dem Norden\nOle"
        ),
        replies=[{"author": "Referendarin_Lea", "text": "Super, gleich angemeldet!"}],
    ),
]

COLLECTION = dict(
    author="Moderation_Jule", created="2020-04-20T19:03:12.448Z", category="messenger", posts=128,
    title="Sammelthread: Welchen Messenger nutzt eure Schule? (Bundesland, Schulform, Erfahrungen)",
    tags=["sammelthread", "landesloesung"],
    body=(
        "Hallo zusammen,\n\n"
        "weil die Frage nach dem Messenger der eigenen Schule gefühlt jeden Tag neu gestellt wird, machen wir einen Sammelthread auf.\n\n"
        "Bitte schreibt kurz:\n\n"
        "- Bundesland und Schulform\n"
        "- welcher Messenger (Landeslösung oder selbst beschafft)\n"
        "- wer ihn nutzt (Kollegium, Eltern, Schüler*innen)\n"
        "- eure Erfahrungen\n\n"
        "Rückfragen zu einzelnen Beiträgen gern hier mit Zitat.\n\n"
        "Jule (Moderation)"
    ),
)

LAND_TOOLS = {
    "Bayern": ["den ByCS-Messenger (BayernCloud Schule)", "ein selbst beschafftes Threema Work", "schul.cloud"],
    "NRW": ["den LOGINEO NRW Messenger", "schul.cloud", "den Messenger von IServ"],
    "Niedersachsen": ["den Messenger der Niedersächsischen Bildungscloud", "IServ", "schul.cloud"],
    "Baden-Württemberg": ["Threema Work mit den Landeslizenzen", "den Messenger in Moodle", "schul.cloud"],
    "Hessen": ["den Messenger im Schulportal Hessen", "Threema Work", "schul.cloud"],
    "Sachsen": ["den Messenger in LernSax", "LernSax-Mail und sonst nichts", "Threema Work"],
    "Thüringen": ["die Thüringer Schulcloud", "Threema Work"],
    "Brandenburg": ["die Schul-Cloud Brandenburg", "schul.cloud"],
    "Berlin": ["den Lernraum Berlin (Moodle-Mitteilungen)", "schul.cloud", "Threema Work"],
    "Hamburg": ["die Lernplattform und E-Mail", "schul.cloud"],
    "Schleswig-Holstein": ["den Schulmessenger des Landes", "Threema Work", "IServ"],
    "Rheinland-Pfalz": ["den Messenger im Schulcampus RLP", "Threema Work"],
    "Saarland": ["den Messenger der Online-Schule Saarland", "schul.cloud"],
    "Bremen": ["itslearning-Nachrichten", "schul.cloud"],
    "Mecklenburg-Vorpommern": ["itslearning", "schul.cloud"],
    "Sachsen-Anhalt": ["die Moodle-Mitteilungen", "schul.cloud"],
    "default": ["schul.cloud", "Threema Work", "einen selbst gehosteten Matrix-Server"],
}

REPORT_TEMPLATES = [
    "{land}, {schulform}, {size}: Wir nutzen {tool}. {experience}",
    "Bei uns ({schulform} in {land}) nutzen wir seit letztem Schuljahr {tool}.\n\n{experience}",
    "{schulform}, {land}.\nMessenger: {tool}\nNutzer: Kollegium und Eltern\n\n{experience}",
    "Kurz von uns: {land}, {schulform}, {size}, {tool}. {experience}",
    "Unsere Schule: {schulform} in {land}, {size}. Wir haben uns für {tool} entschieden. {experience}",
    "- {land}\n- {schulform}\n- {tool}\n- {experience}",
    "Hier aus {land} ({schulform}): {tool}, seit ungefähr zwei Jahren. {experience}",
]

SCHOOL_SIZES = ["ca. 200 Schüler*innen", "ca. 450 Schüler*innen", "knapp 900 Schüler*innen", "1.300 Schüler*innen",
                "zweizügig", "dreizügig", "vierzügig", "60 Lehrkräfte", "klein, 14 Lehrkräfte"]

EXPERIENCES = [
    "Läuft stabil, die Eltern nehmen es gut an.", "Am Anfang gab es Widerstand im Kollegium, inzwischen nutzen es fast alle.",
    "Technisch okay, aber die App ist auf älteren Android-Handys sehr langsam.", "Für uns ein Segen, die Zettelwirtschaft ist vorbei.",
    "Leider nutzen es viele Eltern nicht, wir müssen parallel Briefe schreiben.", "Die Lesebestätigung ist Gold wert.",
    "Die Accountverwaltung ist mühsam, jedes Jahr zum Schuljahresbeginn ein Kraftakt.", "Wir sind zufrieden, nur die Benachrichtigungen kommen manchmal verspätet.",
    "Kollegium ja, Eltern nein, die bleiben bei E-Mail.", "Schüler sind ab Klasse 7 dabei, das klappt gut.",
    "Ehrlich gesagt ein Krampf, aber besser als nichts.", "Datenschutzbeauftragter war einverstanden, Personalrat hat mitgemacht, alles sauber.",
    "Die Desktop-Version nutzt bei uns fast jeder, auf dem Handy wollen es viele nicht.", "Seit dem letzten Update deutlich besser.",
    "Wir haben Ruhezeiten eingestellt (18-7 Uhr), das wird sehr geschätzt.", "Für Elterngespräche nutzen wir zusätzlich die Videofunktion.",
    "Eltern mit wenig Deutschkenntnissen freuen sich über die Übersetzungsfunktion.", "Umstellung hat ein halbes Jahr gedauert.",
    "Nach zwei Jahren kann ich sagen: würde ich wieder so machen.", "Die Schulleitung nutzt es leider als 24/7-Kanal, das nervt.",
    "Kostet uns nichts, weil das Land zahlt.", "Der Förderverein bezahlt die Lizenzen, hoffentlich bleibt das so.",
    "Wir haben vorher WhatsApp genutzt (ja, ich weiß) und der Umstieg war erstaunlich schmerzlos.",
    "Gruppen pro Klasse plus eine fürs Kollegium, mehr nicht. Weniger ist mehr.",
]
