"""How FAQ entry titles read: length, lead-ins, cut endings; and whether a re-run renames entries.

Mines the demo forum (`miner demo`), tests/data/faq_dev.csv and tests/data/faq_dev2.csv (one FAQ step,
default embedder, seed 0, scratch databases as in bench_generalization) and counts the computed
titles longer than 90 / 100 characters, opening with a lead-in before ":" and ending in "…" / "...".
Then mines 80% of the dev set, adds the other 20% and counts entries renamed by the re-run (untouched:
same questions; grown: only new questions joined).

    python benchmarks/bench_entry_titles.py [--show] [--rows demo,dev,dev2,val]
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

LEAD_IN = re.compile(r"^[^:?!.]{1,80}?:\s")


def counts(name: str, titles: list[str]) -> str:
    return (f"| {name} | {len(titles)} | {sum(len(t) > 100 for t in titles)} | {sum(len(t) > 90 for t in titles)} | "
            f"{sum(bool(LEAD_IN.match(t)) for t in titles)} | {sum(t.rstrip().endswith(('…', '...')) for t in titles)} | "
            f"{max(map(len, titles))} | {sum(map(len, titles)) / len(titles):.0f} |")


def demo_titles(tmp: Path) -> list[str]:
    subprocess.run([sys.executable, "-m", "miner", "demo", "--no-serve", "--db", str(tmp / "demo.db")],
                   capture_output=True, check=True, cwd=ROOT)
    with sqlite3.connect(tmp / "demo.db") as conn:
        return [r[0] for r in conn.execute("select title from faqs where status = 'active' and title_by_editor = 0 order by id")]


def set_titles(name: str, tmp: Path) -> list[str]:
    import bench_generalization as bg

    data = {"dev": bg.load_dev, "dev2": bg.load_dev2, "val": lambda: bg.load_validation("entry")}[name]()
    db = bg.run_miner(data["items"], True, 0, bg.MinerVectors(), tmp, name)
    return [r["title"] for r in db.query("select title from faqs where status = 'active' order by id")]


def renames(tmp: Path) -> str:
    from faqdb import add_questions, split_dev
    from miner import store
    from miner.faqs import update_faqs

    db = store.open_db(tmp / "rerun.db")
    first, later = split_dev()
    add_questions(db, first)
    update_faqs(db)

    def snapshot():
        return {r["id"]: (r["title"], {q["id"] for q in db.query("select id from questions where faq_id = ?", [r["id"]])})
                for r in db.query("select id, title from faqs where status = 'active'")}

    before = snapshot()
    add_questions(db, later)
    update_faqs(db)
    after = snapshot()
    same = [f for f in before if f in after and before[f][1] == after[f][1]]
    grown = [f for f in before if f in after and before[f][1] < after[f][1]]
    return (f"re-run with 20% more dev questions: untouched entries {len(same)}, renamed "
            f"{sum(before[f][0] != after[f][0] for f in same)}; grown entries {len(grown)}, renamed "
            f"{sum(before[f][0] != after[f][0] for f in grown)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="demo,dev,dev2", help="demo, dev, dev2, val (validation: measure only)")
    parser.add_argument("--show", action="store_true", help="print every title")
    args = parser.parse_args()
    print("| set | titles | > 100 chars | > 90 chars | lead-in before ':' | ending in … | longest | mean |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        for name in args.rows.split(","):
            titles = demo_titles(tmp) if name == "demo" else set_titles(name, tmp)
            print(counts(name, titles))
            if args.show:
                print("\n".join(f"    {len(t):>3} {t}" for t in titles))
        print(renames(tmp))


if __name__ == "__main__":
    main()
