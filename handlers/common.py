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
from knowledge.language import choose_language
from knowledge.memory import AnswerPages, ConversationMemory
from knowledge.messages import message as text_of
from knowledge.model import Answer, AnswerKind, KnowledgeBase
from knowledge.render import PAGE_SIZE, page_count, render_html, topic_label
from runtime.live import LiveKnowledgeBase
from runtime.storage import Storage

# Button data: "t:<topic>:<lang>" answers a topic, "src:<lang>" lists the sources, each in the
# language of the reply the button is on; "m:<token>:<page>" shows a page of a longer answer.
CALLBACK_TOPIC = "t:"
CALLBACK_SOURCES = "src:"
CALLBACK_PAGE = "m:"
CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

log = logging.getLogger("diplofacts.send")
T = TypeVar("T")


@dataclass(slots=True)
class Services:
    """What handlers use besides the update: the KB, the database, who is an admin."""

    knowledge: LiveKnowledgeBase
    storage: Storage = field(default_factory=lambda: Storage(None))
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


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def callback_data(kind: str, *values: str) -> str | None:
    data = kind + ":".join(values)
    return data if len(data.encode("utf-8")) <= CALLBACK_LIMIT else None


def parse_callback(data: str) -> tuple[str, list[str]]:
    """("t:", ["trade", "vi"]) for "t:trade:vi"; ("", []) for data we never sent."""
    for kind in (CALLBACK_TOPIC, CALLBACK_SOURCES, CALLBACK_PAGE):
        if data.startswith(kind):
            return kind, data[len(kind) :].split(":")
    return "", []


def conversation_key(message: Message, user: User | None) -> tuple[int, ...]:
    """Whose follow-ups continue whose questions: the chat in private, each user in a group."""
    if message.chat.type == "private" or user is None:
        return (message.chat.id,)
    return (message.chat.id, user.id)


def page_buttons(answer: Answer, token: str | None, page: int) -> list[InlineKeyboardButton]:
    """ "Back" and "More (n)" for a paged answer; none when it fits one page."""
    pages = page_count(answer)
    if token is None or pages <= 1:
        return []
    buttons = []
    if page > 0:
        data = callback_data(CALLBACK_PAGE, token, str(page - 1))
        if data:
            label = "« " + text_of("previous_button", answer.lang)
            buttons.append(InlineKeyboardButton(label, callback_data=data))
    if page + 1 < pages:
        data = callback_data(CALLBACK_PAGE, token, str(page + 1))
        left = len(answer.more) - page * PAGE_SIZE
        if data:
            label = f"{text_of('more_button', answer.lang)} ({left}) »"
            buttons.append(InlineKeyboardButton(label, callback_data=data))
    return buttons


def answer_keyboard(
    answer: Answer, kb: KnowledgeBase, *, pages_token: str | None = None, page: int = 0
) -> InlineKeyboardMarkup | None:
    """Buttons for suggested topics; under a factual reply, "More" when there is more, and
    one that lists every source."""
    rows: list[list[InlineKeyboardButton]] = []
    topics = answer.suggestions if answer.kind is not AnswerKind.FACTS else ()
    buttons = []
    for topic_id in topics:
        data = callback_data(CALLBACK_TOPIC, topic_id, answer.lang)
        if data and topic_id in kb.topics:
            buttons.append(
                InlineKeyboardButton(topic_label(kb, topic_id, answer.lang), callback_data=data)
            )
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    paging = page_buttons(answer, pages_token, page)
    if paging:
        rows.append(paging)
    if answer.kind is AnswerKind.FACTS or answer.related is not None:
        data = callback_data(CALLBACK_SOURCES, answer.lang)
        rows.append([InlineKeyboardButton(text_of("sources", answer.lang), callback_data=data)])
    return InlineKeyboardMarkup(rows) if rows else None


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
