"""Reading what a question asks (third session on issue "Answer the question that was
asked"): a fact telling an intention or a forecast ranks below what happened unless the
question asks about plans, and a plan counts for the later year it names; "what share" is a
ratio; "how many live there" is in the present; "latest" means the last few years; thanks
and hellos in any form greet; years spelled in words are years; a full-year figure is not
nine months; chatter around a question does not make the bot give up, while a person's
private life, luggage and tickets are other subjects."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.answer import answer_question
from knowledge.answer_kinds import infer_answer_kinds
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import AnswerKind
from knowledge.periods import period_in, since_year, with_digit_years
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


@pytest.mark.parametrize(
    "message",
    ["thx bro", "privet bot", "Спасибо, всё понятно", "spasibo bolshoe!",
     "Cảm ơn bot rất nhiều, chúc bot một ngày tốt lành!"],
)  # fmt: skip
def test_thanks_and_hellos_in_any_form_are_greetings(message: str) -> None:
    answer = answer_question(KB, message)
    assert answer.kind is AnswerKind.GREETING and not answer.facts


def test_a_pronoun_keeps_a_question_from_being_a_greeting() -> None:
    assert answer_question(KB, "who owns it?").kind is not AnswerKind.GREETING


@pytest.mark.parametrize(
    "text, digits",
    [
        ("trade in twenty twenty one", "trade in 2021"),
        ("twenty twenty-two", "2022"),
        ("nineteen ninety two", "1992"),
        ("two thousand and six", "2006"),
        ("twenty o five", "2005"),
        ("two thousand students", "two thousand students"),  # a count, not a year
        ("twenty five visits", "twenty five visits"),
    ],
)
def test_spelled_years(text: str, digits: str) -> None:
    assert with_digit_years(text) == digits


def test_a_voice_note_year_is_read_and_the_query_kept_as_typed() -> None:
    question = "ok so what was the trade between vietnam and belarus in twenty twenty two"
    answer = answer_question(KB, question)
    assert answer.facts[0].id == "trade-2022-total"
    assert answer.query == question


def test_a_full_year_figure_is_not_nine_months() -> None:
    assert shape("the latest full-year trade figure").full_year
    first = facts("What's the most recent full-year trade figure you have?")[0]
    assert KB.facts_by_id[first].claim.period.whole_years
    # 2025 has only a nine-month figure: not the full-year one asked for
    answer = answer_question(KB, "whats the full year 2025 trade figure then")
    assert not any(f.claim is not None and not f.claim.period.whole_years for f in answer.facts[:1])


def test_chatter_around_a_question_does_not_make_it_give_up() -> None:
    assert "labour-2011-minsk-complex" in facts(
        "for the b-roll: what did vietnamese workers build in minsk?"
    )


@pytest.mark.parametrize(
    "question",
    ["when was Lukashenko born", "Vietnam Airlines baggage allowance economy class?",
     "How much does a Belavia ticket to Phu Quoc cost?"],
)  # fmt: skip
def test_private_lives_luggage_and_tickets_are_other_subjects(question: str) -> None:
    assert not answer_question(KB, question).facts


@pytest.mark.parametrize(
    "text, start",
    [
        ("Which Belarusian leaders have visited Vietnam since 1997?", 1997),
        ("Từ năm 1998 đến nay các lãnh đạo đã sang thăm Belarus chưa?", 1998),
        ("Кто посещал Вьетнам с 1997 года?", 1997),
        ("kể từ năm 2011 đến nay", 2011),
        ("from 2015 to now", 2015),
    ],
)
def test_since_a_year_is_from_then_to_today(text: str, start: int) -> None:
    period = period_in(text)
    assert (period.start, period.end) == (date(start, 1, 1), date(date.today().year, 12, 31))
    assert since_year(text, today=date(2030, 6, 1)).end == date(2030, 12, 31)


@pytest.mark.parametrize("text", ["from 2015", "trade from 2011 to 2015", "в 2015 году"])
def test_a_year_alone_or_a_range_is_not_since(text: str) -> None:
    period = period_in(text)
    assert period.end.year == 2015


def test_since_a_year_is_answered_by_the_summary_of_it() -> None:
    assert facts("Which Belarusian leaders have visited Vietnam since 1997?")[0] == (
        "visits-belarusian-leaders-since-1997"
    )
