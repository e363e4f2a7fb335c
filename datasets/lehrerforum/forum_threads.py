"""Write threads: members, opening posts, answers that fit the question, follow-ups, quotes, the long threads.

Part of the lehrerforum generator (see make_forum.py). All randomness comes from Forum.rng.
"""

from __future__ import annotations

import random
import re

import common
import faq_pools
import offtopic_pools
import personas
import special
from forum_cooked import LINK_TITLES, slugify
from forum_habits import Q_RE, finish_text, split_prefix, strip_markers, tokens

HOST = "https://forum.lehrerzimmer-digital.example"


class Pool:
    """Draw items least-used-first so every hand-written phrasing appears before any repeats;
    with a context, prefer items that share words with it (answers that fit the question)."""

    def __init__(self, items: list, rng: random.Random):
        self.items = list(items)
        self.uses = [0] * len(self.items)
        self.rng = rng
        self.item_tokens = [tokens(Q_RE.sub(lambda m: split_prefix(m.group(1))[1], it)) if isinstance(it, str) else set()
                            for it in self.items]

    def draw(self, avoid: set[int] | None = None, context: set[str] | None = None):
        avoid = avoid or set()
        cands = [i for i in range(len(self.items)) if i not in avoid] or list(range(len(self.items)))
        if context:
            scored = [(len(self.item_tokens[i] & context) * 1.6 - self.uses[i] * 1.2 + self.rng.random() * 1.5, i)
                      for i in cands]
            pick = max(scored)[1]
        else:
            low = min(self.uses[i] for i in cands)
            pick = self.rng.choice([i for i in cands if self.uses[i] == low])
        self.uses[pick] += 1
        return pick, self.items[pick]


class Forum:
    """The members, the phrase pools with their usage counts, and the state of the thread being written."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.users = {}
        for i, p in enumerate(personas.PERSONAS):
            uid = 7 + i * 3 + (i % 5)
            username = p["username"]
            color = "%06x" % (random.Random(username).randrange(0x333333, 0xcccccc))
            if i % 4 == 0:
                tmpl = f"/user_avatar/forum.lehrerzimmer-digital.example/{username.lower()}/{{size}}/{100 + i * 7}_2.png"
            else:
                tmpl = f"/letter_avatar_proxy/v4/letter/{username[0].lower()}/{color}/{{size}}.png"
            self.users[username] = dict(p, id=uid, avatar_template=tmpl, email=email_for(p),
                                        phone=common.PHONES[i % len(common.PHONES)])
        self.usernames = set(self.users)
        self.by_weight = [u for u in personas.PERSONAS if not u.get("moderator") and not u.get("english")]
        self.pools = {}
        self.threads = []  # list of dict(spec..., posts=[...])

    # -- helpers
    def pool(self, name: str, items: list) -> Pool:
        if name not in self.pools:
            self.pools[name] = Pool(items, self.rng)
        return self.pools[name]

    def draw(self, name: str, items: list, avoid=None):
        return self.pool(name, items).draw(avoid)[1]

    def draw_fitting(self, name: str, items: list, need_overlap: bool = False) -> str | None:
        """An item that fits the thread so far and was not used in it yet (None when all were,
        or, with need_overlap, when none shares a word with the thread)."""
        used = self.thread_used.setdefault(name, set())
        if len(used) >= len(items):
            return None
        pool = self.pool(name, items)
        if need_overlap and not any(pool.item_tokens[i] & self.context for i in range(len(items)) if i not in used):
            return None
        i, item = pool.draw(avoid=used, context=self.context)
        used.add(i)
        return item

    def start_thread(self) -> None:
        self.context: set[str] = set()
        self.asked: set[str] = set()
        self.thread_used: dict[str, set[int]] = {}

    def note(self, text: str) -> None:
        """Remember what the thread asked: answers are picked to fit it, questions not asked twice."""
        self.context |= tokens(text)
        self.asked.add(text)

    def person(self, exclude=(), expert: bool | None = None, lang: str = "de") -> dict:
        cands = [u for u in self.by_weight if u["username"] not in exclude]
        if lang == "en":
            cands = [u for u in personas.PERSONAS if u.get("english") and u["username"] not in exclude] or cands
        if expert:
            cands = [u for u in cands if u.get("expert")] or cands
        weights = [u.get("weight", 1.0) for u in cands]
        return self.users[self.rng.choices(cands, weights=weights)[0]["username"]]

    def signature(self, user: dict) -> str:
        first = user["name"].split()[0] if user["name"] else user["username"]
        tmpl = user.get("sig")
        if tmpl is None:
            return ""
        return tmpl.format(first=first, city=user.get("city", ""), land=user.get("land", ""),
                           schulform=user.get("schulform", ""))

    def fill_for(self, user: dict, op: dict) -> dict:
        return {"op": op["username"], "opname": first_name(op), "me": first_name(user),
                "land": user.get("land", "NRW"), "schulform": user.get("schulform", "Gymnasium"),
                "city": user.get("city", ""), "email": user["email"], "phone": user["phone"]}


def email_for(p: dict) -> str:
    """A made-up school address on the reserved .example domain."""
    local = ".".join(slugify(w) for w in p["name"].split()[:2]) if p["name"] else slugify(p["username"])
    school = slugify(p.get("schulform", "schule"))[:12] + "-" + slugify(p.get("city") or "nord")[:12]
    return f"{local}@{school}.example"


def first_name(user: dict) -> str:
    return user["name"].split()[0] if user.get("name") else user["username"]


def texts(name: str, key: str) -> list:
    """A shared phrase list from source/common.py, in English for the English threads."""
    return getattr(common, name + "_EN") if key.startswith("en:") else getattr(common, name)


def compose(forum: Forum, user: dict, op: dict, pieces: list[str], sign: bool = True) -> str:
    rng = forum.rng
    text = "\n\n".join(p for p in pieces if p)
    if sign and rng.random() < 0.014:
        text += "\n\n" + forum.draw("contact", common.CONTACT_OFFERS)
    if sign and rng.random() < user.get("sign_rate", 0.6):
        sig = forum.signature(user)
        if sig:
            text += "\n\n" + sig
    return finish_text(text, rng, user, forum.fill_for(user, op))


def question_pieces(forum: Forum, key: str, pool: dict) -> list[str]:
    """The question part of an opening post: one pooled item, sometimes two, sometimes as numbered 'Frage' items."""
    rng = forum.rng
    qpool = forum.pool("q:" + key, pool["questions"])
    i, first = qpool.draw()
    r = rng.random()
    if r < 0.13:
        j, second = qpool.draw(avoid={i})
        forum.note(second)
        qs = Q_RE.findall(first)[:1] + Q_RE.findall(second)[:1]
        if len(qs) == 2:
            style = rng.choice(texts("NUMBERED_STYLES", key))
            intro = rng.choice(texts("NUMBERED_INTROS", key))
            lines = [style.format(n=n + 1, q="[[" + q + "]]") for n, q in enumerate(qs)]
            sep = "\n" if style.startswith("{n}.") and rng.random() < 0.5 else "\n\n"
            return [intro, sep.join(lines)]
    if r < 0.30 and pool.get("followups"):
        extra = forum.draw("f:" + key, pool["followups"])
        return [first, rng.choice(texts("SECOND_QUESTION_LEADS", key)) + " " + extra]
    return [first]


def opener(forum: Forum, key: str, pool: dict, user: dict) -> str:
    rng = forum.rng
    pieces = []
    if rng.random() < 0.62:
        pieces.append(forum.draw("greet" + key[:3], texts("GREETINGS", key)))
    if rng.random() < 0.35:
        runups = pool.get("runups") or []
        if runups and rng.random() < 0.7:
            pieces.append(forum.draw("r:" + key, runups))
        else:
            generic = "RUNUPS_TECH" if key.startswith("ot:") else "RUNUPS"
            pieces.append(forum.draw(generic + key[:3], texts(generic, key)))
    asked = question_pieces(forum, key, pool)
    for piece in asked:
        forum.note(piece)
    pieces += asked
    if rng.random() < 0.45:
        pieces.append(forum.draw("close" + key[:3], texts("CLOSINGS", key)))
    return compose(forum, user, user, pieces)


def answer(forum: Forum, key: str, pool: dict, user: dict, op: dict) -> str:
    rng = forum.rng
    pieces = []
    if rng.random() < 0.35:
        pieces.append(forum.draw("agreet" + key[:3], texts("ANSWER_GREETINGS", key)))
    offtopic = key.startswith("ot:")
    core = forum.draw_fitting("a:" + key, pool["answers"], need_overlap=offtopic and rng.random() < 0.7)
    if core is None and offtopic:
        core = forum.draw_fitting("tech", common.TECH_ANSWERS)
    if core is None:
        core = forum.draw("react" + key[:3], texts("REACTIONS", key))
    elif rng.random() < 0.22:
        core = forum.draw("alead" + key[:3], texts("ANSWER_LEADS", key)) + " " + core
    pieces.append(core)
    if rng.random() < 0.3:
        pieces.append(forum.draw("addendum" + key[:3], texts("ADDENDA", key)))
    return compose(forum, user, op, pieces)


def followup_question(forum: Forum, key: str, pool: dict, user: dict, op: dict, by_op: bool) -> str:
    rng = forum.rng
    items = pool.get("followups") or pool["questions"]
    q = forum.draw_fitting("f:" + key, items)
    if q is None or q in forum.asked:
        qpool = forum.pool("q:" + key, pool["questions"])
        q = qpool.draw(avoid={i for i, item in enumerate(qpool.items) if item in forum.asked}, context=forum.context)[1]
    forum.note(q)
    lead = forum.draw(("fu_op" if by_op else "fu_other") + key[:3],
                      texts("FOLLOWUP_LEADS_OP" if by_op else "FOLLOWUP_LEADS_OTHER", key))
    if by_op and rng.random() < 0.25:
        qpool = forum.pool("q:" + key, pool["questions"])
        avoid = {i for i, item in enumerate(qpool.items) if len(item) >= 140 or item in forum.asked}
        if len(avoid) < len(qpool.items):
            q = qpool.draw(avoid=avoid, context=forum.context)[1]
            forum.note(q)
    return compose(forum, user, op, [lead, q], sign=rng.random() < 0.5)


def short_reply(forum: Forum, name: str, items: list, user: dict, op: dict) -> str:
    return compose(forum, user, op, [forum.draw(name, items)], sign=forum.rng.random() < 0.3)


def quotable(text: str, rng: random.Random) -> str:
    """A sentence or paragraph of an earlier post, as someone would select it for a quote."""
    paras = [p for p in re.split(r"\n{2,}", text) if len(p) > 25 and not p.startswith("```") and "http" not in p
             and not re.match(r"(\d+\.|-)\s", p)]
    if not paras:
        return ""
    para = rng.choice(paras)
    sentences = re.split(r"(?<=[.!?])\s+", para.replace("\n", " "))
    if len(sentences) > 2 and rng.random() < 0.7:
        start = rng.randrange(len(sentences))
        para = " ".join(sentences[start:start + rng.choice((1, 1, 2))])
    return para.strip()


def reply_count_for(rng: random.Random) -> int:
    return rng.choices([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 17, 22],
                       [3, 7, 11, 12, 13, 11, 10, 8, 7, 5, 4, 4, 3, 2, 1])[0]


def pick_title(forum: Forum, name: str, titles: list[str], first_post: str) -> str:
    """A pooled title that fits the opening post, else the first question itself, as many people title threads.

    Only words that are rare among the titles count ("Threema" fits every Threema title)."""
    pool = forum.pool(name, titles)
    counts: dict[str, int] = {}
    for toks in pool.item_tokens:
        for tok in toks:
            counts[tok] = counts.get(tok, 0) + 1
    distinctive = {tok for tok in forum.context if counts.get(tok, 0) < 3}
    fit = [len(toks & distinctive) for toks in pool.item_tokens]
    # A question makes a title only if it stands on its own (not "Soll ich das ansprechen?").
    questions = [q for q, _ in strip_markers(first_post)[1]
                 if len(q) >= 40 and not re.search(r"\b(das|da|dann|die|dort|dafür|damit)\b", q.split(",")[0][:30])]
    if max(fit) < 1 and questions:
        q = questions[0]
        q = q[0].upper() + q[1:]
        if len(q) > 90:
            q = q[:90].rsplit(" ", 1)[0].rstrip(",;:") + " …"
        return q
    best = max((fit[i] * 3 - pool.uses[i] * 0.8 + forum.rng.random(), i) for i in range(len(fit)))[1]
    pool.uses[best] += 1
    return pool.items[best]


def build_faq_thread(forum: Forum, key: str, n_replies: int, lang: str = "de") -> dict:
    rng = forum.rng
    pool = faq_pools.TOPICS[key] if lang == "de" else faq_pools.ENGLISH[key]
    op = forum.person(lang=lang)
    forum.start_thread()
    pkey = key if lang == "de" else f"{lang}:{key}"  # pool names: English pools stay apart
    posts = [dict(user=op, blocks=[("md", opener(forum, pkey, pool, op))], reply_to=None)]
    title = pick_title(forum, f"t:{pkey}", pool["titles"], target_text(posts[0]))
    category = pool.get("category") or faq_pools.TOPICS[key]["category"]
    if rng.random() < 0.18 and "alt_categories" in faq_pools.TOPICS[key]:
        category = rng.choice(faq_pools.TOPICS[key]["alt_categories"])
    add_replies(forum, posts, pkey, pool, op, n_replies, lang)
    return dict(kind="faq", faq_topic=key, relevant=True, title=title, category=category, posts=posts,
                lang=lang, tags=list(faq_pools.TOPICS[key].get("tags", [])))


def add_replies(forum: Forum, posts: list, key: str, pool: dict, op: dict, n_replies: int, lang: str,
                start_extra: int = 0) -> None:
    rng = forum.rng
    answered = False
    helpers = []
    for n in range(n_replies):
        last = posts[-1]["user"]
        kinds = ["answer", "answer", "answer", "quote", "op_followup", "metoo", "thanks", "chatter", "mod"]
        weights = [3.2, 0, 0, 1.3, 1.1 if answered else 0.2, 0.8, 1.0 if answered else 0.1,
                   1.0 if answered else 0.15, 0.12]
        if lang == "en":
            weights = [3, 0, 0, 0.5, 0.8, 0.3, 0.8, 0, 0]
        kind = rng.choices(kinds, weights)[0]
        if kind in ("op_followup", "thanks") and last["username"] == op["username"]:
            kind = "answer"
        if kind == "answer":
            user = rng.choice(helpers) if helpers and rng.random() < 0.3 else forum.person(
                exclude={op["username"], last["username"]}, expert=rng.random() < 0.5, lang=lang)
            if user["username"] == last["username"]:
                user = forum.person(exclude={op["username"], last["username"]}, lang=lang)
            text = answer(forum, key, pool, user, op)
            blocks = [("md", text)]
            reply_to = None
            if posts and rng.random() < 0.25 and len(posts) > 1:
                target_i = rng.randrange(len(posts))
                target = posts[target_i]
                snippet = quotable(strip_markers(target_text(target))[0], rng)
                if snippet and target["user"]["username"] != user["username"]:
                    blocks = [("quote", target["user"]["username"], target_i + 1, snippet), ("md", text)]
                    reply_to = target_i + 1
            posts.append(dict(user=user, blocks=blocks, reply_to=reply_to, answer=True))
            helpers.append(user)
            answered = True
        elif kind == "quote":
            cands = [i for i in range(len(posts)) if posts[i]["user"]["username"] != op["username"] or i == 0]
            target_i = rng.choice(cands)
            target = posts[target_i]
            user = forum.person(exclude={target["user"]["username"], last["username"]}, lang=lang)
            snippet = quotable(strip_markers(target_text(target))[0], rng)
            if target_i == 0 or rng.random() < 0.5:
                body = answer(forum, key, pool, user, op)
                is_answer = True
            else:
                body = short_reply(forum, "react" + key[:3], texts("REACTIONS", key), user, op)
                is_answer = False
            blocks = ([("quote", target["user"]["username"], target_i + 1, snippet)] if snippet else []) + [("md", body)]
            posts.append(dict(user=user, blocks=blocks, reply_to=target_i + 1, answer=is_answer))
            answered = answered or is_answer
        elif kind == "op_followup":
            text = followup_question(forum, key, pool, op, op, by_op=True)
            reply_to = len(posts) if posts[-1]["user"]["username"] != op["username"] else None
            if rng.random() < 0.3 and posts[-1].get("answer"):
                text = f"@{posts[-1]['user']['username']} " + text
            posts.append(dict(user=op, blocks=[("md", text)], reply_to=reply_to))
        elif kind == "metoo":
            user = forum.person(exclude={op["username"], last["username"]}, lang=lang)
            posts.append(dict(user=user, blocks=[("md", followup_question(forum, key, pool, user, op, by_op=False))],
                              reply_to=None))
        elif kind == "thanks":
            items = common.THANKS if lang == "de" else common.THANKS_EN
            text = short_reply(forum, "thanks:" + lang, items, op, op)
            if helpers and rng.random() < 0.4:
                text = f"@{helpers[-1]['username']} " + text
            posts.append(dict(user=op, blocks=[("md", text)], reply_to=len(posts) if rng.random() < 0.6 else None))
        elif kind == "chatter":
            user = forum.person(exclude={last["username"]}, lang=lang)
            if pool.get("chatter"):
                name, items = "c:" + key, pool["chatter"]
            elif key.startswith("ot:"):
                name, items = "chatter_tech", common.CHATTER_TECH
            else:
                name, items = "chatter", common.CHATTER
            text = short_reply(forum, name, items, user, op)
            posts.append(dict(user=user, blocks=[("md", text)], reply_to=None))
        else:  # moderator points to an earlier thread on the same question
            earlier = [t for t in forum.threads if t.get("faq_topic") == key and "topic_id" in t]
            if not earlier:
                continue
            t = rng.choice(earlier)
            mod = forum.users[rng.choice(personas.MODERATORS)]
            url = f"{HOST}/t/{t['slug']}/{t['topic_id']}"
            text = forum.draw("modlink", common.MOD_LINKS).replace("{url}", url)
            LINK_TITLES.setdefault(url, t["title"])
            posts.append(dict(user=mod, blocks=[("md", compose(forum, mod, op, [text], sign=False))], reply_to=None))


def target_text(post: dict) -> str:
    return "\n\n".join(b[1] for b in post["blocks"] if b[0] == "md")


def build_offtopic_thread(forum: Forum, subject: str, n_replies: int) -> dict:
    pool = offtopic_pools.SUBJECTS[subject]
    op = forum.person()
    forum.start_thread()
    posts = [dict(user=op, blocks=[("md", opener(forum, "ot:" + subject, pool, op))], reply_to=None)]
    title = pick_title(forum, "t:ot:" + subject, pool["titles"], target_text(posts[0]))
    add_replies(forum, posts, "ot:" + subject, pool, op, n_replies, "de")
    return dict(kind="offtopic", faq_topic=None, relevant=False, title=title, category=pool["category"],
                posts=posts, lang="de", subject=subject, tags=list(pool.get("tags", [])))


def build_special_threads(forum: Forum) -> list[dict]:
    """Pinned rules, announcements without questions, and the >100-post collection thread."""
    rng = forum.rng
    out = []
    for spec in special.PINNED + special.ANNOUNCEMENTS:
        author = forum.users[spec["author"]]
        posts = [dict(user=author, blocks=[("md", finish_text(spec["body"], rng, {}, forum.fill_for(author, author)))],
                      reply_to=None)]
        for reply in spec.get("replies", []):
            user = forum.users[reply["author"]] if "author" in reply else forum.person()
            posts.append(dict(user=user, blocks=[("md", compose(forum, user, author, [reply["text"]], sign=False))],
                              reply_to=None))
        out.append(dict(kind=spec["kind"], faq_topic=spec.get("faq_topic"), relevant=spec["relevant"],
                        title=spec["title"], category=spec["category"], posts=posts, lang="de",
                        pinned=spec["kind"] == "pinned", created=spec.get("created"), tags=spec.get("tags", []),
                        closed=spec.get("closed", False)))
    out.append(build_collection_thread(forum))
    return out


def build_collection_thread(forum: Forum) -> dict:
    """'Welchen Messenger nutzt eure Schule?': one report per school, questions and replies in between."""
    rng = forum.rng
    spec = special.COLLECTION
    mod = forum.users[spec["author"]]
    forum.start_thread()
    posts = [dict(user=mod, blocks=[("md", finish_text(spec["body"], rng, {}, forum.fill_for(mod, mod)))], reply_to=None)]
    reported: set[str] = set()
    while len(posts) < spec["posts"]:
        r = rng.random()
        user = forum.person(exclude={posts[-1]["user"]["username"]})
        if r < 0.55 and user["username"] not in reported:
            reported.add(user["username"])
            land = user.get("land", "NRW")
            tool = rng.choice(special.LAND_TOOLS.get(land, special.LAND_TOOLS["default"]))
            report = rng.choice(special.REPORT_TEMPLATES).format(
                land=land, schulform=user.get("schulform", "Gymnasium"), tool=tool,
                experience=forum.draw("exp", special.EXPERIENCES), size=rng.choice(special.SCHOOL_SIZES))
            posts.append(dict(user=user, blocks=[("md", compose(forum, user, mod, [report]))], reply_to=None))
        elif r < 0.75:
            q = forum.draw("q:landesmessenger", faq_pools.TOPICS["landesmessenger"]["questions"])
            blocks = []
            reply_to = None
            if len(posts) > 3 and rng.random() < 0.5:
                target_i = rng.randrange(1, len(posts))
                snippet = quotable(strip_markers(target_text(posts[target_i]))[0], rng)
                if snippet and posts[target_i]["user"]["username"] != user["username"]:
                    blocks.append(("quote", posts[target_i]["user"]["username"], target_i + 1, snippet))
                    reply_to = target_i + 1
            blocks.append(("md", compose(forum, user, mod, [q])))
            posts.append(dict(user=user, blocks=blocks, reply_to=reply_to))
        elif r < 0.92:
            target_i = rng.randrange(1, len(posts))
            target = posts[target_i]
            if target["user"]["username"] == user["username"]:
                continue
            forum.context = tokens(target_text(target))
            if len(forum.thread_used.get("a:landesmessenger", ())) >= 7:
                forum.thread_used["a:landesmessenger"] = set()
            body = answer(forum, "landesmessenger", faq_pools.TOPICS["landesmessenger"], user, target["user"])
            snippet = quotable(strip_markers(target_text(target))[0], rng)
            blocks = ([("quote", target["user"]["username"], target_i + 1, snippet)] if snippet and rng.random() < 0.6
                      else [])
            if not blocks:
                body = f"@{target['user']['username']} " + body
            blocks.append(("md", body))
            posts.append(dict(user=user, blocks=blocks, reply_to=target_i + 1, answer=True))
        else:
            posts.append(dict(user=user, blocks=[("md", short_reply(forum, "chatter", common.CHATTER, user, mod))],
                              reply_to=None))
    return dict(kind="collection", faq_topic="landesmessenger", relevant=True, title=spec["title"],
                category=spec["category"], posts=posts, lang="de", pinned=False, created=spec["created"],
                tags=spec.get("tags", []), long="years")


def plan_threads_lazy(forum: Forum) -> list:
    rng = forum.rng
    plan = []
    for key, pool in faq_pools.TOPICS.items():
        plan += [("faq", key)] * pool["threads"]
    for key, n in faq_pools.ENGLISH_THREADS.items():
        plan += [("faq_en", key)] * n
    for subject, pool in offtopic_pools.SUBJECTS.items():
        plan += [("ot", subject)] * pool["threads"]
    rng.shuffle(plan)
    long_left = dict(special.LONG_THREADS)
    builders = []
    for kind, key in plan:
        n = reply_count_for(rng)
        long = False
        if kind != "faq_en" and long_left.get(key):
            long_left[key] -= 1
            n = rng.randint(*special.LONG_REPLIES)
            long = True

        def build(kind=kind, key=key, n=n, long=long):
            if kind == "faq":
                t = build_faq_thread(forum, key, n)
            elif kind == "faq_en":
                t = build_faq_thread(forum, key, min(n, 5), lang="en")
            else:
                t = build_offtopic_thread(forum, key, n)
            t["long"] = long
            return t
        builders.append(build)
    return builders
