"""Soak test: ``python bot.py run`` in a subprocess against the loopback Bot API, fed N mixed
updates; checks that every update got exactly the replies it should and nothing else.

    python bench/soak.py                    # 10,000 updates, table
    python bench/soak.py -n 600 --json      # smaller, machine-readable (tests/test_soak.py)
    python bench/soak.py --mode webhook --instances 2 [--no-rate-limiter] [--before DIR]

``--mode webhook``: a throwaway PostgreSQL (testkit/pg_server.py), N ``bot.py run --webhook``
instances sharing it, each on its own port, behind bench/rr_proxy.py (round robin per
request); the updates are POSTed to the proxy as Telegram sends them (JSON, the secret
header). Then, in the same run, the same updates through one instance behind the same proxy
and through bench/echo_bot.py --webhook (``--no-compare`` skips both), and with ``--before
DIR`` one instance of another checkout's bot. A "More" pressed on an instance that did not
send the answer is answered "expired" (README, Several instances): counted apart, no edit
expected. ``--profile FILE`` samples the first instance's CPU stacks (bench/profiling).

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
Reported: updates pushed and confirmed (webhook: answered 200), replies expected / delivered
/ missing / duplicated (more than expected to a chat, query or message that expected some) /
unexpected / refused by the server, ERROR and Traceback lines in each process's log, RSS at
start and end (VmRSS, and VmHWM peak), CPU ms per update of each process (/proc/<pid>/stat),
updates per second while the bot had work (from each chunk's first push to its last reply),
wall time. Exit status 0 only when everything matched and no log has an ERROR.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rr_proxy import read_message  # noqa: E402
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
from testkit.bot_runner import BotProcess, memory_kib  # noqa: E402
from testkit.botapi import BOT_USERNAME, FakeBotApi, Recorded  # noqa: E402
from testkit.ports import free_port  # noqa: E402

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
        # "More" presses: the message they should edit, and the press's callback id
        self.more_presses: dict[str, str] = {}

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


def wave_two(
    api: FakeBotApi, expect: Expect, count: int, rng: random.Random
) -> list[tuple[dict, Counter]]:
    """Presses of buttons under the bot's replies in private chats: one per chat; each with
    the replies it should get."""
    by_chat: dict[int, dict] = {}
    for sent in api.sent_messages():
        chat = sent["chat"]["id"]
        if chat > 0 and sent.get("reply_markup", {}).get("inline_keyboard"):
            by_chat.setdefault(chat, sent)
    chats = sorted(by_chat)
    rng.shuffle(chats)
    updates: list[tuple[dict, Counter]] = []
    for chat in chats[:count]:
        expect.last = Counter()
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
            expect.more_presses[f"{chat}:{sent['message_id']}"] = update["callback_query"]["id"]
        updates.append((update, expect.last))
    return updates


REPLY_METHODS = (
    "sendMessage",
    "sendPhoto",
    "answerInlineQuery",
    "answerCallbackQuery",
    "editMessageText",
)
WEBHOOK_URL = "https://bot.example.com/telegram"
WEBHOOK_SECRET = "soak-webhook-secret-0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ECHO_BOT = ROOT / "bench" / "echo_bot.py"
PROXY = ROOT / "bench" / "rr_proxy.py"
PROFILING = ROOT / "bench" / "profiling"


def reply_key(rec: Recorded) -> str | None:
    if rec.method in ("sendMessage", "sendPhoto"):
        return str(rec.params.get("chat_id"))
    if rec.method == "answerInlineQuery":
        return str(rec.params.get("inline_query_id"))
    if rec.method == "answerCallbackQuery":
        return str(rec.params.get("callback_query_id"))
    if rec.method == "editMessageText":
        return f"{rec.params.get('chat_id')}:{rec.params.get('message_id')}"
    return None


def delivered(api: FakeBotApi, refused_too: bool = False) -> tuple[Counter, int]:
    """Replies by (method, key) (the successful ones; also the refused ones with
    ``refused_too``), and how many replies the server refused."""
    counts: Counter[tuple[str, str]] = Counter()
    refused = 0
    for rec in api.requests:
        key = reply_key(rec)
        if key is None or not rec.done:
            continue
        if rec.ok or refused_too:
            counts[rec.method, key] += 1
        if not rec.ok:
            refused += 1
    return counts, refused


def last_reply_time(api: FakeBotApi) -> float | None:
    times = [rec.time for rec in api.requests if rec.method in REPLY_METHODS]
    return max(times) if times else None


def wait_for_replies(
    api: FakeBotApi,
    expected: Callable[[], Counter],
    stall: float,
    alive: Callable[[], bool],
    settle: float = 0.0,
    refused_too: bool = False,
) -> tuple[Counter, int]:
    """Until the server has every expected reply, or nothing new came for ``stall`` s."""
    last_total, last_change = -1, time.monotonic()
    while True:
        got, refused = delivered(api, refused_too)
        total = sum(got.values()) + refused
        if got == expected():
            time.sleep(settle)  # a straggler (a duplicate) would show up now
            return delivered(api, refused_too)
        if total != last_total:
            last_total, last_change = total, time.monotonic()
        elif time.monotonic() - last_change > stall or not alive():
            return got, refused
        time.sleep(0.1)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc/<pid>/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class EchoProcess:
    """``bench/echo_bot.py --webhook`` as a subprocess (what BotProcess is for bot.py)."""

    def __init__(self, api: FakeBotApi, env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, str(ECHO_BOT), "--webhook"],
            cwd=ROOT,
            env={
                **os.environ,
                "TELEGRAM_BOT_TOKEN": api.token,
                "TELEGRAM_BASE_URL": api.base_url,
                **env,
            },
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def lines(self) -> list[str]:
        return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()

    def stop(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return int(self.proc.returncode)


class Fleet:
    """The processes that answer the soak's updates: one polling bot (the base), or
    webhook instances behind the round-robin proxy (WebhookFleet)."""

    def __init__(self, api: FakeBotApi, env: dict[str, str]) -> None:
        self.api = api
        self.processes: list[Any] = [BotProcess(api, env, root=bot_root)]

    def ready(self) -> None:
        self.processes[0].wait_log(r"Bot @\w+ ready", timeout=60)
        self.api.wait_for("getUpdates", finished=False, timeout=30)

    def push(self, updates: list[dict]) -> None:
        for update in updates:
            self.api.push_update(update)

    def alive(self) -> bool:
        return all(p.proc.poll() is None for p in self.processes)

    def accepted(self, pushed: int) -> int:
        return pushed - len(self.api.pending_updates())

    def handled(self, pushed: int) -> list[int]:
        """Updates each process was given."""
        return [pushed]

    def stop(self) -> list[int]:
        return [p.stop() for p in self.processes]


class WebhookFleet(Fleet):
    """``instances`` webhook processes (``bot.py run --webhook`` sharing ``database_url``,
    or the echo bot), each on its own port, behind bench/rr_proxy.py; updates are POSTed to
    the proxy as Telegram would (JSON, the secret header) over ``connections`` connections."""

    def __init__(
        self,
        api: FakeBotApi,
        env: dict[str, str],
        instances: int,
        *,
        database_url: str | None,
        connections: int,
        echo_log: Path | None = None,
        profile: Path | None = None,
    ) -> None:
        self.api = api
        self.connections = connections
        self.statuses: Counter[int] = Counter()
        self.ports = [free_port() for _ in range(instances)]
        self.processes = []
        for i, port in enumerate(self.ports):
            settings = {
                **env,
                "WEBHOOK_URL": WEBHOOK_URL,
                "WEBHOOK_SECRET": WEBHOOK_SECRET,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "PORT": str(port),
            }
            if profile is not None and i == 0:
                settings["PYTHONPATH"] = str(PROFILING)
                settings["DIPLOFACTS_PROFILE_OUT"] = str(profile)
            if echo_log is not None:
                self.processes.append(EchoProcess(api, settings, echo_log))
            else:
                settings.update({"DATABASE_URL": database_url or "", "DIPLOFACTS_DB": ""})
                self.processes.append(BotProcess(api, settings, args=("--webhook",), root=bot_root))
        self.proxy = subprocess.Popen(
            [sys.executable, str(PROXY), *(f"--backend=127.0.0.1:{p}" for p in self.ports)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proxy.stdout is not None
        self.proxy_port = int(self.proxy.stdout.readline().split()[1])
        self.forwarded: list[int] = [0] * instances
        self.proxy_failed = 0

    def ready(self) -> None:
        for process in self.processes:
            if isinstance(process, BotProcess):
                process.wait_log(r"Bot @\w+ ready", timeout=60)
        self.api.wait_for("setWebhook", count=len(self.processes), timeout=60)
        deadline = time.monotonic() + 30
        for port in self.ports:  # the listener opens after setWebhook
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or not self.alive():
                        raise
                    time.sleep(0.05)

    def push(self, updates: list[dict]) -> None:
        bodies = []
        for update in updates:  # update_ids in order, as Telegram numbers them
            self.api.register_webhook_update(update)
            bodies.append(json.dumps(update, ensure_ascii=False).encode())
        self.statuses += asyncio.run(post_all(self.proxy_port, bodies, self.connections))

    def accepted(self, pushed: int) -> int:
        return self.statuses[200]

    def handled(self, pushed: int) -> list[int]:
        return self.forwarded

    def stop(self) -> list[int]:
        codes = [p.stop() for p in self.processes]
        self.proxy.terminate()
        out, _ = self.proxy.communicate(timeout=20)
        stats = json.loads(out.strip().splitlines()[-1])
        self.forwarded, self.proxy_failed = stats["forwarded"], stats["failed"]
        return codes


async def post_all(port: int, bodies: list[bytes], connections: int) -> Counter[int]:
    """POST each body to 127.0.0.1:``port`` (Telegram's webhook delivery: JSON and the
    secret header) over ``connections`` kept-alive connections; the statuses (0: no
    answer)."""
    statuses: Counter[int] = Counter()
    todo = iter(bodies)
    path = urlparse(WEBHOOK_URL).path

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for body in todo:  # one shared iterator: each body is posted once
                head = (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Content-Type: application/json\r\n{SECRET_HEADER}: {WEBHOOK_SECRET}\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n"
                ).encode()
                try:
                    writer.write(head + body)
                    await writer.drain()
                    answer, _ = await read_message(reader)
                    statuses[int(answer.split(b" ", 2)[1])] += 1
                except (OSError, asyncio.IncompleteReadError):
                    statuses[0] += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return statuses


def echo_replies(update: dict) -> Counter[tuple[str, str]]:
    """What bench/echo_bot.py answers: the text back, to every message with text (PTB's
    MessageHandler also sees edits and channel posts)."""
    for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
        message = update.get(key)
        if isinstance(message, dict):
            if message.get("text"):
                return Counter({("sendMessage", str(message["chat"]["id"])): 1})
            break
    return Counter()


def drive(
    api: FakeBotApi,
    fleet: Fleet,
    first: list[tuple[dict, Counter]],
    second: Callable[[], list[tuple[dict, Counter]]],
    stall: float,
    chunk: int,
    refused_too: bool = False,
    adjust: Callable[[Counter], Counter] = lambda expected: expected,
) -> dict[str, Any]:
    """Push ``first`` in chunks (each chunk's replies awaited), then ``second()``; what
    came back, with the CPU each process used and the time the fleet was busy.
    ``adjust``: what is expected of the replies so far, given what has been answered."""
    procs = fleet.processes
    rss_start = [memory_kib(p.pid, "VmRSS") for p in procs]
    cpu_start = [cpu_seconds(p.pid) for p in procs]
    rss_samples = []
    started = time.monotonic()
    busy = 0.0
    so_far: Counter[tuple[str, str]] = Counter()
    step = chunk or len(first) or 1
    batches = [first[at : at + step] for at in range(0, len(first), step)]
    got: Counter[tuple[str, str]] = Counter()
    refused = 0
    pushed = 0
    for number, batch in enumerate([*batches, None]):
        if batch is None:  # the second wave: presses of buttons under the first's replies
            got, refused = wait_for_replies(
                api, lambda so_far=+so_far: adjust(so_far), stall, fleet.alive, 1.0, refused_too
            )
            batch = second()
        pushed_at = time.monotonic()
        fleet.push([update for update, _ in batch])
        pushed += len(batch)
        for _, replies in batch:
            so_far += replies
        got, refused = wait_for_replies(
            api,
            lambda so_far=+so_far: adjust(so_far),
            stall,
            fleet.alive,
            1.0 if number == len(batches) else 0.0,
            refused_too,
        )
        busy += max(0.0, (last_reply_time(api) or pushed_at) - pushed_at)
        rss_samples.append(memory_kib(procs[0].pid, "VmRSS"))
        if got != adjust(+so_far) and number < len(batches):
            break
    wall = time.monotonic() - started
    cpu = [
        (end - begin) if end is not None and begin is not None else None
        for begin, end in zip(cpu_start, (cpu_seconds(p.pid) for p in procs), strict=True)
    ]
    return {
        "pushed": pushed,
        "expected": adjust(+so_far),
        "got": got,
        "refused": refused,
        "pending": len(api.pending_updates()),
        "wall": wall,
        "busy": busy,
        "cpu": cpu,
        "rss_start": rss_start,
        "rss_first": rss_samples[0] if rss_samples else None,
        "rss_end": [memory_kib(p.pid, "VmRSS") for p in procs],
        "rss_peak": [memory_kib(p.pid, "VmHWM") for p in procs],
    }


def outcome(run: dict[str, Any], fleet: Fleet, exit_codes: list[int]) -> dict[str, Any]:
    """The figures of one run (``drive``'s record, the fleet's logs and exit codes)."""
    expected, got = run["expected"], run["got"]
    missing = expected - got
    extra = got - expected
    duplicated = Counter({k: v for k, v in extra.items() if k in expected})
    unexpected = Counter({k: v for k, v in extra.items() if k not in expected})
    handled = fleet.handled(run["pushed"])
    instances = []
    all_errors: list[str] = []
    tracebacks = warnings = 0
    for i, process in enumerate(fleet.processes):
        lines = process.lines
        errors = [line for line in lines if re.search(r"\d ERROR |^ERROR:|ERROR - ", line)]
        all_errors += errors
        tracebacks += sum("Traceback" in line for line in lines)
        warnings += sum(" WARNING " in line for line in lines)
        cpu = run["cpu"][i]
        updates = handled[i] if i < len(handled) else None
        instances.append(
            {
                "updates": updates,
                "cpu_seconds": round(cpu, 2) if cpu is not None else None,
                "cpu_ms_per_update": round(cpu / updates * 1000, 2) if cpu and updates else None,
                "log_error_lines": len(errors),
                "rss_start_kib": run["rss_start"][i],
                "rss_end_kib": run["rss_end"][i],
                "rss_peak_kib": run["rss_peak"][i],
                "exit_code": exit_codes[i],
            }
        )
    cpus = [c for c in run["cpu"] if c is not None]
    pushed = run["pushed"]
    return {
        "updates_pushed": pushed,
        "updates_confirmed": fleet.accepted(pushed),
        "replies_expected": sum(expected.values()),
        "replies_delivered": sum((got & expected).values()),
        "replies_missing": sum(missing.values()),
        "replies_duplicated": sum(duplicated.values()),
        "replies_unexpected": sum(unexpected.values()),
        "replies_refused_by_server": run["refused"],
        "replies_by_method": dict(sorted(Counter(method for method, _ in got.elements()).items())),
        "missing_examples": [list(k) for k in list(missing)[:5]],
        "duplicated_examples": [list(k) for k in list(duplicated)[:5]],
        "unexpected_examples": [list(k) for k in list(unexpected)[:5]],
        "log_error_lines": len(all_errors),
        "log_error_examples": all_errors[:5],
        "log_tracebacks": tracebacks,
        "log_warning_lines": warnings,
        "rss_start_kib": run["rss_start"][0],
        "rss_after_first_chunk_kib": run["rss_first"],
        "rss_end_kib": run["rss_end"][0],
        "rss_peak_kib": run["rss_peak"][0],
        "wall_seconds": round(run["wall"], 1),
        "busy_seconds": round(run["busy"], 2),
        "replies_per_second": round(sum(got.values()) / run["wall"], 1) if run["wall"] else None,
        "updates_per_second": round(pushed / run["busy"], 1) if run["busy"] else None,
        "cpu_ms_per_update": round(sum(cpus) / pushed * 1000, 2) if cpus and pushed else None,
        "instances": instances,
        "bot_exit_code": max(exit_codes, key=abs),
    }


def more_elsewhere(api: FakeBotApi, expect: Expect) -> Counter[tuple[str, str]]:
    """The edits of "More" presses that the bot answered "this list has expired" instead.
    With several instances this is the documented behaviour (README, Several instances):
    an answer's pages stay in the memory of the instance that sent it (AnswerPages), and
    a press that another instance receives finds nothing there."""
    notices = {
        str(rec.params.get("callback_query_id"))
        for rec in api.calls("answerCallbackQuery")
        if rec.params.get("text")
    }
    return Counter(
        ("editMessageText", key) for key, press in expect.more_presses.items() if press in notices
    )


def judged(result: dict[str, Any]) -> bool:
    return (
        result["replies_missing"] == 0
        and result["replies_duplicated"] == 0
        and result["replies_unexpected"] == 0
        and result["replies_refused_by_server"] == 0
        and result["log_error_lines"] == 0
        and result["log_tracebacks"] == 0
        and result["updates_confirmed"] == result["updates_pushed"]
        and result["bot_exit_code"] == 0
    )


def soak(
    n: int,
    users: int | None,
    groups: int,
    seed: int,
    stall: float,
    rate_limiter: bool = True,
    chunk: int = 500,
    *,
    instances: int | None = None,
    database_url: str | None = None,
    connections: int = 8,
    profile: Path | None = None,
) -> dict[str, Any]:
    """One soak: the polling bot (``instances`` None), or ``instances`` webhook instances
    sharing ``database_url`` behind the round-robin proxy."""
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
        presses: list[tuple[dict, Counter]] = []

        def second() -> list[tuple[dict, Counter]]:
            presses[:] = wave_two(api, expect, n - len(first), rng)
            tally["button press"] = len(presses)
            return [(copy.deepcopy(update), replies) for update, replies in presses]

        def adjust(expected: Counter) -> Counter:
            if instances is None or instances == 1:  # one process: every page is there
                return expected
            return expected - more_elsewhere(api, expect)

        if instances is None:
            fleet = Fleet(api, env)
        else:
            fleet = WebhookFleet(
                api,
                env,
                instances,
                database_url=database_url,
                connections=connections,
                profile=profile,
            )
        try:
            fleet.ready()
            run = drive(api, fleet, first, second, stall, chunk, adjust=adjust)
        finally:
            exit_codes = fleet.stop()
        result["updates_by_kind"] = dict(sorted(tally.items()))
        result.update(outcome(run, fleet, exit_codes))
        result["more_presses"] = len(expect.more_presses)
        result["more_answered_expired"] = sum(more_elsewhere(api, expect).values())
        result.update(
            {
                "mode": "polling" if instances is None else "webhook",
                "rate_limiter": rate_limiter,
                "chunk": chunk,
            }
        )
        if instances is not None:
            result["proxy_failed"] = fleet.proxy_failed
        # what the echo bot is given in the same comparison: the same updates
        result["_workload"] = (
            [update for update, _ in first],
            [update for update, _ in presses],
        )
    result["ok"] = judged(result)
    return result


def echo_soak(
    workload: tuple[list[dict], list[dict]],
    users: int,
    groups: int,
    seed: int,
    stall: float,
    chunk: int,
    connections: int,
    profile: Path | None = None,
) -> dict[str, Any]:
    """bench/echo_bot.py --webhook behind the same proxy, given the same updates."""
    first = [(_fresh(update), echo_replies(update)) for update in workload[0]]
    second = [(_fresh(update), echo_replies(update)) for update in workload[1]]
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as api:
        declare_world(api, users, groups, random.Random(seed))
        fleet = WebhookFleet(
            api,
            {},
            1,
            database_url=None,
            connections=connections,
            echo_log=Path(tmp) / "echo.log",
            profile=profile,
        )
        try:
            fleet.ready()
            run = drive(api, fleet, first, lambda: second, stall, chunk, refused_too=True)
        finally:
            exit_codes = fleet.stop()
        result = outcome(run, fleet, exit_codes)
    result.update({"mode": "echo webhook", "chunk": chunk, "proxy_failed": fleet.proxy_failed})
    return result


def _fresh(update: dict) -> dict:
    """A copy of ``update`` without its update_id (another server numbers it anew)."""
    update = copy.deepcopy(update)
    update.pop("update_id", None)
    return update


def new_database(server: Any, name: str) -> str:
    """A new empty database on the throwaway PostgreSQL server: its URL."""
    import psycopg

    with psycopg.connect(server.admin_url, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    return server.admin_url.rsplit("/", 1)[0] + f"/{name}"


def webhook_comparison(
    n: int,
    users: int | None,
    groups: int,
    seed: int,
    stall: float,
    rate_limiter: bool,
    chunk: int,
    instances: int,
    connections: int,
    compare: bool,
    profile: Path | None,
    before: Path | None = None,
) -> dict[str, Any]:
    """``instances`` webhook instances sharing one PostgreSQL; with ``compare``, in the
    same run, one instance behind the same proxy and the echo bot given the same updates;
    with ``before``, also one instance of the bot in that other checkout (same KB)."""
    from testkit.pg_server import start_server

    server = start_server()
    runs: dict[str, dict[str, Any]] = {}
    try:
        counts = [instances, 1] if compare and instances != 1 else [instances]
        plan = [(count, None) for count in counts] + ([(1, before)] if before else [])
        for count, root in plan:
            name = f"{count} instance" + ("s" if count > 1 else "")
            if root is not None:
                name = f"1 instance, {root.name}"
            with checkout(root):
                runs[name] = soak(
                    n,
                    users,
                    groups,
                    seed,
                    stall,
                    rate_limiter,
                    chunk,
                    instances=count,
                    database_url=new_database(server, f"soak_{len(runs)}"),
                    connections=connections,
                    profile=profile if not runs else None,
                )
    finally:
        server.stop()
    last = runs["1 instance" if "1 instance" in runs else list(runs)[0]]
    workload = last["_workload"]
    if compare:
        runs["echo bot"] = echo_soak(
            workload,
            last["users"],
            groups,
            seed,
            stall,
            chunk,
            connections,
            profile.with_suffix(".echo" + profile.suffix) if profile else None,
        )
    for run in runs.values():
        run.pop("_workload", None)
    result: dict[str, Any] = {"mode": "webhook", "runs": runs}
    bots = [run for name, run in runs.items() if name != "echo bot"]
    result["ok"] = all(run["ok"] for run in bots)
    if compare:
        one = runs["1 instance"]
        many = runs[list(runs)[0]]
        echo = runs["echo bot"]
        if many is not one:
            result["throughput_instances_vs_one"] = _ratio(
                many["updates_per_second"], one["updates_per_second"]
            )
        result["throughput_bot_vs_echo"] = _ratio(
            one["updates_per_second"], echo["updates_per_second"]
        )
        result["cpu_ms_bot_minus_echo"] = round(
            one["cpu_ms_per_update"] - echo["cpu_ms_per_update"], 2
        )
    return result


# whose bot.py the fleets start: this checkout's, or another one's for --before
bot_root: Path = ROOT


@contextlib.contextmanager
def checkout(root: Path | None) -> Iterator[None]:
    """The fleets run ``root``'s bot.py (None: this checkout's) while inside."""
    global bot_root
    saved = bot_root
    bot_root = root or saved
    try:
        yield
    finally:
        bot_root = saved


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def _mib(kib: int | None) -> str:
    return f"{kib / 1024:.1f} MiB" if kib else "n/a"


def table(result: dict[str, Any]) -> str:
    rows = [
        ("updates pushed", result["updates_pushed"]),
        ("updates confirmed", result["updates_confirmed"]),
        *((f"  {kind}", count) for kind, count in result["updates_by_kind"].items()),
        ("replies expected", result["replies_expected"]),
        ("replies delivered", result["replies_delivered"]),
        *((f"  {method}", count) for method, count in result["replies_by_method"].items()),
        ("replies missing", result["replies_missing"]),
        ('"More" presses / answered "expired"', _more(result)),
        ("replies duplicated", result["replies_duplicated"]),
        ("replies unexpected", result["replies_unexpected"]),
        ("replies refused by the server", result["replies_refused_by_server"]),
        ("ERROR lines in the bot's log", result["log_error_lines"]),
        ("tracebacks in the bot's log", result["log_tracebacks"]),
        ("WARNING lines in the bot's log", result["log_warning_lines"]),
        ("RSS at start", _mib(result["rss_start_kib"])),
        ("RSS after the first chunk", _mib(result["rss_after_first_chunk_kib"])),
        ("RSS at end", _mib(result["rss_end_kib"])),
        ("RSS peak (VmHWM)", _mib(result["rss_peak_kib"])),
        ("wall time", f"{result['wall_seconds']} s"),
        ("replies per second", result["replies_per_second"]),
        ("updates per second (busy)", result["updates_per_second"]),
        ("CPU ms per update", result["cpu_ms_per_update"]),
        ("rate limiter", "on" if result["rate_limiter"] else "off"),
        ("pushed in chunks of", result["chunk"] or "all at once"),
        ("bot exit code", result["bot_exit_code"]),
        ("result", "OK" if result["ok"] else "FAILED"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    lines += _examples(result)
    return "\n".join(lines)


def _examples(result: dict[str, Any], prefix: str = "") -> list[str]:
    keys = ("missing_examples", "duplicated_examples", "unexpected_examples", "log_error_examples")
    return [f"{prefix}{key}: {result[key]}" for key in keys if result[key]]


def _more(run: dict[str, Any]) -> str:
    if "more_presses" not in run:
        return "-"
    return f"{run['more_presses']} / {run['more_answered_expired']}"


def _verdict(run: dict[str, Any]) -> str:
    if "ok" not in run:  # the echo bot: a baseline, not judged
        return "-"
    return "OK" if run["ok"] else "FAILED"


def comparison_table(result: dict[str, Any]) -> str:
    runs = result["runs"]
    names = list(runs)

    def per_instance(run: dict[str, Any], field: str) -> str:
        return " / ".join(str(i[field]) for i in run["instances"])

    rows: list[tuple[str, list[Any]]] = [
        ("updates pushed", [r["updates_pushed"] for r in runs.values()]),
        ("updates accepted (HTTP 200)", [r["updates_confirmed"] for r in runs.values()]),
        ("replies expected", [r["replies_expected"] for r in runs.values()]),
        ("replies delivered", [r["replies_delivered"] for r in runs.values()]),
        ("replies missing", [r["replies_missing"] for r in runs.values()]),
        ('"More" presses / answered "expired"', [_more(r) for r in runs.values()]),
        ("replies duplicated", [r["replies_duplicated"] for r in runs.values()]),
        ("replies unexpected", [r["replies_unexpected"] for r in runs.values()]),
        ("replies refused by the server", [r["replies_refused_by_server"] for r in runs.values()]),
        ("ERROR lines per instance", [per_instance(r, "log_error_lines") for r in runs.values()]),
        ("updates per instance", [per_instance(r, "updates") for r in runs.values()]),
        (
            "CPU ms/update per instance",
            [per_instance(r, "cpu_ms_per_update") for r in runs.values()],
        ),
        ("CPU ms/update (all)", [r["cpu_ms_per_update"] for r in runs.values()]),
        ("busy seconds", [r["busy_seconds"] for r in runs.values()]),
        ("updates per second", [r["updates_per_second"] for r in runs.values()]),
        ("wall time s", [r["wall_seconds"] for r in runs.values()]),
        ("RSS peak, first instance", [_mib(r["rss_peak_kib"]) for r in runs.values()]),
        ("proxy failures", [r["proxy_failed"] for r in runs.values()]),
        ("result", [_verdict(r) for r in runs.values()]),
    ]
    width = max(len(name) for name, _ in rows)
    cols = [max(len(name), *(len(str(v[i])) for _, v in rows)) for i, name in enumerate(names)]
    lines = [" " * width + "  " + "  ".join(f"{n:>{w}}" for n, w in zip(names, cols, strict=True))]
    for name, values in rows:
        cells = "  ".join(f"{str(v):>{w}}" for v, w in zip(values, cols, strict=True))
        lines.append(f"{name:<{width}}  {cells}")
    for key, label in (
        ("throughput_instances_vs_one", f"throughput {names[0]} / 1 instance"),
        ("throughput_bot_vs_echo", "throughput bot (1 instance) / echo bot"),
        ("cpu_ms_bot_minus_echo", "CPU ms/update bot (1 instance) - echo bot"),
    ):
        if key in result:
            lines.append(f"{label}: {result[key]}")
    for name, run in runs.items():
        lines += _examples(run, f"{name}: ")
    lines.append(f"result: {'OK' if result['ok'] else 'FAILED'}")
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
    parser.add_argument("--mode", choices=("polling", "webhook"), default="polling")
    parser.add_argument(
        "--instances", type=int, default=2, help="webhook mode: instances behind the proxy"
    )
    parser.add_argument(
        "--connections", type=int, default=8, help="webhook mode: connections POSTing updates"
    )
    parser.add_argument(
        "--no-compare",
        action="store_true",
        help="webhook mode: skip the one-instance and echo-bot runs",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="webhook mode: sample the CPU stacks of the first instance of the first run "
        "into FILE, the echo bot's into FILE with .echo before its suffix "
        "(bench/profile_report.py reads them)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="webhook mode: also one instance of the bot in this other checkout (a CPU "
        "change measured in the same run)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.mode == "polling":
        result = soak(
            args.updates,
            args.users,
            args.groups,
            args.seed,
            args.stall,
            rate_limiter=not args.no_rate_limiter,
            chunk=args.chunk,
        )
        result.pop("_workload")
        print(json.dumps(result, ensure_ascii=False) if args.json else table(result))
        return 0 if result["ok"] else 1
    result = webhook_comparison(
        args.updates,
        args.users,
        args.groups,
        args.seed,
        args.stall,
        not args.no_rate_limiter,
        args.chunk,
        args.instances,
        args.connections,
        not args.no_compare,
        args.profile.resolve() if args.profile else None,
        args.before.resolve() if args.before else None,
    )
    print(json.dumps(result, ensure_ascii=False) if args.json else comparison_table(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
