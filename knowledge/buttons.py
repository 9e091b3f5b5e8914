"""The buttons under a reply, and the data each kind carries back when pressed: one small
class per kind, whose ``pack()`` refuses data above Telegram's 64 bytes and whose
``unpack()`` rejects data the bot never sent (forged, or from another version)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import ClassVar, Self

from knowledge.chart import TRADE_MEASURE
from knowledge.messages import message
from knowledge.model import Answer, AnswerKind, KnowledgeBase
from knowledge.normalize import fold
from knowledge.records import LANGUAGES
from knowledge.render import (
    PAGE_SIZE,
    SOURCES_PAGE_SIZE,
    page_count,
    sources_page_count,
    topic_label,
)

CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data
_FIELD = re.compile(r"^[A-Za-z0-9_\-]{1,60}$")  # topic ids and page tokens
_PAGE = re.compile(r"^[0-9]{1,4}$")


class CallbackDataTooLong(ValueError):
    """The packed data would not fit in Telegram's 64 bytes."""


def _pack(prefix: str, *fields: str) -> str:
    data = ":".join((prefix, *fields))
    if len(data.encode("utf-8")) > CALLBACK_LIMIT:
        raise CallbackDataTooLong(f"{len(data.encode('utf-8'))} bytes: {data[:70]!r}")
    return data


def _name(text: str) -> str | None:
    """A topic id or page token."""
    return text if _FIELD.match(text) else None


def _language(text: str) -> str | None:
    return text if text in LANGUAGES else None


def _page(text: str) -> int | None:
    return int(text) if _PAGE.match(text) else None


class _Press:
    """What every kind shares: data is ``PREFIX``, then its fields in order, joined by ":";
    ``READERS`` read each field back (None: not one the bot sends)."""

    __slots__ = ()
    PREFIX: ClassVar[str]
    READERS: ClassVar[tuple[Callable[[str], object], ...]]

    def pack(self) -> str:
        return _pack(self.PREFIX, *(str(value) for value in astuple(self)))

    @classmethod
    def unpack(cls, data: str) -> Self | None:
        head, _, rest = data.partition(":")
        fields = rest.split(":")
        if head != cls.PREFIX or len(fields) != len(cls.READERS):
            return None
        if len(data.encode("utf-8")) > CALLBACK_LIMIT:
            return None
        values = [read(field) for read, field in zip(cls.READERS, fields, strict=True)]
        return None if None in values else cls(*values)


@dataclass(frozen=True, slots=True)
class TopicPress(_Press):
    """A suggested topic ("t:<topic>:<lang>"): answers it in the reply's language."""

    topic: str
    lang: str
    PREFIX: ClassVar[str] = "t"
    READERS = (_name, _language)


@dataclass(frozen=True, slots=True)
class SourcesPress(_Press):
    """The Sources button ("src:<lang>"): every source, in the reply's language."""

    lang: str
    PREFIX: ClassVar[str] = "src"
    READERS = (_language,)


@dataclass(frozen=True, slots=True)
class PagePress(_Press):
    """ "More" and "Back" ("m:<token>:<page>"): a page of the answer kept under ``token``."""

    token: str
    page: int
    PREFIX: ClassVar[str] = "m"
    READERS = (_name, _page)


@dataclass(frozen=True, slots=True)
class SourcesPagePress(_Press):
    """ "More" and "Back" under /sources ("sp:<lang>:<page>"): another page of the list."""

    lang: str
    page: int
    PREFIX: ClassVar[str] = "sp"
    READERS = (_language, _page)


@dataclass(frozen=True, slots=True)
class ChartPress(_Press):
    """The Chart button under a trade answer ("ch:<lang>"): the trade chart as a photo."""

    lang: str
    PREFIX: ClassVar[str] = "ch"
    READERS = (_language,)


_FILTER = re.compile(r"^[a-z0-9\-]{0,40}$")


def _filter(text: str) -> str | None:
    return text if _FILTER.match(text) else None


@dataclass(frozen=True, slots=True)
class TimelinePress(_Press):
    """ "More" and "Back" under /timeline ("tl:<lang>:<page>:<filter>"); the filter is the
    command's words folded and joined by "-" ("2014-2019", "visits")."""

    lang: str
    page: int
    filter: str
    PREFIX: ClassVar[str] = "tl"
    READERS = (_language, _page, _filter)


Press = TopicPress | SourcesPress | PagePress | SourcesPagePress | ChartPress | TimelinePress
PressKind = type[Press]
PRESS_KINDS: tuple[PressKind, ...] = (
    TopicPress,
    SourcesPress,
    PagePress,
    SourcesPagePress,
    ChartPress,
    TimelinePress,
)


def timeline_buttons(lang: str, page: int, pages: int, filter_words: str) -> list[list[Button]]:
    """ "Back" and "More" under a page of /timeline; none for one page, or for a filter too
    long for the 64 bytes (the first page is then all the user gets)."""
    key = "-".join(fold(filter_words).split())
    if pages <= 1 or _filter(key) is None:
        return []
    row = _back_and_more(lang, page, pages, lambda p: TimelinePress(lang, p, key), None)
    return [row] if row else []


def shows_trade_figures(answer: Answer) -> bool:
    """A reply with two-way trade figures gets a Chart button."""
    return any(
        f.claim is not None and f.claim.measure == TRADE_MEASURE
        for f in (*answer.facts, *answer.more)
    )


def _back_and_more(
    lang: str, page: int, pages: int, press_at: Callable[[int], _Press], left: int | None
) -> list[Button]:
    """ "« Back" and "More (left) »" for page ``page`` of ``pages``; none if the data would
    not fit in Telegram's 64 bytes."""
    row = []
    try:
        if page > 0:
            row.append(Button("« " + message("previous_button", lang), press_at(page - 1).pack()))
        if page + 1 < pages:
            more = message("more_button", lang) + (f" ({left})" if left is not None else "")
            row.append(Button(f"{more} »", press_at(page + 1).pack()))
    except CallbackDataTooLong:
        return []
    return row


def sources_buttons(kb: KnowledgeBase, lang: str, page: int) -> list[list[Button]]:
    """ "Back" and "More (n)" under a page of /sources; none when every source fits one."""
    left = len(kb.sources) - (page + 1) * SOURCES_PAGE_SIZE
    row = _back_and_more(
        lang, page, sources_page_count(kb), lambda p: SourcesPagePress(lang, p), left
    )
    return [row] if row else []


def press_kind(data: str) -> PressKind | None:
    """The kind of button ``data`` claims to come from (by its prefix), valid or not."""
    prefix = data.partition(":")[0]
    return next((kind for kind in PRESS_KINDS if kind.PREFIX == prefix), None)


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


def page_buttons(answer: Answer, token: str | None, page: int) -> list[Button]:
    """ "Back" and "More (n)" for a paged answer; none when it fits one page."""
    pages = page_count(answer)
    if token is None or pages <= 1:
        return []
    left = len(answer.more) - page * PAGE_SIZE
    return _back_and_more(answer.lang, page, pages, lambda p: PagePress(token, p), left)


def answer_buttons(
    answer: Answer, kb: KnowledgeBase, *, pages_token: str | None = None, page: int = 0
) -> list[list[Button]]:
    """Rows of buttons: suggested topics two a row; under a factual reply, "More" when there
    is more, and one that lists every source."""
    rows: list[list[Button]] = []
    topics = answer.suggestions if answer.kind is not AnswerKind.FACTS else ()
    buttons = []
    for topic_id in topics:
        if topic_id not in kb.topics:
            continue
        try:
            data = TopicPress(topic_id, answer.lang).pack()
        except CallbackDataTooLong:  # a very long topic id: no button rather than none at all
            continue
        buttons.append(Button(topic_label(kb, topic_id, answer.lang), data))
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    paging = page_buttons(answer, pages_token, page)
    if paging:
        rows.append(paging)
    if answer.kind is AnswerKind.FACTS or answer.related is not None:
        row = [Button(message("sources", answer.lang), SourcesPress(answer.lang).pack())]
        if answer.kind is AnswerKind.FACTS and shows_trade_figures(answer):
            chart = Button(message("chart_button", answer.lang), ChartPress(answer.lang).pack())
            row.insert(0, chart)
        rows.append(row)
    return rows
