"""Ranking by the question (issue "Answer the question that was asked"): what answers
"since when", the day before the month, the newest for "now", rare words by their rarity,
Vietnamese marks, and the follow-ups "before that?", "after that?" and "source?"."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.answer_kinds import infer_answer_kinds, names_a_day
from knowledge.evaluation import FIRST_KB_DIR
from knowledge.loader import load_knowledge_base
from knowledge.matcher import facts_mentioning, index_for, match_question, rare_word_hits
from knowledge.model import AnswerKind
from knowledge.normalize import fold
from knowledge.question import QuestionKind, ordinals_in

KB = load_knowledge_base()  # the shipped KB: these facts are from the 2012–2026 articles


def facts(question: str, **kw) -> list[str]:
    answer = answer_question(KB, question, **kw)
    assert answer.kind is AnswerKind.FACTS, (question, answer.kind)
    return [f.id for f in answer.facts]


@pytest.mark.parametrize(
    "text",
    [
        "The free trade agreement has been in force since October 2016.",
        "Holders of diplomatic passports have been exempt from visas since 1993.",
        "The agreement took effect in January 2025.",
    ],
)
def test_a_state_with_its_start_date_answers_when(text: str) -> None:
    assert "date" in infer_answer_kinds(text)


def test_an_as_of_state_still_does_not_answer_when() -> None:
    assert "date" not in infer_answer_kinds("As of May 2025, the mechanisms were three.")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("On 11 October 2025, Belavia launched the flight.", True),
        ("paid a visit on 26–27 November 2014.", True),
        ("The December 2019 trip was her first.", False),
        ("Trade came to US$244 million in 2024.", False),
    ],
)
def test_names_a_day(text: str, day: bool) -> None:
    assert names_a_day(text) is day


def test_since_when_finds_the_fact_that_says_since() -> None:
    assert facts("diplomatic passports visa free since when")[0] == "visas-1993-diplomatic"


def test_a_figure_answers_for_what_period() -> None:
    # a figure's period is what "for what period" asks, in Russian too
    assert "date" in KB.facts_by_id["trade-2024-total"].answers


def test_now_puts_the_newest_first() -> None:
    # the 2025 agreement, not the 2015 waiver (which, besides, goes the other way)
    answer = answer_question(KB, "can vietnamese go to belarus without visa now?")
    assert answer.latest and answer.facts[0].when.start.year == 2025
    assert "visas-2015-unilateral-15-days" not in [f.id for f in answer.facts]


def test_a_mutual_fact_answers_either_way() -> None:
    for question in (
        "can Vietnamese travel to Belarus without a visa?",
        "can Belarusians visit Vietnam without a visa?",
    ):
        answer = answer_question(KB, question)
        assert answer.kind is AnswerKind.FACTS, question
        assert any(f.direction == "both" for f in answer.facts), question


def test_a_summary_spanning_the_year_ranks_below_what_happened_in_it() -> None:
    first = KB.facts_by_id[facts("Anything about relations in 2013?")[0]]
    assert first.when.start.year == 2013


def test_a_rare_word_weighs_more_than_a_common_one() -> None:
    index = index_for(KB)
    counts, weights = rare_word_hits(["kazan", "session"], index, len(KB.facts), max_share=10)
    assert counts == facts_mentioning(["kazan", "session"], index, max_share=10)
    kazan = set(index.facts_by_stem["kazan"])
    assert kazan and all(weights[f] > 0 for f in kazan)
    # a word in ten facts counts far less than one in a single fact
    common = min(weights[f] for f in kazan)
    assert max(weights.values()) >= common > 0


def test_a_typo_of_a_fact_word_is_no_new_subject() -> None:
    match = match_question("How many Belarusian tourists visted Vietnam in 2019?", KB)
    assert "visted" not in match.foreign
    assert facts("How many Belarusian tourists visted Vietnam in 2019?")[0] == (
        "tourism-2019-arrivals"
    )


def test_a_word_of_a_named_persons_facts_is_explained() -> None:
    # "National Bank" is in Lukashenko's facts, not in the topic the question names
    match = match_question(
        "Why did Lukashenko want the National Bank to send a delegation to Vietnam?", KB
    )
    assert "bank" not in match.unexplained


def test_vietnamese_marks_tell_a_one_syllable_alias_apart() -> None:
    # "cùng kỳ" (the same period) is not "ký" (to sign, the agreements topic)
    assert "agreements" not in {h.topic for h in match_question("so với cùng kỳ", KB).hits}
    assert "agreements" in {h.topic for h in match_question("hai bên đã ký gì", KB).hits}
    # typed without marks, both readings stay possible
    assert "agreements" in {h.topic for h in match_question("hai ben da ky gi", KB).hits}


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How often does Belavia fly to Phu Quoc?", QuestionKind.RATE),
        ("как часто летают самолеты?", QuestionKind.RATE),
        ("how long can I stay without a visa?", QuestionKind.COUNT),
        ("ở được bao lâu?", QuestionKind.COUNT),
    ],
)
def test_how_often_is_a_rate_how_long_a_count(question: str, kind: QuestionKind) -> None:
    assert index_for(KB).questions.analyse(question).kind is kind


def test_and_before_that_goes_back_from_the_previous_answer() -> None:
    before = answer_question(KB, "When did Golovchenko visit Vietnam?")
    shown_start = min(f.when.start for f in before.facts)
    answer = answer_question(KB, "and before that?", context=before.context)
    assert answer.kind is AnswerKind.FACTS and answer.follow_up
    assert all(f.when.end < shown_start for f in answer.facts + answer.more)


def test_after_that_goes_forward() -> None:
    before = answer_question(KB, "When did Golovchenko visit Vietnam?")
    shown_end = max(f.when.end for f in before.facts)
    answer = answer_question(KB, "после этого?", context=before.context)
    assert answer.kind is AnswerKind.FACTS
    assert all(f.when.start > shown_end for f in answer.facts + answer.more)


@pytest.mark.parametrize("question", ["source?", "nguồn?", "источник?"])
def test_source_shows_the_previous_answer_again(question: str) -> None:
    before = answer_question(KB, "total trade 2024?")
    answer = answer_question(KB, question, context=before.context)
    assert [f.id for f in answer.facts] == [f.id for f in before.facts]
    # …and alone, with nothing before it, it is the invitation to ask
    alone = answer_question(KB, question)
    assert alone.kind is AnswerKind.EMPTY and not alone.facts


def test_a_follow_up_ranks_carried_entities_below_named_ones() -> None:
    before = answer_question(KB, "What help did Belarus send Vietnam against COVID-19?")
    answer = answer_question(KB, "who was at the handover?", context=before.context)
    assert answer.facts[0].id == "health-2021-handover-attendees"


def test_a_list_for_a_year_with_nothing_then_says_so() -> None:
    answer = answer_question(KB, "What agreements did Nguyen Tan Dung sign in Belarus in 2013?")
    assert answer.kind is AnswerKind.UNKNOWN and not answer.facts
    assert answer.related is not None and not answer.period_found


@pytest.mark.parametrize(
    ("text", "ordinals"),
    [
        ("When was the 15th session?", {15}),
        ("Ủy ban liên Chính phủ họp khóa 15 như thế nào?", {15}),
        ("15-я сессия межправкомиссии", {15}),
        ("the committee's eighth session", {8}),
        ("trade in 2022", set()),
        ("his first visit", set()),  # "first" and "second" are too common to be a number
    ],
)
def test_ordinals_in(text: str, ordinals: set[int]) -> None:
    assert ordinals_in(fold(text)) == ordinals


def test_an_ordinal_narrows_to_the_facts_that_name_it() -> None:
    ids = facts("Who co-chaired the 16th sesion of the intergovermental committee?")
    assert ids[0] == "mechanism-16th-session-2025-cochairs"
    # a session no fact names is one we do not have, with a related fact at most
    answer = answer_question(KB, "When was the 12th session of the intergovernmental committee?")
    assert answer.kind is AnswerKind.UNKNOWN and not answer.facts


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("How much has Vietnam invested in Belarus?", "vn-by"),
        ("Belarus's investment in Vietnam", "by-vn"),
        ("Инвестиции Беларуси во Вьетнам сколько?", "by-vn"),
        ("Việt Nam đầu tư vào Belarus bao nhiêu", "vn-by"),
    ],
)
def test_investment_has_a_direction(question: str, direction: str) -> None:
    assert index_for(KB).questions.analyse(question).direction == direction


def test_two_cities_and_an_unknown_word_are_not_their_ties() -> None:
    answer = answer_question(KB, "what's the time difference between minsk and hanoi")
    assert not answer.facts


def test_a_named_persons_fact_with_a_rare_word_of_the_question_joins_from_another_topic() -> None:
    answer = answer_question(
        KB, "Why did Lukashenko want the National Bank to send a delegation to Vietnam?"
    )
    assert "trade-2024-national-bank" in [f.id for f in answer.facts + answer.more]
    # the person's own name is no such word: nothing says what Semashko signed
    assert not answer_question(KB, "What did Semashko sign in Vietnam in October 2016?").facts


def test_asking_for_a_name_is_not_answered_by_an_office() -> None:
    first_kb = load_knowledge_base(FIRST_KB_DIR)  # its 2011 visit names the office only
    question = "What was the name of the Belarusian PM who came in November 2011?"
    answer = answer_question(first_kb, question)
    assert answer.kind is AnswerKind.UNKNOWN and not answer.facts
    # "who" alone still takes the office
    assert answer_question(first_kb, "Who came from Belarus in November 2011?").facts


def test_a_named_person_with_no_fact_in_the_topic_gets_no_one_elses() -> None:
    first_kb = load_knowledge_base(FIRST_KB_DIR)  # no visit there is linked to Lukashenko
    answer = answer_question(first_kb, "Has Lukashenko been to Vietnam?")
    assert answer.kind is AnswerKind.UNKNOWN and not answer.facts
    assert answer.related is not None  # at most one, labelled
    # on the full KB his visits are there
    assert answer_question(KB, "Has Lukashenko been to Vietnam?").facts


@pytest.mark.parametrize(
    "question",
    [
        "did trade go up or down between 2022 and 2024",
        "thương mại năm 2022 và 2024 tăng hay giảm?",
        "товарооборот вырос ли с 2022 по 2024 год?",
    ],
)
def test_a_change_over_years_shows_the_figure_of_each_end(question: str) -> None:
    answer = answer_question(KB, question)
    assert answer.kind is AnswerKind.FACTS, question
    years = {f.claim.period.start.year for f in answer.facts if f.claim is not None}
    assert {2022, 2024} <= years, [f.id for f in answer.facts]


def test_words_pointing_back_make_a_follow_up_even_with_a_new_topic() -> None:
    first_kb = load_knowledge_base(FIRST_KB_DIR)
    before = answer_question(
        first_kb, "I recall the 8th session of the joint commission was held in Hanoi in 2010."
    )
    answer = answer_question(first_kb, "what did they sign there?", context=before.context)
    assert answer.follow_up and answer.context.period == before.context.period
    assert all(f.when.overlaps(before.context.period) for f in answer.facts)


def test_a_city_in_a_follow_up_stands_in_for_the_one_of_its_side() -> None:
    first_kb = load_knowledge_base(FIRST_KB_DIR)
    before = answer_question(first_kb, "Hà Nội có hợp tác với Minsk không?")
    answer = answer_question(first_kb, "còn TP HCM?", context=before.context)
    assert answer.kind is AnswerKind.FACTS
    assert set(answer.entities) == {"hcmc", "minsk"}


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What did Lukashenko say about trade when he met Pham Minh Chinh?", QuestionKind.WHAT),
        ("Who did Golovchenko meet when he was in Hanoi?", QuestionKind.WHO),
        ("When did Golovchenko visit Vietnam?", QuestionKind.WHEN),
        ("Что сказал Лукашенко, когда встретился с Фам Минь Тинем?", QuestionKind.WHAT),
    ],
)
def test_a_when_that_joins_a_clause_does_not_ask_when(question: str, kind: QuestionKind) -> None:
    assert index_for(KB).questions.analyse(question).kind is kind
