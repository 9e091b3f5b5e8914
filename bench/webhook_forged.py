"""Forged webhook requests: ten 95 MB bodies without the secret, against
``python bot.py run --webhook`` (this checkout, or ``--root OTHER_CHECKOUT``) and the loopback
Bot API. Prints each status, the bytes the bot took before answering, and the bot's resident
memory before, at its peak (VmHWM) and after.

    python bench/webhook_forged.py [--root DIR] [--count 10] [--mb 95]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.bot_runner import BotProcess  # noqa: E402
from testkit.botapi import FakeBotApi  # noqa: E402
from testkit.ports import free_port, wait_listening  # noqa: E402
from testkit.webhook_client import json_headers, raw_post  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--mb", type=int, default=95)
    args = parser.parse_args()
    port = free_port()
    env = {
        "WEBHOOK_URL": "https://bot.example.com/telegram",
        "WEBHOOK_SECRET": "the-right-secret-0123456789",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    body = b"x" * (args.mb * 1024 * 1024)
    with (
        FakeBotApi() as api,
        BotProcess(api, env, args=("--webhook",), root=args.root.resolve()) as bot,
    ):
        api.wait_for("setWebhook", timeout=30)
        wait_listening(port, timeout=30)
        before = bot.rss_kib()
        started = time.monotonic()
        results = [raw_post(port, json_headers("forged"), body) for _ in range(args.count)]
        took = time.monotonic() - started
        time.sleep(1)
        after, peak = bot.rss_kib(), bot.peak_kib()
    print(f"root {args.root}: {args.count} x {args.mb} MB without the secret in {took:.1f} s")
    print(f"  statuses {[s for s, _ in results]}")
    print(f"  MB taken before the answer: {[round(n / 2**20, 1) for _, n in results]}")
    print(
        f"  bot RSS before {before / 1024:.0f} MB, peak {peak / 1024:.0f} MB, "
        f"after {after / 1024:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
