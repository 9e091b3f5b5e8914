"""Answer a question: match it, rank facts by how well they answer it, keep the reply short.

The matcher says what the question is about (topics, entities, a period); ``question``
says what it asks for (an amount, a date, a person, yes or no, a direction). Facts about
the subject are scored on both, and the reply shows the best one to three; the rest of
what matched goes behind "More" (``Answer.more``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise

from knowledge.answer_kinds import states_aim, states_as_of
from knowledge.language import choose_language, detect_language
from knowledge.matcher import (
    _MENTION,
    THRESHOLDS,
    Match,
    MatchIndex,
    Thresholds,
    facts_in_period,
    facts_mentioning,
    index_for,
    is_known_word,
    kb_knows_word,
    match_question,
    ranking_stems_of,
    rare_word_hits,
)
from knowledge.model import Answer, AnswerKind, Context, Fact, KnowledgeBase, Period
from knowledge.normalize import FILLER_WORDS, fold, stem
from knowledge.periods import (
    only_baseline_year,
    period_in,
    with_digit_years,
    year_named_after_before,
)
from knowledge.question import (
    QuestionKind,
    QuestionShape,
    asked_text,
    introduction_words,
    ordinals_in,
    preamble_words,
)
from knowledge.records import BOTH_WAYS
from knowledge.spelling import corrected_question_words, expanded_shorthand
from knowledge.translit import looks_transliterated, to_cyrillic

# Long messages are answered from their start: nobody asks a question in 10,000 characters.
MAX_QUESTION_CHARS = 500
# A reply shows at most this many facts: the question asked, not the topic.
REPLY_FACTS = 3
# A list (a topic command, "list all visits") shows this many facts a page.
PAGE_SIZE = 5
# With several topics in one question ("visits and students"), the best of each.
FACTS_PER_TOPIC = 1
# A word of the question that at most this many facts contain ranks those facts higher;
# commoner words ("trade" in every trade fact) tell nothing apart.
RANKING_WORD_SHARE = 10
# With no topic named, facts are found by their own words only if that rare.
FALLBACK_WORD_SHARE = 3
# A broad topic's word this close (in words) to a specific topic's qualifies it, and
# the broad topic yields ("parliament relations", "quan hệ giữa Quốc hội").
BROAD_TOPIC_REACH = 2
# A yes/no question is answered "Yes." only when the first fact holds this many of its words.
CONFIRMING_WORDS = 2
# A follow-up is short: "and in 2022?", "what about the students?". Vietnamese writes a
# syllable a word, so the words that are not filler are counted, not all of them.
FOLLOW_UP_MAX_WORDS = 6
FOLLOW_UP_MAX_CONTENT_WORDS = 3
# …a message pointing back ("ai đồng chủ trì khóa họp đó?", "hiệp định đó có hiệu lực từ
# ngày nào?") may be this much longer: the Vietnamese syllables of its topic count one by one
POINTING_BACK_EXTRA_WORDS = 3
# Naming one of these narrows a topic to its facts ("Golovchenko's visit").
NARROWING_KINDS = frozenset({"person", "office", "organisation"})


# The contract's `score`, 0–100: how sure the matcher is of the subject (README, contract).
SURE_SCORE = 100.0  # a topic command, a follow-up, a period or words found as they are
SUGGESTION_SCORE = 60.0  # "did you mean": a subject offered, not answered


def confidence(alias_score: float, coverage: float) -> float:
    """The weakest accepted alias score times the fourth root of the share of the question
    the subject explains: a typo costs more than an unexplained word."""
    return round(alias_score * coverage**0.25, 1)


@dataclass(frozen=True, slots=True)
class RankWeights:
    """How much each way of answering the question counts in a fact's score."""

    in_period: float = 6.0  # the fact's date overlaps the year or range asked for
    answers_kind: float = 3.0  # it holds what the question asks for (amount, date, person…)
    # …exactly: a count answers "how much" ("how big is the community"), an amount better
    exact_kind: float = 0.5
    states_aim: float = 1.0  # "what was it for?": it says what it was meant to do
    entity: float = 3.0  # it names a person, office or place the question names
    main_entity: float = 0.5  # …as the first entity it names: it is mainly about them
    carried_entity: float = 1.0  # …named by the previous question, not this follow-up
    word: float = 2.5  # each rare word of the question its own text holds, by its rarity
    main_topic: float = 1.0  # its first topic is the one asked about, not one it touches
    topic: float = 1.0  # it belongs to a topic asked about
    # all its topics are among those asked about: on the point, not touching it in passing
    focused: float = 0.25
    carried_topic_share: float = 0.5  # …of the three above, when the topics are carried over
    direction: float = 2.0  # it goes the way the question asks ("Vietnam's exports")
    same_measure: float = 1.0  # a follow-up: the figure of the measure answered before
    earlier: float = 1.5  # it was over before the year named after "before" ("before 2025")
    same_occasion: float = 2.0  # …pointing back: a fact of the same day and article
    # It states the figure of a measure (the trade total): what "trade in 2011" asks for
    # when the question says no more; a growth rate or a remark comes after it.
    states_figure: float = 0.5
    # A one-way figure (Vietnam's exports) answers a question that names no direction less
    # well than the two-way one.
    one_way: float = -0.75
    # It happened inside the period asked about, rather than spanning it ("since 1992").
    starts_in_period: float = 1.0
    # Its figure is for exactly the months asked about: "the first nine months of 2019" is
    # the nine-month figure, "2019" the full-year one.
    same_period: float = 0.5
    # It spans the whole period asked about and more ("from 1992 to 2023" for "in 2013"):
    # a summary, not what happened then.
    encloses_period: float = -2.0
    # It starts when the stretch of years asked about starts and covers most of it: "since
    # 1997" is answered by "the leaders who visited since 1997" before any one visit
    summarises_period: float = 1.0
    # "Are they strategic partners yet?": the dated event settles it
    settles_happened: float = 0.5
    # It says something concrete (a figure, a dated event, a person, a place): ahead of a
    # general remark when the question does not say what it wants ("relations").
    concrete: float = 0.5
    # "when": a fact that gives the day answers better than one that gives the month
    names_day: float = 0.5
    # "now", "latest": the newest fact gets this much, one this many days older half of it:
    # "latest" means the last few years, so a 2022 session is well behind a 2025 one even
    # when the topic's facts go back to 1992
    latest: float = 2.0
    latest_half_life_days: float = 730.0
    present: float = 1.0  # …a lighter pull when the question is only in the present tense
    # It tells an intention or a forecast ("accepted the invitation to visit"), and the
    # question does not ask about plans: what happened answers "has he been to Vietnam?"
    plan: float = -1.5
    # "how many times": a fact that counts occasions ("in 1997, 2008 and 2015", "his fourth
    # visit") rather than any number
    occasions: float = 1.0
    asked_plan: float = 2.0  # …and it does: "what was the trade target for 2017?"
    # "who did Lukashenko meet?": a fact naming someone besides the people asked about, for
    # each of up to two such people (the one naming whom he met, not only who invited him)
    other_person: float = 1.0
    # "where is the MAZ plant in Vietnam?": a fact naming a place the question does not
    # ("40 km from Hanoi"), not only one saying it "opened in Vietnam"
    other_place: float = 1.0
    # "how long is the flight", "how far from Hanoi", "what capacity": a fact giving that
    # measure (hours or days, kilometres, what a plant can make)
    measure: float = 1.5
    same_figure: float = 1.5  # it states a number the question names ("over US$250 million?")
    lists_many: float = 1.0  # a list asked for: a fact covering several years or occasions
    asked_topic: float = 2.5  # it is of the topic asked for, of several named
    # "what's the latest news?": an event (a first flight, a visit) before a figure or a remark
    news_event: float = 1.0
    # "which goods does Vietnam sell?": a fact naming the goods traded, not the trade figure
    lists_goods: float = 1.5
    # A fact joins the reply after the best one only if it scores at least this close (a
    # rare word weighs 2.5, so two facts one rare word apart are not both shown).
    reply_margin: float = 1.0


WEIGHTS = RankWeights()


# not frozen: one is made for every fact of every question, and a frozen dataclass sets
# each field through object.__setattr__ (several times slower); nothing changes one
@dataclass(slots=True)
class Scored:
    fact: Fact
    score: float
    answers_kind: bool
    in_period: bool
    words: int


@dataclass(frozen=True, slots=True)
class Subject:
    """What the answer is about once a follow-up is merged with what came before."""

    topics: tuple[str, ...]
    entities: tuple[str, ...]
    period: Period | None
    shape: QuestionShape
    exclude: frozenset[str] = frozenset()
    follow_up: bool = False
    # The entities were named in this question, not carried over from the previous one: only
    # then do they narrow the topic's facts ("who was there?" may name other people).
    entities_named: bool = True
    # …and the topics: carried over from the previous question they rank facts less, so that
    # "who hosted her?" finds her facts that say "hosts" whatever their topic
    topics_named: bool = True
    # "and before that?": only what was over before this day ("after that?": began after it)
    before: date | None = None
    after: date | None = None
    # "who co-chaired that session?": the previous answer's first fact, whose occasion the
    # message points back to
    occasion: Fact | None = None
    # the measure of the previous answer's first figure: "and in 2016?" after trade in 2022
    # asks for the same figure, not a target or a share
    measure: str | None = None
    # "what agreements were signed during the visit?": the topic asked for, of several named
    asked_topic: str | None = None
    # "before 2025 how many days…": the year named after "before" (a preference, not a
    # filter: "Vietnamese who came before 1992" is a condition on people, not on facts)
    earlier_than: date | None = None


def main_topics(kb: KnowledgeBase) -> tuple[str, ...]:
    main = tuple(t.id for t in kb.topics.values() if t.main)
    return main or tuple(kb.topics)[:6]


def score_facts(
    facts: list[Fact],
    subject: Subject,
    word_hits: dict[str, int],
    entity_facts: dict[str, frozenset[str]],
    weights: RankWeights = WEIGHTS,
    word_weights: dict[str, float] | None = None,
    shared_words: dict[str, int] | None = None,
) -> list[Scored]:
    """Best first. Ties go to the fact that answers more of the question (its kind, its rare
    words, then any of its words: ``shared_words``), then to the most recent; the id only
    keeps the order stable when two facts are alike in every respect."""
    wanted = subject.shape.wanted_property
    accepted = subject.shape.accepted_properties
    future_date = wanted == "date" and subject.shape.future
    today = date.today()
    pull, toward_newest = 0.0, True
    if subject.before is not None:
        pull = weights.latest  # the nearest before first
    elif subject.after is not None:
        pull, toward_newest = weights.latest, False  # the nearest after first
    elif not subject.period:
        if subject.shape.wants_latest:
            pull = weights.latest
        elif subject.shape.wants_first:
            pull, toward_newest = weights.latest, False
        else:
            pull = weights.present * subject.shape.present
    ends = [f.when.end.toordinal() for f in facts]
    starts = [f.when.start.toordinal() for f in facts]
    newest, oldest = (max(ends), min(starts)) if facts else (0, 0)
    span = newest - oldest
    # a person named is more specific than their office: "General Secretary Nguyen Phu Trong"
    # is mainly the subject of his own visit, not of a later one that mentions him
    people_named = {e for e in subject.entities if any(e in f.people for f in facts)}
    main_entities = people_named or set(subject.entities)
    shape = subject.shape
    period = subject.period
    entities = subject.entities
    topics = subject.topics
    topic_set = frozenset(topics)
    # the subject's own flags, read once rather than for every fact
    full_year = shape.full_year
    asks_purpose = shape.asks_purpose
    purpose_is_reason = asks_purpose and wanted == "reason"
    direction = shape.direction
    # ("can they go without a visa?" asks no figure)
    states_figure = not wanted and not shape.asks_news and not shape.yes_no
    one_way = not direction
    concrete = not wanted
    other_people = wanted == "person" and not shape.asks_identity
    # "who" asked of a person named: the answer names someone or something else
    asks_who_else = other_people and bool(people_named)
    most_others = 1 if shape.asks_holder else 2
    measures = shape.measures
    figures = shape.figures
    news_event = shape.asks_news and not wanted
    lists_goods = shape.asks_goods and not wanted
    wants_list = shape.wants_list
    asks_times = shape.asks_times
    plan_weight = weights.asked_plan if shape.asks_plan else weights.plan
    names_day = wanted == "date"
    entity_weight = weights.entity if subject.entities_named else weights.carried_entity
    linked_sets = [entity_facts.get(e, ()) for e in entities]
    topic_share = 1.0 if subject.topics_named else weights.carried_topic_share
    half_life = weights.latest_half_life_days
    asked = set(entities)
    happened = shape.yes_no and shape.asks_happened
    wants_organisation = wanted == "organisation"
    wants_place = wanted == "place"
    measure = subject.measure
    occasion = subject.occasion
    earlier_than = subject.earlier_than
    asked_topic = subject.asked_topic
    scored = []
    sort_keys = []
    for fact, start_day, end_day in zip(facts, starts, ends, strict=True):
        when = fact.when
        answers = fact.answers
        claim = fact.claim
        in_period = bool(
            period
            and (
                when.overlaps(period)
                or (fact.aims_at is not None and fact.aims_at.overlaps(period))
            )
        )
        exact = bool(wanted and wanted in answers)
        answers_kind = exact or not accepted.isdisjoint(answers)
        if full_year and claim is not None and not claim.period.whole_years:
            exact = answers_kind = False  # nine months do not answer "the full-year figure"
        if future_date and fact.aims_at is None and when.start <= today:
            exact = answers_kind = False  # "when will he visit?": not when he was invited
        aim = asks_purpose and states_aim(fact.text["en"])
        if purpose_is_reason and not aim:
            exact = answers_kind = False  # "the visit's purpose": not why it was important
        if wants_organisation:
            # "MAZ's partner": a company besides MAZ
            exact = any(e not in entities for e in fact.organisations)
            answers_kind = exact or answers_kind
        if asks_who_else and not any(
            e not in entities and e not in fact.places for e in fact.entities
        ):
            exact = answers_kind = False  # "who hosted Kim Ngan?": not Kim Ngan's own visit
        words = word_hits.get(fact.id, 0)
        # by rarity when known, else one for each rare word
        rarity = word_weights.get(fact.id, 0.0) if word_weights is not None else words
        # (the terms are added in the same order whatever is left out: a float sum taken in
        # another order can differ in its last digit; a term left out would add zero)
        score = weights.word * rarity
        if in_period or answers_kind:
            score += weights.in_period * in_period + weights.answers_kind * answers_kind
        if exact or aim:
            score += weights.exact_kind * exact + weights.states_aim * aim
        if happened and "date" in answers:
            score += weights.settles_happened
        if linked_sets:
            named_here = sum(1 for linked in linked_sets if fact.id in linked)
            if named_here:
                score += entity_weight * named_here
        if main_entities and fact.entities and fact.entities[0] in main_entities:
            score += weights.main_entity
        if topics:
            fact_topics = fact.topics
            main_topic = fact_topics[0] in topic_set
            if main_topic:
                score += topic_share * weights.main_topic
            if main_topic or not topic_set.isdisjoint(fact_topics):
                score += topic_share * weights.topic
                if topic_set.issuperset(fact_topics):
                    score += topic_share * weights.focused
        if direction and fact.direction in (direction, BOTH_WAYS):
            score += weights.direction
        if claim is not None and states_figure:
            score += weights.states_figure
        if measure and claim is not None and claim.measure == measure:
            score += weights.same_measure
        if occasion is not None and _same_occasion(fact, occasion):
            score += weights.same_occasion
        if fact.direction and claim is not None and one_way:
            score += weights.one_way
        if period:
            if _summarises(when, period):
                score += weights.summarises_period
            if _encloses(when, period):
                score += weights.encloses_period
            elif period.start <= when.start <= period.end:
                score += weights.starts_in_period
            if claim is not None:
                claimed = claim.period
                if (claimed.start, claimed.end) == (period.start, period.end):
                    score += weights.same_period
        if concrete and len(answers) > ("reason" in answers):  # it answers more than "why"
            score += weights.concrete
        if other_people:
            others = sum(1 for p in fact.people if p not in entities)
            if others:
                score += weights.other_person * min(others, most_others)
        if wants_place and any(p not in entities for p in fact.places):
            score += weights.other_place
        if measures and not measures.isdisjoint(answers):
            score += weights.measure
        if figures and not figures.isdisjoint(fact.figures):
            score += weights.same_figure
        if earlier_than is not None and when.end < earlier_than:
            score += weights.earlier
        if asked_topic is not None and asked_topic in fact.topics:
            score += weights.asked_topic
        if news_event and "date" in answers:
            score += weights.news_event
        if lists_goods and "goods" in answers:
            score += weights.lists_goods
        if wants_list and _spans_years(fact):
            score += weights.lists_many  # "which leaders have visited": those of many years
        if asks_times and "occasions" in answers:
            score += weights.occasions
        if "plan" in answers:
            score += plan_weight
        if names_day and fact.names_day:
            score += weights.names_day
        if pull and span:
            age = newest - end_day if toward_newest else start_day - oldest
            score += pull * 0.5 ** (age / half_life)
        scored.append(Scored(fact, score, answers_kind, in_period, words))
        sort_keys.append(
            (
                -score,
                -answers_kind,
                -words,
                # …then more of the question's words, however common ("thăm" in "Tô Lâm
                # thăm Belarus ngày nào" is the visit's fact, not the talks')
                -shared_words.get(fact.id, 0) if shared_words else 0,
                -len(asked.intersection(fact.entities)) if asked else 0,  # more of what was named
                # what happened most recently first, then what was still true "as of" the
                # latest article
                -start_day,
                -end_day,
                fact.id,
            )
        )
    order = sorted(range(len(scored)), key=sort_keys.__getitem__)
    return [scored[i] for i in order]


def _spans_years(fact: Fact) -> bool:
    """It tells of several years or occasions at once ("between 1998 and 2023 all the key
    leaders visited", "in 1997, 2008 and 2015")."""
    return "occasions" in fact.answers or fact.when.end.year - fact.when.start.year >= 2


def _same_occasion(fact: Fact, previous: Fact) -> bool:
    """Told by the same article of the same days: the session, visit or flight itself."""
    return fact.source == previous.source and fact.when.overlaps(previous.when)


# …covering at least this share of the years asked about
SUMMARY_SHARE = 0.75


def _summarises(when: Period, asked: Period) -> bool:
    """``when`` starts in the first year asked and covers most of a stretch of years: the
    summary of "since 1997" or "2011–2015", not one event in it."""
    years = asked.end.year - asked.start.year
    return (
        years >= 2
        and when.start.year == asked.start.year
        and when.end.year - when.start.year >= SUMMARY_SHARE * years
    )


def _encloses(when: Period, asked: Period) -> bool:
    """``when`` spans all of ``asked`` and more: "1992 to 2023" for "in 2013", the whole of
    2019 for "the first nine months of 2019"."""
    return (
        when.start <= asked.start
        and asked.end <= when.end
        and ((when.start, when.end) != (asked.start, asked.end))
    )


def _with_disputes(kb: KnowledgeBase, facts: list[Fact]) -> list[Fact]:
    """Every fact stating a disputed figure brings the other sources' figures for the same
    measure and period right after it: the reply never silently picks one side."""
    out: list[Fact] = []
    placed: set[str] = set()
    for fact in facts:
        if fact.id in placed:
            continue
        out.append(fact)
        placed.add(fact.id)
        claim = fact.claim
        if claim is None or not claim.disputed:
            continue
        for other_id in index_for(kb).facts_by_claim.get((claim.measure, claim.period.text), ()):
            if other_id not in placed:
                out.append(kb.facts_by_id[other_id])
                placed.add(other_id)
    return out


def _reply_and_more(
    kb: KnowledgeBase, ranked: list[Scored], subject: Subject, *, listing: bool
) -> tuple[list[Fact], list[Fact]]:
    if not ranked:
        return [], []
    if listing:
        # a list shows different events first: the best fact of each date, then the rest
        seen: set[tuple] = set()
        firsts = []
        for s in ranked:
            key = (s.fact.when.start, s.fact.when.end)
            if key not in seen:
                seen.add(key)
                firsts.append(s)
        first_ids = {id(s) for s in firsts}
        ranked = firsts + [s for s in ranked if id(s) not in first_ids]
        shown = [s.fact for s in ranked[:PAGE_SIZE]]
    elif len(subject.topics) > 1:
        # the best of each topic named, and the best answer even when no topic named holds
        # it ("what did Lukashenko call economic cooperation?": a partnership fact)
        best = ranked[0].fact
        shown = [] if set(best.topics) & set(subject.topics) else [best]
        for topic in subject.topics:
            taken = {f.id for f in shown}
            best = [s.fact for s in ranked if topic in s.fact.topics and s.fact.id not in taken]
            shown.extend(best[:FACTS_PER_TOPIC])
        order = {s.fact.id: i for i, s in enumerate(ranked)}
        shown.sort(key=lambda f: order[f.id])  # the best answer first, whatever its topic
    else:
        best = ranked[0]
        shown = [best.fact]
        for s in ranked[1:REPLY_FACTS]:
            if s.score < best.score - WEIGHTS.reply_margin:
                break
            if best.answers_kind and not s.answers_kind:
                break
            if subject.period and best.in_period and not s.in_period:
                break
            shown.append(s.fact)
    shown = _with_disputes(kb, shown)
    shown_ids = {f.id for f in shown}
    more = [s.fact for s in ranked if s.fact.id not in shown_ids]
    return shown, more


def _places_only(kb: KnowledgeBase, match: Match) -> bool:
    return all(e in kb.entities and kb.entities[e].kind == "place" for e in match.entities)


def _looks_like_follow_up(
    kb: KnowledgeBase, match: Match, shape: QuestionShape, period: Period | None
) -> bool:
    max_words = FOLLOW_UP_MAX_WORDS + (POINTING_BACK_EXTRA_WORDS if shape.points_back else 0)
    too_long = len(match.words) > max_words and (
        len(match.content_stems) > FOLLOW_UP_MAX_CONTENT_WORDS
    )
    if too_long or (match.foreign and not shape.points_back):
        # "what about football?" names a subject of its own; "who was he due to meet?"
        # points back at the previous answer whatever words it uses
        return False
    if (
        shape.follow_up
        or shape.asks_for_others
        or shape.reverses
        or shape.relative_time
        or shape.year_shift
    ):
        return True
    if shape.points_back:
        return True  # "what did they sign there?": a new topic, the same visit
    if shape.measures and not match.hits and match.entities and _places_only(kb, match):
        return True  # "cách Hà Nội bao xa?" after the MAZ plant: the plant's distance
    if match.hits or match.entities:
        return False
    # "2022?", "và năm 2011?", "when?", "năm nào?", "на каком уровне?", "lần thứ mấy?":
    # nothing but a period or the kind of answer wanted is said
    return (
        bool(period) or shape.kind not in (QuestionKind.WHAT, QuestionKind.LIST) or shape.asks_times
    )


def _topics_named(kb: KnowledgeBase, match: Match) -> tuple[str, ...]:
    """The topics in question order; a broad topic ("relations") yields to a specific one
    named with it: "parliament relations" asks about parliaments."""
    hits = sorted(match.hits, key=lambda h: h.start)

    def yields(h) -> bool:
        topic = kb.topics.get(h.topic)
        return bool(topic and topic.broad) and any(
            o is not h
            and not (kb.topics.get(o.topic) and kb.topics[o.topic].broad)
            and (o.start - h.end <= BROAD_TOPIC_REACH and h.start - o.end <= BROAD_TOPIC_REACH)
            for o in hits
        )

    return tuple(dict.fromkeys(h.topic for h in hits if not yields(h)))


# Words a topic asked for stands after ("what agreements", "какие документы")…
# …or after "about": "what did he say about trade when they met?" asks about trade
_ASKING_BEFORE = frozenset("what which какие какой какая какое каких что about про".split())
# …or before (Vietnamese: "những văn kiện gì", "cơ chế nào")
_ASKING_AFTER = frozenset("gi nao".split())
# …and the topic after one of these names the occasion, not what is asked
_OCCASION_WORDS = frozenset("during trong dip время ходе".split())


def _asked_topic(match: Match, topics: tuple[str, ...]) -> str | None:
    """Of two or more topics named, the one the question asks for ("what agreements were
    signed during the visit?" asks for agreements; the visit says which)."""
    if len(topics) < 2:
        return None
    words = match.words
    hits = [h for h in sorted(match.hits, key=lambda h: h.start) if h.topic in topics]
    for hit in hits:
        before = words[hit.start - 1] if hit.start > 0 else ""
        after = words[hit.end] if hit.end < len(words) else ""
        if before in _ASKING_BEFORE or after in _ASKING_AFTER:
            return hit.topic
    # "which sectors did the agreements signed during the visit cover?": the visit is when
    occasions = {
        h.topic for h in hits if _OCCASION_WORDS & set(words[max(0, h.start - 3) : h.start])
    }
    asked = [h.topic for h in hits if h.topic not in occasions]
    if occasions and len(set(asked)) == 1:
        return asked[0]
    return None


# "before Nguyen Van Trung", "до Боровикова", "trước ông Trung"
_BEFORE_WORDS = frozenset({"before", "prior", "truoc", "до", "перед"})
_TITLES = frozenset({"ong", "ba", "mr", "ms", "mrs"})


def _before_whom(kb: KnowledgeBase, match: Match) -> str | None:
    """The person a question asks about the predecessor of ("who was ambassador before
    Nguyen Van Trung?"): a person named right after "before" (or "before Mr")."""
    words = match.words
    index = index_for(kb)
    people = [
        e
        for e in match.entities
        if e in kb.entities and kb.entities[e].kind == "person" and index.facts_by_entity.get(e)
    ]
    for person in people:
        # the name as written or inflected ("до Боровикова" stems as "Боровиков" does not)
        names = index.name_words[person] | index.name_stems[person]
        for i, word in enumerate(words[:-1]):
            if word in _BEFORE_WORDS:
                following = [w for w in words[i + 1 : i + 3] if w not in _TITLES]
                if following and {following[0], stem(following[0])} & names:
                    return person
    return None


def _subject(
    kb: KnowledgeBase,
    match: Match,
    shape: QuestionShape,
    period: Period | None,
    context: Context | None,
    earlier_than: date | None = None,
) -> Subject:
    topics = _topics_named(kb, match)
    entities = tuple(match.entities)
    if context is None or not _looks_like_follow_up(kb, match, shape, period):
        predecessor_of = _before_whom(kb, match) if shape.kind is QuestionKind.WHO else None
        if predecessor_of is not None:
            # "who was ambassador before Nguyen Van Trung?": whoever came before him (in the
            # year asked about, and in the topic asked about, when the KB has him there)
            theirs = [kb.facts_by_id[f] for f in index_for(kb).facts_by_entity[predecessor_of]]
            theirs = [f for f in theirs if not period or f.when.overlaps(period)] or theirs
            theirs = [f for f in theirs if set(f.topics) & set(topics)] or theirs
            others = tuple(e for e in entities if e != predecessor_of)
            before = min(f.when.start for f in theirs)
            return Subject(topics, others, None, shape, before=before)
        return Subject(
            topics,
            entities,
            period,
            shape,
            asked_topic=_asked_topic(match, topics),
            earlier_than=earlier_than,
        )
    kind = shape.kind
    if (
        kind is QuestionKind.WHAT
        and context.question_kind
        and (shape.follow_up or not shape.says_what)
    ):
        # "and in 2016?", "what about the students?" ask what was asked before; "what did
        # they sign there?" asks its own question
        kind = QuestionKind(context.question_kind)
    new_subject = bool(topics or entities)
    places = [kb.entities[e] for e in entities if e in kb.entities]
    if entities and all(p.kind == "place" for p in places) and len(places) == len(entities):
        # "và TP HCM?" after "Hanoi and Minsk": the new city stands in for the one of its side
        sides = {p.country for p in places}
        entities += tuple(
            e
            for e in context.entities
            if e in kb.entities
            and kb.entities[e].kind == "place"
            and kb.entities[e].country not in sides
        )
    direction = shape.direction
    if shape.reverses and context.direction:
        direction = kb.scope.reverse(context.direction)
    elif direction is None and not entities:
        # "and in 2022?" goes the way asked before; "а вьетнамский посол в Минске кто?" after
        # Belarus's ambassador names its own office, and so its own way
        direction = context.direction
    shown = [kb.facts_by_id[f] for f in context.shown if f in kb.facts_by_id]
    measure = next((f.claim.measure for f in shown[:1] if f.claim is not None), None)
    before = after = None
    # relative to the answer itself, the reply's first fact: "and before him?" after the
    # ambassador now is his predecessor, not someone before every ambassador shown
    if shape.relative_time == "before" and shown:
        before = shown[0].when.start
    elif shape.relative_time == "after" and shown:
        after = shown[0].when.end
    return Subject(
        before=before,
        after=after,
        # "that agreement": of the topics answered before, as well as of its own, which is
        # what is asked
        topics=tuple(dict.fromkeys(topics + context.topics))
        if len(topics) == 1 and shape.points_back
        else topics or context.topics,
        asked_topic=topics[0] if len(topics) == 1 and shape.points_back else None,
        entities=entities if new_subject else context.entities,
        # "what about the students?" after "trade in 2011": still 2011; "and now?" is now
        period=period or _carried_period(context.period, shape),
        shape=replace(shape, kind=kind, direction=direction),
        exclude=frozenset(context.shown)
        if shape.asks_for_others
        else _holders_shown(kb, shape, context, shown),
        follow_up=True,
        entities_named=new_subject,
        topics_named=bool(topics),
        measure=measure if not topics or set(topics) == set(context.topics) else None,
        # "who co-chaired that session?": the occasion it points back to
        occasion=(
            shown[0]
            if shown and shape.points_back and not period and not shape.wants_latest
            else None
        ),
    )


_FIRST_WORD = re.compile(r"(?:^|\s)(?:first|earliest)(?:\s|$)")


def _holders_shown(
    kb: KnowledgeBase, shape: QuestionShape, context: Context, shown: list[Fact]
) -> frozenset[str]:
    """ "And before him?" after "who is the ambassador?": not him again, at an earlier date,
    but whoever held the office before: the facts of the person answered are left out."""
    if not (shape.relative_time and context.question_kind == "who" and shown):
        return frozenset()
    offices = [kb.entities[e] for e in context.entities if e in kb.entities]
    holders = {h.entity for o in offices if o.kind == "office" for h in o.holders}
    answered = [p for p in shown[0].people if p in holders]
    facts_by_entity = index_for(kb).facts_by_entity
    return frozenset(f for p in answered for f in facts_by_entity.get(p, ()))


def _carried_period(period: Period | None, shape: QuestionShape) -> Period | None:
    """The previous answer's period as a follow-up keeps it: the year before or after it
    ("and the year before?"), or none when the follow-up asks about now ("а сейчас?")."""
    if shape.wants_latest:
        return None
    if period is None or not shape.year_shift or period.start.year != period.end.year:
        return period
    year = period.start.year + shape.year_shift
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def _not_places(kb: KnowledgeBase, entities: tuple[str, ...]) -> list[str]:
    """The people, offices, organisations and goods named: a city alone is no subject."""
    return [e for e in entities if e in kb.entities and kb.entities[e].kind != "place"]


def _places_of_both_sides(kb: KnowledgeBase, entities: tuple[str, ...]) -> list[str]:
    """Places named from both countries ("Hanoi and Minsk"): their ties are the subject."""
    places = [e for e in entities if e in kb.entities and kb.entities[e].kind == "place"]
    sides = {kb.entities[e].country for e in places}
    return places if len(sides) > 1 else []


# "What's the latest news?": what happened in the last this many days of the KB
LATEST_NEWS_DAYS = 365


def _newest_facts(kb: KnowledgeBase) -> list[Fact]:
    newest = max((f.when.end for f in kb.facts), default=date.min)
    return [f for f in kb.facts if (newest - f.when.end).days <= LATEST_NEWS_DAYS]


# a broad topic ("relations") asked about a short stretch takes every fact of it, whatever
# its topic; over more years than this, that is most of the KB, and the topic's own facts
# answer (its summaries "since 1992")
BROAD_PERIOD_MAX_YEARS = 3


def _candidates(kb: KnowledgeBase, subject: Subject, match: Match) -> list[Fact]:
    index = index_for(kb)
    ids: dict[str, None] = {}
    broad_only = bool(subject.topics) and all(
        kb.topics.get(t) is not None and kb.topics[t].broad for t in subject.topics
    )
    period = subject.period
    if (
        broad_only
        and period is not None
        and period.end.year - period.start.year < BROAD_PERIOD_MAX_YEARS
    ):
        # "relations in 2013": anything dated then, not only the relations topic's facts
        # (…but "relations since 1992" is the topic's own facts: every fact is dated since)
        ids.update((f, None) for f in facts_in_period(kb, period))
    for topic in subject.topics:
        ids.update((f.id, None) for f in kb.facts_by_topic.get(topic, ()))
    subject_entities = _not_places(kb, subject.entities)
    narrowing = [e for e in subject_entities if kb.entities[e].kind in NARROWING_KINDS]
    if not subject.topics:
        named = subject_entities or _places_of_both_sides(kb, subject.entities)
        for entity in named:
            ids.update((f, None) for f in sorted(index.facts_by_entity.get(entity, ())))
    elif narrowing and (
        subject.entities_named
        # "а последний раз когда?" after Lukashenko's visits: still his, when nothing new is
        # named and no one ("who…?", "who else?") nor another time ("and before that?") is asked
        or (
            subject.follow_up
            and not subject.topics_named
            and not subject.shape.asks_for_others
            and not subject.shape.relative_time
            and subject.shape.kind is not QuestionKind.WHO
        )
    ):
        # "Golovchenko's visit": the topic's facts about that person, if any (goods and events
        # only rank: "who attended the equipment handover" asks about people, not the goods)
        about_them = _facts_of(index, narrowing)
        named = [f for f in ids if f in about_them]
        if named:
            ids = dict.fromkeys(named)
    if subject_entities:
        # "Why did Lukashenko want the National Bank to…": his facts that hold a rare word of
        # the question belong to the answer, whatever their topic (…and "who hosted her?"
        # after Kim Ngan's visit: her facts that say "hosts")
        names = frozenset().union(*(index.name_stems[e] for e in subject_entities))
        other_words = [s for s in match.ranking_stems if s not in names]
        rare = facts_mentioning(other_words, index, max_share=RANKING_WORD_SHARE)
        about_them = _facts_of(index, subject_entities)
        for f in sorted(rare):
            if f in about_them:
                ids.setdefault(f, None)
    facts = [kb.facts_by_id[f] for f in ids if f not in subject.exclude]
    if subject.before is not None:
        facts = [f for f in facts if f.when.end < subject.before]
    if subject.after is not None:
        facts = [f for f in facts if f.when.start > subject.after]
    return facts


def _facts_of(index: MatchIndex, entities: list[str]) -> frozenset[str]:
    """Ids of the facts linked to any of ``entities``."""
    return frozenset().union(*(index.facts_by_entity.get(e, ()) for e in entities))


def _context(answer_facts: list[Fact], subject: Subject, lang: str) -> Context:
    return Context(
        topics=subject.topics,
        entities=subject.entities,
        period=subject.period,
        question_kind=subject.shape.kind.value,
        shown=tuple(f.id for f in answer_facts) + tuple(subject.exclude),
        lang=lang,
        direction=subject.shape.direction,
    )


def answer_question(
    kb: KnowledgeBase,
    question: str,
    *,
    topic: str | None = None,
    lang: str | None = None,
    preferred_lang: str | None = None,
    context: Context | None = None,
    thresholds: Thresholds = THRESHOLDS,
) -> Answer:
    """Answer ``question``; with ``topic`` (a slash command) the topic is given and the
    question only narrows it (``/trade 2011``). ``context`` is what the previous answer in
    the same conversation was about: a short follow-up ("and in 2022?") continues it."""
    question = (question or "")[:MAX_QUESTION_CHARS]
    options = {"topic": topic, "context": context, "thresholds": thresholds}
    # "trade in twenty twenty-one" (a voice note) is read as "trade in 2021"
    read = with_digit_years(question)
    # "wen was the first flight", "how ofen": the question words put right
    index = index_for(kb)
    read = corrected_question_words(read, lambda word: is_known_word(word, index))
    read = expanded_shorthand(read, lambda word: kb_knows_word(word, index))
    answer = _answer_as_typed(kb, read, lang=lang, preferred_lang=preferred_lang, **options)
    if read != question:
        answer = replace(answer, query=question)
    if answer.kind in _NOT_ANSWERED and answer.related is None and looks_transliterated(question):
        # "kto posol vietnama v minske seichas": Russian in Latin letters, read in Cyrillic
        cyrillic = to_cyrillic(question, index.cyrillic_words)
        russian = _answer_as_typed(kb, cyrillic, lang=lang, preferred_lang=None, **options)
        if russian.kind is AnswerKind.FACTS:
            return replace(russian, query=question)
    return answer


_NOT_ANSWERED = (AnswerKind.UNKNOWN, AnswerKind.SUGGESTIONS, AnswerKind.EMPTY)


def _answer_as_typed(
    kb: KnowledgeBase,
    question: str,
    *,
    topic: str | None,
    lang: str | None,
    preferred_lang: str | None,
    context: Context | None,
    thresholds: Thresholds,
) -> Answer:
    unaddressed = _MENTION.sub(" ", question)
    # "@bot" is no word of the question: a Latin mention must not make a Russian one English
    reply_lang = lang or choose_language(unaddressed, preferred_lang)
    period = period_in(asked_text(question))
    if context is not None and context.period is not None and only_baseline_year(question):
        period = None  # "growth vs 2010?" after "trade in 2011": 2011 against 2010
    index = index_for(kb)
    shape = index.questions.analyse(question)
    folded = fold(unaddressed)
    scene = preamble_words(unaddressed, folded)
    about_the_asker = preamble_words(unaddressed, folded, about_the_asker=True)
    match = match_question(
        question,
        kb,
        thresholds,
        ignore=introduction_words(folded),
        form=index.questions.form_words(folded) | scene,
        scene=scene,
        about_the_asker=about_the_asker,
    )
    base = {"query": question, "lang": reply_lang, "period": period}

    if match.countries:
        return Answer(
            kind=AnswerKind.OUT_OF_SCOPE, foreign_countries=tuple(match.countries), **base
        )
    if _asks_of_a_person_or_city(kb, shape, match, folded):
        return Answer(kind=AnswerKind.UNKNOWN, **base)
    if match.other_subjects and topic is None:
        # "the weather in Nha Trang": a city of the pair, but another subject
        return Answer(kind=AnswerKind.UNKNOWN, **base)
    if topic is not None:
        subject = Subject((topic,), tuple(match.entities), period, shape)
        return _facts_answer(kb, subject, match, base, score=SURE_SCORE, listing=True)
    if not match.words:
        if context is None or not question.strip():
            return Answer(kind=AnswerKind.EMPTY, suggestions=main_topics(kb), **base)
    # "thanks a lot, that helps with my essay": thanks, with no question nor subject in it
    only_thanks = (
        shape.thanks
        and shape.kind is QuestionKind.WHAT
        and "?" not in question
        and not (period or match.hits or match.entities)
    )
    if (match.greeting and not (context and period) and not shape.wants_latest) or only_thanks:
        return Answer(kind=AnswerKind.GREETING, suggestions=main_topics(kb), **base)

    if match.unknown_names and topic is None and context is None:
        # "Did To Lam meet Prime Minister Turchin?": someone the KB has never heard of
        return Answer(kind=AnswerKind.UNKNOWN, **base)
    if topic is None and match.places_without_facts:
        # "is there a flight to Da Nang?": a place the KB knows by name and holds nothing on
        return Answer(kind=AnswerKind.UNKNOWN, **base)
    if shape.asks_source:
        # "source?": the previous answer again, each fact with its source; with nothing
        # before it, the invitation to ask (every answer gives its sources)
        shown = (
            tuple(kb.facts_by_id[f] for f in context.shown if f in kb.facts_by_id)
            if context
            else ()
        )
        if not shown:
            return Answer(kind=AnswerKind.EMPTY, suggestions=main_topics(kb), **base)
        if shown:
            return Answer(
                kind=AnswerKind.FACTS,
                score=SURE_SCORE,
                facts=shown,
                intents=context.topics,
                question_kind=context.question_kind,
                entities=context.entities,
                follow_up=True,
                context=context,
                **base,
            )
    subject = _subject(kb, match, shape, period, context, year_named_after_before(question))
    if (
        shape.wants_latest
        and shape.asks_news
        and not subject.follow_up
        and not period
        and not subject.entities
        and subject.topics
        and all(kb.topics[t].broad for t in subject.topics if t in kb.topics)
    ):
        # "the newest developments in relations": the newest news, whatever its topic
        return _latest_news(kb, match, shape, base)
    if subject.follow_up:
        return _facts_answer(kb, subject, match, base, score=SURE_SCORE, listing=shape.wants_list)
    people_and_things = _not_places(kb, subject.entities)
    places_only = _places_of_both_sides(kb, subject.entities) if not match.foreign else []
    # "the time difference between Minsk and Hanoi": two cities and a word the KB does not
    # know at all ask about something else, not the cities' ties
    named_entities = people_and_things + places_only
    if match.hits or named_entities:
        score = min((h.score for h in match.hits), default=SURE_SCORE)
        if match.coverage >= thresholds.min_coverage:
            coverage = max(match.coverage, thresholds.min_coverage)
            return _facts_answer(
                kb,
                subject,
                match,
                base,
                score=confidence(score, coverage),
                listing=shape.wants_list,
            )
        # A topic word inside a question mostly about something else ("hotel prices in
        # Minsk"): say we don't know, and offer the topic.
        suggestions = tuple(dict.fromkeys([*subject.topics, *match.suggestions]))[:4]
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
            score=SUGGESTION_SCORE,
            **base,
        )
    rare = facts_mentioning(match.content_stems, index, max_share=FALLBACK_WORD_SHARE)
    vietnamese = detect_language(question) == "vi"
    coverage = _fallback_coverage(match.content_stems, index, vietnamese) if rare else 0.0
    if (
        rare
        and coverage >= thresholds.min_fallback_coverage
        and not _only_places(kb, match)
        # "What is the capital of Belarus?", "Belarus có biển không?": one country and no
        # topic asks about that country, not the pair
        and len(index.questions.sides_named(folded)) != 1
    ):
        # No topic named, but the question names something only a few facts mention
        # ("tractors"): answer with those facts.
        topics = tuple(dict.fromkeys(kb.facts_by_id[f].topics[0] for f in rare))
        subject = Subject(topics[:3], subject.entities, period, shape)
        facts = [kb.facts_by_id[f] for f in rare]
        return _facts_answer(
            kb, subject, match, base, score=round(100 * coverage, 1), candidates=facts
        )
    if not match.content_stems and period:
        in_period = [kb.facts_by_id[f] for f in facts_in_period(kb, period)]
        if in_period:
            topics = tuple(dict.fromkeys(f.topics[0] for f in in_period))
            subject = Subject(topics, (), period, shape)
            return _facts_answer(
                kb, subject, match, base, score=SURE_SCORE, candidates=in_period, listing=True
            )
    if (
        shape.wants_latest
        and not match.unexplained
        and (shape.asks_news or not match.content_stems)
    ):
        return _latest_news(kb, match, shape, base)
    if not match.content_stems:
        return Answer(kind=AnswerKind.SUGGESTIONS, suggestions=main_topics(kb), **base)
    return Answer(kind=AnswerKind.UNKNOWN, **base)


def _asks_of_a_person_or_city(
    kb: KnowledgeBase, shape: QuestionShape, match: Match, folded: str
) -> bool:
    """ "How old is Lukashenko?", "how many people live in Hanoi?": the age of a person or
    the population of a city named, subjects of their own and not of the pair's relations."""
    kinds = [kb.entities[e].kind for e in match.entities if e in kb.entities]
    if shape.asks_age and "person" in kinds:
        return True
    index = index_for(kb)
    return bool(
        shape.asks_living
        and shape.counted[:1]
        and shape.counted[0] in _ANYONE_COUNTED
        # "bao nhiêu người Việt": people of a side are the community, not a population
        and not any(w in index.scope_words for w in shape.counted[1:])
        and not index.questions.sides_named(folded)
        and match.entities
        and len(kinds) == len(match.entities)
        and all(k == "place" for k in kinds)
    )


def _latest_news(kb: KnowledgeBase, match: Match, shape: QuestionShape, base: dict) -> Answer:
    """ "What's the latest news between them?": the newest facts, whatever their topic."""
    subject = Subject((), (), None, shape)
    return _facts_answer(kb, subject, match, base, score=SURE_SCORE, candidates=_newest_facts(kb))


# people counted with no word of who they are: a count of any kind of people answers
_ANYONE_COUNTED = frozenset({"people", "persons", "nguoi", "luot", "человек", "людей", "чел"})


def _shared_words(candidates: list[Fact], match: Match, index: MatchIndex) -> dict[str, int]:
    """How many of the question's words each candidate's text holds, however common."""
    asked = ranking_stems_of(match.ranking_stems)
    return {f.id: len(asked & index.stems_by_fact.get(f.id, frozenset())) for f in candidates}


def _counted_stem(kb: KnowledgeBase, shape: QuestionShape, foreign: list[str]) -> str | None:
    """The stem of what "how many" counts ("workers" in "how many Vietnamese workers"), when
    the KB's facts use that word: a count of something else does not answer. A word the KB
    does not know at all ("how many tonnes") is counted by no fact, so nothing answers."""
    index = index_for(kb)
    for word in shape.counted:
        if word in foreign:
            return stem(word)
        if word in FILLER_WORDS or stem(word) in index.scope_stems or word in index.scope_words:
            continue
        if word in _ANYONE_COUNTED:
            return None  # "how many people visited": visitors, tourists, students all count
        s = stem(word)
        return s if s in index.facts_by_stem else None
    return None


def _about_the_same(scored: Scored, subject: Subject, index: MatchIndex) -> bool:
    """A price answers only a question about the same thing: the trucks' price is no answer
    to "how much is a hotel room"."""
    fact = scored.fact
    return scored.words > 0 or any(
        fact.id in index.facts_by_entity.get(e, ()) for e in subject.entities
    )


def _figures_at_both_ends(ranked: list[Scored], period: Period) -> list[Fact]:
    """For a change over a range of years, the best-ranked figure of one measure in its
    first year and in its last; [] when the KB lacks either end."""
    first, last = period.start.year, period.end.year
    if first == last:
        return []
    figures = [s.fact for s in ranked if s.fact.claim is not None and s.fact.direction is None]

    def in_year(fact: Fact, year: int) -> bool:
        return fact.claim is not None and fact.claim.period.start.year == year == (
            fact.claim.period.end.year
        )

    for fact in figures:  # best first: its measure is the one asked about
        measure = fact.claim.measure if fact.claim else None
        start = next((f for f in figures if f.claim.measure == measure and in_year(f, first)), None)
        end = next((f for f in figures if f.claim.measure == measure and in_year(f, last)), None)
        if start and end:
            return [start, end]
    return []


def _nearest(ranked: list[Scored], period: Period) -> Fact:
    """The best-scored fact closest in time to a period the KB has nothing for."""

    def distance(s: Scored) -> int:
        when = s.fact.when
        if when.end < period.start:
            return (period.start - when.end).days
        return max((when.start - period.end).days, 0)

    top = ranked[0].score
    close = [s for s in ranked if s.score >= top - WEIGHTS.reply_margin] or ranked
    return min(close, key=distance).fact


def _only_places(kb: KnowledgeBase, match: Match) -> bool:
    """True when every content word of the question names a place: "Minsk" alone asks nothing."""
    places = [kb.entities[e] for e in match.entities if e in kb.entities]
    place_stems = {
        stem(w)
        for e in places
        if e.kind == "place"
        for names in e.names.values()
        for name in names
        for w in fold(name).split()
    }
    if len({e.country for e in places if e.kind == "place"}) > 1:
        return False  # "Ho Chi Minh City and Minsk": a city of each side asks about their ties
    return bool(place_stems) and all(s in place_stems for s in match.content_stems)


def _fallback_coverage(stems: list[str], index, vietnamese: bool = False) -> float:
    """Share of the question's words that some fact's own text contains. A Vietnamese
    syllable alone is in too many words to tell ("suất" of "năng suất", yield, and of
    "suất học bổng"): it counts when it makes a word of the facts with a neighbour."""
    if not stems:
        return 0.0
    if not vietnamese or len(stems) == 1:
        return sum(1 for s in stems if index.facts_by_stem.get(s)) / len(stems)
    pairs = [f"{a}_{b}" in index.facts_by_stem for a, b in pairwise(stems)]
    # a syllable is covered by the pair before it or the one after it
    covered = [a or b for a, b in zip([False, *pairs], [*pairs, False], strict=True)]
    return sum(covered) / len(stems)


def _facts_answer(
    kb: KnowledgeBase,
    subject: Subject,
    match: Match,
    base: dict,
    *,
    score: float,
    listing: bool = False,
    candidates: list[Fact] | None = None,
) -> Answer:
    index = index_for(kb)
    lang = base["lang"]
    shape = subject.shape
    common = {
        "intents": subject.topics,
        "question_kind": shape.kind.value,
        "entities": subject.entities,
        "follow_up": subject.follow_up,
    }

    def not_held(related: Fact | None, **why: object) -> Answer:
        """ "I don't have that", with at most one clearly labelled related fact."""
        return Answer(
            kind=AnswerKind.UNKNOWN,
            score=score,
            related=related,
            context=_context([], subject, lang),
            **why,
            **common,
            **base,
        )

    def by_rank(facts: list[Fact]) -> list[Scored]:
        return score_facts(facts, subject, {}, index.facts_by_entity)

    if candidates is None:
        candidates = _candidates(kb, subject, match)
        named = _not_places(kb, subject.entities) if subject.entities_named else []
        linked = _facts_of(index, named)
        about_them = [f for f in candidates if f.id in linked]
        if named and subject.topics and candidates and not about_them:
            # "Has Lukashenko been to Vietnam?" with no visit of his in the KB: not the
            # other visits, but "I don't have that" and the nearest as related
            near = by_rank(candidates)
            found = not subject.period or any(s.in_period for s in near)
            return not_held(near[0].fact, period_found=found)
    asked = shape.direction
    opposite = [f for f in candidates if asked and f.direction not in (None, asked, BOTH_WAYS)]
    same_way = [f for f in candidates if asked and f.direction in (asked, BOTH_WAYS)]
    if opposite and not same_way:
        # "Vietnam's ambassador to Belarus" when the KB only has Belarus's to Vietnam: say
        # so, and show what it has as a labelled related fact.
        return not_held(opposite[0], missing_direction=shape.direction)
    opposite_ids = {f.id for f in opposite}
    candidates = [f for f in candidates if f.id not in opposite_ids]
    if shape.first_holder and (shape.kind is QuestionKind.WHO or shape.wants_name):
        # "who was the first ambassador?": the earliest the KB names is not the first unless
        # a fact says so
        firsts = [f for f in candidates if _FIRST_WORD.search(fold(f.text["en"]))]
        if not firsts and candidates:
            return not_held(by_rank(candidates)[0].fact)
        candidates = firsts or candidates
    # "the 1st regular route" is the first, which facts say in words: not a numbered session
    ordinals = ordinals_in(fold(base["query"])) - {1}
    if ordinals and not subject.follow_up:
        # "the 16th session": only the facts that name it; none, and we do not have it
        named = [f for f in candidates if ordinals & ordinals_in(fold(f.text["en"]))]
        if not named and candidates:
            return not_held(by_rank(candidates)[0].fact)
        # …and what the same article tells of the same days ("the new areas named at the
        # 16th session"), whatever its topic
        same_days = [
            f
            for f in kb.facts
            if f not in named
            and f.id not in subject.exclude
            and any(_same_occasion(f, n) for n in named)
        ]
        candidates = named + same_days
    hits, rarity = rare_word_hits(
        match.ranking_stems, index, len(kb.facts), max_share=RANKING_WORD_SHARE
    )
    ranked = score_facts(
        candidates,
        subject,
        hits,
        index.facts_by_entity,
        word_weights=rarity,
        shared_words=_shared_words(candidates, match, index),
    )
    if not ranked:
        return Answer(kind=AnswerKind.UNKNOWN, score=score, **common, **base)
    period = subject.period
    if not listing and shape.kind is QuestionKind.RATE and period:
        # "Did trade fall between 2011 and 2022?": the figure of each end, side by side
        ends = _figures_at_both_ends(ranked, period)
        if ends:
            # "how much did trade grow in 2021 vs 2020": the growth the sources state comes
            # first, when there is one for the later year, then the figures it compares
            growth = [
                s.fact
                for s in ranked
                if "rate" in s.fact.answers
                and s.answers_kind
                and s.fact.when.end.year == period.end.year
                and s.fact not in ends
            ]
            shown = _with_disputes(kb, growth[:1] + ends)
            shown_ids = {f.id for f in shown}
            return Answer(
                kind=AnswerKind.FACTS,
                score=score,
                facts=tuple(shown),
                more=tuple(s.fact for s in ranked if s.fact.id not in shown_ids),
                context=_context(shown, subject, lang),
                **common,
                **base,
            )
    if not listing:
        wanted = shape.wanted_property
        # "why" is rarely said in so many words: a reason is preferred, never required
        # …and "who is TMT Motor?" is answered by what the KB says of it, person or not
        must_answer = wanted and wanted != "reason" and not shape.asks_identity
        counted = (
            _counted_stem(kb, shape, match.foreign)
            if wanted == "count" and not shape.asks_times and not shape.measures
            else None
        )
        # the counted word is in the fact's text, or names its topic ("tourists" are the
        # tourism topic's, whatever word the fact uses for them)
        counting_facts = index.facts_by_stem.get(counted, ()) if counted else ()
        counting_topics = index.topics_by_word_stem.get(counted, frozenset())
        answering = [
            s
            for s in ranked
            if (not must_answer or s.answers_kind)
            and (not period or s.in_period)
            and (wanted != "price" or _about_the_same(s, subject, index))
            and (
                counted is None
                or s.fact.id in counting_facts
                or not counting_topics.isdisjoint(s.fact.topics)
            )
        ]
        if wanted == "amount" and any(c.fact.claim is not None for c in ranked):
            # "What was trade in 2015?": the topic keeps a measured series, so a figure of
            # something else (the contracts signed that year) answers only when the
            # question names that something ("the contracts at the 2015 forum")
            answering = [a for a in answering if a.fact.claim is not None or a.words > 0]
        if not answering and shape.asks_times:
            # "how many times did Semashko visit?": no fact counts them, but each visit of
            # his, dated, answers by being counted
            named = set(subject.entities)
            answering = [
                s
                for s in ranked
                if "date" in s.fact.answers
                and named & set(s.fact.entities)
                and (not period or s.in_period)
            ]
        if not answering and wanted == "date":
            # "when was Pham Hai ambassador?": no event dates it, but a fact that tells how
            # things stood at a date, about the person named, answers as far as the KB can
            people = {
                e for e in subject.entities if e in kb.entities and kb.entities[e].kind == "person"
            }
            answering = [
                s
                for s in ranked
                if states_as_of(s.fact.text["en"])
                and people & set(s.fact.people)
                and (not period or s.in_period)
            ]
        if not answering:
            # The pair is right but the KB does not hold this answer (no figure for that
            # year, nobody named): say so, with at most one labelled related fact.
            related = _nearest(ranked, period) if period else ranked[0].fact
            return not_held(related, period_found=not period or any(s.in_period for s in ranked))
        # what answers comes first: "who attended the handover?" is answered by the fact
        # naming them, not by the handover's own fact, however many words it shares
        if wanted == "person":
            answering_ids = {s.fact.id for s in answering}
            ranked = answering + [s for s in ranked if s.fact.id not in answering_ids]
    elif period and not subject.follow_up and not any(s.in_period for s in ranked):
        # "What agreements were signed in 2013?" with none dated then: say so, with the
        # nearest one labelled as related, rather than a list from other years
        return not_held(_nearest(ranked, period), period_found=False)
    elif period:
        ranked = [s for s in ranked if s.in_period] + [s for s in ranked if not s.in_period]
    shown, more = _reply_and_more(kb, ranked, subject, listing=listing)
    found = not period or any(f.when.overlaps(period) for f in shown)
    # "Yes." only when the first fact holds the question's own rare words, not just its topic
    confirms = (
        shape.yes_no and ranked[0].words >= CONFIRMING_WORDS and (not period or ranked[0].in_period)
    )
    return Answer(
        kind=AnswerKind.FACTS,
        score=score,
        facts=tuple(shown),
        more=tuple(more),
        period_found=found,
        confirms=confirms,
        latest=shape.wants_latest and not period,
        context=_context(shown, subject, lang),
        **common,
        **base,
    )
