"""Soak test: ``python bot.py run`` in a subprocess against the loopback Bot API, fed N mixed
updates; checks that every update got exactly the replies it should and nothing else.

    python bench/soak.py                    # 10,000 updates, table
    python bench/soak.py -n 600 --json      # smaller, machine-readable (tests/test_soak.py)

The mix: private questions (the evaluation set plus junk), commands, group chatter (the bot
must stay silent), @-mentions and replies to the bot in groups, group commands, inline
queries, edited messages, garbage (update types PTB does not know, channel posts, bot added
to a group, messages without text, empty text, 4000 emoji, unknown commands) and, in a second
wave, presses of the buttons under the bot's own replies. Users take turns (round robin), so
flood control never trips; the rate limiter is on, as in production (about 30 messages/s).
Updates go out in chunks (``--chunk``, default 500) and each chunk's replies are awaited
before the next, so RSS shows growth rather than a backlog; ``--chunk 0`` pushes everything
at once (the bot then holds thousands of queued updates).

What each update should get is computed with the knowledge core and the handlers' rules
(``sendMessage`` parts per chat, ``answerInlineQuery`` per query, ``answerCallbackQuery`` per
press, ``editMessageText`` per pressed message); the server's record must match it exactly.
Reported: updates pushed and confirmed, replies expected / delivered / missing / unexpected /
refused by the server, ERROR and Traceback lines in the bot's log, the bot's RSS at start and
end (VmRSS, and VmHWM peak), wall time. Exit status 0 only when everything matched and the
log has no ERROR.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.messages import _without_mention  # noqa: E402
from knowledge.answer import answer_question  # noqa: E402
from knowledge.buttons import TopicPress  # noqa: E402
from knowledge.commands import BUILTIN_COMMANDS  # noqa: E402
from knowledge.evaluation import load_cases  # noqa: E402
from knowledge.language import choose_language  # noqa: E402
from knowledge.records import LANGUAGES  # noqa: E402
from knowledge.render import (  # noqa: E402
    help_text,
    render_html,
    split_messages,
)
from runtime.live import LiveKnowledgeBase  # noqa: E402
from testkit.bot_runner import BotProcess  # noqa: E402
from testkit.botapi import BOT_USERNAME, FakeBotApi  # noqa: E402

# share of wave 1 (button presses come on top, as wave 2: PRESS_SHARE of N)
MIX = {
    "private question": 34,
    "private command": 14,
    "group chatter": 14,
    "group mention": 6,
    "group reply to bot": 3,
    "group command": 3,
    "inline query": 10,
    "edited message": 3,
    "garbage": 5,
}
PRESS_SHARE = 0.08
LANGS = LANGUAGES
JUNK = [
    "asdf qwer",
    "?",
    "what about football",
    "<b>bold</b> & <i>",
    "\u200f\u202eRTL\u202c text \u200b",
    "日本語のテキスト",
    "🙂" * 30,
    "tell me more",
    "weather tomorrow",
    "Bosnia & Herzegovina trade",
    "ok",
    "\x07\x1b[31mcontrol\x00",
    "x" * 3000,
]
CHATTER = [
    "lol",
    "see you tomorrow",
    "who has the slides?",
    "/trade@SomeOtherBot 2011",
    "trade in 2011",  # about the topic, but not addressed to the bot
    "@someone_else what do you think",
    "👍",
]
COMMANDS_PLAIN = [command.name for command in BUILTIN_COMMANDS]


class Expect:
    """What the bot should answer, computed the way the handlers do."""

    def __init__(self) -> None:
        self.kb = LiveKnowledgeBase().current
        self.counts: Counter[tuple[str, str]] = Counter()  # everything so far
        self.last: Counter[tuple[str, str]] = Counter()  # for the update being made
        self.topic_commands = [t.command for t in self.kb.topics.values()]

    def parts(self, text: str, lang: str, topic: str | None = None) -> int:
        return len(
            render_html(answer_question(self.kb, text, topic=topic, preferred_lang=lang), self.kb)
        )

    def add(self, method: str, key: str, count: int = 1) -> None:
        if count:
            self.counts[method, key] += count
            self.last[method, key] += count

    def send(self, chat: int, count: int = 1) -> None:
        self.add("sendMessage", str(chat), count)

    def command(self, text: str, lang: str) -> int:
        """sendMessage parts for a command message (private chat)."""
        words = text.split()
        name = words[0][1:].split("@")[0].lower()
        args = " ".join(words[1:])
        if name in self.topic_commands:
            topic = self.kb.topic_by_command(name).id
            return self.parts(args, lang, topic)
        if name == "start":
            found = self.kb.topic_by_command(args) if args else None
            if found is None:
                return 1
            reply_lang = choose_language("", lang)
            return len(
                render_html(answer_question(self.kb, "", topic=found.id, lang=reply_lang), self.kb)
            )
        if name == "help":
            reply_lang = choose_language("", lang)
            text = help_text(self.kb, reply_lang, BOT_USERNAME)
            return len(split_messages(text.split("\n")))
        return 1  # a plain command; or one the bot does not have: a pointer to /help


def declare_world(api: FakeBotApi, users: int, groups: int, rng: random.Random) -> dict:
    langs = {}
    for i in range(users):
        uid = 100_000 + i
        langs[uid] = rng.choice(LANGS)
        api.declare_user(uid, f"Soak{i}", language_code=langs[uid])
    group_ids = [-100_900_000_000 - g for g in range(groups)]
    for gid in group_ids:
        api.declare_chat(gid, "supergroup", title=f"Soak group {gid}")
    return {"langs": langs, "groups": group_ids}


def wave_one(
    api: FakeBotApi, expect: Expect, n: int, world: dict, rng: random.Random
) -> tuple[list[tuple[dict, Counter]], Counter]:
    """N updates, each with the replies it should get; and how many of each kind."""
    questions = [c.q for c in load_cases()] + JUNK
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]
    users = list(world["langs"])
    langs = world["langs"]
    updates: list[tuple[dict, Counter]] = []
    tally: Counter[str] = Counter()
    earlier_private: list[dict] = []
    for i in range(n):
        expect.last = Counter()
        user = users[i % len(users)]  # round robin: one update per user every len(users)
        lang = langs[user]
        group = rng.choice(world["groups"])
        kind = rng.choices(kinds, weights)[0]
        if kind == "edited message" and not earlier_private:
            kind = "private question"
        tally[kind] += 1
        if kind == "private question":
            text = rng.choice(questions)
            update = api.private_message(text, user)
            earlier_private.append(update["message"])
            expect.send(user, expect.parts(_without_mention(text, BOT_USERNAME), lang))
        elif kind == "private command":
            name = rng.choice(COMMANDS_PLAIN + expect.topic_commands * 2)
            extra = rng.choice(["", "", " 2011", " 2023", " golovchenko", " trade", " ?"])
            text = f"/{name}{extra}"
            update = api.private_message(text, user)
            expect.send(user, expect.command(text, lang))
        elif kind == "group chatter":
            update = api.group_message(rng.choice(CHATTER), group, user)
        elif kind == "group mention":
            text = f"@{BOT_USERNAME} {rng.choice(questions)}"
            update = api.group_message(text, group, user)
            expect.send(group, expect.parts(_without_mention(text, BOT_USERNAME), lang))
        elif kind == "group reply to bot":
            text = rng.choice(questions)
            update = api.group_message(text, group, user, reply_to_bot=True)
            expect.send(group, expect.parts(text, lang))
        elif kind == "group command":
            name = rng.choice(expect.topic_commands)
            text = f"/{name}@{BOT_USERNAME} {rng.choice(['', '2011', '2023'])}".strip()
            update = api.group_message(text, group, user)
            expect.send(group, expect.command(text, lang))
        elif kind == "inline query":
            update = api.inline_query(rng.choice(["", *questions])[:256], user)
            expect.add("answerInlineQuery", update["inline_query"]["id"])
        elif kind == "edited message":
            original = rng.choice(earlier_private)
            text = rng.choice(questions)
            update = api.edited_message(original, text)
            # an edited question is answered again (PTB's MessageHandler sees edits too)
            chat = original["chat"]["id"]
            expect.send(chat, expect.parts(text, langs[original["from"]["id"]]))
        else:
            update = garbage(api, expect, i, user, lang, group, rng)
        updates.append((update, expect.last))
    return updates, tally


def garbage(
    api: FakeBotApi, expect: Expect, i: int, user: int, lang: str, group: int, rng: random.Random
) -> dict:
    choice = rng.randrange(7)
    if choice == 0:
        return {"update_type_from_the_future": {"id": i, "payload": {"x": [1, 2, 3]}}}
    if choice == 1:
        return {
            "channel_post": {
                "message_id": i + 1,
                "chat": {"id": -100_555_000_000, "type": "channel", "title": "Soak channel"},
                "date": int(time.time()),
                "text": "trade in 2011",
            }
        }
    if choice == 2:  # the bot added to a group
        return {
            "my_chat_member": {
                "chat": {"id": group, "type": "supergroup", "title": "Soak group"},
                "from": api.declare_user(user, language_code=lang),
                "date": int(time.time()),
                "old_chat_member": {"user": api.bot_user, "status": "left"},
                "new_chat_member": {"user": api.bot_user, "status": "member"},
            }
        }
    if choice == 3:  # a location: no text at all (a private chat: "I only read text")
        expect.send(user)
        update = api.private_message("x", user)
        del update["message"]["text"]
        update["message"]["location"] = {"latitude": 53.9, "longitude": 27.56}
        return update
    if choice == 4:  # empty text (Telegram never sends it; treated as no text)
        expect.send(user)
        update = api.private_message("x", user)
        update["message"]["text"] = ""
        update["message"].pop("entities", None)
        return update
    if choice == 5:  # a wall of emoji
        text = "".join(rng.choice("😀🇻🇳🇧🇾👨‍👩‍👧🙂") for _ in range(4000))[:4000]
        expect.send(user, expect.parts(text, lang))
        return api.private_message(text, user)
    expect.send(user)  # no such command: a pointer to /help
    return api.private_message(f"/nosuchcommand{i % 7} please", user)


def wave_two(api: FakeBotApi, expect: Expect, count: int, rng: random.Random) -> list[dict]:
    """Presses of buttons under the bot's replies in private chats: one per chat."""
    by_chat: dict[int, dict] = {}
    for sent in api.sent_messages():
        chat = sent["chat"]["id"]
        if chat > 0 and sent.get("reply_markup", {}).get("inline_keyboard"):
            by_chat.setdefault(chat, sent)
    chats = sorted(by_chat)
    rng.shuffle(chats)
    updates = []
    for chat in chats[:count]:
        sent = by_chat[chat]
        buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
        data = rng.choice(buttons)["callback_data"]
        if rng.random() < 0.1:
            data = TopicPress("topic-that-no-longer-exists", "en").pack()  # from an older KB
        update = api.callback_query(data, sent, chat)
        expect.add("answerCallbackQuery", update["callback_query"]["id"])
        kind, _, rest = data.partition(":")
        if kind == "src":  # the source list comes as new message(s) under the answer
            expect.send(chat, 1)  # the first page of /sources, "More" under it
        elif kind == "ch":  # the trade chart, as a photo
            expect.add("sendPhoto", str(chat))
        elif kind in ("sp", "tl"):  # another page of /sources or /timeline, in place
            expect.add("editMessageText", f"{chat}:{sent['message_id']}")
        elif kind == "t" and rest.split(":")[0] in expect.kb.topics:
            expect.add("editMessageText", f"{chat}:{sent['message_id']}")
        elif kind == "m":  # "More": the next page of that answer, in place
            expect.add("editMessageText", f"{chat}:{sent['message_id']}")
        updates.append(update)
    return updates


def delivered(api: FakeBotApi) -> tuple[Counter, int]:
    """Successful replies by (method, key), and how many replies the server refused."""
    counts: Counter[tuple[str, str]] = Counter()
    refused = 0
    for rec in api.requests:
        if rec.method in ("sendMessage", "sendPhoto"):
            key = str(rec.params.get("chat_id"))
        elif rec.method == "answerInlineQuery":
            key = str(rec.params.get("inline_query_id"))
        elif rec.method == "answerCallbackQuery":
            key = str(rec.params.get("callback_query_id"))
        elif rec.method == "editMessageText":
            key = f"{rec.params.get('chat_id')}:{rec.params.get('message_id')}"
        else:
            continue
        if not rec.done:
            continue
        if rec.ok:
            counts[rec.method, key] += 1
        else:
            refused += 1
    return counts, refused


def wait_for_replies(
    api: FakeBotApi, expected: Counter, stall: float, bot: BotProcess, settle: float = 0.0
) -> tuple[Counter, int]:
    """Until the server has every expected reply, or nothing new came for ``stall`` s."""
    last_total, last_change = -1, time.monotonic()
    while True:
        got, refused = delivered(api)
        total = sum(got.values()) + refused
        if got == expected:
            time.sleep(settle)  # a straggler (a duplicate) would show up now
            return delivered(api)
        if total != last_total:
            last_total, last_change = total, time.monotonic()
        elif time.monotonic() - last_change > stall or bot.proc.poll() is not None:
            return got, refused
        time.sleep(0.25)


def soak(
    n: int,
    users: int | None,
    groups: int,
    seed: int,
    stall: float,
    rate_limiter: bool = True,
    chunk: int = 500,
) -> dict[str, Any]:
    rng = random.Random(seed)
    users = users or max(200, n // 8)
    expect = Expect()
    result: dict[str, Any] = {"updates_requested": n, "users": users, "groups": groups}
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api:
        env = {
            "DIPLOFACTS_DB": str(Path(tmp) / "soak.sqlite3"),
            "LOG_LEVEL": "INFO",
            "ADMIN_IDS": "",
        }
        if not rate_limiter:
            env["DIPLOFACTS_RATE_LIMITER"] = "off"
        world = declare_world(api, users, groups, rng)
        first, tally = wave_one(api, expect, n - int(n * PRESS_SHARE), world, rng)
        bot = BotProcess(api, env)
        try:
            bot.wait_log(r"Bot @\w+ ready", timeout=60)
            api.wait_for("getUpdates", finished=False, timeout=30)
            rss_start = bot.rss_kib()
            rss_samples = []
            started = time.monotonic()
            so_far: Counter[tuple[str, str]] = Counter()
            step = chunk or len(first)
            for at in range(0, len(first), step):  # a chunk, then wait for all its replies
                for update, replies in first[at : at + step]:
                    api.push_update(update)
                    so_far += replies
                got, refused = wait_for_replies(api, so_far, stall, bot)
                rss_samples.append(bot.rss_kib())
                if got != so_far:
                    break
            got, refused = wait_for_replies(api, +expect.counts, stall, bot, settle=1.0)
            second = wave_two(api, expect, n - len(first), rng)
            tally["button press"] = len(second)
            for update in second:
                api.push_update(update)
            got, refused = wait_for_replies(api, +expect.counts, stall, bot, settle=1.0)
            wall = time.monotonic() - started
            rss_end = bot.rss_kib()
            peak = _peak_kib(bot.pid)
            pending = len(api.pending_updates())
        finally:
            exit_code = bot.stop()
        pushed = len(first) + len(second)
        expected = +expect.counts
        missing = expected - got
        unexpected = got - expected
        log_lines = bot.lines
        errors = [line for line in log_lines if re.search(r"\d ERROR ", line)]
        result.update(
            {
                "updates_pushed": pushed,
                "updates_confirmed": pushed - pending,
                "updates_by_kind": dict(sorted(tally.items())),
                "replies_expected": sum(expected.values()),
                "replies_delivered": sum((got & expected).values()),
                "replies_missing": sum(missing.values()),
                "replies_unexpected": sum(unexpected.values()),
                "replies_refused_by_server": refused,
                "replies_by_method": dict(
                    sorted(Counter(method for method, _ in got.elements()).items())
                ),
                "missing_examples": [list(k) for k in list(missing)[:5]],
                "unexpected_examples": [list(k) for k in list(unexpected)[:5]],
                "log_error_lines": len(errors),
                "log_error_examples": errors[:5],
                "log_tracebacks": sum("Traceback" in line for line in log_lines),
                "log_warning_lines": sum(" WARNING " in line for line in log_lines),
                "rss_start_kib": rss_start,
                "rss_after_first_chunk_kib": rss_samples[0] if rss_samples else None,
                "rss_end_kib": rss_end,
                "rss_peak_kib": peak,
                "wall_seconds": round(wall, 1),
                "replies_per_second": round(sum(got.values()) / wall, 1) if wall else None,
                "rate_limiter": rate_limiter,
                "chunk": chunk,
                "bot_exit_code": exit_code,
            }
        )
    result["ok"] = (
        result["replies_missing"] == 0
        and result["replies_unexpected"] == 0
        and result["replies_refused_by_server"] == 0
        and result["log_error_lines"] == 0
        and result["log_tracebacks"] == 0
        and result["updates_confirmed"] == result["updates_pushed"]
        and exit_code == 0
    )
    return result


def _peak_kib(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def table(result: dict[str, Any]) -> str:
    def mib(kib: int | None) -> str:
        return f"{kib / 1024:.1f} MiB" if kib else "n/a"

    rows = [
        ("updates pushed", result["updates_pushed"]),
        ("updates confirmed", result["updates_confirmed"]),
        *((f"  {kind}", count) for kind, count in result["updates_by_kind"].items()),
        ("replies expected", result["replies_expected"]),
        ("replies delivered", result["replies_delivered"]),
        *((f"  {method}", count) for method, count in result["replies_by_method"].items()),
        ("replies missing", result["replies_missing"]),
        ("replies unexpected", result["replies_unexpected"]),
        ("replies refused by the server", result["replies_refused_by_server"]),
        ("ERROR lines in the bot's log", result["log_error_lines"]),
        ("tracebacks in the bot's log", result["log_tracebacks"]),
        ("WARNING lines in the bot's log", result["log_warning_lines"]),
        ("RSS at start", mib(result["rss_start_kib"])),
        ("RSS after the first chunk", mib(result["rss_after_first_chunk_kib"])),
        ("RSS at end", mib(result["rss_end_kib"])),
        ("RSS peak (VmHWM)", mib(result["rss_peak_kib"])),
        ("wall time", f"{result['wall_seconds']} s"),
        ("replies per second", result["replies_per_second"]),
        ("rate limiter", "on" if result["rate_limiter"] else "off"),
        ("pushed in chunks of", result["chunk"] or "all at once"),
        ("bot exit code", result["bot_exit_code"]),
        ("result", "OK" if result["ok"] else "FAILED"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    for key in ("missing_examples", "unexpected_examples", "log_error_examples"):
        if result[key]:
            lines.append(f"{key}: {result[key]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--updates", type=int, default=10_000)
    parser.add_argument("--users", type=int, help="distinct users (default: N/8, at least 200)")
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--stall", type=float, default=60.0, help="give up after this long without a reply"
    )
    parser.add_argument(
        "--no-rate-limiter",
        action="store_true",
        help="DIPLOFACTS_RATE_LIMITER=off (faster; not how production runs)",
    )
    parser.add_argument(
        "--chunk",
        type=int,
        default=500,
        help="push this many updates, wait for their replies, push the next (0: all at once)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = soak(
        args.updates,
        args.users,
        args.groups,
        args.seed,
        args.stall,
        rate_limiter=not args.no_rate_limiter,
        chunk=args.chunk,
    )
    print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
