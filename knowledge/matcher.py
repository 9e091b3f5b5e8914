"""Match a question to topics of the knowledge base.

The index is built once per knowledge base. A question is folded and stemmed;
each word the index does not know is corrected to the nearest known word with
rapidfuzz (typos), then topic aliases are found as phrases among the corrected
words. Foreign countries, greetings and filler words are recognised on the way.

The thresholds below were chosen with ``python bot.py eval --sweep`` on
tests/eval/questions.yaml (see the README's "Evaluation" section).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from knowledge.model import KnowledgeBase
from knowledge.normalize import (
    FILLER_WORDS,
    GREETING_WORDS,
    SCOPE_WORDS,
    fold,
    fold_keep_marks,
    stem,
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    # A typo is corrected when the nearest known word scores at least `accept` (fuzz.ratio);
    # between `suggest` and `accept` the topic is only offered as a suggestion.
    accept: float = 80.0
    suggest: float = 70.0
    # Shorter words are never fuzzy-corrected: one letter off is another word ("rice"/"nice").
    min_fuzzy_length: int = 5
    # A topic matched while most of the question is unexplained is offered, not answered.
    min_coverage: float = 0.5


THRESHOLDS = Thresholds()

COUNTRIES_FILE = Path(__file__).with_name("countries.json")


def _stem_set(words: frozenset[str]) -> frozenset[str]:
    return words | frozenset(stem(w) for w in words)


_FILLER = _stem_set(FILLER_WORDS)
_GREETING = _stem_set(GREETING_WORDS)
_SCOPE = _stem_set(SCOPE_WORDS)


@dataclass(frozen=True, slots=True)
class Alias:
    stems: tuple[str, ...]
    topic: str


@dataclass(frozen=True, slots=True)
class Country:
    stems: tuple[str, ...]
    code: str
    name: str


@dataclass(slots=True)
class MatchIndex:
    """Everything matching needs, precomputed from one knowledge base."""

    aliases_by_first: dict[str, list[Alias]]
    phrases_by_word: dict[str, list[Alias]]  # multi-word aliases, under each of their words
    alias_words: list[str]  # folded alias words, the choices for typo correction
    alias_word_stem: dict[str, str]
    alias_stems: frozenset[str]
    countries_by_first: dict[str, list[Country]]
    marked_countries: dict[str, Country]  # short names told apart only by diacritics ("mỹ")
    facts_by_stem: dict[str, tuple[str, ...]]  # word stem -> ids of facts whose text has it


@dataclass(slots=True)
class TopicHit:
    topic: str
    score: float
    start: int
    end: int  # exclusive, in word positions


@dataclass(slots=True)
class Match:
    """What the question is about, before facts are chosen."""

    words: list[str] = field(default_factory=list)
    content_stems: list[str] = field(default_factory=list)
    hits: list[TopicHit] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    greeting: bool = False
    coverage: float = 0.0
    in_scope_words: bool = False


def _phrase_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in fold(text).split() if stem(w) not in _FILLER or len(text) < 4)


def _load_countries() -> tuple[dict[str, list[Country]], dict[str, Country]]:
    table = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    by_first: dict[str, list[Country]] = defaultdict(list)
    marked: dict[str, Country] = {}
    for code, names in table.items():
        english = names["en"][0]
        for lang_names in names.values():
            for name in lang_names:
                words = tuple(stem(w) for w in fold(name).split())
                if not words:
                    continue
                country = Country(words, code, english)
                plain = fold(name)
                if len(words) == 1 and len(plain) <= 3 and fold_keep_marks(name) != plain:
                    marked[fold_keep_marks(name)] = country  # "mỹ" but not "my"
                    continue
                if len(words) == 1 and (words[0] in _FILLER or words[0] in _SCOPE):
                    continue
                by_first[words[0]].append(country)
    return dict(by_first), marked


def build_index(kb: KnowledgeBase) -> MatchIndex:
    aliases_by_first: dict[str, list[Alias]] = defaultdict(list)
    word_stem: dict[str, str] = {}
    for topic in kb.topics.values():
        phrases = [
            *topic.aliases.get("en", ()),
            *topic.aliases.get("vi", ()),
            *topic.aliases.get("ru", ()),
            topic.command,
        ]
        for phrase in phrases:
            words = [w for w in fold(phrase).split() if stem(w) not in _FILLER] or fold(
                phrase
            ).split()
            if not words:
                continue
            alias = Alias(tuple(stem(w) for w in words), topic.id)
            if alias not in aliases_by_first[alias.stems[0]]:
                aliases_by_first[alias.stems[0]].append(alias)
            for w in words:
                word_stem[w] = stem(w)
    for word in SCOPE_WORDS:
        word_stem.setdefault(word, stem(word))
    facts_by_stem: dict[str, list[str]] = defaultdict(list)
    for fact in kb.facts:
        found = {
            stem(w)
            for text in fact.text.values()
            for w in fold(text).split()
            if len(w) >= 3 and stem(w) not in _FILLER and stem(w) not in _SCOPE
        }
        for s in sorted(found):
            facts_by_stem[s].append(fact.id)
    countries_by_first, marked = _load_countries()
    phrases_by_word: dict[str, list[Alias]] = defaultdict(list)
    for aliases in aliases_by_first.values():
        for alias in aliases:
            if len(alias.stems) > 1:
                for s in set(alias.stems):
                    phrases_by_word[s].append(alias)
    return MatchIndex(
        aliases_by_first=dict(aliases_by_first),
        phrases_by_word=dict(phrases_by_word),
        alias_words=sorted(word_stem),
        alias_word_stem=word_stem,
        alias_stems=frozenset(
            s for aliases in aliases_by_first.values() for a in aliases for s in a.stems
        ),
        countries_by_first=countries_by_first,
        marked_countries=marked,
        facts_by_stem={s: tuple(ids) for s, ids in facts_by_stem.items()},
    )


def index_for(kb: KnowledgeBase) -> MatchIndex:
    if kb.index is None:
        kb.index = build_index(kb)
    return kb.index


def _correct(word: str, index: MatchIndex) -> tuple[str, float]:
    """The stem this word stands for and how sure we are (100 = known word)."""
    s = stem(word)
    if s in index.alias_stems or word in index.alias_word_stem:
        return index.alias_word_stem.get(word, s), 100.0
    if len(word) < THRESHOLDS.min_fuzzy_length or word.isdigit() or s in index.countries_by_first:
        return s, 0.0
    best = process.extractOne(
        word, index.alias_words, scorer=fuzz.ratio, score_cutoff=THRESHOLDS.suggest
    )
    if best is None:
        return s, 0.0
    return index.alias_word_stem[best[0]], float(best[1])


def _find_aliases(corrected: list[tuple[str, float]], index: MatchIndex) -> list[TopicHit]:
    hits: list[TopicHit] = []
    stems_ = [s for s, _ in corrected]
    for i, first in enumerate(stems_):
        for alias in index.aliases_by_first.get(first, ()):
            n = len(alias.stems)
            if tuple(stems_[i : i + n]) == alias.stems:
                score = min(sc for _, sc in corrected[i : i + n])
                if score >= THRESHOLDS.suggest:
                    hits.append(TopicHit(alias.topic, score, i, i + n))
    # Aliases whose words all occur but not side by side ("студентов вьетнамских") count a
    # little less than the phrase itself.
    present = {s: j for j, s in enumerate(stems_)}
    candidates = {a for s in present for a in index.phrases_by_word.get(s, ())}
    for alias in sorted(candidates, key=lambda a: (a.topic, a.stems)):
        if all(s in present for s in alias.stems):
            positions = [present[s] for s in alias.stems]
            if any(h.topic == alias.topic and h.start == min(positions) for h in hits):
                continue
            score = min(corrected[p][1] for p in positions) - 5
            if score >= THRESHOLDS.suggest:
                hits.append(TopicHit(alias.topic, score, min(positions), max(positions) + 1))
    return hits


def _find_countries(
    words: list[str], marked: list[str], taken: set[int], index: MatchIndex
) -> list[str]:
    stems_ = [stem(w) for w in words]
    found: list[str] = []
    for i, first in enumerate(stems_):
        if i in taken:
            continue
        for country in index.countries_by_first.get(first, ()):
            n = len(country.stems)
            if tuple(stems_[i : i + n]) == country.stems and not taken & set(range(i, i + n)):
                if country.name not in found:
                    found.append(country.name)
    for word in marked:
        country = index.marked_countries.get(word)
        if country and country.name not in found:
            found.append(country.name)
    return found


def _select(hits: list[TopicHit]) -> list[TopicHit]:
    """Best hit per topic, then drop hits whose words a better hit already explains."""
    best: dict[str, TopicHit] = {}
    for h in sorted(hits, key=lambda h: (-h.score, -(h.end - h.start), h.start)):
        best.setdefault(h.topic, h)
    chosen: list[TopicHit] = []
    for h in sorted(best.values(), key=lambda h: (-h.score, -(h.end - h.start), h.start)):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return chosen


def match_question(question: str, kb: KnowledgeBase) -> Match:
    index = index_for(kb)
    words = fold(question).split()
    result = Match(words=words)
    if not words:
        return result
    corrected = [_correct(w, index) for w in words]
    all_hits = _find_aliases(corrected, index)
    taken = {p for h in all_hits if h.score >= 100 for p in range(h.start, h.end)}
    marked = [w for w in fold_keep_marks(question).split() if w in index.marked_countries]
    result.countries = _find_countries(words, marked, taken, index)

    content: list[int] = []
    greeting = False
    for i, w in enumerate(words):
        s = stem(w)
        if w.isdigit():
            continue
        if i in taken:
            content.append(i)
        elif w in SCOPE_WORDS or s in _SCOPE:
            result.in_scope_words = True
        elif w in GREETING_WORDS or s in _GREETING:
            greeting = True
        elif not (w in FILLER_WORDS or s in _FILLER):
            content.append(i)
    result.content_stems = [corrected[i][0] if corrected[i][1] else stem(words[i]) for i in content]
    accepted = [h for h in all_hits if h.score >= THRESHOLDS.accept]
    result.hits = _select(accepted)
    explained = {p for h in result.hits for p in range(h.start, h.end)}
    result.coverage = sum(1 for i in content if i in explained) / len(content) if content else 0.0
    result.greeting = greeting and not result.hits
    chosen = {h.topic for h in result.hits}
    result.suggestions = [
        h.topic for h in sorted(all_hits, key=lambda h: -h.score) if h.topic not in chosen
    ]
    result.suggestions = list(dict.fromkeys(result.suggestions))
    return result


def facts_mentioning(stems_: list[str], index: MatchIndex, max_share: int = 3) -> dict[str, int]:
    """Facts whose own text holds a rare word of the question, with how many such words."""
    hits: Counter[str] = Counter()
    for s in set(stems_):
        fact_ids = index.facts_by_stem.get(s, ())
        if len(s) >= 4 and len(fact_ids) <= max_share:
            hits.update(fact_ids)
    return dict(hits)
