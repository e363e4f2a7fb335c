"""The privacy layer, below every forum engine: pseudonyms, masking, own words vs quotes.

Every engine hands post bodies over in one canonical markup (``miner.sources.base``: Discourse's
cooked HTML subset), so these rules are written and tested once: authors, @mentions, quote
attributions (``data-username``, "X schrieb:", "Zitat von X", ``<blockquote cite=...>``), profile
links and avatars become keyed pseudonyms (``miner.keys.Pseudonymizer``) or go; e-mail addresses,
phone numbers and participants' real names are masked as ``[email]`` / ``[phone]`` / pseudonyms, in
the HTML that is kept as well as in the plain text. The plain text holds the author's own words;
quotes of others go to ``quoted``. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any, Callable, Iterable

from lxml import etree
from lxml import html as lxml_html

from miner import names as real_names
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
AVATAR = re.compile(r"/(?:user_avatar|letter_avatar(?:_proxy)?)/|[?&]avatar=|/avatars?/|/avatar\.php|/data/avatars?/", re.I)
# profile links of classic forum software: phpBB, vBulletin, MyBB, SMF, XenForo, WoltLab, Flarum
PROFILE_LINK = re.compile(
    r"memberlist\.php\?[^\s\"'<>]*mode=viewprofile|member\.php\?|member\.php/|[?&;]action=profile|/members/"
    r"|/user/\d|/index\.php\?user/|/profile/|/benutzer/|/mitglieder/", re.I)
# a quote's attribution line: "X schrieb:", "X hat geschrieben:", "Zitat von X", "Originally Posted by X"
ATTRIBUTION = re.compile(
    r"\b((?:Zitat von|Quote from|Quote by|Originally Posted by|Beitrag von):?\s+)(@?[\w.\-]+)"
    r"|(@?[\w.\-]+)(\s+(?:schrieb|said|wrote|hat geschrieben|sagte)\b\s*:?)", re.I)
QUOTE_TAGS = {"blockquote", "aside", "cite"}
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
        elif tag == "blockquote" and element.get("cite") and not re.match(r"^(?:https?:|\.?/|#)", element.get("cite")):
            name = element.get("cite").strip()  # a name, not a link: the quote's author
            known.add(name)
            element.set("cite", _pseudonym(name, pseudonymize))
            changed = True
        if tag == "a" and PROFILE_LINK.search(element.get("href") or "") and "mention" not in _classes(element):
            name = (element.text_content() or "").strip().lstrip("@")
            for child in list(element):
                element.remove(child)
            if name:
                known.add(name)
                element.text = _pseudonym(name, pseudonymize)
                element.set("href", "/u/" + element.text)
            else:
                drop.append(element)
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
            if ATTRIBUTION.search(new) and _in_quote(element, attr):
                new = ATTRIBUTION.sub(lambda m: _attributed(m, pseudonymize), new)
            new, count = mask_identifiers(new)
            masked += count
            if names:
                new, count = names.replace(new)
                masked += count
            if new != value:
                setattr(element, attr, new)
                changed = True
    return changed, masked


def _in_quote(element: Any, attr: str) -> bool:
    """True for text that heads or sits inside a quote, where an attribution names its author."""
    if attr == "text" and element.tag in QUOTE_TAGS:
        return True
    return any(ancestor.tag in QUOTE_TAGS for ancestor in element.iterancestors()) or \
        attr == "tail" and element.getnext() is not None and element.getnext().tag in QUOTE_TAGS


def _attributed(match: re.Match, pseudonymize: Pseudonymize) -> str:
    """An attribution with its name (whoever it is) replaced by the pseudonym."""
    if match.group(2):
        return match.group(1) + _pseudonym(match.group(2).lstrip("@"), pseudonymize)
    return _pseudonym(match.group(3).lstrip("@"), pseudonymize) + match.group(4)


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



def clean_line(
    text: str | None, pseudonymize: Pseudonymize, names: real_names.NameIndex | None = None
) -> str | None:
    """A title or description: @mentions pseudonymized, e-mails and phone numbers masked,
    participants' real names (if `names` is given) replaced."""
    if not text:
        return text
    text = mask_identifiers(pseudonymize_text(text, pseudonymize))[0]
    return names.replace(text)[0] if names else text


# ---------------------------------------------------------------------------- rows from any engine


def build_names(people: dict[str, str | None], pseudonymize: Pseudonymize) -> real_names.NameIndex:
    """The name index of a thread's participants ({display name: real name or None})."""
    return real_names.build_index(people, pseudonymize)


def post_row(post: Any, *, forum: str, thread: str, pseudonymize: Pseudonymize, known: Iterable[str] = (),
             names: real_names.NameIndex | None = None, fetched_at: str | None = None) -> dict:
    """One engine's ``sources.base.Post`` -> a `posts` row: author pseudonymized, body cleaned like
    a Discourse post (same columns, same guarantees)."""
    cleaned = clean_cooked(post.body, pseudonymize, known, names)
    return {
        "id": f"{forum}:{post.post_id}",
        "forum": forum,
        "post_id": int(post.post_id),
        "thread": thread,
        "post_number": post.number,
        "post_type": 1,
        "author": pseudonymize(post.author) if post.author else None,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
        "reply_to_post_number": None,
        "text": cleaned["text"],
        "quoted": cleaned["quoted"],
        "html": cleaned["html"],
        "is_accepted_answer": int(bool(post.accepted)),
        "like_count": post.likes or 0,
        "deleted": int(bool(post.deleted)),
        "masked": cleaned["masked"],
        "version": None,
        "fetched_at": fetched_at,
    }


def own_text(body: str | None) -> str:
    """The plain own words of a body in canonical markup (quotes left out), without masking."""
    if not body or not body.strip():
        return ""
    try:
        root = lxml_html.fragment_fromstring(body, create_parent="div")
    except (etree.ParserError, ValueError):
        return ""
    own: list[str] = []
    _walk(root, own, [])
    return normalise_whitespace("".join(own))


# one-word last lines that are words, not someone signing
NOT_SIGNATURES = frozenset("""
danke dank thanks thx gelöst erledigt edit nachtrag update ps gruß gruss grüße grüsse cheers bye ciao tschüss
servus moin hallo genau super klasse prima ok okay ja nein stimmt top schade egal gerne gern viel erfolg
""".split())
SIGNATURE_LINE = re.compile(
    r"^(?:[A-ZÄÖÜ]\.\s?)?([A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?)\s*(?:$|,\s|\s\(|\s[-–]\s)")
LOWERCASE_CLOSING = re.compile(r"^(?:lg|vg|gruß|gruss|grüße|grüsse|mfg|cu|ciao)[,\s]+([a-zäöüß]{2,20})$", re.I)
SIGNATURE_DELIMITER = re.compile(r"^(?:--|—|–|_{2,}|-{3,})\s*$")


def _signature_names(lines: list[str]) -> list[str]:
    """Names signing a post: after a "--" delimiter, or alone on the last line ("Sabine",
    "Dirk, IT-Koordination", "Nina (Elternbeirat)"), when they are not an everyday word."""
    candidates = [lines[i + 1] for i in range(len(lines) - 1) if SIGNATURE_DELIMITER.match(lines[i])]
    candidates += [line for line in lines[-2:] if not line.rstrip().endswith(("!", "?", ".", ":"))]
    found = []
    closing = LOWERCASE_CLOSING.match(lines[-1].strip()) if lines else None
    if closing and closing.group(1).lower() not in NOT_SIGNATURES:
        found.append(closing.group(1))  # "lg kim": written in lower case, still a name
    if len(lines) >= 2 and real_names.CLOSING_LINE.match(lines[-2].strip()) and len(lines[-1].split()) <= 6 \
            and not lines[-1].rstrip().endswith(("!", "?", ".", ":")):
        # "Viele Grüße / das Kollegium der GS Lindenhof": the name words of the line below a closing
        found += [w for w in re.findall(r"[\w'-]+", lines[-1]) if real_names._is_name_word(w)
                  and w.lower() not in NOT_SIGNATURES and w.lower() not in real_names.WORD_NAMES
                  and w.lower() not in real_names.GROUP_WORDS]
    for line in candidates:
        match = SIGNATURE_LINE.match(line.strip())
        if match and all(real_names._is_name_word(w) and w.lower() not in NOT_SIGNATURES
                         and w.lower() not in real_names.WORD_NAMES for w in match.group(1).replace("-", " ").split()):
            found.extend(match.group(1).split())
    return found


def signed_names(posts: Iterable[Any], remembered: dict[str, str] | None = None) -> dict[str, str]:
    """{author: the name they sign with}, from the closing lines of their own posts ("Viele Grüße\\nSabine",
    "-- \\nDirk, Datenschutz"). `remembered` keeps what earlier threads showed (updated in place).

    Engines that read pages see usernames only, not Discourse's display names; a name people sign
    with is their real name, so the thread's name index can replace it wherever it is written.
    """
    signed: dict[str, list[str]] = {}
    for post in posts:
        if not post.author:
            continue
        lines = [line for line in own_text(post.body).split("\n") if line.strip()]
        tail = lines[-4:]
        words = sorted(real_names.salutation_names("\n".join(tail))) + _signature_names(tail)
        for word in words:
            if not PSEUDONYM.match(word) and word not in signed.setdefault(post.author, []):
                signed[post.author].append(word)
    found = {author: " ".join(words) for author, words in signed.items() if words}
    if remembered is not None:
        for author, name in found.items():
            known = remembered.get(author, "").split()
            remembered[author] = " ".join(known + [w for w in name.split() if w not in known])
        return {**remembered}
    return found
