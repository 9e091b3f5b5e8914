"""A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, real PTB on the other end.

The server speaks the Bot API wire format the way ``api.telegram.org`` does (checked against
PTB 22.8's ``telegram/request`` and ``telegram/_bot.py`` and against the source of
``tdlib/telegram-bot-api``):

* requests are ``POST {base_url}{token}/{method}`` (GET with a query string works too), the
  body form-encoded, multipart (files) or JSON; PTB sends every non-string value JSON-encoded,
  so ``chat_id=123`` arrives as the string ``"123"`` and ``reply_markup`` as a JSON string;
* answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ...,
  "description": ..., ["parameters": {...}]}`` with the same descriptions Telegram uses
  (``Bad Request: chat not found``, ``Bad Request: can't parse entities: ...``,
  ``Conflict: terminated by other getUpdates request; ...``, ``Not Found: method not found``);
* method names are matched case-insensitively, as on the real server.

Typical use (sync test; the server runs its own event loop in a daemon thread)::

    from testkit.botapi import FakeBotApi

    with FakeBotApi() as api:
        app = (Application.builder().token(api.token)
               .base_url(api.base_url).base_file_url(api.base_file_url).build())
        ...  # start polling inside asyncio.run(...)
        api.push_update(api.private_message("/start"))
        [rec] = api.wait_for("sendMessage")          # blocks this thread, not the server
        assert rec.params["text"].startswith("Hello")

From async code that shares one event loop with the server, use ``await api.start_async()``
/ ``await api.stop_async()`` (or ``async with FakeBotApi() as api``) and
``await api.wait_for_async(...)``; the blocking ``wait_for`` refuses to run inside a running
event loop, because it would freeze the bot under test.

See ``FakeBotApi`` for the whole surface; ``testkit/botapi/__init__.py`` re-exports it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from .formatting import MAX_TEXT_LENGTH, FormatError, _checked_link, find_auto_entities, format_text

# The public names are listed once, in testkit/botapi/__init__.py.

log = logging.getLogger(__name__)

BOT_ID = 7000001
BOT_USERNAME = "DiplofactsTestBot"
BOT_FIRST_NAME = "Diplofacts"
DEFAULT_TOKEN = f"{BOT_ID}:AAFakeDiplofactsTokenForTheLocalBotApi"
DEFAULT_USER_ID = 1001
DEFAULT_GROUP_ID = -1001234567890
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

KNOWN_UPDATE_TYPES = frozenset(
    """message edited_message channel_post edited_channel_post business_connection
    business_message edited_business_message deleted_business_messages message_reaction
    message_reaction_count inline_query chosen_inline_result callback_query shipping_query
    pre_checkout_query purchased_paid_media poll poll_answer my_chat_member chat_member
    chat_join_request chat_boost removed_chat_boost""".split()
)
# Telegram leaves these out unless allowed_updates asks for them.
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset(
    """cancel typing record_video upload_video record_audio record_voice upload_audio
    upload_voice upload_photo upload_document choose_sticker pick_up_location find_location
    record_video_note upload_video_note""".split()
)
INLINE_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
FAULT_KINDS = frozenset(
    {"retry_after", "status", "drop", "drop_after", "delay", "malformed", "error"}
)
_STATUS_TEXT = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def default_bot_user() -> dict[str, Any]:
    """The ``User`` that ``getMe`` returns by default."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": True,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


class ApiError(Exception):
    """Raise from a method handler (also a custom one) to answer ``ok: false``."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, "Bad Request: " + description)


@dataclass
class Recorded:
    """One request as the server saw it.

    ``params``: every field of the request; values that are JSON objects/arrays (PTB sends
    ``reply_markup``, ``entities``, ``commands``, ``reply_parameters`` ... that way) are
    decoded, everything else stays the string that was sent (``chat_id`` is ``"123"``).
    ``time`` is ``time.monotonic()`` at arrival. ``status``/``response`` are what the server
    answered (``status`` None: connection dropped); ``fault`` names the injected fault that
    applied, if any; ``done`` turns True once the answer (or the drop) went out.
    """

    method: str
    params: dict[str, Any]
    time: float
    token: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    status: int | None = None
    response: Any = None
    fault: str | None = None
    done: bool = False

    @property
    def ok(self) -> bool:
        return isinstance(self.response, dict) and self.response.get("ok") is True

    @property
    def result(self) -> Any:
        """The ``result`` of a successful answer, else None."""
        return self.response.get("result") if self.ok else None

    def get_int(self, name: str, default: int | None = None) -> int | None:
        """``params[name]`` as an int (PTB sends numbers as strings)."""
        value = self.params.get(name)
        if value is None:
            return default
        return int(value)

    def __repr__(self) -> str:
        shown = {k: v for k, v in self.params.items()}
        return (
            f"Recorded({self.method!r}, {shown!r}, status={self.status}"
            + (f", fault={self.fault!r}" if self.fault else "")
            + ")"
        )


@dataclass
class Fault:
    """A fault waiting for the next ``remaining`` calls of ``method`` (see ``inject``)."""

    method: str
    kind: str
    remaining: int
    seconds: float = 1.0
    status: int = 500
    description: str | None = None
    parameters: dict[str, Any] | None = None
    body: bytes = b"<html><body>502 Bad Gateway</body></html>"
    when: Callable[[dict[str, Any]], bool] | None = None
    hits: int = 0


def _decode_value(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes")


def _as_int(params: dict[str, Any], name: str, default: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return default


def _update_type(update: dict[str, Any]) -> str | None:
    for key in update:
        if key != "update_id":
            return key
    return None


def _strip_reply(msg: dict[str, Any]) -> dict[str, Any]:
    """A message as it appears nested in ``reply_to_message`` (no further nesting)."""
    inner = copy.deepcopy(msg)
    inner.pop("reply_to_message", None)
    return inner


_HEADER = ("message_id", "from", "chat", "date")


def _replying(msg: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """``msg`` as a reply to ``target``: ``reply_to_message`` right after the header fields,
    where Telegram puts it."""
    header = {k: msg[k] for k in _HEADER}
    return {**header, "reply_to_message": target, **{k: msg[k] for k in msg if k not in _HEADER}}


def _put(msg: dict[str, Any], key: str, value: Any) -> None:
    """Set ``msg[key]``, or drop the field when there is nothing (Telegram omits it)."""
    if value is None or value == []:
        msg.pop(key, None)
    else:
        msg[key] = value


def _message_of(update: dict[str, Any]) -> dict[str, Any] | None:
    for key in (
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_message",
        "edited_business_message",
    ):
        if isinstance(update.get(key), dict):
            return update[key]
    return None


class FakeBotApi:
    """Fake Bot API server. See the module docstring for usage.

    Options:
      ``privacy_mode``: deliver group messages only when Telegram would to a bot in privacy
        mode (commands for this bot, replies to its messages, messages mentioning it,
        service messages); the others go to ``withheld_updates``. getMe then says
        ``can_read_all_group_messages: false``. Default off. Simplification: a command
        without ``@bot`` always counts as meant for this bot (Telegram: only if it was the
        last bot to post in the group).
      ``strict_chats``: answer ``chat not found`` for chats the server never saw (declared,
        or part of a pushed update). Default off: unknown ids are accepted and their type
        inferred (positive: private, ``-100…``: supergroup, other negative: group).
      ``check_formatting``: parse ``parse_mode`` text like Telegram and refuse bad markup,
        empty and over-long text, bad inline keyboards. Default on.
      ``enforce_allowed_updates``: drop updates of known types the bot did not ask for
        (Telegram's default excludes chat_member/message_reaction/...). Unknown update types
        are always delivered. Default on.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_user: dict[str, Any] | None = None,
        privacy_mode: bool = False,
        strict_chats: bool = False,
        check_formatting: bool = True,
        enforce_allowed_updates: bool = True,
    ) -> None:
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._bot_user = dict(bot_user or default_bot_user())
        if privacy_mode:
            self._bot_user["can_read_all_group_messages"] = False
        self.privacy_mode = privacy_mode
        self.strict_chats = strict_chats
        self.check_formatting = check_formatting
        self.enforce_allowed_updates = enforce_allowed_updates

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)

        # runtime (set by start/start_async)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._poll_event: asyncio.Event | None = None
        self._closing_event: asyncio.Event | None = None
        self._closing = False
        self._thread_error: BaseException | None = None

        # records
        self._requests: list[Recorded] = []
        self._tokens_seen: list[str] = []

        # updates
        self._pending: list[dict[str, Any]] = []
        self._last_update_id = 100000
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self.filtered_updates: list[dict[str, Any]] = []
        self.withheld_updates: list[dict[str, Any]] = []

        # world state
        self._chats: dict[int, dict[str, Any]] = {}
        self._chat_meta: dict[int, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids: dict[int, int] = {}
        self._bot_sent: list[tuple[int, int]] = []
        self._callback_ids = itertools.count(1)
        self._inline_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._webhook: dict[str, Any] = {"url": ""}

        # faults & custom methods
        self._faults: list[Fault] = []
        self._custom: dict[str, Callable[[dict[str, Any]], Any]] = {}

        self._methods: dict[str, Callable[..., Any]] = {
            "getMe": self._m_get_me,
            "getUpdates": self._m_get_updates,
            "setWebhook": self._m_set_webhook,
            "deleteWebhook": self._m_delete_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "setMyCommands": self._m_set_my_commands,
            "sendMessage": self._m_send_message,
            "sendPhoto": self._m_send_photo,
            "editMessageText": self._m_edit_message_text,
            "answerCallbackQuery": self._m_answer_callback_query,
            "answerInlineQuery": self._m_answer_inline_query,
        }
        self._canonical = {name.lower(): name for name in self._methods}

    # ------------------------------------------------------------------ lifecycle

    def start(self, timeout: float = 10.0) -> FakeBotApi:
        """Run the server in a daemon thread with its own event loop; returns self."""
        if self._thread is not None or self._loop is not None:
            raise RuntimeError("FakeBotApi already started")
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_in_loop())
            except BaseException as exc:  # noqa: BLE001 - reported to start()
                self._thread_error = exc
                self._loop = None
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                try:
                    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                    for task in pending:
                        task.cancel()
                    if pending:
                        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                    loop.run_until_complete(loop.shutdown_asyncgens())
                finally:
                    asyncio.set_event_loop(None)
                    loop.close()

        self._thread = threading.Thread(target=run, name="FakeBotApi", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("FakeBotApi did not start in time")
        if self._thread_error is not None:
            self._thread.join(timeout)
            self._thread = None
            raise RuntimeError("FakeBotApi failed to start") from self._thread_error
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread-mode server: answers pending long polls, closes connections,
        stops and joins the thread. Idempotent."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if threading.current_thread() is thread:
            raise RuntimeError("stop() called from the server thread")
        try:
            fut = asyncio.run_coroutine_threadsafe(self._stop_in_loop(), loop)
            fut.result(timeout)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError("FakeBotApi thread did not stop")
            self._thread = None

    async def start_async(self) -> FakeBotApi:
        """Run the server in the *current* event loop (async tests); returns self."""
        if self._thread is not None or self._loop is not None:
            raise RuntimeError("FakeBotApi already started")
        await self._start_in_loop()
        return self

    async def stop_async(self) -> None:
        """Stop a server started with ``start_async``. Idempotent."""
        if self._thread is not None:
            raise RuntimeError("started with start(); use stop()")
        if self._loop is None:
            return
        await self._stop_in_loop()

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeBotApi:
        return await self.start_async()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop_async()

    async def _start_in_loop(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._closing = False
        self._poll_event = asyncio.Event()
        self._closing_event = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._handle_file)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        # a restarted server keeps its port, so a bot can "reconnect" after an outage
        site = web.TCPSite(runner, self._host, self._requested_port or self._port or 0)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            self._loop = None
            raise
        self._runner = runner
        self._port = runner.addresses[0][1]

    async def _stop_in_loop(self) -> None:
        self._closing = True
        if self._closing_event is not None:
            self._closing_event.set()
        self._wake_pollers()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._loop = None
        self._poll_event = None
        self._closing_event = None
        with self._cond:
            self._cond.notify_all()

    # ------------------------------------------------------------------ properties

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``"""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)`` / ``ApplicationBuilder.base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def token(self) -> str:
        """A ready-made token for the test bot. The server accepts any token."""
        return DEFAULT_TOKEN

    @property
    def tokens_seen(self) -> list[str]:
        """Distinct tokens used in requests, in order of first use."""
        with self._lock:
            return list(self._tokens_seen)

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._bot_user)

    @property
    def bot_id(self) -> int:
        return int(self._bot_user["id"])

    @property
    def bot_username(self) -> str:
        return str(self._bot_user["username"])

    # ------------------------------------------------------------------ records

    @property
    def requests(self) -> list[Recorded]:
        """All requests so far (a copy of the list; the records themselves are live)."""
        with self._lock:
            return list(self._requests)

    def calls(self, method: str) -> list[Recorded]:
        """Requests for ``method`` (case-insensitive), oldest first."""
        name = self._canonical.get(method.lower(), method)
        with self._lock:
            return [r for r in self._requests if r.method == name]

    def clear(self) -> None:
        """Forget recorded requests (not updates, chats, messages or faults)."""
        with self._cond:
            self._requests.clear()

    def _matching(
        self, method: str, predicate: Callable[[Recorded], bool] | None, finished: bool
    ) -> list[Recorded]:
        name = self._canonical.get(method.lower(), method)
        return [
            r
            for r in self._requests
            if r.method == name and (r.done or not finished) and (predicate is None or predicate(r))
        ]

    def _timeout_error(
        self, method: str, count: int, timeout: float, found: list[Recorded]
    ) -> AssertionError:
        with self._lock:
            seen = [r for r in self._requests if r.method != "getUpdates"]
            polls = len(self._requests) - len(seen)
        lines = "\n".join(f"  {r!r}" for r in seen[-30:]) or "  (none)"
        return AssertionError(
            f"wait_for({method!r}): wanted {count} matching finished call(s) within "
            f"{timeout}s, got {len(found)}.\nRequests received (getUpdates x{polls} not shown):"
            f"\n{lines}"
        )

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Recorded], bool] | None = None,
        count: int = 1,
        timeout: float = 5.0,
        *,
        finished: bool = True,
    ) -> list[Recorded]:
        """Block until ``count`` finished requests for ``method`` match ``predicate``.

        Returns the first ``count`` matching records (oldest first). Raises AssertionError
        listing what was received if the time runs out. ``finished=False`` also counts
        requests still being answered (e.g. a getUpdates long poll that has arrived).
        Thread-safe; must not be called on a thread whose event loop is running (use
        ``wait_for_async`` there).
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError(
                "FakeBotApi.wait_for() would block a running event loop; "
                "use 'await api.wait_for_async(...)'"
            )
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = self._matching(method, predicate, finished)
                if len(found) >= count:
                    return found[:count]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.25))
        raise self._timeout_error(method, count, timeout, found)

    async def wait_for_async(
        self,
        method: str,
        predicate: Callable[[Recorded], bool] | None = None,
        count: int = 1,
        timeout: float = 5.0,
        *,
        finished: bool = True,
    ) -> list[Recorded]:
        """``wait_for`` for coroutines: polls without blocking the event loop."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                found = self._matching(method, predicate, finished)
            if len(found) >= count:
                return found[:count]
            if time.monotonic() >= deadline:
                raise self._timeout_error(method, count, timeout, found)
            await asyncio.sleep(0.01)

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (current version after edits), in sending order."""
        with self._lock:
            return [
                copy.deepcopy(self._messages[key])
                for key in self._bot_sent
                if (chat_id is None or key[0] == chat_id) and key in self._messages
            ]

    def last_sent(self, chat_id: int | None = None) -> dict[str, Any] | None:
        sent = self.sent_messages(chat_id)
        return sent[-1] if sent else None

    def get_message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        with self._lock:
            msg = self._messages.get((chat_id, message_id))
            return copy.deepcopy(msg) if msg else None

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list:
        """Commands currently set for ``scope`` (default scope) and ``language_code``."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        with self._lock:
            return copy.deepcopy(self._commands.get(key, []))

    @property
    def webhook(self) -> dict[str, Any]:
        """Current webhook settings (``url`` is "" when none)."""
        with self._lock:
            return copy.deepcopy(self._webhook)

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by an offset."""
        with self._lock:
            return copy.deepcopy(self._pending)

    # ------------------------------------------------------------------ faults & extension

    def inject(
        self,
        method: str,
        kind: str,
        count: int = 1,
        *,
        seconds: float | None = None,
        status: int | None = None,
        description: str | None = None,
        parameters: dict[str, Any] | None = None,
        body: bytes | str | None = None,
        when: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Fault:
        """Make the next ``count`` calls of ``method`` (matching ``when(params)``) fail.

        Kinds:
          ``retry_after`` - HTTP 429, ``parameters.retry_after = seconds`` (default 1);
          ``status``      - HTTP ``status`` (default 500; 502, 503 ...) with ok false;
          ``error``       - any API error: ``status`` (default 400), ``description``,
                            ``parameters`` (e.g. 403 "Forbidden: bot was blocked by the user");
          ``drop``        - close the connection without answering (request not executed);
          ``drop_after``  - execute the request, then close without answering (the message
                            *was* sent - the classic duplicate-on-retry case);
          ``delay``       - wait ``seconds`` (default 1), then answer normally;
          ``malformed``   - HTTP 200 with a body that is not JSON (``body`` to choose it).
        Faulted calls (except ``delay``/``drop_after``) have no effect on server state.
        Returns the Fault; ``fault.hits`` counts how often it fired.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("count must be >= 1")
        fault = Fault(
            method=self._canonical.get(method.lower(), method),
            kind=kind,
            remaining=count,
            when=when,
            parameters=parameters,
        )
        if kind == "retry_after":
            fault.seconds = 1 if seconds is None else seconds
        elif kind == "delay":
            fault.seconds = 1.0 if seconds is None else seconds
        elif kind == "status":
            fault.status = status or 500
        elif kind == "error":
            fault.status = status or 400
        if description is not None:
            fault.description = description
        if body is not None:
            fault.body = body.encode() if isinstance(body, str) else body
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def register_method(self, name: str, handler: Callable[[dict[str, Any]], Any]) -> None:
        """Answer ``name`` with ``handler(params)`` (its return value is the ``result``;
        raise ApiError for an error). Overrides a built-in method of that name."""
        with self._lock:
            self._custom[name.lower()] = handler
            self._canonical.setdefault(name.lower(), name)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self._faults:
            if fault.method != method or fault.remaining <= 0:
                continue
            if fault.when is not None and not fault.when(params):
                continue
            fault.remaining -= 1
            fault.hits += 1
            if fault.remaining == 0:
                self._faults.remove(fault)
            return fault
        return None

    # ------------------------------------------------------------------ HTTP layer

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, bytes] = {}
        if request.can_read_body:
            ctype = request.content_type
            if ctype == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    raw.update(body)
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = value.file.read()
                    else:
                        raw[key] = value
            else:
                await request.read()
        return {k: _decode_value(v) for k, v in raw.items()}, files

    def _notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _finish(self, rec: Recorded, status: int | None, payload: Any) -> None:
        with self._cond:
            rec.status = status
            rec.response = payload
            rec.done = True
            self._cond.notify_all()

    def _respond(self, rec: Recorded, status: int, payload: dict[str, Any]) -> web.Response:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self._finish(rec, status, json.loads(body))
        return web.Response(status=status, body=body, content_type="application/json")

    def _drop(self, request: web.Request, rec: Recorded) -> web.Response:
        if request.transport is not None:
            request.transport.close()
        self._finish(rec, None, None)
        return web.Response(status=500)  # never reaches the client

    async def _sleep(self, seconds: float) -> None:
        if self._closing_event is None:
            return
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._closing_event.wait(), seconds)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        holder: list[Recorded] = []
        try:
            return await self._handle_inner(request, holder)
        except asyncio.CancelledError:
            # server shutting down (or the client went away with handler cancellation)
            if holder and not holder[0].done:
                self._finish(holder[0], None, None)
            raise

    async def _handle_inner(
        self, request: web.Request, holder: list[Recorded]
    ) -> web.StreamResponse:
        token = request.match_info["token"]
        raw_method = request.match_info["method"]
        try:
            params, files = await self._read_params(request)
        except Exception:  # noqa: BLE001
            params, files = {}, {}
            bad_body = True
        else:
            bad_body = False
        with self._cond:
            method = self._canonical.get(raw_method.lower(), raw_method)
            rec = Recorded(method, params, time.monotonic(), token=token, files=files)
            holder.append(rec)
            if token not in self._tokens_seen:
                self._tokens_seen.append(token)
            self._requests.append(rec)
            fault = self._take_fault(method, params)
            if fault:
                rec.fault = fault.kind
            self._cond.notify_all()

        if bad_body:
            return self._respond(rec, 400, _bad("can't parse request body").payload())
        if fault is not None:
            if fault.kind == "delay":
                await self._sleep(fault.seconds)
            elif fault.kind == "retry_after":
                secs = fault.seconds
                secs_i = int(secs) if float(secs).is_integer() else secs
                err = ApiError(
                    429,
                    fault.description or f"Too Many Requests: retry after {secs_i}",
                    {"retry_after": secs_i, **(fault.parameters or {})},
                )
                return self._respond(rec, 429, err.payload())
            elif fault.kind == "status":
                text = _STATUS_TEXT.get(fault.status, "Internal Server Error")
                err = ApiError(fault.status, fault.description or text, fault.parameters)
                return self._respond(rec, fault.status, err.payload())
            elif fault.kind == "error":
                err = ApiError(
                    fault.status,
                    fault.description or "Bad Request: injected error",
                    fault.parameters,
                )
                return self._respond(rec, fault.status, err.payload())
            elif fault.kind == "malformed":
                self._finish(rec, 200, None)
                return web.Response(status=200, body=fault.body, content_type="text/html")
            elif fault.kind == "drop":
                return self._drop(request, rec)

        status, payload = await self._execute(method, params, files)
        if fault is not None and fault.kind == "drop_after":
            self._finish(rec, None, payload)
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        return self._respond(rec, status, payload)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
        )

    async def _execute(
        self, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> tuple[int, dict[str, Any]]:
        custom = self._custom.get(method.lower())
        handler = self._methods.get(method)
        try:
            if custom is not None:
                result = custom(params)
                if asyncio.iscoroutine(result):
                    result = await result
            elif handler is None:
                raise ApiError(404, "Not Found: method not found")
            elif method == "getUpdates":
                result = await self._m_get_updates(params)
            else:
                with self._lock:
                    with_files = method in ("setWebhook", "sendPhoto")
                    result = handler(params, files) if with_files else handler(params)
        except ApiError as err:
            return err.status, err.payload()
        except Exception as exc:  # a bug in the fake (or a custom handler): say so loudly
            log.exception("FakeBotApi: %s handler crashed", method)
            return 500, ApiError(500, f"Internal Server Error: fake server bug: {exc!r}").payload()
        payload: dict[str, Any] = {"ok": True, "result": result}
        if method in ("setWebhook", "deleteWebhook") and isinstance(result, bool):
            payload["description"] = self._webhook_description
        return 200, payload

    # ------------------------------------------------------------------ updates

    def _wake_pollers(self) -> None:
        """Wake long polls; must run on the server loop."""
        ev = self._poll_event
        if ev is None:
            return
        self._poll_event = asyncio.Event()
        ev.set()

    def _wake_threadsafe(self) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake_pollers()
        else:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._wake_pollers)

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue ``update`` for getUpdates. Assigns ``update_id`` if it has none (an
        explicit id must be larger than every earlier one). Registers the chats, users,
        messages and query ids it contains. Returns the same dict (now with update_id).

        With ``privacy_mode`` on, a group message the bot would not see is not queued: it
        goes to ``withheld_updates`` and gets no update_id.
        """
        if not isinstance(update, dict):
            raise TypeError("update must be a dict")
        with self._lock:
            self._register_update(update)
            if self.privacy_mode and not self._visible_in_privacy_mode(update):
                self.withheld_updates.append(update)
                return update
            self._assign_update_id(update)
            self._pending.append(update)
        self._wake_threadsafe()
        return update

    def _assign_update_id(self, update: dict[str, Any]) -> None:
        if "update_id" in update:
            uid = int(update["update_id"])
            if uid <= self._last_update_id:
                raise ValueError(
                    f"update_id {uid} is not larger than the last one ({self._last_update_id}); "
                    "Telegram's offsets would drop it"
                )
            self._last_update_id = uid
        else:
            self._last_update_id += 1
            update["update_id"] = self._last_update_id

    def _register_update(self, update: dict[str, Any]) -> None:
        msg = _message_of(update)
        if msg is not None:
            self._register_message(msg)
        cq = update.get("callback_query")
        if isinstance(cq, dict):
            if "id" in cq:
                self._open_queries.add(str(cq["id"]))
            if isinstance(cq.get("message"), dict):
                self._register_message(cq["message"], store=False)
            if isinstance(cq.get("from"), dict):
                self._users.setdefault(cq["from"]["id"], cq["from"])
        iq = update.get("inline_query")
        if isinstance(iq, dict):
            if "id" in iq:
                self._open_queries.add(str(iq["id"]))
            if isinstance(iq.get("from"), dict):
                self._users.setdefault(iq["from"]["id"], iq["from"])

    def _register_message(self, msg: dict[str, Any], store: bool = True) -> None:
        chat = msg.get("chat")
        if isinstance(chat, dict) and "id" in chat:
            self._chats.setdefault(int(chat["id"]), dict(chat))
            mid = msg.get("message_id")
            if isinstance(mid, int):
                cid = int(chat["id"])
                self._message_ids[cid] = max(self._message_ids.get(cid, 0), mid)
                if store and (cid, mid) not in self._messages:
                    self._messages[(cid, mid)] = copy.deepcopy(msg)
        sender = msg.get("from")
        if isinstance(sender, dict) and "id" in sender:
            self._users.setdefault(int(sender["id"]), dict(sender))

    def _visible_in_privacy_mode(self, update: dict[str, Any]) -> bool:
        msg = _message_of(update)
        if msg is None or msg.get("chat", {}).get("type") not in ("group", "supergroup"):
            return True
        text = msg.get("text") or msg.get("caption")
        if text is None:
            return True  # service messages (and media without caption: close enough)
        reply = msg.get("reply_to_message")
        if isinstance(reply, dict) and reply.get("from", {}).get("id") == self.bot_id:
            return True
        username = self.bot_username.lower()
        for ent in msg.get("entities") or msg.get("caption_entities") or []:
            piece = _utf16_slice(text, ent["offset"], ent["length"])
            if ent["type"] == "bot_command":
                target = piece.partition("@")[2]
                if not target or target.lower() == username:
                    return True
            if ent["type"] == "mention" and piece[1:].lower() == username:
                return True
        return False

    def _allowed(self, update: dict[str, Any]) -> bool:
        if not self.enforce_allowed_updates:
            return True
        kind = _update_type(update)
        if kind not in KNOWN_UPDATE_TYPES:
            return True
        if self._allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        kept: list[dict[str, Any]] = []
        for upd in self._pending:
            if not self._allowed(upd):
                self.filtered_updates.append(upd)
                continue
            kept.append(upd)
            if len(batch) < limit:
                batch.append(upd)
        self._pending = kept
        return copy.deepcopy(batch)

    async def _m_get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = _as_int(p, "offset", 0) or 0
        limit = min(max(_as_int(p, "limit", 100) or 100, 1), 100)
        timeout = max(0, min(_as_int(p, "timeout", 0) or 0, 50))
        with self._lock:
            if self._webhook["url"]:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is "
                    "active; use deleteWebhook to delete the webhook first",
                )
            au = p.get("allowed_updates")
            if isinstance(au, list) and au:
                self._allowed_updates = [str(x) for x in au]
            elif isinstance(au, list):
                self._allowed_updates = None
            self._confirm(offset)
            batch = self._deliverable(limit)
            if batch or timeout == 0 or self._closing:
                return batch
            # this call becomes the long poll; an older one is terminated (as Telegram does)
            self._poll_generation += 1
            generation = self._poll_generation
        self._wake_pollers()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self._lock:
                if self._poll_generation != generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make "
                        "sure that only one bot instance is running",
                    )
                if self._webhook["url"]:
                    raise ApiError(409, "Conflict: terminated by setWebhook request")
                batch = self._deliverable(limit)
                event = self._poll_event
            remaining = deadline - loop.time()
            if batch or self._closing or remaining <= 0 or event is None:
                return batch
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    # ------------------------------------------------------------------ webhook

    _webhook_description = ""

    def _m_set_webhook(self, p: dict[str, Any], files: dict[str, bytes]) -> bool:
        url = str(p.get("url") or "")
        if not url:
            return self._m_delete_webhook(p)
        m = re.match(r"^(?:([A-Za-z][A-Za-z0-9+.-]*)://)?([^/?#:]+)(?::(\d+))?", url)
        if not m or not m.group(2):
            raise _bad("invalid webhook URL specified")
        scheme = (m.group(1) or "https").lower()
        if scheme != "https":
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        port = int(m.group(3) or 443)
        if port not in (80, 88, 443, 8443):
            raise _bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = str(p.get("secret_token") or "")
        if len(secret) > 256:
            raise _bad("secret token is too long")
        if not re.fullmatch(r"[A-Za-z0-9_-]*", secret):
            raise _bad("secret token contains unallowed characters")
        if _as_bool(p.get("drop_pending_updates", False)):
            self._pending.clear()
        au = p.get("allowed_updates")
        if isinstance(au, list):
            self._allowed_updates = [str(x) for x in au] or None
        self._webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": _as_int(p, "max_connections", 40),
            "ip_address": p.get("ip_address"),
            "has_custom_certificate": "certificate" in files,
        }
        self._webhook_description = "Webhook was set"
        self._wake_threadsafe()
        return True

    def _m_delete_webhook(self, p: dict[str, Any]) -> bool:
        if _as_bool(p.get("drop_pending_updates", False)):
            self._pending.clear()
        was_set = bool(self._webhook["url"])
        self._webhook = {"url": ""}
        self._webhook_description = (
            "Webhook was deleted" if was_set else "Webhook is already deleted"
        )
        return True

    def _m_get_webhook_info(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self._webhook["url"],
            "has_custom_certificate": bool(self._webhook.get("has_custom_certificate")),
            "pending_update_count": len(self._pending),
        }
        if self._webhook["url"]:
            info["max_connections"] = self._webhook.get("max_connections") or 40
            if self._webhook.get("ip_address"):
                info["ip_address"] = self._webhook["ip_address"]
        if self._allowed_updates is not None:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    # ------------------------------------------------------------------ simple methods

    def _m_get_me(self, p: dict[str, Any]) -> dict[str, Any]:
        return dict(self._bot_user)

    def _commands_key(self, p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict):
            raise _bad("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), str(p.get("language_code") or "")

    def _m_set_my_commands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands", [])
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        for cmd in commands:
            if not isinstance(cmd, dict):
                raise _bad("can't parse BotCommand: Object expected")
            for name in ("command", "description"):
                if name not in cmd:
                    raise _bad(f"can't parse BotCommand: Can't find field \"{name}\"")
            if not re.fullmatch(r"/?[a-z0-9_]{1,32}", str(cmd["command"])):
                raise _bad("BOT_COMMAND_INVALID")
            if not str(cmd["description"]).strip():
                raise _bad("command description must be non-empty")
            if len(str(cmd["description"])) > 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        stored = [
            {"command": str(c["command"]).lstrip("/"), "description": str(c["description"])}
            for c in commands
        ]
        self._commands[self._commands_key(p)] = stored
        return True

    def _m_answer_callback_query(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("callback_query_id") or "")
        if not qid:
            raise _bad("query_id is empty")  # approximate wording
        if qid not in self._open_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        if self.check_formatting and len(str(p.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self._open_queries.discard(qid)
        return True

    def _m_answer_inline_query(self, p: dict[str, Any]) -> bool:
        qid = str(p.get("inline_query_id") or "")
        if qid not in self._open_queries:
            raise ApiError(400, _QUERY_TOO_OLD)
        results = p.get("results", [])
        if not isinstance(results, list):
            raise _bad("can't parse results JSON object")
        if len(results) > 50:
            raise _bad("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for res in results:
            if not isinstance(res, dict) or "type" not in res or "id" not in res:
                raise _bad("can't parse InlineQueryResult: Can't find field \"id\"")
            rid = str(res["id"])
            if not 1 <= len(rid.encode()) <= 64:
                raise _bad("RESULT_ID_INVALID")
            if rid in seen:
                raise _bad("RESULT_ID_DUPLICATE")
            seen.add(rid)
            content = res.get("input_message_content")
            if self.check_formatting and isinstance(content, dict) and "message_text" in content:
                self._format(
                    str(content["message_text"]), content.get("parse_mode"), content.get("entities")
                )
            if self.check_formatting and isinstance(res.get("reply_markup"), dict):
                self._check_markup(res["reply_markup"])
        self._open_queries.discard(qid)
        return True

    # ------------------------------------------------------------------ chats & users

    def declare_user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "en",
        is_bot: bool = False,
    ) -> dict[str, Any]:
        """Create or update a user; returns the ``User`` dict used in messages."""
        with self._lock:
            user = dict(self._users.get(user_id) or {})
            user.update(
                {
                    "id": user_id,
                    "is_bot": is_bot,
                    "first_name": first_name or user.get("first_name") or f"User{user_id}",
                }
            )
            if username is not None:
                user["username"] = username
            if last_name is not None:
                user["last_name"] = last_name
            if language_code is not None:
                user["language_code"] = language_code
            self._users[user_id] = user
            return dict(user)

    def _user(self, user_id: int) -> dict[str, Any]:
        if user_id not in self._users:
            return self.declare_user(user_id)
        return dict(self._users[user_id])

    def declare_chat(
        self,
        chat_id: int,
        type: str | None = None,  # noqa: A002 - the Bot API's name
        *,
        title: str | None = None,
        username: str | None = None,
        first_name: str | None = None,
        is_forum: bool | None = None,
        bot_is_admin: bool | None = None,
        blocked: bool | None = None,
    ) -> dict[str, Any]:
        """Create or update a chat; ``type`` is private/group/supergroup/channel (inferred
        from the id when omitted). ``blocked``: sends to it get 403 (user blocked the bot /
        bot kicked). ``bot_is_admin``: the bot may delete others' messages there."""
        if type is not None and type not in ("private", "group", "supergroup", "channel"):
            raise ValueError(f"bad chat type {type!r}")
        with self._lock:
            chat = dict(self._chats.get(chat_id) or self._infer_chat(chat_id))
            if type is not None and type != chat["type"]:
                chat = {"id": chat_id, "type": type}
                if type == "private":
                    chat["first_name"] = self._user(chat_id)["first_name"]
                else:
                    chat["title"] = f"Test {type} {chat_id}"
            if title is not None:
                chat["title"] = title
            if username is not None:
                chat["username"] = username
            if first_name is not None:
                chat["first_name"] = first_name
            if is_forum is not None:
                chat["is_forum"] = is_forum
            self._chats[chat_id] = chat
            meta = self._chat_meta.setdefault(chat_id, {"blocked": False, "bot_is_admin": False})
            if blocked is not None:
                meta["blocked"] = blocked
            if bot_is_admin is not None:
                meta["bot_is_admin"] = bot_is_admin
            return dict(chat)

    def set_blocked(self, chat_id: int, blocked: bool = True) -> None:
        """The user blocked the bot / the bot was removed from the group: sends get 403."""
        self.declare_chat(chat_id, blocked=blocked)

    def _infer_chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            user = self._user(chat_id)
            chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if user.get("username"):
                chat["username"] = user["username"]
            return chat
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        return {"id": chat_id, "type": kind, "title": f"Test {kind} {chat_id}"}

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id not in self._chats:
            self._chats[chat_id] = self._infer_chat(chat_id)
        return self._chats[chat_id]

    def _target_chat(self, raw: Any) -> dict[str, Any]:
        """The chat a bot method addresses; raises like Telegram for bad/unknown/blocked."""
        if raw is None or str(raw).strip() == "":
            raise _bad("chat_id is empty")
        text = str(raw).strip()
        if text.startswith("@"):
            for chat in self._chats.values():
                if str(chat.get("username", "")).lower() == text[1:].lower():
                    chat_id = int(chat["id"])
                    break
            else:
                if self.strict_chats:
                    raise _bad("chat not found")
                chat_id = -1000000000000 - (zlib.crc32(text.lower().encode()) % 10**9)
                self._chats[chat_id] = {
                    "id": chat_id,
                    "type": "channel",
                    "title": text[1:],
                    "username": text[1:],
                }
        else:
            try:
                chat_id = int(text)
            except ValueError:
                raise _bad("chat not found") from None
            if chat_id == 0:
                raise _bad("chat not found")
            if chat_id not in self._chats and self.strict_chats:
                raise _bad("chat not found")
        chat = self._chat(chat_id)
        if self._chat_meta.get(chat_id, {}).get("blocked"):
            raise ApiError(
                403,
                {
                    "private": "Forbidden: bot was blocked by the user",
                    "group": "Forbidden: bot was kicked from the group chat",
                    "supergroup": "Forbidden: bot was kicked from the supergroup chat",
                }.get(chat["type"], "Forbidden: bot is not a member of the channel chat"),
            )
        return chat

    # ------------------------------------------------------------------ messages

    def _next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _format(
        self, text: str, parse_mode: Any, entities: Any
    ) -> tuple[str, list[dict[str, Any]]]:
        if not self.check_formatting:
            ents = entities if isinstance(entities, list) else []
            return text, [dict(e) for e in ents]
        if entities is not None and not isinstance(entities, list):
            raise _bad("can't parse entities JSON object")
        try:
            return format_text(text, str(parse_mode) if parse_mode else None, entities)
        except FormatError as exc:
            raise _bad(f"can't parse entities: {exc}") from None
        except ValueError:
            raise _bad(f"unsupported parse_mode {parse_mode!r}") from None  # approximate

    def _check_markup(self, markup: Any) -> dict[str, Any] | None:
        """Validate reply_markup; returns it if Telegram echoes it (inline keyboards)."""
        if markup is None or markup == "":
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            if "keyboard" in markup:
                rows = markup["keyboard"]
                if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                    raise _bad('field "keyboard" must be an Array of Arrays')
            return None  # reply keyboards / remove / force_reply are not part of the Message
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise _bad(
                'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
            )
        if self.check_formatting:
            for row in rows:
                for button in row:
                    if not isinstance(button, dict):
                        raise _bad(
                            "can't parse inline keyboard button: InlineKeyboardButton "
                            "must be an Object"
                        )
                    if "text" not in button:
                        raise _bad("can't parse inline keyboard button: Can't find field \"text\"")
                    if not any(k in button for k in INLINE_BUTTON_ACTIONS):
                        raise _bad("text buttons are unallowed in the inline keyboard")
                    if "callback_data" in button:
                        data = button["callback_data"]
                        if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
                            raise _bad("BUTTON_DATA_INVALID")
                    if "url" in button and not _checked_link(str(button["url"])):
                        raise _bad(f"inline keyboard button URL '{button['url']}' is invalid")
        return markup

    def _reply_target(self, chat_id: int, p: dict[str, Any]) -> dict[str, Any] | None:
        rp = p.get("reply_parameters")
        if isinstance(rp, dict):
            mid = _as_int(rp, "message_id")
            target_chat = _as_int(rp, "chat_id", chat_id)
            allow = _as_bool(rp.get("allow_sending_without_reply", False))
        elif p.get("reply_to_message_id") is not None:
            mid = _as_int(p, "reply_to_message_id")
            target_chat = chat_id
            allow = _as_bool(p.get("allow_sending_without_reply", False))
        else:
            return None
        if not mid:
            return None
        msg = self._messages.get((target_chat, mid))
        if msg is None:
            if allow:
                return None
            raise _bad("message to be replied not found")
        return _strip_reply(msg)

    def _message_text(self, p: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        """The text and entities of a sendMessage or editMessageText, as Telegram checks them."""
        raw = p.get("text")
        if raw is None or raw == "":
            raise _bad("message text is empty")
        text, entities = self._format(str(raw), p.get("parse_mode"), p.get("entities"))
        if self.check_formatting:
            if not text.strip():
                raise _bad("text must be non-empty")
            if len(text) > MAX_TEXT_LENGTH:
                raise _bad("message is too long")
        return text, entities

    def _m_send_message(self, p: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(p.get("chat_id"))
        text, entities = self._message_text(p)
        markup = self._check_markup(p.get("reply_markup"))
        reply_to = self._reply_target(int(chat["id"]), p)
        msg = self._make_message(chat, self.bot_user, text, entities)
        if reply_to is not None:
            msg = _replying(msg, reply_to)
        thread = _as_int(p, "message_thread_id")
        if thread:
            msg["message_thread_id"] = thread
            if chat.get("is_forum"):
                msg["is_topic_message"] = True
        return self._keep_sent(chat, msg, markup)

    def _m_send_photo(self, p: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """A photo uploaded as a file (what the bot sends: a PNG it drew); the bytes stay in
        the record (``Recorded.files``) for tests to decode."""
        chat = self._target_chat(p.get("chat_id"))
        photo = files.get("photo")
        if not photo:
            raise _bad("there is no photo in the request")
        if not photo.startswith(b"\x89PNG") and not photo.startswith(b"\xff\xd8"):
            raise _bad("IMAGE_PROCESS_FAILED")
        caption = str(p.get("caption") or "")
        if len(caption) > 1024:
            raise _bad("message caption is too long")
        markup = self._check_markup(p.get("reply_markup"))
        msg = self._make_message(chat, self.bot_user, "", None)
        del msg["text"]
        size = len(photo)
        msg["photo"] = [
            {
                "file_id": f"photo{msg['message_id']}",
                "file_unique_id": "u",
                "width": 1100,
                "height": 600,
                "file_size": size,
            }
        ]
        if caption:
            msg["caption"] = caption
        return self._keep_sent(chat, msg, markup)

    def _keep_sent(
        self, chat: dict[str, Any], msg: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Store a message the bot sent (with its buttons) and return what Telegram returns."""
        if markup is not None:
            msg["reply_markup"] = markup
        key = (int(chat["id"]), msg["message_id"])
        self._messages[key] = msg
        self._bot_sent.append(key)
        return copy.deepcopy(msg)

    def _make_message(
        self,
        chat: dict[str, Any],
        sender: dict[str, Any],
        text: str,
        entities: list[dict[str, Any]] | None,
        date: int | None = None,
    ) -> dict[str, Any]:
        if sender.get("id") == self.bot_id:  # messages carry the short User, not getMe's
            sender = {
                k: sender[k] for k in ("id", "is_bot", "first_name", "username") if k in sender
            }
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(int(chat["id"])),
            "from": dict(sender),
            "chat": dict(chat),
            "date": int(time.time()) if date is None else date,
            "text": text,
        }
        if entities:
            msg["entities"] = entities
        return msg

    def _editable(self, p: dict[str, Any]) -> tuple[tuple[int, int] | None, dict | None]:
        if p.get("inline_message_id"):
            return None, None
        chat = self._target_chat(p.get("chat_id"))
        mid = _as_int(p, "message_id")
        if not mid:
            raise _bad("message identifier is not specified")
        key = (int(chat["id"]), mid)
        msg = self._messages.get(key)
        if msg is None:
            raise _bad("message to edit not found")
        if msg.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return key, msg

    def _m_edit_message_text(self, p: dict[str, Any]) -> dict[str, Any] | bool:
        text, entities = self._message_text(p)
        markup = self._check_markup(p.get("reply_markup"))
        key, msg = self._editable(p)
        if key is None or msg is None:
            return True  # inline message
        if (
            msg.get("text") == text
            and (msg.get("entities") or []) == entities
            and msg.get("reply_markup") == markup
        ):
            raise ApiError(400, _NOT_MODIFIED)
        msg["text"] = text
        _put(msg, "entities", entities)
        _put(msg, "reply_markup", markup)
        msg["edit_date"] = int(time.time())
        return copy.deepcopy(msg)

    # ------------------------------------------------------------------ update builders

    def message(
        self,
        text: str,
        *,
        chat_id: int,
        user_id: int = DEFAULT_USER_ID,
        entities: list[dict[str, Any]] | None = None,
        reply_to: dict[str, Any] | None = None,
        reply_to_message_id: int | None = None,
        reply_to_bot: bool = False,
        date: int | None = None,
    ) -> dict[str, Any]:
        """Build an update carrying a user's text message (not queued: see push_update).

        Entities Telegram would detect (``bot_command``, ``mention``, ``hashtag``) are
        computed in UTF-16 units unless ``entities`` is given. Replies: ``reply_to`` (a
        message dict), ``reply_to_message_id`` (a message the server knows in this chat) or
        ``reply_to_bot`` (the bot's last message in the chat; one is made up if none).
        """
        with self._lock:
            chat = self._chat(chat_id)
            sender = self._user(user_id)
            ents = entities if entities is not None else find_auto_entities(text)
            target = None
            if reply_to is not None:
                target = reply_to
            elif reply_to_message_id is not None:
                target = self._messages.get((chat_id, reply_to_message_id))
                if target is None:
                    raise ValueError(f"no message {reply_to_message_id} known in chat {chat_id}")
            elif reply_to_bot:
                mine = [k for k in self._bot_sent if k[0] == chat_id and k in self._messages]
                if mine:
                    target = self._messages[mine[-1]]
                else:  # the bot "said something earlier" that the test did not script
                    when = (int(time.time()) if date is None else date) - 60
                    target = self._make_message(
                        chat, self.bot_user, "(earlier bot message)", None, when
                    )
                    self._messages[(chat_id, target["message_id"])] = target
            msg = self._make_message(chat, sender, text, ents, date)
            if target is not None:
                msg = _replying(msg, _strip_reply(target))
            self._messages[(chat_id, msg["message_id"])] = msg
            return {"message": copy.deepcopy(msg)}

    def edited_message(
        self, message: dict[str, Any], text: str, *, entities: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """Update: the user edits ``message`` (a message dict from an earlier builder
        update, e.g. ``update["message"]``) to ``text``; same message_id, ``edit_date`` set."""
        with self._lock:
            key = (int(message["chat"]["id"]), int(message["message_id"]))
            msg = copy.deepcopy(self._messages.get(key, message))
            msg["text"] = text
            _put(msg, "entities", entities if entities is not None else find_auto_entities(text))
            msg["edit_date"] = int(time.time())
            self._messages[key] = msg
            return {"edited_message": copy.deepcopy(msg)}

    def private_message(
        self,
        text: str,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        *,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Update: ``user_id`` writes ``text`` to the bot in private (chat id = user id).
        Extra keyword arguments as for ``message``."""
        if first_name is not None or username is not None or language_code is not None:
            self.declare_user(
                user_id, first_name, username=username, language_code=language_code or "en"
            )
        cid = user_id if chat_id is None else chat_id
        with self._lock:
            if cid not in self._chats:
                self.declare_chat(cid, "private")
        return self.message(text, chat_id=cid, user_id=user_id, **kwargs)

    def group_message(
        self,
        text: str,
        chat_id: int = DEFAULT_GROUP_ID,
        user_id: int = DEFAULT_USER_ID,
        reply_to_bot: bool = False,
        reply_to_message_id: int | None = None,
        *,
        chat_type: str | None = None,
        title: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Update: ``user_id`` writes ``text`` in a group (``-100…`` ids are supergroups
        unless ``chat_type`` says otherwise or the chat was declared)."""
        if chat_type is not None or title is not None or chat_id not in self._chats:
            self.declare_chat(chat_id, chat_type, title=title)
        return self.message(
            text,
            chat_id=chat_id,
            user_id=user_id,
            reply_to_bot=reply_to_bot,
            reply_to_message_id=reply_to_message_id,
            **kwargs,
        )

    def inline_query(
        self,
        query: str,
        user_id: int = DEFAULT_USER_ID,
        *,
        offset: str = "",
        chat_type: str | None = "sender",
    ) -> dict[str, Any]:
        """Update: ``user_id`` types ``@DiplofactsTestBot query``."""
        with self._lock:
            qid = f"{user_id}{next(self._inline_ids):08d}"
            body: dict[str, Any] = {
                "id": qid,
                "from": self._user(user_id),
                "query": query,
                "offset": offset,
            }
            if chat_type:
                body["chat_type"] = chat_type
            self._open_queries.add(qid)
            return {"inline_query": body}

    def callback_query(
        self,
        data: str,
        message: dict[str, Any] | None = None,
        user_id: int | None = None,
        *,
        inline_message_id: str | None = None,
    ) -> dict[str, Any]:
        """Update: a user presses an inline button with ``data`` under ``message`` (a
        message the bot sent, e.g. ``api.last_sent()`` or a sendMessage result; the server's
        current version is used). Default user: the private chat's user, else the default
        user. With ``inline_message_id`` the button was under an inline-mode message."""
        with self._lock:
            body: dict[str, Any] = {"id": f"{next(self._callback_ids)}0000{BOT_ID}"}
            if message is None and inline_message_id is None:
                if not self._bot_sent:
                    raise ValueError("the bot has sent no message to press a button under")
                message = self._messages.get(self._bot_sent[-1])
            chat_id = None
            if message is not None:
                chat_id = int(message["chat"]["id"])
                current = self._messages.get((chat_id, int(message["message_id"])), message)
            if user_id is None:
                user_id = chat_id if chat_id and chat_id > 0 else DEFAULT_USER_ID
            body["from"] = self._user(user_id)
            if message is not None:
                body["message"] = copy.deepcopy(current)
                body["chat_instance"] = str(zlib.crc32(str(chat_id).encode()) * 1000003)
            else:
                body["inline_message_id"] = inline_message_id
                body["chat_instance"] = str(zlib.crc32(str(inline_message_id).encode()))
            body["data"] = data
            self._open_queries.add(body["id"])
            return {"callback_query": body}

    # ------------------------------------------------------------------ webhook client

    def register_webhook_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """What ``post_webhook`` does before it posts: registers the chats, users, messages
        and query ids ``update`` contains and gives it an update_id if it has none (not
        queued for getUpdates), for a client that POSTs it itself. Returns the update."""
        with self._lock:
            self._register_update(update)
            if "update_id" not in update:
                self._assign_update_id(update)
        return update

    async def post_webhook(
        self,
        url: str,
        update: dict[str, Any],
        secret: str | None = None,
        timeout: float = 10.0,
    ) -> int:
        """POST ``update`` to a bot's webhook (giving it an update_id if needed, without
        queueing it for getUpdates); returns the HTTP status."""
        with self._lock:
            self._register_update(update)
            if "update_id" not in update:
                self._assign_update_id(update)
        return await post_webhook(url, update, secret, timeout=timeout)

    def post_webhook_sync(
        self,
        url: str,
        update: dict[str, Any],
        secret: str | None = None,
        timeout: float = 10.0,
    ) -> int:
        with self._lock:
            self._register_update(update)
            if "update_id" not in update:
                self._assign_update_id(update)
        return post_webhook_sync(url, update, secret, timeout=timeout)


def _utf16_slice(text: str, offset: int, length: int) -> str:
    raw = text.encode("utf-16-le")
    return raw[offset * 2 : (offset + length) * 2].decode("utf-16-le", "replace")


_webhook_ids = itertools.count(900000000)


def _webhook_body(update: dict[str, Any]) -> bytes:
    if "update_id" not in update:
        update["update_id"] = next(_webhook_ids)
    return json.dumps(update, ensure_ascii=False).encode("utf-8")


def _webhook_headers(secret: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    return headers


async def post_webhook(
    url: str, update: dict[str, Any], secret: str | None = None, *, timeout: float = 10.0
) -> int:
    """POST ``update`` as Telegram's webhook delivery would (JSON body, header
    ``X-Telegram-Bot-Api-Secret-Token`` when ``secret`` is given); returns the HTTP status.
    An update without ``update_id`` gets one from a module-wide counter."""
    body = _webhook_body(update)
    async with ClientSession(timeout=ClientTimeout(total=timeout)) as session:
        async with session.post(url, data=body, headers=_webhook_headers(secret)) as resp:
            await resp.read()
            return resp.status


def post_webhook_sync(
    url: str, update: dict[str, Any], secret: str | None = None, *, timeout: float = 10.0
) -> int:
    """Blocking ``post_webhook`` (urllib; safe to call from any thread without a loop)."""
    req = urllib.request.Request(
        url, data=_webhook_body(update), headers=_webhook_headers(secret), method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
            return int(resp.status)
    except urllib.error.HTTPError as err:
        err.read()
        err.close()
        return int(err.code)
