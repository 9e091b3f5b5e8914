"""The running bot measured against the loopback Bot API server, beside naive baselines.

    python bench/bot.py                 # 10,000 updates; table
    python bench/bot.py --updates 2000 --json

- throughput: private questions pushed to the loopback server, answered by a real
  ``python bot.py run`` process (rate limiter off: Telegram's own limits are not what is
  measured); updates/s from the first push to the last recorded sendMessage;
- cold start: wall time of ``python bot.py ask "trade"``, and of ``python bot.py run`` from
  launch to its first getUpdates, each the median of --runs; the baseline is ``python -c
  "import telegram"`` (the floor any python-telegram-bot process pays);
- memory: the bot process's peak resident memory (VmHWM) after the throughput run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.botapi import FakeBotApi  # noqa: E402

QUESTIONS = [
    "trade in 2011",
    "who is the ambassador?",
    "visits",
    "sinh viên Việt Nam",
    "товарооборот в 2022 году",
    "mechanisms",
    "hello",
    "trade between Japan and Korea",
]


def bot_env(api: FakeBotApi, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "TELEGRAM_BASE_FILE_URL": api.base_file_url,
        "DIPLOFACTS_DB": "off",
        "LOG_LEVEL": "WARNING",
        "FLOOD_LIMIT": "1000000",
        "DIPLOFACTS_RATE_LIMITER": "off",
        **(extra or {}),
    }


def rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def wait_first_get_updates(api: FakeBotApi, timeout: float = 30.0) -> None:
    api.wait_for("getUpdates", timeout=timeout, finished=False)


def throughput(n: int) -> dict[str, float]:
    with FakeBotApi() as api, tempfile.TemporaryDirectory():
        proc = subprocess.Popen([sys.executable, "bot.py", "run"], cwd=ROOT, env=bot_env(api))
        try:
            wait_first_get_updates(api)
            rss_start = rss_kb(proc.pid, "VmRSS")
            users = 500
            start = time.perf_counter()
            for i in range(n):
                api.push_update(
                    api.private_message(QUESTIONS[i % len(QUESTIONS)], user_id=100_000 + i % users)
                )
            api.wait_for("sendMessage", count=n, timeout=max(120.0, n / 20))
            elapsed = time.perf_counter() - start
            peak = rss_kb(proc.pid, "VmHWM")
            fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            bot_cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            bench_cpu = time.process_time()
            rss_end = rss_kb(proc.pid, "VmRSS")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {
        "updates": n,
        "seconds": elapsed,
        "updates_per_s": n / elapsed,
        "bot_cpu_s": bot_cpu,
        "server_cpu_s": bench_cpu,
        "rss_start_mb": rss_start / 1024,
        "rss_end_mb": rss_end / 1024,
        "peak_rss_mb": peak / 1024,
    }


def timed(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bot_start_time(runs: int) -> float:
    times = []
    for _ in range(runs):
        with FakeBotApi() as api:
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "bot.py", "run"], cwd=ROOT, env=bot_env(api))
            try:
                wait_first_get_updates(api)
                times.append(time.perf_counter() - t0)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    py = sys.executable
    figures = {
        "cold_ask_s": timed([py, "bot.py", "ask", "trade"], args.runs),
        "baseline_import_telegram_s": timed([py, "-c", "import telegram"], args.runs),
        "baseline_python_s": timed([py, "-c", "pass"], args.runs),
        "bot_first_get_updates_s": bot_start_time(max(1, args.runs // 2)),
        **throughput(args.updates),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    rows = [
        ('cold start: bot.py ask "trade"', f"{figures['cold_ask_s']:.3f} s"),
        ("  baseline: python -c pass", f"{figures['baseline_python_s']:.3f} s"),
        (
            "  baseline: python -c 'import telegram'",
            f"{figures['baseline_import_telegram_s']:.3f} s",
        ),
        (
            "cold start: bot.py run to first getUpdates",
            f"{figures['bot_first_get_updates_s']:.3f} s",
        ),
        (
            f"throughput: {figures['updates']} private questions",
            f"{figures['updates_per_s']:.0f} updates/s ({figures['seconds']:.1f} s)",
        ),
        (
            "bot RSS at start / end of run",
            f"{figures['rss_start_mb']:.1f} / {figures['rss_end_mb']:.1f} MB",
        ),
        ("bot peak RSS (VmHWM)", f"{figures['peak_rss_mb']:.1f} MB"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
