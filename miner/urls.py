"""Forum and thread addresses, parsed in one place.

The scraper, the moderator commands, the Datasette lookup and the link forms all turn a pasted
Discourse thread URL into the same (forum, topic) pair, so a link recorded in the browser and one
recorded on the command line name the same thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from miner.errors import UsageError

# /t/slug/123, /t/123, /t/slug/123/4 (post 4), /t/123/4, under an optional sub-folder prefix.
# Discourse never makes an all-digit slug, so in /t/123/4 the topic is 123 and 4 the post.
THREAD_PATH = re.compile(r"^(?P<prefix>.*?)/t/(?:[^/]*[^/\d][^/]*/)?(?P<topic>\d+)(?:/\d+)?/?$")


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


def parse_thread_url(url: str) -> ThreadUrl:
    """The forum and topic of a Discourse thread URL; query and fragment are ignored."""
    parts = urlsplit((url or "").strip())
    match = THREAD_PATH.match(parts.path) if parts.scheme in ("http", "https") and parts.netloc else None
    if not match:
        raise UsageError(
            f"{url!r} is not a Discourse thread URL.",
            hint="Use the address of a thread, like https://forum.example.org/t/some-title/1234.",
        )
    return ThreadUrl(f"{parts.scheme}://{parts.netloc}{match.group('prefix')}".rstrip("/"), int(match.group("topic")))


def thread_id_for_url(url: str) -> str | None:
    """forum:topic_id for a thread URL, or None when it is not one."""
    try:
        return parse_thread_url(url).thread
    except UsageError:
        return None
