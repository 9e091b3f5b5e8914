"""Button presses: a suggested topic answers in place of the "did you mean" message; "More"
and "Back" page through a longer answer in place; the Sources button sends every source as
a new message (the answer it sits under stays)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from handlers.charts import send_trade_chart
from handlers.common import (
    NO_PREVIEW,
    answer_keyboard,
    services,
    sources_keyboard,
    timeline_keyboard,
)
from knowledge.answer import answer_question
from knowledge.buttons import (
    ChartPress,
    PagePress,
    SourcesPagePress,
    SourcesPress,
    TimelinePress,
    TopicPress,
    press_kind,
)
from knowledge.messages import message
from knowledge.render import (
    page_count,
    render_html,
    render_page_html,
    render_sources_page_html,
    sources_page_count,
)
from knowledge.timeline import (
    parse_timeline_query,
    render_timeline_html,
    timeline_events,
    timeline_pages,
)


async def show_page(
    update: Update, context: ContextTypes.DEFAULT_TYPE, press: PagePress | None
) -> None:
    """Edit a paged answer in place to show another page; an expired or forged token gets a
    short notice instead."""
    query = update.callback_query
    svc = services(context)
    chat_id = query.message.chat.id if query.message else None
    found = None
    if press is not None and chat_id is not None:
        found = svc.pages.find(chat_id, press.token)
    if found is None:
        lang = svc.reply_language(query.from_user)
        await query.answer(message("page_expired", lang))
        return
    await query.answer()
    answer, kb = found
    page = min(press.page, page_count(answer) - 1)
    parts = render_page_html(answer, kb, page)
    keyboard = answer_keyboard(answer, kb, pages_token=press.token, page=page)
    try:
        await query.edit_message_text(
            parts[0],
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def _is_range(words: str) -> bool:
    """ "2014-2019" stays a range; "ho-chi-minh" was "ho chi minh"."""
    first, _, last = words.partition("-")
    return first.isdigit() and last.isdigit()


async def _edit(query, text: str, keyboard) -> None:
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    data = query.data or ""
    kind = press_kind(data)
    if kind is PagePress:
        await show_page(update, context, PagePress.unpack(data))
        return
    # Acknowledge first: Telegram shows a spinner until the callback is answered.
    await query.answer()
    kb = services(context).knowledge.current
    press = kind.unpack(data) if kind is not None else None
    if isinstance(press, SourcesPress) and query.message is not None:
        [text] = render_sources_page_html(kb, press.lang, 0)
        await query.message.reply_text(
            text,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=sources_keyboard(kb, press.lang, 0),
        )
        return
    if isinstance(press, ChartPress) and query.message is not None:
        await send_trade_chart(query.message, kb, press.lang, quote=False)
        return
    if isinstance(press, TimelinePress):
        words = press.filter.replace("-", " ") if not _is_range(press.filter) else press.filter
        timeline_query = parse_timeline_query(kb, words)
        events = timeline_events(kb, timeline_query)
        pages = timeline_pages(events)
        page = min(press.page, pages - 1)
        [text, *_] = render_timeline_html(kb, events, press.lang, page=page, query=timeline_query)
        await _edit(query, text, timeline_keyboard(press.lang, page, pages, words))
        return
    if isinstance(press, SourcesPagePress):
        page = min(press.page, sources_page_count(kb) - 1)
        [text] = render_sources_page_html(kb, press.lang, page)
        await _edit(query, text, sources_keyboard(kb, press.lang, page))
        return
    if not isinstance(press, TopicPress) or press.topic not in kb.topics:
        return  # a button from an older KB or another version: the acknowledgement is enough
    answer = answer_question(kb, "", topic=press.topic, lang=press.lang)
    parts = render_html(answer, kb)
    try:
        await query.edit_message_text(
            parts[0],
            parse_mode=ParseMode.HTML,
            reply_markup=answer_keyboard(answer, kb) if len(parts) == 1 else None,
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    for i, part in enumerate(parts[1:], 2):  # an answer longer than one message
        await query.get_bot().send_message(
            query.message.chat.id if query.message else query.from_user.id,
            part,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=answer_keyboard(answer, kb) if i == len(parts) else None,
        )
