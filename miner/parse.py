"""Pure functions: Discourse JSON and cooked HTML -> row dicts for ``miner.store``.

No I/O here. Authors, @mentions, quote attributions, avatar URLs and profile links are replaced
by keyed pseudonyms through the ``pseudonymize`` callable (see ``miner.keys.Pseudonymizer``), and
e-mail addresses and phone numbers are masked as ``[email]`` / ``[phone]``, in the HTML that is
kept as well as in the plain text. The plain text holds the author's own words; quotes of others
go to ``quoted``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable

from html import escape

from lxml import etree
from lxml import html as lxml_html

from miner import names as real_names
from miner.errors import MalformedRecord
from miner.keys import PSEUDONYM_WORD

Pseudonymize = Callable[[str | None], str | None]

PSEUDONYM = PSEUDONYM_WORD
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
MAILTO = re.compile(r"^mailto:", re.I)
# +49 30 1234567, 030/1234567, 0171-123 45 67, (030) 12345-67, 0049 ...: then checked for digit count
PHONE = re.compile(r"(?<![\w.+/-])(?:\+\d{1,3}[ ./-]?|\(0\d{1,5}\)[ ./-]?|0\d{1,5})(?:[ ./-]?\(?\d+\)?){1,6}(?![\w-])")
DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
MENTION = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_][\w.\-]*[A-Za-z0-9_]|[A-Za-z0-9_])")
PROFILE = re.compile(r"(/u(?:sers)?/)([^/?#\s\"'<>]+)")
AVATAR = re.compile(r"/(?:user_avatar|letter_avatar(?:_proxy)?)/", re.I)
NAME_TOKEN = re.compile(r"(?<![\w@./-])\w(?:[\w.\-]*\w)?")
DIGIT = re.compile(r"\d")
SEPARATOR = re.compile(r"[ ./-]")
SAID = re.compile(r"(@?[\w.\-]+)(\s+(?:schrieb|said|wrote|hat geschrieben)\s*:)", re.I)
SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
NEWLINES = re.compile(r"\n{3,}")

BLOCKS = {
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "thead", "tbody",
    "details", "summary", "section", "article", "header", "footer", "hr", "dl", "dt", "dd", "figure",
}
SKIP = {"script", "style", "noscript", "iframe", "svg", "video", "audio", "source", "meta", "link"}


# ---------------------------------------------------------------------------- masking


def mask_identifiers(text: str) -> tuple[str, int]:
    """Replace e-mail addresses and phone numbers by [email] / [phone]; returns (text, count)."""
    count = 0

    def email(_match: re.Match) -> str:
        nonlocal count
        count += 1
        return "[email]"

    def phone(match: re.Match) -> str:
        nonlocal count
        value = match.group(0)
        digits = sum(ch.isdigit() for ch in value)
        if digits < 7 or digits > 15 or DATE_LIKE.match(value.strip()):
            return value
        if not value.startswith(("+", "(")) and not SEPARATOR.search(value) and digits < 9:
            return value  # a bare short number such as 0123456 is more likely an id than a phone
        count += 1
        return "[phone]"

    if "@" in text:
        text = EMAIL.sub(email, text)
    if DIGIT.search(text):
        text = PHONE.sub(phone, text)
    return text, count


def pseudonymize_text(text: str, pseudonymize: Pseudonymize, known: Iterable[str] = ()) -> str:
    """@mentions, /u/ profile paths, known usernames and "NAME schrieb:" attributions -> pseudonyms.

    `known`: usernames seen in the thread; pass a frozenset of lower-cased names to save work.
    """
    lowered = known if isinstance(known, frozenset) else lowered_names(known)
    if "@" in text:
        text = MENTION.sub(lambda m: _mention(m.group(1), pseudonymize), text)
    if "/u" in text:
        text = PROFILE.sub(lambda m: m.group(1) + _pseudonym(m.group(2), pseudonymize), text)
    if lowered:
        lower = text.lower()
        if any(name in lower for name in lowered):
            def name(match: re.Match) -> str:
                token = match.group(0)
                return _pseudonym(token, pseudonymize) if token.lower() in lowered else token

            text = NAME_TOKEN.sub(name, text)
    if ":" in text and (lowered or "@" in text):
        def said(match: re.Match) -> str:
            name = match.group(1)
            if name.startswith("@") or name.lower() in lowered:
                return _pseudonym(name.lstrip("@"), pseudonymize) + match.group(2)
            return match.group(0)

        text = SAID.sub(said, text)
    return text


# Usernames that are also everyday words (Discourse's own bots among them): replacing them in
# running text would garble sentences ("das System"), and they name no person.
COMMON_WORD_NAMES = frozenset({
    "system", "discobot", "admin", "administrator", "moderator", "support", "team", "forum", "info", "test",
    "gast", "guest", "user", "schule", "lehrer", "lehrerin", "eltern", "hilfe", "help", "staff", "bot",
})


def lowered_names(names: Iterable[str]) -> frozenset[str]:
    """Usernames worth replacing in running text: 3+ characters, not everyday words, lower-cased."""
    return frozenset(
        n.lower() for n in names if n and len(n) >= 3 and not PSEUDONYM.match(n) and n.lower() not in COMMON_WORD_NAMES
    )


def _mention(name: str, pseudonymize: Pseudonymize) -> str:
    return "@" + _pseudonym(name, pseudonymize)


def _pseudonym(name: str, pseudonymize: Pseudonymize) -> str:
    if PSEUDONYM.match(name):
        return name
    return pseudonymize(name) or "user-unknown"


# ---------------------------------------------------------------------------- cooked HTML


def clean_cooked(
    cooked: str | None, pseudonymize: Pseudonymize, known_usernames: Iterable[str] = (),
    names: real_names.NameIndex | None = None,
) -> dict[str, Any]:
    """Cooked HTML -> {"text", "quoted", "html", "masked"}: pseudonymized, identifiers masked.

    `text` is the author's own words (quotes, code blocks, images removed; oneboxes reduced to
    their URL; list items numbered); `quoted` holds what they quoted from others. Parsed with
    lxml's HTML parser (about ten times faster than a BeautifulSoup tree on many small posts).
    `names`: the thread's participants' real names (``miner.names``); names in greetings and
    signatures are masked as well, known or not. `masked` counts e-mails, phones and names.
    """
    if not cooked or not cooked.strip():
        return {"text": "", "quoted": "", "html": cooked or "", "masked": 0}
    try:
        root = lxml_html.fragment_fromstring(cooked, create_parent="div")
    except (etree.ParserError, ValueError):
        root = lxml_html.fragment_fromstring(f"<p>{escape(cooked)}</p>", create_parent="div")
    changed, masked = _pseudonymize_tree(root, pseudonymize, set(known_usernames), names)
    own: list[str] = []
    quoted: list[str] = []
    _walk(root, own, quoted)
    salutations = real_names.salutation_map(("".join(own), *quoted), names)
    if salutations:
        pattern = real_names.words_pattern(salutations)
        for element in root.iter():
            for attr in ("text", "tail"):
                value = getattr(element, attr)
                if value and not (element is root and attr == "tail"):
                    new, count = real_names.replace_words(value, salutations, pattern)
                    if count:
                        setattr(element, attr, new)
                        masked += count
                        changed = True
        own, quoted = [], []
        _walk(root, own, quoted)
    if changed:
        html = (escape(root.text) if root.text else "") + "".join(
            lxml_html.tostring(child, encoding="unicode", with_tail=True) for child in root
        )
    else:
        html = cooked
    return {
        "text": normalise_whitespace("".join(own)),
        "quoted": "\n\n".join(q for q in (normalise_whitespace(q) for q in quoted) if q),
        "html": html,
        "masked": masked,
    }


def _classes(element: Any) -> list[str]:
    value = element.get("class")
    return value.split() if value else []


def _pseudonymize_tree(
    root: Any, pseudonymize: Pseudonymize, known: set[str], names: real_names.NameIndex | None = None
) -> tuple[bool, int]:
    """Rewrite usernames, avatars, profile links and identifiers in place; returns (changed, masks)."""
    changed = False
    drop: list[Any] = []
    elements = list(root.iter())
    for element in elements:
        tag = element.tag
        if not isinstance(tag, str):  # comments and processing instructions
            drop.append(element)
            continue
        if tag == "aside" and element.get("data-username"):
            name = element.get("data-username")
            known.add(name)
            alias = _pseudonym(name, pseudonymize)
            element.set("data-username", alias)
            for title in element.iter("div"):
                if "title" in _classes(title):
                    for child in list(title):
                        title.remove(child)
                    title.text = f" {alias}:"
                    break
            changed = True
        elif tag == "img":
            src = element.get("src") or ""
            if AVATAR.search(src) or "avatar" in _classes(element):
                drop.append(element)
            else:
                for attr in ("srcset", "data-small-upload"):
                    if AVATAR.search(element.get(attr) or ""):
                        del element.attrib[attr]
                        changed = True
        elif tag == "a" and element.get("href") is not None:
            href = element.get("href")
            if "mention" in _classes(element):
                name = (element.text_content() or "").strip().lstrip("@") or href.rstrip("/").rsplit("/", 1)[-1]
                known.add(name)
                alias = _pseudonym(name, pseudonymize)
                element.set("href", "/u/" + alias)
                for child in list(element):
                    element.remove(child)
                element.text = "@" + alias
                changed = True
            elif MAILTO.match(href):
                element.set("href", "mailto:[email]")
                changed = True
            elif "/u/" in href or "/users/" in href:
                new = PROFILE.sub(lambda m: m.group(1) + _pseudonym(m.group(2), pseudonymize), href)
                if new != href:
                    element.set("href", new)
                    changed = True
        if element.get("data-user-card"):
            element.set("data-user-card", _pseudonym(element.get("data-user-card"), pseudonymize))
            changed = True
    for element in drop:
        if element.getparent() is not None:
            _remove_keep_tail(element)
            changed = True
    masked = 0
    lowered = lowered_names(known)
    for element in root.iter():
        for attr in ("text", "tail"):
            value = getattr(element, attr)
            if not value or value.isspace() or element is root and attr == "tail":
                continue
            new = pseudonymize_text(value, pseudonymize, lowered)
            new, count = mask_identifiers(new)
            masked += count
            if names:
                new, count = names.replace(new)
                masked += count
            if new != value:
                setattr(element, attr, new)
                changed = True
    return changed, masked


def _remove_keep_tail(element: Any) -> None:
    """Remove an element but keep the text that follows it."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _walk(node: Any, out: list[str], quoted: list[str]) -> None:
    """Append the plain text of `node` to `out`; quotes go to `quoted`."""
    if node.text:
        out.append(node.text.replace("\n", " "))
    for child in node:
        name = child.tag
        if isinstance(name, str) and name not in SKIP:
            _walk_element(child, name, out, quoted)
        if child.tail:
            out.append(child.tail.replace("\n", " "))


def _walk_element(child: Any, name: str, out: list[str], quoted: list[str]) -> None:
    classes = _classes(child)
    if name == "aside" and "quote" in classes or name == "blockquote":
        body = next(child.iter("blockquote"), None) if name == "aside" else child
        if body is not None:
            parts: list[str] = []
            _walk(body, parts, quoted)
            quoted.append("".join(parts))
        out.append("\n\n")
    elif name == "a" and "inline-onebox" in classes and child.get("href"):
        out.append(child.get("href"))  # a linked topic's title is not the author's words (nor a question)
    elif "onebox" in classes or "lazy-video-container" in classes or "lazyYT" in classes:
        url = child.get("data-onebox-src") or child.get("data-url")
        if not url:
            link = next((a for a in child.iter("a") if a.get("href")), None)
            url = link.get("href") if link is not None else ""
        out.append(f"\n{url}\n" if url else "\n")
    elif name == "pre":
        out.append("\n[code]\n")
    elif name == "img":
        if "emoji" not in classes:
            alt = (child.get("alt") or "").strip()
            out.append(f" [image{': ' + alt if alt else ''}] ")
    elif "lightbox-wrapper" in classes or name == "a" and "lightbox" in classes:
        out.append(" [image] ")
    elif name == "br":
        out.append("\n")
    elif name in ("td", "th"):
        out.append(" ")
        _walk(child, out, quoted)
        out.append(" ")
    elif name in BLOCKS:
        out.append("\n")
        if name == "li":
            parent = child.getparent()
            if parent is not None and parent.tag == "ol":
                start = parent.get("start") or "1"
                start_number = int(start) if start.isdigit() else 1
                index = sum(1 for s in child.itersiblings(preceding=True) if s.tag == "li")
                out.append(f"{start_number + index}. ")
            else:
                out.append("- ")
        elif name == "hr":
            out.append("\n")
        _walk(child, out, quoted)
        out.append("\n")
    else:
        _walk(child, out, quoted)


def normalise_whitespace(text: str) -> str:
    """One space between words, no blank-only lines, at most one empty line between paragraphs."""
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return NEWLINES.sub("\n\n", "\n".join(lines)).strip()


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
        "url": f"{base_url}/t/{slug}/{topic['id']}",
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


def clean_line(
    text: str | None, pseudonymize: Pseudonymize, names: real_names.NameIndex | None = None
) -> str | None:
    """A title or description: @mentions pseudonymized, e-mails and phone numbers masked,
    participants' real names (if `names` is given) replaced."""
    if not text:
        return text
    text = mask_identifiers(pseudonymize_text(text, pseudonymize))[0]
    return names.replace(text)[0] if names else text


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


def _field_problem(record: dict, key: str, kind: type) -> str | None:
    """Why record[key] cannot be stored (None: it can). Numbers must fit SQLite's INTEGER."""
    value = record.get(key)
    if value is None:
        return None
    if kind is int:
        if type(value) is not int:
            return f"{key} is {_described(value)}, not a whole number"
        if not -MAX_ID <= value <= MAX_ID:
            return f"{key} {_described(value)} is out of range"
    elif not isinstance(value, kind):
        return f"{key} is {_described(value)}, not text"
    return None


def _check_fields(record: dict, fields: dict[str, type], where: str) -> None:
    for key, kind in fields.items():
        problem = _field_problem(record, key, kind)
        if problem:
            raise MalformedRecord(f"{where}: {problem}")


def check_post(post: Any, where: str) -> dict:
    """A post that parse_post and the database can take as it is; raises MalformedRecord otherwise."""
    if not isinstance(post, dict):
        raise MalformedRecord(f"{where}: a post is {_described(post)}, not an object")
    if not is_id(post.get("id")):
        raise MalformedRecord(f"{where}: post id {_described(post.get('id'))} is not a valid id")
    _check_fields(post, POST_FIELDS, f"{where}, post {post['id']}")
    return post


def check_topic(topic: Any, topic_id: int) -> dict:
    """A /t/{id}.json body that answers for `topic_id` and can be stored; raises MalformedRecord
    (the scraper records the thread as failed with the reason and goes on) otherwise."""
    where = f"topic {topic_id}"
    if not isinstance(topic, dict):
        raise MalformedRecord(f"{where}: the answer is not a topic")
    if not is_id(topic.get("id")) or topic["id"] != topic_id:
        raise MalformedRecord(f"{where}: the forum answered with topic id {_described(topic.get('id'))}")
    _check_fields(topic, TOPIC_FIELDS, where)
    details = topic.get("details")
    if details is not None and not isinstance(details, dict):
        raise MalformedRecord(f"{where}: details is {_described(details)}, not an object")
    for role in ("created_by", "last_poster"):
        person = (details or {}).get(role)
        if person is not None and not isinstance(person, dict):
            raise MalformedRecord(f"{where}: {role} is {_described(person)}, not an object")
        if person:
            _check_fields(person, {"username": str, "name": str}, f"{where}, {role}")
    stream = topic.get("post_stream")
    if stream is None:
        return topic
    if not isinstance(stream, dict):
        raise MalformedRecord(f"{where}: post_stream is {_described(stream)}, not an object")
    ids, posts = stream.get("stream"), stream.get("posts")
    if posts is not None and not isinstance(posts, list):
        raise MalformedRecord(f"{where}: posts is {_described(posts)}, not a list")
    for post in posts or []:
        check_post(post, where)
    if ids is not None and not (isinstance(ids, list) and all(is_id(i) for i in ids)):
        raise MalformedRecord(f"{where}: the post stream holds something other than valid post ids")
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
