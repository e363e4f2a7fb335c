"""Which section map (``miner.sections.section_space``): computed-section V per own set, each with maps fitted without it.

Runs the FAQ step once per set and seed (as ``bench_generalization``'s section column does: all questions,
the entry map fitted without the set), keeps the entries' centres, then groups them into sections in
several spaces: as mixed (today's default without a map), the sentence-model part alone, and that part
through section maps of several shrinkages and mixes (``make_domain_projection.section_map_without``);
"both" keeps the lexical part beside the mapped sentence-model part. V of question -> section against
the hand-made sections, unassigned questions one bucket.

    python benchmarks/bench_section_map.py [--rows dev,dev2,dev3,dev4,forum,val-entry] [--seeds 2]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import bench_generalization as bg  # noqa: E402
import make_domain_projection as mdp  # noqa: E402
from common import v_one_bucket  # noqa: E402

from miner import domain, faqs, sections  # noqa: E402

ENTRY_GRID = [(0.1, 1.0), (0.3, 1.0), (0.5, 1.0), (0.3, 0.6)]  # fitted on the hand-made entries' centres
GRID = [(0.5, 0.3), (0.3, 0.6), (0.5, 0.6), (0.7, 0.6), (0.5, 0.8), (0.3, 1.0), (0.5, 1.0), (0.7, 1.0)]


def capture(row: str, seed: int) -> dict:
    """The FAQ step on all of ``row``'s questions: entries' centres, sentence-model columns, entry per question."""
    load = domain.load
    bg.use_domain_map(row)
    sections.load_map = lambda model_id, path=None: None
    seen = {}
    section_map = faqs._section_map

    def remember(pipeline):
        seen["block"] = section_map(pipeline)[0]
        return seen["block"], None

    def update(db, centroids, texts, *, run):
        seen["centroids"] = dict(centroids)
        return {}

    faqs._section_map, faqs.update_sections = remember, update
    items = bg.LOADERS[row]()["items"]
    with tempfile.TemporaryDirectory() as folder:
        db = bg.run_miner(items, True, seed, bg.MinerVectors(), Path(folder), "all")
        faq_of = {r["id"]: r["faq_id"] for r in db.query("select id, faq_id from questions")}
        db.conn.close()
    domain.load = load
    entry = [faq_of.get(bg.question_id(i)) for i in range(len(items))]
    return {"centroids": seen["centroids"], "block": seen["block"], "entry": entry, "gold": [it["section"] for it in items]}


def both(centroids: dict, block: slice, matrix: np.ndarray) -> dict:
    """The lexical part kept, the sentence-model part through the map at its own length."""
    mapped = sections.section_space(centroids, block, matrix)
    out = {}
    for fid, point in centroids.items():
        row = point.astype(np.float32).copy()
        row[block] = mapped[fid] * np.linalg.norm(point[block])
        out[fid] = row / np.linalg.norm(row)
    return out


def score(data: dict, points: dict) -> float:
    active = sorted(fid for fid in set(data["entry"]) if fid is not None and fid in points)
    groups = sections.group_entries({fid: points[fid] for fid in active}, sections.section_count(len(active)))
    labels = [groups.get(fid, -1) if fid is not None else -1 for fid in data["entry"]]
    return v_one_bucket(data["gold"], labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="dev,dev2,dev3,dev4,forum,val-entry")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="reuse the FAQ step's entries saved by an earlier run "
                        "(benchmarks/.cache; only while the FAQ step is unchanged)")
    parser.add_argument("--entry-level", action="store_true", help="only maps fitted on entries' centres (ENTRY_GRID)")
    args = parser.parse_args(argv)
    rows = args.rows.split(",")
    results: dict[str, dict[str, list[float]]] = {}
    for row in rows:
        if args.entry_level:
            maps = {(s, m, "entries"): mdp.section_map_without(row, s, m, entries=True) for s, m in ENTRY_GRID}
        else:
            maps = {(s, m, "questions"): mdp.section_map_without(row, s, m) for s, m in GRID}
        for seed in range(args.seeds):
            saved = bg.CACHE / f"section-capture-{row}-{seed}.pkl"
            if args.reuse and saved.is_file():
                data = pickle.loads(saved.read_bytes())
            else:
                data = capture(row, seed)
                saved.write_bytes(pickle.dumps(data))
            centroids, block = data["centroids"], data["block"]
            eye = np.eye(centroids[next(iter(centroids))][block].shape[0], dtype=np.float32)
            variants = {"mixed (today)": centroids, "e5 block, no map": sections.section_space(centroids, block, eye)}
            for (s, m, level), matrix in maps.items():
                variants[f"e5 map s{s} m{m} {level}"] = sections.section_space(centroids, block, matrix)
                if level == "questions":
                    variants[f"both map s{s} m{m}"] = both(centroids, block, matrix)
            for name, points in variants.items():
                results.setdefault(name, {}).setdefault(row, []).append(score(data, points))
            bg.log(f"{row} seed {seed}: " + ", ".join(f"{n} {v[row][-1]:.3f}" for n, v in results.items()))
    print("| space | " + " | ".join(rows) + " |")
    print("|---|" + "---|" * len(rows))
    for name, by_row in results.items():
        print(f"| {name} | " + " | ".join(f"{np.mean(by_row[r]):.3f} ± {np.std(by_row[r]):.3f}" for r in rows) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
