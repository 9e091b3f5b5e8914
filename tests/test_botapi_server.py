"""The fake Bot API server, proved against the real python-telegram-bot stack.

Every PTB test goes through PTB's own HTTPXRequest to the server on 127.0.0.1, so these
tests pin down the wire format (form fields, JSON-encoded objects, error mapping) that the
bot's own tests will rely on.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from testkit.botapi import (
    BOT_ID,
    BOT_USERNAME,
    DEFAULT_GROUP_ID,
    FakeBotApi,
    find_auto_entities,
    fixtures,
    utf16_len,
)
from testkit.botapi.fixtures import application_for, polling
from testkit.ports import free_port

# the fixtures, until tests/conftest.py imports them for everyone
fake_api = fixtures.fake_api
asyncio_errors = fixtures.asyncio_errors

# AIORateLimiter and RetryAfter read the deprecated int `retry_after` inside PTB itself
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

USER = 1001
BLOCKED = "Forbidden: bot was blocked by the user"


def run(coro, timeout: float = 15.0):
    """asyncio.run with a hard ceiling, so a hang fails instead of stalling the suite."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def make_bot(api: FakeBotApi, **request_kwargs):
    from telegram import Bot

    request = HTTPXRequest(**request_kwargs) if request_kwargs else None
    return Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url, request=request)


def raw_call(api: FakeBotApi, method: str, http_timeout: float = 10.0, **params):
    """A Bot API call the way PTB encodes it, without PTB (form fields, JSON for objects)."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    data = urllib.parse.urlencode(form).encode()
    req = urllib.request.Request(f"{api.base_url}{api.token}/{method}", data=data)
    try:
        with urllib.request.urlopen(req, timeout=http_timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def open_polls(api: FakeBotApi) -> int:
    return sum(1 for r in api.requests if r.method == "getUpdates" and not r.done)


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


# --------------------------------------------------------------------------- plain Bot


def test_bot_round_trip(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main():
        async with make_bot(api) as bot:  # initialize() calls getMe
            assert bot.username == BOT_USERNAME and bot.id == BOT_ID
            me = await bot.get_me()
            assert me.can_join_groups and me.supports_inline_queries and me.is_bot

            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="m:1")]])
            sent = await bot.send_message(
                USER,
                "Trade: see /trade",
                reply_markup=keyboard,
                entities=[MessageEntity(MessageEntity.BOLD, 0, 5)],
            )
            again = await bot.send_message(
                USER, "second", reply_parameters=ReplyParameters(sent.message_id)
            )

            await bot.set_my_commands(
                [BotCommand("trade", "Trade facts"), BotCommand("help", "How to ask")]
            )
            await bot.set_my_commands(
                [BotCommand("trade", "Trade")],
                scope=BotCommandScopeAllGroupChats(),
                language_code="de",
            )
            edited = await bot.edit_message_text("Trade: edited", USER, sent.message_id)
            info = await bot.get_webhook_info()
            return sent, again, edited, info

    sent, again, edited, info = run(main())

    # what PTB got back
    assert sent.chat.id == USER and sent.chat.type == "private"
    assert sent.from_user.id == BOT_ID and sent.text == "Trade: see /trade"
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "m:1"
    assert {e.type for e in sent.entities} == {"bold", "bot_command"}  # auto-detected too
    assert again.message_id == sent.message_id + 1
    assert again.reply_to_message.message_id == sent.message_id
    assert [c["command"] for c in api.commands()] == ["trade", "help"]
    assert edited.text == "Trade: edited" and edited.edit_date is not None
    assert info.url == "" and info.pending_update_count == 0

    # what the server recorded: PTB's wire format
    assert [r.method for r in api.requests] == [
        "getMe",
        "getMe",
        "sendMessage",
        "sendMessage",
        "setMyCommands",
        "setMyCommands",
        "editMessageText",
        "getWebhookInfo",
    ]
    first = api.calls("sendMessage")[0]
    assert first.params["chat_id"] == str(USER)  # scalars stay strings
    assert first.get_int("chat_id") == USER
    assert first.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "More", "callback_data": "m:1"}]]
    }
    assert first.params["entities"] == [{"type": "bold", "offset": 0, "length": 5}]
    assert api.calls("sendMessage")[1].params["reply_parameters"] == {"message_id": sent.message_id}
    cmds = api.calls("setMyCommands")
    assert cmds[0].params["commands"] == [
        {"command": "trade", "description": "Trade facts"},
        {"command": "help", "description": "How to ask"},
    ]
    assert cmds[1].params["scope"] == {"type": "all_group_chats"}
    assert cmds[1].params["language_code"] == "de"
    assert api.commands(scope={"type": "all_group_chats"}, language_code="de") == [
        {"command": "trade", "description": "Trade"}
    ]
    assert api.tokens_seen == [api.token]
    assert all(r.ok and r.status == 200 for r in api.requests)
    assert [m["text"] for m in api.sent_messages(USER)] == ["Trade: edited", "second"]


def test_telegram_side_validation_reaches_ptb(fake_api: FakeBotApi) -> None:
    api = fake_api
    api.declare_chat(-100777, "supergroup", title="Blocked group", blocked=True)

    async def main():
        errors = {}
        async with make_bot(api) as bot:

            async def expect(name, coro):
                try:
                    await coro
                except TelegramError as exc:
                    errors[name] = exc
                else:
                    errors[name] = None

            await expect("html", bot.send_message(USER, "1 < 2", parse_mode="HTML"))
            await expect("long", bot.send_message(USER, "x" * 4097))
            await expect("blank", bot.send_message(USER, "<b> </b>", parse_mode="HTML"))
            await expect(
                "data",
                bot.send_message(
                    USER,
                    "k",
                    reply_markup=InlineKeyboardMarkup(
                        [[InlineKeyboardButton("b", callback_data="x" * 65)]]
                    ),
                ),
            )
            await expect("kicked", bot.send_message(-100777, "hello"))
            await expect("reply", bot.send_message(USER, "r", reply_to_message_id=999))
            msg = await bot.send_message(USER, "<b>same</b>", parse_mode="HTML")
            await expect(
                "same",
                bot.edit_message_text("<b>same</b>", USER, msg.message_id, parse_mode="HTML"),
            )
            await expect("nochat", bot.send_message("", "x"))
            await expect("unknown", bot.do_api_request("frobnicate"))
            await expect("cq", bot.answer_callback_query("no-such-query"))
            ok = await bot.send_message(USER, "<b>1 &lt; 2</b> &amp; AT&T", parse_mode="HTML")
        return errors, msg, ok

    errors, msg, ok = run(main())
    assert isinstance(errors["html"], BadRequest)
    assert errors["html"].message.lower() == (
        'can\'t parse entities: unsupported start tag "" at byte offset 2'
    )
    assert errors["long"].message == "Message is too long"
    assert errors["blank"].message == "Text must be non-empty"
    assert errors["data"].message == "Button_data_invalid"  # PTB capitalize()s descriptions
    assert isinstance(errors["kicked"], Forbidden)
    assert "kicked from the supergroup chat" in errors["kicked"].message
    assert errors["reply"].message == "Message to be replied not found"
    assert errors["same"].message.startswith("Message is not modified")
    assert errors["nochat"].message == "Chat_id is empty"
    # 404 "Not Found: method not found": do_api_request says EndPointNotFound (a bot method
    # would get InvalidToken - PTB maps every 404 that way)
    assert isinstance(errors["unknown"], EndPointNotFound)
    assert api.calls("frobnicate")[0].response == {
        "ok": False,
        "error_code": 404,
        "description": "Not Found: method not found",
    }
    assert "query is too old" in errors["cq"].message.lower()
    # the good one came back parsed, as Telegram would return it
    assert msg.text == "same" and msg.entities[0].type == "bold"
    assert ok.text == "1 < 2 & AT&T" and (ok.entities[0].offset, ok.entities[0].length) == (0, 5)
    assert [r.status for r in api.calls("sendMessage")].count(200) == 2


def test_faults_surface_as_ptb_errors_without_hanging(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main():
        outcome = {}
        async with make_bot(api, read_timeout=1.0) as bot:
            for kind, kwargs in [
                ("malformed", {}),
                ("status", {"status": 500}),
                ("status", {"status": 502}),
                ("drop", {}),
                ("retry_after", {"seconds": 3}),
                ("delay", {"seconds": 3}),
                ("error", {"status": 403, "description": BLOCKED}),
            ]:
                api.inject("sendMessage", kind, **kwargs)
                started = time.monotonic()
                try:
                    await bot.send_message(USER, f"fault {kind}")
                except TelegramError as exc:
                    outcome[f"{kind}{kwargs.get('status', '')}"] = (exc, time.monotonic() - started)
            after = await bot.send_message(USER, "after the storm")
        return outcome, after

    outcome, after = run(main())
    exc, _ = outcome["malformed"]
    assert type(exc) is TelegramError and exc.message == "Invalid server response"
    exc, _ = outcome["status500"]
    assert isinstance(exc, NetworkError) and exc.message == "Internal Server Error"
    exc, _ = outcome["status502"]
    assert isinstance(exc, NetworkError) and exc.message == "Bad Gateway"
    exc, _ = outcome["drop"]
    assert isinstance(exc, NetworkError) and "RemoteProtocolError" in exc.message
    exc, _ = outcome["retry_after"]
    assert isinstance(exc, RetryAfter) and "Retry in 3" in exc.message
    exc, elapsed = outcome["delay"]
    assert isinstance(exc, TimedOut) and elapsed < 2.5
    exc, _ = outcome["error403"]
    assert isinstance(exc, Forbidden)
    # none of the faulted calls sent anything; the server is fine afterwards
    assert [m["text"] for m in api.sent_messages()] == ["after the storm"]
    assert after.message_id == 1
    assert [r.fault for r in api.calls("sendMessage")] == [
        "malformed",
        "status",
        "status",
        "drop",
        "retry_after",
        "delay",
        "error",
        None,
    ]


def test_drop_after_sends_but_loses_the_answer(fake_api: FakeBotApi) -> None:
    api = fake_api
    api.inject("sendMessage", "drop_after")

    async def main():
        async with make_bot(api) as bot:
            with pytest.raises(NetworkError):
                await bot.send_message(USER, "did it arrive?")

    run(main())
    assert [m["text"] for m in api.sent_messages()] == ["did it arrive?"]
    rec = api.calls("sendMessage")[0]
    assert rec.status is None and rec.response["ok"] is True


# --------------------------------------------------------------------------- Application


def test_application_polling_command_and_private_message(fake_api: FakeBotApi) -> None:
    api = fake_api
    seen: list[tuple[str, object]] = []

    async def trade(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(("trade", context.args))
        await update.effective_message.reply_text(f"trade {' '.join(context.args)}", do_quote=True)

    async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(("text", update.effective_message.text))
        await update.effective_chat.send_message("you said: " + update.effective_message.text)

    async def anything(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(("raw", update.api_kwargs))

    async def main():
        app = application_for(api)
        app.add_handler(CommandHandler("trade", trade))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, text))
        app.add_handler(TypeHandler(Update, anything), group=1)
        async with polling(app):
            command = api.push_update(api.group_message(f"/trade@{BOT_USERNAME} 2011"))
            other_bot = api.push_update(api.group_message("/trade@SomeOtherBot 1999"))
            api.push_update({"some_new_field": {"x": 1}})  # an update type PTB doesn't know
            private = api.push_update(api.private_message("Who traded with France?"))
            replies = await api.wait_for_async("sendMessage", count=2)
            # the bot confirmed everything: the next poll carries offset = last id + 1
            await api.wait_for_async(
                "getUpdates",
                lambda r: r.get_int("offset") == private["update_id"] + 1,
                finished=False,
            )
        return command, other_bot, private, replies

    command, other_bot, private, replies = run(main())
    assert ("trade", ["2011"]) in seen and ("text", "Who traded with France?") in seen
    assert not any(s == ("trade", ["1999"]) for s in seen)  # addressed to another bot
    assert ("raw", {"some_new_field": {"x": 1}}) in seen  # delivered, survived
    by_chat = {r.get_int("chat_id"): r for r in replies}
    group_reply = by_chat[DEFAULT_GROUP_ID]
    assert group_reply.params["text"] == "trade 2011"
    assert group_reply.params["reply_parameters"]["message_id"] == command["message"]["message_id"]
    assert group_reply.result["chat"]["type"] == "supergroup"
    assert group_reply.result["reply_to_message"]["text"] == f"/trade@{BOT_USERNAME} 2011"
    assert by_chat[USER].params["text"] == "you said: Who traded with France?"
    assert len(api.calls("sendMessage")) == 2
    assert api.pending_updates() == []
    polls = api.calls("getUpdates")
    # (the poll PTB abandoned at stop may still be open on the server: Telegram keeps it too)
    assert polls[0].get_int("timeout") == 1 and all(r.ok for r in polls if r.done)
    assert other_bot["update_id"] < private["update_id"]
    assert api.calls("deleteWebhook"), "start_polling deletes the webhook first"


def test_rate_limiter_retries_a_429_and_delivers_once(fake_api: FakeBotApi) -> None:
    api = fake_api
    api.inject("sendMessage", "retry_after", seconds=1)

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("fact")

    async def main():
        app = application_for(api, rate_limiter=AIORateLimiter(max_retries=2))
        app.add_handler(MessageHandler(filters.TEXT, answer))
        async with polling(app):
            api.push_update(api.private_message("Japan China trade"))
            await api.wait_for_async("sendMessage", lambda r: r.ok, timeout=8)

    run(main())
    first, second = api.calls("sendMessage")
    assert first.status == 429 and first.response["parameters"] == {"retry_after": 1}
    assert second.status == 200 and second.params == first.params
    assert second.time - first.time >= 1.0
    assert [m["text"] for m in api.sent_messages()] == ["fact"]  # exactly once


def test_server_error_reaches_the_error_handler(fake_api: FakeBotApi) -> None:
    api = fake_api
    api.inject("sendMessage", "status", status=500)
    api.inject("sendMessage", "malformed")

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("fact")

    async def main():
        errors: list[BaseException] = []
        got_two = asyncio.Event()

        async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            errors.append(context.error)
            if len(errors) == 2:
                got_two.set()

        app = application_for(api)
        app.add_handler(MessageHandler(filters.TEXT, answer))
        app.add_error_handler(on_error)
        async with polling(app):
            api.push_update(api.private_message("one"))
            api.push_update(api.private_message("two"))
            await asyncio.wait_for(got_two.wait(), 5)
            api.push_update(api.private_message("three"))
            await api.wait_for_async("sendMessage", lambda r: r.ok)
        return errors

    errors = run(main())
    assert isinstance(errors[0], NetworkError) and "Internal Server Error" in str(errors[0])
    assert type(errors[1]) is TelegramError and "Invalid server response" in str(errors[1])
    assert len(api.sent_messages()) == 1


def test_callback_and_inline_queries(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(
            "Pick",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Trade", callback_data="topic:trade")]]
            ),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("ok")
        await update.callback_query.edit_message_text(f"chose {update.callback_query.data}")

    async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.inline_query.answer(
            [
                InlineQueryResultArticle(
                    "1", "Trade", InputTextMessageContent("<b>Trade</b> facts", parse_mode="HTML")
                )
            ]
        )

    async def main():
        app = application_for(api)
        app.add_handler(CommandHandler("start", start))
        app.add_handler(CallbackQueryHandler(pressed))
        app.add_handler(InlineQueryHandler(inline))
        async with polling(app):
            api.push_update(api.private_message("/start"))
            [menu] = await api.wait_for_async("sendMessage")
            api.push_update(api.callback_query("topic:trade", menu.result))
            await api.wait_for_async("editMessageText")
            api.push_update(api.inline_query("trade"))
            await api.wait_for_async("answerInlineQuery")
        return menu

    menu = run(main())
    [answer] = api.calls("answerCallbackQuery")
    assert answer.ok and answer.params["text"] == "ok"
    [edit] = api.calls("editMessageText")
    assert edit.ok and edit.get_int("message_id") == menu.result["message_id"]
    assert api.sent_messages(USER)[0]["text"] == "chose topic:trade"
    [inline_answer] = api.calls("answerInlineQuery")
    assert inline_answer.ok
    assert inline_answer.params["results"][0]["input_message_content"]["parse_mode"] == "HTML"


def test_webhook_mode_and_post_webhook(fake_api: FakeBotApi) -> None:
    api = fake_api
    port = free_port()
    hook = f"http://127.0.0.1:{port}/diplofacts"

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("hooked " + update.effective_message.text)

    async def main():
        app = application_for(api)
        app.add_handler(MessageHandler(filters.TEXT, echo))
        async with app:
            await app.start()
            await app.updater.start_webhook(
                listen="127.0.0.1",
                port=port,
                url_path="diplofacts",
                webhook_url="https://bot.example.com/diplofacts",
                secret_token="s3cr3t",
            )
            try:
                ok = await api.post_webhook(hook, api.private_message("hi"), secret="s3cr3t")
                wrong = await api.post_webhook(hook, api.private_message("x"), secret="nope")
                missing = await asyncio.to_thread(
                    api.post_webhook_sync, hook, api.private_message("y")
                )
                await api.wait_for_async("sendMessage")
                with pytest.raises(Conflict):  # polling while a webhook is set
                    await app.bot.get_updates(timeout=0)
            finally:
                await app.updater.stop()
                await app.stop()
        return ok, wrong, missing

    ok, wrong, missing = run(main())
    assert (ok, wrong, missing) == (200, 403, 403)
    [setup] = api.calls("setWebhook")
    assert setup.params["url"] == "https://bot.example.com/diplofacts"
    assert setup.params["secret_token"] == "s3cr3t"
    assert api.webhook["url"] == "https://bot.example.com/diplofacts"
    assert [m["text"] for m in api.sent_messages()] == ["hooked hi"]


BOT_SCRIPT = """
import os
from telegram.ext import Application, CommandHandler

async def start(update, context):
    await update.effective_message.reply_text("hello from pid %d" % os.getpid())

app = (Application.builder().token(os.environ["BOT_TOKEN"])
       .base_url(os.environ["BOT_API_BASE_URL"]).build())
app.add_handler(CommandHandler("start", start))
app.run_polling(poll_interval=0, timeout=1)
"""


def test_bot_in_a_subprocess(fake_api: FakeBotApi, tmp_path) -> None:
    api = fake_api
    script = tmp_path / "bot.py"
    script.write_text(BOT_SCRIPT)
    env = {**os.environ, "BOT_TOKEN": api.token, "BOT_API_BASE_URL": api.base_url}
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        api.wait_for("getUpdates", finished=False, timeout=15)
        api.push_update(api.private_message("/start"))
        [reply] = api.wait_for("sendMessage", timeout=10)
        assert reply.params["text"] == f"hello from pid {proc.pid}"
        proc.send_signal(signal.SIGINT)  # run_polling's graceful stop
        output, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output


# --------------------------------------------------------------------------- server behaviour


def test_long_polling_semantics(fake_api: FakeBotApi) -> None:
    api = fake_api
    a, b, c = (api.push_update(api.private_message(t)) for t in "abc")

    status, body = raw_call(api, "getUpdates", limit=2)
    assert status == 200 and [u["update_id"] for u in body["result"]] == [
        a["update_id"],
        b["update_id"],
    ]
    status, body = raw_call(api, "getUpdates", offset=b["update_id"])  # confirms a
    assert [u["update_id"] for u in body["result"]] == [b["update_id"], c["update_id"]]
    assert [u["update_id"] for u in api.pending_updates()] == [b["update_id"], c["update_id"]]
    status, body = raw_call(api, "getUpdates", offset=-1)  # keep only the last one
    assert [u["update_id"] for u in body["result"]] == [c["update_id"]]
    raw_call(api, "getUpdates", offset=c["update_id"] + 1)
    assert api.pending_updates() == []

    # an empty long poll waits for `timeout` ...
    started = time.monotonic()
    status, body = raw_call(api, "getUpdates", timeout=1)
    assert body["result"] == [] and 0.9 <= time.monotonic() - started < 2.0

    # ... and returns as soon as an update arrives
    result: dict = {}

    def poll() -> None:
        result["t0"] = time.monotonic()
        result["answer"] = raw_call(api, "getUpdates", timeout=10)
        result["t1"] = time.monotonic()

    poller = threading.Thread(target=poll)
    poller.start()
    wait_until(lambda: open_polls(api) == 1)
    time.sleep(0.1)
    d = api.push_update(api.private_message("d"))
    poller.join(5)
    assert result["answer"][1]["result"][0]["update_id"] == d["update_id"]
    assert result["t1"] - result["t0"] < 1.5

    # a second long poll terminates the first with 409, as Telegram does
    raw_call(api, "getUpdates", offset=d["update_id"] + 1)
    first: dict = {}
    poller = threading.Thread(
        target=lambda: first.update(answer=raw_call(api, "getUpdates", timeout=10))
    )
    poller.start()
    wait_until(lambda: open_polls(api) == 1)
    second = raw_call(api, "getUpdates", timeout=1)
    poller.join(5)
    assert first["answer"][0] == 409
    assert first["answer"][1]["description"].startswith("Conflict: terminated by other getUpdates")
    assert second == (200, {"ok": True, "result": []})


def test_allowed_updates_and_privacy_mode() -> None:
    with FakeBotApi(privacy_mode=True) as api:
        plain = api.push_update(api.group_message("just chatting"))
        for text in (
            f"/trade@{BOT_USERNAME} 2011",
            "/help",
            "/trade@OtherBot",
            f"hey @{BOT_USERNAME} who?",
        ):
            api.push_update(api.group_message(text))
        api.push_update(api.group_message("thanks", reply_to_bot=True))
        api.push_update(api.private_message("private is always seen"))
        api.push_update({"chat_member": {"x": 1}})  # excluded by default
        delivered = raw_call(api, "getUpdates")[1]["result"]
        me = raw_call(api, "getMe")[1]["result"]
    texts = [u["message"]["text"] for u in delivered if "message" in u]
    assert texts == [
        f"/trade@{BOT_USERNAME} 2011",
        "/help",
        f"hey @{BOT_USERNAME} who?",
        "thanks",
        "private is always seen",
    ]
    assert "update_id" not in plain and len(api.withheld_updates) == 2
    assert [_k for u in api.filtered_updates for _k in u if _k != "update_id"] == ["chat_member"]
    assert me["can_read_all_group_messages"] is False


def test_builders_compute_entities_in_utf16() -> None:
    api = FakeBotApi()  # builders work without a running server
    upd = api.group_message(f"🇫🇷😀 @{BOT_USERNAME} /trade@{BOT_USERNAME} 2011 #trade")
    msg = Message.de_json(upd["message"], None)
    assert msg.parse_entities() == {
        msg.entities[0]: f"@{BOT_USERNAME}",
        msg.entities[1]: f"/trade@{BOT_USERNAME}",
        msg.entities[2]: "#trade",
    }
    assert msg.entities[0].offset == utf16_len("🇫🇷😀 ") == 7
    cmd = api.private_message(f"/trade@{BOT_USERNAME} 2011")["message"]
    assert cmd["entities"] == [
        {"type": "bot_command", "offset": 0, "length": len(f"/trade@{BOT_USERNAME}")}
    ]
    assert cmd["chat"] == {"id": USER, "type": "private", "first_name": f"User{USER}"}
    assert api.group_message("hi", chat_id=-4242)["message"]["chat"]["type"] == "group"
    reply = api.group_message("ok", reply_to_bot=True)["message"]["reply_to_message"]
    assert reply["from"]["id"] == BOT_ID
    edit = api.edited_message(cmd, "/trade 2012")["edited_message"]
    assert edit["message_id"] == cmd["message_id"] and edit["text"] == "/trade 2012"
    assert edit["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert Update.de_json({"update_id": 1, "edited_message": edit}, None).edited_message.edit_date


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("/trade 2011", [("bot_command", "/trade")]),
        (f"/trade@{BOT_USERNAME} 2011", [("bot_command", f"/trade@{BOT_USERNAME}")]),
        ("a/trade", []),  # glued to a word
        ("/trade@ab", []),  # a bot name has 3 to 32 characters
        ("/a/b", []),  # glued to another command
        ("@gif and @abc", [("mention", "@gif")]),  # under 4 characters: only a few names
        (f"hi @{BOT_USERNAME}!", [("mention", f"@{BOT_USERNAME}")]),
        ("x@abcd", []),  # glued to a word
        ("#trade2011 #2011", [("hashtag", "#trade2011")]),  # a hashtag needs a letter
    ],
)
def test_entities_telegram_detects_in_a_text(text: str, found: list[tuple[str, str]]) -> None:
    entities = find_auto_entities(text)
    assert [(e["type"], text[e["offset"] : e["offset"] + e["length"]]) for e in entities] == found


def test_async_mode_and_clean_shutdown(asyncio_errors) -> None:
    async def main():
        async with FakeBotApi() as api:
            async with make_bot(api) as bot:
                await bot.send_message(USER, "in-loop")
            [rec] = await api.wait_for_async("sendMessage")
            with pytest.raises(RuntimeError, match="wait_for_async"):
                api.wait_for("sendMessage")
            return api, rec

    api, rec = run(main())
    assert rec.ok and not api.running

    # thread mode: stopping while a long poll is open is quick and leaves nothing behind
    api = FakeBotApi().start()
    port, thread = api.port, api._thread
    poller = threading.Thread(target=lambda: raw_call(api, "getUpdates", timeout=30))
    poller.start()
    wait_until(lambda: open_polls(api) == 1)
    started = time.monotonic()
    api.stop()
    assert time.monotonic() - started < 3
    poller.join(5)
    assert not poller.is_alive()
    api.stop()  # idempotent
    assert not thread.is_alive()
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    # an "outage": the restarted server keeps its port and its state
    with api:  # start() again
        assert api.port == port and raw_call(api, "getMe")[0] == 200
        assert len(api.calls("getUpdates")) == 1


def test_wire_variants(fake_api: FakeBotApi) -> None:
    """JSON bodies, GET query strings, any-case method names, multipart uploads."""
    api = fake_api
    req = urllib.request.Request(
        f"{api.base_url}{api.token}/SENDMESSAGE",
        headers={"Content-Type": "application/json"},
        data=json.dumps({"chat_id": 5, "text": "json body"}).encode(),
    )
    with urllib.request.urlopen(req) as resp:
        sent = json.loads(resp.read())["result"]
    assert sent["from"] == {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "Diplofacts",
        "username": BOT_USERNAME,
    }
    with urllib.request.urlopen(f"{api.base_url}{api.token}/getme?x=1") as resp:
        assert json.loads(resp.read())["result"]["username"] == BOT_USERNAME
    assert [(r.method, r.params) for r in api.requests] == [
        ("sendMessage", {"chat_id": 5, "text": "json body"}),
        ("getMe", {"x": "1"}),
    ]

    async def main():
        async with make_bot(api) as bot:
            for url in ("http://bot.example.com/hook", "https://bot.example.com:8080/hook"):
                with pytest.raises(BadRequest, match="Bad webhook"):
                    await bot.set_webhook(url)
            await bot.set_webhook(
                "https://bot.example.com/hook",
                certificate=b"PEM",
                secret_token="abc_-1",
                allowed_updates=["message"],
            )
            return await bot.get_webhook_info()

    info = run(main())
    assert info.has_custom_certificate and info.allowed_updates == ("message",)
    last = api.calls("setWebhook")[-1]
    assert last.files == {"certificate": b"PEM"} and last.params["allowed_updates"] == ["message"]
    assert last.response["description"] == "Webhook was set"


def test_wait_for_reports_what_arrived(fake_api: FakeBotApi) -> None:
    raw_call(fake_api, "sendMessage", chat_id=USER, text="something else")
    with pytest.raises(AssertionError) as info:
        fake_api.wait_for("sendMessage", lambda r: r.params["text"] == "never", timeout=0.2)
    assert "something else" in str(info.value)
