"""The on-disk schema of knowledge-base YAML files.

Each YAML file in the knowledge-base directory is a mapping with any of the keys
``scope``, ``sources``, ``topics``, ``entities``, ``measures`` and ``facts``; the loader
merges all files (exactly one of them gives the ``scope``). These
structs describe exactly what a file may say (unknown keys are rejected); the
loader turns them into the core types of ``knowledge.model``.
"""

from __future__ import annotations

import msgspec

LANGUAGES = ("en", "vi", "ru")


class Record(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Every record below: unknown keys are errors, and a loaded record never changes."""


class Texts(Record):
    """The same text in each supported language; English is required."""

    en: str
    vi: str | None = None
    ru: str | None = None


class Aliases(Record):
    """Words and phrases that name a topic, per language."""

    en: list[str] = []
    vi: list[str] = []
    ru: list[str] = []


class Resolution(Record):
    """How a relative phrase of a source text was turned into an absolute date."""

    phrase: str
    resolved: str
    reason: str


class SourceRecord(Record):
    """A published article. ``file`` is its full text in the sources folder, or, for the
    articles known only from notes, ``note``: the note in ``sources/notes/`` that the
    provenance test checks the facts against (a fact still cites the article, never the note)."""

    id: str
    publisher: str
    title: str
    date: str
    date_basis: str
    file: str | None = None
    note: str | None = None
    url: str | None = None
    language: str | None = None
    resolutions: list[Resolution] = []


class TopicRecord(Record):
    id: str
    command: str
    label: Texts
    description: Texts
    aliases: Aliases
    main: bool = False
    # A broad topic ("relations") yields to a more specific one named in the same question.
    broad: bool = False


ENTITY_KINDS = ("person", "office", "organisation", "place", "good", "event")
# What a fact can answer; inferred from its text when a fact does not say (see model.py).
ANSWER_KINDS = (
    "amount", "count", "rate", "date", "person", "office", "place", "reason", "yesno", "plan",
    "occasions", "price", "goods", "duration", "distance", "capacity", "frequency",
)  # fmt: skip
# A direction names who gives and who receives (the scope's codes, "vn-by"); visits and visa
# waivers go the way people travel. A fact may also go both ways at once: a mutual visa
# waiver answers "can Vietnamese go to Belarus" and the reverse.
BOTH_WAYS = "both"


class Holder(Record):
    """Who held an office when, as a source says."""

    entity: str
    when: str
    source: str


class EntityRecord(Record):
    """A person, office, organisation, place or good facts mention, with the names users
    type for it (diacritics optional; Belarusian, Russian and English spellings)."""

    id: str
    kind: str
    label: Texts
    names: Aliases
    country: str | None = None  # the code of the scope's country it belongs to, if one
    holders: list[Holder] = []


class MeasureRecord(Record):
    """A quantity sources report for periods (two-way trade, agreements signed...)."""

    id: str
    label: Texts
    unit: Texts


class Claim(Record):
    """The figure a fact states for a measure and period. Facts giving different values for
    the same measure and period must all say ``disputed: true``: answers then show every
    claim with its source instead of one."""

    measure: str
    period: str
    value: float
    by: Texts | None = None  # who states it, when not the publisher ("Vietnam Customs")
    qualifier: str | None = None  # "about", "over", "almost"
    disputed: bool = False


class FactRecord(Record):
    id: str
    topics: list[str]
    when: str
    source: str
    text: Texts
    resolved_from: str | None = None
    entities: list[str] = []
    answers: list[str] = []  # what the fact answers, when the inference from the text is wrong
    direction: str | None = None
    claim: Claim | None = None


class CountryRecord(Record):
    """One side of the scope. ``words`` are the whole words (folded: no case, no diacritics)
    that name it and put a question in scope; ``sides`` the words and phrases that name it
    in a direction question ("vietnam's exports"), a final ``*`` standing for any ending;
    ``people`` the words for its people ("vietnamese who came", "сколько вьетнамцев").
    ``outward`` says "from here to the other country" in each language."""

    code: str
    name: Texts
    outward: Texts
    words: list[str]
    sides: list[str]
    people: list[str] = []


class ScopeRecord(Record):
    """The country pair the KB is about. ``name`` is the pair as a heading ("Vietnam–Belarus"),
    ``relations`` the pair's relations as the bot's sentences say them ("I answer questions
    about {relations}"), and ``words`` the words besides the countries' own that mean "about
    the two of them" ("bilateral"). A direction is ``<code>-<code>``: giver, then receiver."""

    name: Texts
    relations: Texts
    countries: list[CountryRecord]
    words: list[str] = []


class KnowledgeFile(Record):
    scope: ScopeRecord | None = None
    sources: list[SourceRecord] = []
    topics: list[TopicRecord] = []
    entities: list[EntityRecord] = []
    measures: list[MeasureRecord] = []
    facts: list[FactRecord] = []
