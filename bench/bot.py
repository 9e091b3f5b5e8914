"""The running bot measured against the loopback Bot API server, beside a naive baseline.

    python bench/bot.py                 # 10,000 updates; table
    python bench/bot.py --updates 2000 --json

- throughput: private questions pushed to the loopback server (testkit/botapi) and answered by
  a real ``python bot.py run`` process (rate limiter off: Telegram's own limits are not what
  is measured), updates/s from the first push to the last recorded sendMessage. The baseline
  is bench/echo_bot.py, the smallest python-telegram-bot bot (echoes the text), under the
  same load: what the library and HTTP stack cost before any knowledge work;
- cold start: wall time of ``python bot.py ask "trade"``, and of ``python bot.py run`` from
  launch to its first getUpdates, each the median of --runs; baselines ``python -c pass``
  and ``python -c "import telegram"``;
- memory: resident memory of each bot process at start, end and peak (VmHWM);
- answer latency: seconds from pushing an inline query, and a button press, to the bot's
  answerInlineQuery / answerCallbackQuery, the bot idle in its long poll (median of --runs).
Also the CPU seconds each bot process and the loopback server (this process) used.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from testkit.botapi import FakeBotApi  # noqa: E402

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
BOT = [sys.executable, "bot.py", "run"]
ECHO_BOT = [sys.executable, "bench/echo_bot.py"]
# Updates pushed but not yet answered, at most: a steady stream at the bot's own pace, as
# Telegram delivers it, rather than one backlog of N updates read into memory at once.
WINDOW = 500


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


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def throughput(n: int, command: list[str]) -> dict[str, float]:
    with FakeBotApi() as api:
        proc = subprocess.Popen(command, cwd=ROOT, env=bot_env(api))
        try:
            api.wait_for("getUpdates", timeout=30, finished=False)
            rss_start = rss_kb(proc.pid, "VmRSS")
            cpu_start, server_start = cpu_seconds(proc.pid), time.process_time()
            start = time.perf_counter()
            for i in range(n):
                if i >= WINDOW and i % 100 == 0:
                    api.wait_for("sendMessage", count=i - WINDOW, timeout=120)
                question = QUESTIONS[i % len(QUESTIONS)]
                api.push_update(api.private_message(question, user_id=100_000 + i % 500))
            api.wait_for("sendMessage", count=n, timeout=max(120.0, n / 20))
            elapsed = time.perf_counter() - start
            figures = {
                "updates": n,
                "seconds": elapsed,
                "updates_per_s": n / elapsed,
                "cpu_ms_per_update": (cpu_seconds(proc.pid) - cpu_start) / n * 1000,
                "server_cpu_ms_per_update": (time.process_time() - server_start) / n * 1000,
                "rss_start_mb": rss_start / 1024,
                "rss_end_mb": rss_kb(proc.pid, "VmRSS") / 1024,
                "peak_rss_mb": rss_kb(proc.pid, "VmHWM") / 1024,
            }
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return figures


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bot_start_time(runs: int) -> float:
    times = []
    for _ in range(runs):
        with FakeBotApi() as api:
            t0 = time.perf_counter()
            proc = subprocess.Popen(BOT, cwd=ROOT, env=bot_env(api))
            try:
                api.wait_for("getUpdates", timeout=30, finished=False)
                times.append(time.perf_counter() - t0)
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return statistics.median(times)


def answer_latency(runs: int) -> dict[str, float]:
    inline, callback = [], []
    with FakeBotApi() as api:
        proc = subprocess.Popen(BOT, cwd=ROOT, env=bot_env(api))
        try:
            api.wait_for("getUpdates", timeout=30, finished=False)
            api.push_update(api.private_message("Vietnam Belarus"))
            [menu] = api.wait_for("sendMessage", timeout=30)
            for n in range(runs):
                time.sleep(0.2)  # the bot is idle in its long poll again
                started = time.monotonic()
                api.push_update(api.inline_query("visits 2023"))
                rec = api.wait_for("answerInlineQuery", count=n + 1, timeout=30)[n]
                inline.append(rec.time - started)
                time.sleep(0.2)
                started = time.monotonic()
                api.push_update(api.callback_query("t:visits", menu.result))
                rec = api.wait_for("answerCallbackQuery", count=n + 1, timeout=30)[n]
                callback.append(rec.time - started)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"inline_s": statistics.median(inline), "callback_s": statistics.median(callback)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    py = sys.executable
    figures = {
        "cold_ask_s": timed([py, "bot.py", "ask", "trade"], args.runs),
        "baseline_python_s": timed([py, "-c", "pass"], args.runs),
        "baseline_import_telegram_s": timed([py, "-c", "import telegram"], args.runs),
        "bot_first_get_updates_s": bot_start_time(max(1, args.runs // 2)),
        "answer_latency": answer_latency(args.runs),
        "bot": throughput(args.updates, BOT),
        "echo_baseline": throughput(args.updates, ECHO_BOT),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f'cold start  bot.py ask "trade"                 {figures["cold_ask_s"]:.3f} s')
    print(f"            baseline python -c pass             {figures['baseline_python_s']:.3f} s")
    print(
        f"            baseline import telegram            "
        f"{figures['baseline_import_telegram_s']:.3f} s"
    )
    print(
        f"            bot.py run to first getUpdates      "
        f"{figures['bot_first_get_updates_s']:.3f} s"
    )
    latency = figures["answer_latency"]
    print(f"latency     inline query answered               {latency['inline_s']:.3f} s")
    print(f"            button press answered               {latency['callback_s']:.3f} s")
    print(
        f"\n{args.updates} private questions   updates/s  CPU ms/update  server CPU ms  "
        f"RSS start  RSS end  peak RSS"
    )
    for name in ("bot", "echo_baseline"):
        r = figures[name]
        print(
            f"{name:<28} {r['updates_per_s']:>9.0f}  {r['cpu_ms_per_update']:>13.2f}  "
            f"{r['server_cpu_ms_per_update']:>13.2f}  {r['rss_start_mb']:>6.1f} MB "
            f"{r['rss_end_mb']:>5.1f} MB {r['peak_rss_mb']:>6.1f} MB"
        )


if __name__ == "__main__":
    main()
