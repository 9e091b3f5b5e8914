"""The error handler: log the failure (never the token), apologise to the user, carry on."""

from __future__ import annotations

import logging
from functools import partial

from telegram import Update
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from handlers.common import deliver, services
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
    if isinstance(error, TelegramError) and not isinstance(update, Update):
        # fetching updates failed (5xx, dropped connection, unreadable answer): PTB retries
        log.warning("Problem while talking to the Bot API: %s", error)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    if isinstance(error, Forbidden) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    ):
        # blocked by the user, Telegram unreachable or failing: not a bug of ours
        log.warning("Could not answer update %s: %s", update_id, error)
    else:
        log.error("Failed to handle update %s", update_id, exc_info=error)
    if not isinstance(update, Update) or isinstance(error, Forbidden):
        return
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    lang = services(context).reply_language(user)
    try:
        await deliver(partial(context.bot.send_message, chat.id, message("error", lang)))
    except Exception as exc:  # the apology is best effort: never raise from the error handler
        log.warning("Could not send the apology to chat %s: %s", chat.id, exc)
