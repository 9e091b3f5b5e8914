"""The timeline: dated events in the order they happened, each with its date and citation,
narrowed by a year or range ("2025", "2014-2019"), a topic ("visits") or an entity
("lukashenko"), and shown a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.dates import format_period
from knowledge.matcher import index_for, match_question
from knowledge.messages import message
from knowledge.model import Fact, KnowledgeBase, Period
from knowledge.periods import period_in
from knowledge.render import Line, _html_pieces, source_lines, split_messages

TIMELINE_PAGE_SIZE = 8


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    period: Period | None = None
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    text: str = ""


def parse_timeline_query(kb: KnowledgeBase, text: str) -> TimelineQuery:
    """ "2025", "2014-2019", "visits", "lukashenko 2015": what narrows the timeline."""
    text = (text or "").strip()
    if not text:
        return TimelineQuery()
    match = match_question(text, kb)
    return TimelineQuery(
        period=period_in(text),
        topics=tuple(h.topic for h in sorted(match.hits, key=lambda h: h.start)),
        entities=tuple(match.entities),
        text=text,
    )


def is_event(fact: Fact) -> bool:
    """A fact that tells when something happened, not how things stood "as of" a date."""
    return "date" in fact.answers


def timeline_events(kb: KnowledgeBase, query: TimelineQuery = TimelineQuery()) -> list[Fact]:
    """Events in the order they happened (then by when they ended, then by id)."""
    index = index_for(kb)
    events = [f for f in kb.facts if is_event(f)]
    if query.period is not None:
        # "/timeline 2011": what happened in 2011, not a span that merely runs through it
        period = query.period
        events = [f for f in events if period.start <= f.when.start <= period.end]
    if query.topics:
        events = [f for f in events if set(f.topics) & set(query.topics)]
    if query.entities:
        linked = set().union(*(index.facts_by_entity.get(e, frozenset()) for e in query.entities))
        events = [f for f in events if f.id in linked]
    return sorted(events, key=lambda f: (f.when.start, f.when.end, f.id))


def timeline_pages(events: list[Fact], page_size: int = TIMELINE_PAGE_SIZE) -> int:
    return max(1, -(-len(events) // page_size))


def timeline_lines(
    kb: KnowledgeBase,
    events: list[Fact],
    lang: str,
    page: int = 0,
    page_size: int = TIMELINE_PAGE_SIZE,
    query: TimelineQuery = TimelineQuery(),
) -> list[Line]:
    """One page of the timeline: a heading, one dated line an event, then the sources."""
    pages = timeline_pages(events, page_size)
    page = min(max(page, 0), pages - 1)
    heading = message("timeline", lang)
    if query.text:
        heading += f" · {query.text}"
    if pages > 1:
        heading += " · " + message("page_heading", lang, page=page + 1, pages=pages)
    lines = [Line(f"{heading} — {kb.scope.texts(lang)['scope']}", bold=True)]
    if not events:
        return lines + [Line(message("timeline_empty", lang))]
    cited: list[str] = []
    for fact in events[page * page_size : (page + 1) * page_size]:
        if fact.source not in cited:
            cited.append(fact.source)
        when = format_period(fact.when, lang)
        lines.append(Line(f"{when}: {fact.text_in(lang)} [{cited.index(fact.source) + 1}]"))
    lines.append(Line(""))
    return lines + source_lines(kb, [kb.sources[s] for s in cited], lang)


def render_timeline_text(kb: KnowledgeBase, events: list[Fact], lang: str, **kw) -> str:
    lines = timeline_lines(kb, events, lang, **kw)
    return "\n".join(f"{line.text} {line.url}" if line.url else line.text for line in lines)


def render_timeline_html(kb: KnowledgeBase, events: list[Fact], lang: str, **kw) -> list[str]:
    lines = timeline_lines(kb, events, lang, **kw)
    return split_messages([p for line in lines for p in _html_pieces(line)])
