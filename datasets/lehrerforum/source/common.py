"""Pieces every thread uses: categories, greetings, closings, reactions, links. Hand-written for this dataset."""

CATEGORIES = [
    dict(id=4, slug="forum-intern", name="Forum intern", color="808281", position=0,
         description="Regeln, Ankündigungen und Rückmeldungen zum Forum selbst."),
    dict(id=5, slug="messenger", name="Messenger & Kommunikation", color="0088CC", position=1,
         description="Messenger, Chat und Kommunikation mit Kolleg*innen, Schüler*innen und Eltern."),
    dict(id=6, slug="datenschutz", name="Datenschutz", color="BF1E2E", position=2,
         description="DSGVO in der Schule: Einwilligungen, Verarbeitungsverzeichnis, DSFA, Auftragsverarbeitung."),
    dict(id=7, slug="elternarbeit", name="Elternarbeit", color="F7941D", position=3,
         description="Elternabende, Elternbriefe, Elternvertretung und wie man mit Eltern in Kontakt bleibt."),
    dict(id=8, slug="technik-server", name="Technik / Server", color="3AB54A", position=4,
         description="Schulserver, Linux, Windows, Backups, Virtualisierung, Benutzerverwaltung."),
    dict(id=9, slug="drucker-peripherie", name="Drucker & Peripherie", color="652D90", position=5,
         description="Drucker, Kopierer, Beamer, Dokumentenkameras und alles, was piept oder klemmt."),
    dict(id=10, slug="wlan-netzwerk", name="WLAN & Netzwerk", color="25AAE2", position=6,
         description="Access Points, VLANs, Firewalls, Jugendschutzfilter, Internetanbindung."),
    dict(id=11, slug="lernplattformen", name="Lernplattformen", color="12A89D", position=7,
         description="Moodle, itslearning, Teams, IServ, Landeslösungen und alles rund um Lernplattformen."),
    dict(id=13, slug="verwaltung-noten", name="Schulverwaltung & Noten", color="9EB83B", position=8,
         description="Notenprogramme, Zeugnisse, Stundenplan, Vertretungsplan."),
    dict(id=12, slug="off-topic", name="Off-Topic", color="92278F", position=9,
         description="Alles, was sonst nirgends passt. Bitte freundlich bleiben."),
]

GREETINGS = [
    "Hallo zusammen,", "Hallo,", "Hallo ihr Lieben,", "Liebe Kolleg*innen,", "Liebe Kolleginnen und Kollegen,",
    "Hi,", "Hi zusammen!", "Moin,", "Moin moin,", "Servus miteinander,", "Guten Abend,", "Hallo in die Runde,",
    "Liebes Forum,", "Hallo Forum,", "Guten Morgen zusammen,", "Grüß Gott,", "Hey Leute,", "Hallöchen,",
    "Liebe Community,", "Hallo an alle,", "Guten Tag,", "N'Abend,",
]

RUNUPS = [
    "Ich habe seit diesem Schuljahr die Klassenleitung einer 5. Klasse und merke jetzt erst, wie viel Kommunikation da nebenbei läuft.",
    "Bei uns im Kollegium gab es heute in der Konferenz eine ziemlich hitzige Diskussion, und ich bin danach mit mehr Fragen als Antworten nach Hause gegangen.",
    "Ich lese hier schon länger mit, schreibe aber zum ersten Mal.",
    "Kurz zu mir: Ich bin an einer kleinen Grundschule auf dem Land, wir sind 11 Lehrkräfte und ich mache nebenbei „die Technik“, weil es sonst keiner macht.",
    "Vorweg: ich habe die Suche benutzt, aber die Threads sind teilweise schon ein paar Jahre alt und ich weiß nicht, ob das noch aktuell ist.",
    "Unsere Schulleitung hat uns gebeten, bis zu den Ferien eine Lösung vorzuschlagen, und irgendwie bin ich jetzt dafür zuständig.",
    "Folgende Situation: eine Mutter hat mich heute nach dem Elternsprechtag angesprochen und ich wusste ehrlich gesagt nicht, was ich antworten soll.",
    "Ich bin noch im Referendariat und will es von Anfang an richtig machen, bevor sich schlechte Gewohnheiten einschleichen.",
    "Wir sind eine Schule mit ca. 900 Schüler*innen und 70 Lehrkräften, die Kommunikation läuft bisher über E-Mail, Zettel und sehr viel Flurfunk.",
    "Nach den letzten Wochen bin ich ehrlich gesagt ziemlich genervt und brauche mal einen Realitätscheck von außen.",
    "Ich bin neu an der Schule (Versetzung aus einem anderen Bundesland) und hier läuft vieles anders als ich es kenne.",
    "Ich habe gestern einen Elternbrief vom Ministerium weitergeleitet bekommen und bin danach eher verwirrter als vorher.",
    "Ich schreibe mal für unsere Steuergruppe Digitalisierung, wir sitzen gerade am Medienentwicklungsplan.",
    "Mir ist klar, dass das hier keine Rechtsberatung ist, aber vielleicht hat ja jemand Erfahrungswerte.",
    "Sorry falls das schon x-mal gefragt wurde, ich hab auf die Schnelle nichts Eindeutiges gefunden.",
    "Es geht um ein Thema, das bei uns gerade wieder hochkocht.",
    "Ich leite an unserer Schule seit kurzem die AG Medien und werde ständig von Kolleg*innen gefragt.",
    "Ich war heute bei einer Fortbildung zum Thema Datenschutz und seitdem bin ich etwas verunsichert.",
    "Unser Schulträger hat sich auf Nachfrage seit Wochen nicht gemeldet, deshalb frage ich hier.",
    "Vielleicht eine naive Frage, aber ich bin nicht so technikaffin.",
]

CLOSINGS = [
    "Danke schon mal!", "Danke vorab für eure Antworten.", "Bin für jeden Tipp dankbar.", "Freue mich über Rückmeldungen.",
    "Vielen Dank im Voraus!", "Wäre super, wenn jemand Erfahrungen teilen könnte.", "Danke euch!",
    "Ich bin gespannt, wie ihr das handhabt.", "Jede Antwort hilft, danke!", "Merci!", "Danke fürs Lesen.",
    "Links zu offiziellen Quellen wären toll.", "Danke und einen schönen Abend noch.", "Schon mal danke :slight_smile:",
    "Gerne auch per PN, falls das hier zu öffentlich ist.", "Danke für eure Geduld mit mir :see_no_evil:",
]

NUMBERED_INTROS = [
    "Ich habe zwei Fragen dazu:", "Zwei Fragen fallen mir dazu ein:", "Konkret geht es mir um zwei Dinge:",
    "Folgende Fragen:", "Meine Fragen:", "Mich würde zweierlei interessieren:",
]

NUMBERED_STYLES = [
    "{n}. Frage:\n{q}", "{n}. {q}", "Frage {n}: {q}", "{n}) {q}", "{n}. Frage: {q}",
]

SECOND_QUESTION_LEADS = [
    "Und gleich noch was:", "Zweite Frage:", "Außerdem:", "Und noch eine Sache:", "Was mich auch interessieren würde:",
    "PS:", "Nebenbei:", "Ach ja, und:",
]

ANSWER_GREETINGS = [
    "Hallo {opname},", "Hi {opname},", "Hallo @{op},", "Moin {opname},", "Hallo {opname}!", "Hi,", "Hallo,",
    "Servus {opname},", "Hey {opname},",
]

ANSWER_LEADS = [
    "Kurz aus unserer Praxis:", "Ich kann dir nur sagen, wie es bei uns ({land}) läuft.", "Ohne Gewähr:",
    "Das ist leider ein Dauerbrenner hier.", "Gute Frage, die stellen sich viele.", "Aus meiner Sicht:",
    "Ich hatte genau das gleiche Problem letztes Jahr.", "Ich antworte mal als Datenschutzbeauftragter einer Nachbarschule:",
    "Kurze Antwort: kommt drauf an. Lange Antwort:", "Bei uns im Landkreis ist das so geregelt:",
    "Ich versuch's mal:", "Da muss ich etwas ausholen.",
]

ADDENDA = [
    "Ohne Gewähr, ich bin kein Jurist.", "Frag am besten noch beim Datenschutzbeauftragten eures Schulamts nach, die sind meistens hilfsbereit.",
    "Lass dir das auf jeden Fall schriftlich geben.", "Das kann in anderen Bundesländern natürlich anders aussehen.",
    "Wir sind damit bisher gut gefahren.", "Ich würde das auf jeden Fall in der Gesamtkonferenz beschließen lassen.",
    "Alles Gute dabei!", "Berichte gern, wie es ausgegangen ist.", "Mehr weiß ich leider auch nicht.",
    "Stand heute jedenfalls, das ändert sich ja gefühlt jedes Halbjahr.", "Hoffe, das hilft ein bisschen.",
    "Schau auch mal in die älteren Threads hier, da steht viel dazu.",
]

FOLLOWUP_LEADS_OP = [
    "Danke euch für die schnellen Antworten! Eine Sache ist mir noch unklar:", "Ok, verstehe. Nachfrage:",
    "Danke, das hilft schon mal. Aber:", "Hm, das widerspricht ein bisschen dem, was unser Schulleiter sagt.",
    "Vielen Dank! Noch eine Anschlussfrage:", "Puh, das ist komplizierter als gedacht.", "Ah, danke!",
    "[[~Verstehe ich das richtig?]]", "Kurzes Update: Die Schulleitung ist grundsätzlich offen.", "Ich muss nochmal nachhaken.",
]

FOLLOWUP_LEADS_OTHER = [
    "Ich hänge mich hier mal dran, weil es bei uns ähnlich ist.", "Passt gerade gut, ich habe eine ähnliche Frage.",
    "Sorry fürs Kapern des Threads, aber:", "Spannender Thread! Ergänzende Frage:", "Bei uns ist die Lage etwas anders.",
    "Ich klinke mich mal ein.", "Mal eine Frage in die Runde, die hier ganz gut reinpasst:",
    "Ich hätte auch noch eine Frage dazu.", "Ganz ähnliche Situation hier.",
]

REACTIONS = [
    "Genau so ist es.", "Das sehe ich etwas anders, ehrlich gesagt.", "Dem kann ich mich nur anschließen.",
    "Das würde ich so nicht unterschreiben. In der Praxis sieht das oft anders aus.", "Danke, das bringt es auf den Punkt.",
    "Das ist leider die Realität an vielen Schulen.", "So haben wir es auch gemacht und es funktioniert.",
    "[[~Hast du dafür eine Quelle?]] Würde ich gern meiner Schulleitung zeigen.", "Volle Zustimmung :+1:",
    "Naja, das ist die Theorie.", "Das war bei uns vor zwei Jahren genauso, inzwischen hat sich das zum Glück geändert.",
    "Das ist ein wichtiger Punkt, der oft vergessen wird.", "Stimmt, daran hatte ich gar nicht gedacht.",
    "Ganz so einfach ist es leider nicht.", "Das hätte ich auch gern schwarz auf weiß.",
    "Der Teil ist entscheidend. Alles andere ist Kür.", ":100:", "Exakt.", "Sehe ich genauso, aber erklär das mal dem Kollegium.",
]

THANKS = [
    "Vielen Dank euch allen, das hat mir sehr geholfen!", "Danke, damit kann ich arbeiten.", "Super, danke!",
    "Danke für die ausführlichen Antworten. Ich werde das in der nächsten Konferenz ansprechen.",
    "Vielen Dank! Ich markiere das mal als Lösung.", "Perfekt, genau das habe ich gesucht :+1:",
    "Danke, ich berichte, wie es weitergeht.", "Das hilft mir weiter, danke.", "Tausend Dank!",
    "Danke, dann weiß ich jetzt, wonach ich fragen muss.", "Ihr seid super, danke :slight_smile:",
    "Okay, dann lasse ich es lieber. Danke!", "Danke, hat sich erledigt. Die Schulleitung hat jetzt eine klare Ansage gemacht.",
    "Merci, das war sehr hilfreich.", "Danke dir, ich leite das an unsere Schulleitung weiter.",
    "Update: Wir haben es jetzt so umgesetzt wie vorgeschlagen. Läuft!",
]

THANKS_EN = [
    "Thanks a lot, that's really helpful!", "Great, thank you all.", "Thanks, that clears it up.",
    "Much appreciated, I'll talk to our head about it.", "Perfect, thanks :+1:",
]

CHATTER = [
    "Ich finde es ehrlich gesagt absurd, dass jede Schule das selbst herausfinden muss.",
    "Bei uns ist es genauso chaotisch, ihr seid nicht allein :sweat_smile:",
    "Das Thema verfolgt mich seit Jahren. [[~Wann kommt endlich eine bundesweite Lösung?]]",
    "Ich lese mal interessiert mit.", "Interessanter Thread, danke fürs Teilen.", "+1, würde mich auch interessieren.",
    "Ich glaube, wir diskutieren das im Kollegium seit 2018 und sind keinen Schritt weiter.",
    "[[~Wer soll das alles eigentlich noch kontrollieren?]] Wir haben ja sonst nichts zu tun.",
    "Schön zu lesen, dass es anderswo besser läuft.", "Leider sehr typisch für unser Schulsystem.",
    "Ich habe mittlerweile aufgegeben und schreibe nur noch E-Mails. Das ist wenigstens eindeutig.",
    "Das Problem sitzt wie immer vor dem Bildschirm :wink:", "Hier auch. Dauerthema in jeder Dienstbesprechung.",
    "Vielleicht sollten wir hier mal eine Liste mit Lösungen pro Bundesland sammeln.",
    "Ich bewundere ja alle, die das nebenbei zum Unterricht stemmen.", "Manchmal vermisse ich das Telefon mit Wählscheibe :joy:",
    "Danke, dass du das fragst. Ich hatte genau die gleiche Frage im Kopf.", "Spannend, wie unterschiedlich das in den Ländern läuft.",
    "Bei uns wird das gerade in der Steuergruppe diskutiert, ich nehme den Thread mal mit.",
    "Ich bin gespannt, was hier noch kommt.", "Gut, dass das mal jemand anspricht.",
    "Wir hatten das Thema letzte Woche in der Dienstbesprechung. Ergebnis: Arbeitsgruppe gegründet :roll_eyes:",
    "Ich merke, ich bin nicht die Einzige, die da unsicher ist. Beruhigend irgendwie.",
    "Das ist genau die Art Frage, bei der jeder Jurist „kommt drauf an“ sagt.",
    "Puh. Ich dachte, bei uns wäre es schlimm.", "Ich hab's mir mal abonniert.",
    "Schade, dass es dafür keine zentrale Stelle gibt, die verbindlich Auskunft gibt.",
    "Wir machen das seit Jahren irgendwie und hoffen, dass nie etwas passiert. Nicht ideal, ich weiß.",
    "Mein Schulleiter würde sagen: „Machen Sie mal, aber ich weiß von nichts.“ :grimacing:",
    "Ich finde den Austausch hier echt wertvoll, danke an alle.", "Hier in {land} ist es ähnlich unklar.",
    "Meine Erfahrung: Am Ende entscheidet es die Schulleitung, egal was im Forum steht.",
]

MOD_LINKS = [
    "Hinweis der Moderation: Das Thema wurde hier schon ausführlich besprochen, vielleicht hilft dir das weiter:\n\n{url}",
    "Schau mal hier, da gab es eine ähnliche Diskussion: {url}",
    "Ich verlinke mal den älteren Thread dazu, damit das Wissen zusammenbleibt:\n\n{url}",
    "Verwandtes Thema: {url}",
]

CONTACT_OFFERS = [
    "Wenn du magst, schick mir eine Mail an {email}, dann schicke ich dir unsere Vorlage.",
    "Bei Fragen gern auch direkt an mich: {email}",
    "Ruf mich gern mal in der Schule an, meistens erreichbar dienstags in der 5. Stunde: {phone}",
    "Unser Elternbrief dazu liegt bei mir, Mail an {email} genügt.",
    "Ich bin unter {phone} erreichbar (Sekretariat, bitte nach mir fragen).",
    "Meld dich gern: {email} oder telefonisch {phone}",
]

PHONES = [
    "030 23125 417", "0171 3920047", "+49 40 66969 123", "(089) 99998-210", "0221/4710 388",
    "069 90009 512", "0171 3920081", "+49 30 23125 960",
]

EMOJI = {
    "slight_smile", "smile", "wink", "joy", "sweat_smile", "see_no_evil", "+1", "thinking", "100", "roll_eyes",
    "pray", "tada", "confused", "grimacing", "facepalm", "upside_down_face", "rofl", "heart", "man_shrugging",
    "woman_shrugging", "warning", "sob",
}

LINK_TITLES = {
    "https://threema.ch/de/work": "Threema Work – Der sichere Messenger für Unternehmen und Organisationen",
    "https://threema.ch/de/education": "Threema Education – Messenger für Schulen",
    "https://element.io/": "Element | Secure collaboration and messaging",
    "https://matrix.org/": "Matrix.org",
    "https://signal.org/de/": "Signal » Startseite",
    "https://www.freie-messenger.de/bildungstraeger/": "Freie Messenger – Bildungsträger",
    "https://www.klicksafe.de/": "klicksafe – Die EU-Initiative für mehr Sicherheit im Netz",
    "https://schul.cloud/": "schul.cloud – Der Schul-Messenger",
    "https://prosody.im/": "Prosody IM",
    "https://conversations.im/": "Conversations – the very last word in instant messaging",
    "https://docs.moodle.org/de/Hauptseite": "MoodleDocs",
    "https://www.linuxmuster.net/": "linuxmuster.net – Die freie Schulserverlösung",
    "https://www.bsi.bund.de/": "Bundesamt für Sicherheit in der Informationstechnik",
    "https://www.datenschutz-schule.info/": "Datenschutz an Schulen",
    "https://kultusministerium.example/handreichung-messenger": "Handreichung: Messenger-Dienste im schulischen Kontext",
    "https://kultusministerium.example/dienstgeraete": "Dienstliche Endgeräte für Lehrkräfte – Fragen und Antworten",
    "https://medienzentrum.example/fortbildung/messenger": "Fortbildung: Sicher kommunizieren mit Messengern",
    "https://schulamt.example/datenschutz/dsfa-vorlage": "Vorlage Datenschutz-Folgenabschätzung (DSFA) für Schulen",
}

TECH_ANSWERS = [
    "[[Welche Version bzw. welches Modell genau?]] Ohne die Info ist das schwer zu sagen.",
    "Klingt nach Treiber oder Firmware. Ich würde erstmal alles auf den aktuellen Stand bringen und dann nochmal testen.",
    "[[~Hast du schon beim Support des Herstellers bzw. beim Schulträger nachgefragt?]] Die kennen solche Fälle oft.",
    "[[Gibt es irgendwo ein Log oder eine Fehlermeldung?]] Dann können wir gezielter helfen.",
    "Das hatten wir auch mal. Bei uns lag es am Ende an einem völlig anderen Gerät im Netz, das dazwischengefunkt hat. Schritt für Schritt eingrenzen hilft.",
    "Ich würde das nicht selbst basteln, sondern beim Dienstleister des Trägers ein Ticket aufmachen. Sonst bleibt es an dir hängen.",
    "Bei uns läuft genau das seit zwei Jahren ohne Probleme. Schick mir gern eine PN, dann schicke ich dir unsere Einstellungen.",
    "[[Ist das erst seit einem Update so oder war das schon immer?]]",
    "Such mal im linuxmuster- bzw. Herstellerforum nach der Fehlermeldung, da gibt es oft fertige Lösungen.",
    "Neustarten, und zwar in der richtigen Reihenfolge: erst Switch, dann Server, dann Clients. Klingt blöd, hilft erstaunlich oft.",
    "Genau so ein Problem hat bei uns drei Wochen gedauert. Am Ende war es ein falsch gesetztes Häkchen.",
    "Ich hätte ehrlich gesagt einen anderen Ansatz gewählt, aber wenn es so vorgegeben ist: Doku des Herstellers, Kapitel Fehlerbehebung.",
]

CHATTER_TECH = [
    "Ich lese mal interessiert mit, wir haben bald das gleiche Thema.", "+1, würde mich auch interessieren.",
    "Willkommen im Club :sweat_smile:", "Schul-IT ist halt immer ein bisschen Abenteuer.",
    "Ich bewundere ja alle, die das nebenbei zum Unterricht stemmen.",
    "[[~Warum ist eigentlich jede Schule ihr eigener IT-Dienstleister?]]",
    "Gut, dass du fragst, ich hatte mich nicht getraut :joy:", "Hier auch. Immer kurz vor den Zeugnissen, natürlich.",
    "Ich merke mir den Thread, das Problem kommt bei uns bestimmt auch.", "Hatten wir letztes Jahr auch. Ich drück die Daumen.",
    "Ein Königreich für einen hauptamtlichen Admin.", "Das erinnert mich an meinen letzten Freitagnachmittag :sob:",
    "Berichte bitte, was es am Ende war!", "Ich hab das gleiche Gerät, bisher ohne Probleme. Klopf auf Holz.",
    "Der Träger hat bei uns auch so etwas angekündigt. Mal sehen, wann das kommt.", "Typisch. Immer dann, wenn man es braucht.",
]

# English counterparts, used in the threads written in English.
GREETINGS_EN = ["Hi all,", "Hello everyone,", "Hi,", "Hey folks,", "Good evening,"]
CLOSINGS_EN = ["Thanks in advance!", "Any pointers appreciated.", "Thanks!", "Cheers for any help."]
NUMBERED_INTROS_EN = ["Two questions:", "I have two questions:"]
NUMBERED_STYLES_EN = ["{n}. {q}", "Question {n}: {q}"]
SECOND_QUESTION_LEADS_EN = ["Also:", "And one more thing:", "PS:"]
ANSWER_GREETINGS_EN = ["Hi {opname},", "Hey @{op},", "Hi,"]
FOLLOWUP_LEADS_OP_EN = ["Thanks! One follow-up:", "Got it. But:", "Thanks, that helps. Quick follow-up:"]
FOLLOWUP_LEADS_OTHER_EN = ["Jumping in here with a related question:", "Same situation here.", "Related question:"]
REACTIONS_EN = ["Exactly.", "Agreed, that's how it works at our school too.", "Good point, hadn't thought of that."]
RUNUPS_EN = ["I've been reading along for a while but this is my first post."]
ANSWER_LEADS_EN = ["From my experience:", "Not a lawyer, but:"]
ADDENDA_EN = ["Hope that helps.", "Your school's data protection officer can confirm the details."]

# Back stories for the technical (off-topic) threads.
RUNUPS_TECH = [
    "Ich bin seit drei Jahren „der IT-Mensch“ an unserer Schule, mit zwei Anrechnungsstunden und null Ausbildung dafür.",
    "Vorweg: Der Dienstleister des Schulträgers ist seit Wochen nicht zu erreichen, deshalb frage ich hier.",
    "Ich lese hier schon länger mit, schreibe aber zum ersten Mal.",
    "Kurz zur Umgebung: ca. 250 Geräte, ein Server im Keller, ein Admin (ich) mit vollem Deputat.",
    "Sorry falls das schon x-mal gefragt wurde, ich hab auf die Schnelle nichts Eindeutiges gefunden.",
    "Ich habe das ganze Wochenende damit verbracht und bin mit meinem Latein am Ende.",
    "Unser Medienentwicklungsplan ist durch, jetzt geht es an die Umsetzung.",
    "Vielleicht eine naive Frage, aber ich bin nicht so technikaffin.",
    "Ich bin Informatiklehrer und damit automatisch für alles zuständig, was einen Stecker hat.",
]
