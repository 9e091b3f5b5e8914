"""Run the real diplofacts bot against the loopback Bot API (testkit/botapi), in process or as
``python bot.py run`` in a subprocess. Shared by the robustness tests and bench/soak.py."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
KB_DATA = ROOT / "knowledge" / "data"
ADMIN_ID = 4242


def run(coro: Any, timeout: float = 30.0) -> Any:
    """asyncio.run with a hard ceiling, so a hang fails instead of stalling the suite."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


def copy_kb(directory: Path) -> Path:
    """A copy of the shipped KB (knowledge/data/*.yaml) in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in KB_DATA.glob("*.yaml"):
        shutil.copy(path, directory / path.name)
    return directory


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def bot_config(api: Any, **overrides: Any) -> Any:
    from runtime.config import BotConfig

    settings: dict[str, Any] = {
        "token": api.token,
        "base_url": api.base_url,
        "admin_ids": frozenset({ADMIN_ID}),
        "db_path": None,
    }
    settings.update(overrides)
    return BotConfig(**settings)


@contextlib.asynccontextmanager
async def running_bot(
    api: Any,
    *,
    knowledge: Any = None,
    rate_limiter: bool = True,
    storage: Any = None,
    flood_gate: Any = None,
    **settings: Any,
) -> AsyncIterator[Any]:
    """The bot ``run`` builds, in process: ``build_application`` started in the order
    ``Application.run_polling`` uses (initialize, post_init, polling with the error callback
    it installs, start) and stopped the same way; its database closed after.

    ``settings`` are BotConfig fields over ``bot_config``'s (admin ADMIN_ID, no database).
    ``knowledge`` defaults to the shipped KB, loaded afresh; ``rate_limiter`` is on as in
    production (a test sending many messages to one group turns it off); ``storage`` and
    ``flood_gate`` default to the ones ``run`` builds from the settings."""
    from telegram import Update

    from handlers.app import build_application
    from handlers.flood import FloodGate
    from runtime.live import LiveKnowledgeBase
    from runtime.storage import open_storage

    config = bot_config(api, **settings)
    knowledge = knowledge or LiveKnowledgeBase()
    storage = storage if storage is not None else open_storage(config.db_path, config.database_url)
    flood_gate = flood_gate or FloodGate(limit=config.flood_limit)
    app = build_application(config, knowledge, storage, flood_gate, rate_limiter=rate_limiter)

    def error_callback(exc: Exception) -> None:  # what Application.run_polling passes
        app.create_task(app.process_error(error=exc, update=None))

    try:
        await app.initialize()
        try:
            await app.post_init(app)
            await app.updater.start_polling(
                poll_interval=0,
                timeout=1,
                allowed_updates=Update.ALL_TYPES,
                error_callback=error_callback,
            )
            await app.start()
            try:
                yield app
            finally:
                await app.updater.stop()
                await app.stop()
        finally:
            await app.shutdown()
            await app.post_shutdown(app)
    finally:
        app.bot_data["services"].storage.close()


def texts_to(api: Any, chat_id: int) -> list[str]:
    """Texts of the messages the bot sent to ``chat_id`` (server state), in order."""
    return [m["text"] for m in api.sent_messages(chat_id)]


def send_calls(api: Any, chat_id: int) -> list[Any]:
    return [r for r in api.calls("sendMessage") if r.get_int("chat_id") == chat_id]


# --------------------------------------------------------------------------- subprocess


# what the bot reads from its environment: none is inherited from the one running the tests
_SETTING_PREFIXES = ("TELEGRAM_", "WEBHOOK_", "DIPLOFACTS_", "KB_")
_SETTINGS = ("PORT", "HEALTH_PORT", "LOG_LEVEL", "FLOOD_LIMIT", "ADMIN_IDS", "DATABASE_URL")


def environment_without_settings(**settings: str) -> dict[str, str]:
    """This process's environment minus every bot setting (a developer's own token, PORT,
    LOG_LEVEL ...), plus ``settings``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(_SETTING_PREFIXES) and k not in _SETTINGS
    }
    env.update(settings)
    return env


def bot_py(
    *args: str,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 120.0,
) -> subprocess.CompletedProcess[str]:
    """``python bot.py ARGS`` run to its end in the checkout, output captured; ``env`` is the
    whole environment (default: this process's)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), *args],
        cwd=ROOT,
        env=None if env is None else dict(env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


_SIGINT = signal.SIGINT  # BotProcess.signal() hides the module in its class body


def memory_kib(pid: int, field: str) -> int | None:
    """A memory figure (``VmRSS``, ``VmHWM`` ...) of process ``pid`` in KiB from
    /proc/PID/status (Linux); None when unavailable."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(rf"^{field}:\s+(\d+)\s+kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


class BotProcess:
    """``python bot.py run`` (of this checkout, or of ``root``) as a subprocess aimed at a
    FakeBotApi; its log (stderr and stdout) is collected line by line in ``lines``. Its
    environment: ``inherit`` (default: this process's), the fake API's token and URL, no
    database, then ``env``."""

    def __init__(
        self,
        api: Any,
        env: dict[str, str] | None = None,
        *,
        token: str | None = None,
        args: tuple[str, ...] = (),
        root: Path = ROOT,
        inherit: Mapping[str, str] | None = None,
    ):
        self.env = {
            **(os.environ if inherit is None else inherit),
            "TELEGRAM_BOT_TOKEN": token or api.token,
            "TELEGRAM_BASE_URL": api.base_url,
            "DIPLOFACTS_DB": "off",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.lines: list[str] = []
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(
            [sys.executable, str(root / "bot.py"), "run", *args],
            cwd=root,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    @property
    def log(self) -> str:
        with self._cond:
            return "\n".join(self.lines)

    def wait_log(self, pattern: str | Callable[[str], bool], timeout: float = 20.0) -> str:
        """The first log line (from the start) matching ``pattern`` (a regex or predicate)."""
        match = pattern if callable(pattern) else re.compile(pattern).search
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if match(line):
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(
                        f"no log line matching {pattern!r} in {timeout}s; log:\n"
                        + "\n".join(self.lines[-60:])
                    )
                self._cond.wait(min(remaining, 0.2))

    def rss_kib(self) -> int | None:
        """The bot process's resident memory now (VmRSS) in KiB."""
        return memory_kib(self.pid, "VmRSS")

    def peak_kib(self) -> int | None:
        """The bot process's resident memory at its peak so far (VmHWM) in KiB."""
        return memory_kib(self.pid, "VmHWM")

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def stop(self, timeout: float = 20.0, signum: int = _SIGINT) -> int:
        """SIGINT (run_polling's graceful stop; SIGTERM is a process manager's) and its exit
        code; SIGKILL if it does not exit in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(5)
        return int(self.proc.returncode)

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class BotThread:
    """``running_bot`` (same options) in a background thread with its own event loop, so
    that a blocking test (hypothesis, ``api.wait_for``) can drive it:
    ``with BotThread(api) as app: ...``."""

    def __init__(self, api: Any, **options: Any):
        self.api, self.options = api, options
        self.app: Any = None
        self.error: BaseException | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bot", daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            async with running_bot(self.api, **self.options) as app:
                self.app = app
                self._ready.set()
                while not self._stop.is_set():
                    await asyncio.sleep(0.02)

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported by start/stop
            self.error = exc
        finally:
            self._ready.set()

    def start(self, timeout: float = 20.0) -> Any:
        self._thread.start()
        if not self._ready.wait(timeout) or self.error is not None:
            raise RuntimeError("the bot did not start") from self.error
        return self.app

    def stop(self, timeout: float = 20.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("the bot thread did not stop")
        if self.error is not None:
            raise RuntimeError("the bot thread failed") from self.error

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
