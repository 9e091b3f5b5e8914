"""Follow-ups that point back with a pronoun (third session on issue "Answer the question
that was asked"): "who was he due to meet?", "ai tiếp ông ấy?", "а до него?" continue the
previous answer whatever other words they use; "before him" is before the answer itself; a
follow-up asking its own "what" is not the previous kind of question; the facts of a person
carried over that hold the follow-up's own word join the answer; "how many times" counts
occasions."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.answer_kinds import infer_answer_kinds
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for, match_question
from knowledge.model import Answer, AnswerKind
from knowledge.normalize import fold
from knowledge.question import preamble_words

KB = load_knowledge_base()  # the shipped KB: these facts are from the 2012–2026 articles


def conversation(*questions: str) -> Answer:
    answer = None
    for question in questions:
        answer = answer_question(KB, question, context=answer.context if answer else None)
    return answer


@pytest.mark.parametrize("pronoun", ["her", "him", "them", "ay", "он", "его", "неё"])
def test_pronouns_name_no_subject(pronoun: str) -> None:
    match = match_question(f"who hosted {pronoun}", KB)
    assert pronoun not in match.unexplained and pronoun not in match.foreign


def test_a_pronoun_follow_up_with_a_word_the_kb_lacks_still_continues() -> None:
    answer = conversation(
        "When did Lukashenko arrive in Vietnam for his 2015 state visit?",
        "who was he due to meet?",
    )
    assert answer.follow_up and answer.facts[0].id == "visit-lukashenko-2015-meetings"


def test_before_him_is_before_the_answer_itself() -> None:
    answer = conversation("Кто посол Вьетнама в Беларуси?", "а до него?")
    assert answer.facts[0].id == "ambassador-2022-ngu"


def test_a_follow_up_asking_its_own_what_is_not_the_previous_count() -> None:
    answer = conversation(
        "Lu-ka-sen-cô sang Việt Nam mấy lần rồi ạ?", "năm 2008 ông ấy sang thì ký những gì"
    )
    assert answer.kind is AnswerKind.FACTS
    assert answer.facts[0].id == "agreements-2008-president-visit"


def test_a_carried_persons_fact_holding_the_follow_ups_word_joins() -> None:
    answer = conversation("Kim Ngan Belarus visit dates 2019?", "who hosted her?")
    assert "parliament-2019-hosts" in {f.id for f in (*answer.facts, *answer.more)}


def test_how_many_times_counts_occasions() -> None:
    assert "occasions" in infer_answer_kinds("Lukashenko visited Vietnam in 1997, 2008 and 2015.")
    assert "occasions" not in infer_answer_kinds("Over 600 Vietnamese live in Belarus.")
    assert index_for(KB).questions.analyse("Lukashenko sang Việt Nam mấy lần?").asks_times
    answer = answer_question(KB, "Lu-ka-sen-cô sang Việt Nam mấy lần rồi ạ?")
    assert answer.facts[0].id == "visit-lukashenko-1997-2008-2015"


def test_sang_is_no_greeting() -> None:
    # "sáng" is morning, "sang" is to go: folded alike, so neither greets on its own
    answer = conversation(
        "Tổng Bí thư Tô Lâm thăm Belarus vào thời gian nào?",
        "Đó là lần thứ mấy ông ấy sang Belarus?",
    )
    assert answer.kind is not AnswerKind.GREETING


def test_sentences_around_a_question_only_set_the_scene() -> None:
    text = "Привет! Я тревел-блогер, летаю по Азии. Есть ли прямой рейс из Минска во Вьетнам?"
    # "Привет!" and the blogger sentence: words 0–6; the question itself is not preamble
    assert preamble_words(text, fold(text)) == frozenset(range(7))
    thanks = "Есть ли прямой рейс? Спасибо."
    assert preamble_words(thanks, fold(thanks)) == frozenset({4})
    plain = "no question here. none at all."
    assert preamble_words(plain, fold(plain)) == frozenset()
    answer = answer_question(KB, text)
    assert answer.kind is AnswerKind.FACTS and "flight" in answer.facts[0].text["en"]


def test_polite_words_carry_no_subject() -> None:
    answer = answer_question(
        KB,
        "Dear sir or madam, I am curious what Belarus exported to Vietnam back in 2006 — "
        "tractors, potash? What were the amounts, if I may ask?",
    )
    assert answer.facts[0].id == "goods-2006-belarus-exports"
