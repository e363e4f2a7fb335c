"""An FAQ entry's computed title: which member question stands for the entry, and how it reads.

Why: editors see an entry's title first (FAQ page, workbench, export, ``miner suggest``). The member
closest to the entry's centre is not always a good title: a terse follow-up is central only through
its thread, a special case is central through synonyms, and a long framed question ("Mal ganz
praktisch gefragt: Was passiert ..., und ...?") or a thread title the forum cut ("..., damit die App …")
reads badly at the top of a page. So among the most central members the one that says on its own
what the entry is about wins, a short whole one over a long or cut one, and the winner's text is
tidied for the title only: no greeting, no lead-in whose words no other member uses, and cut back
to its leading clause when it is too long. The stored question keeps its words.
Pure functions; ``miner.faqs`` and the editors' actions store the result.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from miner.normalize import content_words
from miner.questions import LEAD_IN, NARROWING_WORDS, V1_VERBS, WH_SUBJECTS, WH_WORDS, clean_question
from miner.sentences import GREETING

TITLE_CANDIDATES = 12  # members closest to the centroid that may give the entry its title
SPECIFIC_PENALTY = 0.15  # a title whose words no other member uses is a special case (see _specific_share)
FOLLOW_UP_PENALTY = 0.15
# a title longer than this is cut back to its leading clause; one that cannot stay whole reads worse
MAX_CHARS = 90
LONG_PENALTY = 0.1
# a leading clause shorter than this says too little to stand for the entry ("Was passiert eigentlich?")
MIN_CLAUSE_CHARS = 35
# no clause to cut back to: a question stays whole up to this length, a longer one is cut at a word
HARD_MAX_CHARS = 140
LEAD_IN_WORDS = 6
# a re-run keeps the entry's title question while it scores within this of the best (half the smallest
# penalty: a follow-up, special case or a question that must be cut still gives way to a clean one)
KEEP_MARGIN = 0.05

# "Und was ist, wenn ...?", "Also: ...", "Oder reicht ...?": a reply to what came before, a poor title
FOLLOW_UP = re.compile(r"^\W*(?:und|oder|aber|also|dann|and|or|but|so)\b", re.I)
CUT_MARK = re.compile(r"\s*(?:…|\.\.\.+)$")
# "Hallo!" / "Hallo zusammen." as a sentence of its own before the question
GREETING_SENTENCE = re.compile(r"^[^.!?,]{0,40}[!.]\s+(?=\S)")
# where a clause ends inside a question: a sentence end, a comma, a dash, or "und"/"oder"/"aber"
# followed by a subject or a verb (a new clause, not "Eltern und Schüler")
_CONNECTORS = r"(?:und|oder|aber|and|or|but)"
CLAUSE_END = re.compile(r"[?!;](?=\s)|,(?=\s)|\s[–—-](?=\s)|\s(?=" + _CONNECTORS + r"\s+(\S+))")
_WORD = re.compile(r"[^\W\d_]+")


def _asks_by_form(text: str) -> bool:
    """Starts the way a German or English question does: a verb or a question word first."""
    first = _WORD.match(text.lstrip("„\"'»«(¿"))
    return bool(first) and (first.group().lower() in V1_VERBS or first.group().lower() in WH_WORDS)


def _without_greeting(text: str) -> str:
    """Drop a greeting that stands as a sentence of its own ("Hallo! Darf ich ...")."""
    if GREETING.match(text):
        sentence = GREETING_SENTENCE.match(text)
        if sentence and len(text[:sentence.end()].split()) <= 4:
            return text[sentence.end():]
    return text


def _without_lead_in(text: str, others: list[str]) -> str:
    """Drop "Mal ganz praktisch gefragt:" when the rest asks on its own and no other member of the
    entry uses a word of the lead-in (then it tells nothing about the entry; "Datenschutz: Darf ...",
    where others ask about Datenschutz too, keeps its head)."""
    lead = LEAD_IN.match(text)
    if not lead or len(lead.group(1).split()) > LEAD_IN_WORDS:
        return text
    rest = text[lead.end():]
    if not _asks_by_form(rest):
        return text
    used = set().union(*(content_words(o) for o in others)) if others else set()
    if content_words(lead.group(1)) & used:
        return text
    return rest[:1].upper() + rest[1:]


def _leading_clause(text: str) -> str | None:
    """The longest leading clause of at most ``MAX_CHARS`` that asks on its own, or None (a clause
    that does not ask would leave the question itself out of the title)."""
    best = None
    for match in CLAUSE_END.finditer(text):
        head = text[:match.start()].rstrip(" ,;–—-")
        if len(head) > MAX_CHARS:
            break
        after = match.group(1)
        if after is not None and not (after.lower() in WH_SUBJECTS or after.lower() in V1_VERBS):
            continue  # "Eltern und Schüler": a list, not a new clause
        if len(head) >= MIN_CLAUSE_CHARS and (head.endswith("?") or _asks_by_form(head)):
            best = head
        following = _WORD.match(text[match.end():].lstrip())
        if following and following.group().lower() in NARROWING_WORDS | {"z"}:
            break  # ", z. B. Threema, Signal": what follows is a list of examples, not clauses
    if best is None:
        return None
    return best if best.endswith(("?", "!")) else best + "?"


def _tidy(text: str, others: list[str]) -> str:
    """The question without greeting and empty lead-in; its first word as the author wrote it
    unless something before it went ("schul.cloud", "darf lehrer ...": written so, kept so)."""
    text = " ".join((text or "").split())
    others = [o for o in others if " ".join(o.split()) != text]  # the member itself, or a repeat of it
    tidy = _without_lead_in(clean_question(_without_greeting(clean_question(text))), others)
    if text.endswith(tidy[1:]) and len(text) == len(tidy):
        return text[:1] + tidy[1:]
    first = _WORD.match(tidy)
    if first and ("." in tidy.split(" ", 1)[0] or any(c.isupper() for c in first.group()[1:])):
        return tidy[:1].lower() + tidy[1:] if tidy[:1].lower() + tidy[1:] in text else tidy
    return tidy


def title_text(text: str, others: list[str] = ()) -> str:
    """How the question ``text`` reads as the entry's title (``others``: the other members' texts)."""
    title = _tidy(text, list(others))
    cut = bool(CUT_MARK.search(title))
    if not cut and len(title) <= MAX_CHARS:
        return title
    body = CUT_MARK.sub("", title)
    shorter = _leading_clause(body)
    if shorter:
        return shorter
    if len(title) <= HARD_MAX_CHARS or " " not in body[:MAX_CHARS]:
        return title  # no clause to fall back on: whole (or as the forum cut it) reads better than cut here
    words = body[:MAX_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return words + " …"


def title_question(members: list[str], similarity: np.ndarray, own_similarity, text_of=None,
                   previous: str | None = None) -> str:
    """The member that says on its own what the entry is about.

    The medoid alone is not enough: a terse follow-up ("Verstehe ich das richtig?", "Hast du dafür
    eine Quelle?") sits near the centre only through its thread's context, which a reader of the
    title does not see. Among the members closest to the centre, the one whose own words (embedded
    without context) are closest to the centre wins; a follow-up, a special case and a question
    that cannot stand whole as a title count against it. ``previous``: the question that gave the
    title last run; it keeps it unless another one is clearly better (a refitted space moves the
    centre a little even when the entry's questions stay the same)."""
    order = np.argsort(-similarity, kind="stable")[:TITLE_CANDIDATES]
    candidates = [members[i] for i in order]
    if own_similarity is None or len(candidates) == 1:
        return candidates[0]
    own = own_similarity(candidates)
    if not text_of:
        return candidates[int(np.argmax(own + 0.25 * similarity[order]))]
    texts = [text_of(q) for q in candidates]
    member_texts = [text_of(q) for q in members]
    follow_up = np.array([FOLLOW_UP_PENALTY if FOLLOW_UP.match(t) else 0.0 for t in texts])
    specific = _specific_share(texts, member_texts)
    long = np.array([LONG_PENALTY if _needs_cut(t, member_texts) else 0.0 for t in texts])
    score = own + 0.25 * similarity[order] - follow_up - SPECIFIC_PENALTY * specific - long
    if previous in candidates and score[candidates.index(previous)] >= score.max() - KEEP_MARGIN:
        return previous
    return candidates[int(np.argmax(score))]


def _needs_cut(text: str, members: list[str]) -> bool:
    """The question cannot be the title whole: too long once tidied, or cut by the forum."""
    tidy = _tidy(text, members)
    return len(tidy) > MAX_CHARS or bool(CUT_MARK.search(tidy))


def _specific_share(candidates: list[str], members: list[str]) -> np.ndarray:
    """Per candidate: the share of its content words that no other member of the entry uses.

    Synonyms make a question about one case as central as the general one ("Bayern" counts as
    "bundesland", "Diensttablet in den Ferien" as "Dienstgerät"), but a reader of the title sees the
    special case; words only one member uses are the sign of it."""
    counts = Counter(w for text in set(members) for w in content_words(text))  # a repeated question is one voice
    shares = []
    for text in candidates:
        words = content_words(text)
        shares.append(sum(counts[w] <= 1 for w in words) / len(words) if words else 0.0)
    return np.array(shares)
