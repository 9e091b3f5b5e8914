"""Fake Telegram Bot API server for diplofacts' tests.

``FakeBotApi`` is an aiohttp server on 127.0.0.1 (free port) that answers the Bot API the way
api.telegram.org does, so the tests run the real python-telegram-bot stack (HTTPXRequest,
Updater, Application, AIORateLimiter) with no network::

    from testkit.botapi import FakeBotApi

    with FakeBotApi() as api:                      # background thread + own event loop
        app = (Application.builder().token(api.token)
               .base_url(api.base_url).base_file_url(api.base_file_url).build())
        ...                                        # run the app (asyncio.run or a subprocess)
        api.push_update(api.private_message("/start"))
        api.push_update(api.group_message("/trade@DiplofactsTestBot 2011"))
        [reply] = api.wait_for("sendMessage", lambda r: r.params["chat_id"] == "1001")
        api.inject("sendMessage", "retry_after", seconds=1)      # next call gets a 429

In a coroutine sharing the loop: ``async with FakeBotApi() as api`` and
``await api.wait_for_async(...)``. Pytest fixtures: ``testkit/botapi/fixtures.py``.
Formatting checks (HTML as Telegram parses it):
``testkit/botapi/formatting.py``.
"""

from .formatting import FormatError, find_auto_entities, format_text, utf16_len
from .server import (
    BOT_ID,
    BOT_USERNAME,
    DEFAULT_GROUP_ID,
    DEFAULT_TOKEN,
    DEFAULT_USER_ID,
    ApiError,
    FakeBotApi,
    Fault,
    Recorded,
    post_webhook,
    post_webhook_sync,
)

__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "DEFAULT_GROUP_ID",
    "DEFAULT_TOKEN",
    "DEFAULT_USER_ID",
    "ApiError",
    "FakeBotApi",
    "FormatError",
    "Fault",
    "Recorded",
    "find_auto_entities",
    "format_text",
    "post_webhook",
    "post_webhook_sync",
    "utf16_len",
]
