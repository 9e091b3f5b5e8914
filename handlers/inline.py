"""Inline mode: "@Bot trade 2011" in any chat offers one result card per fact."""

from __future__ import annotations

import html
from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from handlers.common import NO_PREVIEW, services
from knowledge.answer import answer_question, main_topics
from knowledge.dates import format_period
from knowledge.model import AnswerKind
from knowledge.render import cite_source, render_html, render_text, topic_label

MAX_RESULTS = 20
CACHE_SECONDS = 60


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    kb = svc.knowledge.current
    query = update.inline_query
    preferred = svc.preferred_language(query.from_user)
    results = []
    if not query.query.strip():
        for topic_id in main_topics(kb):
            answer = answer_question(kb, "", topic=topic_id, preferred_lang=preferred)
            topic = kb.topics[topic_id]
            results.append(
                InlineQueryResultArticle(
                    id=f"topic:{topic_id}",
                    title=topic_label(kb, topic_id, answer.lang),
                    description=topic.description.get(answer.lang) or topic.description["en"],
                    input_message_content=InputTextMessageContent(
                        render_html(answer, kb)[0],
                        parse_mode=ParseMode.HTML,
                        link_preview_options=NO_PREVIEW,
                    ),
                )
            )
    else:
        answer = answer_question(
            kb, query.query, lang=svc.chosen_language(query.from_user), preferred_lang=preferred
        )
        if answer.kind is AnswerKind.FACTS:
            # the best first, then the rest of what matched
            for fact in (answer.facts + answer.more)[:MAX_RESULTS]:
                lang = answer.lang
                when = format_period(fact.when, lang)
                source = kb.sources[fact.source]
                body = (
                    f"{html.escape(fact.text_in(lang), quote=False)} ({html.escape(when)})\n"
                    f"— {html.escape(cite_source(source, lang), quote=False)}"
                )
                if source.url:
                    body += f' <a href="{html.escape(source.url)}">link</a>'
                results.append(
                    InlineQueryResultArticle(
                        id=fact.id[:64],
                        title=f"{topic_label(kb, fact.topics[0], lang)} · {when}",
                        description=fact.text_in(lang),
                        input_message_content=InputTextMessageContent(
                            body, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                        ),
                    )
                )
        else:
            # The title is plain text: cut from the plain rendering, not the HTML (no "&amp;").
            results.append(
                InlineQueryResultArticle(
                    id=str(uuid4()),
                    title=render_text(answer, kb).split("\n")[0][:64],
                    input_message_content=InputTextMessageContent(
                        render_html(answer, kb)[0], parse_mode=ParseMode.HTML
                    ),
                )
            )
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True)
