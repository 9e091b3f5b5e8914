"""Reading what a question asks (seventh session on issue "Answer the question that was
asked"): each test pins one rule added this session, on the shipped knowledge base."""

from __future__ import annotations

from functools import partial

import pytest

from knowledge.answer import answer_question
from knowledge.answer_kinds import states_aim, states_as_of
from knowledge.loader import load_knowledge_base
from knowledge.model import AnswerKind
from testkit.answers import first_fact_id

KB = load_knowledge_base()


first_id = partial(first_fact_id, KB)


def test_as_of_statements_are_told_apart() -> None:
    assert states_as_of("As of December 2019, Pham Hai was ambassador.")
    assert states_as_of("Pham Hai was Vietnam's ambassador to Belarus as of December 2019.")
    assert not states_as_of("Pham Hai presented his credentials in December 2019.")


@pytest.mark.parametrize(
    "question",
    ["Фам Хай когда был послом в Минске?", "when was Pham Hai ambassador?"],
)
def test_when_was_a_person_in_office_is_answered_by_how_things_stood(question: str) -> None:
    # no event dates his term: the fact telling he held the office as of a date is the answer
    assert first_id(question) == "ambassador-2019-pham-hai"


def test_when_of_an_event_still_wants_the_event() -> None:
    # a visit with no date in the KB is not answered by a state "as of" some date
    got = answer_question(KB, "when did the Vietnamese foreign minister last visit Minsk?")
    assert not got.facts or all("as of" not in f.text["en"].lower() for f in got.facts[:1])


def test_people_counted_with_no_word_of_who_they_are_take_any_count_of_people() -> None:
    # "bao nhiêu người" counts visitors here: "người" names no kind of people
    assert first_id("nam 2019 khach belarus sang vn bn nguoi") == "tourism-2019-arrivals"


@pytest.mark.parametrize(
    "question",
    [
        "Кто принимал Нгуен Тхи Ким Нган в Минске в декабре 2019 года?",
        "Chủ tịch Quốc hội Nguyễn Thị Kim Ngân thăm Belarus năm 2019 được những ai đón tiếp?",
    ],
)
def test_who_asked_of_a_person_named_is_answered_by_someone_else(question: str) -> None:
    # her own visit names only her: the hosts are who is asked for
    assert first_id(question) == "parliament-2019-hosts"


def test_ai_in_an_english_question_is_no_vietnamese_who() -> None:
    got = answer_question(KB, "What areas did To Lam single out with Volfovich, incl AI?")
    assert got.question_kind != "who"


@pytest.mark.parametrize(
    "question",
    [
        "lukashenko met the vietnamese pm at some brics summit in russia? when was that",
        "Лукашенко встречался с Фам Минь Тьинем в России?",
    ],
)
def test_a_country_where_people_of_both_sides_met_is_a_venue(question: str) -> None:
    assert first_id(question) == "visit-kazan-2024"


def test_a_country_after_in_without_people_of_both_sides_still_refuses() -> None:
    got = answer_question(KB, "Do Vietnamese students in Belarus also study in Russia?")
    assert got.kind is AnswerKind.OUT_OF_SCOPE and not got.facts


def test_which_time_asked_alone_continues_the_previous_answer() -> None:
    visit = answer_question(KB, "Tô Lâm thăm Belarus khi nào?")
    follow = answer_question(KB, "lan thu may roi", context=visit.context)
    assert follow.kind is AnswerKind.FACTS and follow.follow_up
    assert follow.facts[0].id == "visit-to-lam-2025-fourth"


def test_a_partner_asked_for_is_an_organisation_besides_the_one_named() -> None:
    question = "Кто вьетнамский партнёр МАЗа по совместному предприятию?"
    assert first_id(question) == "investment-2019-maz-asia-jv"
    shape = answer_question(KB, question)
    assert "auviet" in shape.facts[0].organisations


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("muc dich chuyen tham cua thu tuong golovchenko", "visit-golovchenko-2023-aims"),
        ("Для чего был визит премьера Беларуси во Вьетнам в ноябре 2011?", "visit-pm-2011-aims"),
    ],
)
def test_a_purpose_is_what_a_visit_was_for_not_why_it_mattered(question, expected) -> None:
    assert first_id(question) == expected


def test_aims_are_told_from_causes() -> None:
    assert states_aim("The visit was meant to reinforce the friendship.")
    assert not states_aim("The visit was important, because no leader had come since COVID.")


def test_the_1st_is_the_first_not_a_numbered_session() -> None:
    question = "is minsk nha trang the 1st regular route between vn n belarus fr?"
    assert first_id(question) == "tourism-2026-nha-trang-regular"


def test_the_two_countries_name_the_pair_so_the_scene_is_not_asked_about() -> None:
    question = (
        "Bonjour! I'm Claire, I work for a French NGO in Hanoi and I'm putting together a "
        "short briefing on Vietnam and Belarus. What was the total trade between the two "
        "countries in 2022?"
    )
    assert first_id(question) == "trade-2022-total"


def test_chat_vietnamese_without_marks_is_told_and_its_greetings_are_greetings() -> None:
    from knowledge.language import detect_language

    assert detect_language("belarus co mua chip ban dan cua vn ko ae") == "vi"
    for thanks in ("ok tks ad nhiu", "merci beaucoup, that's exactly what I needed. bye!"):
        assert answer_question(KB, thanks).kind is AnswerKind.GREETING, thanks
    # an English word of the KB among Vietnamese chat about something else answers nothing
    assert not answer_question(KB, "btc len 100k chua ae, hay lai dump roi").facts


def test_phrases_that_name_no_subject_leave_the_question_answerable() -> None:
    assert first_id("Mình nhập gì từ Belarus là chủ yếu?").startswith("goods-")


@pytest.mark.parametrize("question", ["сколько лет Лукашенко?", "how old is To Lam"])
def test_a_persons_age_is_another_subject(question: str) -> None:
    got = answer_question(KB, question)
    assert got.kind is AnswerKind.UNKNOWN and not got.facts


@pytest.mark.parametrize(
    "question",
    ["сколько лет отношениям Беларуси и Вьетнама?", "quan he viet nam belarus bao nhieu nam roi"],
)
def test_how_many_years_of_relations_asks_since_when(question: str) -> None:
    assert first_id(question).startswith("relations-established-")


def test_the_plural_of_a_short_title_is_the_title() -> None:
    from knowledge.normalize import stem

    assert stem("pms") == stem("pm")
    assert first_id("Belarusian deputy PMs who visited Vietnam 2016-2019?").startswith("visit-")


def test_how_many_times_with_no_count_is_answered_by_each_dated_visit() -> None:
    got = answer_question(KB, "Семашко сколько раз ездил во Вьетнам?")
    assert {f.id for f in got.facts} == {"visit-semashko-2016", "visit-semashko-2018"}
    # "скока раз" is "сколько раз", typed in chat
    assert first_id("Лукашенко скока раз был во вьетнаме?") == "visit-lukashenko-1997-2008-2015"


def test_first_go_wants_the_earliest_visit_and_go_to_vietnam_is_a_visit() -> None:
    assert first_id("When did Lukashenka first go to Vietnam?") == "visit-lukashenko-1997-2008-2015"
    assert first_id("When did Nguyen Phu Trong go to Belarus?").startswith("visit-trong-2014")


def test_a_potential_is_no_trade_figure() -> None:
    # "the groundwork for annual trade of US$500–700 million" is a plan, not a year's trade
    assert first_id("What's the latest annual trade figure you have?") == "trade-2024-total"
    assert "plan" in KB.facts_by_id["trade-2015-semashko-potential"].answers


def test_vietnamese_to_and_from_before_a_side_name_no_subject() -> None:
    # "qua vn" is "to Vietnam": like "to" in English, it leaves the question answerable
    got = answer_question(KB, "volfovich qua vn tu ngay nao toi ngay nao")
    assert got.kind is AnswerKind.FACTS
    assert got.facts[0].id in {"visit-volfovich-2025-dates", "visit-volfovich-2025-departure"}


def test_what_was_said_at_kazan_is_linked_to_kazan() -> None:
    question = "Какие совместные предприятия предлагал Лукашенко в Казани?"
    assert first_id(question) == "investment-2024-joint-ventures"


def test_the_topic_asked_for_counts_for_a_fact_of_two_topics() -> None:
    # the military-science agreement is a defence fact and an agreement: "which documents"
    question = "In the defence sphere, which documents came out of the 2018 ministerial talks?"
    documents = {"defence-2018-military-science-agreement", "defence-2018-exchange-plan-2019"}
    assert first_id(question) in documents


def test_what_the_joint_statement_agreed_on_is_an_agreement_fact() -> None:
    question = "what areas of cooperation were agreed in the 2014 joint statement?"
    assert first_id(question) == "cooperation-2014-fields"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Когда подписали первоначальный протокол о производстве автомобилей?",
         "investment-2016-original-protocol"),
        ("Зачем в 2020 году изменили протокол по производству автомобилей?",
         "investment-2020-protocol-bottlenecks"),
    ],
)  # fmt: skip
def test_the_motor_vehicle_protocols_are_agreements(question: str, expected: str) -> None:
    assert first_id(question) == expected


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("калий беларусь вьетнаму продаёт?", "by-vn"),  # to Vietnam: the dative receives
        ("что беларусь закупала во вьетнаме в 2022", "vn-by"),  # bought in Vietnam
        ("что Вьетнам продаёт Беларуси", "vn-by"),
        ("Belarusian leaders to Vietnam", "by-vn"),
    ],
)
def test_russian_cases_and_buying_verbs_tell_the_direction(question: str, direction) -> None:
    from knowledge.matcher import index_for
    from knowledge.normalize import fold

    assert index_for(KB).questions.direction(fold(question)) == direction


@pytest.mark.parametrize(
    "question",
    [
        "Сколько людей живёт в Ханое?",
        "how many people live in Minsk",
        "bao nhieu nguoi song o ha noi",
    ],
)
def test_how_many_people_live_in_a_city_is_its_population(question: str) -> None:
    got = answer_question(KB, question)
    assert got.kind is AnswerKind.UNKNOWN and not got.facts


@pytest.mark.parametrize(
    "question", ["how many Vietnamese people live in Minsk", "bao nhieu nguoi viet song o minsk"]
)
def test_how_many_of_a_sides_people_live_there_is_the_community(question: str) -> None:
    assert first_id(question).startswith("community-")


def test_a_year_without_a_trade_figure_gets_no_other_figure_of_that_year() -> None:
    got = answer_question(KB, "What was bilateral trade in 2015?")
    assert got.kind is AnswerKind.UNKNOWN and not got.facts
    # …but the contracts of that year, when asked for, are answered
    forum = "How much were the contracts signed at the Hanoi business forum in 2015 worth?"
    assert first_id(forum) == "agreements-2015-business-forum"


@pytest.mark.parametrize(
    "question",
    [
        "Did To Lam meet Belarusian Prime Minister Turchin in Minsk?",
        "какие города-побратимы у Витебска во Вьетнаме?",
    ],
)
def test_a_name_the_kb_has_never_heard_of_gets_no_facts(question: str) -> None:
    got = answer_question(KB, question)
    assert got.kind is AnswerKind.UNKNOWN and not got.facts


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Когда Александр Григорьевич Лукашенко впервые посетил Вьетнам?",
         "visit-lukashenko-1997-2008-2015"),  # a patronymic is part of the name
        ("Какая доля у МАЗ в СП «МАЗ Азия»?", "investment-2019-maz-asia-shares"),  # "СП"
    ],
)  # fmt: skip
def test_patronymics_and_abbreviations_are_no_unknown_names(question: str, expected) -> None:
    assert first_id(question) == expected


@pytest.mark.parametrize(
    "question",
    ["Which airline flies between Minsk and Vietnam?", "hang bay nao bay minsk nha trang z"],
)
def test_which_airline_asks_for_the_carrier(question: str) -> None:
    got = answer_question(KB, question)
    assert got.facts and "belavia" in got.facts[0].organisations


def test_a_tie_goes_to_the_fact_linking_more_of_what_was_named() -> None:
    question = "bo truong quoc phong belarus sang vn nam 2024 ten la gi"
    assert first_id(question) in {"visit-khrenin-2024", "defence-2024-talks"}


def test_the_topic_after_about_is_the_one_asked_for() -> None:
    question = (
        "Hi! I handle incoming students at our uni in Minsk - what did the 2014 joint "
        "statement say about visas?"
    )
    assert first_id(question) == "visas-2014-business-trips-study"


def test_before_him_after_who_is_the_ambassador_is_his_predecessor() -> None:
    # the first answer may be a later fact of the same man (his attending a launch): "before
    # him" is still whoever held the office before him, not him at an earlier date
    now = answer_question(KB, "посол вьетнама в минске сейчас кто")
    before = answer_question(KB, "а до него?", context=now.context)
    assert before.facts[0].id == "ambassador-2022-ngu"


def test_the_topics_a_counted_word_names_are_looked_up_in_the_index() -> None:
    from knowledge.matcher import index_for
    from knowledge.normalize import stem

    topics = index_for(KB).topics_by_word_stem
    assert "tourism" in topics[stem("tourists")]
    assert "students" in topics[stem("students")]


def test_a_broad_topic_over_many_years_is_answered_by_its_own_facts() -> None:
    # "since 1992" spans every fact of the KB: the relations topic answers, not all of them
    got = answer_question(KB, "diplomatic relations since 1992")
    assert got.facts and all("relations" in f.topics for f in got.facts)


def test_country_names_inside_a_facts_phrase_are_indexed_as_trigrams() -> None:
    from knowledge.matcher import index_for
    from knowledge.normalize import stem

    trigrams = index_for(KB).country_trigrams
    assert (stem("russia"), stem("belarus"), stem("kazakhstan")) in trigrams
    # only runs holding a country's name are kept: the index stays small on a large KB
    assert all(len(t) == 3 for t in trigrams) and len(trigrams) < 5000


def test_answers_do_not_change_with_the_hash_seed() -> None:
    # a float sum in a set's order, or equal topic hits in a set's order, once made this reply
    # two facts long in some runs and three in others
    import subprocess
    import sys

    code = (
        "from knowledge.loader import load_knowledge_base; "
        "from knowledge.answer import answer_question; "
        "from knowledge.evaluation import FIRST_KB_DIR; "
        "kb = load_knowledge_base(FIRST_KB_DIR); "
        "q = 'What did the leaders say about the relationship when they met?'; "
        "print([f.id for f in answer_question(kb, q).facts])"
    )
    replies = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(6)
    }
    assert len(replies) == 1, replies
