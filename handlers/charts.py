"""Sending the trade chart: drawn off the event loop (matplotlib takes a moment, and is
imported only on the first chart), kept per KB and language, sent as a photo."""

from __future__ import annotations

import asyncio

from telegram import Message

from knowledge.chart import chart_caption, render_trade_chart
from knowledge.model import KnowledgeBase

_drawn: dict[tuple[int, str], bytes] = {}  # (id of the KB object, lang) -> PNG


async def trade_chart_png(kb: KnowledgeBase, lang: str) -> bytes:
    key = (id(kb), lang)
    png = _drawn.get(key)
    if png is None:
        png = await asyncio.to_thread(render_trade_chart, kb, lang)
        if len(_drawn) > 12:  # a few KBs × three languages; old KBs drop out after a reload
            _drawn.clear()
        _drawn[key] = png
    return png


async def send_trade_chart(message: Message, kb: KnowledgeBase, lang: str, *, quote: bool) -> None:
    png = await trade_chart_png(kb, lang)
    await message.reply_photo(png, caption=chart_caption(kb, lang), do_quote=quote)
