"""Pure: give this run's groups the ids of last run's FAQ entries, and say what happened to each.

Why: editors attach answers and titles to entry ids, so an entry must keep its id when the miner
runs again with new threads. A new group continues an old entry when each is the other's best
match by shared questions (mutual best overlap); a group with no shared questions may continue an
old entry that lost its members when their centroids are very similar. Old entries that are not
continued are retired (never deleted) with successor pointers: "merge" when their questions went
into one entry, "split" when into several, "retire" when they dissolved. Everything else is a birth.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Matching:
    """Result of matching: new group -> entry id (births get ids from ``next_id``), and the events."""

    ids: dict[int, int]
    births: list[int] = field(default_factory=list)
    continued: list[int] = field(default_factory=list)
    retired: dict[int, list[int]] = field(default_factory=dict)  # old id -> successor ids
    events: list[dict] = field(default_factory=list)  # births and splits of live entries: {event, faq_id, other_faqs, detail}


def match_groups(
    old_members: dict[int, set[str]],
    new_members: dict[int, set[str]],
    *,
    next_id: int,
    old_centroids: dict[int, np.ndarray] | None = None,
    new_centroids: dict[int, np.ndarray] | None = None,
    min_centroid_similarity: float = 0.85,
) -> Matching:
    """Match new groups to old entries by member overlap, then centroid similarity; never reuse an id twice."""
    where_old = {q: old for old, members in old_members.items() for q in members}
    overlap: dict[int, Counter] = {group: Counter(where_old[q] for q in members if q in where_old)
                                   for group, members in new_members.items()}
    best_old = {g: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for g, c in overlap.items() if c}
    by_old: dict[int, Counter] = defaultdict(Counter)
    for group, counts in overlap.items():
        for old, count in counts.items():
            by_old[old][group] = count
    best_new = {old: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for old, c in by_old.items()}

    ids: dict[int, int] = {}
    for group in sorted(new_members):
        old = best_old.get(group)
        if old is not None and best_new.get(old) == group:
            ids[group] = old

    # groups made only of questions never seen before may continue an entry that lost its members
    if old_centroids and new_centroids:
        orphans = [old for old in sorted(old_members) if old not in by_old and old in old_centroids]
        candidates = [g for g in sorted(new_members) if g not in ids and not overlap[g] and g in new_centroids]
        pairs = sorted(((float(old_centroids[o] @ new_centroids[g]), o, g) for o in orphans for g in candidates), reverse=True)
        for similarity, old, group in pairs:
            if similarity >= min_centroid_similarity and old not in ids.values() and group not in ids:
                ids[group] = old

    result = Matching(ids=ids, continued=sorted(ids.values()))
    for group in sorted(new_members, key=lambda g: min(new_members[g]) if new_members[g] else ""):
        if group not in ids:
            ids[group] = next_id
            result.births.append(next_id)
            sources = sorted(overlap[group])
            detail = f"neuer Eintrag mit {len(new_members[group])} Fragen"
            if sources:
                detail += " (Fragen aus " + ", ".join(f"#{s}" for s in sources) + ")"
            result.events.append({"event": "birth", "faq_id": next_id, "other_faqs": sources, "detail": detail})
            next_id += 1

    continued = set(result.continued)
    for old in sorted(old_members):
        if old in continued:
            spun_off = [ids[g] for g in sorted(by_old.get(old, {})) if ids[g] in result.births]
            if spun_off:
                result.events.append({"event": "split", "faq_id": old, "other_faqs": spun_off,
                                      "detail": "ein Teil seiner Fragen bildet jetzt " + ", ".join(f"#{s}" for s in spun_off)})
            continue
        # the FAQ step writes the merge / split / retire event of an ended entry (an editor's
        # correction may still revive it or choose its successor)
        result.retired[old] = [ids[g] for g, _ in sorted(by_old.get(old, {}).items(), key=lambda kv: (-kv[1], kv[0]))]
    return result


def keep_members(
    labels: dict[str, int | None],
    previous: dict[str, int],
    similarity: dict[str, dict[int, float]],
    *,
    margin: float = 0.05,
    floor: float = 0.3,
) -> dict[str, int | None]:
    """Stickiness: a question stays in its previous entry unless its new entry fits clearly better.

    ``labels`` maps question -> entry id after matching; ``previous`` is last run's entry per question;
    ``similarity[q][id]`` is the cosine of q to an entry centroid. Small reshuffles of the clusterer
    then do not move questions (and answers' context) between entries, and a member is dropped to
    the outliers only when it falls ``margin`` below the ``floor`` that would keep a newcomer out.
    """
    result = dict(labels)
    for question, old in previous.items():
        if question not in result or result[question] == old:
            continue
        sims = similarity.get(question, {})
        if old not in sims:
            continue
        current = result[question]
        current_sim = sims.get(current, floor) if current is not None else floor
        if sims[old] >= current_sim - margin and sims[old] >= floor - margin:
            result[question] = old
    return result


def keep_answered(labels: dict[str, int | None], previous: dict[str, int], answered: set[int]) -> dict[str, int | None]:
    """An entry carrying a published answer outlives re-mining: if no question is left in it, its
    last members come back to it (from the outliers or from the entries they went to).

    Why: readers see that answer on the FAQ page and moderators link to it; a clusterer's reshuffle
    alone must not take it off the page. Editors can still merge, split or hide the entry (their
    corrections are replayed after this). Questions that are no longer relevant are not in
    ``labels`` and are not brought back."""
    result = dict(labels)
    live = set(result.values())
    for fid in sorted(answered - live):
        for question, old in previous.items():
            if old == fid and question in result:
                result[question] = fid
    return result
