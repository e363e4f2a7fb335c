"""Readable section titles: distinctive nouns in their written form, joined as a German title."""

from __future__ import annotations

from miner import titles

# three groups of teachers' questions; "erreichbar", "dienstlich" and "durchgesetzt" are frequent
# and distinctive in their group but are no nouns, "Schule" is frequent in every group
REACH = [
    "Muss ich abends für Eltern erreichbar sein, fragt der Personalrat an unserer Schule?",
    "Der Personalrat hat durchgesetzt, dass wir nach 18 Uhr nicht erreichbar sein müssen.",
    "Wie erreichbar müsst ihr an eurer Schule am Wochenende sein?",
    "Unser Personalrat will eine Dienstvereinbarung zur Erreichbarkeit, ist das durchgesetzt worden?",
    "Bin ich in den Ferien dienstlich erreichbar, wenn die Schule schreibt?",
]
APPS = [
    "Ist WhatsApp an der Schule dienstlich erlaubt oder nehmen wir Signal?",
    "WhatsApp oder Threema für die Klassenpflegschaft an der Schule?",
    "Warum ist WhatsApp dienstlich verboten, Signal aber nicht?",
    "Threema kostet Geld, Signal nicht: was nutzt eure Schule dienstlich?",
    "Darf ich WhatsApp dienstlich nutzen, wenn die Schule kein Threema bezahlt?",
]
CLOUD = [
    "schul.cloud an unserer Schule: wer legt die Konten an?",
    "Wie bekommen die Eltern einen Zugang zur schul.cloud an der Schule?",
    "Die Konten in schul.cloud laufen ab, was macht ihr an eurer Schule?",
    "Brauchen Eltern für schul.cloud eine Einwilligung der Schule?",
]


def _words(title: str) -> list[str]:
    return titles.split_title(title)


def test_nouns_are_chosen_over_adjectives_and_participles():
    named = titles.titles({"reach": REACH, "apps": APPS, "cloud": CLOUD})
    reach = _words(named["reach"])
    assert "Personalrat" in reach and reach[0] == "Erreichbarkeit"  # erreichbar counts for the noun made from it
    assert not {"Erreichbar", "Durchgesetzt", "Dienstlich"} & set(reach), named["reach"]
    assert "Dienstlich" not in _words(named["apps"]) and "Erlaubt" not in _words(named["apps"])


def test_a_verb_does_not_lend_its_uses_to_a_rare_noun_of_the_same_stem():
    using = ["Wie nutzen eure Schulen den Messenger?", "Dürfen wir Signal dienstlich nutzen?",
             "Wer kann die Lernplattform nutzen?", "Sollen Eltern den Messenger nutzen?",
             "Welchen Nutzen hat der Messenger für Eltern?"]
    named = titles.rank_words({"using": using, "apps": APPS})
    assert "Nutzen" not in named.ranked["using"] and "Messenger" in named.ranked["using"]


def test_distinctive_words_beat_words_every_group_uses():
    named = titles.titles({"reach": REACH, "apps": APPS, "cloud": CLOUD})
    assert all("Schule" not in _words(title) for title in named.values()), named
    assert set(_words(named["apps"])) == {"WhatsApp", "Signal", "Threema"}
    assert named["apps"].startswith("WhatsApp, ") and " und " in named["apps"]


def test_product_names_keep_their_spelling_also_at_a_sentence_start():
    named = titles.titles({"reach": REACH, "apps": APPS, "cloud": CLOUD})
    assert _words(named["cloud"])[0] == "schul.cloud"
    assert "WhatsApp" in named["apps"] and "Whatsapp" not in named["apps"]


def test_a_german_title_is_joined_with_und():
    assert titles.join_words(["WhatsApp", "Signal", "Threema"]) == "WhatsApp, Signal und Threema"
    assert titles.join_words(["Personalrat", "Erreichbarkeit"]) == "Personalrat und Erreichbarkeit"
    assert titles.join_words(["Teams"]) == "Teams"
    assert titles.join_words(["Parents", "Consent"], german=False) == "Parents and Consent"
    assert titles.split_title("WhatsApp, Signal und Threema") == ["WhatsApp", "Signal", "Threema"]
    assert titles.split_title("Personalrat, Erreichbar, Durchgesetzt") == ["Personalrat", "Erreichbar", "Durchgesetzt"]


def test_english_questions_fall_back_to_content_words_joined_with_and():
    groups = {
        "consent": ["Do parents need to give consent for the class chat?",
                    "Is written consent from parents required under 16?",
                    "Which consent form do you use for parents?"],
        "teams": ["Can we turn off private chats in teams?",
                  "How do you moderate the teams chat for a class?",
                  "Are teams chats stored forever?"],
    }
    named = titles.titles(groups)
    assert "Consent" in _words(named["consent"]) and " and " in named["consent"] and " und " not in named["consent"]
    assert _words(named["teams"])[0] == "Teams"


def test_a_forum_written_in_lower_case_still_gets_titles():
    lower = {"reach": [t.lower() for t in REACH], "apps": [t.lower() for t in APPS]}
    named = titles.titles(lower)
    assert "Personalrat" in _words(named["reach"]) and "Whatsapp" in _words(named["apps"])


def test_a_tiny_group_gets_a_title_and_an_empty_one_none():
    one = ["Kennt jemand eine Vorlage für die Datenschutzerklärung?"]
    named = titles.titles({"reach": REACH, "one": one, "empty": []})
    assert set(_words(named["one"])) == {"Vorlage", "Datenschutzerklärung"}
    assert named["empty"] == ""


def test_a_weak_third_word_does_not_fill_a_title_up():
    threema = ["Ist Threema teuer?", "Wer hat Threema an der Schule?", "Threema für Eltern ok?",
               "Läuft Threema bei euch?", "Threema oder doch Signal?"]
    candidates = titles.rank_words({"threema": threema, "reach": REACH, "apps": APPS})
    assert len(candidates.ranked["threema"]) >= 3 and candidates.ranked["threema"][0] == "Threema"
    assert candidates.title("threema") == titles.join_words(candidates.ranked["threema"][:2])


def test_a_pseudonym_is_no_title_word():
    quoting = [f"Wie user-3fa9c2d1e0 schrieb: {text}" for text in CLOUD]
    words = _words(titles.titles({"cloud": quoting, "reach": REACH, "apps": APPS})["cloud"])
    assert words and not any("3fa9c2d1e0" in word or "user" in word.lower() for word in words)


def test_an_abbreviation_before_a_number_is_no_title_word():
    groups = {"law": ["Gilt Art. 8 DSGVO auch für den Klassenchat?", "Was sagt Art. 6 DSGVO zur Einwilligung?",
                      "Reicht Art. 6 Abs. 1 DSGVO als Grundlage?"], "apps": APPS}
    assert "Art" not in _words(titles.titles(groups)["law"]) and "DSGVO" in titles.titles(groups)["law"]


def test_a_name_of_two_words_is_shown_whole():
    licences = ["Was kostet Threema Work für eine Schule?", "Wer bestellt bei euch die Lizenzen für Threema Work?",
                "Threema Work oder Threema Education für die Lizenzen?", "Laufen die Lizenzen von Threema Work ab?"]
    named = titles.titles({"licences": licences, "reach": REACH})
    assert "Work" not in _words(named["licences"]) and "Lizenzen" in _words(named["licences"])
    assert titles.rank_words({"licences": licences, "reach": REACH}).ranked["licences"].count("Threema Work") <= 1


def test_a_compound_says_more_than_its_head():
    tablets = ["Bekommen die Lehrkräfte Leihtablets vom Schulträger?", "Sind Leihtablets für den Messenger erlaubt?",
               "Welche Tablets nutzt ihr?", "Wer zahlt die Tablets, wenn Leihtablets kaputt gehen?",
               "Die Tablets der Schule laden keine Apps"]
    words = _words(titles.titles({"tablets": tablets, "reach": REACH, "apps": APPS})["tablets"])
    assert "Leihtablets" in words and "Tablets" not in words


def test_the_dative_plural_is_shown_without_its_n():
    channels = ["Wer darf in den Kanälen posten?", "Wie viele Kanäle habt ihr?", "In den Kanälen ist Chaos",
                "Kann man in Kanälen die Antworten sperren?"]
    assert "Kanäle" in _words(titles.titles({"channels": channels, "reach": REACH})["channels"])


def test_a_previous_title_stays_while_it_fits_and_an_old_keyword_list_is_replaced():
    groups = {"reach": REACH, "apps": APPS, "cloud": CLOUD}
    fresh = titles.titles(groups)
    reordered = titles.join_words(list(reversed(_words(fresh["apps"]))))
    kept = titles.titles(groups, previous={"apps": reordered, "reach": "Personalrat, Erreichbar, Durchgesetzt",
                                           "cloud": "schul.cloud, Konten, Eltern"})
    assert kept["apps"] == reordered  # same words, an editor saw it before: no rename
    assert kept["reach"] == fresh["reach"]  # "Erreichbar" is no title word any more
    assert kept["cloud"] == "schul.cloud, Konten und Eltern"  # an old list of fitting nouns, joined
    inflected = titles.titles(groups, previous={"reach": "Personalräte und Dienstvereinbarungen"})
    assert inflected["reach"] == "Personalräte und Dienstvereinbarungen"  # other inflections of fitting words
