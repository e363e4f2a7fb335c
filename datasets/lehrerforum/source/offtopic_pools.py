"""Threads that are not about messengers: servers, printers, WLAN, Moodle, grading software, chat.

Same structure as faq_pools.TOPICS; these threads are labelled relevant=False, faq_topic=None.
Their questions are real questions too, so a miner has to tell topics apart, not questions from chatter.
"""

SUBJECTS = {}

SUBJECTS["server"] = dict(
    category="technik-server", tags=["server", "linux"], threads=16,
    titles=[
        "Schulserver neu aufsetzen – welche Distribution?", "linuxmuster 7.2 Update hängt", "Backup-Strategie für Schulserver",
        "Proxmox für die Schule?", "Benutzerimport aus der Schulverwaltung klappt nicht", "Server im Schrank wird zu heiß",
        "IServ oder linuxmuster?", "Active Directory für 40 Rechner – Overkill?", "USV für den Serverschrank", "Festplatte voll auf dem Fileserver",
        "Windows-Updates zentral verteilen", "Zertifikat abgelaufen, nichts geht mehr",
    ],
    questions=[
        "Unser alter Schulserver (Baujahr 2014) macht es nicht mehr lange. [[Was würdet ihr heute für eine Schule mit 300 Geräten nehmen, IServ, linuxmuster oder etwas ganz anderes?]]",
        "Das Update auf linuxmuster 7.2 bleibt bei der Migration der Benutzer hängen. [[Hat jemand eine Idee, wo ich anfangen soll zu suchen?]]\n\n```\nlinuxmuster-import-subnets: ERROR: subnet 10.0.0.0/16 overlaps\n```",
        "[[Wie macht ihr Backups eures Schulservers?]] Bei uns gibt es gerade eine externe USB-Platte, die einmal die Woche jemand tauscht (wenn er dran denkt).",
        "[[Lohnt sich Proxmox für eine Schule mit einem Admin, der das nebenbei macht?]]",
        "Der Import der Schülerdaten aus der Schulverwaltung bricht bei Umlauten ab. [[Welche Kodierung erwartet der Import?]]",
        "Im Serverraum sind im Sommer 38 Grad. [[Was habt ihr gegen Hitze im Serverschrank gemacht, ohne gleich eine Klimaanlage zu bekommen?]]",
        "[[active directory für eine grundschule mit 40 rechnern, macht das sinn oder ist das quatsch]]",
        "[[Welche USV könnt ihr für einen kleinen Serverschrank empfehlen?]] Budget ca. 800 Euro.",
        "Auf unserem Fileserver ist die Home-Partition voll, weil Schüler Videos speichern. [[Wie setzt ihr Quotas um?]]",
        "[[Wie verteilt ihr Windows-Updates an die Schülerrechner, WSUS oder etwas anderes?]]",
        "Heute Morgen ging nichts mehr, weil das Zertifikat des Servers abgelaufen war. [[Wie automatisiert ihr die Zertifikatserneuerung im internen Netz?]]",
        "[[Gibt es eine gute Anleitung, wie man einen Schulserver sauber dokumentiert, falls man mal ausfällt?]]",
        "[[Wer ist bei euch für den Server zuständig, eine Lehrkraft mit Entlastungsstunden oder ein externer Dienstleister?]]",
    ],
    followups=[
        "[[Wie viele Anrechnungsstunden bekommt ihr dafür?]]", "[[Nutzt ihr dafür Ansible oder Skripte?]]",
        "[[Wie lange hat die Migration bei euch gedauert?]]", "[[Habt ihr ein Offsite-Backup?]]", "[[Was kostet der Support im Jahr?]]",
    ],
    answers=[
        "Wir sind vor drei Jahren auf linuxmuster umgestiegen und sehr zufrieden. Die Community im Forum ist super hilfsbereit.\n\nhttps://www.linuxmuster.net/",
        "Backup: 3-2-1-Regel. Drei Kopien, zwei Medien, eine außer Haus. Bei uns: Snapshots auf dem NAS, nächtliches Backup auf eine zweite Maschine im anderen Gebäudeteil, wöchentlich verschlüsselt in die Cloud des Schulträgers.",
        "Proxmox ist super, aber nur, wenn jemand die Grundlagen versteht. Für einen Nebenbei-Admin würde ich eher eine fertige Schulserverlösung nehmen, die sich selbst aktualisiert.",
        "Die Import-Datei muss UTF-8 ohne BOM sein, Semikolon als Trenner. Excel speichert gern in Windows-1252, dann gibt es genau diesen Fehler. Mit LibreOffice als CSV (UTF-8) exportieren hilft.",
        "Gegen Hitze: Schrank mit Dachlüfter, Tür zum Flur mit Lüftungsgitter, und die Server nachts nicht unnötig rechnen lassen. Langfristig hilft nur eine Klimaanlage, das muss der Träger zahlen.",
        "Quotas setzen wir über die Schulserverlösung pro Gruppe: Schüler 2 GB, Lehrkräfte 20 GB. Seitdem ist Ruhe.",
        "WSUS ist zwar abgekündigt, läuft bei uns aber noch. Alternativ Intune oder eine MDM-Lösung des Trägers. Bei wenigen Rechnern geht auch Windows Update for Business per Gruppenrichtlinie.",
        "Intern nutzen wir eine eigene CA und Zertifikate mit 2 Jahren Laufzeit, im Kalender eingetragen. Für extern erreichbare Dienste Let's Encrypt mit certbot, das erneuert sich selbst.",
        "Ehrlich: Ohne Dokumentation steht die Schule still, wenn der Admin ausfällt. Wir haben ein Wiki mit Passwort-Tresor, auf den die Schulleitung im Notfall Zugriff hat.",
    ],
)

SUBJECTS["drucker"] = dict(
    category="drucker-peripherie", tags=["drucker", "kopierer"], threads=14,
    titles=[
        "Kyocera druckt nur noch Zeichensalat", "Druckkontingente für Schüler einrichten", "Drucker im Lehrerzimmer ständig offline",
        "Follow-Me-Printing an der Schule?", "Drucken vom iPad auf den Kopierer", "Papierstau-Hölle – welcher Drucker hält was aus?",
        "Treiber für alten Laserdrucker unter Windows 11", "Kopierer-Abrechnung pro Lehrkraft", "Toner ständig leer – Leasing sinnvoll?",
        "Druckserver unter Linux (CUPS)", "Sammelthread: Drucker-Frust",
    ],
    questions=[
        "Unser Kyocera im Lehrerzimmer druckt seit dem Windows-Update nur noch Zeichensalat. [[Hat jemand das gleiche Problem und eine Lösung?]]",
        "[[Wie setzt ihr Druckkontingente für Schüler um?]] Bei uns werden Hunderte Seiten am Tag gedruckt, meist Unsinn.",
        "Der Drucker im Lehrerzimmer ist gefühlt jeden zweiten Tag offline. [[Woran kann das liegen, wenn er eine feste IP hat?]]",
        "[[Hat jemand Erfahrung mit Follow-Me-Printing an Schulen, also Drucken erst nach Anmeldung am Gerät?]]",
        "[[Wie druckt ihr von iPads auf eure Kopierer?]] AirPrint findet den Kopierer nur im Lehrer-VLAN.",
        "[[welcher drucker überlebt eine 7. klasse]] ernsthaft, wir brauchen was robustes",
        "Für unseren alten HP LaserJet gibt es keinen Treiber für Windows 11. [[Gibt es einen Trick, oder muss der weg?]]",
        "[[Wie rechnet ihr Kopien pro Lehrkraft oder pro Fachbereich ab?]] Unsere Verwaltung will das jetzt genau wissen.",
        "Wir zahlen gefühlt ein Vermögen für Toner. [[Lohnt sich Leasing mit Seitenpreis für eine Schule?]]",
        "[[Hat jemand einen CUPS-Druckserver für Schülerrechner am Laufen und kann seine Konfiguration teilen?]]",
        "[[Kann man Kopierer so einstellen, dass sie standardmäßig doppelseitig und schwarz-weiß drucken?]]",
        "[[Wie löscht ihr die Festplatte eines Kopierers, bevor er zurück an den Leasinggeber geht?]] Da sind ja Scans von Klassenarbeiten drauf.",
    ],
    followups=[
        "[[Welches Modell habt ihr genau?]]", "[[Geht das auch ohne Kartenleser?]]", "[[Was kostet das pro Seite bei euch?]]",
        "[[Habt ihr den Treiber per GPO verteilt?]]", "[[Hat der Support da geholfen?]]",
    ],
    answers=[
        "Zeichensalat nach Update: Treiber von PCL auf KX-Treiber umstellen bzw. umgekehrt. Bei uns war es der universelle Treiber, der nach dem Update nicht mehr wollte.",
        "Druckkontingente laufen bei uns über die Schulserverlösung (PaperCut-ähnlich). Jeder Schüler hat 50 Seiten pro Monat, Lehrkräfte können aufladen. Das hat den Verbrauch halbiert.",
        "Offline trotz fester IP: Schau mal, ob der Drucker in den Energiesparmodus geht und dann das Netzwerk abschaltet. Bei vielen Geräten gibt es eine Einstellung „Netzwerk im Ruhemodus aktiv“. Außerdem prüfen, ob die IP nicht doch im DHCP-Bereich liegt.",
        "Follow-Me ist toll, wenn es funktioniert. Die Lizenzkosten sind aber nicht ohne, und die Kartenleser an jedem Gerät auch nicht. Bei 5 Geräten lohnt es sich kaum.",
        "AirPrint über VLANs geht nur mit mDNS-Reflektor (Avahi oder eine entsprechende Funktion in der Firewall). Alternativ den Drucker per IP in einem MDM-Profil hinterlegen.",
        "Für Schüler nehmen wir die einfachsten Business-Laserdrucker ohne Touchscreen. Je weniger Knöpfe, desto länger leben sie.",
        "Alte Drucker unter Windows 11: Oft geht der Treiber eines verwandten Modells oder der generische PCL6-Treiber. Ansonsten über einen Druckserver (CUPS) freigeben, dann brauchen die Clients keinen eigenen Treiber.",
        "Festplatte des Kopierers: Die meisten Hersteller haben eine „Datenlöschung“ im Service-Menü. Lass dir vom Leasinggeber ein Löschprotokoll geben, das ist Standard und für den Datenschutz wichtig.",
        "Leasing mit Seitenpreis lohnt sich bei uns: Toner, Wartung und Reparatur sind drin. Aber genau rechnen, manche Verträge haben absurde Mindestvolumen.",
    ],
    chatter=[
        "Drucker sind die einzigen Geräte, die spüren, wenn man es eilig hat :joy:",
        "Ich habe mal eine komplette Klassenarbeit ausgedruckt, nur um festzustellen, dass der Drucker Seite 2 weggelassen hat. Immer.",
        "Bei uns hat der Kopierer einen Namen. Er heißt Gerhard und hasst Montage.",
        "[[~Warum haben Drucker im Jahr 2024 immer noch Papierstau?]] [[~Ist das ein Naturgesetz?]]",
        "Mein Lieblingsfehler: „Papierfach leer“ bei vollem Papierfach.",
        "Ich bringe inzwischen meine eigenen Kopien aus dem Copyshop mit. Schneller und am Ende billiger als die Nerven.",
    ],
)

SUBJECTS["wlan"] = dict(
    category="wlan-netzwerk", tags=["wlan", "netzwerk"], threads=14,
    titles=[
        "WLAN in allen Klassenräumen – wie viele Access Points?", "UniFi oder Aruba für Schule?", "Captive Portal für Schüler-WLAN",
        "VLANs für Lehrer, Schüler, Gäste", "WLAN bricht bei 30 iPads zusammen", "Jugendschutzfilter: Erfahrungen?",
        "Glasfaseranschluss und trotzdem langsam", "eduroam an Schulen?", "PSK oder 802.1X im Schul-WLAN?",
        "WLAN in der Turnhalle", "Bandbreite pro Gerät begrenzen",
    ],
    questions=[
        "Wir sollen aus dem Digitalpakt WLAN in allen Räumen bekommen. [[Wie viele Access Points pro Klassenraum plant ihr?]]",
        "[[UniFi, Aruba Instant On oder Lancom, was läuft bei euch stabil?]]",
        "[[Wie habt ihr das Schüler-WLAN abgesichert, mit Captive Portal, Voucher oder 802.1X?]]",
        "Sobald eine Klasse mit 30 iPads gleichzeitig ein Video startet, bricht das WLAN zusammen. [[Liegt das am Access Point oder an der Internetleitung?]]",
        "[[Welchen Jugendschutzfilter nutzt ihr, und wie viele Fehlalarme produziert der?]]",
        "[[Lohnt sich eduroam für eine Schule, oder ist das nur was für Unis?]]",
        "[[wlan in der turnhalle, wie habt ihr das gemacht]] die wände sind 60cm beton",
        "Wir haben Glasfaser mit 1 Gbit, aber im Klassenraum kommen nur 20 Mbit an. [[Wo würdet ihr anfangen zu suchen?]]",
        "[[PSK oder Enterprise-Authentifizierung im Lehrer-WLAN, was ist realistischer für eine Schule ohne eigenen Radius-Server?]]",
        "[[Kann man die Bandbreite pro Gerät begrenzen, damit nicht einer alles wegzieht?]]",
        "Der Schulträger will das WLAN nach 16 Uhr abschalten. [[Ist das bei euch auch so, und was machen die Ganztagsangebote dann?]]",
        "[[Wie trennt ihr Lehrer-, Schüler- und Gästenetz, reichen VLANs oder braucht es physisch getrennte Netze?]]",
    ],
    followups=[
        "[[Welche Kanalbreite nutzt ihr im 5-GHz-Band?]]", "[[Wie viele Clients pro AP schafft ihr?]]",
        "[[Wer hat bei euch die Ausleuchtung gemacht?]]", "[[Läuft das über den Controller in der Cloud?]]",
    ],
    answers=[
        "Faustregel aus unserer Planung: ein Access Point pro Klassenraum, in der Mitte an der Decke. Klingt viel, aber bei 30 Geräten pro Raum ist alles andere Quälerei.",
        "Wir haben UniFi und sind zufrieden, solange man den Controller aktuell hält. Für größere Installationen würde ich aber etwas nehmen, das einen richtigen Support-Vertrag hat.",
        "30 iPads mit Video: Meist ist es die Internetleitung oder der Filter, nicht der AP. Schaut in die Auslastung der Firewall. Ein Caching-Server für Apple-Updates hilft auch enorm.",
        "Jugendschutzfilter: Alle produzieren Fehlalarme. Wichtig ist, dass Lehrkräfte schnell eine Freischaltung anfordern können. Bei uns dauert das leider drei Tage, das macht es unbrauchbar.",
        "802.1X ist sauberer, aber ohne Radius und jemanden, der es betreut, würde ich bei PSK pro Gruppe bleiben und die Schlüssel jedes Halbjahr wechseln.",
        "Turnhalle: Outdoor-APs mit Ballschutz an der Decke, Kabel im Leerrohr. Mesh durch 60 cm Beton kannst du vergessen.",
        "VLANs reichen, wenn die Firewall zwischen ihnen sauber filtert. Physisch getrennte Netze sind unnötig teuer.",
        "Von 1 Gbit auf 20 Mbit: Erst direkt am Router messen, dann am Core-Switch, dann am AP. Irgendwo ist der Flaschenhals, oft ein alter 100-Mbit-Switch im Verteilerschrank, den niemand kennt.",
    ],
)

SUBJECTS["moodle"] = dict(
    category="lernplattformen", tags=["moodle", "lernplattform"], threads=14,
    titles=[
        "Moodle-Update von 3.11 auf 4.x", "Moodle extrem langsam seit Montag", "H5P in Moodle funktioniert nicht",
        "Kurse für das neue Schuljahr zurücksetzen", "Moodle Backup wiederherstellen schlägt fehl", "Moodle oder itslearning?",
        "Moodle Kurs-Templates für Fachschaften", "Aufgabenabgabe: Dateigröße erhöhen", "Cronjob in Moodle läuft nicht",
        "Moodle-App Push-Benachrichtigungen",
    ],
    questions=[
        "Wir wollen von Moodle 3.11 auf 4.1 aktualisieren. [[Worauf muss man achten, gerade bei Plugins?]]",
        "Seit Montag ist unser Moodle extrem langsam, besonders morgens um 8. [[Wo setze ich an, Datenbank, PHP oder Hardware?]]",
        "[[Warum werden H5P-Inhalte in unserem Moodle nur als leerer Rahmen angezeigt?]]",
        "[[Wie setzt ihr am Schuljahresende die Kurse zurück, ohne dass die Materialien der Lehrkräfte verloren gehen?]]",
        "Die Wiederherstellung eines Kurs-Backups bricht mit „Fehler beim Lesen der Datenbank“ ab. [[Hat jemand eine Idee?]]",
        "[[moodle oder itslearning, was würdet ihr heute nehmen]]",
        "[[Wie erhöhe ich die maximale Dateigröße für Abgaben, wenn die Einstellung in Moodle schon auf 100 MB steht, aber nur 8 MB gehen?]]",
        "[[Wie richtet ihr den Cronjob für Moodle ein?]] Bei uns werden Forumsbeiträge erst Stunden später verschickt.",
        "[[Gibt es eine Möglichkeit, für alle Fachschaften eine einheitliche Kursvorlage bereitzustellen?]]",
        "[[Warum bekommen Schüler in der Moodle-App keine Push-Benachrichtigungen?]]",
        "[[Wie viele Nutzer schafft ein Moodle auf einer VM mit 4 Kernen und 16 GB RAM?]]",
        "[[Kann man in Moodle Abgaben automatisch auf Plagiate prüfen, ohne die Texte an externe Anbieter zu schicken?]]",
    ],
    followups=[
        "[[Welche PHP-Version läuft bei euch?]]", "[[Nutzt ihr Redis als Cache?]]", "[[Habt ihr das Update in den Ferien gemacht?]]",
        "[[Wo finde ich die Einstellung genau?]]",
    ],
    answers=[
        "Vor dem Update alle Plugins auf Kompatibilität prüfen, das ist meist das Problem. Und unbedingt vorher eine Kopie auf einem Testsystem aktualisieren. Die Moodle-Doku hat eine gute Checkliste.\n\nhttps://docs.moodle.org/de/Hauptseite",
        "Langsam morgens um 8: Das ist meist die Datenbank oder fehlendes Caching. Redis für Sessions und Anwendungscache hat bei uns Wunder gewirkt.",
        "H5P leer: Meist fehlt der Cron oder die H5P-Bibliotheken wurden nicht aktualisiert. Unter Website-Administration > H5P > Inhaltstypen manuell aktualisieren.",
        "Dateigröße: Moodle kann nicht mehr erlauben als PHP und der Webserver. upload_max_filesize und post_max_size in der php.ini anpassen, bei nginx zusätzlich client_max_body_size.",
        "Cron einmal pro Minute:\n\n```\n* * * * * /usr/bin/php /var/www/moodle/admin/cli/cron.php >/dev/null\n```",
        "Kursvorlage: Einen Musterkurs bauen, sichern und beim Anlegen neuer Kurse importieren. Es gibt auch Plugins für Kursvorlagen.",
        "Push in der App braucht die Registrierung eurer Seite beim Moodle-Benachrichtigungsdienst (kostenlos für kleine Installationen). Ohne das kommen keine Pushs.",
        "Moodle vs. itslearning ist eine Glaubensfrage. Moodle ist flexibel, braucht aber Pflege. itslearning ist bequemer, kostet aber Lizenzen und ist weniger anpassbar.",
    ],
)

SUBJECTS["noten"] = dict(
    category="verwaltung-noten", tags=["noten", "zeugnisse"], threads=12,
    titles=[
        "Notenprogramm für Lehrkräfte – Empfehlungen?", "Zeugnisprogramm stürzt ab", "Noten digital führen erlaubt?",
        "Excel-Notenliste vs. App", "Untis-Export in die Schulverwaltung", "Digitales Klassenbuch – Erfahrungen",
        "Noten auf dem Privatrechner?", "Notenberechnung mit Gewichtung",
    ],
    questions=[
        "[[Welches Notenprogramm nutzt ihr, und ist das datenschutzrechtlich abgesegnet?]]",
        "Das Zeugnisprogramm stürzt beim Druck der Halbjahreszeugnisse ab, immer bei derselben Klasse. [[Hat jemand eine Idee, woran das liegen kann?]]",
        "[[Darf ich meine Noten auf dem privaten Laptop in einer Excel-Tabelle führen?]]",
        "[[Welche Noten-Apps für iPad sind in eurem Bundesland zugelassen?]]",
        "[[Wie bekommt ihr die Stundenplandaten aus Untis in die Schulverwaltungssoftware?]]",
        "[[digitales klassenbuch, welches nutzt ihr und wie zufrieden seid ihr]]",
        "Ich muss Noten mit Gewichtung mündlich 60 %, schriftlich 40 % berechnen, aber mit Tendenzen (+/-). [[Wie bildet ihr die Tendenzen in Excel ab?]]",
        "[[Muss man für ein Notenprogramm auf dem Privatgerät eine Genehmigung der Schulleitung haben?]]",
        "[[Gibt es ein Notenprogramm, das offline funktioniert und verschlüsselt speichert?]]",
        "[[Wie lange müssen Notenlisten aufbewahrt werden?]]",
        "Die Zeugnisbemerkungen werden im Ausdruck abgeschnitten. [[Kann man in der Vorlage die Zeichenbegrenzung ändern?]]",
    ],
    followups=[
        "[[Kostet das was?]]", "[[Gibt es das auch für Android?]]", "[[Wie macht ihr die Datensicherung?]]",
        "[[Muss das in das Verarbeitungsverzeichnis?]]",
    ],
    answers=[
        "Noten auf Privatgeräten brauchen in den meisten Ländern eine Genehmigung der Schulleitung, oft mit einer Erklärung, dass du bestimmte Sicherheitsmaßnahmen einhältst (Verschlüsselung, Passwort, keine Cloud).",
        "Zeugnisabsturz bei einer Klasse: Oft ist es ein Sonderzeichen in einer Bemerkung oder ein Schüler mit sehr langem Namen. Klasse halbieren und schauen, in welcher Hälfte der Fehler steckt.",
        "Für Excel: Tendenzen als Dezimalwerte (2+ = 1,7; 2- = 2,3) eintragen und dann gewichten. Am Ende runden nach den Vorgaben eurer Notenverordnung.",
        "Untis kann GPU-Dateien exportieren, die viele Schulverwaltungsprogramme importieren. Ansonsten gibt es kostenpflichtige Schnittstellen.",
        "Digitales Klassenbuch: Wir nutzen eines, das an die Schulverwaltung angebunden ist. Großer Vorteil: Fehlzeiten sind sofort überall sichtbar.",
        "Aufbewahrung: Notenlisten meist bis zum Ende des auf das Schuljahr folgenden Jahres, Zeugnisdurchschriften deutlich länger. Schau in die Aufbewahrungsverordnung eures Landes.",
        "Verschlüsselt offline: Es gibt einige Apps, die eine eigene Verschlüsselung mitbringen. Oder du legst deine Datei in einen verschlüsselten Container (VeraCrypt), das ist die Minimallösung.",
    ],
)

SUBJECTS["tablets"] = dict(
    category="technik-server", tags=["ipad", "mdm"], threads=10,
    titles=[
        "iPad-Klassen: Erfahrungen nach einem Jahr", "MDM für Schul-iPads", "Apple Classroom funktioniert nicht",
        "Tablets laden – Ladewagen-Empfehlung", "Schüler umgehen die Einschränkungen", "Android-Tablets oder iPads?",
        "Geräte-Ausleihe organisieren",
    ],
    questions=[
        "[[Welches MDM nutzt ihr für Schul-iPads, und wie zufrieden seid ihr?]]",
        "Apple Classroom findet die Schüler-iPads nicht, obwohl alle im selben WLAN sind. [[Woran kann das liegen?]]",
        "[[Welchen Ladewagen für 32 iPads könnt ihr empfehlen?]]",
        "Unsere Schüler haben herausgefunden, wie sie die Bildschirmzeit-Einschränkungen umgehen. [[Wie verhindert ihr das?]]",
        "[[android tablets oder ipads für die grundschule]] der träger will sparen",
        "[[Wie organisiert ihr die Ausleihe von Leihgeräten an Schüler, mit Vertrag und Versicherung?]]",
        "[[Wie oft müssen die iPads bei euch neu aufgesetzt werden?]]",
        "[[Welche Hüllen halten bei euch am längsten?]] Wir haben nach einem Jahr 20 % gesprungene Displays.",
        "[[Sind 1:1-Geräte für alle Schüler aus eurer Sicht sinnvoll oder reicht ein Klassensatz?]]",
        "[[Wie verteilt ihr kostenpflichtige Apps auf die Schul-iPads?]]",
    ],
    followups=[
        "[[Was kostet das MDM pro Gerät?]]", "[[Habt ihr Schüler als Tech-Scouts?]]", "[[Wie lange hält der Akku?]]",
    ],
    answers=[
        "Wir nutzen Jamf School, andere Schulen bei uns im Kreis Relution. Beide tun, was sie sollen. Wichtiger ist, dass jemand da ist, der sich damit auskennt.",
        "Classroom braucht Bluetooth und dasselbe Netz ohne Client-Isolation. Im Schüler-WLAN ist oft Client-Isolation aktiv, dann findet Classroom niemanden.",
        "Umgehen lässt sich fast alles, wenn Schüler Zeit haben. Geräte im betreuten Modus mit MDM-Profil, das nicht entfernbar ist, sind die Basis. Der Rest ist Pädagogik.",
        "Ausleihe: Leihvertrag mit den Eltern, Geräteversicherung über den Träger, Ausgabe mit Protokoll und Seriennummer. Rückgabe am Schuljahresende mit Sichtprüfung.",
        "Hüllen: Die mit Griff und Standfuß halten bei uns am besten, auch wenn sie hässlich sind.",
        "Apps kauft bei uns der Träger über den Apple School Manager mit Volumenlizenzen und verteilt sie per MDM.",
    ],
)

SUBJECTS["beamer"] = dict(
    category="drucker-peripherie", tags=["beamer", "displays"], threads=8,
    titles=[
        "Beamer oder interaktives Display?", "Dokumentenkamera Empfehlung", "iPad drahtlos auf den Beamer",
        "Interaktive Tafel reagiert nicht mehr", "Lautsprecher im Klassenraum", "HDMI-Adapter-Chaos",
    ],
    questions=[
        "[[Beamer oder interaktives Display, was würdet ihr bei einer Neuausstattung nehmen?]]",
        "[[Welche Dokumentenkamera nutzt ihr im Alltag, und braucht man dafür extra Software?]]",
        "[[Wie bekommt ihr das iPad drahtlos auf den Beamer, ohne dass Schüler sich dazwischenschalten?]]",
        "Unsere interaktive Tafel reagiert nach einem Update nicht mehr auf den Stift. [[Kennt jemand das Problem?]]",
        "[[Welche Lautsprecher habt ihr für Videos im Klassenraum, die im Beamer sind ja ein Witz]]",
        "[[Wie löst ihr das Adapter-Chaos mit HDMI, USB-C und Lightning?]] Jede Woche ist ein Adapter weg.",
        "[[Wie lange halten eure Beamer-Lampen, und lohnt sich Laser?]]",
        "[[Gibt es Displays, die ohne Cloud-Konto des Herstellers funktionieren?]] Datenschutz lässt grüßen.",
        "[[Wie schult ihr Kolleg*innen an den neuen Displays, die keine Lust auf Technik haben?]]",
    ],
    followups=["[[Was hat das gekostet?]]", "[[Welche Größe habt ihr genommen?]]", "[[Wie ist das Blendverhalten bei Sonne?]]"],
    answers=[
        "Wir haben auf 75-Zoll-Displays umgestellt. Kein Lüfter, keine Lampe, keine Verdunklung nötig. Aber für große Räume zu klein, da ist ein Laserbeamer besser.",
        "Drahtlos: Apple TV pro Raum mit Code-Abfrage bei jeder Verbindung. Dann kann sich kein Schüler dazwischenschalten.",
        "Adapter: Wir haben die Adapter fest an die Kabel geklebt und mit einem Kabelbinder am Pult befestigt. Seitdem verschwindet nichts mehr.",
        "Laser lohnt sich: 20.000 Stunden statt 3.000, kein Lampenwechsel. Höhere Anschaffung, aber über 8 Jahre günstiger.",
        "Die meisten Displays funktionieren auch ohne Cloud-Konto, nur bestimmte Funktionen (Whiteboard-Speicherung in der Cloud) brauchen es. Vor dem Kauf genau nachfragen.",
        "Schulung: 30 Minuten pro Fachschaft, nur die drei wichtigsten Funktionen. Alles andere kommt von selbst, wenn Leute es im Unterricht brauchen.",
    ],
)

SUBJECTS["plauderecke"] = dict(
    category="off-topic", tags=[], threads=10,
    titles=[
        "Wie übersteht ihr die Zeugniszeit?", "Fortbildungsempfehlungen für das neue Schuljahr", "Kaffeemaschine im Lehrerzimmer",
        "Referendariat und Digitalisierung", "Was war euer größter IT-Fail?", "Lieblings-Tools für die Unterrichtsvorbereitung",
        "Ferienbeginn – was steht an?", "Seiteneinstieg: Tipps?",
    ],
    questions=[
        "[[Wie übersteht ihr die Zeugniszeit ohne durchzudrehen?]] Ich sitze seit drei Abenden an Bemerkungen.",
        "[[Welche Fortbildungen zum Thema digitale Bildung könnt ihr empfehlen?]]",
        "Unsere Kaffeemaschine im Lehrerzimmer hat den Geist aufgegeben und es gibt Streit um die Neuanschaffung. [[Wie finanziert ihr eure Kaffeekasse?]] :joy:",
        "[[Wie viel Digitalisierung kommt in eurem Referendariat tatsächlich vor?]]",
        "[[Was war euer größter IT-Fail in der Schule?]] Ich fang an: Beamer während der Lehrprobe abgeraucht.",
        "[[Mit welchen Tools bereitet ihr euren Unterricht vor?]] Ich suche was für Arbeitsblätter.",
        "[[ferien endlich, was habt ihr vor]]",
        "Ich bin Seiteneinsteiger (vorher Softwareentwickler). [[Was hättet ihr gern in eurem ersten Jahr gewusst?]]",
        "[[Wie viel Zeit verbringt ihr pro Woche mit IT-Support für Kolleg*innen?]] Ehrliche Zahlen bitte.",
        "[[Gibt es hier noch andere, die Informatik fachfremd unterrichten?]]",
    ],
    followups=["[[Und wie war's?]]", "[[Hast du einen Link?]]", "[[Wo genau war das?]]"],
    answers=[
        "Zeugniszeit: Textbausteine! Ich habe mir über die Jahre eine Sammlung angelegt, die ich dann anpasse. Spart die Hälfte der Zeit.",
        "Ich mache das Ganze seit 12 Jahren nebenbei und schätze ehrlich 4-6 Stunden pro Woche. Angerechnet werden 2.",
        "Kaffeekasse: 10 Euro pro Monat, freiwillig, wer nicht zahlt, trinkt Tee :wink:",
        "Mein größter Fail: Ich habe mal den Schulserver heruntergefahren statt meinen Rechner. Mitten in der Abiklausur. Nie wieder.",
        "Für Arbeitsblätter nutze ich LibreOffice mit eigenen Vorlagen. Nicht fancy, aber es läuft überall.",
        "Seiteneinstieg: Rechne nicht damit, dass irgendwas in der Schule so funktioniert wie in einer Firma. Und such dir früh eine Mentorin im Kollegium.",
        "Ferien: Erstmal eine Woche gar nichts. Dann Schrank aufräumen. Dann wieder Panik.",
    ],
    chatter=[
        "Haha, den kenne ich :joy:", "Ich lach mich schlapp.", "Schön, dass es hier auch mal leichtere Themen gibt.",
        "Das kommt mir alles sehr bekannt vor.", "Allen einen schönen Start!", "Danke für den Thread, hat meinen Tag gerettet.",
    ],
)
