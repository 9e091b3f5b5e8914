"""Questions that name a city or a country of the pair but ask about something else get no
fact: a foreign country's city stands for that country, and the words of
knowledge/other_subjects.yaml name subjects outside the pair's relations. A word the KB
itself uses is never taken for either."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.matcher import _other_subjects, index_for, match_question
from knowledge.model import AnswerKind
from knowledge.normalize import fold, stem
from knowledge.render import render_text

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("question", "country"),
    [
        ("flights from Moscow to Hanoi", "Russia"),
        ("Сколько вьетнамских студентов учится в Москве?", "Russia"),
        ("sinh viên Việt Nam ở Mát-xcơ-va", "Russia"),
        ("minsk to vilnius train", "Lithuania"),
        ("Belarusian trucks in Bangkok", "Thailand"),
    ],
)
def test_a_foreign_city_stands_for_its_country(question: str, country: str) -> None:
    answer = answer_question(KB, question)
    assert answer.kind is AnswerKind.OUT_OF_SCOPE
    assert answer.foreign_countries == (country,)
    assert not answer.facts


def test_the_refusal_names_the_country_in_the_reply_language() -> None:
    answer = answer_question(KB, "sinh viên Việt Nam ở Mát-xcơ-va")
    assert "Nga" in render_text(answer, KB)


def test_a_city_the_kb_speaks_of_is_no_foreign_country() -> None:
    # Kazan (Russia) is where the two leaders met in October 2024: an entity of the KB
    answer = answer_question(KB, "Lukashenko met Pham Minh Chinh in Kazan")
    assert answer.kind is AnswerKind.FACTS
    assert "visit-kazan-2024" in [f.id for f in answer.facts]


def test_the_pair_s_own_cities_are_not_foreign() -> None:
    assert not match_question("trade between Minsk and Ho Chi Minh City", KB).countries
    # "Thượng Hải" (Shanghai) folds to syllables of "thương mại hai nước"
    assert not match_question("thương mại hai nước năm 2022", KB).countries


@pytest.mark.parametrize(
    "question",
    [
        "What's the weather in Nha Trang in March?",
        "Погода в Нячанге в январе",
        "thời tiết ở Minsk tháng 12",
        "histroy of the minsk metro",
        "Is Hanoi safe for students walking at night?",
        "Xin visa Schengen ở Hà Nội mất bao lâu?",
        "best hotels in Minsk for Vietnamese tourists",
        "курс рубля к донгу",
    ],
)
def test_another_subject_gets_no_fact(question: str) -> None:
    answer = answer_question(KB, question)
    assert not answer.facts, (question, [f.id for f in answer.facts])
    assert answer.kind is not AnswerKind.GREETING


@pytest.mark.parametrize(
    "question",
    [
        "Does my daughter need a visa to go to Belarus?",
        "flights between Minsk and Nha Trang",
        "nuclear safety agreement",  # "safety" is a word of the KB's facts
    ],
)
def test_the_pair_s_own_subjects_still_get_facts(question: str) -> None:
    assert answer_question(KB, question).facts, question


def test_an_entry_the_kb_uses_is_left_out() -> None:
    texts = [" ".join(stem(w) for w in fold("Hotels in Minsk took 200 guests").split())]
    kept = _other_subjects(frozenset({stem("hotel")}), frozenset(), texts)
    assert (stem("hotel"),) not in kept.get(stem("hotel"), ())
    kept = _other_subjects(frozenset(), frozenset(), [" ".join([stem("exchange"), stem("rate")])])
    assert (stem("exchange"), stem("rate")) not in kept.get(stem("exchange"), ())
    # …and the shipped KB keeps the weather, which none of its facts mention
    assert (stem("weather"),) in index_for(KB).other_subjects[stem("weather")]


@pytest.mark.parametrize("question", ["What is the capital of Belarus?", "Belarus có biển không?"])
def test_one_country_and_no_topic_asks_about_that_country(question: str) -> None:
    # a word of some fact ("capital", "biển") is no subject of the pair's relations
    assert not answer_question(KB, question).facts


def test_a_rare_word_with_both_countries_still_finds_its_fact() -> None:
    answer = answer_question(KB, "what do vietnam and belarus complement each other in")
    assert "cooperation-complementary-strengths" in [f.id for f in answer.facts]


@pytest.mark.parametrize(
    "question",
    [
        "How many US tourists visited Vietnam in 2019?",
        "Vietnam–EU free trade agreement: when did it enter into force?",
        "lich su thanh pho minsk",
        "Tell me the history of the Minsk metro",
    ],
)
def test_other_countries_unions_and_histories_get_no_fact(question: str) -> None:
    assert not answer_question(KB, question).facts


def test_us_the_pronoun_is_no_country() -> None:
    answer = answer_question(KB, "tell us about trade")
    assert answer.kind is AnswerKind.FACTS
    # words of asking rank nothing: the newest total, not a fact with "about" in it
    assert answer.facts[0].id == "trade-2024-total"
