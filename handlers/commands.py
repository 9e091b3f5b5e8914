"""Slash commands: /start, /help, /sources, /about, /lang, one per topic, and admin ones."""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.charts import send_trade_chart
from handlers.common import (
    NO_PREVIEW,
    answer_keyboard,
    conversation_key,
    send_answer,
    services,
    sources_keyboard,
    timeline_keyboard,
)
from handlers.reload import failure_report, reload_knowledge
from knowledge.answer import answer_question, main_topics
from knowledge.language import SUPPORTED
from knowledge.messages import message
from knowledge.model import Answer, AnswerKind
from knowledge.render import (
    about_text,
    help_text,
    render_sources_page_html,
    split_messages,
    start_text,
)
from knowledge.timeline import (
    parse_timeline_query,
    render_timeline_html,
    timeline_events,
    timeline_pages,
)
from runtime.storage import StorageUnavailable

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def _lang(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    return services(context).reply_language(update.effective_user)


def _args_text(context: ContextTypes.DEFAULT_TYPE) -> str:
    return " ".join(context.args or [])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, or /start <topic> from a deep link (t.me/Bot?start=trade)."""
    svc = services(context)
    kb = svc.knowledge.current
    payload = _args_text(context)
    topic = kb.topic_by_command(payload) if payload else None
    lang = _lang(update, context)
    if topic is not None:
        answer = answer_question(kb, "", topic=topic.id, lang=lang)
        await send_answer(update.effective_message, answer, kb, pages=svc.pages)
        return
    menu = Answer(query="", kind=AnswerKind.GREETING, lang=lang, suggestions=main_topics(kb))
    await update.effective_message.reply_text(
        start_text(kb, lang), reply_markup=answer_keyboard(menu, kb)
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    kb = svc.knowledge.current
    lang = _lang(update, context)
    text = help_text(kb, lang, context.bot.username)
    for part in split_messages(text.split("\n")):
        await update.effective_message.reply_text(part, link_preview_options=NO_PREVIEW)


async def sources_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    kb = services(context).knowledge.current
    lang = _lang(update, context)
    [text] = render_sources_page_html(kb, lang, 0)
    await update.effective_message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_markup=sources_keyboard(kb, lang, 0),
    )


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    kb = services(context).knowledge.current
    lang = _lang(update, context)
    await update.effective_message.reply_text(about_text(kb, lang))


# "/trade chart" draws the chart instead of listing the facts
CHART_WORDS = frozenset({"chart", "graph", "bieu do", "biểu đồ", "график", "диаграмма"})


async def timeline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timeline, /timeline 2025, /timeline 2014-2019, /timeline visits: events in order."""
    kb = services(context).knowledge.current
    lang = _lang(update, context)
    words = _args_text(context)
    query = parse_timeline_query(kb, words)
    events = timeline_events(kb, query)
    [text, *_] = render_timeline_html(kb, events, lang, page=0, query=query)
    await update.effective_message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_markup=timeline_keyboard(lang, 0, timeline_pages(events), words),
        do_quote=update.effective_chat.type != "private",
    )


async def topic_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/trade, /visits 2008, /visits golovchenko …: the topic, narrowed by the words."""
    svc, user = services(context), update.effective_user
    words = _args_text(context)
    if words.strip().lower() in CHART_WORDS:
        kb = svc.knowledge.current
        quote = update.effective_chat.type != "private"
        await send_trade_chart(update.effective_message, kb, _lang(update, context), quote=quote)
        return
    kb = svc.knowledge.current
    command = update.effective_message.text.split()[0][1:].split("@")[0].lower()
    topic = kb.topic_by_command(command)
    if topic is None:  # the KB was reloaded without this topic
        answer = Answer(query=command, kind=AnswerKind.UNKNOWN, lang=_lang(update, context))
    else:
        words = _args_text(context)
        chosen, preferred = svc.languages(user)
        answer = answer_question(kb, words, topic=topic.id, lang=chosen, preferred_lang=preferred)
        # "/visits" then "and in 2008?" continues the topic
        svc.conversations.remember(conversation_key(update.effective_message, user), answer)
    await send_answer(
        update.effective_message,
        answer,
        kb,
        quote=update.effective_chat.type != "private",
        pages=svc.pages,
    )


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/lang shows the reply language; /lang en|vi|ru sets it."""
    svc = services(context)
    user = update.effective_user
    choice = _args_text(context).strip().lower()
    if choice in SUPPORTED and user is not None:
        # durably, off the event loop: retried while the database is locked, and the user
        # is told the truth when it did not stick
        deadline = time.monotonic() + svc.storage.durable_write_budget
        stored = await asyncio.to_thread(svc.storage.set_language, user.id, choice, deadline)
        reply = message("lang_set", choice) if stored else message("lang_not_saved", choice)
        await update.effective_message.reply_text(reply)
        return
    lang = _lang(update, context)
    current = svc.storage.language_of(user.id) if user else None
    await update.effective_message.reply_text(
        message("lang_show", lang, lang=current or message("lang_auto", lang))
    )


def admins_only(callback: Callback) -> Callback:
    """``callback`` for ADMIN_IDS users; anyone else gets a polite refusal."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is not None and user.id in services(context).admin_ids:
            await callback(update, context)
            return
        await update.effective_message.reply_text(message("not_admin", _lang(update, context)))

    return guarded


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload (admins only): load the KB again; keep the old one if the new one is invalid."""
    lang = _lang(update, context)
    outcome = await reload_knowledge(context.application, "/reload")
    if not outcome.ok:
        for part in failure_report(outcome, lang):
            await update.effective_message.reply_text(part)
        return
    kb = outcome.kb
    await update.effective_message.reply_text(
        message("reload_ok", lang, facts=len(kb.facts), topics=len(kb.topics))
    )


async def gaps_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/gaps (admins only): the most frequent questions the bot could not answer."""
    svc = services(context)
    lang = _lang(update, context)
    # off the event loop: a locked database must not stall other users' answers
    try:
        gaps = await asyncio.to_thread(svc.storage.top_gaps, 20)
    except StorageUnavailable:
        await update.effective_message.reply_text(message("gaps_unreadable", lang))
        return
    if not gaps:
        await update.effective_message.reply_text(message("gaps_empty", lang))
        return
    lines = [message("gaps_title", lang)]
    lines += [f"{g.count}× [{g.lang}] {g.question}" for g in gaps]
    for part in split_messages(lines):
        await update.effective_message.reply_text(part)
