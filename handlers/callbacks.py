"""Button presses: a suggested topic or "Sources" answers in place of the message."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.commands import sources_html
from handlers.common import (
    CALLBACK_SOURCES,
    CALLBACK_TOPIC,
    NO_PREVIEW,
    answer_keyboard,
    services,
)
from knowledge.answer import answer_question
from knowledge.render import render_html


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    # Acknowledge first: Telegram shows a spinner until the callback is answered.
    await query.answer()
    svc = services(context)
    kb = svc.knowledge.current
    preferred = svc.preferred_language(query.from_user)
    data = query.data or ""
    if data == CALLBACK_SOURCES:
        from knowledge.language import choose_language

        text, markup = sources_html(kb, choose_language("", preferred)), None
    elif data.startswith(CALLBACK_TOPIC) and data[len(CALLBACK_TOPIC) :] in kb.topics:
        answer = answer_question(
            kb, "", topic=data[len(CALLBACK_TOPIC) :], preferred_lang=preferred
        )
        text, markup = render_html(answer, kb)[0], answer_keyboard(answer, kb)
    else:
        return  # a button from an older KB: the acknowledgement is enough
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=NO_PREVIEW
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
