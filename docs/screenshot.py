"""Re-make docs/faq-page.png: the demo database with one published answer, served, shot in Debian chromium.

    python docs/screenshot.py   (needs playwright and /usr/bin/chromium, as the browser tests do)
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from miner import editing, store
from miner.demo import build_demo_db

ANSWER = (
    "**Kurz:** Jedes Bundesland hat inzwischen einen eigenen Schulmessenger oder eine Empfehlung.\n\n"
    "- Fragen Sie zuerst Ihre Schulleitung, welcher Dienst lizenziert ist.\n"
    "- Private Messenger wie WhatsApp sind für dienstliche Kommunikation in der Regel nicht zulässig.\n\n"
    "Mehr dazu beim [Landesdatenschutzbeauftragten](https://www.datenschutz.de/)."
)


def main(port: int = 8124) -> None:
    db_path = Path(tempfile.mkdtemp()) / "demo.db"
    build_demo_db(db_path, progress=False)
    db = store.open_db(db_path)
    top = db.execute("select id from faqs where status = 'active' order by size desc limit 1").fetchone()[0]
    editing.save_answer(db, top, ANSWER, "published", "demo-editor")  # the first entry on /faq
    db.conn.close()
    server = subprocess.Popen([sys.executable, "-m", "miner", "serve", str(db_path), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page(viewport={"width": 1200, "height": 1100})
            page.goto(f"http://127.0.0.1:{port}/faq")
            page.screenshot(path=str(Path(__file__).with_name("faq-page.png")))
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
