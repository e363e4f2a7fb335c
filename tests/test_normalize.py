from miner.normalize import GermanNormalizer, load_vocabulary, stem_tokens


def test_filler_synonyms_and_stop_words():
    norm = GermanNormalizer().fit(["x"])
    assert norm.normalize("Hallo zusammen, weiß jemand ob WA an Schulen verboten ist?") == "whatsapp schulen verboten"
    assert norm.normalize("Ich hätte mal eine Frage: Smartphone oder Mobiltelefon?") == "handy handy"
    assert norm.normalize("Einwilligung der Erziehungsberechtigten") == "einwilligung eltern"


def test_multiword_and_hyphenated_variants_map_to_one_term():
    norm = GermanNormalizer().fit(["x"])
    assert norm.normalize("Threema-Work-Lizenzen") == "threema lizenz"
    assert norm.normalize("Brauchen wir eine Datenschutz-Folgenabschätzung?") == "brauchen dsfa"
    assert norm.normalize("Kann man schul.cloud im Browser nutzen") == "schulcloud browser nutzen"


def test_service_device_and_own_phone_stay_apart():
    """Two FAQ topics ("Diensthandy?" vs "my private phone for school?"): the compounds must not collapse to "handy"."""
    norm = GermanNormalizer().fit(["x"])
    service = {norm.normalize(t) for t in ("Diensthandy", "Dienstgerät", "dienstliches Endgerät", "Diensttablet")}
    own = {norm.normalize(t) for t in ("Privathandy", "privates Handy", "Privatgerät")}
    assert len(service) == 1 and len(own) == 1 and service != own and "handy" not in service | own


def test_stems_and_surface_forms():
    norm = GermanNormalizer().fit(["Lizenzen Lizenzen Lizenz", "Lizenzen kaufen"])
    assert stem_tokens("lizenzen kaufen") == ["lizenz", "kauf"]
    assert norm.surface_["lizenz"] == "lizenz"  # synonym canonical form wins


def test_vocabulary_file_format(tmp_path):
    path = tmp_path / "syn.txt"
    path.write_text("# comment\nauto = Auto, PKW, Kraft-Fahrzeug\nfiller: sag mal\n", encoding="utf-8")
    synonyms, fillers = load_vocabulary(path)
    assert synonyms == {"auto": "auto", "pkw": "auto", "kraft fahrzeug": "auto"}
    assert fillers == ["sag mal"]
    norm = GermanNormalizer(synonyms_path=path).fit(["x"])
    assert norm.normalize("Sag mal, ist das Kraft-Fahrzeug ein PKW?") == "auto auto"


def test_english_questions_map_onto_the_german_terms_of_their_twins():
    """An English post in a German forum must land in the entry of its German twins: same canonical terms, no English filler."""
    norm = GermanNormalizer().fit(["x"])
    english = norm.normalize("Hi all, do parents need to give consent for photos in the class chat?")
    german = norm.normalize("Müssen die Eltern einwilligen, wenn Fotos in den Klassenchat kommen?")
    assert {"eltern", "einwilligung", "foto", "klassenchat"} <= set(english.split())
    assert not {"hi", "all", "do", "to", "for", "in", "the"} & set(english.split())  # filler and function words
    assert {"eltern", "foto", "klassenchat"} <= set(german.split())
    assert norm.normalize("Is there an official school messenger in Bavaria?") == "landesmessenger bundesland"


def test_inflected_forms_meet_their_listed_term():
    """Outside writers inflect what the list spells once; the lemma maps them onto the same term."""
    norm = GermanNormalizer().fit(["x"])
    assert norm.normalize("In welchen Bundesländern?") == "bundesland"
    assert norm.normalize("Lehrkräften und Kindern") == "lehrkraft schüler"
    assert norm.normalize("Fotos aus sozialen Netzwerken") == "foto soziale netzwerke"
    assert norm.normalize("Dürfen wir dienstliche Handys nutzen?") == norm.normalize("Dürfen wir ein Diensthandy nutzen?")
    assert norm.normalize("Einwilligungen der Elternvertreter") == norm.normalize("Einwilligung des Elternvertreters")


def test_a_verb_is_not_read_as_a_listed_noun():
    """Words keep their case for the lemma: "landet" (a verb) is not "Land" (a listed term), "Landes" is."""
    norm = GermanNormalizer().fit(["x"])
    assert norm.normalize("Die Nachricht landet im Spam") == "nachricht landet spam"
    assert norm.normalize("Die Regeln des Landes") == "regeln bundesland"


def test_a_normaliser_saved_by_an_older_miner_matches_lemmas_too():
    """A matcher saved before lemmas existed is unpickled as it was: the list is read anew on first use."""
    norm = GermanNormalizer().fit(["x"])
    state = {k: v for k, v in norm.__dict__.items() if k != "_starts"}
    old = GermanNormalizer.__new__(GermanNormalizer)
    old.__dict__.update(state)
    assert old.normalize("In welchen Bundesländern?") == "bundesland"
