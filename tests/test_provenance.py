"""Provenance: every number, year and proper name in a fact comes from its cited source.

A fact may also use what its source record resolves from the text (a relative phrase such
as "last year" resolved to 2022, the article's own date); those resolutions are part of
the KB and each carries its reason. Translations must carry the same figures as English.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from knowledge.loader import load_knowledge_base
from knowledge.model import Fact, Source
from knowledge.periods import parse_period

SOURCES_DIR = Path(__file__).resolve().parents[2] / "shared" / "sources"
MONTHS = (
    "January February March April May June July August September October November December"
).split()
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# Russian groups thousands with a (no-break or thin) space: "9 300" is the 9,300 of English.
THOUSANDS_SPACE = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?!\d))")
# Capitalised words that are not names: sentence starts are skipped separately.
NOT_NAMES = {"USD", "I", "The", "In", "As", "On", "At", "By", "Its", "It", "Both", "Since"}

KB = load_knowledge_base()


def compact(text: str) -> str:
    """Lowercase without whitespace: survives words the source ran together."""
    return re.sub(r"\s+", "", text).lower().replace("’", "'")


def numbers(text: str) -> Counter[str]:
    # 2,6 (vi/ru decimal comma) and 2.6 are the same figure.
    text = THOUSANDS_SPACE.sub(",", text)
    return Counter(n.replace(",", ".") for n in NUMBER.findall(text))


def allowed_from_metadata(source: Source) -> tuple[set[str], set[str]]:
    """Numbers and month names the source record resolves (its date, its resolutions)."""
    nums: set[str] = set()
    months: set[str] = set()
    periods = [source.date, *(parse_period(r.resolved) for r in source.resolutions)]
    for period in periods:
        for part in period.text.split(".."):
            pieces = part.split("-")
            nums.add(pieces[0])
            if len(pieces) > 1:
                months.add(MONTHS[int(pieces[1]) - 1])
            if len(pieces) > 2:
                nums.add(str(int(pieces[2])))
    return nums, months


def month_named(raw: str, month: str) -> bool:
    """The notes write months short ("24 Jan 1992", "Sept 2024"): either form counts."""
    if month.lower() in compact(raw):
        return True
    short = {month[:3], "Sept"} if month == "September" else {month[:3]}
    return any(re.search(rf"(?<![A-Za-z]){s}(?![a-z])", raw) for s in short)


def names_in(text: str) -> list[str]:
    """Capitalised words not opening a sentence."""
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        words = re.findall(r"[A-Za-z][\w'’-]*", sentence)
        found += [w for w in words[1:] if w[0].isupper() and w not in NOT_NAMES]
    return found


def source_path(source: Source) -> Path:
    """The full text of the article, or, for articles known from notes, the note on it."""
    if source.file:
        return SOURCES_DIR / source.file
    return SOURCES_DIR / "notes" / str(source.note)


def source_text(source: Source) -> str:
    """Fails (never skips) when the text is missing: a fact we cannot check is not proven."""
    path = source_path(source)
    assert path.is_file(), f"source {source.id}: {path} is missing"
    return path.read_text(encoding="utf-8")


def test_every_source_file_exists():
    assert SOURCES_DIR.is_dir(), f"the source texts must be at {SOURCES_DIR}"
    for source in KB.sources.values():
        assert source_path(source).is_file(), source_path(source)


@pytest.mark.parametrize("fact", KB.facts, ids=lambda f: f.id)
def test_fact_figures_and_names_come_from_its_source(fact: Fact):
    source = KB.sources[fact.source]
    raw = source_text(source)
    text_numbers = set(numbers(raw))
    meta_numbers, meta_months = allowed_from_metadata(source)
    english = fact.text["en"]
    for n in numbers(english):
        assert n in text_numbers or n in meta_numbers, (
            f"{fact.id}: {n} is neither in {source_path(source).name} nor resolved by {source.id}"
        )
    haystack = compact(raw)
    for name in names_in(english):
        if name in MONTHS:
            assert month_named(raw, name) or name in meta_months, (
                f"{fact.id}: month {name} is neither in {source_path(source).name} nor resolved"
            )
            continue
        stem = name.rstrip("’'s") if name.endswith(("’s", "'s")) else name
        assert compact(stem) in haystack, (
            f"{fact.id}: name {name!r} not in {source_path(source).name}"
        )


@pytest.mark.parametrize("fact", KB.facts, ids=lambda f: f.id)
def test_fact_when_is_supported_by_source(fact: Fact):
    source = KB.sources[fact.source]
    raw_numbers = set(numbers(source_text(source)))
    meta_numbers, _ = allowed_from_metadata(source)
    for part in fact.when.text.split(".."):
        year = part.split("-")[0]
        assert year in raw_numbers or year in meta_numbers, f"{fact.id}: year {year}"


@pytest.mark.parametrize("fact", KB.facts, ids=lambda f: f.id)
def test_translations_carry_the_same_figures(fact: Fact):
    english = numbers(fact.text["en"])
    for lang in ("vi", "ru"):
        # each figure as often as in English: a set would let a dropped repeat through
        assert numbers(fact.text[lang]) == english, (
            f"{fact.id}: {lang} figures {sorted(numbers(fact.text[lang]))} "
            f"differ from en {sorted(english)}"
        )


def test_no_fact_copies_a_source_sentence():
    """Facts are in our own words: no run of 12 words is taken from the source verbatim."""
    for fact in KB.facts:
        source = KB.sources[fact.source]
        haystack = " ".join(re.findall(r"\w+", source_text(source).lower()))
        words = re.findall(r"\w+", fact.text["en"].lower())
        for i in range(len(words) - 11):
            run = " ".join(words[i : i + 12])
            assert run not in haystack, f"{fact.id} copies: {run!r}"


def test_every_url_comes_from_its_source_or_note():
    """Never an invented URL: a source known from a note cites the address the note gives."""
    for source in KB.sources.values():
        if source.url and source.note:
            assert source.url in source_text(source), (source.id, source.url)
