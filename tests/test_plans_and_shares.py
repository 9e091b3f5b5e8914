"""Plans, shares and the present (third session on issue "Answer the question that was
asked"): a fact telling an intention or a forecast ranks below what happened unless the
question asks about plans, and a plan counts for the later year it names; "what share" is a
ratio; "how many live there" is asked in the present; "latest" means the last few years."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.answer_kinds import infer_answer_kinds
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import AnswerKind
from knowledge.question import QuestionKind

KB = load_knowledge_base()  # the shipped KB: these facts are from the 2012–2026 articles


def facts(question: str, **kw) -> list[str]:
    answer = answer_question(KB, question, **kw)
    assert answer.kind is AnswerKind.FACTS, (question, answer.kind)
    return [f.id for f in answer.facts]


def shape(question: str):
    return index_for(KB).questions.analyse(question)


@pytest.mark.parametrize(
    "text, plan",
    [
        ("In January 2026, Lukashenko said he accepted To Lam's invitation to visit.", True),
        ("The presidents agreed to raise bilateral trade to US$500 million in 2017.", True),
        ("Trade for 2019 was expected to reach US$200 million.", True),
        ("Golovchenko came to Vietnam in December 2023 at the invitation of Chinh.", False),
        ("Lukashenko visited Vietnam in 1997, 2008 and 2015.", False),
    ],
)
def test_an_intention_or_forecast_is_a_plan(text: str, plan: bool) -> None:
    assert ("plan" in infer_answer_kinds(text)) is plan


@pytest.mark.parametrize(
    "question, asks",
    [
        ("Will Lukashenko visit Vietnam?", True),
        ("What trade target did the presidents set for 2017?", True),
        ("Lukashenko đã nhận lời sang thăm Việt Nam chưa?", True),
        ("Планируется ли визит Лукашенко?", True),
        ("Has Lukashenko been to Vietnam?", False),
        ("Who invited him?", False),  # asks what happened
    ],
)
def test_asking_about_plans(question: str, asks: bool) -> None:
    assert shape(question).asks_plan is asks


def test_a_visit_that_happened_ranks_above_an_accepted_invitation() -> None:
    first = facts("Has Lukashenko been to Vietnam?")[0]
    assert first != "visit-2026-lukashenko-accepts"
    assert "accepted" not in KB.facts_by_id[first].text["en"]


def test_an_accepted_invitation_answers_a_question_about_it() -> None:
    assert facts("Has Lukashenko accepted the invitation to visit Vietnam?")[0] == (
        "visit-2026-lukashenko-accepts"
    )


def test_a_target_counts_for_the_year_it_is_for() -> None:
    fact = KB.facts_by_id["trade-2016-target-500"]
    assert fact.when.start.year == 2016 and fact.aims_at is not None
    assert (fact.aims_at.start.year, fact.aims_at.end.year) == (2017, 2017)
    assert facts("What trade target did the two presidents set for 2017?")[0] == (
        "trade-2016-target-500"
    )


def test_what_happened_has_no_aim() -> None:
    assert KB.facts_by_id["trade-2017-jan-apr"].aims_at is None


@pytest.mark.parametrize(
    "question",
    [
        "What share of Belarus's foreign trade is Vietnam?",
        "MAZ Asia tỷ lệ vốn mỗi bên bao nhiêu?",
        "Какая доля у МАЗ в МАЗ Азия?",
        "на сколько процентов вырос товарооборот?",
    ],
)
def test_a_share_is_a_ratio(question: str) -> None:
    assert shape(question).kind is QuestionKind.RATE


def test_the_share_question_gets_the_share() -> None:
    assert facts("What share of Belarus's foreign trade did Vietnam account for in 2016?")[0] == (
        "trade-2016-share"
    )


@pytest.mark.parametrize(
    "question",
    [
        "How many Vietnamese people live in Belarus?",
        "Có bao nhiêu người Việt đang sống ở Belarus?",
        "Сколько вьетнамцев живут в Беларуси?",
    ],
)
def test_living_there_is_the_present(question: str) -> None:
    assert shape(question).present


def test_the_present_community_figure_comes_first() -> None:
    assert facts("Có bao nhiêu người Việt đang sống ở Belarus?")[0] == "community-2025-600"


def test_latest_means_the_last_few_years() -> None:
    # the 2022 session holds more of the question's words; "latest" is the 2025 one
    assert facts("latest intergovernmental commission meeting?")[0] == (
        "mechanism-16th-session-2025"
    )


def test_a_session_is_found_by_its_committee_and_ordinal() -> None:
    assert "mechanism-eighth-session-2010" in facts(
        "khoa hop thu 8 uy ban lien chinh phu o minsk nam nao"
    )
