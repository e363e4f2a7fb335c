"""Pure: apply editors' corrections to a question -> entry assignment, as constraints on every run.

Why: the clusterer proposes, editors decide. Each correction is replayed in the order it was made
after clustering and run-to-run identity, so a rename, move, merge, split or "not an FAQ" made last
week still holds after this week's re-mining. Merges, splits and "not an FAQ" remember the
questions they were about (``value`` JSON), so a group the clusterer forms again from those
questions is steered back to the editor's entry instead of being born under a new id.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Applied:
    labels: dict[str, int | None]
    titles: dict[int, str] = field(default_factory=dict)
    status: dict[int, str] = field(default_factory=dict)  # id -> not_faq / retired / active
    successors: dict[int, list[int]] = field(default_factory=dict)  # merged-away id -> [target]
    pinned: set[int] = field(default_factory=set)  # entries an editor created or kept (never dropped as too small)


def recorded_questions(correction: dict) -> list[str]:
    """The question ids a correction was about (stored as JSON in ``value``)."""
    try:
        value = json.loads(correction.get("value") or "[]")
    except (TypeError, ValueError):
        return []
    if isinstance(value, dict):
        value = value.get("questions", [])
    return [str(q) for q in value] if isinstance(value, list) else []


def resolve(faq_id: int, status: dict[int, str], successors: dict[int, list[int]]) -> int:
    """Follow successor pointers from a retired entry to the live one that took over (cycle-safe)."""
    seen = set()
    while status.get(faq_id) == "retired" and successors.get(faq_id) and faq_id not in seen:
        seen.add(faq_id)
        faq_id = successors[faq_id][0]
    return faq_id


def _steer(labels: dict[str, int | None], recorded: set[str], target: int, keep: set[int]) -> None:
    """Groups made mostly of ``recorded`` questions join ``target`` (the editor's entry)."""
    sizes = Counter(v for v in labels.values() if v is not None)
    hits = Counter(labels[q] for q in recorded if labels.get(q) is not None)
    for group, count in hits.items():
        if group != target and group not in keep and count * 2 >= sizes[group]:
            for q, label in labels.items():
                if label == group:
                    labels[q] = target


def apply_corrections(labels: dict[str, int | None], corrections: list[dict], status: dict[int, str],
                      successors: dict[int, list[int]]) -> Applied:
    """Replay corrections over ``labels`` (question -> entry id or None). Returns new labels and entry changes."""
    out = Applied(labels=dict(labels), status=dict(status), successors={k: list(v) for k, v in successors.items()})
    labels = out.labels
    for c in corrections:
        kind, faq_id, other = c["kind"], c.get("faq_id"), c.get("other_faq_id")
        if kind == "rename" and faq_id is not None:
            out.titles[faq_id] = c.get("value") or ""
        elif kind == "move" and c.get("question") in labels and faq_id is not None:
            target = resolve(faq_id, out.status, out.successors)
            labels[c["question"]] = target
            out.pinned.add(target)
        elif kind == "not_faq_question" and c.get("question") in labels:
            labels[c["question"]] = None
        elif kind == "merge" and faq_id is not None and other is not None:
            target = resolve(faq_id, out.status, out.successors)
            for q, label in labels.items():
                if label == other:
                    labels[q] = target
            recorded = set(recorded_questions(c))
            _steer(labels, recorded, target, keep=out.pinned)
            for q in recorded & labels.keys():
                labels[q] = target
            out.status[other] = "retired"
            out.successors[other] = [target]
            out.pinned.add(target)
        elif kind == "split" and other is not None:
            recorded = set(recorded_questions(c))
            _steer(labels, recorded, other, keep=out.pinned | ({faq_id} if faq_id is not None else set()))
            for q in recorded:
                if q in labels:
                    labels[q] = other
            out.status[other] = "active" if out.status.get(other) != "not_faq" else "not_faq"
            out.pinned.update({other} | ({faq_id} if faq_id is not None else set()))
        elif kind == "not_faq" and faq_id is not None:
            recorded = set(recorded_questions(c))
            _steer(labels, recorded, faq_id, keep=out.pinned)
            for q in recorded & labels.keys():
                labels[q] = faq_id
            out.status[faq_id] = "not_faq"
            out.pinned.add(faq_id)
    return out
