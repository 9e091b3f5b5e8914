"""The on-disk schema of knowledge-base YAML files.

Each YAML file in the knowledge-base directory is a mapping with any of the keys
``sources``, ``topics`` and ``facts``; the loader merges all files. These
structs describe exactly what a file may say (unknown keys are rejected); the
loader turns them into the core types of ``knowledge.model``.
"""

from __future__ import annotations

import msgspec

LANGUAGES = ("en", "vi", "ru")


class Texts(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """The same text in each supported language; English is required."""

    en: str
    vi: str | None = None
    ru: str | None = None


class Aliases(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """Words and phrases that name a topic, per language."""

    en: list[str] = []
    vi: list[str] = []
    ru: list[str] = []


class Resolution(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """How a relative phrase of a source text was turned into an absolute date."""

    phrase: str
    resolved: str
    reason: str


class SourceRecord(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    publisher: str
    title: str
    date: str
    date_basis: str
    file: str
    url: str | None = None
    resolutions: list[Resolution] = []


class TopicRecord(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    command: str
    label: Texts
    description: Texts
    aliases: Aliases
    main: bool = False


class FactRecord(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    topics: list[str]
    when: str
    source: str
    text: Texts
    resolved_from: str | None = None


class KnowledgeFile(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    sources: list[SourceRecord] = []
    topics: list[TopicRecord] = []
    facts: list[FactRecord] = []
