"""A 502 (Telegram surely did not act) on any Bot API call the bot makes is sent again, once:
/help, /sources, /start, /about, /lang, topic commands, the Sources button, a topic button's
edit, answerCallbackQuery, answerInlineQuery and the command menus at start-up. A call that
may have gone through (the connection dropped after the request went out) is not repeated.
End to end against the loopback Bot API, rate limiter on as in production."""

from __future__ import annotations

import pytest

from knowledge.buttons import SourcesPress, TopicPress
from knowledge.loader import load_knowledge_base
from knowledge.messages import message, scope_message
from testkit.bot_runner import run, running_bot, send_calls, texts_to

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

COMMANDS = {  # user id: what the user sends (a private chat each)
    8001: "/help",
    8002: "/sources",
    8003: "/start",
    8004: "/about",
    8005: "/lang vi",
    8006: "/trade 2011",
    8007: "/lang",
}


def faults_of(calls) -> list[str | None]:
    return [c.fault for c in calls]


def test_a_502_on_every_kind_of_reply_is_sent_again(fake_api) -> None:
    api = fake_api
    for user in COMMANDS:
        api.inject(
            "sendMessage",
            "status",
            status=502,
            when=lambda p, u=user: str(p.get("chat_id")) == str(u),
        )

    async def main():
        async with running_bot(api):
            for user, text in COMMANDS.items():
                api.push_update(api.private_message(text, user))
            for user in COMMANDS:
                await api.wait_for_async(
                    "sendMessage", lambda r, u=user: r.get_int("chat_id") == u and r.ok
                )

    run(main())
    for user, text in COMMANDS.items():
        calls = send_calls(api, user)
        assert faults_of(calls) == ["status", None], text
        assert texts_to(api, user) and message("error", "en") not in texts_to(api, user), text
    assert texts_to(api, 8005) == [message("lang_set", "vi")]
    help_text = scope_message(load_knowledge_base().scope, "help", "en", commands="", username="x")
    assert texts_to(api, 8001)[0].startswith(help_text[:20])


def test_a_502_on_buttons_and_inline_answers_is_sent_again(fake_api) -> None:
    api = fake_api
    user = 8100

    async def main():
        async with running_bot(api):
            api.push_update(api.private_message("Vietnam Belarus", user))  # "did you mean"
            [menu] = await api.wait_for_async("sendMessage", lambda r: r.ok)
            api.inject("answerCallbackQuery", "status", status=502)
            api.inject("editMessageText", "status", status=503)
            api.push_update(api.callback_query(TopicPress("trade", "en").pack(), menu.result))
            [edit] = await api.wait_for_async("editMessageText", lambda r: r.ok)
            api.inject("answerCallbackQuery", "status", status=502)
            api.inject("sendMessage", "status", status=502)
            api.push_update(api.callback_query(SourcesPress("en").pack(), edit.result))
            await api.wait_for_async("sendMessage", lambda r: r.ok, count=2)
            api.inject("answerInlineQuery", "status", status=502)
            api.push_update(api.inline_query("trade 2011", user))
            await api.wait_for_async("answerInlineQuery", lambda r: r.ok)

    run(main())
    assert faults_of(api.calls("answerCallbackQuery")) == ["status", None, "status", None]
    assert faults_of(api.calls("editMessageText")) == ["status", None]
    assert faults_of(api.calls("answerInlineQuery")) == ["status", None]
    menu_text, sources = texts_to(api, user)
    assert menu_text.startswith("Trade — Vietnam–Belarus")  # the menu, edited into the answer
    assert sources.startswith("Sources (")
    [inline] = [c for c in api.calls("answerInlineQuery") if c.ok]
    assert inline.params["results"]


def test_a_502_on_the_start_up_menus_is_sent_again(fake_api) -> None:
    api = fake_api
    api.inject("setMyCommands", "status", status=502)

    async def main():
        async with running_bot(api):
            pass

    run(main())
    calls = api.calls("setMyCommands")
    assert faults_of(calls) == ["status"] + [None] * 6
    assert all(c.ok for c in calls[1:])


def test_a_call_that_may_have_gone_through_is_not_repeated(fake_api) -> None:
    api = fake_api
    user = 8200

    async def main():
        async with running_bot(api):
            api.push_update(api.private_message("Vietnam Belarus", user))
            [menu] = await api.wait_for_async("sendMessage", lambda r: r.ok)
            api.inject("editMessageText", "drop_after")  # edited, but no answer came back
            api.push_update(api.callback_query(TopicPress("trade", "en").pack(), menu.result))
            await api.wait_for_async("sendMessage", lambda r: r.ok, count=2)  # the apology

    run(main())
    assert faults_of(api.calls("editMessageText")) == ["drop_after"]
    menu_text, apology = texts_to(api, user)
    assert menu_text.startswith("Trade — Vietnam–Belarus") and apology == message("error", "en")


def test_a_refused_connection_is_tried_three_times(caplog) -> None:
    import logging

    from telegram.error import NetworkError
    from telegram.ext import ExtBot

    from handlers.retry import RetryingRateLimiter
    from testkit.botapi import DEFAULT_TOKEN
    from testkit.ports import free_port

    closed = f"http://127.0.0.1:{free_port()}/bot"  # nothing listens there

    async def main():
        bot = ExtBot(DEFAULT_TOKEN, base_url=closed, rate_limiter=RetryingRateLimiter())
        await bot.rate_limiter.initialize()
        try:
            await bot.send_message(1, "x")
        except NetworkError as exc:
            return exc
        finally:
            await bot.rate_limiter.shutdown()
        return None

    with caplog.at_level(logging.WARNING, logger="diplofacts.send"):
        error = run(main())
    assert isinstance(error, NetworkError)
    resends = [
        r.getMessage() for r in caplog.records if "did not take sendMessage" in r.getMessage()
    ]
    assert len(resends) == 2  # three attempts in all
