"""Thread titles that announce or instruct ("Neue Handreichung erschienen", "Forenregeln – bitte
zuerst lesen", "noch Plätze frei") rather than ask or name a topic.

Why: every title is stored as a question of kind 'title', and the FAQ step would gather such
notices into an entry of their own that answers nothing. Losing a real question costs more than
keeping a notice, so only closed, announcement-specific cues count: a past participle alone does not
("Schüler aus Klassenchat ausgeschlossen" names a problem), and a negated availability ("nicht mehr
verfügbar") reports one. Pure functions; ``miner.faqs`` leaves notice titles out of the grouping.
"""

from __future__ import annotations

import re

from miner.questions import V1_VERBS, WH_WORDS, question_kind

# "Hinweis: ...", "Achtung! ...": a leading label that announces
LABEL = re.compile(r"^(?:hinweis|ankündigung|bekanntmachung|wichtig|achtung|info|information|erinnerung|"
                   r"veranstaltungshinweis|termin|neu)\s*[:!]", re.I)
# an instruction to read or note something: "bitte zuerst lesen", "Bitte beachten: ..."
READ_REQUEST = re.compile(r"\bbitte\b(?:\s+[\w-]+){0,6}?\s+(?:lesen|beachten)\b", re.I)
# open places or registration: "noch Plätze frei", "Anmeldung jetzt möglich"
OPEN_OFFER = re.compile(r"\bplätze\s+frei\b|\banmeldung\s+(?:(?:ist\s+)?(?:jetzt|ab\s+sofort)\s+)?"
                        r"(?:möglich|offen|freigeschaltet)\b", re.I)
# a finished announcement: the predicate closes the title or one of its dash/colon segments
STRONG_PREDICATE = r"erschienen|freigeschaltet|bereitgestellt"
WEAK_PREDICATE = r"veröffentlicht|verfügbar|online|gestartet|da"  # need a sign of news: "neu", "jetzt", "ist"
PREDICATE_END = re.compile(rf"\b({STRONG_PREDICATE}|{WEAK_PREDICATE})\s*[!.]*$", re.I)
NEWS = re.compile(r"\b(?:neu\w*|jetzt|ab\s+sofort|endlich|ist|sind)\b", re.I)
NEGATION = re.compile(r"\b(?:nicht|kein\w*|nie|niemand|nirgends|noch\s+immer)\b", re.I)
# an event with its date: "Wartungsarbeiten am Samstag", "Webinar am 14.03."
EVENT = re.compile(r"^[\w-]*(?:wartung|webinar|workshop|veranstaltung|fortbildung|fachtag|barcamp)[\w-]*\b", re.I)
DATE = re.compile(r"\b(?:am|ab|bis)\s+(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
                  r"wochenende|\d{1,2}\.\s*(?:\d{1,2}\.|[a-zäöü]+))", re.I)
SEGMENTS = re.compile(r"\s+[–—-]\s+|:\s+")


def is_notice_title(title: str) -> bool:
    """Does a thread title announce or instruct rather than ask or name a topic?"""
    text = (title or "").strip()
    if not text or "?" in text or question_kind(text) is not None:
        return False
    first = re.findall(r"[\wäöüß']+", text.lower())[:1]
    if first and (first[0] in V1_VERBS or first[0] in WH_WORDS):
        return False  # opens like a question: "Ist der Landesmessenger schon verfügbar"
    if LABEL.match(text) or READ_REQUEST.search(text) or OPEN_OFFER.search(text):
        return True
    if EVENT.match(text) and DATE.search(text):
        return True
    return any(_announces(segment) for segment in SEGMENTS.split(text))


def _announces(segment: str) -> bool:
    found = PREDICATE_END.search(segment)
    if not found or NEGATION.search(segment):
        return False
    strong = re.fullmatch(STRONG_PREDICATE, found.group(1), re.I) is not None
    return strong or NEWS.search(segment[:found.start()]) is not None
