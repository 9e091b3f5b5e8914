"""Flood control: a user sending more than N updates in a window gets one notice and is
ignored until the window has passed; other users are not affected.

Only what the bot acts on is counted (an update some handler would take): group chatter the
bot ignores costs nothing, so it can never earn a notice. Inline queries, one per keystroke,
have their own, larger budget; a flooded one gets an empty answer, never the notice (it has
no chat). Anonymous group admins all arrive as one user id: they are counted per chat.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Hashable

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from handlers.common import services
from knowledge.messages import message


class FloodGate:
    def __init__(self, limit: int = 8, window: float = 10.0) -> None:
        self.limit = limit
        self.window = window
        self._seen: dict[Hashable, deque[float]] = defaultdict(deque)
        self._warned: set[Hashable] = set()
        self._swept = float("-inf")

    def admit(self, user_id: Hashable, now: float | None = None) -> tuple[bool, bool]:
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


INLINE_FACTOR = 4  # inline queries come one per keystroke: 4 x the budget of messages
ANONYMOUS_ADMIN_ID = 1087968824  # @GroupAnonymousBot, the sender of anonymous admins' posts


def flood_key(update: Update) -> Hashable | None:
    """Whose budget an update spends: the sender's, or the chat's for anonymous admins and
    posts sent on behalf of a chat (all of them share one user id or none)."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is not None and chat is not None:
        anonymous = user is None or user.id == ANONYMOUS_ADMIN_ID or message.sender_chat
        if anonymous:
            return ("chat", chat.id)
    return ("user", user.id) if user is not None else None


def acted_on(update: Update, application: Application) -> bool:
    """True if some handler (beyond the guard's group) would take the update."""
    for group in sorted(g for g in application.handlers if g >= 0):
        for handler in application.handlers[group]:
            check = handler.check_update(update)
            if check is not None and check is not False:
                return True
    return False


UPDATE_KINDS = (
    "message",
    "callback_query",
    "inline_query",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "chosen_inline_result",
    "my_chat_member",
    "chat_member",
)


def update_kind(update: Update) -> str:
    """The metrics label of an update: which of its fields is set (rarer kinds: "other")."""
    for kind in UPDATE_KINDS:
        if getattr(update, kind) is not None:
            return kind
    return "other"


async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every other handler (group -1): counts the update, then the flood gate."""
    application = context.application
    metrics = application.bot_data.get("metrics")
    if metrics is not None:
        metrics.updates.get(update_kind(update)).inc()
    gate: FloodGate | None = application.bot_data.get("flood")
    key = flood_key(update)
    if gate is None or key is None or not acted_on(update, application):
        return  # chatter, or an update no handler takes: not counted, never noticed
    if update.inline_query is not None:
        inline_gate: FloodGate = application.bot_data.setdefault(
            "flood_inline", FloodGate(limit=gate.limit * INLINE_FACTOR, window=gate.window)
        )
        if inline_gate.admit(key)[0]:
            return
        if metrics is not None:
            metrics.flood_refusals.get("inline").inc()
        await update.inline_query.answer([], cache_time=0, is_personal=True)
        raise ApplicationHandlerStop
    admitted, warn = gate.admit(key)
    if admitted:
        return
    if metrics is not None:
        metrics.flood_refusals.get("callback" if update.callback_query else "message").inc()
    lang = services(context).reply_language(update.effective_user)
    if update.callback_query is not None:  # stop the button's spinner; the notice once
        await update.callback_query.answer(message("flood", lang) if warn else None)
    elif warn and update.effective_message is not None:
        await update.effective_message.reply_text(message("flood", lang))
    raise ApplicationHandlerStop
