"""What every handler shares: the services in bot_data, the reply language, and sending an
answer as HTML messages with its buttons."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    User,
)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from knowledge.live import LiveKnowledgeBase
from knowledge.model import Answer, AnswerKind, KnowledgeBase
from knowledge.render import render_html, topic_label
from knowledge.storage import Storage

CALLBACK_TOPIC = "t:"
CALLBACK_SOURCES = "src"
CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


@dataclass(slots=True)
class Services:
    """What handlers use besides the update: the KB, the database, who is an admin."""

    knowledge: LiveKnowledgeBase
    storage: Storage = field(default_factory=lambda: Storage(None))
    admin_ids: frozenset[int] = frozenset()

    def preferred_language(self, user: User | None) -> str | None:
        """The user's /lang choice, else the language of their Telegram app."""
        if user is None:
            return None
        return self.storage.language_of(user.id) or user.language_code


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]


def callback_data(kind: str, value: str = "") -> str | None:
    data = f"{kind}{value}"
    return data if len(data.encode("utf-8")) <= CALLBACK_LIMIT else None


def answer_keyboard(answer: Answer, kb: KnowledgeBase) -> InlineKeyboardMarkup | None:
    """Buttons for suggested topics; a Sources button under a factual reply."""
    rows: list[list[InlineKeyboardButton]] = []
    topics = answer.suggestions if answer.kind is not AnswerKind.FACTS else ()
    buttons = []
    for topic_id in topics:
        data = callback_data(CALLBACK_TOPIC, topic_id)
        if data and topic_id in kb.topics:
            buttons.append(
                InlineKeyboardButton(topic_label(kb, topic_id, answer.lang), callback_data=data)
            )
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if answer.kind is AnswerKind.FACTS:
        from knowledge.messages import message

        rows.append(
            [InlineKeyboardButton(message("sources", answer.lang), callback_data=CALLBACK_SOURCES)]
        )
    return InlineKeyboardMarkup(rows) if rows else None


async def send_answer(
    message: Message, answer: Answer, kb: KnowledgeBase, *, quote: bool = False
) -> list[Message]:
    """Send the answer as one or more HTML messages; the buttons go on the last one."""
    parts = render_html(answer, kb)
    keyboard = answer_keyboard(answer, kb)
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(
            await message.reply_text(
                part,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                reply_markup=keyboard if last else None,
                do_quote=quote and i == 0,
            )
        )
    return sent
