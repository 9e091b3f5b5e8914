"""The ``bot.py ask --json`` object: a public contract, so fields are only ever added."""

from __future__ import annotations

from typing import Any

from knowledge.dates import format_period
from knowledge.model import Answer, Fact, KnowledgeBase
from knowledge.render import render_text


def fact_json(fact: Fact, kb: KnowledgeBase, lang: str) -> dict[str, Any]:
    source = kb.sources[fact.source]
    return {
        "id": fact.id,
        "text": fact.text_in(lang),
        "when": fact.when.text,
        "source": {
            "id": source.id,
            "publisher": source.publisher,
            "title": source.title,
            "date": source.date.text,
            "url": source.url,
        },
        # Added fields (the contract only grows):
        "texts": dict(fact.text),
        "when_text": format_period(fact.when, lang),
        "topics": list(fact.topics),
    }


def answer_json(answer: Answer, kb: KnowledgeBase) -> dict[str, Any]:
    return {
        "query": answer.query,
        "intent": answer.intent,
        "score": round(float(answer.score), 1),
        "facts": [fact_json(f, kb, answer.lang) for f in answer.facts],
        "suggestions": list(answer.suggestions),
        "reply": render_text(answer, kb),
        # Added fields:
        "lang": answer.lang,
        "kind": answer.kind.value,
        "intents": list(answer.intents),
        "period": answer.period.text if answer.period else None,
        # The rest of what matched, best first: what the "More" pages show.
        "more": [fact_json(f, kb, answer.lang) for f in answer.more],
        "question_kind": answer.question_kind,
        "entities": list(answer.entities),
        "related": fact_json(answer.related, kb, answer.lang) if answer.related else None,
        "missing_direction": answer.missing_direction,
        "confirms": answer.confirms,
        "follow_up": answer.follow_up,
        "latest": answer.latest,
    }
