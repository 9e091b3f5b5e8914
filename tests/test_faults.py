"""Faults injected in the loopback Bot API, end to end with the real Application (rate limiter
on, as in production). The bot keeps running, and the server's record shows every reply that
should arrive arriving exactly once.

Delivery policy (handlers/common.py, ``surely_not_delivered``): a reply is sent again only
when Telegram surely did not act on it - the connection could not be made, or the server
answered with an error status (5xx, a 429 without retry_after). A 429 with retry_after is
waited out by PTB's AIORateLimiter. A timeout while waiting for the answer, a connection
dropped after the request went out, or an unreadable answer may mean the message was sent:
those are not repeated (at most once; the user gets the apology instead and may ask again).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from handlers.common import surely_not_delivered
from knowledge.answer import answer_question
from knowledge.messages import message
from knowledge.render import render_html
from runtime.live import LiveKnowledgeBase
from testkit.bot_runner import run, running_bot, texts_to
from testkit.botapi.formatting import format_text
from testkit.ports import free_port

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

QUESTION = "trade in 2011"
APOLOGY = message("error", "en")
READ_TIMEOUT = 5.0  # PTB's default for every request but getUpdates


def expected_answer() -> str:
    """The answer's text as the chat shows it (the HTML parsed, as the server stores it)."""
    kb = LiveKnowledgeBase().current
    [part] = render_html(answer_question(kb, QUESTION, preferred_lang="en"), kb)
    return format_text(part, "HTML")[0]


@dataclass
class Case:
    name: str
    user: int
    kind: str | None
    options: dict = field(default_factory=dict)
    count: int = 1
    answers: int = 1  # how often the answer must reach the chat
    apologies: int = 0


CASES = [
    Case("no fault", 6000, None),
    Case("429 retry_after", 6001, "retry_after", {"seconds": 1}),
    Case("500", 6002, "status", {"status": 500}),
    Case("502", 6003, "status", {"status": 502}),
    Case("503 twice", 6004, "status", {"status": 503}, count=2),
    Case("drop before processing", 6005, "drop", answers=0, apologies=1),
    Case("drop after processing", 6006, "drop_after", answers=1, apologies=1),
    Case("slow past the timeout", 6007, "delay", {"seconds": READ_TIMEOUT + 1.5}, 1, 1, 1),
    Case("malformed JSON", 6008, "malformed", answers=0, apologies=1),
    Case(
        "403 blocked",
        6009,
        "error",
        {"status": 403, "description": "Forbidden: bot was blocked by the user"},
        answers=0,
        apologies=0,
    ),
    Case("500 three times", 6010, "status", {"status": 500}, count=3, answers=0, apologies=1),
]


@pytest.mark.slow
def test_send_message_faults_end_to_end(fake_api, caplog) -> None:
    api = fake_api
    answer = expected_answer()
    for case in CASES:
        if case.kind:
            api.inject(
                "sendMessage",
                case.kind,
                case.count,
                when=lambda p, u=case.user: p.get("chat_id") == str(u),
                **case.options,
            )

    def done(case: Case) -> bool:
        texts = texts_to(api, case.user)
        return texts.count(answer) >= case.answers and texts.count(APOLOGY) >= case.apologies

    async def main():
        async with running_bot(api) as app:
            for case in CASES:
                api.push_update(api.private_message(QUESTION, case.user))
            deadline = asyncio.get_running_loop().time() + READ_TIMEOUT + 10
            while not all(done(c) for c in CASES):
                assert asyncio.get_running_loop().time() < deadline, {
                    c.name: texts_to(api, c.user) for c in CASES if not done(c)
                }
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.5)  # time for a duplicate to show up
            # the bot is still fine
            api.push_update(api.private_message(QUESTION, 6999))
            await api.wait_for_async("sendMessage", lambda r: r.get_int("chat_id") == 6999)
            assert app.running and app.updater.running

    with caplog.at_level(logging.WARNING):
        run(main(), timeout=60)
    outcome = {
        c.name: (texts_to(api, c.user).count(answer), texts_to(api, c.user).count(APOLOGY))
        for c in CASES
    }
    assert outcome == {c.name: (c.answers, c.apologies) for c in CASES}
    for case in CASES:  # nothing else reached the chat
        assert len(texts_to(api, case.user)) == case.answers + case.apologies, case.name
    calls = {
        c.name: [r.fault for r in api.calls("sendMessage") if r.get_int("chat_id") == c.user]
        for c in CASES
    }
    assert calls["500"] == ["status", None]
    assert calls["503 twice"] == ["status", "status", None]
    assert calls["429 retry_after"] == ["retry_after", None]
    assert calls["drop before processing"] == ["drop", None]  # the second is the apology
    assert calls["500 three times"] == ["status", "status", "status", None]
    errors = [r for r in caplog.records if r.name.startswith("diplofacts") and r.levelno >= 40]
    # only the unreadable answer is an error of ours; network trouble is a warning
    assert [r.getMessage() for r in errors] == [
        f"Failed to handle update {u}" for u in [_update_of(api, 6008)]
    ]


def _update_of(api, user: int) -> int:
    for rec in api.calls("getUpdates"):
        for update in rec.result or []:
            msg = update.get("message")
            if msg and msg["chat"]["id"] == user:
                return update["update_id"]
    raise AssertionError(f"no update for {user}")


@pytest.mark.slow
def test_get_updates_faults_and_unknown_updates(fake_api) -> None:
    api = fake_api

    async def main():
        async with running_bot(api):
            for i, (kind, options) in enumerate(
                [
                    ("malformed", {}),
                    ("status", {"status": 500}),
                    ("status", {"status": 502}),
                    ("drop", {}),
                ]
            ):
                fault = api.inject("getUpdates", kind, **options)
                while not fault.hits:
                    await asyncio.sleep(0.02)
                api.push_update({"brand_new_update_kind": {"x": i}})  # PTB does not know it
                api.push_update(api.private_message(QUESTION, 7000 + i))
                await api.wait_for_async(
                    "sendMessage", lambda r, u=7000 + i: r.get_int("chat_id") == u, timeout=10
                )

    run(main(), timeout=60)
    assert [len(texts_to(api, 7000 + i)) for i in range(4)] == [1, 1, 1, 1]
    assert api.pending_updates() == []


# --------------------------------------------------------------------------- the policy


def test_what_counts_as_surely_not_delivered(fake_api) -> None:
    api = fake_api

    async def failure(kind: str | None, base_url: str | None = None, **options):
        if kind:
            api.inject("sendMessage", kind, **options)
        bot = Bot(api.token, base_url=base_url or api.base_url)
        try:
            await bot.send_message(1, "x", read_timeout=1)
        except TelegramError as exc:
            return exc
        return None

    async def main():
        closed = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens: ConnectError
        return {
            "refused": await failure(None, closed),
            "500": await failure("status", status=500),
            "502": await failure("status", status=502),
            "drop": await failure("drop"),
            "drop_after": await failure("drop_after"),
            "timeout": await failure("delay", seconds=2),
            "malformed": await failure("malformed"),
            "403": await failure("error", status=403, description="Forbidden: blocked"),
            "400": await failure("error", description="Bad Request: chat not found"),
        }

    errors = run(main())
    verdict = {name: surely_not_delivered(exc) for name, exc in errors.items()}
    assert verdict == {
        "refused": True,
        "500": True,
        "502": True,
        "drop": False,  # the request went out: Telegram may have sent the message
        "drop_after": False,
        "timeout": False,
        "malformed": False,
        "403": False,
        "400": False,
    }
    assert isinstance(errors["timeout"], TimedOut)
    assert isinstance(errors["403"], Forbidden) and isinstance(errors["400"], BadRequest)
    # a proxy's HTML error page (no JSON) in front of the Bot API: still an error status
    html_502 = NetworkError("Bad Gateway (502)")
    html_502.__cause__ = TelegramError("Invalid server response")
    assert surely_not_delivered(html_502)
