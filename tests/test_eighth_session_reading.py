"""Reading what a question asks (eighth session on issue "Answer the question that was
asked"): each test pins one rule added this session, on the shipped knowledge base."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.model import AnswerKind
from knowledge.periods import period_in
from knowledge.question import asked_text

KB = load_knowledge_base()


def first_id(question: str, **kw) -> str:
    got = answer_question(KB, question, **kw)
    assert got.kind is AnswerKind.FACTS and got.facts, (question, got.kind)
    return got.facts[0].id


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("trade in the 1990s", "1990..1999"),
        ("what happened in the late 1990s", "1996..1999"),
        ("the mid-2010s", "2013..2016"),
        ("early 2010s", "2010..2013"),
        ("в 90-е годы", "1990..1999"),
        ("в конце 90-х", "1996..1999"),
        ("в середине 2010-х", "2013..2016"),
        ("cuối những năm 1990", "1996..1999"),
        ("thap nien 80", "1980..1989"),
    ],
)
def test_a_decade_and_its_part_are_a_span_of_years(text: str, span: str) -> None:
    assert period_in(text).text == span


def test_since_a_decade_runs_to_today() -> None:
    got = period_in("visited since the late 1990s")
    assert got.start.year == 1996 and got.end.year >= 2026


def test_a_year_alone_is_no_decade() -> None:
    assert period_in("в 1990 году").text == "1990"
    assert period_in("trade 2010 vs 2020").text == "2010..2020"


def test_the_askers_own_years_are_not_the_period_asked() -> None:
    text = "Tôi học ở Minsk hồi những năm 80. Giờ có bao nhiêu người Việt ở Belarus?"
    assert period_in(asked_text(text)) is None


def test_what_the_asker_read_keeps_its_years() -> None:
    text = "I read about two trade totals for 2021. Which sources give them?"
    assert period_in(asked_text(text)).text == "2021"


def test_a_question_after_the_askers_story_is_not_narrowed_to_their_years() -> None:
    question = (
        "Tôi từng học ở Minsk những năm 1980. Hiện nay có bao nhiêu người Việt sống ở Belarus?"
    )
    assert first_id(question) == "community-2025-600"


def test_since_the_late_1990s_keeps_the_facts_of_those_years() -> None:
    got = answer_question(
        KB, "has every top Vietnamese leader been to Belarus since the late 1990s?"
    )
    assert "visits-vietnamese-leaders-since-1998" in [f.id for f in got.facts]
