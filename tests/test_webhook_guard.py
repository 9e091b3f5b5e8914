"""The webhook listener under hostile requests (``python bot.py run --webhook`` as a
subprocess, LOG_LEVEL=DEBUG): a request without the secret is answered 403 before its body
is read, bodies are capped, malformed JSON gets 400, an update PTB cannot read gets 200 and
a WARNING without the user's text, and WEBHOOK_SECRET never reaches the log."""

from __future__ import annotations

import json

import pytest

from testkit.bot_runner import BotProcess, texts_to
from testkit.ports import free_port, wait_listening
from testkit.webhook_client import json_headers, raw_post

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

SECRET = "Webhook_Secret-0123456789abcdef"
PRIVATE_TEXT = "my very private question 7731"


def test_hostile_webhook_requests(fake_api) -> None:
    api = fake_api
    port = free_port()
    env = {
        "WEBHOOK_URL": "https://bot.example.com/telegram",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
        "LOG_LEVEL": "DEBUG",
    }
    big = b"x" * (95 * 1024 * 1024)
    with BotProcess(api, env, args=("--webhook",)) as bot:
        api.wait_for("setWebhook", timeout=20)
        wait_listening(port, timeout=10)
        rss_before = bot.rss_kib()
        # ten 95 MB bodies without the secret: refused on the headers alone
        forged = [raw_post(port, json_headers("wrong"), big) for _ in range(10)]
        rss_after = bot.rss_kib()
        no_secret = raw_post(port, json_headers(None), b"{}")
        oversized = raw_post(port, json_headers(SECRET), b"{}", declared=50 * 1024 * 1024)
        malformed = raw_post(port, json_headers(SECRET), b"{not json")
        not_an_update = raw_post(port, json_headers(SECRET), b"[1, 2]")
        unreadable = {"update_id": 777001, "message": {"message_id": 1, "text": PRIVATE_TEXT}}
        skipped = raw_post(port, json_headers(SECRET), json.dumps(unreadable).encode())
        good = api.private_message("trade in 2011", 9100)
        good["update_id"] = 777002
        answered = raw_post(port, json_headers(SECRET), json.dumps(good).encode())
        api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == 9100, timeout=10)
        warning = bot.wait_log("Skipping update 777001")
    assert [status for status, _ in forged] == [403] * 10
    assert max(sent for _, sent in forged) < 20 * 1024 * 1024  # far from 95 MB each
    assert rss_before and rss_after and rss_after - rss_before < 50 * 1024, (rss_before, rss_after)
    assert no_secret[0] == 403
    assert oversized[0] == 413
    assert malformed[0] == 400 and not_an_update[0] == 400
    assert skipped[0] == 200 and answered[0] == 200
    assert " WARNING " in warning and "cannot read it" in warning
    assert "151 million USD" in texts_to(api, 9100)[0]
    log = bot.log
    assert " DEBUG " in log  # the level really was DEBUG
    assert SECRET not in log
    assert PRIVATE_TEXT not in log
    assert "Traceback" not in log and " 500 " not in log
    assert bot.proc.returncode == 0, log
