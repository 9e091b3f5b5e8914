"""GET /healthz and GET /metrics, scraped from the running bot: beside the webhook on PORT,
and on HEALTH_PORT in polling mode; 503 while no knowledge base is loaded."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import time
import urllib.error
import urllib.request

import pytest

from handlers.status import start_status_server
from runtime.metrics import Metrics
from testkit.bot_runner import BotProcess
from testkit.ports import free_port

pytestmark = pytest.mark.slow  # a subprocess run of the whole bot: the full lane only


def get(url: str, timeout: float = 10.0) -> tuple[int, str, str]:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.headers["Content-Type"], response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers["Content-Type"], exc.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def sample(metrics: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = rf"^{re.escape(name)}{re.escape('{' + wanted + '}') if labels else ''} (\S+)$"
    found = re.search(pattern, metrics, re.MULTILINE)
    assert found, f"{name} {labels} not in:\n{metrics}"
    return float(found.group(1))


def test_polling_bot_serves_health_and_metrics_on_health_port(fake_api) -> None:
    api = fake_api
    port = free_port()
    env = {"HEALTH_PORT": str(port), "WEBHOOK_LISTEN": "127.0.0.1", "FLOOD_LIMIT": "3"}
    with BotProcess(api, env) as bot:
        bot.wait_log(r"Bot @\w+ ready")
        api.inject("sendMessage", "error", count=1, description="Bad Request: chat not found")
        questions = ["trade in 2011", "what about football", "who is the ambassador?"]
        for i, text in enumerate(questions):
            api.push_update(api.private_message(text, 7000 + i))
        api.wait_for("sendMessage", count=3, timeout=15)
        for _ in range(5):  # one user over FLOOD_LIMIT=3: refused updates
            api.push_update(api.private_message("trade", 7100))
        api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == 7100, count=4, timeout=15)
        time.sleep(0.3)
        status, kind, body = get(f"http://127.0.0.1:{port}/healthz")
        _, metrics_type, metrics = get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200 and kind == "application/json"
    health = json.loads(body)
    assert health["status"] == "ok" and health["facts"] == 256
    assert 0 < health["kb_load_seconds"] < 60 and health["kb_loaded_at"].startswith("20")
    assert metrics_type.startswith("text/plain; version=")
    assert sample(metrics, "diplofacts_updates_total", kind="message") == 8
    assert sample(metrics, "diplofacts_answers_total", kind="facts") >= 2
    assert sample(metrics, "diplofacts_unanswered_questions_total") >= 1
    # 6 questions admitted; the one whose sendMessage Telegram refused was not answered
    assert sample(metrics, "diplofacts_answer_latency_seconds_count") == 5
    assert sample(metrics, "diplofacts_bot_api_errors_total", method="sendMessage", code="400") == 1
    assert sample(metrics, "diplofacts_flood_refusals_total", kind="message") == 2
    assert sample(metrics, "diplofacts_reloads_total", outcome="ok") == 0
    assert sample(metrics, "diplofacts_kb_facts") == 256
    assert bot.proc.returncode == 0, bot.log


def test_webhook_bot_serves_health_and_metrics_beside_the_webhook(fake_api) -> None:
    api = fake_api
    port = free_port()
    secret = "the-secret-0123456789"
    env = {
        "WEBHOOK_URL": "https://bot.example.com/telegram",
        "WEBHOOK_SECRET": secret,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    with BotProcess(api, env, args=("--webhook",)) as bot:
        bot.wait_log(r"Bot @\w+ ready")
        status, _, body = get(f"http://127.0.0.1:{port}/healthz")
        hook = f"http://127.0.0.1:{port}/telegram"
        assert api.post_webhook_sync(hook, api.private_message("trade in 2011"), secret) == 200
        api.wait_for("sendMessage", timeout=10)
        bot.signal(signal.SIGHUP)  # a reload, counted
        bot.wait_log("knowledge base reloaded")
        _, _, metrics = get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200 and json.loads(body)["facts"] == 256
    assert sample(metrics, "diplofacts_updates_total", kind="message") == 1
    assert sample(metrics, "diplofacts_answers_total", kind="facts") == 1
    assert sample(metrics, "diplofacts_reloads_total", outcome="ok") == 1


def test_health_is_503_while_no_knowledge_base_is_loaded() -> None:
    port = free_port()
    loaded: list[object] = []

    async def main() -> tuple[int, str]:
        server = start_status_server(
            "127.0.0.1", port, lambda: loaded[0] if loaded else None, Metrics()
        )
        try:
            return await asyncio.to_thread(get, f"http://127.0.0.1:{port}/healthz")
        finally:
            server.stop()

    status, _, body = asyncio.run(main())
    assert status == 503 and json.loads(body)["status"] == "starting"
