"""Bounded, expiring memories of recent answers: what a follow-up continues ("and in
2022?") and what a "More" button pages through. In memory only: a restart forgets them,
which costs a user one repeated question, and nothing personal is ever written to disk."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from knowledge.model import Answer, Context, KnowledgeBase

V = TypeVar("V")

# A follow-up more than 10 minutes after its question starts a new conversation.
CONTEXT_TTL_SECONDS = 600.0
# A few thousand chats at once; the least recently used is forgotten first.
CONTEXT_MAX_CHATS = 5000
# "More" pages stay available for a day, for the most recent answers.
PAGES_TTL_SECONDS = 24 * 3600.0
PAGES_MAX_ANSWERS = 5000


class ExpiringLRU(Generic[V]):
    """A mapping that keeps at most ``max_items`` items, each for ``ttl`` seconds."""

    def __init__(
        self, max_items: int, ttl: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_items = max_items
        self.ttl = ttl
        self.clock = clock
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            stored, value = item
            if self.clock() - stored > self.ttl:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = (self.clock(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class ConversationMemory:
    """The context of each conversation's last answer (per chat; per user inside groups)."""

    def __init__(self, max_chats: int = CONTEXT_MAX_CHATS, ttl: float = CONTEXT_TTL_SECONDS):
        self._store: ExpiringLRU[Context] = ExpiringLRU(max_chats, ttl)

    def context(self, conversation: Hashable) -> Context | None:
        return self._store.get(conversation)

    def remember(self, conversation: Hashable, answer: Answer) -> None:
        if answer.context is not None:
            self._store.put(conversation, answer.context)


class AnswerPages:
    """Answers whose "More" button may be pressed, under a short random token that fits in
    Telegram's 64-byte callback data. The token is checked against the chat it was sent to,
    so a forged or guessed token from another chat pages nothing."""

    TOKEN_BYTES = 6  # 8 characters of URL-safe base64

    def __init__(self, max_answers: int = PAGES_MAX_ANSWERS, ttl: float = PAGES_TTL_SECONDS):
        self._store: ExpiringLRU[tuple[Hashable, Answer, KnowledgeBase]] = ExpiringLRU(
            max_answers, ttl
        )

    def keep(self, owner: Hashable, answer: Answer, kb: KnowledgeBase) -> str:
        """Keep the answer with the KB it came from: a reload in between must not leave a
        page citing a source the new KB lacks."""
        token = secrets.token_urlsafe(self.TOKEN_BYTES)
        self._store.put(token, (owner, answer, kb))
        return token

    def find(self, owner: Hashable, token: str) -> tuple[Answer, KnowledgeBase] | None:
        item = self._store.get(token)
        if item is None or item[0] != owner:
            return None
        return item[1], item[2]
