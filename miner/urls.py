"""Forum and thread addresses, parsed in one place.

The scraper, the moderator commands, the Datasette lookup and the link forms all turn a pasted
Discourse thread URL into the same (forum, topic) pair, so a link recorded in the browser and one
recorded on the command line name the same thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from miner.errors import UsageError
from miner.i18n import both

# Longer than any real thread address; the SQL function miner_thread_id() is open to anonymous
# visitors, so the parser must not take their megabytes of input (it runs outside the SQL time limit).
MAX_URL_LENGTH = 2048


def thread_url(base_url: str, topic_id: int | str, slug: str | None = None, post_number: int | None = None) -> str:
    """The address of a thread (``/t/slug/123``, or ``/t/123`` without a slug, the canonical form
    links are stored under), optionally of one post in it (``/t/slug/123/4``)."""
    path = f"/t/{slug}/{topic_id}" if slug else f"/t/{topic_id}"
    return base_url.rstrip("/") + path + (f"/{post_number}" if post_number else "")


def forum_id_for(base_url: str) -> str:
    """A readable forum key from its base URL: host, port and path without scheme."""
    parts = urlsplit(base_url.rstrip("/"))
    return (parts.netloc + parts.path).lower()


@dataclass(frozen=True)
class ThreadUrl:
    base_url: str  # scheme://host[:port][/prefix], no trailing slash
    topic_id: int

    @property
    def forum(self) -> str:
        return forum_id_for(self.base_url)

    @property
    def thread(self) -> str:
        """The forum-qualified thread id used in the database ("forum:topic_id")."""
        return f"{self.forum}:{self.topic_id}"


def split_thread_path(path: str) -> tuple[str, int] | None:
    """(prefix, topic) of /t/slug/123, /t/123, /t/slug/123/4 (post 4), /t/123/4 under an optional
    sub-folder prefix, else None.

    Segment by segment rather than a backtracking regex, so the time is linear in the length.
    Discourse never makes an all-digit slug, so in /t/123/4 the topic is 123 and 4 the post.
    """
    segments = (path[:-1] if path.endswith("/") else path).split("/")
    # after "t" come at most slug, topic and post: only the last four segments can be the "t"
    for i in range(max(1, len(segments) - 4), len(segments) - 1):
        if segments[i] != "t":
            continue
        rest = segments[i + 1:]
        if rest and not rest[0].isdecimal():  # a slug: not empty, not all digits
            rest = rest[1:] if rest[0] else []
        if 1 <= len(rest) <= 2 and all(s.isdecimal() for s in rest):
            return "/".join(segments[:i]), int(rest[0])
    return None


def parse_thread_url(url: str) -> ThreadUrl:
    """The forum and topic of a Discourse thread URL; query and fragment are ignored."""
    url = url or ""
    found = None
    if len(url) <= MAX_URL_LENGTH:
        parts = urlsplit(url.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            found = split_thread_path(parts.path)
    if not found:
        shown = url if len(url) <= 200 else url[:200] + "…"
        raise UsageError(
            both(f"{shown!r} ist keine Adresse eines Discourse-Threads.", f"{shown!r} is not a Discourse thread URL."),
            hint=both("Bitte die Adresse eines Threads angeben, etwa https://forum.example.org/t/ein-titel/1234.",
                      "Use the address of a thread, like https://forum.example.org/t/some-title/1234."),
        )
    prefix, topic = found
    return ThreadUrl(f"{parts.scheme}://{parts.netloc}{prefix}".rstrip("/"), topic)


def thread_id_for_url(url: str) -> str | None:
    """forum:topic_id for a thread URL, or None when it is not one (or not text at all: SQL may pass numbers)."""
    if not isinstance(url, str):
        return None
    try:
        return parse_thread_url(url).thread
    except UsageError:
        return None
