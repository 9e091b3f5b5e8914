"""Match a question to topics of the knowledge base.

The index is built once per knowledge base. A question is folded and stemmed;
each word the index does not know is corrected to the nearest known word with
rapidfuzz (typos), then topic aliases are found as phrases among the corrected
words. Foreign countries, greetings and filler words are recognised on the way.

The thresholds below were chosen with ``python bot.py eval --sweep`` on
knowledge/eval/questions.yaml (see the README's "Evaluation" section).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from knowledge.language import detect_language
from knowledge.model import KnowledgeBase, Period
from knowledge.normalize import (
    CYRILLIC,
    FILLER_WORDS,
    GREETING_WORDS,
    fold,
    fold_keep_marks,
    stem,
)
from knowledge.question import QuestionReader, kind_pattern_words


@dataclass(frozen=True, slots=True)
class Thresholds:
    # A typo is corrected when the nearest known word scores at least `accept` (optimal
    # string alignment similarity x 100: a swap of two letters is one edit, "tarde"/"trade");
    # between `suggest` and `accept` the topic is only offered as a suggestion.
    accept: float = 80.0
    suggest: float = 70.0
    # Shorter words are never fuzzy-corrected: one letter off is another word ("rice"/"nice").
    min_fuzzy_length: int = 4
    # A topic matched while most of the question is unexplained is offered, not answered.
    min_coverage: float = 0.5
    # With no topic named, facts found by their own words must explain this much.
    min_fallback_coverage: float = 0.67


THRESHOLDS = Thresholds()

SURE = 100.0  # the certainty of a word found as it is (no typo correction)
# Words shorter than this are not indexed from fact texts: "of", "và", "в" tell nothing.
MIN_INDEXED_WORD = 3
# Folded Vietnamese syllables this short are never fuzzy-corrected: one letter off is another
# real word ("ban"/"bao").
MAX_VIETNAMESE_SYLLABLE = 4
# Only words this long may be offered as a suggestion below the acceptance score.
MIN_SUGGESTED_WORD = 6
# rapidfuzz turns a normalised cutoff into whole edits and can drop a match exactly at it.
CUTOFF_SLACK = 0.05
# A phrase whose words occur apart ("студентов вьетнамских") counts this much less.
SCATTERED_PHRASE_PENALTY = 5.0
# A Russian stem cut by 1–2 letters must keep this many to stand for a country.
MIN_CUT_COUNTRY_STEM = 5
# Stems shorter than this rank no fact by their own words (too many chance matches).
MIN_RANKING_STEM = 4
# How much more than an unexplained word a word the KB does not know at all weighs against
# the question's coverage: at 1.0, chatter ("snappy stat for a TV segment") made it give up.
FOREIGN_WORD_EXTRA = 0.5
# Words this long that are one edit from a word of the facts are typos of it ("visted"), not
# another subject; shorter ones are too often real words of their own.
MIN_TYPO_WORD = 5

COUNTRIES_FILE = Path(__file__).with_name("countries.json")
# countries.json: each country's names in these languages, and its cities under "cities"
COUNTRY_NAME_LANGS = ("en", "vi", "ru")
OTHER_SUBJECTS_FILE = Path(__file__).with_name("other_subjects.yaml")
DEMONYMS_FILE = Path(__file__).with_name("demonyms.yaml")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MENTION = re.compile(r"@\w+")
# Words of asking, not of the subject: they never rank a fact ("tell us about trade" is not
# a fact with "about" in it).
_ASKING = frozenset(
    "tell about please pls show give know explain describe question answer "
    "info information details "
    # question words and pronouns: rare in the facts' texts, so they would weigh much
    # ("them" is left out: folded, it is also Vietnamese "thêm", more)
    "which what who whom whose when where why how they their these those it its "
    "exist exists existing any some".split()
)
# "US tourists", "the U.S.", not "US$500 million" nor "US dollars": a currency, not a country
_US = re.compile(
    r"(?<![\w.])(?:U\.?S\.?(?:A\.?)?|(?i:(?<=the )us))(?![\w$])(?!\s*(?:\$|dollars?\b))"
)


def _stem_set(words: frozenset[str]) -> frozenset[str]:
    return words | frozenset(stem(w) for w in words)


_FILLER = _stem_set(FILLER_WORDS)


ENTITY_PREFIX = "@"  # an alias of an entity names "@<entity id>" where a topic alias names a topic


@dataclass(frozen=True, slots=True)
class Alias:
    stems: tuple[str, ...]
    topic: str  # a topic id, or ENTITY_PREFIX + an entity id


@dataclass(frozen=True, slots=True)
class Country:
    stems: tuple[str, ...]
    code: str
    name: str
    # a one-word Russian name whose stem is this short ("дан" of "Дания") must be the word
    # itself or an inflection of it, not any word with that stem ("данным")
    word: str | None = None


@dataclass(slots=True)
class MatchIndex:
    """Everything matching needs, precomputed from one knowledge base."""

    # Aliases under their first word (one-word aliases) or first two words (phrases).
    aliases_by_start: dict[tuple[str, ...], list[Alias]]
    # Phrases with meaningful filler in them ("nine months"), under their first two words.
    exact_by_start: dict[tuple[str, ...], list[Alias]]
    # Phrases under their rarest word: a phrase can only be present if that word is.
    phrases_by_rarest: dict[str, list[Alias]]
    alias_words: list[str]  # folded alias words, the choices for typo correction
    alias_word_stem: dict[str, str]
    alias_stems: frozenset[str]
    countries_by_first: dict[str, list[Country]]
    cyrillic_country_endings: dict[str, tuple[str, ...]]  # "кит" -> ("а",): "кита" is China
    marked_countries: dict[str, Country]  # short names told apart only by diacritics ("mỹ")
    facts_by_stem: dict[str, tuple[str, ...]]  # word stem -> ids of facts whose text has it
    stems_by_fact: dict[str, frozenset[str]]  # …and the other way round
    fact_words: list[str]  # folded words of the facts' texts: a typo of one is no new subject
    fact_topics: dict[str, frozenset[str]]
    # The words that place a question inside the KB's country pair, and their stems
    scope_words: frozenset[str]
    scope_prefixes: tuple[str, ...]  # "белорус": "белорусу", "белорусы" place it there too
    # the Cyrillic words the matcher knows, for Russian typed in Latin letters (translit)
    cyrillic_words: frozenset[str]
    scope_stems: frozenset[str]
    questions: QuestionReader  # the question patterns, the pair's words compiled in
    # entity id -> ids of facts linked to it, or (for an office) to someone who held it
    facts_by_entity: dict[str, frozenset[str]] = field(default_factory=dict)
    # year -> ids of the facts whose date touches it, in KB order (periods without a scan)
    facts_by_year: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # (measure, period) -> ids of the facts claiming a value for it, in KB order
    facts_by_claim: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    # a word stem of the topics' names -> the topics ("tourist" -> tourism)
    topics_by_word_stem: dict[str, frozenset[str]] = field(default_factory=dict)
    # one-syllable Vietnamese aliases told apart only by their marks: "ky" -> {"ký"} (sign),
    # so that "kỳ" (period) typed with its marks is not taken for it
    marked_aliases: dict[str, frozenset[str]] = field(default_factory=dict)
    # …and Vietnamese phrases: ("dau", "tu") -> {("đầu", "tư")} (invest), so that "bắt đầu
    # từ" (starting from) typed with its marks is not taken for it
    marked_phrases: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = field(default_factory=dict)
    # subjects outside any pair's relations ("weather", "khách sạn") the KB does not use,
    # as stem sequences under their first stem
    other_subjects: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)
    # three stems running in a fact's text, glue left out, that hold a country's name: "the
    # Customs Union of Russia, Belarus and Kazakhstan" holds ("russia", "belarus", "kazakhstan")
    country_trigrams: frozenset[tuple[str, str, str]] = frozenset()
    # ``phrases_by_rarest`` less the entities' names, each phrase with the set of its stems
    scattered_phrases: dict[str, tuple[tuple[Alias, frozenset[str]], ...]] = field(
        default_factory=dict
    )
    # entity id -> every folded word of its names in every language, and their stems
    name_words: dict[str, frozenset[str]] = field(default_factory=dict)
    name_stems: dict[str, frozenset[str]] = field(default_factory=dict)
    # word stem -> the topics of the facts whose text has it, filled in as met
    topics_by_fact_stem: dict[str, frozenset[str]] = field(default_factory=dict)
    # (a word's length, a cutoff) -> the words of ``alias_words`` (``fact_words``) whose
    # length lets them reach the cutoff against such a word, filled in as met (the cutoff is
    # the caller's: a length and a cutoff not asked for are never listed)
    alias_choices: dict[tuple[int, float], list[str]] = field(default_factory=dict)
    fact_choices: dict[tuple[int, float], list[str]] = field(default_factory=dict)


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
    entities: list[str] = field(default_factory=list)  # entity ids named, in question order
    # content words no topic, entity or fact explains ("hotel", "traffic")
    unexplained: list[str] = field(default_factory=list)
    # unexplained words the KB does not know at all ("football"): another subject
    foreign: list[str] = field(default_factory=list)
    # …of which capitalised inside a sentence: a name the KB does not know ("Turchin")
    unknown_names: list[str] = field(default_factory=list)
    # places named as typed in the question itself (not where the asker tells of
    # themselves) that no fact links: "is there a flight to Da Nang?"
    places_without_facts: list[str] = field(default_factory=list)
    # stems of every word but glue and numbers, for ranking facts by their own words
    ranking_stems: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    greeting: bool = False  # nothing but greetings (and filler) was said
    coverage: float = 0.0
    in_scope_words: bool = False
    # words naming a subject outside the pair's relations ("weather in Nha Trang")
    other_subjects: list[str] = field(default_factory=list)


def _names_a_side(names: dict[str, list[str]], scope_stems: frozenset[str]) -> bool:
    """True when one of a country's names is made only of the scope's words ("Việt Nam")."""
    return any(
        all(stem(w) in scope_stems for w in fold(name).split())
        for lang_names in names.values()
        for name in lang_names
        if fold(name)
    )


def _city_names(
    cities: dict[str, list[str]], known_stems: frozenset[str], known_phrases: frozenset[tuple]
) -> dict[str, list[str]]:
    """A foreign country's cities that stand for it ("students in Moscow"), leaving out a
    one-word name the KB itself uses ("Kazan" when a fact names it) and a longer one that
    is a phrase of the KB's own."""

    def foreign(name: str) -> bool:
        stems = tuple(stem(w) for w in fold(name).split() if w not in _GLUE)
        return bool(stems) and not _kb_speaks_of(stems, known_stems, known_phrases)

    return {lang: [n for n in names if foreign(n)] for lang, names in cities.items()}


def _kb_speaks_of(
    stems: tuple[str, ...],
    known_stems: frozenset[str],
    known_phrases: frozenset[tuple],
    fact_text: str = "",
) -> bool:
    """True when the KB itself uses a name or subject: a word its facts or aliases hold, a
    phrase that is one of its aliases or stands in ``fact_text`` (its facts' stems)."""
    if len(stems) == 1:
        return stems[0] in known_stems
    return stems in known_phrases or (bool(fact_text) and f" {' '.join(stems)} " in fact_text)


def _load_countries(
    scope_stems: frozenset[str],
    known_stems: frozenset[str] = frozenset(),
    known_phrases: frozenset[tuple] = frozenset(),
) -> tuple[dict[str, list[Country]], dict[str, Country]]:
    table = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    import yaml  # only while the index is built

    demonyms = yaml.safe_load(DEMONYMS_FILE.read_text(encoding="utf-8")) or {}
    by_first: dict[str, list[Country]] = defaultdict(list)
    marked: dict[str, Country] = {}
    for code, entry in table.items():
        names = {lang: entry[lang] for lang in COUNTRY_NAME_LANGS}
        if _names_a_side(names, scope_stems):
            continue  # one of the KB's own two countries is no foreign country
        english = names["en"][0]
        cities = _city_names(
            entry.get("cities", {}), known_stems | scope_stems | _FILLER, known_phrases
        )
        for lang in names:
            names[lang] = names[lang] + cities.get(lang, [])
        names["en"] = names["en"] + list(demonyms.get(code, []))  # "Russian tourists"
        seen: set[str] = set()  # "Vilnius" is the same in English and Vietnamese
        for lang, lang_names in names.items():
            for name in lang_names:
                if name in seen:
                    continue
                seen.add(name)
                words = tuple(stem(w) for w in fold(name).split())
                if not words:
                    continue
                plain = fold(name)
                short_cyrillic = len(words) == 1 and CYRILLIC.search(plain) and len(words[0]) < 5
                country = Country(words, code, english, plain if short_cyrillic else None)
                if (
                    len(words) == 1
                    and fold_keep_marks(name) != plain
                    and (lang == "vi" or len(plain) <= 3)
                ):
                    # One syllable told apart only by its marks: "Nhật" is Japan, "nhất" is not.
                    marked[fold_keep_marks(name)] = country
                    continue
                if len(words) == 1 and words[0] in _FILLER and name.isupper():
                    # "US" is "us" folded: only "the US" names the country
                    words = ("the", *words)
                    by_first["the"].append(Country(words, code, english, None))
                    continue
                if len(words) == 1 and (words[0] in _FILLER or words[0] in scope_stems):
                    continue
                by_first[words[0]].append(country)
    return dict(by_first), marked


# Function words a phrase may drop and still mean the same ("house of representatives" =
# "house representatives"). Other filler inside a phrase is meaning: "báo chí" (the press) is
# not "chí", "nine months" is not nothing, "Hồ Chí Minh" keeps its "Minh".
_GLUE = frozenset(
    (
        "a an the of and or in on at to for from by with s va cua voi o и в во на о об с со по "
        "для _"
    ).split()
)


def _add_alias(
    phrase: str,
    target: str,
    aliases: set[Alias],
    exact_aliases: set[Alias],
    word_stem: dict[str, str],
) -> None:
    words = fold(phrase).split()
    content = [w for w in words if stem(w) not in _FILLER]
    meaningful_filler = [w for w in words if stem(w) in _FILLER and w not in _GLUE]
    # A name keeps its small words: "ambassador of Vietnam" is not "ambassador to Vietnam".
    name_with_glue = target.startswith(ENTITY_PREFIX) and any(w in _GLUE for w in words)
    # …and its words that are greetings elsewhere: "Фам Хай" is a name, "хай" a hello
    name_with_greeting = target.startswith(ENTITY_PREFIX) and any(
        w in GREETING_WORDS for w in words
    )
    if len(words) > 1 and (meaningful_filler or name_with_glue or name_with_greeting):
        # matched word for word among all the question's words, filler included
        exact_aliases.add(Alias(tuple(stem(w) for w in words), target))
        words_kept = words
    elif content:
        aliases.add(Alias(tuple(stem(w) for w in content), target))
        words_kept = content
    else:
        return  # one generic word ("cooperation") names nothing
    for w in words_kept:
        word_stem[w] = stem(w)


def build_index(kb: KnowledgeBase) -> MatchIndex:
    aliases: set[Alias] = set()
    exact_aliases: set[Alias] = set()
    word_stem: dict[str, str] = {}
    for topic in kb.topics.values():
        phrases = [
            *topic.aliases.get("en", ()),
            *topic.aliases.get("vi", ()),
            *topic.aliases.get("ru", ()),
            topic.command,
        ]
        for phrase in phrases:
            _add_alias(phrase, topic.id, aliases, exact_aliases, word_stem)
    for entity in kb.entities.values():
        for phrase in (n for names in entity.names.values() for n in names):
            _add_alias(phrase, ENTITY_PREFIX + entity.id, aliases, exact_aliases, word_stem)
    scope_words = kb.scope.in_scope_words()
    scope_stems = _stem_set(scope_words)
    for word in scope_words:
        word_stem.setdefault(word, stem(word))
    marked_aliases, marked_phrases = _marked_forms(kb)
    facts_by_stem: dict[str, list[str]] = defaultdict(list)
    stems_by_fact: dict[str, frozenset[str]] = {}
    fact_words: set[str] = set()
    fact_texts: list[str] = []  # each text's stems, for phrases of other_subjects.yaml
    fact_phrases: list[list[str]] = []  # the same without glue words: countries in a phrase
    for fact in kb.facts:
        texts = [fold(text).split() for text in fact.text.values()]
        for text in texts:
            stems = [(w, stem(w)) for w in text]
            fact_texts.append(" ".join(s for _, s in stems))
            fact_phrases.append([s for w, s in stems if w not in _GLUE])
        words = [w for text in texts for w in text]
        fact_words.update(w for w in words if len(w) >= MIN_TYPO_WORD)
        found = {
            stem(w)
            for w in words
            # filler too ("first", "level"): rare ones tell facts apart (facts_mentioning)
            if len(w) >= MIN_INDEXED_WORD and w not in _GLUE and stem(w) not in scope_stems
        }
        # Vietnamese writes a syllable a word: "ứng cử" (candidacy) is rare where "ứng" and
        # "cử" alone are not, so its syllable pairs are indexed too
        found.update(syllable_pairs(fold(fact.text.get("vi", "")).split(), scope_stems))
        for s in sorted(found):
            facts_by_stem[s].append(fact.id)
        stems_by_fact[fact.id] = frozenset(found)
    alias_stems = frozenset(s for a in aliases for s in a.stems)
    known_stems = frozenset(facts_by_stem) | alias_stems
    known_phrases = frozenset(a.stems for a in aliases)
    countries_by_first, marked = _load_countries(scope_stems, known_stems, known_phrases)
    endings: dict[str, list[str]] = defaultdict(list)
    for key in countries_by_first:
        if CYRILLIC.search(key) and len(key) >= 4:
            endings[key[:-1]].append(key[-1])
    ordered = sorted(aliases, key=lambda a: (a.topic, a.stems))
    by_start: dict[tuple[str, ...], list[Alias]] = defaultdict(list)
    for alias in ordered:
        by_start[alias.stems[:2]].append(alias)
    exact_by_start: dict[tuple[str, ...], list[Alias]] = defaultdict(list)
    for alias in sorted(exact_aliases, key=lambda a: (a.topic, a.stems)):
        exact_by_start[alias.stems[:2]].append(alias)
    stem_count = Counter(s for alias in ordered for s in set(alias.stems))
    by_rarest: dict[str, list[Alias]] = defaultdict(list)
    for alias in ordered:
        if len(alias.stems) > 1:
            by_rarest[min(set(alias.stems), key=lambda s: (stem_count[s], s))].append(alias)
    name_words = {
        e.id: frozenset(
            w for names in e.names.values() for name in names for w in fold(name).split()
        )
        for e in kb.entities.values()
    }
    return MatchIndex(
        aliases_by_start=dict(by_start),
        exact_by_start=dict(exact_by_start),
        phrases_by_rarest=dict(by_rarest),
        scattered_phrases={
            rarest: tuple(
                (a, frozenset(a.stems)) for a in phrases if not a.topic.startswith(ENTITY_PREFIX)
            )
            for rarest, phrases in by_rarest.items()
        },
        alias_words=sorted(word_stem),
        alias_word_stem=word_stem,
        alias_stems=alias_stems,
        countries_by_first=countries_by_first,
        cyrillic_country_endings={k: tuple(v) for k, v in endings.items()},
        marked_countries=marked,
        facts_by_stem={s: tuple(ids) for s, ids in facts_by_stem.items()},
        stems_by_fact=stems_by_fact,
        fact_words=sorted(fact_words),
        marked_aliases=marked_aliases,
        marked_phrases=marked_phrases,
        fact_topics={f.id: frozenset(f.topics) for f in kb.facts},
        facts_by_entity=_facts_by_entity(kb),
        facts_by_claim=_facts_by_claim(kb),
        facts_by_year=_facts_by_year(kb),
        topics_by_word_stem=_topics_by_word_stem(kb),
        name_words=name_words,
        name_stems={e: frozenset(stem(w) for w in words) for e, words in name_words.items()},
        scope_words=scope_words,
        scope_prefixes=kb.scope.word_prefixes(),
        cyrillic_words=frozenset(
            w
            for w in (
                *word_stem,
                *scope_words,
                *FILLER_WORDS,
                *GREETING_WORDS,
                *kind_pattern_words(),
            )
            if CYRILLIC.search(w)
        ),
        scope_stems=scope_stems,
        questions=QuestionReader.for_scope(kb.scope),
        other_subjects=_other_subjects(known_stems, known_phrases, fact_texts),
        country_trigrams=_country_trigrams(fact_phrases, countries_by_first, endings),
    )


def _other_subjects(
    known_stems: frozenset[str], known_phrases: frozenset[tuple], fact_texts: list[str]
) -> dict[str, tuple[tuple[str, ...], ...]]:
    """other_subjects.yaml as stem sequences, leaving out what the KB itself speaks of: a
    word its facts or aliases use, a phrase that is an alias or stands in a fact's text."""
    import yaml  # only while the index is built

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
    table = yaml.load(OTHER_SUBJECTS_FILE.read_text(encoding="utf-8"), Loader=loader)
    # one text to search: "|" keeps a phrase from running across two facts' texts
    haystack = " " + " | ".join(fact_texts) + " "
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrases in table.values():
        for phrase in phrases:
            stems = tuple(stem(w) for w in fold(phrase).split())
            if not stems or _kb_speaks_of(stems, known_stems, known_phrases, haystack):
                continue
            if stems not in by_first[stems[0]]:
                by_first[stems[0]].append(stems)
    return {first: tuple(seqs) for first, seqs in by_first.items()}


def _find_other_subjects(words: list[str], explained: set[int], index: MatchIndex) -> list[str]:
    stems_ = [stem(w) for w in words]
    found = []
    for i, first in enumerate(stems_):
        for seq in index.other_subjects.get(first, ()):
            span = range(i, i + len(seq))
            if tuple(stems_[i : i + len(seq)]) == seq and not explained.intersection(span):
                found.append(" ".join(words[i : i + len(seq)]))
    return found


def _alias_phrases(kb: KnowledgeBase) -> list[str]:
    return [
        *(a for t in kb.topics.values() for names in t.aliases.values() for a in names),
        *(n for e in kb.entities.values() for names in e.names.values() for n in names),
    ]


def _marked_forms(
    kb: KnowledgeBase,
) -> tuple[dict[str, frozenset[str]], dict[tuple[str, ...], frozenset[tuple[str, ...]]]]:
    """Aliases told apart from other words only by their Vietnamese marks, each under its
    folded form: one-syllable ones ("ky" -> {"ký"}) and phrases (("dau", "tu") -> {("đầu",
    "tư")}). A folded form some alias also writes without marks is left out."""
    marked: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    plain: set[tuple[str, ...]] = set()
    for phrase in _alias_phrases(kb):
        folded = tuple(fold(phrase).split())
        with_marks = tuple(fold_keep_marks(phrase).split())
        if not folded or len(with_marks) != len(folded):
            continue
        (plain.add(folded) if with_marks == folded else marked[folded].add(with_marks))
    forms = {k: frozenset(v) for k, v in marked.items() if k not in plain}
    words = {k[0]: frozenset(f[0] for f in v) for k, v in forms.items() if len(k) == 1}
    return words, {k: v for k, v in forms.items() if len(k) > 1}


def _topics_by_word_stem(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    """Each stem of a word of the topics' names, with the topics naming it ("tourists":
    tourism), built once: a question counting "tourists" looks it up."""
    topics: dict[str, set[str]] = defaultdict(set)
    for topic in kb.topics.values():
        for names in topic.aliases.values():
            for name in names:
                for word in fold(name).split():
                    topics[stem(word)].add(topic.id)
    return {s: frozenset(ids) for s, ids in topics.items()}


def _facts_by_year(kb: KnowledgeBase) -> dict[int, tuple[str, ...]]:
    years: dict[int, list[str]] = defaultdict(list)
    for fact in kb.facts:
        for year in range(fact.when.start.year, fact.when.end.year + 1):
            years[year].append(fact.id)
    return {year: tuple(ids) for year, ids in years.items()}


def facts_in_period(kb: KnowledgeBase, period: Period) -> list[str]:
    """Ids of the facts whose date overlaps ``period``, in KB order, looked up by year."""
    index = index_for(kb)
    seen: dict[str, None] = {}
    for year in range(period.start.year, period.end.year + 1):
        seen.update((f, None) for f in index.facts_by_year.get(year, ()))
    return [f for f in seen if kb.facts_by_id[f].when.overlaps(period)]


def _facts_by_claim(kb: KnowledgeBase) -> dict[tuple[str, str], tuple[str, ...]]:
    claims: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fact in kb.facts:
        if fact.claim is not None:
            claims[fact.claim.measure, fact.claim.period.text].append(fact.id)
    return {key: tuple(ids) for key, ids in claims.items()}


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _facts_by_entity(kb: KnowledgeBase) -> dict[str, frozenset[str]]:
    linked: dict[str, set[str]] = defaultdict(set)
    for fact in kb.facts:
        for entity_id in fact.entities:
            linked[entity_id].add(fact.id)
    # An office stands for whoever held it: "the President of Belarus" finds Lukashenko's facts
    # from the periods the sources name him as President.
    # …and the other way round: "the Belarusian Ambassador" of December 2023 is the person
    # the sources name in that office then.
    direct = {entity_id: set(ids) for entity_id, ids in linked.items()}
    for office in kb.entities.values():
        for holder in office.holders:
            # only facts wholly inside the tenure: "Prime Ministers between 1997 and 2023"
            # are not the one who held the office in December 2023
            for fact_id in direct.get(holder.entity, ()):
                if _within(kb.facts_by_id[fact_id].when, holder.when):
                    linked[office.id].add(fact_id)
            for fact_id in direct.get(office.id, ()):
                if _within(kb.facts_by_id[fact_id].when, holder.when):
                    linked[holder.entity].add(fact_id)
    return {entity_id: frozenset(ids) for entity_id, ids in linked.items()}


def index_for(kb: KnowledgeBase) -> MatchIndex:
    if kb.index is None:
        kb.index = build_index(kb)
    return kb.index


# Greeting words that greet only beside another: "cảm ơn", "xin chào", "buổi sáng"
GREETING_HALVES = frozenset({"on", "xin", "buoi", "kinh"})
# "nhiều" of "cảm ơn rất nhiều" thanks, of "bao nhiêu" asks how many
_HOW_MANY = ["bao", "nhieu"]


def syllable_pairs(syllables: list[str], scope_stems: frozenset[str]) -> list[str]:
    """Neighbouring Vietnamese syllables as one ranking word ("ung_cu"), leaving out pairs
    with glue, a word naming a side of the pair ("viet_nam") or a year ("2021_kim" is
    where a sentence puts its year, not a phrase)."""
    return [
        f"{a}_{b}"
        for a, b in pairwise(syllables)
        if a not in _GLUE
        and b not in _GLUE
        and a not in scope_stems
        and b not in scope_stems
        and not _YEAR.match(a)
        and not _YEAR.match(b)
    ]


def kb_knows_word(word: str, index: MatchIndex) -> bool:
    """A folded word the KB's facts, aliases or scope words hold as it is."""
    return (
        word in index.alias_word_stem
        or word in index.scope_words
        or stem(word) in index.facts_by_stem
        or stem(word) in index.alias_stems
    )


def is_known_word(word: str, index: MatchIndex) -> bool:
    """A folded word the KB, its aliases or the filler and greeting lists hold as it is."""
    return word in FILLER_WORDS or word in GREETING_WORDS or kb_knows_word(word, index)


def _correct(
    word: str, index: MatchIndex, thresholds: Thresholds, vietnamese: bool = False
) -> tuple[str, float]:
    """The stem this word stands for and how sure we are (100 = known word)."""
    s = stem(word)
    if s in index.alias_stems or word in index.alias_word_stem:
        return index.alias_word_stem.get(word, s), SURE
    if len(word) < thresholds.min_fuzzy_length or word.isdigit() or s in index.countries_by_first:
        return s, 0.0
    if s in index.facts_by_stem:
        return s, 0.0  # a word the facts use is no typo ("experts" is not "exports")
    if len(word) <= MAX_VIETNAMESE_SYLLABLE and vietnamese:
        return s, 0.0  # folded Vietnamese syllables: one letter off is another real word
    # Short words only ever get a sure correction, never a mere suggestion ("joke"/"coke").
    cutoff = thresholds.suggest if len(word) >= MIN_SUGGESTED_WORD else thresholds.accept
    # rapidfuzz turns a normalised cutoff into a whole number of edits, which can drop a
    # match exactly at the cutoff (0.8 for "tarde"/"trade"): ask a little lower, then check.
    best = process.extractOne(
        word,
        _fuzzy_choices(
            index.alias_words, index.alias_choices, len(word), cutoff / 100 - CUTOFF_SLACK
        ),
        scorer=OSA.normalized_similarity,
        score_cutoff=cutoff / 100 - CUTOFF_SLACK,
    )
    if best is None or best[1] < cutoff / 100 - 1e-9:
        return s, 0.0
    return index.alias_word_stem[best[0]], round(float(best[1]) * 100, 1)


def _fuzzy_choices(
    words: list[str],
    known: dict[tuple[int, float], list[str]],
    length: int,
    score_cutoff: float,
) -> list[str]:
    """The ``words`` that can reach ``score_cutoff`` against a word of ``length`` letters,
    in their order (so the first best match is the same one), kept in ``known``: lengths d
    apart are at least d edits apart, so the similarity is at most 1 - d / the longer
    length."""
    key = (length, score_cutoff)
    choices = known.get(key)
    if choices is None:
        choices = known[key] = [
            w
            for w in words
            if 1 - abs(length - len(w)) / max(length, len(w)) >= score_cutoff - 1e-9
        ]
    return choices


def _find_aliases(
    seq: list[tuple[int, str, float]], index: MatchIndex, thresholds: Thresholds
) -> list[TopicHit]:
    """Topic aliases among the question's words. ``seq`` holds (position, stem, certainty)
    of every word that is not filler, so "house of representatives" meets "house
    representatives" whatever filler stands between."""
    hits: list[TopicHit] = []
    stems_ = [s for _, s, _ in seq]
    by_start = index.aliases_by_start
    for j, first in enumerate(stems_):
        # the one-word aliases and the phrases opening with this word and the next
        one_word = by_start.get((first,), ())
        phrases = by_start.get((first, stems_[j + 1]), ()) if j + 1 < len(stems_) else ()
        for alias in (*one_word, *phrases):
            n = len(alias.stems)
            if tuple(stems_[j : j + n]) == alias.stems:
                score = min(sc for _, _, sc in seq[j : j + n])
                if alias.topic.startswith(ENTITY_PREFIX) and seq[j + n - 1][0] - seq[j][0] >= n:
                    continue  # a name is said in one piece: "посол в Беларуси" is not one
                if score >= thresholds.suggest:
                    hits.append(TopicHit(alias.topic, score, seq[j][0], seq[j + n - 1][0] + 1))
    # Aliases whose words all occur but not side by side ("студентов вьетнамских") count a
    # little less than the phrase itself.
    present = {s: j for j, s in enumerate(stems_)}
    present_stems = set(present)
    # (a name is said in one piece, so no entity is here: "president ... belarus" is no office)
    for alias in (
        a
        for s in sorted(present)
        for a, alias_stems in index.scattered_phrases.get(s, ())
        if alias_stems <= present_stems
    ):
        positions = [seq[present[s]][0] for s in alias.stems]
        start, end = min(positions), max(positions) + 1
        if any(h.topic == alias.topic and h.start == start for h in hits):
            continue
        score = min(seq[present[s]][2] for s in alias.stems) - SCATTERED_PHRASE_PENALTY
        if score >= thresholds.suggest:
            hits.append(TopicHit(alias.topic, score, start, end))
    return hits


def _find_exact_aliases(seq: list[tuple[int, str, float]], index: MatchIndex) -> list[TopicHit]:
    """Phrases with meaningful filler ("nine months"), word for word among all the words."""
    hits: list[TopicHit] = []
    stems_ = [s for _, s, _ in seq]
    for j in range(len(stems_) - 1):
        for alias in index.exact_by_start.get(tuple(stems_[j : j + 2]), ()):
            n = len(alias.stems)
            if tuple(stems_[j : j + n]) == alias.stems:
                score = min(sc for _, _, sc in seq[j : j + n])
                hits.append(TopicHit(alias.topic, score, seq[j][0], seq[j + n - 1][0] + 1))
    return hits


def _country_candidates(word: str, index: MatchIndex) -> list[Country]:
    return _countries_of_stem(stem(word), index.countries_by_first, index.cyrillic_country_endings)


def _countries_of_stem(
    s: str,
    countries_by_first: dict[str, list[Country]],
    endings: Mapping[str, Sequence[str]],
) -> list[Country]:
    found = countries_by_first.get(s)
    if found or not CYRILLIC.search(s):
        return found or []
    # The Russian stemmer does not always meet itself ("казахстане" -> "казахстан",
    # "казахстан" -> "казахста"): allow the name's stem to be the word's minus 1-2 letters.
    for cut in (1, 2):
        if len(s) - cut >= MIN_CUT_COUNTRY_STEM and s[:-cut] in countries_by_first:
            return countries_by_first[s[:-cut]]
    # …or the other way round ("китая" -> "кит", "китай" -> "кита").
    after = endings.get(s, ())
    return countries_by_first[s + after[0]] if after else []


def _country_trigrams(
    texts: list[list[str]],
    countries_by_first: dict[str, list[Country]],
    endings: Mapping[str, Sequence[str]],
) -> frozenset[tuple[str, str, str]]:
    """Every three stems running in a fact's text (glue left out) that hold a country's
    name: looked up when a question names that country ("Russia–Belarus–Kazakhstan")."""
    country_stems = {
        s for stems_ in texts for s in stems_ if _countries_of_stem(s, countries_by_first, endings)
    }
    return frozenset(
        trigram
        for stems_ in texts
        for trigram in zip(stems_, stems_[1:], stems_[2:], strict=False)
        if not country_stems.isdisjoint(trigram)
    )


def _inflects(word: str, name: str) -> bool:
    """ "дании", "данию" inflect "дания"; "данным" does not."""
    return word.startswith(name[:-1]) and len(word) <= len(name) + 2


# Phrases holding a country's name that name no country: "hợp pháp" (legal) is not France
# ("Pháp"), "ý tưởng" (an idea) and "đồng ý" (agree) are not Italy ("Ý"), the South China
# Sea is a sea
_NOT_COUNTRY_PHRASES = (
    ("hop", "phap"),
    *(("y", w) for w in ("tuong", "kien", "nghia", "dinh", "muon", "chi", "thuc")),
    *((w, "y") for w in ("dong", "chu", "luu", "tuy", "nhat", "thoa")),
    ("south", "china", "sea"),
    ("east", "china", "sea"),
    # a language, not the country: "извините за мой русский"
    ("мой", "русский"),
    ("my", "russian"),
    ("русский", "язык"),
    ("русским", "языком"),
    ("на", "русском", "языке"),
    ("по", "русски"),
)


_NOT_COUNTRY_BY_FIRST: dict[str, list[tuple[str, ...]]] = defaultdict(list)
for _phrase in _NOT_COUNTRY_PHRASES:
    _NOT_COUNTRY_BY_FIRST[_phrase[0]].append(_phrase)


def _not_country_positions(words: list[str]) -> set[int]:
    taken: set[int] = set()
    for i, word in enumerate(words):
        for phrase in _NOT_COUNTRY_BY_FIRST.get(word, ()):
            n = len(phrase)
            if tuple(words[i : i + n]) == phrase:
                taken.update(range(i, i + n))
    return taken


def _countries_in_fact_phrases(words: list[str], taken: set[int], index: MatchIndex) -> set[int]:
    """Positions of country names inside three words running as the facts put them: "the
    Russia–Belarus–Kazakhstan bloc" is the customs union the KB speaks of, not Russia."""
    kept = [i for i, w in enumerate(words) if w not in _GLUE]
    stems_ = [stem(words[i]) for i in kept]
    found: set[int] = set()
    for k, i in enumerate(kept):
        if i in taken or not _country_candidates(words[i], index):
            continue
        for start in range(max(0, k - 2), k + 1):
            trigram = stems_[start : start + 3]
            if len(trigram) == 3 and tuple(trigram) in index.country_trigrams:
                found.add(i)
                break
    return found


def _find_countries(
    words: list[str], marked: list[str], taken: set[int], index: MatchIndex
) -> list[str]:
    stems_ = [stem(w) for w in words]
    found: list[str] = []
    for i, word in enumerate(words):
        if i in taken:
            continue
        for country in _country_candidates(word, index):
            if country.word and not _inflects(word, country.word):
                continue
            n = len(country.stems)
            rest_matches = tuple(stems_[i + 1 : i + n]) == country.stems[1:]
            if rest_matches and not taken & set(range(i, i + n)) and country.name not in found:
                found.append(country.name)
    for word in marked:
        country = index.marked_countries.get(word)
        if country and country.name not in found:
            found.append(country.name)
    return found


def _select(hits: list[TopicHit]) -> list[TopicHit]:
    """Best hit per topic, then drop hits whose words a better hit already explains."""

    # the topic's name last: equal hits come in an order that may change from run to run
    def rank(h: TopicHit) -> tuple:
        return (-h.score, -(h.end - h.start), h.start, h.topic)

    best: dict[str, TopicHit] = {}
    for h in sorted(hits, key=rank):
        best.setdefault(h.topic, h)
    chosen: list[TopicHit] = []
    for h in sorted(best.values(), key=rank):
        if all(h.end <= c.start or h.start >= c.end for c in chosen):
            chosen.append(h)
    return chosen


def _word_kind(word: str, index: MatchIndex) -> str:
    s = stem(word)
    if word.isdigit():
        return "number"
    if word in index.scope_words or s in index.scope_stems or word.startswith(index.scope_prefixes):
        return "scope"
    if word in GREETING_WORDS:  # the word itself: "good" greets, "goods" is a topic
        return "greeting"
    if s in index.alias_stems:
        return "topic"
    if word in FILLER_WORDS or s in _FILLER:
        return "filler"
    return "other"


MIN_NAME_LENGTH = 4  # shorter capitalised words are too often abbreviations or initials
MIN_ABBREVIATION_LENGTH = 3
_PATRONYMIC = ("вич", "вна", "вича", "вны", "ich", "ovna", "evna")
# the first word of each sentence: after the text's start, an end of sentence and a space,
# or a line break, and whatever quotes or dashes come before it
_SENTENCE_FIRST_WORD = re.compile(r"(?:^|[.!?…:]\s+|\n)\W*(\w)")


def _capitalised_words(text: str) -> set[str]:
    """Folded words written with a capital letter where a sentence does not start."""
    starts = {m.start(1) for m in _SENTENCE_FIRST_WORD.finditer(text)}
    found = set()
    for m in re.finditer(r"\w+", text):
        word = m.group(0)
        if word[0].isupper() and (
            (len(word) >= MIN_NAME_LENGTH and not word.isupper() and m.start() not in starts)
            # "учится в БГУ": an abbreviation of three letters or more names something,
            # wherever it stands ("СП", "РБ" are too short to tell)
            or (len(word) >= MIN_ABBREVIATION_LENGTH and word.isupper() and word.isalpha())
        ):
            found.update(fold(word).split())
    return found


# "in", "at", "ở", "tại", "в": before a country, where something took place
_AT_PLACE = frozenset({"in", "at", "o", "tai", "в", "во"})


def match_question(
    question: str,
    kb: KnowledgeBase,
    thresholds: Thresholds | None = None,
    ignore: frozenset[int] = frozenset(),
    form: frozenset[int] = frozenset(),
    scene: frozenset[int] = frozenset(),
    about_the_asker: frozenset[int] = frozenset(),
) -> Match:
    """What ``question`` is about; words at the positions in ``ignore`` (a self-introduction)
    count as filler, and those in ``form`` (the question's form: "how fast", "why") never
    count as unexplained. ``scene`` holds the words of the sentences around the question
    that ask nothing: a country there ("a trading company in Tokyo") is who asks, not what,
    when the question itself names both countries of the pair; in ``about_the_asker``'s
    sentences the asker tells of themselves, so a country there is never the subject."""
    thresholds = thresholds or THRESHOLDS
    index = index_for(kb)
    # "@SomeBot" names who is asked, not what: dropped before folding turns it into words
    unaddressed = _MENTION.sub(" ", question)
    words = fold(unaddressed).split()
    result = Match(words=words)
    if not words:
        return result
    vietnamese = detect_language(question) == "vi"
    kinds = ["filler" if i in ignore else _word_kind(w, index) for i, w in enumerate(words)]
    # the words as typed, marks kept: what tells "kỳ" from "ký" and "Đức" from "đức"
    typed = fold_keep_marks(unaddressed).split()
    if index.marked_aliases:
        if len(typed) == len(words):
            for i, (w, m) in enumerate(zip(words, typed, strict=True)):
                forms = index.marked_aliases.get(w)
                if forms and m != w and m not in forms:
                    kinds[i] = "filler"  # "cùng kỳ" (the same period) is not "ký" (sign)
    corrected = [
        _correct(w, index, thresholds, vietnamese)
        if kind in ("topic", "other")
        # a scope word is sure, so that it can complete a phrase ("came to vietnam")
        else (stem(w), SURE if kind == "scope" else 0.0)
        for w, kind in zip(words, kinds, strict=True)
    ]
    seq = [
        (i, corrected[i][0] if corrected[i][1] else stem(w), corrected[i][1])
        for i, w in enumerate(words)
        if kinds[i] not in ("filler", "number", "greeting")
    ]
    all_hits = _find_aliases(seq, index, thresholds)
    every_word = [
        (i, corrected[i][0] if corrected[i][1] else stem(w), corrected[i][1] or SURE)
        for i, w in enumerate(words)
        if kinds[i] != "number"
    ]
    all_hits += _find_exact_aliases(every_word, index)
    if index.marked_phrases:
        all_hits = _unless_other_marks(all_hits, words, typed, index)
    # A country name inside a known phrase is not a country: "lao động" is labour, not Laos.
    taken = {
        p for h in all_hits if h.score >= 100 and h.end - h.start > 1 for p in range(h.start, h.end)
    }
    taken |= _not_country_positions(words)
    taken |= _countries_in_fact_phrases(words, taken, index)
    if scene:
        asked = " ".join(w for i, w in enumerate(words) if i not in scene)
        if index.questions.names_both_sides(asked):
            taken |= scene
        elif about_the_asker and not index.questions.sides_named(asked):
            # "I'm a Russian–Vietnamese interpreter. Trade in 2022?": the asker's country or
            # languages, not the pair asked about (but "I'm in Russia. Trade with Vietnam?"
            # may pair them)
            taken |= about_the_asker
    # …nor is one inside a name: "Trần Đức Lương" is a president, not Germany ("Đức")
    marked = [w for i, w in enumerate(typed) if w in index.marked_countries and i not in taken]
    result.countries = _find_countries(words, marked, taken, index)
    if _US.search(question) and not result.countries:
        # "US tourists": folded, "US" is the pronoun "us", so it is read as typed
        result.countries = [c.name for c in index.countries_by_first.get("usa", ())[:1]]
    result.in_scope_words = "scope" in kinds
    content = [i for i, kind in enumerate(kinds) if kind in ("topic", "other", "greeting")]
    # …but not a half of one alone ("on" of "cảm ơn" is also English: "on the first one")
    if (
        "greeting" in kinds
        and all(words[i] in GREETING_WORDS and words[i - 1 : i + 1] != _HOW_MANY for i in content)
        and any(words[i] not in GREETING_HALVES for i in content)
    ):
        result.greeting = True  # "good morning": "good" is a greeting here, not "goods"
        return result
    content = [i for i in content if kinds[i] != "greeting"]
    result.content_stems = [corrected[i][0] if corrected[i][1] else stem(words[i]) for i in content]
    accepted = [h for h in all_hits if h.score >= thresholds.accept]
    topic_hits = [h for h in accepted if not h.topic.startswith(ENTITY_PREFIX)]
    entity_hits = [h for h in accepted if h.topic.startswith(ENTITY_PREFIX)]
    result.hits = _select(topic_hits)
    chosen_entities = _select(entity_hits)
    result.entities = [
        h.topic[len(ENTITY_PREFIX) :] for h in sorted(chosen_entities, key=lambda h: h.start)
    ]
    result.places_without_facts = [
        e
        for h in chosen_entities
        if h.score >= SURE
        and not (scene | ignore).intersection(range(h.start, h.end))
        and (entity := kb.entities.get(e := h.topic[len(ENTITY_PREFIX) :])) is not None
        and entity.kind == "place"
        and not index.facts_by_entity.get(e)
    ]
    if result.countries:
        # "Lukashenko met the Vietnamese PM at a summit in Russia": with people of both sides
        # named, a country after "in" is where they met, not a third party
        sides = {
            e.country
            for x in result.entities
            if (e := kb.entities.get(x)) and e.kind in ("person", "office")
        }
        if set(kb.scope.codes) <= sides:
            venues = {i for i in range(1, len(words)) if words[i - 1] in _AT_PLACE}
            result.countries = _find_countries(words, marked, taken | venues, index)
    # A word is explained by an alias of a matched topic or entity, or by the text of the
    # matched topics' facts ("Golovchenko" in "visits golovchenko").
    hit_topics = {h.topic for h in result.hits}
    named = hit_topics | {h.topic for h in chosen_entities}
    explained = {p for h in accepted if h.topic in named for p in range(h.start, h.end)}
    # an alias makes a phrase the KB's own; a fact's word alone does not ("sinh" of "sinh
    # viên" in Lukashenko's facts leaves "sinh năm", born in, another subject)
    by_alias = set(explained)
    # …or by the facts of the people and things it names ("the National Bank" beside
    # "Lukashenko").
    entity_facts = [index.facts_by_entity.get(e, frozenset()) for e in result.entities]
    for i, word_stem in zip(content, result.content_stems, strict=True):
        fact_ids = index.facts_by_stem.get(word_stem, ())
        if not hit_topics.isdisjoint(_topics_of_fact_stem(word_stem, index)) or any(
            not linked.isdisjoint(fact_ids) for linked in entity_facts
        ):
            explained.add(i)
    explained |= {i for i in content if i in form}
    # A word the KB does not know at all (no alias, no fact uses it, no typo of either) names
    # another subject ("hotel", "football") or is only chatter around the question ("b-roll",
    # "voice note"): it weighs half again against the question. Subjects known to be other
    # ones (other_subjects.yaml, countries) refuse on their own.
    foreign = [
        i
        for i in content
        if i not in explained
        and not corrected[i][1]
        and stem(words[i]) not in index.facts_by_stem
        and not _typo_of_fact_word(words[i], index, thresholds)
    ]
    result.foreign = [words[i] for i in foreign]
    weight = len(content) + FOREIGN_WORD_EXTRA * len(foreign)
    if content:
        result.coverage = sum(1 for i in content if i in explained) / weight
    else:  # only filler words, and they make a phrase: "nine months"
        result.coverage = 1.0 if result.hits else 0.0
    # a name already ranks the facts linked to its entity: its words count once, not again
    # as rare words ("Nguyễn Thị Kim Ngân" would favour the fact spelling the name in full)
    in_names = {
        p
        for h in chosen_entities
        if (e := kb.entities.get(h.topic[len(ENTITY_PREFIX) :])) is not None and e.kind == "person"
        for p in range(h.start, h.end)
    }
    capitalised = _capitalised_words(unaddressed)
    result.unknown_names = [
        words[i]
        for i in foreign
        if words[i] in capitalised
        # …not a spelling of the name beside it ("Чан Дук Лыонг"), nor a patronymic
        and not {i - 1, i + 1} & in_names
        and not words[i].endswith(_PATRONYMIC)
    ]
    result.ranking_stems = [
        corrected[i][0] if corrected[i][1] else stem(w)
        for i, w in enumerate(words)
        # "151" finds its fact; a year is a period; words of asking rank nothing
        if w not in _GLUE and not _YEAR.match(w) and w not in _ASKING and i not in in_names
    ]
    if vietnamese:
        # a name's syllables pair with nothing: "_" is glue, so a pair touching it is left out
        unnamed = ["_" if i in in_names else w for i, w in enumerate(words)]
        result.ranking_stems += syllable_pairs(unnamed, index.scope_stems)
    result.unexplained = [words[i] for i in content if i not in explained]
    result.other_subjects = _find_other_subjects(words, by_alias, index)
    result.suggestions = list(
        dict.fromkeys(
            h.topic
            for h in sorted(all_hits, key=lambda h: -h.score)
            if h.topic not in hit_topics and not h.topic.startswith(ENTITY_PREFIX)
        )
    )
    return result


def _topics_of_fact_stem(word_stem: str, index: MatchIndex) -> frozenset[str]:
    """The topics of every fact whose text has ``word_stem``."""
    topics = index.topics_by_fact_stem.get(word_stem)
    if topics is None:
        fact_ids = index.facts_by_stem.get(word_stem, ())
        topics = index.topics_by_fact_stem[word_stem] = frozenset().union(
            *(index.fact_topics[f] for f in fact_ids)
        )
    return topics


def _unless_other_marks(
    hits: list[TopicHit], words: list[str], typed: list[str], index: MatchIndex
) -> list[TopicHit]:
    """Drops a Vietnamese phrase found among words typed with other marks: "bắt đầu từ"
    holds "dau tu" but not "đầu tư". Typed without marks, the phrase stands."""
    if len(typed) != len(words):
        return hits

    def other_marks(hit: TopicHit) -> bool:
        folded = tuple(words[hit.start : hit.end])
        forms = index.marked_phrases.get(folded)
        as_typed = tuple(typed[hit.start : hit.end])
        return bool(forms) and as_typed not in forms and as_typed != folded

    return [h for h in hits if not other_marks(h)]


def _typo_of_fact_word(word: str, index: MatchIndex, thresholds: Thresholds) -> bool:
    if len(word) < MIN_TYPO_WORD:
        return False
    best = process.extractOne(
        word,
        _fuzzy_choices(
            index.fact_words,
            index.fact_choices,
            len(word),
            thresholds.accept / 100 - CUTOFF_SLACK,
        ),
        scorer=OSA.normalized_similarity,
        score_cutoff=thresholds.accept / 100 - CUTOFF_SLACK,
    )
    return best is not None and best[1] >= thresholds.accept / 100 - 1e-9


def rare_word_hits(
    stems_: list[str], index: MatchIndex, fact_count: int, max_share: int
) -> tuple[dict[str, int], dict[str, float]]:
    """What ``facts_mentioning`` finds (facts holding a rare word of the question, with how
    many), and beside it each fact's words weighed by their rarity (inverse document
    frequency, 1.0 for a word only one fact uses): "Kazan" tells facts apart better than
    "session". One pass over the question's words for both."""
    counts: Counter[str] = Counter()
    weights: dict[str, float] = defaultdict(float)
    scale = math.log(fact_count) if fact_count > 1 else 1.0
    # in a fixed order: a float sum taken in a set's order (which changes with the hash seed
    # from run to run) can differ in its last digit and move a fact across the reply margin
    for s in sorted(set(stems_)):
        fact_ids = index.facts_by_stem.get(s, ())
        if (len(s) >= MIN_RANKING_STEM or s.isdigit()) and 0 < len(fact_ids) <= max_share:
            rarity = max(math.log(fact_count / len(fact_ids)) / scale, 0.0)
            counts.update(fact_ids)
            for fact_id in fact_ids:
                weights[fact_id] += rarity
    return dict(counts), dict(weights)


def ranking_stems_of(stems_: list[str]) -> frozenset[str]:
    """The question's stems that can rank facts by their own words (long enough, or digits)."""
    return frozenset(s for s in stems_ if len(s) >= MIN_RANKING_STEM or s.isdigit())


def facts_mentioning(stems_: list[str], index: MatchIndex, max_share: int = 3) -> dict[str, int]:
    """Facts whose own text holds a rare word of the question, with how many such words."""
    hits: Counter[str] = Counter()
    for s in sorted(set(stems_)):  # a fixed order: the facts come out in it
        fact_ids = index.facts_by_stem.get(s, ())
        if (len(s) >= MIN_RANKING_STEM or s.isdigit()) and len(fact_ids) <= max_share:
            hits.update(fact_ids)
    return dict(hits)
