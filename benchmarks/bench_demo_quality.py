"""`miner mine` on the bundled forum, measured against its labels (datasets/lehrerforum/labels.json).

Builds the demo database the way `miner demo` does (replay -> scrape over HTTP -> mine), then prints:
- question extraction: precision / recall of extracted post questions vs the labelled questions
  (titles are a kind of their own and not counted; a match is the same post and nearly the same words;
  the second recall also counts a repeat as found when the thread's earlier occurrence was extracted,
  since near-duplicates in one thread are dropped on purpose);
- off-topic-to-FAQ rate: share of the questions of threads labelled not relevant that end up in an entry;
- FAQ entries vs the threads' `faq_topic`: V-measure and ARI (outliers as singletons), purity,
  number of entries, topic recall, share of the 10 largest entries whose majority topic is distinct;
- titles: entries whose title is a labelled generic question (topic null) or no labelled question at all;
- idempotence: rows of questions / threads / faqs that a second and a third `mine` change.

    python benchmarks/bench_demo_quality.py [--runs 3] [--show-titles]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, v_measure_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import topic_recall, with_singletons  # noqa: E402

LABELS = ROOT / "datasets" / "lehrerforum" / "labels.json"
WORD = re.compile(r"[0-9a-zäöüß]+")


def words(text: str) -> list[str]:
    return WORD.findall((text or "").lower())


def same_question(a: str, b: str) -> bool:
    """Nearly the same words: equal, one inside the other, or token Jaccard >= 0.6."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    ja, jb = " ".join(wa), " ".join(wb)
    if ja == jb or (min(len(wa), len(wb)) >= 3 and (ja in jb or jb in ja)):
        return True
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb) >= 0.6


def table_dump(db, table: str) -> dict:
    rows = db.execute(f"select * from {table}").fetchall()
    return {row[0]: row for row in rows}


def changed_rows(before: dict, after: dict) -> int:
    keys = set(before) | set(after)
    return sum(1 for k in keys if before.get(k) != after.get(k))


def topic_of_thread(thread_id: str) -> str:
    return thread_id.rsplit(":", 1)[1]


def evaluate(db, labels: dict, show_titles: bool) -> dict:
    threads = labels["threads"]
    by_post: dict[tuple[str, int], list[tuple[str, str | None]]] = defaultdict(list)
    for post in labels["posts"]:
        for text, topic in zip(post["questions"], post["question_topics"]):
            by_post[(str(post["topic_id"]), post["post_number"])].append((text, topic))
    rows = list(db.query(
        "select q.id, q.thread, q.text, q.kind, q.faq_id, q.relevant, p.post_number from questions q "
        "left join posts p on p.id = q.post"))
    # extraction
    matched_labels: set[tuple] = set()
    label_of: dict[str, tuple[str, str | None] | None] = {}
    true_pos = extracted = 0
    for row in rows:
        if row["kind"] == "title":
            continue
        extracted += 1
        key = (topic_of_thread(row["thread"]), row["post_number"])
        hit = None
        for i, (text, topic) in enumerate(by_post.get(key, [])):
            if same_question(row["text"], text):
                hit = (key, i)
                break
        if hit:
            true_pos += 1
            matched_labels.add(hit)
            label_of[row["id"]] = by_post[key][hit[1]]
        else:
            label_of[row["id"]] = None
    labelled = sum(len(v) for v in by_post.values())
    # a repeat of a question already extracted from the same thread is dropped on purpose
    # (near-duplicates in one thread); it counts as found when its first occurrence was
    by_thread: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row["kind"] != "title":
            by_thread[topic_of_thread(row["thread"])].append(row["text"])
    found_in_thread = sum(1 for key, items in by_post.items() for i, (text, _) in enumerate(items)
                          if (key, i) in matched_labels or any(same_question(t, text) for t in by_thread[key[0]]))
    result = {"precision": true_pos / max(extracted, 1), "recall": len(matched_labels) / max(labelled, 1),
              "recall_thread": found_in_thread / max(labelled, 1), "extracted": extracted, "labelled": labelled}
    # off-topic to FAQ
    off = [r for r in rows if not threads[topic_of_thread(r["thread"])]["relevant"]]
    result["offtopic_to_faq"] = sum(1 for r in off if r["faq_id"] is not None) / max(len(off), 1)
    result["offtopic_questions"] = len(off)
    # entries vs thread topics, over questions of threads written around a topic
    topical = [r for r in rows if threads[topic_of_thread(r["thread"])]["faq_topic"]]
    truth = [threads[topic_of_thread(r["thread"])]["faq_topic"] for r in topical]
    ids = sorted({r["faq_id"] for r in topical if r["faq_id"] is not None})
    index = {fid: i for i, fid in enumerate(ids)}
    labels_arr = np.array([index.get(r["faq_id"], -1) for r in topical])
    result["V"] = v_measure_score(truth, with_singletons(labels_arr))
    result["ARI"] = adjusted_rand_score(truth, with_singletons(labels_arr))
    result["topic_recall"] = topic_recall(truth, labels_arr)
    result["assigned_share"] = float((labels_arr >= 0).mean())
    # the same against each question's own label (a follow-up about another topic carries that topic)
    own = [(r, label_of[r["id"]][1]) for r in rows if label_of.get(r["id"]) and label_of[r["id"]][1]]
    fids = sorted({r["faq_id"] for r, _ in own if r["faq_id"] is not None})
    own_labels = np.array([fids.index(r["faq_id"]) if r["faq_id"] is not None else -1 for r, _ in own])
    result["V_question"] = v_measure_score([t for _, t in own], with_singletons(own_labels))
    result["ARI_question"] = adjusted_rand_score([t for _, t in own], with_singletons(own_labels))
    # purity over all assigned questions (off-topic thread questions count as their own "topic")
    members: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        if r["faq_id"] is not None:
            members[r["faq_id"]].append(threads[topic_of_thread(r["thread"])]["faq_topic"] or "(none)")
    active = {row["id"]: row for row in db.query("select id, title, size, medoid_question, title_by_editor from faqs where status = 'active'")}
    result["entries"] = len(active)
    assigned = sum(len(m) for m in members.values())
    result["purity"] = sum(Counter(m).most_common(1)[0][1] for m in members.values()) / max(assigned, 1)
    top = sorted(members, key=lambda f: -len(members[f]))[:10]
    majorities = [Counter(members[f]).most_common(1)[0][0] for f in top]
    result["top10_distinct"] = len(set(majorities) - {"(none)"}) / max(len(top), 1)
    # titles
    title_rows = {r["text"]: r for r in rows}
    by_id = {r["id"]: r for r in rows}
    generic = not_labelled = 0
    for fid, entry in active.items():
        # a computed title is its question tidied (miner.entry_titles): judge the question it stands for
        row = by_id.get(entry["medoid_question"]) if not entry.get("title_by_editor") else None
        row = row or title_rows.get(entry["title"])
        kind = row["kind"] if row else "?"
        lab = label_of.get(row["id"]) if row else None
        tag = ""
        if kind != "title":
            if lab is None:
                not_labelled += 1
                tag = "NOT A LABELLED QUESTION"
            elif lab[1] is None:
                generic += 1
                tag = "GENERIC (topic null)"
        if show_titles:
            major = Counter(members[fid]).most_common(1)[0] if members[fid] else ("-", 0)
            print(f"  #{fid:<3} n={entry['size']:<3} {major[0]:<24} {major[1] / max(len(members[fid]), 1):.0%}  "
                  f"[{kind}] {entry['title'][:70]}  {tag}")
    result["titles_generic"] = generic
    result["titles_not_question"] = not_labelled
    # questions labelled generic (topic null) in relevant threads that sit in an entry
    gen = [r for r in rows if r["faq_id"] is not None and label_of.get(r["id"]) and label_of[r["id"]][1] is None]
    result["generic_in_entries"] = len(gen) / max(assigned, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="mine this many times (idempotence check)")
    parser.add_argument("--show-titles", action="store_true")
    parser.add_argument("--embedder", default=None,
                        help="mine with this embedder (`miner mine --embedder`; default: miner's default)")
    args = parser.parse_args()

    from miner import extract, faqs, store
    from miner.demo import build_demo_db

    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        build_demo_db(path, progress=False, embedder=args.embedder)
        db = store.open_db(path)
        result = evaluate(db, labels, args.show_titles)
        for run in range(2, args.runs + 1):
            before = {t: table_dump(db, t) for t in ("questions", "threads", "faqs")}
            extract.extract_questions_into(db)
            faqs.update_faqs(db, embedder=args.embedder, progress=False)
            after = {t: table_dump(db, t) for t in ("questions", "threads", "faqs")}
            changes = {t: changed_rows(before[t], after[t]) for t in before}
            print(f"run {run}: rows changed {changes}")
            result[f"changed_run{run}"] = sum(changes.values())
    print(f"questions: precision {result['precision']:.3f}  recall {result['recall']:.3f} in the same post, "
          f"{result['recall_thread']:.3f} counting repeats in a thread as found  "
          f"({result['extracted']} extracted from posts, {result['labelled']} labelled)")
    print(f"off-topic threads' questions reaching an entry: {result['offtopic_to_faq']:.1%} "
          f"of {result['offtopic_questions']}")
    print(f"entries vs thread faq_topic: V {result['V']:.3f}  ARI {result['ARI']:.3f}  purity {result['purity']:.3f}  "
          f"topic recall {result['topic_recall']:.2f}  entries {result['entries']}  "
          f"assigned {result['assigned_share']:.1%}  top-10 distinct {result['top10_distinct']:.0%}")
    print(f"entries vs each question's own labelled topic: V {result['V_question']:.3f}  ARI {result['ARI_question']:.3f}")
    print(f"titles: {result['titles_generic']} generic (topic-null) questions, {result['titles_not_question']} "
          f"not a labelled question; generic questions inside entries: {result['generic_in_entries']:.1%}")


if __name__ == "__main__":
    main()
