"""Answer a question: match it, choose and rank facts, and say what kind of answer it is."""

from __future__ import annotations

from knowledge import matcher
from knowledge.language import choose_language
from knowledge.matcher import facts_mentioning, index_for, match_question
from knowledge.model import Answer, AnswerKind, Fact, KnowledgeBase, Period
from knowledge.periods import period_of_years, years_in

# Long messages are answered from their start: nobody asks a question in 10,000 characters.
MAX_QUESTION_CHARS = 500
MAX_FACTS_ONE_TOPIC = 8
MAX_FACTS_PER_TOPIC = 4
MAX_FACTS_BY_PERIOD = 6


def main_topics(kb: KnowledgeBase) -> tuple[str, ...]:
    main = tuple(t.id for t in kb.topics.values() if t.main)
    return main or tuple(kb.topics)[:6]


def rank_facts(
    facts: tuple[Fact, ...] | list[Fact],
    period: Period | None,
    keyword_hits: dict[str, int] | None = None,
    topic: str | None = None,
) -> list[Fact]:
    """Best first: facts of the asked-for period, then those naming the question's words,
    then those mainly about the topic (not merely touching it), then newest first."""
    keyword_hits = keyword_hits or {}

    def key(f: Fact) -> tuple:
        in_period = bool(period and f.when.overlaps(period))
        return (
            not in_period,
            -keyword_hits.get(f.id, 0),
            topic is not None and f.topics[0] != topic,
            -f.when.start.toordinal(),  # what happened most recently, not what was still
            -f.when.end.toordinal(),  # true "as of" the latest article
            f.id,
        )

    return sorted(facts, key=key)


def _facts_for(
    kb: KnowledgeBase, topics: list[str], period: Period | None, hits: dict[str, int]
) -> tuple[Fact, ...]:
    limit = MAX_FACTS_ONE_TOPIC if len(topics) == 1 else MAX_FACTS_PER_TOPIC
    chosen: list[Fact] = []
    for topic in topics:
        ranked = [
            f
            for f in rank_facts(kb.facts_by_topic.get(topic, ()), period, hits, topic)
            if f not in chosen
        ]
        chosen.extend(ranked[:limit])
    return tuple(chosen)


def _fallback_coverage(stems: list[str], index) -> float:
    """Share of the question's words that some fact's own text contains."""
    if not stems:
        return 0.0
    return sum(1 for s in stems if index.facts_by_stem.get(s)) / len(stems)


def answer_question(
    kb: KnowledgeBase,
    question: str,
    *,
    topic: str | None = None,
    lang: str | None = None,
    preferred_lang: str | None = None,
) -> Answer:
    """Answer ``question``; with ``topic`` (a slash command) the topic is given and the
    question only narrows it (``/trade 2011``)."""
    question = (question or "")[:MAX_QUESTION_CHARS]
    reply_lang = lang or choose_language(question, preferred_lang)
    period = period_of_years(years_in(question))
    match = match_question(question, kb)
    base = {"query": question, "lang": reply_lang, "period": period}
    index = index_for(kb)
    # Words of the question found in a fact's own text rank that fact higher ("visits 2008",
    # "/visits golovchenko"); only words few facts share answer on their own (see below).
    hits = facts_mentioning(match.content_stems, index, max_share=10)

    def with_facts(topics: list[str], score: float) -> Answer:
        facts = _facts_for(kb, topics, period, hits)
        found = not period or any(f.when.overlaps(period) for f in facts)
        return Answer(
            kind=AnswerKind.FACTS,
            intents=tuple(topics),
            score=score,
            facts=facts,
            period_found=found,
            **base,
        )

    if match.countries:
        return Answer(
            kind=AnswerKind.OUT_OF_SCOPE, foreign_countries=tuple(match.countries), **base
        )
    if topic is not None:
        return with_facts([topic], 100.0)
    if not match.words:
        return Answer(kind=AnswerKind.EMPTY, suggestions=main_topics(kb), **base)
    if match.greeting:
        return Answer(kind=AnswerKind.GREETING, suggestions=main_topics(kb), **base)
    if match.hits:
        topics = [h.topic for h in sorted(match.hits, key=lambda h: h.start)]
        score = min(h.score for h in match.hits)
        if match.coverage >= matcher.THRESHOLDS.min_coverage or match.in_scope_words:
            coverage = max(match.coverage, matcher.THRESHOLDS.min_coverage)
            return with_facts(topics, round(score * coverage**0.25, 1))
        # A topic word inside a question mostly about something else ("weather in Hanoi"):
        # say we don't know, and offer the topic.
        suggestions = tuple(dict.fromkeys([*topics, *match.suggestions]))[:4]
        return Answer(
            kind=AnswerKind.UNKNOWN,
            suggestions=suggestions,
            score=round(score * match.coverage, 1),
            **base,
        )
    if match.suggestions:
        return Answer(
            kind=AnswerKind.SUGGESTIONS,
            suggestions=tuple(match.suggestions[:4]),
            score=60.0,
            **base,
        )
    rare = facts_mentioning(match.content_stems, index, max_share=3)
    coverage = _fallback_coverage(match.content_stems, index) if rare else 0.0
    if rare and coverage >= matcher.THRESHOLDS.min_fallback_coverage:
        # No topic named, but the question names something only a few facts mention
        # ("tractors", "Kubrakov"): answer with those facts.
        facts = rank_facts([kb.facts_by_id[fid] for fid in rare], period, rare)
        topics = tuple(dict.fromkeys(f.topics[0] for f in facts))
        return Answer(
            kind=AnswerKind.FACTS,
            intents=topics[:3],
            score=round(100 * coverage, 1),
            facts=tuple(facts[:MAX_FACTS_ONE_TOPIC]),
            **base,
        )
    if not match.content_stems:
        if period:
            in_period = [f for f in kb.facts if f.when.overlaps(period)]
            if in_period:
                facts = tuple(rank_facts(in_period, period))[:MAX_FACTS_BY_PERIOD]
                topics = tuple(dict.fromkeys(f.topics[0] for f in facts))
                return Answer(
                    kind=AnswerKind.FACTS, intents=topics, score=100.0, facts=facts, **base
                )
        return Answer(kind=AnswerKind.SUGGESTIONS, suggestions=main_topics(kb), **base)
    return Answer(kind=AnswerKind.UNKNOWN, **base)
