"""Reading what a question asks (fifth session on issue "Answer the question that was
asked"): money words carry no subject and want an amount; "before 2025" prefers what was
over by then; "с кем" asks who, and a "who" answer names the people met; "who sold more"
compares figures; a currency is not a country, nor is "hợp pháp" (legal) France; "where"
wants a place the question does not name."""

from __future__ import annotations

from functools import partial

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for, match_question
from knowledge.model import AnswerKind
from knowledge.periods import year_named_after_before
from knowledge.question import QuestionKind
from testkit.answers import first_fact_id

KB = load_knowledge_base()
INDEX = index_for(KB)


def answer(question: str, **kw):
    return answer_question(KB, question, **kw)


first_id = partial(first_fact_id, KB)


def test_dollar_words_do_not_make_the_bot_give_up() -> None:
    question = "what did Belarus mainly sell Vietnam in 2006, with the dollar amounts?"
    assert not match_question(question, KB).unexplained
    assert first_id(question) == "goods-2006-belarus-exports"


def test_money_asked_in_so_many_words_wants_an_amount_not_a_count() -> None:
    money = INDEX.questions.analyse("how much money did MAZ put into the plant, in dollars?")
    plain = INDEX.questions.analyse("how much did MAZ put into the plant?")
    assert money.kind is plain.kind is QuestionKind.AMOUNT
    assert money.accepted_properties == {"amount"}
    assert plain.accepted_properties == {"amount", "count"}


def test_a_year_after_before_is_read() -> None:
    assert year_named_after_before("before 2025 how many days").year == 2025
    assert year_named_after_before("до 1992 года") is not None
    assert year_named_after_before("in 2025 how many days") is None
    assert year_named_after_before("before 2015 and before 2025") is None  # two: which?


@pytest.mark.parametrize(
    "question",
    [
        "before 2025 how many days could belarusians stay in vietnam visa free",
        "Before the 2025 deal, how many days visa-free did Belarusians get in Vietnam?",
    ],
)
def test_before_a_year_prefers_what_was_over_by_then(question: str) -> None:
    assert first_id(question) == "visas-2015-unilateral-15-days"
    # …as a preference: without "before", the newer rule comes first
    assert first_id("how many days can belarusians stay in vietnam visa free") == (
        "visas-2025-30-days"
    )


def test_s_kem_asks_who_and_the_answer_names_whom_he_met() -> None:
    question = "С кем встречался Головченко во Вьетнаме в декабре 2023?"
    assert INDEX.questions.analyse(question).kind is QuestionKind.WHO
    assert first_id(question) in ("visit-golovchenko-2023-meetings",)


def test_who_sold_more_compares_the_two_figures() -> None:
    question = "Jan–Sep 2019, who sold more, Vietnam or Belarus?"
    assert INDEX.questions.analyse(question).kind is QuestionKind.AMOUNT
    assert first_id(question) in (
        "trade-2019-jan-sep-by-exports",
        "trade-2019-jan-sep-vn-exports",
    )
    assert INDEX.questions.analyse("who sold the trucks?").kind is QuestionKind.WHO


@pytest.mark.parametrize(
    ("question", "countries"),
    [
        ("Against the US$500m goal for 2017, what did Jan-Apr 2017 bring?", []),
        ("trade in US dollars 2019", []),
        ("tell us about trade", []),
        ("US tourists in Vietnam", ["United States"]),
        ("what's vietnam's trade with the us like in 2024", ["United States"]),
        ("Ông Lukashenko có cho người Việt ở lại Belarus hợp pháp không?", []),
        ("what did belarus say about the south china sea dispute", []),
        ("trade between Vietnam and France", ["France"]),
    ],
)
def test_what_names_a_country_and_what_does_not(question: str, countries: list[str]) -> None:
    assert match_question(question, KB).countries == countries


def test_trade_with_the_us_gets_no_facts() -> None:
    got = answer("what's vietnam's trade with the us like in 2024")
    assert got.kind is AnswerKind.OUT_OF_SCOPE and not got.facts


@pytest.mark.parametrize(
    "question", ["Where is the MAZ plant in Vietnam?", "где завод маз во вьетнаме"]
)
def test_where_wants_a_place_the_question_does_not_name(question: str) -> None:
    assert first_id(question) in (
        "investment-2019-maz-plant-location",
        "investment-maz-asia-hung-yen",
    )


def test_how_old_asks_since_when_and_a_trend_asks_a_rate() -> None:
    assert INDEX.questions.analyse("how old r vietnam belarus relations").kind is (
        QuestionKind.WHEN
    )
    assert INDEX.questions.analyse("What was the trade trend in 2025?").kind is (QuestionKind.RATE)
    assert first_id("What was the trade trend in the first nine months of 2025?") == (
        "trade-2025-jan-sep-rise"
    )
