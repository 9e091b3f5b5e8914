"""Pytest fixtures and PTB helpers for tests that talk to ``FakeBotApi``.

To make the fixtures available to every test, add to ``tests/conftest.py``::

    from testkit.botapi.fixtures import asyncio_errors, fake_api  # noqa: F401

Helpers (plain functions, import where needed):

* ``application_for(api, **builder_options)`` - a PTB ``Application`` wired to the server;
* ``polling(app, timeout=1)`` - ``async with polling(app): ...`` runs it with long polling
  (``poll_interval=0``) and stops it cleanly, even when the body fails.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from ..logs import error_records
from .server import FakeBotApi


@pytest.fixture
def asyncio_errors() -> Iterator[list[logging.LogRecord]]:
    """Fails the test if asyncio logs an error ("Task was destroyed but it is pending!",
    "Unclosed client session", exceptions never retrieved ...). Yields the record list."""
    with error_records("asyncio") as records:
        yield records
    problems = [r.getMessage() for r in records]
    assert not problems, f"asyncio reported errors: {problems}"


@pytest.fixture
def fake_api(asyncio_errors: list[logging.LogRecord]) -> Iterator[FakeBotApi]:
    """A started FakeBotApi (thread mode); stopped after the test, which fails if the
    server thread survives or asyncio logged errors."""
    api = FakeBotApi().start()
    thread = api._thread
    try:
        yield api
    finally:
        api.stop()
    assert thread is not None and not thread.is_alive(), "FakeBotApi thread still running"


def application_for(api: FakeBotApi, **options: Any) -> Any:
    """``Application.builder()`` aimed at ``api``; ``options`` name builder methods, e.g.
    ``application_for(api, rate_limiter=AIORateLimiter(max_retries=2))``."""
    from telegram.ext import Application

    builder = (
        Application.builder()
        .token(options.pop("token", api.token))
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
    )
    for name, value in options.items():
        builder = getattr(builder, name)(value)
    return builder.build()


@contextlib.asynccontextmanager
async def polling(app: Any, timeout: int = 1, **start_polling: Any) -> AsyncIterator[Any]:
    """Initialize, start and long-poll ``app``; always stop and shut it down again."""
    async with app:
        await app.start()
        try:
            await app.updater.start_polling(poll_interval=0, timeout=timeout, **start_polling)
            try:
                yield app
            finally:
                await app.updater.stop()
        finally:
            await app.stop()
