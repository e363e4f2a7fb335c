"""Servers on 127.0.0.1 for tests, benchmarks and docs/screenshot.py: a free port, waiting until a
process listens, and `miner serve` as a real process (what a user runs, not an in-process app)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    """Until something accepts connections on the port (a server process started a moment ago)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


@contextlib.contextmanager
def miner_serve(db_path: Path, env: dict[str, str] | None = None, timeout: float = 60) -> Iterator[str]:
    """`miner serve DB` of this checkout on a free port, ``env`` added to the environment (accounts,
    MINER_HOME); yields the base URL once /-/versions.json answers, stops the process afterwards."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "miner", "serve", str(db_path), "--port", str(port)],
                              env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"`miner serve {db_path}` did not answer at {base} "
                                       f"(exit code {server.poll()}).") from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
