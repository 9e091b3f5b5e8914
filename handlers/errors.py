"""The error handler: log the failure (never the token), apologise to the user, carry on."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Conflict, Forbidden, NetworkError, TimedOut
from telegram.ext import ContextTypes

from handlers.common import services
from knowledge.language import choose_language
from knowledge.messages import message

log = logging.getLogger("diplofacts.errors")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if isinstance(error, Conflict):
        log.error(
            "Another bot instance is polling with this token (Telegram answered "
            "Conflict). Stop the other instance or switch one of them to a webhook; "
            "this one keeps retrying."
        )
        return
    if isinstance(error, (TimedOut, NetworkError)) and not isinstance(update, Update):
        log.warning("Network problem while talking to the Bot API: %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Failed to handle update %s", update_id, exc_info=error)
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    lang = choose_language("", services(context).preferred_language(user))
    try:
        await context.bot.send_message(chat.id, message("error", lang))
    except Exception as exc:  # the apology is best effort: never raise from the error handler
        log.warning("Could not send the apology to chat %s: %s", chat.id, exc)
