"""What every handler shares: the services in bot_data, the reply language, and sending an
answer as HTML messages with its buttons."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    User,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.retry import surely_not_delivered  # noqa: F401 (moved there; re-exported)
from knowledge.buttons import answer_buttons, sources_buttons, timeline_buttons
from knowledge.language import choose_language
from knowledge.memory import AnswerPages, ConversationMemory
from knowledge.model import Answer, KnowledgeBase
from knowledge.render import page_count, render_html
from runtime.live import LiveKnowledgeBase
from runtime.storage import BaseStorage, Storage

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

log = logging.getLogger("diplofacts.send")
T = TypeVar("T")


@dataclass(slots=True)
class Services:
    """What handlers use besides the update: the KB, the database, who is an admin."""

    knowledge: LiveKnowledgeBase
    storage: BaseStorage = field(default_factory=lambda: Storage(None))
    admin_ids: frozenset[int] = frozenset()
    conversations: ConversationMemory = field(default_factory=ConversationMemory)
    pages: AnswerPages = field(default_factory=AnswerPages)

    def preferred_language(self, user: User | None) -> str | None:
        """The user's /lang choice, else the language of their Telegram app."""
        if user is None:
            return None
        return self.storage.language_of(user.id) or user.language_code

    def reply_language(self, user: User | None) -> str:
        """The language for a reply that answers no question (menus, notices, apologies)."""
        return choose_language("", self.preferred_language(user))

    def chosen_language(self, user: User | None) -> str | None:
        """The language the user set with /lang: it wins over the question's own language."""
        return self.storage.language_of(user.id) if user is not None else None

    def languages(self, user: User | None) -> tuple[str | None, str | None]:
        """``chosen_language`` and ``preferred_language`` from one read of the /lang choice:
        with a shared database every read is a round trip on the event loop."""
        chosen = self.chosen_language(user)
        return chosen, (chosen or user.language_code) if user is not None else None


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def conversation_key(message: Message, user: User | None) -> tuple[int, ...]:
    """Whose follow-ups continue whose questions: the chat in private, each user in a group."""
    if message.chat.type == "private" or user is None:
        return (message.chat.id,)
    return (message.chat.id, user.id)


def answer_keyboard(
    answer: Answer, kb: KnowledgeBase, *, pages_token: str | None = None, page: int = 0
) -> InlineKeyboardMarkup | None:
    """The core's buttons for ``answer`` (``knowledge.buttons``) as Telegram's keyboard."""
    rows = answer_buttons(answer, kb, pages_token=pages_token, page=page)
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def sources_keyboard(kb: KnowledgeBase, lang: str, page: int) -> InlineKeyboardMarkup | None:
    rows = sources_buttons(kb, lang, page)
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


def timeline_keyboard(lang: str, page: int, pages: int, words: str) -> InlineKeyboardMarkup | None:
    rows = timeline_buttons(lang, page, pages, words)
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.data) for b in row] for row in rows]
    )


async def deliver(send: Callable[[], Awaitable[T]]) -> T:
    """``await send()``. The resending when Telegram surely did not act (5xx, a refused
    connection) now happens beneath every Bot API call, in ``handlers.retry``; this stays
    so that callers need not change."""
    return await send()


async def send_answer(
    message: Message,
    answer: Answer,
    kb: KnowledgeBase,
    *,
    quote: bool = False,
    pages: AnswerPages | None = None,
) -> list[Message]:
    """Send the answer as one or more HTML messages; the buttons go on the last one. With
    ``pages``, an answer with more than the reply shows gets a "More" button."""
    parts = render_html(answer, kb)
    token = None
    if pages is not None and page_count(answer) > 1:
        token = pages.keep(message.chat.id, answer, kb)
    keyboard = answer_keyboard(answer, kb, pages_token=token)
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(
            await deliver(
                partial(
                    message.reply_text,
                    part,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                    reply_markup=keyboard if last else None,
                    do_quote=quote and i == 0,
                )
            )
        )
    return sent
