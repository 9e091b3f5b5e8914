"""The bot token never reaches the log: not at LOG_LEVEL=DEBUG, not in tracebacks, not when
Telegram rejects it, not when an error message or an error page quotes the request URL.

(The webhook's secret check - requests without X-Telegram-Bot-Api-Secret-Token, or with a
wrong one, get 403 and are not handled - is covered by
tests/test_bot_e2e.py::test_webhook_process_checks_the_secret_and_stops_cleanly.)
"""

from __future__ import annotations

import logging
import subprocess

from runtime.logs import RedactToken
from testkit.bot_runner import BotProcess

SECRET_PART = lambda token: token.partition(":")[2]  # noqa: E731


def assert_no_token(log: str, token: str) -> None:
    assert token not in log
    assert SECRET_PART(token) not in log  # neither whole, nor URL-encoded ("id%3Asecret")


def test_a_rejected_token_is_not_printed(fake_api) -> None:
    api = fake_api
    api.inject("getMe", "error", count=10, status=401, description="Unauthorized")
    bot = BotProcess(api, {"LOG_LEVEL": "DEBUG"})
    try:
        bot.proc.wait(30)
    except subprocess.TimeoutExpired:
        pass
    code = bot.stop()
    log = bot.log
    # PTB's own message is "The token `<token>` was rejected by the server."
    assert "was rejected by the server" in log and "<TOKEN>" in log
    assert_no_token(log, api.token)
    assert code == 2, log
    assert log.splitlines()[-1].endswith(
        "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): check it with @BotFather"
    )


def test_a_failing_run_at_debug_level_never_logs_the_token(fake_api) -> None:
    api = fake_api
    token = api.token
    url = f"{api.base_url}{token}/sendMessage"
    encoded = url.replace(":", "%3A")
    with BotProcess(api, {"LOG_LEVEL": "DEBUG"}) as bot:
        bot.wait_log(r"Bot @\w+ ready")
        # error descriptions and error pages that quote the URL, as a proxy's might
        api.inject("getUpdates", "status", status=500, description=f"Internal error at {url}")
        api.inject("sendMessage", "status", count=3, status=502, description=f"upstream {encoded}")
        api.inject("sendMessage", "malformed", body=f"<html>502 Bad Gateway: {url}</html>")
        api.inject("sendMessage", "error", description=f"Bad Request: can't parse {url}")
        for i in range(4):
            api.push_update(api.private_message("trade in 2011", 8000 + i))
            api.wait_for("sendMessage", lambda r, u=8000 + i: r.get_int("chat_id") == u, 1, 10)
        api.push_update(api.private_message("trade in 2011", 8100))
        api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == 8100 and r.ok, 1, 10)
    log = bot.log
    assert_no_token(log, token)
    assert " DEBUG " in log  # the level really was DEBUG
    assert "Traceback" in log  # and tracebacks were written
    assert log.count("<TOKEN>") >= 4, log
    assert bot.proc.returncode == 0


def test_the_filter_redacts_messages_arguments_and_tracebacks() -> None:
    token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ"
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(RedactToken(token))
    log = logging.getLogger("test_secrets")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("url %s", f"https://api.telegram.org/bot{token}/getMe")
        log.warning("encoded https://api.telegram.org/bot123456%%3A%s/getMe", token[7:])
        try:
            try:
                raise ValueError(f"inner {token}")
            except ValueError as exc:
                raise RuntimeError("outer") from exc
        except RuntimeError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    text = "\n".join(records)
    assert token not in text and token[7:] not in text
    assert text.count("<TOKEN>") == 3
    assert "ValueError: inner <TOKEN>" in text
