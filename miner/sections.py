"""FAQ sections: a few named groups of entries, so /faq reads like a table of contents.

Computed in the FAQ step from the entries' centroids (Ward linkage: balanced groups on unit
vectors; with a sentence model, its part of the centroids through a shipped section map,
``section_space``), named by their distinctive nouns (``miner.titles``), and matched to the previous run's
sections by shared entries so a section keeps its id and place across re-runs. Editors' work is
never recomputed: a renamed section keeps its title (``title_by``), a moved entry stays where the
editor put it (``faqs.section_by``). The grouping and naming here are pure; ``update_sections``
does the I/O through ``miner.store`` (``miner/store/sections.py``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import numpy as np

from miner import domain, store, titles
from miner.entries import event as history_event
from miner.i18n import both

MAX_SECTIONS = 9
# the section map (``section_space``): shrinkage of its within-section covariance and the whitening's share
# beside the identity (1: the whitening alone), chosen on the own sets, each measured with a map fitted without it
# (benchmarks/README.md)
MAP_SHRINKAGE = 0.5
MAP_MIX = 1.0


def map_path(model_id: str) -> Path:
    """Where the shipped section map of this sentence model's vectors lies (beside the entry map, ``miner.domain``)."""
    return domain.DATA / f"sections-{model_id}.npz"


def load_map(model_id: str | None, path: Path | None = None) -> np.ndarray | None:
    """The shipped section map for this model, or None (another model, no model, or no file)."""
    return domain.load(model_id, path or map_path(model_id)) if model_id else None


def section_space(centroids: dict[int, np.ndarray], block: slice | None, matrix: np.ndarray | None) -> dict[int, np.ndarray]:
    """The entries' centres as the section step groups them: their sentence-model part (``block`` of the
    FAQ step's mixed space) through the section map, unit length.

    Entries of one section share a theme (data protection, lessons, parents) but not an answer; the FAQ
    step's space is made to keep answers apart, and its lexical part mostly to tell wordings apart. The
    map (a within-section whitening learned on the own sets' hand-made sections, ``miner.domain.fit_map``
    with section labels) shrinks the directions that vary inside a section. Without a map or a
    sentence-model part the centres stay as they are."""
    if matrix is None or block is None or not centroids:
        return centroids
    ids = sorted(centroids)
    rows = domain.apply(np.vstack([centroids[fid][block] for fid in ids]).astype(np.float32), matrix)
    return {fid: row for fid, row in zip(ids, rows)}


def section_count(entries: int) -> int:
    """How many sections for this many entries: the square root of twice the count (four to five
    entries a section at 30-50 entries), at most MAX_SECTIONS. Fewer made one catch-all section of
    unrelated entries on the dev set and the bundled forum (``benchmarks/bench_sections.py``)."""
    if entries <= 0:
        return 0
    return max(1, min(MAX_SECTIONS, round(math.sqrt(2 * entries))))


def group_entries(centroids: dict[int, np.ndarray], count: int) -> dict[int, int]:
    """Entry id -> group number (0..count-1), deterministic for the same centroids."""
    ids = sorted(centroids)
    if not ids:
        return {}
    count = max(1, min(count, len(ids)))
    if count == 1:
        return {fid: 0 for fid in ids}
    from sklearn.cluster import AgglomerativeClustering

    points = np.vstack([centroids[fid] for fid in ids]).astype(np.float64)
    labels = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(points)
    return {fid: int(label) for fid, label in zip(ids, labels)}


def match_sections(previous: dict[int, set[int]], groups: dict[int, set[int]], next_id: int) -> dict[int, int]:
    """Group number -> section id: each group takes the previous section it shares most entries with
    (by Jaccard overlap, best pairs first), or a new id."""
    pairs = []
    for group, members in groups.items():
        for section, old in previous.items():
            shared = len(members & old)
            if shared:
                pairs.append((-shared / len(members | old), group, section))
    taken_groups, taken_sections, ids = set(), set(), {}
    for _, group, section in sorted(pairs):
        if group in taken_groups or section in taken_sections:
            continue
        ids[group] = section
        taken_groups.add(group)
        taken_sections.add(section)
    for group in sorted(groups):
        if group not in ids:
            ids[group] = next_id
            next_id += 1
    return ids


def section_titles(members: dict[int, list[int]], texts_by_entry: dict[int, list[str]],
                   previous: dict[int, str] | None = None) -> dict[int, str]:
    """Section id -> a readable title from its questions as people wrote them (``miner.titles``);
    ``previous``: the computed titles of the last run, kept while they still fit."""
    texts = {section: [t for fid in fids for t in texts_by_entry.get(fid, [])]
             for section, fids in sorted(members.items())}
    named = titles.titles(texts, previous)
    return {section: named.get(section) or f"#{section}" for section in members}


def update_sections(db, centroids: dict[int, np.ndarray], texts_by_entry: dict[int, list[str]], *, run: int) -> dict:
    """``centroids``: the entries' centres as sections group them (``section_space``); ``texts_by_entry``:
    entry id -> its questions' texts. Recompute the sections of the active entries; editors' titles and
    moves stay. Returns counts."""
    at = store.now()
    entries = store.load_entry_sections(db)  # id -> {section_id, section_by, status}
    active = {fid for fid, row in entries.items() if row["status"] == "active" and fid in centroids}
    sections = store.load_sections(db)
    previous: dict[int, set[int]] = defaultdict(set)
    for fid in active:
        if entries[fid]["section_id"] is not None:
            previous[entries[fid]["section_id"]].add(fid)
    grouping = group_entries({fid: centroids[fid] for fid in active}, section_count(len(active)))
    groups: dict[int, set[int]] = defaultdict(set)
    for fid, group in grouping.items():
        groups[group].add(fid)
    next_id = max([0, *sections, *previous]) + 1
    ids = match_sections(previous, groups, next_id)
    assigned = {}
    for fid, group in grouping.items():
        pinned = entries[fid]["section_by"] and entries[fid]["section_id"] in sections
        assigned[fid] = entries[fid]["section_id"] if pinned else ids[group]
    members: dict[int, list[int]] = defaultdict(list)
    for fid, section in sorted(assigned.items()):
        members[section].append(fid)
    computed = {sid: row["title"] for sid, row in sections.items() if row.get("title") and not row.get("title_by")}
    named = section_titles(members, texts_by_entry, computed)
    size = {section: sum(len(texts_by_entry.get(f, [])) for f in fids) for section, fids in members.items()}
    order = sorted(members, key=lambda s: (-size[s], s))
    rows = []
    for position, section in enumerate(order, start=1):
        old = sections.get(section, {})
        row = {"id": section, "position": position,
               "title": old["title"] if old.get("title_by") else named.get(section, f"#{section}"),
               "title_by": old.get("title_by")}
        if not old or any(old.get(k) != v for k, v in row.items()):
            rows.append({**row, "updated_at": at})
    moves = {fid: section for fid, section in assigned.items() if entries[fid]["section_id"] != section}
    history = [history_event(fid, "section", f"now in section #{section} "
                             f"({(named.get(section) or sections.get(section, {}).get('title'))!r})", run=run, at=at)
               for fid, section in sorted(moves.items()) if entries[fid]["section_id"] is not None]
    store.save_section_run(db, rows, moves, history)
    return {"sections": len(members), "section_moves": len(moves)}


def rename_section(db, section_id: int, title: str, *, editor: str) -> dict:
    """An editor's name for a section; re-mining keeps it."""
    from miner.errors import UsageError

    title = " ".join((title or "").split())
    if not title:
        raise UsageError(both("Der neue Abschnittstitel ist leer.", "The new section title is empty."),
                         hint=both("Geben Sie einen Titel ein.", "Enter a title."))
    sections = store.load_sections(db)
    if section_id not in sections:
        raise UsageError(both(f"Es gibt keinen Abschnitt {section_id}.", f"There is no section {section_id}."),
                         hint=both("Die Abschnitte stehen in der Tabelle faq_sections.", "Sections are in the faq_sections table."))
    members = store.load_section_members(db, section_id)
    with db.conn:
        store.save_section(db, {"id": section_id, "title": title, "title_by": editor, "updated_at": store.now()})
        store.save_faq_history(db, [history_event(
            None, "section_rename", f"section #{section_id} renamed from {sections[section_id]['title']!r} to {title!r} by {editor}",
            run=store.next_faq_run(db), others=members, editor=editor)])
    return {"section_id": section_id, "title": title}


def move_entry(db, faq_id: int, section_id: int, *, editor: str) -> dict:
    """Put an entry into another section; re-mining keeps it there."""
    from miner.errors import UsageError

    sections = store.load_sections(db)
    if section_id not in sections:
        raise UsageError(both(f"Es gibt keinen Abschnitt {section_id}.", f"There is no section {section_id}."),
                         hint=both("Die Abschnitte stehen in der Tabelle faq_sections.", "Sections are in the faq_sections table."))
    entries = store.load_entry_sections(db)
    if faq_id not in entries:
        raise UsageError(both(f"Es gibt keinen FAQ-Eintrag {faq_id}.", f"There is no FAQ entry {faq_id}."))
    with db.conn:
        store.set_entry_section(db, faq_id, section_id, editor)
        store.save_faq_history(db, [history_event(
            faq_id, "section", f"moved to section #{section_id} ({sections[section_id]['title']!r}) by {editor}",
            run=store.next_faq_run(db), editor=editor)])
    return {"faq_id": faq_id, "section_id": section_id}
