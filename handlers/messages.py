"""Free-text questions: every message in a private chat; in groups only messages that
mention the bot or reply to one of its messages."""

from __future__ import annotations

import re

from telegram import Message, MessageEntity, Update
from telegram.ext import ContextTypes, filters

from handlers.common import conversation_key, send_answer, services
from knowledge.answer import answer_question
from knowledge.model import AnswerKind

# Answers without facts that tell the operators what the KB lacks (greetings do not).
UNANSWERED = (AnswerKind.UNKNOWN, AnswerKind.SUGGESTIONS, AnswerKind.OUT_OF_SCOPE)


class AddressedToBot(filters.MessageFilter):
    """A group message that @-mentions this bot or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and reply.from_user.id == bot.id:
            return True
        mention = f"@{bot.username}".lower()
        return any(
            text.lower() == mention
            for text in message.parse_entities([MessageEntity.MENTION]).values()
        )


ADDRESSED_TO_BOT = AddressedToBot()


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question with sourced facts; in groups, as a reply to the asking message."""
    svc = services(context)
    kb = svc.knowledge.current
    message = update.effective_message
    text = _without_mention(message.text or "", context.bot.username or "")
    user = update.effective_user
    conversation = conversation_key(message, user)
    answer = answer_question(
        kb,
        text,
        lang=svc.chosen_language(user),
        preferred_lang=svc.preferred_language(user),
        context=svc.conversations.context(conversation),
    )
    svc.conversations.remember(conversation, answer)
    if answer.kind in UNANSWERED:
        svc.storage.record_unanswered(text, answer.lang)
    await send_answer(
        message,
        answer,
        kb,
        quote=update.effective_chat.type != "private",
        pages=svc.pages,
    )
