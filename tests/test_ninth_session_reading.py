"""Reading what a question asks (ninth session on issue "Answer the question that was
asked"): each test pins one rule added this session, on the shipped knowledge base."""

from __future__ import annotations

from functools import partial

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for, match_question, syllable_pairs
from knowledge.model import AnswerKind
from knowledge.normalize import FILLER_WORDS, fold, stem
from knowledge.question import QuestionKind, asking_sentences, preamble_words
from knowledge.spelling import expanded_shorthand
from testkit.answers import first_fact_id

KB = load_knowledge_base()
INDEX = index_for(KB)

first_id = partial(first_fact_id, KB)


def _spelt_out(text: str) -> str:
    return expanded_shorthand(text, lambda w: False)


@pytest.mark.parametrize("word", ["прошу", "сообщить", "указать", "предоставьте", "опять"])
def test_russian_request_words_carry_no_subject(word: str) -> None:
    assert word in FILLER_WORDS


def test_a_formal_russian_request_is_answered() -> None:
    question = (
        "Прошу указать дату и место проведения восьмого заседания межправительственной комиссии."
    )
    assert first_id(question) == "mechanism-eighth-session-2010"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("равков када туда ездил", "равков когда туда ездил"),
        ("sv VN o Belarus", "sinh vien VN o Belarus"),
        ("signed what yr", "signed what year"),
    ],
)
def test_chat_shorthand_is_spelt_out(typed: str, meant: str) -> None:
    assert _spelt_out(typed) == meant


def test_an_imperfective_russian_verb_meets_its_perfective_in_the_facts() -> None:
    assert stem("обсуждали") == stem("обсудили")
    assert first_id("хренин во вьетнаме чё обсуждал") in {
        "defence-2024-areas",
        "defence-2024-talks",
    }


def test_areas_of_cooperation_name_the_cooperation_topic() -> None:
    assert first_id("Tháng 4/2025 hai bên xác định những lĩnh vực hợp tác mới nào?") == (
        "cooperation-2025-new-areas"
    )


@pytest.mark.parametrize(
    "question",
    [
        "when did Volfovich meet To Lam",
        "Volfovich gặp Tô Lâm ngày nào",
        "Volfovich встречался с То Ламом когда",
    ],
)
def test_a_meeting_is_a_visit_and_its_date_comes_first(question: str) -> None:
    assert first_id(question) == "visit-volfovich-2025-to-lam"


def test_the_kind_is_read_from_the_sentence_that_asks() -> None:
    question = (
        "Kim ngạch hai chiều năm 2021 là bao nhiêu? Mình thấy báo VN với báo Belarus ghi khác nhau."
    )
    assert asking_sentences(question) == "Kim ngạch hai chiều năm 2021 là bao nhiêu?"
    assert INDEX.questions.analyse(question).kind is QuestionKind.AMOUNT
    assert first_id(question) in {"trade-2021-total-vn", "trade-2021-total-by"}


def test_different_is_not_other() -> None:
    assert not INDEX.questions.analyse("báo VN với báo Belarus ghi khác nhau").asks_for_others
    assert INDEX.questions.analyse("còn ai khác không").asks_for_others


def test_a_count_of_something_no_fact_counts_is_not_answered() -> None:
    got = answer_question(KB, "the COVID medical aid from Belarus, how many tonnes it was?")
    assert got.kind is AnswerKind.UNKNOWN and not got.facts
    assert got.related is not None  # one clearly labelled related fact at most
    # …while a misspelt count of something the facts do count still is
    assert first_id("how many vietnamese studnets in belarus") in {
        "students-hundreds-2023",
        "students-2011-70",
    }


def test_sobralsya_is_a_plan() -> None:
    shape = INDEX.questions.analyse("лукашенко чё, во вьетнам опять собрался?")
    assert shape.asks_plan and shape.future
    assert first_id("лукашенко чё, во вьетнам опять собрался?") == "visit-2026-lukashenko-accepts"


def test_a_country_where_the_asker_tells_of_themselves_is_not_the_subject() -> None:
    question = "Em là phiên dịch Nga–Việt. Товарооборот в 2022 году là bao nhiêu ạ?"
    assert first_id(question) == "trade-2022-total"
    # …but with one side of the pair named, the asker's country may be the other one
    got = answer_question(KB, "I am from Russia. How is trade with Vietnam?")
    assert got.kind is AnswerKind.OUT_OF_SCOPE


def test_only_the_askers_own_sentences_are_about_the_asker() -> None:
    text = "I saw two totals for 2021. I work in Tokyo. What was trade in 2021?"
    folded = fold(text)
    about = preamble_words(text, folded, about_the_asker=True)
    words = folded.split()
    assert {words[i] for i in about} == {"i", "work", "in", "tokyo"}


def test_a_syllable_pair_with_a_year_ranks_nothing() -> None:
    assert syllable_pairs(["nam", "2021", "kim", "ngach", "15", "ngay"], frozenset()) == [
        "kim_ngach",
        "ngach_15",
        "15_ngay",
    ]


def test_pointing_back_keeps_the_topic_answered_before() -> None:
    first = answer_question(KB, "Hiệp định miễn thị thực ký ngày nào, ai ký?")
    got = answer_question(KB, "Hiệp định đó có hiệu lực từ ngày nào?", context=first.context)
    assert got.facts[0].id in {"visas-2025-in-force", "visas-2025-30-days"}


def test_how_often_asks_for_a_frequency() -> None:
    assert "frequency" in INDEX.questions.analyse("how often does Belavia fly there").measures
    assert "frequency" in INDEX.questions.analyse("mỗi tuần mấy chuyến").measures
    assert "frequency" in KB.facts_by_id["tourism-2026-nha-trang-schedule"].answers


def test_the_fact_holding_more_of_the_questions_words_wins_a_tie() -> None:
    # the state visit and the talks score alike; "thăm" is the visit's word
    assert first_id("Tô Lâm thăm Belarus ngày nào") == "visit-to-lam-2025-state-visit"


def test_an_unknown_abbreviation_names_something_the_kb_does_not_hold() -> None:
    match = match_question("сколько вьетнамских студентов учится в БГУ?", KB)
    assert match.unknown_names == ["бгу"]
    assert (
        answer_question(KB, "сколько вьетнамских студентов учится в БГУ?").kind
        is AnswerKind.UNKNOWN
    )
    # the KB's own abbreviations are no unknown names, nor is the chat's "ASAP"
    assert first_id("объем взаимной торговли РБ и СРВ в 2016 г.?") == "trade-2016-total"
    assert first_id("trade figures 2022 ASAP pls") == "trade-2022-total"


@pytest.mark.parametrize(
    "question",
    [
        "is there any direct flight Minsk to Da Nang?",
        "Năm 2025 có bao nhiêu lượt khách Belarus đến Đà Nẵng?",
        "Tỉnh Nghệ An đã ký thỏa thuận hợp tác với tỉnh nào của Belarus chưa?",
    ],
)
def test_a_place_no_fact_links_gets_i_dont_have_that(question: str) -> None:
    got = answer_question(KB, question)
    assert got.kind is AnswerKind.UNKNOWN and not got.facts


def test_a_place_without_facts_in_the_askers_own_sentence_does_not_refuse() -> None:
    question = "I run a seafood export company in Can Tho. Does Vietnamese seafood go to Belarus?"
    assert answer_question(KB, question).kind is AnswerKind.FACTS


def test_co_ai_asks_whether_anyone_not_who() -> None:
    shape = INDEX.questions.analyse("có ai quan tâm tham quan chùa chiền không?")
    assert shape.kind is not QuestionKind.WHO
    assert INDEX.questions.analyse("ai đón tiếp bà ấy?").kind is QuestionKind.WHO
