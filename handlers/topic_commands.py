"""The topic commands (/trade, /visits, …) of the KB served now: after a reload that adds
or removes a topic, its command answers (or stops answering) at once."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import CommandHandler

from knowledge.model import KnowledgeBase
from runtime.live import LiveKnowledgeBase


class TopicCommandHandler(CommandHandler):
    __slots__ = ("_knowledge", "_commands_of")

    def __init__(
        self, knowledge: LiveKnowledgeBase, callback: Callable[..., Coroutine[Any, Any, None]]
    ) -> None:
        kb = knowledge.current
        super().__init__(_commands(kb) or frozenset({"topics_none"}), callback)
        self._knowledge = knowledge
        self._commands_of: KnowledgeBase = kb

    def check_update(self, update: object):
        kb = self._knowledge.current
        if kb is not self._commands_of:  # reloaded: follow the new KB's topics
            self.commands = _commands(kb)
            self._commands_of = kb
        return super().check_update(update)


def _commands(kb: KnowledgeBase) -> frozenset[str]:
    return frozenset(t.command for t in kb.topics.values())
