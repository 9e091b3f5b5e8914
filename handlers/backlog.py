"""A bounded backlog for long polling: nothing confirmed to Telegram sits unanswered for long.

Telegram forgets an update once a getUpdates call asks for a higher offset; PTB asks right
after queueing a batch of up to 100, so a kill (SIGKILL, OOM, a crash) lost every update that
was fetched but not yet answered: 481 of a 600-question burst. Here the update queue counts
the updates fetched and not yet finished (``put`` … ``task_done``, which the Application
calls after handling each one), and the getUpdates request waits until that backlog is at
most ``MAX_UNANSWERED`` before it goes out, asking for at most ``FETCH_LIMIT``. A kill
therefore loses at most ``MAX_UNANSWERED`` updates; the fetched but unconfirmed ones come back
after a restart (and may be answered twice: at most ``FETCH_LIMIT`` of them).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram.request import RequestData

log = logging.getLogger("diplofacts.backlog")
MAX_UNANSWERED = 8  # = the concurrent updates: fetch again as soon as a worker is free
FETCH_LIMIT = 16  # updates per getUpdates: the workers' next round, ready when they are
STUCK_AFTER = 60.0  # seconds: a backlog that does not drain must not stop polling for good


class BacklogQueue(asyncio.Queue):
    """The Application's update queue; ``unanswered`` is fetched-but-unfinished updates."""

    def __init__(self) -> None:
        super().__init__()
        self._waiters: list[asyncio.Future[None]] = []

    @property
    def unanswered(self) -> int:
        return self._unfinished_tasks  # put() adds one, task_done() takes one

    def task_done(self) -> None:
        super().task_done()
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait_until_at_most(self, limit: int, timeout: float = STUCK_AFTER) -> bool:
        """True once ``unanswered <= limit``; False (logged) after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.unanswered > limit:
            remaining = deadline - loop.time()
            if remaining <= 0:
                log.warning(
                    "%d updates still unanswered after %.0f s; fetching more anyway",
                    self.unanswered,
                    timeout,
                )
                return False
            waiter = loop.create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass
        return True


class _LimitedRequestData(RequestData):
    """getUpdates' parameters with ``limit`` added (PTB's Updater never passes one)."""

    __slots__ = ("limit",)

    def __init__(self, original: RequestData, limit: int) -> None:
        super().__init__(list(original._parameters))
        self.limit = limit

    @property
    def json_parameters(self) -> dict[str, str]:
        return {**super().json_parameters, "limit": str(self.limit)}

    @property
    def parameters(self) -> dict[str, Any]:
        return {**super().parameters, "limit": self.limit}


async def before_get_updates(
    queue: BacklogQueue | None, request_data: RequestData | None
) -> RequestData | None:
    """Wait for the backlog to drain, then the request data to send (with its limit)."""
    if queue is None:
        return request_data
    await queue.wait_until_at_most(MAX_UNANSWERED)
    if request_data is None:
        return None
    return _LimitedRequestData(request_data, FETCH_LIMIT)
