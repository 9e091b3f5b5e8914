"""Turn an Answer into what a person reads: plain text for the console, Telegram HTML
for the bot. Every fact carries its date and a numbered citation; the reply ends with
the sources it cites."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, replace
from functools import lru_cache
from uuid import uuid4

from knowledge.commands import BUILTIN_COMMANDS
from knowledge.dates import format_period
from knowledge.matcher import COUNTRIES_FILE, COUNTRY_NAME_LANGS
from knowledge.messages import message, scope_message
from knowledge.model import Answer, AnswerKind, Fact, KnowledgeBase, Period, Source

TELEGRAM_LIMIT = 4096
PAGE_SIZE = 5  # facts a "More" page shows


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a reply; ``bold`` lines are headings, ``url`` makes a citation a link."""

    text: str
    bold: bool = False
    url: str | None = None
    link_text: str = "link"


def cite_source(source: Source, lang: str) -> str:
    date = format_period(source.date, lang)
    return f"{source.publisher}, “{source.title}”, {date}"


def topic_label(kb: KnowledgeBase, topic_id: str, lang: str) -> str:
    topic = kb.topics.get(topic_id)
    if topic is None:
        return topic_id
    return topic.label.get(lang) or topic.label["en"]


def fact_line(fact: Fact, number: int, citation: int, lang: str) -> str:
    return f"{number}. {fact.text_in(lang)} ({format_period(fact.when, lang)}) [{citation}]"


@lru_cache(maxsize=1)
def _country_names() -> dict[str, dict[str, str]]:
    """English country name -> its name in each language (CLDR, countries.json)."""
    table = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    return {
        names["en"][0]: {lang: (names.get(lang) or names["en"])[0] for lang in COUNTRY_NAME_LANGS}
        for names in table.values()
    }


def country_name(english: str, lang: str) -> str:
    return _country_names().get(english, {}).get(lang, english)


def _fact_lines(
    answer: Answer, kb: KnowledgeBase, facts: tuple[Fact, ...] | None = None, first: int = 1
) -> list[Line]:
    """Numbered facts under topic headings, then the sources they cite. ``facts`` and
    ``first`` render one page of a longer list."""
    lang = answer.lang
    facts = answer.facts if facts is None else facts
    lines: list[Line] = []
    cited: list[str] = []
    if answer.period and not answer.period_found:
        lines.append(
            Line(message("not_in_period", lang, period=format_period(answer.period, lang)))
        )
    if answer.confirms and first == 1:
        lines.append(Line(message("yes", lang), bold=True))
    if answer.latest and first == 1 and facts:
        newest = max(facts, key=lambda f: (f.when.end, kb.sources[f.source].date.end))
        as_of = kb.sources[newest.source].date
        lines.append(Line(message("as_of", lang, date=format_period(as_of, lang))))
    groups: list[tuple[str | None, list[Fact]]] = []
    if len(answer.intents) > 1:
        placed: set[str] = set()
        for topic in answer.intents:
            group = [f for f in facts if topic in f.topics and f.id not in placed]
            placed.update(f.id for f in group)
            if group:
                groups.append((topic, group))
        rest = [f for f in facts if f.id not in placed]
        if rest:
            groups.append((None, rest))
    else:
        groups.append((answer.intent, list(facts)))
    number = first - 1
    for topic, facts in groups:
        pair = kb.scope.texts(lang)["scope"]
        heading = topic_label(kb, topic, lang) if topic else pair
        lines.append(Line(f"{heading} — {pair}" if topic else heading, bold=True))
        disputes_shown: set[tuple[str, str]] = set()
        for fact in facts:
            if fact.source not in cited:
                cited.append(fact.source)
            claim = fact.claim
            if claim is not None and claim.disputed:
                key = (claim.measure, claim.period.text)
                rivals = [
                    f for f in facts if f.claim and (f.claim.measure, f.claim.period.text) == key
                ]
                # only where the reply itself shows the differing figures side by side
                if key not in disputes_shown and len(rivals) > 1:
                    disputes_shown.add(key)
                    lines.append(Line(message("disputed", lang)))
            number += 1
            lines.append(Line(fact_line(fact, number, cited.index(fact.source) + 1, lang)))
    lines.append(Line(""))
    return lines + source_lines(kb, [kb.sources[s] for s in cited], lang)


def source_lines(kb: KnowledgeBase, sources: list[Source], lang: str) -> list[Line]:
    """The "Sources:" heading and one numbered citation a source, with its link if known."""
    lines = [Line(message("sources", lang) + ":", bold=True)]
    for i, source in enumerate(sources, 1):
        lines.append(
            Line(
                f"[{i}] {cite_source(source, lang)}",
                url=source.url,
                link_text=message("link", lang),
            )
        )
    return lines


SOURCES_PAGE_SIZE = 10  # sources a /sources page lists


def sources_in_order(kb: KnowledgeBase) -> list[Source]:
    """The articles, newest first: the one a user most likely wants is on the first page."""
    return sorted(kb.sources.values(), key=lambda s: (s.date.end, s.id), reverse=True)


def sources_page_count(kb: KnowledgeBase, page_size: int = SOURCES_PAGE_SIZE) -> int:
    return max(1, -(-len(kb.sources) // page_size))


def render_sources_page_html(
    kb: KnowledgeBase, lang: str, page: int = 0, page_size: int = SOURCES_PAGE_SIZE
) -> list[str]:
    """One page of /sources: ``page_size`` articles, numbered on across pages, with links."""
    pages = sources_page_count(kb, page_size)
    page = min(max(page, 0), pages - 1)
    chunk = sources_in_order(kb)[page * page_size : (page + 1) * page_size]
    heading = f"{message('sources', lang)} ({len(kb.sources)})"
    if pages > 1:
        heading += " · " + message("page_heading", lang, page=page + 1, pages=pages)
    lines = [Line(heading + ":", bold=True)]
    for i, source in enumerate(chunk, page * page_size + 1):
        lines.append(
            Line(
                f"[{i}] {cite_source(source, lang)}",
                url=source.url,
                link_text=message("link", lang),
            )
        )
    return split_messages([p for line in lines for p in _html_pieces(line)])


def render_sources_html(kb: KnowledgeBase, lang: str) -> list[str]:
    """Every source of the knowledge base on one list (messages of at most 4096)."""
    lines = source_lines(kb, sources_in_order(kb), lang)
    return split_messages([p for line in lines for p in _html_pieces(line)])


def _topic_list(kb: KnowledgeBase, topics: tuple[str, ...], lang: str) -> Line:
    names = [
        f"/{kb.topics[t].command} {topic_label(kb, t, lang)}" for t in topics if t in kb.topics
    ]
    return Line(f"{message('topics_line', lang)}: " + " · ".join(names))


def _not_held_lines(answer: Answer, kb: KnowledgeBase) -> list[Line]:
    """ "I don't have that", and the one related fact, labelled as such, with its source."""
    lang = answer.lang
    if answer.missing_direction:
        other = kb.scope.reverse(answer.missing_direction)
        text = message(
            "not_held_direction",
            lang,
            asked=kb.scope.direction_text(answer.missing_direction, lang),
            held=kb.scope.direction_text(other, lang),
        )
    elif answer.period and not answer.period_found:
        text = message("not_held_period", lang, period=format_period(answer.period, lang))
    else:
        text = message("not_held", lang)
    lines = [Line(text)]
    fact = answer.related
    if fact is not None:
        lines.append(Line(""))
        lines.append(Line(f"{message('related', lang)}:", bold=True))
        lines.append(Line(f"{fact.text_in(lang)} ({format_period(fact.when, lang)}) [1]"))
        lines.append(Line(""))
        lines += source_lines(kb, [kb.sources[fact.source]], lang)
    return lines


def more_note(answer: Answer, where: str = "cli") -> Line | None:
    """ "5 more: …" under a reply that does not show everything (``where``: cli or chat)."""
    if answer.kind is not AnswerKind.FACTS or not answer.more:
        return None
    return Line(message(f"more_count_{where}", answer.lang, count=len(answer.more)))


def reply_lines(answer: Answer, kb: KnowledgeBase) -> list[Line]:
    lang = answer.lang
    match answer.kind:
        case AnswerKind.FACTS:
            return _fact_lines(answer, kb)
        case AnswerKind.UNKNOWN if answer.related is not None or answer.missing_direction:
            return _not_held_lines(answer, kb)
        case AnswerKind.OUT_OF_SCOPE:
            countries = ", ".join(country_name(c, lang) for c in answer.foreign_countries)
            return [Line(scope_message(kb.scope, "out_of_scope", lang, countries=countries))]
        case AnswerKind.GREETING:
            greeting = scope_message(kb.scope, "greeting", lang)
            return [Line(greeting), _topic_list(kb, answer.suggestions, lang)]
        case AnswerKind.SUGGESTIONS:
            return [Line(message("suggestions", lang)), _topic_list(kb, answer.suggestions, lang)]
        case AnswerKind.EMPTY:
            empty = scope_message(kb.scope, "empty", lang)
            return [Line(empty), _topic_list(kb, answer.suggestions, lang)]
        case _:
            return [Line(scope_message(kb.scope, "unknown", lang))]


def render_text(
    answer: Answer, kb: KnowledgeBase, *, show_all: bool = False, more_hint: str = "cli"
) -> str:
    """Plain text, as the console shows it; ``show_all`` adds every "More" fact."""
    if show_all and answer.more:
        answer = replace(answer, facts=answer.facts + answer.more, more=())
    lines = reply_lines(answer, kb)
    note = more_note(answer, more_hint)
    if note:
        lines.insert(len(lines) - len(_source_block(lines)), note)
    out = []
    for line in lines:
        out.append(f"{line.text} {line.url}" if line.url else line.text)
    return "\n".join(out).strip()


def _source_block(lines: list[Line]) -> list[Line]:
    """The trailing blank line, "Sources:" heading and citations of a factual reply."""
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].text.endswith(":") and lines[i].bold and i > 0 and not lines[i - 1].text:
            return lines[i - 1 :]
    return []


def _html(line: Line) -> str:
    text = html.escape(line.text, quote=False)
    if line.bold:
        return f"<b>{text}</b>"
    if line.url:
        link = html.escape(line.link_text, quote=False)
        return f'{text} <a href="{html.escape(line.url, quote=True)}">{link}</a>'
    return text


def split_messages(parts: list[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join lines into messages of at most ``limit`` characters, splitting between lines;
    a single line longer than the limit is cut (never sent over the limit)."""
    messages: list[str] = []
    current = ""
    for part in parts:
        while len(part) > limit:
            if current:
                messages.append(current)
                current = ""
            messages.append(part[:limit])
            part = part[limit:]
        candidate = f"{current}\n{part}" if current else part
        if len(candidate) > limit:
            messages.append(current)
            current = part
        else:
            current = candidate
    if current.strip():
        messages.append(current)
    return [m for m in messages if m.strip()] or [""]


def _html_pieces(line: Line, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """The line's HTML; a line too long for one message is cut in its plain text, so no
    piece splits an entity (``&amp;``) or a tag, and each piece keeps the line's markup."""
    whole = _html(line)
    if len(whole) <= limit:
        return [whole]
    markup = len(_html(Line("", line.bold, line.url, line.link_text)))
    room = max(limit - markup, 1)
    pieces, current = [], ""
    for char in line.text:
        escaped = html.escape(char, quote=False)
        if current and len(current) + len(escaped) > room:
            space = current.rfind(" ")
            cut = space + 1 if space > room // 2 else len(current)  # prefer a word boundary
            pieces.append(current[:cut])
            current = current[cut:]
        current += escaped
    pieces.append(current)
    if line.bold:
        return [f"<b>{piece}</b>" for piece in pieces]
    if line.url:  # the link goes after the last piece
        pieces[-1] += _html(Line("", url=line.url, link_text=line.link_text))
    return pieces


def render_html(answer: Answer, kb: KnowledgeBase) -> list[str]:
    """Telegram HTML messages (parse_mode=HTML), each within Telegram's 4096 characters."""
    return split_messages([p for line in reply_lines(answer, kb) for p in _html_pieces(line)])


def page_count(answer: Answer, page_size: int = PAGE_SIZE) -> int:
    """Pages of a factual answer: the reply itself, then the "More" facts ``page_size`` a page."""
    if answer.kind is not AnswerKind.FACTS:
        return 1
    return 1 + -(-len(answer.more) // page_size)


def page_facts(answer: Answer, page: int, page_size: int = PAGE_SIZE) -> tuple[Fact, ...]:
    if page <= 0:
        return answer.facts
    start = (page - 1) * page_size
    return answer.more[start : start + page_size]


def render_page_html(
    answer: Answer, kb: KnowledgeBase, page: int, page_size: int = PAGE_SIZE
) -> list[str]:
    """One page of a factual answer (0 is the reply itself), numbered on from the pages
    before it, with a "page 2 of 3" line."""
    pages = page_count(answer, page_size)
    page = min(max(page, 0), pages - 1)
    if page == 0:
        return render_html(answer, kb)
    first = len(answer.facts) + (page - 1) * page_size + 1
    lines = _fact_lines(answer, kb, page_facts(answer, page, page_size), first=first)
    lines.insert(0, Line(message("page_heading", answer.lang, page=page + 1, pages=pages)))
    return split_messages([p for line in lines for p in _html_pieces(line)])


def coverage(kb: KnowledgeBase, lang: str) -> dict[str, str]:
    """What period the KB covers, for /about and /start: the year of its earliest fact and
    the month of its newest article."""
    first = min(f.when.start for f in kb.facts).year
    newest = max(kb.sources.values(), key=lambda s: s.date.end).date.end
    last = format_period(Period(newest.replace(day=1), newest, newest.strftime("%Y-%m")), lang)
    return {"first": str(first), "last": last, "count": str(len(kb.sources))}


def about_text(kb: KnowledgeBase, lang: str) -> str:
    return scope_message(kb.scope, "about", lang, **coverage(kb, lang))


def start_text(kb: KnowledgeBase, lang: str) -> str:
    return scope_message(kb.scope, "start", lang, **coverage(kb, lang))


def help_text(kb: KnowledgeBase, lang: str, username: str) -> str:
    """/help: how to ask, every topic command with its description, then the built-in
    commands that have a /help line."""
    lines = [
        f"/{t.command} – {t.description.get(lang) or t.description['en']}"
        for t in kb.topics.values()
    ]
    lines += [
        f"/{' '.join(filter(None, (c.name, c.usage)))} – {message(c.help_key, lang)}"
        for c in BUILTIN_COMMANDS
        if c.help_key is not None
    ]
    return scope_message(kb.scope, "help", lang, commands="\n".join(lines), username=username)


def sources_text(kb: KnowledgeBase, lang: str) -> str:
    """/sources as plain text: every article, with its link."""
    lines = source_lines(kb, list(kb.sources.values()), lang)
    return "\n".join(f"{line.text} {line.url}" if line.url else line.text for line in lines)


@dataclass(frozen=True, slots=True)
class InlineCard:
    """One result of an inline query: what the list shows, and the HTML message it sends."""

    id: str
    title: str
    description: str | None  # the list's second line; None: the title alone
    html: str


def topic_cards(kb: KnowledgeBase, answers: list[Answer]) -> list[InlineCard]:
    """An empty inline query: a card for each main topic, its answer as the message."""
    cards = []
    for answer in answers:
        topic = kb.topics[answer.intent]
        cards.append(
            InlineCard(
                id=f"topic:{topic.id}",
                title=topic_label(kb, topic.id, answer.lang),
                description=topic.description.get(answer.lang) or topic.description["en"],
                html=render_html(answer, kb)[0],
            )
        )
    return cards


def answer_cards(answer: Answer, kb: KnowledgeBase, limit: int) -> list[InlineCard]:
    """An inline query's answer: a card for each fact it matched (the best first, then the
    rest), each with its date and cited source; no facts: one card of the reply."""
    if answer.kind is not AnswerKind.FACTS:
        # The title is plain text: cut from the plain rendering, not the HTML (no "&amp;").
        title = render_text(answer, kb).split("\n")[0][:64]
        return [InlineCard(str(uuid4()), title, None, render_html(answer, kb)[0])]
    lang = answer.lang
    cards = []
    for fact in (answer.facts + answer.more)[:limit]:
        when = format_period(fact.when, lang)
        source = kb.sources[fact.source]
        text = Line(f"{fact.text_in(lang)} ({when})")
        citation = Line(
            f"— {cite_source(source, lang)}", url=source.url, link_text=message("link", lang)
        )
        cards.append(
            InlineCard(
                id=fact.id[:64],
                title=f"{topic_label(kb, fact.topics[0], lang)} · {when}",
                description=fact.text_in(lang),
                html=f"{_html(text)}\n{_html(citation)}",
            )
        )
    return cards
