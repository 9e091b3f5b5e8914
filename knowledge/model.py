"""Core types of the knowledge base and of an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from knowledge.records import LANGUAGES
from knowledge.scope import Country, Scope

Texts = dict[str, str]


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive span of days, kept with the precision it was written in."""

    start: date
    end: date
    text: str

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def whole_years(self) -> bool:
        """January 1 to December 31: a full-year figure, not nine months of one."""
        return (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)


@dataclass(frozen=True, slots=True)
class Resolution:
    phrase: str
    resolved: str
    reason: str


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    publisher: str
    title: str
    date: Period
    date_basis: str
    file: str | None
    url: str | None
    resolutions: tuple[Resolution, ...] = ()
    note: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Holder:
    entity: str
    when: Period
    source: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    kind: str
    label: Texts
    names: dict[str, tuple[str, ...]]
    country: str | None = None
    holders: tuple[Holder, ...] = ()


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    label: Texts
    unit: Texts


@dataclass(frozen=True, slots=True)
class Claim:
    measure: str
    period: Period
    value: float
    by: Texts | None = None
    qualifier: str | None = None
    disputed: bool = False


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    command: str
    label: Texts
    description: Texts
    aliases: dict[str, tuple[str, ...]]
    main: bool = False
    broad: bool = False


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    topics: tuple[str, ...]
    when: Period
    source: str
    text: Texts
    resolved_from: str | None = None
    entities: tuple[str, ...] = ()
    answers: frozenset[str] = frozenset()  # amount, count, rate, date, person, place, ...
    direction: str | None = None  # "<giver>-<receiver>", codes of the scope's countries
    claim: Claim | None = None
    names_day: bool = False  # its text gives the day ("on 26–27 November 2014"), not only a month
    # a plan or forecast: the later years it is for ("agreed in December 2016 to reach US$500
    # million in 2017" answers "the target for 2017")
    aims_at: Period | None = None
    people: tuple[str, ...] = ()  # the entities it links that are people
    places: tuple[str, ...] = ()  # …and places
    organisations: tuple[str, ...] = ()  # …and organisations
    figures: frozenset[str] = frozenset()  # the numbers its text states, years left out

    def text_in(self, lang: str) -> str:
        return self.text.get(lang) or self.text["en"]


class AnswerKind(StrEnum):
    FACTS = "facts"
    SUGGESTIONS = "suggestions"
    OUT_OF_SCOPE = "out_of_scope"
    GREETING = "greeting"
    UNKNOWN = "unknown"
    EMPTY = "empty"


@dataclass(frozen=True, slots=True)
class Context:
    """What an answer was about, so that an elliptical follow-up ("and in 2022?") can
    continue it: its topics, entities, period and kind of question, and the facts shown."""

    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    period: Period | None = None
    question_kind: str | None = None
    shown: tuple[str, ...] = ()
    lang: str | None = None
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """What the core found for one question; rendering turns it into text.

    ``facts`` is what the reply shows, best first; ``more`` the rest of what matched, in
    order, for the "More" pages. ``related`` is one clearly labelled fact beside an "I don't
    have that" (``kind`` UNKNOWN); ``missing_direction`` says the question asked one
    direction ("vn-by") and the KB holds only the other."""

    query: str
    kind: AnswerKind
    lang: str = "en"
    intents: tuple[str, ...] = ()
    score: float = 0.0
    facts: tuple[Fact, ...] = ()
    suggestions: tuple[str, ...] = ()
    period: Period | None = None
    period_found: bool = True
    foreign_countries: tuple[str, ...] = ()
    more: tuple[Fact, ...] = ()
    related: Fact | None = None
    question_kind: str = "what"
    entities: tuple[str, ...] = ()
    missing_direction: str | None = None
    confirms: bool = False  # a yes/no question the first fact settles with "yes"
    follow_up: bool = False  # the question was read as continuing the previous one
    latest: bool = False  # "now", "latest": the reply says what date its facts are true as of
    context: Context | None = None

    @property
    def intent(self) -> str | None:
        return self.intents[0] if self.intents else None


@dataclass(slots=True)
class KnowledgeBase:
    scope: Scope
    sources: dict[str, Source]
    topics: dict[str, Topic]
    facts: tuple[Fact, ...]
    origin: str = ""
    entities: dict[str, Entity] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    facts_by_topic: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    facts_by_id: dict[str, Fact] = field(default_factory=dict)
    # The matcher's precomputed index, built on first use (knowledge.matcher.index_for).
    index: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.facts_by_id = {f.id: f for f in self.facts}
        if not self.facts_by_topic:
            self.facts_by_topic = {
                topic_id: tuple(f for f in self.facts if topic_id in f.topics)
                for topic_id in self.topics
            }

    def topic_by_command(self, command: str) -> Topic | None:
        command = command.lower()
        return next((t for t in self.topics.values() if t.command == command), None)


__all__ = [
    "LANGUAGES",
    "Answer",
    "AnswerKind",
    "Claim",
    "Context",
    "Country",
    "Entity",
    "Fact",
    "Holder",
    "Measure",
    "KnowledgeBase",
    "Period",
    "Resolution",
    "Scope",
    "Source",
    "Topic",
]
