"""Put an exported FAQ on disk: one file (md, json) or a folder of pages (html), written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from miner import store
from miner.errors import UsageError
from miner.export import formats
from miner.export.collect import published_faq

FORMATS = ("md", "html", "json")


def _not_writable(out: Path, why: str, lang: str) -> UsageError:
    if lang == "en":
        return UsageError(f"Cannot write the export to {out}: {why}.",
                          hint="Choose a path in a folder you may write to (OUT), e.g. ./faq-export.")
    return UsageError(f"Der Export kann nicht nach {out} geschrieben werden: {why}.",
                      hint="Einen Pfad in einem beschreibbaren Ordner als OUT angeben, z.B. ./faq-export.")


def _write_file(path: Path, text: str) -> None:
    """Write beside the target, then rename: a reader (a web server) never sees half a page."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def render(faq: dict, fmt: str, *, discourse_wiki: bool = False) -> dict[str, str]:
    """File name (relative to OUT; '' = OUT itself) -> text."""
    if fmt == "html":
        return formats.to_html_pages(faq)
    if fmt == "json":
        return {"": formats.to_json(faq)}
    return {"": formats.to_discourse_wiki(faq) if discourse_wiki else formats.to_markdown(faq)}


def check_target(out: Path, fmt: str, lang: str) -> None:
    """Refuse, before anything is read or written, a target that cannot take the export."""
    if fmt == "html":
        if out.exists() and not out.is_dir():
            raise _not_writable(out, "das ist eine Datei, für --format html ist OUT ein Ordner" if lang != "en"
                                else "it is a file; for --format html OUT is a folder", lang)
        parent = out if out.exists() else out.parent
    else:
        if out.is_dir():
            raise _not_writable(out, "das ist ein Ordner, für md und json ist OUT eine Datei" if lang != "en"
                                else "it is a folder; for md and json OUT is a file", lang)
        parent = out.parent
    parent = parent if str(parent) else Path(".")
    if not parent.exists():
        raise _not_writable(out, f"der Ordner {parent} existiert nicht" if lang != "en" else f"the folder {parent} does not exist", lang)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _not_writable(out, f"keine Schreibrechte in {parent}" if lang != "en" else f"no permission to write in {parent}", lang)


def export_faq(db: store.Database, fmt: str, out: str | Path, *, lang: str = "de", discourse_wiki: bool = False) -> list[Path]:
    """Export the published FAQ of ``db`` to ``out``; returns the files written."""
    if fmt not in FORMATS:
        raise UsageError(f"Unbekanntes Format {fmt!r}." if lang != "en" else f"Unknown format {fmt!r}.",
                         hint="md, html oder json." if lang != "en" else "md, html or json.")
    if discourse_wiki and fmt != "md":
        raise UsageError("--discourse-wiki gibt es nur mit --format md." if lang != "en" else
                         "--discourse-wiki goes with --format md only.")
    out = Path(out)
    check_target(out, fmt, lang)
    files = render(published_faq(db, lang), fmt, discourse_wiki=discourse_wiki)
    written = []
    try:
        if fmt == "html":
            out.mkdir(exist_ok=True)
        for name, text in files.items():
            path = out / name if name else out
            _write_file(path, text)
            written.append(path)
        if fmt == "html":  # an entry no longer published must not stay online from an earlier export
            for stale in out.glob("faq-*.html"):
                if stale.name not in files:
                    stale.unlink()
    except OSError as error:
        raise _not_writable(out, error.strerror or str(error), lang) from None
    return written
