"""Free-text questions: every message in a private chat; in groups only messages that
mention the bot or reply to one of its messages."""

from __future__ import annotations

import re
import time
from functools import partial

from telegram import Message, MessageEntity, Update
from telegram.ext import ContextTypes, filters

from handlers.common import conversation_key, deliver, send_answer, services
from knowledge.answer import answer_question
from knowledge.messages import message as message_text
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
        entities = (
            message.parse_entities([MessageEntity.MENTION])
            if message.text is not None
            else message.parse_caption_entities([MessageEntity.MENTION])
        )
        return any(text.lower() == mention for text in entities.values())


ADDRESSED_TO_BOT = AddressedToBot()


def _without_mention(text: str, username: str) -> str:
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question with sourced facts; in groups, as a reply to the asking message."""
    started = time.perf_counter()
    svc = services(context)
    kb = svc.knowledge.current
    message = update.effective_message
    # a photo's caption is a question too
    text = _without_mention(message.text or message.caption or "", context.bot.username or "")
    user = update.effective_user
    conversation = conversation_key(message, user)
    chosen, preferred = svc.languages(user)
    answer = answer_question(
        kb,
        text,
        lang=chosen,
        preferred_lang=preferred,
        context=svc.conversations.context(conversation),
    )
    svc.conversations.remember(conversation, answer)
    metrics = context.application.bot_data.get("metrics")
    if answer.kind in UNANSWERED:
        svc.storage.record_unanswered(text, answer.lang)
        if metrics is not None:
            metrics.unanswered.inc()
    await send_answer(
        message,
        answer,
        kb,
        quote=update.effective_chat.type != "private",
        pages=svc.pages,
    )
    if metrics is not None:
        metrics.answers.get(answer.kind.value).inc()
        metrics.latency.observe(time.perf_counter() - started)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private /foo that no handler knows: a short pointer to /help, not silence."""
    lang = services(context).reply_language(update.effective_user)
    await deliver(
        partial(update.effective_message.reply_text, message_text("unknown_command", lang))
    )


async def not_a_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private sticker, voice note, photo without caption …: say what the bot can read."""
    lang = services(context).reply_language(update.effective_user)
    await deliver(partial(update.effective_message.reply_text, message_text("not_text", lang)))
