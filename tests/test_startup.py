"""Start-up without a network: an unreachable Bot API gets one clear log line per attempt and
a growing pause, and the bot comes up as soon as the server answers; SIGTERM while waiting
stops it with exit 0; a rejected token stays exit 2 (tests/test_secrets.py). And hiding the
token never garbles the log when the token or the webhook secret is short."""

from __future__ import annotations

import logging
import re
import signal
import time
from types import SimpleNamespace

import pytest

from runtime.logs import RedactToken
from testkit.bot_runner import BotProcess
from testkit.botapi import FakeBotApi
from testkit.botapi.server import DEFAULT_TOKEN
from testkit.ports import free_port

pytestmark = pytest.mark.slow  # a subprocess run of the whole bot: the full lane only


def unreachable(port: int) -> SimpleNamespace:
    """What BotProcess needs of a Bot API: a token and a base URL, here with nobody on it."""
    return SimpleNamespace(token=DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}/bot")


def test_the_bot_waits_for_an_unreachable_bot_api_and_comes_up_with_it() -> None:
    port = free_port()
    bot = BotProcess(unreachable(port))
    api = None
    try:
        bot.wait_log(r"not reachable \(attempt 2:", timeout=30)
        attempts = [line for line in bot.lines if "not reachable" in line]
        api = FakeBotApi(port=port).start()
        bot.wait_log(r"Bot @\w+ ready", timeout=30)
        api.push_update(api.private_message("trade in 2011"))
        [reply] = api.wait_for("sendMessage", timeout=10)
    finally:
        code = bot.stop()
        if api is not None:
            api.stop()
    log = bot.log
    assert code == 0, log
    assert "Traceback" not in log, log
    assert DEFAULT_TOKEN not in log
    assert reply.ok
    # one line an attempt, naming the server (never the token), the reason and the pause
    assert re.search(r"Bot API at http://127\.0\.0\.1:\d+ not reachable \(attempt 1: ", attempts[0])
    pauses = [float(re.search(r"in (\d+) s$", line).group(1)) for line in attempts]
    assert pauses[:2] == [1.0, 2.0], attempts
    assert "ConnectError" in attempts[0], attempts


def test_sigterm_while_waiting_for_the_bot_api_is_a_clean_stop() -> None:
    bot = BotProcess(unreachable(free_port()))
    bot.wait_log(r"not reachable \(attempt 1:", timeout=30)
    started = time.monotonic()
    bot.signal(signal.SIGTERM)
    code = bot.proc.wait(10)
    assert code == 0, bot.log
    assert time.monotonic() - started < 5
    assert "Traceback" not in bot.log


def redacted(filter_: RedactToken, text: str) -> str:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, text, None, None)
    filter_.filter(record)
    return record.getMessage()


def test_a_short_token_or_secret_is_hidden_without_garbling_the_log() -> None:
    hide = RedactToken("12:ab", webhook_secret="s3")
    assert redacted(hide, "2024-12-02 12:ab 112:abc s3cret labs3 s3 ok") == (
        "2024-12-02 <TOKEN> 112:abc s3cret labs3 <SECRET> ok"
    )
    assert redacted(hide, "POST http://h/bot12:ab/getMe and /bot12%3Aab/x") == (
        "POST http://h/bot<TOKEN>/getMe and /bot<TOKEN>/x"
    )
    # a real token is hidden wherever it is, even glued to other text
    real = RedactToken(DEFAULT_TOKEN)
    secret = DEFAULT_TOKEN.partition(":")[2]
    text = redacted(real, f"x{DEFAULT_TOKEN}y %2Fbot{DEFAULT_TOKEN.replace(':', '%3A')} z{secret}")
    assert secret not in text and text.count("<TOKEN>") == 3, text
