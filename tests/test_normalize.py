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
