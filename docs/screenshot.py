"""Re-make the README screenshots: the FAQ page, an entry page and the answer editor, in Debian chromium.

    python docs/screenshot.py [DEMO_DB]   (needs playwright and /usr/bin/chromium, as the browser tests do)

Builds the demo database (or copies DEMO_DB), publishes one answer on the most asked entry, serves
it with a demo editor account and writes docs/faq-page.png, docs/entry-page.png, docs/editor.png.
"""

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from local_server import miner_serve  # noqa: E402
from miner import store  # noqa: E402
from miner.app import editing  # noqa: E402
from miner.accounts import hash_password  # noqa: E402
from miner.demo import build_demo_db  # noqa: E402

DOCS = Path(__file__).resolve().parent
ANSWER = (
    "**Kurz:** Jedes Bundesland hat inzwischen einen eigenen Schulmessenger oder eine Empfehlung.\n\n"
    "- Fragen Sie zuerst Ihre Schulleitung, welcher Dienst lizenziert ist.\n"
    "- Private Messenger wie WhatsApp sind für dienstliche Kommunikation in der Regel nicht zulässig.\n\n"
    "Mehr dazu beim [Landesdatenschutzbeauftragten](https://www.datenschutz.de/)."
)
PASSWORD = "screenshot-only"


def main(source: str | None = None) -> None:
    db_path = Path(tempfile.mkdtemp()) / "demo.db"
    if source:
        shutil.copy(source, db_path)
    else:
        build_demo_db(db_path, progress=False)
    db = store.open_db(db_path)
    top = db.execute("select faqs.id from faqs join faq_sections s on s.id = faqs.section_id"
                     " where faqs.status = 'active' order by s.position, faqs.size desc limit 1").fetchone()[0]
    if not db.execute("select 1 from answers where faq_id = ? and status = 'published'", [top]).fetchone():
        editing.save_answer(db, top, ANSWER, "published", "demo-editor")  # the first entry on /faq
    db.conn.close()
    accounts = {"MINER_ACCOUNTS": f"redaktion editor {hash_password(PASSWORD, iterations=1000)}"}
    with miner_serve(db_path, accounts) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1100})
        page.goto(base + "/faq")
        page.screenshot(path=str(DOCS / "faq-page.png"))
        page.goto(f"{base}/faq/{top}")
        page.screenshot(path=str(DOCS / "entry-page.png"))
        page.goto(base + "/-/login")
        page.fill("#username", "redaktion")
        page.fill("#password", PASSWORD)
        page.click("#login")
        page.wait_for_url(base + "/faq")
        page.goto(f"{base}/-/answer/{top}")
        page.locator("#cite-form input[name=cite]").first.check()
        page.click("#draft-from-sources")
        page.wait_for_timeout(600)  # the live preview
        page.screenshot(path=str(DOCS / "editor.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
