"""Pure functions: Discourse JSON -> row dicts for ``miner.store``.

No I/O here. The privacy rules (pseudonyms, masking, own words vs quotes) live in
``miner.privacy``, shared by every engine; their names are re-exported here for older callers.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from lxml import etree
from lxml import html as lxml_html

from miner import names as real_names
from miner.errors import MalformedRecord
from miner.i18n import Bilingual, both, localized
from miner.privacy import (  # noqa: F401  (re-exported: parse.clean_cooked etc. are used by other modules)
    AVATAR,
    BLOCKS,
    COMMON_WORD_NAMES,
    DATE_LIKE,
    DIGIT,
    EMAIL,
    MAILTO,
    MENTION,
    NAME_TOKEN,
    NEWLINES,
    PHONE,
    PROFILE,
    PSEUDONYM,
    SAID,
    SEPARATOR,
    SKIP,
    SPACES,
    Pseudonymize,
    _classes,
    _mention,
    _pseudonym,
    _pseudonymize_tree,
    _remove_keep_tail,
    _walk,
    _walk_element,
    clean_cooked,
    clean_line,
    lowered_names,
    mask_identifiers,
    normalise_whitespace,
    pseudonymize_text,
)
from miner.urls import thread_url

# ---------------------------------------------------------------------------- rows


def like_count(post: dict) -> int:
    """Likes: `like_count` where present, else Discourse's actions_summary entry with id 2."""
    if isinstance(post.get("like_count"), int):
        return post["like_count"]
    for action in post.get("actions_summary") or []:
        if isinstance(action, dict) and action.get("id") == 2:
            return int(action.get("count") or 0)
    return 0


def accepted_post_number(topic: dict) -> int | None:
    accepted = topic.get("accepted_answer")
    if isinstance(accepted, dict) and accepted.get("post_number"):
        return int(accepted["post_number"])
    return None


def parse_post(
    post: dict,
    *,
    forum: str,
    thread_id: str,
    pseudonymize: Pseudonymize,
    accepted_number: int | None = None,
    known_usernames: Iterable[str] = (),
    fetched_at: str | None = None,
) -> dict:
    """One Discourse post -> a `posts` row (pseudonymized, masked, real names replaced).

    Pass `known_usernames` from ``topic_usernames`` so the whole thread's display names are known.
    """
    cleaned = clean_cooked(post.get("cooked"), pseudonymize, known_usernames,
                           post_names(post, known_usernames, pseudonymize))
    number = post.get("post_number")
    accepted = bool(post.get("accepted_answer")) or (accepted_number is not None and number == accepted_number)
    deleted = bool(post.get("deleted_at")) or bool(post.get("user_deleted"))
    return {
        "id": f"{forum}:{post['id']}",
        "forum": forum,
        "post_id": int(post["id"]),
        "thread": thread_id,
        "post_number": number,
        "post_type": post.get("post_type"),
        "author": pseudonymize(post.get("username")),
        "created_at": post.get("created_at"),
        "updated_at": post.get("updated_at"),
        "reply_to_post_number": post.get("reply_to_post_number"),
        "text": cleaned["text"],
        "quoted": cleaned["quoted"],
        "html": cleaned["html"],
        "is_accepted_answer": int(accepted),
        "like_count": like_count(post),
        "deleted": int(deleted),
        "masked": cleaned["masked"],
        "version": post.get("version"),
        "fetched_at": fetched_at,
    }


def tag_names(tags: Any) -> list[str]:
    """Tags are strings in older Discourse and {"name": ...} objects in newer ones."""
    names = []
    for tag in tags or []:
        if isinstance(tag, dict):
            tag = tag.get("name") or tag.get("slug") or tag.get("id")
        if tag:
            names.append(str(tag))
    return names


def parse_topic(
    topic: dict,
    *,
    forum: str,
    base_url: str,
    pseudonymize: Pseudonymize,
    listed: dict | None = None,
    fetched_at: str | None = None,
) -> dict:
    """A /t/{id}.json body (plus its topic-list item, if any) -> a `threads` row."""
    listed = listed or {}

    def pick(key: str) -> Any:
        value = topic.get(key)
        return listed.get(key) if value is None else value

    created_by = ((topic.get("details") or {}).get("created_by") or {}).get("username")
    if not created_by:
        posts = (topic.get("post_stream") or {}).get("posts") or []
        first = next((p for p in posts if p.get("post_number") == 1), None)
        created_by = first.get("username") if first else None
    slug = pick("slug") or "topic"
    created_at = pick("created_at")
    category_id = pick("category_id")
    accepted = bool(pick("has_accepted_answer")) or accepted_post_number(topic) is not None or any(
        p.get("accepted_answer") for p in (topic.get("post_stream") or {}).get("posts") or []
    )
    people = topic_usernames(topic, (topic.get("post_stream") or {}).get("posts") or [])
    return {
        "id": f"{forum}:{topic['id']}",
        "forum": forum,
        "topic_id": int(topic["id"]),
        "title": clean_line(pick("title"), pseudonymize, people.index(pseudonymize)),
        "slug": slug,
        "url": thread_url(base_url, topic["id"], slug),
        "category": f"{forum}:{category_id}" if category_id is not None else None,
        "tags": json.dumps(tag_names(pick("tags")), ensure_ascii=False),
        "starter": pseudonymize(created_by),
        "created_at": created_at,
        "last_posted_at": pick("last_posted_at"),
        "bumped_at": listed.get("bumped_at") or topic.get("bumped_at") or topic.get("last_posted_at"),
        "posts_count": pick("posts_count"),
        "highest_post_number": pick("highest_post_number"),
        "views": pick("views"),
        "like_count": pick("like_count"),
        "has_accepted_answer": int(accepted),
        "pinned": int(bool(pick("pinned"))),
        "closed": int(bool(pick("closed"))),
        "archived": int(bool(pick("archived"))),
        "year": int(created_at[:4]) if isinstance(created_at, str) and created_at[:4].isdigit() else None,
        "fetched_at": fetched_at,
    }


class Participants(set):
    """The usernames of a thread (a set, as before) plus their display names in `people`.

    The name index is built once per thread and reused for every post.
    """

    def __init__(self, people: dict[str, str | None]):
        super().__init__(people)
        self.people = people
        self._index: tuple[Pseudonymize, real_names.NameIndex] | None = None

    def index(self, pseudonymize: Pseudonymize) -> real_names.NameIndex:
        if self._index is None or self._index[0] is not pseudonymize:
            self._index = (pseudonymize, real_names.build_index(self.people, pseudonymize))
        return self._index[1]


def topic_usernames(topic: dict, posts: Iterable[dict]) -> Participants:
    """Every username visible in a topic, with its display name: used to pseudonymize
    "NAME schrieb:" attributions and to replace real names written in the posts."""
    people: dict[str, str | None] = {}
    details = topic.get("details") or {}
    persons = [*posts, details.get("created_by"), details.get("last_poster"), *(details.get("participants") or [])]
    for person in persons:
        if isinstance(person, dict) and person.get("username"):
            name = person.get("name")
            if name or person["username"] not in people:
                people[person["username"]] = name if isinstance(name, str) else people.get(person["username"])
    return Participants(people)


def post_names(post: dict, known: Iterable[str], pseudonymize: Pseudonymize) -> real_names.NameIndex:
    """The name index for one post: the thread's participants (if known) plus the post's author."""
    username, name = post.get("username"), post.get("name")
    if isinstance(known, Participants) and (not username or known.people.get(username) == name or not name):
        return known.index(pseudonymize)
    people = dict(known.people) if isinstance(known, Participants) else {}
    if username:
        people[username] = name if isinstance(name, str) else people.get(username)
    return real_names.build_index(people, pseudonymize)


CATEGORY_FIELDS: dict[str, type] = {
    "name": str, "slug": str, "description": str, "description_text": str, "topic_count": int,
    "parent_category_id": int,
}


def flatten_categories(categories: list[dict], depth: int = 0) -> list[dict]:
    """/categories.json nests subcategories under `subcategory_list`; return them all, flat.

    Entries without a valid id are left out and fields of the wrong type set to None, so a broken
    category list cannot stop a scrape before it starts."""
    flat: list[dict] = []
    for category in categories if isinstance(categories, list) and depth < 10 else []:
        if not isinstance(category, dict) or not is_id(category.get("id")):
            continue
        wrong = [key for key, kind in CATEGORY_FIELDS.items() if _field_problem(category, key, kind)]
        flat.append({**category, **dict.fromkeys(wrong)} if wrong else category)
        flat.extend(flatten_categories(category.get("subcategory_list") or [], depth + 1))
    return flat


def text_or_none(value: Any) -> str | None:
    """A server's field that should be text (a forum's title, version): anything else counts as missing."""
    return value if isinstance(value, str) else None


def parse_category(category: dict, *, forum: str) -> dict:
    """A /categories.json entry -> a `categories` row."""
    parent = category.get("parent_category_id")
    description = category.get("description_text") or category.get("description") or ""
    if "<" in description:
        try:
            description = " ".join(lxml_html.fragment_fromstring(description, create_parent="div").text_content().split())
        except (etree.ParserError, ValueError):
            description = ""
    return {
        "id": f"{forum}:{category['id']}",
        "forum": forum,
        "category_id": int(category["id"]),
        "name": category.get("name"),
        "slug": category.get("slug"),
        "parent": f"{forum}:{parent}" if parent is not None else None,
        "description": mask_identifiers(description)[0],
        "topic_count": category.get("topic_count"),
        "read_restricted": int(bool(category.get("read_restricted"))),
    }


def parse_topic_list(body: dict) -> tuple[list[dict], str | None]:
    """A /latest.json or /c/.../l/latest.json page -> (topic items, more_topics_url or None).

    Anything not shaped like a topic list counts as an empty page (which ends the walk)."""
    topic_list = body.get("topic_list") if isinstance(body, dict) else None
    if not isinstance(topic_list, dict):
        return [], None
    topics = topic_list.get("topics")
    more = topic_list.get("more_topics_url")
    return list(topics) if isinstance(topics, list) else [], more if isinstance(more, str) and more else None


# ---------------------------------------------------------------------------- checks (hostile input)

MAX_ID = 2**63 - 1  # SQLite's INTEGER: a larger id cannot be stored, a negative one is no Discourse id
TOPIC_FIELDS: dict[str, type] = {
    "title": str, "slug": str, "created_at": str, "last_posted_at": str, "bumped_at": str, "posts_count": int,
    "highest_post_number": int, "views": int, "like_count": int, "category_id": int,
}
POST_FIELDS: dict[str, type] = {
    "username": str, "name": str, "cooked": str, "created_at": str, "updated_at": str, "post_number": int,
    "post_type": int, "reply_to_post_number": int, "version": int, "like_count": int,
}
LIST_ITEM_FIELDS = TOPIC_FIELDS  # a thread row falls back on its list entry's fields


def is_id(value: Any) -> bool:
    """A Discourse id that SQLite can store: a whole number (not a bool) from 1 to 2**63 - 1."""
    return type(value) is int and 0 < value <= MAX_ID


def _described(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def where_topic(topic_id: int) -> Bilingual:
    """How a reason names the thread it is about ("Thread 5" / "topic 5")."""
    return both(f"Thread {topic_id}", f"topic {topic_id}")


def _malformed(where: str, german: str, english: str) -> MalformedRecord:
    """The reason a record cannot be stored, in German with its English wording (``where`` may be either)."""
    return MalformedRecord(both(f"{where}: {german}", f"{localized(where, 'en')}: {english}"))


def _field_problem(record: dict, key: str, kind: type) -> Bilingual | None:
    """Why record[key] cannot be stored (None: it can). Numbers must fit SQLite's INTEGER."""
    value = record.get(key)
    if value is None:
        return None
    shown = _described(value)
    if kind is int:
        if type(value) is not int:
            return both(f"{key} ist {shown}, keine ganze Zahl", f"{key} is {shown}, not a whole number")
        if not -MAX_ID <= value <= MAX_ID:
            return both(f"{key} {shown} ist zu groß zum Speichern", f"{key} {shown} is out of range")
    elif not isinstance(value, kind):
        return both(f"{key} ist {shown}, kein Text", f"{key} is {shown}, not text")
    return None


def _check_fields(record: dict, fields: dict[str, type], where: str) -> None:
    for key, kind in fields.items():
        problem = _field_problem(record, key, kind)
        if problem:
            raise _malformed(where, str(problem), problem.english)


def _within(where: str, german: str, english: str) -> Bilingual:
    """A narrower place inside ``where`` ("Thread 5, Beitrag 32" / "topic 5, post 32")."""
    return both(f"{where}, {german}", f"{localized(where, 'en')}, {english}")


def check_post(post: Any, where: str) -> dict:
    """A post that parse_post and the database can take as it is; raises MalformedRecord otherwise."""
    if not isinstance(post, dict):
        raise _malformed(where, f"ein Beitrag ist {_described(post)}, kein Objekt",
                         f"a post is {_described(post)}, not an object")
    if not is_id(post.get("id")):
        raise _malformed(where, f"Beitrags-ID {_described(post.get('id'))} ist keine gültige ID",
                         f"post id {_described(post.get('id'))} is not a valid id")
    _check_fields(post, POST_FIELDS, _within(where, f"Beitrag {post['id']}", f"post {post['id']}"))
    return post


def check_topic(topic: Any, topic_id: int) -> dict:
    """A /t/{id}.json body that answers for `topic_id` and can be stored; raises MalformedRecord
    (the scraper records the thread as failed with the reason and goes on) otherwise."""
    where = where_topic(topic_id)
    if not isinstance(topic, dict):
        raise _malformed(where, "die Antwort ist kein Thread", "the answer is not a topic")
    if not is_id(topic.get("id")) or topic["id"] != topic_id:
        shown = _described(topic.get("id"))
        raise _malformed(where, f"das Forum antwortete mit Thread-ID {shown}", f"the forum answered with topic id {shown}")
    _check_fields(topic, TOPIC_FIELDS, where)
    details = topic.get("details")
    if details is not None and not isinstance(details, dict):
        raise _malformed(where, f"details ist {_described(details)}, kein Objekt",
                         f"details is {_described(details)}, not an object")
    for role in ("created_by", "last_poster"):
        person = (details or {}).get(role)
        if person is not None and not isinstance(person, dict):
            raise _malformed(where, f"{role} ist {_described(person)}, kein Objekt",
                             f"{role} is {_described(person)}, not an object")
        if person:
            _check_fields(person, {"username": str, "name": str}, _within(where, role, role))
    stream = topic.get("post_stream")
    if stream is None:
        return topic
    if not isinstance(stream, dict):
        raise _malformed(where, f"post_stream ist {_described(stream)}, kein Objekt",
                         f"post_stream is {_described(stream)}, not an object")
    ids, posts = stream.get("stream"), stream.get("posts")
    if posts is not None and not isinstance(posts, list):
        raise _malformed(where, f"posts ist {_described(posts)}, keine Liste", f"posts is {_described(posts)}, not a list")
    for post in posts or []:
        check_post(post, where)
    if ids is not None and not (isinstance(ids, list) and all(is_id(i) for i in ids)):
        raise _malformed(where, "der post_stream enthält etwas anderes als gültige Beitrags-IDs",
                         "the post stream holds something other than valid post ids")
    return topic


def clean_list_item(item: Any) -> dict | None:
    """A topic-list entry with a valid id, fields of the wrong type set to None; None if unusable."""
    if not isinstance(item, dict) or not is_id(item.get("id")):
        return None
    wrong = [key for key, kind in LIST_ITEM_FIELDS.items() if _field_problem(item, key, kind)]
    return {**item, **dict.fromkeys(wrong)} if wrong else item


def post_stream(topic: dict) -> tuple[list[int], list[dict]]:
    """A /t/{id}.json body -> (every post id in the stream, the posts included in the body)."""
    stream = topic.get("post_stream") or {}
    posts = list(stream.get("posts") or [])
    ids = [int(i) for i in stream.get("stream") or [p["id"] for p in posts]]
    return ids, posts
