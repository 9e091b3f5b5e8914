"""Flood control: a user sending more than N updates in a window gets one notice and is
ignored until the window has passed; other users are not affected."""

from __future__ import annotations

import time
from collections import defaultdict, deque

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes

from handlers.common import services
from knowledge.messages import message


class FloodGate:
    def __init__(self, limit: int = 8, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[int, deque[float]] = defaultdict(deque)
        self._warned: set[int] = set()
        self._swept = float("-inf")

    def admit(self, user_id: int, now: float | None = None) -> tuple[bool, bool]:
        """(admitted, warn): warn is True once per flood, on the first refused update."""
        now = time.monotonic() if now is None else now
        if now - self._swept >= self.window:
            self._sweep(now)
        seen = self._seen[user_id]
        while seen and now - seen[0] >= self.window:
            seen.popleft()
        if len(seen) < self.limit:
            seen.append(now)
            if len(seen) == 1:  # a fresh window: a later flood earns a new notice
                self._warned.discard(user_id)
            return True, False
        if user_id in self._warned:
            return False, False
        self._warned.add(user_id)
        return False, True

    def _sweep(self, now: float) -> None:
        """Forget users quiet for a whole window (about 1 KB each: a public bot meets
        millions of users)."""
        self._swept = now
        for user_id in [
            u for u, seen in self._seen.items() if not seen or now - seen[-1] >= self.window
        ]:
            del self._seen[user_id]
            self._warned.discard(user_id)

    def remembered(self) -> int:
        """How many users the gate currently keeps timestamps for."""
        return len(self._seen)


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every other handler (group -1)."""
    user = update.effective_user
    gate: FloodGate | None = context.application.bot_data.get("flood")
    if user is None or gate is None:
        return
    admitted, warn = gate.admit(user.id)
    if admitted:
        return
    if warn and update.effective_message is not None:
        lang = services(context).reply_language(user)
        await update.effective_message.reply_text(message("flood", lang))
    raise ApplicationHandlerStop
