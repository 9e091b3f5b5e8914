"""Inline mode: "@Bot trade 2011" in any chat offers one result card per fact."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.common import NO_PREVIEW, services
from knowledge.answer import answer_question, main_topics
from knowledge.render import answer_cards, topic_cards

MAX_RESULTS = 20
CACHE_SECONDS = 60


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    kb = svc.knowledge.current
    query = update.inline_query
    chosen, preferred = svc.languages(query.from_user)
    if not query.query.strip():
        answers = [
            answer_question(kb, "", topic=topic_id, preferred_lang=preferred)
            for topic_id in main_topics(kb)
        ]
        cards = topic_cards(kb, answers)
    else:
        answer = answer_question(kb, query.query, lang=chosen, preferred_lang=preferred)
        cards = answer_cards(answer, kb, MAX_RESULTS)
    results = [
        InlineQueryResultArticle(
            id=card.id,
            title=card.title,
            description=card.description,
            input_message_content=InputTextMessageContent(
                card.html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            ),
        )
        for card in cards
    ]
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)
