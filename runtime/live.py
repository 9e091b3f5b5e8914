"""The knowledge base a running bot serves, replaced only by a fully valid new one."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from knowledge.loader import KnowledgeBaseError, Problem, kb_directory, load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import KnowledgeBase
from knowledge.settings import positive_setting

KB_RELOAD_BUDGET_ENV = "KB_RELOAD_BUDGET"
DEFAULT_RELOAD_BUDGET = 60.0  # seconds; the shipped KB loads and indexes in ~0.1 s


def reload_budget(env: Mapping[str, str] | None = None) -> float:
    """$KB_RELOAD_BUDGET (seconds) or 60; anything not a positive number: 60."""
    return positive_setting(KB_RELOAD_BUDGET_ENV, DEFAULT_RELOAD_BUDGET, env)


class LiveKnowledgeBase:
    """Holds the current KB. ``reload`` swaps in a new one only after it validated in full
    and its index is built; answers already running keep the KB object they started with.

    ``reload_async`` is what the running bot uses: the load and the index build run in a
    worker thread (never on the event loop), within ``budget`` seconds, and requests that
    arrive while one runs are merged into one more run after it."""

    def __init__(self, directory: str | Path | None = None, *, budget: float | None = None):
        self.directory = directory
        self.budget = reload_budget() if budget is None else budget
        self._lock = threading.Lock()
        self.loaded_at = 0.0  # time.time() when the KB now served went live
        self.load_seconds = 0.0  # how long loading and indexing it took
        self._current = self._load()
        self._went_live(self._started)
        self._running: asyncio.Future[tuple[KnowledgeBase, list[Problem]]] | None = None
        self._next: asyncio.Future[tuple[KnowledgeBase, list[Problem]]] | None = None
        self.runs = 0  # how many loads reload_async started (merged requests count once)

    def _load(self, deadline: float | None = None) -> KnowledgeBase:
        self._started = time.monotonic()
        kb = load_knowledge_base(self.directory)
        if deadline is not None and time.monotonic() > deadline:
            raise _OverBudget
        index_for(kb)  # build before it goes live, so the first question is not slower
        if deadline is not None and time.monotonic() > deadline:
            raise _OverBudget
        return kb

    @property
    def current(self) -> KnowledgeBase:
        return self._current

    def reload(self, deadline: float | None = None) -> tuple[KnowledgeBase, list[Problem]]:
        """(the KB now served, problems); with problems, the previous KB stays. Blocking:
        a running bot calls ``reload_async``."""
        with self._lock:
            try:
                fresh = self._load(deadline)
            except KnowledgeBaseError as exc:
                return self._current, exc.problems
            except _OverBudget:
                return self._current, [self._over_budget()]
            except (RecursionError, MemoryError) as exc:  # a last line of defence
                where = str(kb_directory(self.directory))
                return self._current, [Problem(where, None, "(load)", f"refused: {exc!r}")]
            self._current = fresh
            self._went_live(self._started)
            return fresh, []

    def _went_live(self, started: float) -> None:
        self.load_seconds = time.monotonic() - started
        self.loaded_at = time.time()

    def _over_budget(self) -> Problem:
        return Problem(
            str(kb_directory(self.directory)),
            None,
            "(load)",
            f"loading and indexing took longer than {self.budget:g} s "
            f"({KB_RELOAD_BUDGET_ENV}); refused",
        )

    async def reload_async(self) -> tuple[KnowledgeBase, list[Problem]]:
        """``reload`` off the event loop, within the budget. A request arriving while a load
        runs waits for one more load that starts after it (the files may have changed since
        the running one read them); all requests arriving meanwhile share that one."""
        if self._running is None:
            self._running = asyncio.ensure_future(self._run_then_next())
            return await asyncio.shield(self._running)
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        return await asyncio.shield(self._next)

    async def _run_then_next(self) -> tuple[KnowledgeBase, list[Problem]]:
        try:
            result = await self._run_once()
        finally:
            waiting, self._next = self._next, None
            if waiting is not None:
                self._running = asyncio.ensure_future(self._run_then_next())
                self._running.add_done_callback(lambda done, w=waiting: _settle(w, done))
            else:
                self._running = None
        return result

    async def _run_once(self) -> tuple[KnowledgeBase, list[Problem]]:
        self.runs += 1
        deadline = time.monotonic() + self.budget
        work = asyncio.ensure_future(asyncio.to_thread(self.reload, deadline))
        try:
            # the thread checks the deadline itself too, so a late load never goes live
            return await asyncio.wait_for(asyncio.shield(work), self.budget + 1.0)
        except TimeoutError:
            # still parsing (one huge step): it will see the deadline and be discarded
            return self._current, [self._over_budget()]


class _OverBudget(Exception):
    pass


def _settle(target: asyncio.Future, done: asyncio.Future) -> None:
    if target.done():
        return
    if done.cancelled():
        target.cancel()
    elif done.exception() is not None:
        target.set_exception(done.exception())
    else:
        target.set_result(done.result())
