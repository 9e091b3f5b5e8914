"""SIGHUP reloads the knowledge base of a running bot; one that arrives during start-up is
remembered and carried out once the bot is ready."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading


class EarlySighup:
    """SIGHUP from the first instant of ``run``: Python's default would kill the process
    without a log line. Until the bot is ready a SIGHUP is only remembered; ``hand_over``
    then installs the real reload on the event loop and runs it once for any that came."""

    def __init__(self) -> None:
        self.pending = 0
        self._tasks: set = set()  # running reloads (asyncio keeps only weak references)

    def install(self) -> None:
        if hasattr(signal, "SIGHUP") and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGHUP, self._remember)

    def _remember(self, signum, frame) -> None:
        self.pending += 1

    def hand_over(self, make_reload) -> None:
        """``make_reload()`` returns the coroutine one SIGHUP runs (on the running loop)."""
        log = logging.getLogger("diplofacts")
        loop = asyncio.get_running_loop()

        def reload() -> None:
            task = loop.create_task(make_reload())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        try:
            loop.add_signal_handler(signal.SIGHUP, reload)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            log.info("SIGHUP reload is not available here (not the main thread)")
            return
        if self.pending:
            log.info("SIGHUP arrived during start-up (%d×): reloading now", self.pending)
            self.pending = 0
            reload()


EARLY_SIGHUP = EarlySighup()
