"""The webhook listener, hardened: the secret header is checked before the body is read,
the body is capped, malformed JSON gets 400, an update python-telegram-bot cannot read is
answered 200 and skipped with a WARNING that does not quote the user's text (Telegram would
otherwise resend it forever), and nothing of the body or the secret is logged.

PTB's own handler (``telegram.ext._utils.webhookhandler.TelegramHandler``) reads the whole
body first (tornado allows 100 MB) and only then answers 403; it answers 500 to bad JSON and
logs every body at DEBUG. ``GuardedUpdater`` is PTB's Updater serving this handler instead.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Bot, Update
from telegram.ext import ExtBot, Updater
from telegram.ext._utils.webhookhandler import WebhookServer

log = logging.getLogger("diplofacts.webhook")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are small: a message is at most 4,096 characters (plus entities, the
# replied-to message and the sender); 1 MiB is more than 50 times the largest one.
MAX_BODY_BYTES = 1024 * 1024


@tornado.web.stream_request_body
class GuardedTelegramHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)  # type: ignore[assignment]

    def initialize(
        self, bot: Bot, update_queue: asyncio.Queue, secret_token: str, max_body: int
    ) -> None:
        self.bot = bot
        self.update_queue = update_queue
        self.secret_token = secret_token
        self.max_body = max_body
        self.chunks: list[bytes] = []
        self.size = 0

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", 'application/json; charset="utf-8"')

    def prepare(self) -> None:
        """Runs on the headers alone: nothing of the body has been read yet."""
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
            log.debug("Webhook request without the right secret token: 403")
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.request.headers.get("Content-Type", "").split(";")[0] != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            log.warning("Webhook body of %s bytes refused (limit %d)", length, self.max_body)
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.request.connection.set_max_body_size(self.max_body)  # chunked bodies too

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_body:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self.chunks))
        except ValueError:  # also bad UTF-8
            log.warning("Webhook body is not JSON: 400")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            log.warning("Webhook body is not an update: 400")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        try:
            update = Update.de_json(data, self.bot)
        except Exception as exc:
            kinds = [k for k in data if k != "update_id"][:5]
            log.warning(
                "Skipping update %s %s: python-telegram-bot cannot read it (%s)",
                data["update_id"],
                kinds,
                type(exc).__name__,
            )
            self.set_status(HTTPStatus.OK)  # answered, so Telegram does not send it again
            return
        if isinstance(self.bot, ExtBot):
            self.bot.insert_callback_data(update)
        await self.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if not isinstance(value, tornado.web.HTTPError):
            log.error("Webhook handler failed", exc_info=(typ, value, tb))


class _QuietApplication(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the bot's log says what matters."""


class GuardedUpdater(Updater):
    """PTB's Updater; its webhook serves ``GuardedTelegramHandler`` (plain HTTP behind a
    TLS-terminating proxy: certificates and unix sockets are not used by diplofacts), and
    ``extra_routes`` beside it (/healthz, /metrics)."""

    extra_routes: list[Any] = []

    async def _start_webhook(  # type: ignore[override]
        self,
        listen: str,
        port: int,
        url_path: str,
        bootstrap_retries: int,
        allowed_updates: Any,
        cert: Any = None,
        key: Any = None,
        drop_pending_updates: bool | None = None,
        webhook_url: str | None = None,
        ready: asyncio.Event | None = None,
        ip_address: str | None = None,
        max_connections: int = 40,
        secret_token: str | None = None,
        unix: Any = None,
    ) -> None:
        if cert or key or unix or not secret_token or not webhook_url:
            raise RuntimeError("diplofacts' webhook needs a secret and a URL, no cert or unix")
        if not url_path.startswith("/"):
            url_path = f"/{url_path}"
        shared = {
            "bot": self.bot,
            "update_queue": self.update_queue,
            "secret_token": secret_token,
            "max_body": MAX_BODY_BYTES,
        }
        app = _QuietApplication(
            [*self.extra_routes, (rf"{url_path}/?", GuardedTelegramHandler, shared)]
        )
        self._httpd = WebhookServer(listen, port, app, None)
        await self._bootstrap(
            max_retries=bootstrap_retries,
            drop_pending_updates=drop_pending_updates,
            webhook_url=webhook_url,
            allowed_updates=allowed_updates,
            ip_address=ip_address,
            max_connections=max_connections,
            secret_token=secret_token,
        )
        await self._httpd.serve_forever(ready=ready)
