"""Reading what a question asks (sixth session on issue "Answer the question that was
asked"): Vietnamese chat shorthand is spelt out; "first visited" wants the earliest; "who is
the ambassador?" asks for holders, not for whoever a fact names besides; of two topics, the
one after "during" is the occasion; keyword questions ("… visits count") are read."""

from __future__ import annotations

from functools import partial

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for, kb_knows_word, match_question
from knowledge.model import AnswerKind
from knowledge.normalize import fold
from knowledge.periods import period_in
from knowledge.question import QuestionKind, ordinals_in
from knowledge.spelling import expanded_shorthand
from testkit.answers import first_fact_id

KB = load_knowledge_base()
INDEX = index_for(KB)


first_id = partial(first_fact_id, KB)


def spelt_out(text: str) -> str:
    return expanded_shorthand(text, lambda word: kb_knows_word(word, INDEX))


def test_vietnamese_shorthand_is_spelt_out() -> None:
    assert spelt_out("nam 2019 co bn khach") == "nam 2019 co bao nhieu khach"
    assert spelt_out("vn xuat qua belarus nhung mon j") == "vn xuat qua belarus nhung mon gi"
    assert spelt_out("di belarus co can visa ko mn 🙏") == "di belarus co can visa khong  🙏"
    # "v" only where a sentence ends; "bn" after a number is billions
    assert spelt_out("dc o bn ngay v") == "duoc o bao nhieu ngay vay"
    assert spelt_out("v nam") == "v nam"
    assert spelt_out("trade hit 2 bn") == "trade hit 2 bn"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("di belarus co can visa ko mn 🙏", {"visas-2025-30-days"}),
        # the goods Vietnam sells Belarus, as either side's latest list gives them
        ("vn xuat qua belarus nhung mon j", {"goods-2022-by-imports", "goods-2021-vn-exports"}),
        ("nam 2011 viet nam nhap gi tu belarus", {"goods-2011-imports"}),
    ],
)
def test_chat_vietnamese_is_answered(question: str, expected: set[str]) -> None:
    assert first_id(question) in expected


def test_how_many_days_in_shorthand_is_no_greeting() -> None:
    visa = answer_question(KB, "di belarus co can visa ko mn")
    follow = answer_question(KB, "dc o bn ngay v", context=visa.context)
    assert follow.kind is AnswerKind.FACTS
    assert follow.facts[0].id == "visas-2025-30-days"
    assert answer_question(KB, "cam on rat nhieu").kind is AnswerKind.GREETING


def test_first_visit_wants_the_earliest() -> None:
    assert INDEX.questions.analyse("when did Lukashenko first visit Vietnam?").wants_first
    assert not INDEX.questions.analyse("trade in the first four months of 2017").wants_first
    assert (
        first_id("Когда Александр Григорьевич Лукашенко впервые посетил Вьетнам?")
        == "visit-lukashenko-1997-2008-2015"
    )


def test_who_is_the_ambassador_shows_a_holder_of_each_side() -> None:
    got = answer_question(KB, "who is the ambassador?")
    ids = [f.id for f in got.facts]
    assert "ambassador-2025-trung-credentials" in ids
    assert "ambassador-baravikou" in ids
    assert INDEX.questions.analyse("who is the ambassador?").asks_holder
    assert not INDEX.questions.analyse("who did Lukashenko meet?").asks_holder


@pytest.mark.parametrize(
    "question",
    [
        "Which sectors were covered by the agreements signed during the Belarusian "
        "president's 2008 visit?",
        "Какие соглашения были подписаны во время визита Президента Беларуси во Вьетнам в "
        "2008 году?",
    ],
)
def test_the_topic_after_during_is_the_occasion(question: str) -> None:
    assert first_id(question) == "agreements-2008-president-visit"


def test_hoping_to_achieve_asks_why() -> None:
    shape = INDEX.questions.analyse("what was Belarus hoping to achieve with it?")
    assert shape.kind is QuestionKind.WHY


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("lukashenko vietnam visits years", QuestionKind.WHEN),
        ("to lam belarus visits count", QuestionKind.COUNT),
        ("to lam qua belarus hoi nao vay", QuestionKind.WHEN),
    ],
)
def test_keyword_questions_are_read(question: str, kind: QuestionKind) -> None:
    assert INDEX.questions.analyse(question).kind is kind


def test_the_whole_year_asks_no_date() -> None:
    shape = INDEX.questions.analyse("What was Vietnam–Belarus trade in 2025 for the whole year?")
    assert shape.kind is not QuestionKind.WHEN


def test_visits_count_names_no_visiting_side() -> None:
    assert INDEX.questions.analyse("to lam belarus visits count").direction is None
    assert first_id("to lam belarus visits count") == "visit-to-lam-2025-fourth"


def follow(question: str, then: str):
    before = answer_question(KB, question)
    return answer_question(KB, then, context=before.context)


@pytest.mark.parametrize(
    ("then", "year"),
    [("and the year before?", 2023), ("а годом раньше?", 2023), ("and the following year?", 2025)],
)
def test_the_year_before_or_after_the_answered_one(then: str, year: int) -> None:
    got = follow("how much did they trade in 2024?", then)
    assert got.kind is AnswerKind.FACTS
    assert got.facts[0].when.start.year == year
    shape = INDEX.questions.analyse(then)
    assert shape.relative_time is None  # a year, not "before that"


def test_now_after_a_year_asks_for_the_newest() -> None:
    got = follow("Сколько вьетнамцев проживало в Беларуси в 2011 году?", "А сколько их сейчас?")
    assert got.facts[0].id == "community-2025-600"


@pytest.mark.parametrize(
    "question",
    [
        "Кто был самым первым послом Беларуси во Вьетнаме?",
        "first belarus ambassador to vietnam name",
        "Who was the first resident Vietnamese ambassador in Minsk?",
    ],
)
def test_the_first_holder_of_an_office_needs_a_fact_saying_first(question: str) -> None:
    # the KB names ambassadors from 2019 on: the earliest it names is not the first
    got = answer_question(KB, question)
    assert got.kind is AnswerKind.UNKNOWN and not got.facts


def test_the_first_to_visit_is_the_earliest_visit() -> None:
    question = "Кто из вьетнамских президентов первым приехал в независимую Беларусь?"
    assert not INDEX.questions.analyse(question).first_holder
    assert first_id(question) == "visit-tran-duc-luong-1998"


def test_a_country_in_the_scene_is_who_asks_when_the_question_names_the_pair() -> None:
    question = (
        "Dear Sir or Madam, I am writing on behalf of a trading company in Tokyo. Could you "
        "tell me the total value of trade between Vietnam and Belarus in 2022?"
    )
    assert first_id(question) == "trade-2022-total"
    # …but not when the question leaves the pair open: it may be about the asker's country
    got = answer_question(KB, "I'm from Japan. Do I need a visa for Belarus?")
    assert got.kind is AnswerKind.OUT_OF_SCOPE and not got.facts


@pytest.mark.parametrize(
    ("question", "entity"),
    [
        ("Фам Хай когда был послом в Минске?", "pham-hai"),  # "хай" is also a hello
        ("Генсек Нгуен Фу Тронг когда приезжал в Беларусь?", "nguyen-phu-trong"),
        ("какие премьеры Вьетнама приезжали в Беларусь?", "pm-vietnam"),
    ],
)
def test_names_are_found(question: str, entity: str) -> None:
    assert entity in match_question(question, KB).entities


def test_a_person_named_is_the_main_subject_of_their_own_visit() -> None:
    question = "Генсек Нгуен Фу Тронг когда приезжал в Беларусь?"
    assert first_id(question) == "visit-trong-2014"


@pytest.mark.parametrize(
    ("text", "ordinals"),
    [
        ("Khóa họp thứ tám của Ủy ban liên Chính phủ", {8}),
        ("kỳ họp thứ mười sáu", {16}),
        ("на восьмом заседании комиссии", {8}),
        ("пятнадцатое заседание", {15}),
        ("chuyến bay thứ bảy", set()),  # Saturday's flight, not the seventh
        ("десятилетие", set()),  # a decade
    ],
)
def test_ordinal_words_in_vietnamese_and_russian(text: str, ordinals: set[int]) -> None:
    assert ordinals_in(fold(text)) == ordinals


def test_nine_months_in_vietnamese_words() -> None:
    period = period_in("Chín tháng đầu năm 2021 Việt Nam xuất khẩu sang Belarus")
    assert (period.start.month, period.end.month) == (1, 9)


def test_a_year_compared_against_keeps_the_period_followed() -> None:
    got = follow("jan-aug 2011 trade vn belarus", "growth vs 2010?")
    assert got.facts[0].id == "trade-2011-growth"


def test_a_vietnamese_question_on_farming_gets_no_facts() -> None:
    # each syllable is in some fact ("suất" of "suất học bổng"), no word of two is
    got = answer_question(KB, "Trồng cỏ voi cho bò thế nào thì năng suất cao?")
    assert not got.facts


def test_an_aussie_asks_about_australia() -> None:
    got = answer_question(KB, "do i need a visa for vietnam as an aussie living in belarus")
    assert got.kind is AnswerKind.OUT_OF_SCOPE and not got.facts


def test_a_country_inside_a_phrase_of_the_facts_is_no_other_country() -> None:
    question = (
        "In 2012, what did Vietnam's deputy prime minister request regarding a free trade "
        "arrangement with the Russia–Belarus–Kazakhstan bloc?"
    )
    assert first_id(question) == "fta-2012-tariff-alliance"
    for other in ("Russia Belarus relations?", "what is russia's trade with vietnam"):
        assert answer_question(KB, other).kind is AnswerKind.OUT_OF_SCOPE


@pytest.mark.parametrize(
    "question",
    [
        "Lễ trao thiết bị y tế chống dịch năm 2021 có những ai dự?",
        "Кто присутствовал на передаче медицинского оборудования в декабре 2021 года?",
    ],
)
def test_who_is_answered_by_the_fact_naming_people(question: str) -> None:
    # the handover's own fact shares more words; the one naming who attended answers
    assert first_id(question) == "health-2021-handover-attendees"


def test_a_russian_country_name_before_the_verb_is_not_the_visitor() -> None:
    # free word order: "Вьетнам посетил Мясникович" is his visit to Vietnam
    shape = INDEX.questions.analyse("в каком году вьетнам посетил премьер министр мясникович")
    assert shape.direction is None
    got = answer_question(KB, "В каком году Вьетнам посетил премьер-министр Мясникович?")
    assert "visit-myasnikovich-2011" in [f.id for f in got.facts]
    # …an adjective or the people before it are: Belarusian leaders came to Vietnam
    leaders = INDEX.questions.analyse("какие белорусские руководители посещали вьетнам")
    assert leaders.direction == "by-vn"
