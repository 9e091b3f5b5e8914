"""Every Bot API call is sent again when Telegram surely did not act on it.

``RetryingRateLimiter`` sits where python-telegram-bot routes every call but getUpdates
(``BaseRateLimiter.process_request``): around AIORateLimiter (Telegram's flood limits; a 429
with retry_after is waited out there), or alone when the rate limiter is off. So /help,
/sources, button presses, edits, inline answers and the menus at start-up are covered,
not only answers to questions. getUpdates has PTB's own retry loop.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import BaseRateLimiter

log = logging.getLogger("diplofacts.send")
RETRY_DELAYS = (0.5, 1.0)  # seconds before the 2nd and 3rd attempt


def surely_not_delivered(error: BaseException) -> bool:
    """True when Telegram surely did not act on a request, so sending it again cannot make a
    duplicate: the connection could not be made, or the server (or a proxy in front of it)
    answered with an error status such as 500 or 502. False when the request may have gone
    through: a timeout while waiting for the answer, a connection dropped after sending, an
    unreadable answer; and for refusals (400, 403) that a retry would not change.

    PTB raises the transport's exception as ``__cause__``; an error status has none (or the
    failure to parse a non-JSON error page)."""
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    cause = error.__cause__
    if isinstance(error, TimedOut):
        return isinstance(cause, httpx.ConnectTimeout | httpx.PoolTimeout)
    if cause is None or type(cause) is TelegramError:
        return True
    return isinstance(cause, httpx.ConnectError)


def error_code(error: TelegramError) -> str:
    """The metrics label of a failed call: the HTTP status Telegram answered, as far as PTB's
    exception tells it, else what went wrong on the way."""
    if isinstance(error, RetryAfter):
        return "429"
    if isinstance(error, BadRequest):
        return "400"
    if isinstance(error, Forbidden):
        return "403"
    if isinstance(error, InvalidToken):
        return "401"
    if isinstance(error, Conflict):
        return "409"
    if isinstance(error, TimedOut):
        return "timeout"
    if isinstance(error, NetworkError):
        found = _STATUS_IN_MESSAGE.search(str(error))
        if found:
            return found.group(1)
        if str(error) == "Bad Gateway":
            return "502"
        return "network"
    return "other"


_STATUS_IN_MESSAGE = re.compile(r"\((5\d\d|4\d\d)\)$")


class RetryingRateLimiter(BaseRateLimiter[Any]):
    """``inner`` (AIORateLimiter, or None for none), plus resending while Telegram surely
    did not take the call: at most ``len(delays) + 1`` attempts, never for a call that may
    have gone through (no duplicate message, no double edit)."""

    def __init__(
        self,
        inner: BaseRateLimiter[Any] | None = None,
        delays: tuple[float, ...] = RETRY_DELAYS,
        metrics: Any = None,
    ) -> None:
        self.inner = inner
        self.delays = delays
        self.metrics = metrics  # runtime.metrics.Metrics: every failed attempt is counted

    async def initialize(self) -> None:
        if self.inner is not None:
            await self.inner.initialize()

    async def shutdown(self) -> None:
        if self.inner is not None:
            await self.inner.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Any,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        for delay in (*self.delays, None):
            try:
                if self.inner is None:
                    return await callback(*args, **kwargs)
                return await self.inner.process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except TelegramError as exc:
                if self.metrics is not None:
                    self.metrics.api_errors.get(endpoint, error_code(exc)).inc()
                if not isinstance(exc, NetworkError):
                    raise
                if delay is None or not surely_not_delivered(exc):
                    raise
                log.warning(
                    "Telegram did not take %s (%s); sending it again in %.1f s",
                    endpoint,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
