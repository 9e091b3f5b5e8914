"""Reading a question (commits "a stretch of months is a period of its own" and "a name is
said in one piece"): a stretch of months ("the first nine months of 2019", "9 tháng đầu
năm", "за 9 месяцев", "Jan-Sep", "январе–апреле", "tháng 1-9/2019") and day-first dates as
periods; the figure for exactly that stretch first and the enclosing year's below it; a venue
answering "where" and listed years or "fourth visit" answering "how many times"; names said
in one piece; Vietnamese phrases typed with other marks; inflected side words as words of
the pair; "послом" against "после"; and a follow-up keeping the previous figure's measure."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answer import WEIGHTS, Subject, answer_question, score_facts
from knowledge.answer_kinds import infer_answer_kinds
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for, match_question
from knowledge.model import AnswerKind
from knowledge.normalize import stem
from knowledge.periods import part_of_year, period_in

KB = load_knowledge_base()  # the shipped KB: these facts are from the 2012–2026 articles

TRADE_2021_FULL_YEAR = {"trade-2021-total-by", "trade-2021-total-vn"}


def facts(question: str, **kw) -> list[str]:
    answer = answer_question(KB, question, **kw)
    assert answer.kind is AnswerKind.FACTS, (question, answer.kind)
    return [f.id for f in answer.facts]


def months(text: str) -> tuple[date, date] | None:
    period = period_in(text)
    return None if period is None else (period.start, period.end)


def topics_hit(question: str) -> set[str]:
    return {h.topic for h in match_question(question, KB).hits}


def scores(question: str, ids: list[str], **subject_kw) -> dict[str, float]:
    """Each fact's rank score for ``question`` read as a trade question."""
    index = index_for(KB)
    subject = Subject(
        ("trade",), (), period_in(question), index.questions.analyse(question), **subject_kw
    )
    scored = score_facts([KB.facts_by_id[i] for i in ids], subject, {}, index.facts_by_entity)
    return {s.fact.id: s.score for s in scored}


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("the first nine months of 2019", date(2019, 1, 1), date(2019, 9, 30)),
        ("trade in the first 9 months of 2019", date(2019, 1, 1), date(2019, 9, 30)),
        ("9 tháng đầu năm 2021", date(2021, 1, 1), date(2021, 9, 30)),
        ("товарооборот за 9 месяцев 2019 года", date(2019, 1, 1), date(2019, 9, 30)),
        ("Jan-Sep 2019", date(2019, 1, 1), date(2019, 9, 30)),
        ("trade in January–September 2019", date(2019, 1, 1), date(2019, 9, 30)),
        ("в январе–апреле 2017", date(2017, 1, 1), date(2017, 4, 30)),
        ("kim ngạch tháng 1-9/2019", date(2019, 1, 1), date(2019, 9, 30)),
    ],
)
def test_a_stretch_of_months_is_its_own_period(text: str, start: date, end: date) -> None:
    part = part_of_year(text)
    assert part is not None and (part.start, part.end) == (start, end)
    assert months(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("trade in 2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("trade in the 12 months of 2019", date(2019, 1, 1), date(2019, 12, 31)),
        ("trade from 2015 to 2019", date(2015, 1, 1), date(2019, 12, 31)),
    ],
)
def test_years_stay_year_periods(text: str, start: date, end: date) -> None:
    assert part_of_year(text) is None
    assert months(text) == (start, end)


@pytest.mark.parametrize("text", ["visa rules on 11/1/2022", "визы с 11.01.2022"])
def test_a_numeric_date_is_read_day_first(text: str) -> None:
    assert months(text) == (date(2022, 1, 1), date(2022, 1, 31))


# --------------------------------------------------------------------------- ranking


@pytest.mark.parametrize(
    ("question", "first"),
    [
        (
            "What was the trade between Vietnam and Belarus in the first nine months of 2019?",
            "trade-2019-jan-sep",
        ),
        ("trade between Vietnam and Belarus Jan-Sep 2019", "trade-2019-jan-sep"),
        ("Товарооборот Вьетнама и Беларуси за 9 месяцев 2019 года", "trade-2019-jan-sep"),
        ("Kim ngạch thương mại Việt Nam Belarus 9 tháng đầu năm 2021", "trade-2021-jan-sep"),
        ("Товарооборот Беларуси и Вьетнама в январе–апреле 2017", "trade-2017-jan-apr"),
    ],
)
def test_a_stretch_of_months_gets_its_own_figure_first(question: str, first: str) -> None:
    assert facts(question)[0] == first


def test_a_full_year_question_gets_the_full_year_figure_first() -> None:
    ids = facts("trade between Vietnam and Belarus in 2021")
    assert ids[0] in TRADE_2021_FULL_YEAR
    if "trade-2021-jan-sep" in ids:
        assert ids.index("trade-2021-jan-sep") > max(
            ids.index(i) for i in TRADE_2021_FULL_YEAR if i in ids
        )


def test_a_whole_year_ranks_below_the_figure_for_the_months_asked() -> None:
    ids = facts("the first nine months of 2021", topic="trade")
    assert ids[0] == "trade-2021-jan-sep"
    assert TRADE_2021_FULL_YEAR <= set(ids)
    assert all(ids.index(i) > 0 for i in TRADE_2021_FULL_YEAR)


def test_the_exact_months_outscore_the_enclosing_year() -> None:
    got = scores(
        "trade in the first nine months of 2021",
        ["trade-2021-jan-sep", *sorted(TRADE_2021_FULL_YEAR)],
    )
    assert all(got["trade-2021-jan-sep"] > got[i] for i in TRADE_2021_FULL_YEAR), got


# --------------------------------------------------------------------------- answer kinds


@pytest.mark.parametrize(
    "text",
    [
        "The meeting took place in Vietnam.",
        "The forum was held in Hanoi.",
        "The talks were held in Minsk on 5 May 2019.",
    ],
)
def test_a_venue_answers_where(text: str) -> None:
    assert "place" in infer_answer_kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "The forum was held in October 2019.",
        "The talks took place in May 2019.",
        "The meeting took place in 2019.",
    ],
)
def test_a_month_or_year_after_in_is_no_venue(text: str) -> None:
    assert "place" not in infer_answer_kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "He visited Vietnam in 1997, 2008 and 2015.",
        "It was his fourth visit to Belarus.",
    ],
)
def test_occasions_answer_how_many_times(text: str) -> None:
    assert "count" in infer_answer_kinds(text)


def test_a_single_year_is_no_count() -> None:
    assert "count" not in infer_answer_kinds("He visited Vietnam in 2015.")


# --------------------------------------------------------------------------- matching


def test_a_name_is_said_in_one_piece() -> None:
    # "послом в Беларуси" is Vietnam's ambassador in Belarus, not "посол Беларуси"
    entities = match_question("Кто был вьетнамским послом в Беларуси в 2022 году?", KB).entities
    assert "ambassador-belarus-to-vietnam" not in entities
    assert "ambassador-vietnam-to-belarus" in entities


def test_a_name_said_in_one_piece_still_matches() -> None:
    entities = match_question("Кто посол Беларуси во Вьетнаме?", KB).entities
    assert "ambassador-belarus-to-vietnam" in entities


@pytest.mark.parametrize(
    ("question", "investment"),
    [
        ("Hợp tác văn hóa giữa Việt Nam và Belarus bắt đầu từ khi nào?", False),
        ("Belarus đầu tư vào Việt Nam", True),
        ("belarus dau tu vao viet nam", True),  # typed without marks, the phrase stands
    ],
)
def test_vietnamese_phrases_typed_with_other_marks(question: str, investment: bool) -> None:
    assert ("investment" in topics_hit(question)) is investment


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("белорусу нужна виза?", "белорусу"),
        ("Что нужно белорусу для визы?", "белорусу"),
        ("Сколько белорусы тратят на визу?", "белорусы"),
    ],
)
def test_an_inflected_side_word_is_a_word_of_the_pair(question: str, word: str) -> None:
    match = match_question(question, KB)
    assert match.in_scope_words
    assert word not in match.unexplained


@pytest.mark.parametrize(
    ("word", "same"),
    [("послом", True), ("посла", True), ("после", False)],
)
def test_posol_stems(word: str, same: bool) -> None:
    assert (stem(word) == stem("посол")) is same


# --------------------------------------------------------------------------- follow-ups


def test_a_follow_up_keeps_the_measure() -> None:
    first = answer_question(
        KB, "What was the total trade turnover between Vietnam and Belarus in 2022?"
    )
    assert first.kind is AnswerKind.FACTS and first.facts[0].id == "trade-2022-total"
    ids = facts("and in 2016?", context=first.context)
    assert ids[0] == "trade-2016-total"
    assert ids[0] != "trade-2016-target-500"


def test_the_same_measure_lifts_only_its_figures() -> None:
    ids = ["trade-2016-total", "trade-2016-target-500"]
    plain = scores("and in 2016?", ids)
    kept = scores("and in 2016?", ids, measure="trade-total")
    assert kept["trade-2016-total"] == pytest.approx(
        plain["trade-2016-total"] + WEIGHTS.same_measure
    )
    assert kept["trade-2016-target-500"] == pytest.approx(plain["trade-2016-target-500"])
    assert kept["trade-2016-total"] - kept["trade-2016-target-500"] > (
        plain["trade-2016-total"] - plain["trade-2016-target-500"]
    )


@pytest.mark.parametrize(
    "question",
    [
        "How many Belarusian students are studying in Vietnam?",
        "Có bao nhiêu người Belarus đang sống ở Việt Nam?",
        "Сколько белорусских студентов учится во Вьетнаме?",
    ],
)
def test_people_of_the_other_side_are_not_answered_with_ours(question: str) -> None:
    # the KB knows the Vietnamese in Belarus, not Belarusians in Vietnam: say so
    answer = answer_question(KB, question)
    assert not answer.facts
    assert answer.kind is AnswerKind.UNKNOWN


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("How many Vietnamese students are there in Belarus?", "students-hundreds-2023"),
        ("Có bao nhiêu người Việt đang sống ở Belarus?", "community-2025-600"),
    ],
)
def test_people_of_our_side_where_they_are_get_their_figure(question: str, fact: str) -> None:
    assert fact in [f.id for f in answer_question(KB, question).facts]


@pytest.mark.parametrize(
    ("first", "then", "fact"),
    [
        (
            "Khóa họp thứ 15 của Ủy ban liên chính phủ tổ chức khi nào?",
            "Ai đồng chủ trì khóa họp đó?",
            "mechanism-15th-session-2022-cochairs",
        ),
        (
            "golovchenko vietnam visit dates",
            "who invited him",
            "visit-golovchenko-2023-invitation",
        ),
    ],
)
def test_pointing_back_continues_the_same_occasion(first: str, then: str, fact: str) -> None:
    before = answer_question(KB, first)
    answer = answer_question(KB, then, context=before.context)
    assert answer.follow_up
    assert answer.facts[0].id == fact


def test_import_is_a_word_of_goods_not_filler() -> None:
    # "important" is filler, and its stem "import" once swallowed the goods alias "import"
    answer = answer_question(KB, "What does Vietnam import from Belarus?")
    assert answer.kind is AnswerKind.FACTS
    assert "goods" in answer.facts[0].topics
