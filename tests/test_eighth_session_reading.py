"""Reading what a question asks (eighth session on issue "Answer the question that was
asked"): each test pins one rule added this session, on the shipped knowledge base."""

from __future__ import annotations

from functools import partial

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import AnswerKind
from knowledge.periods import only_baseline_year, period_in
from knowledge.question import QuestionKind, asked_text
from knowledge.spelling import expanded_shorthand
from testkit.answers import first_fact_id

KB = load_knowledge_base()


first_id = partial(first_fact_id, KB)


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


def test_a_jump_or_a_surge_asks_for_a_rate() -> None:
    assert first_id("did trade surge in 2021 compared with 2020?") == "trade-2021-growth"
    assert first_id("jan-apr 2017 trade, yoy?") == "trade-2017-jan-apr-growth"


def test_vietnamese_y_of_an_idea_or_an_opinion_is_not_italy() -> None:
    got = answer_question(KB, "ý tưởng đường bay thẳng giữa hai nước có từ năm 2014 không?")
    assert got.kind is not AnswerKind.OUT_OF_SCOPE
    assert answer_question(KB, "Ý có quan hệ với Belarus không?").kind is AnswerKind.OUT_OF_SCOPE


def test_apologising_for_ones_russian_names_no_country() -> None:
    assert first_id("простите мой русский, когда То Лам был в Беларуси?").startswith(
        "visit-to-lam-2025"
    )
    assert answer_question(KB, "Россия и Беларусь торгуют?").kind is AnswerKind.OUT_OF_SCOPE


def test_thanks_for_help_with_a_chapter_is_thanks() -> None:
    got = answer_question(KB, "thanks so much, this really helped with my chapter!")
    assert got.kind is AnswerKind.GREETING and not got.facts


def test_has_it_happened_yet_is_settled_by_the_dated_event() -> None:
    assert first_id("vn va belarus da la doi tac chien luoc chua") == "partnership-2025-strategic"


def test_a_follow_up_naming_an_office_goes_that_offices_way() -> None:
    before = answer_question(KB, "кто посол Беларуси во Вьетнаме?")
    got = answer_question(KB, "а вьетнамский посол в Минске?", context=before.context)
    assert got.facts and got.facts[0].id.startswith("ambassador-2025-trung")


def test_a_follow_up_with_nothing_named_keeps_the_way_asked_before() -> None:
    before = answer_question(KB, "Vietnam's exports to Belarus in 2021?")
    got = answer_question(KB, "and in 2022?", context=before.context)
    assert got.facts and all(f.direction in (None, "vn-by") for f in got.facts[:1])


def test_vietnamese_chat_shorthand_carries_no_subject() -> None:
    # Vietnamese chat shorthand: "e" (em), "z" (vậy) carry no subject
    assert first_id("ad oi cho e hoi vn voi belarus buon ban bn tien nam 2022 z") == (
        "trade-2022-total"
    )


def test_russian_being_friends_is_the_relations() -> None:
    assert first_id("с какого года мы дружим с Вьетнамом?").startswith("relations-established")


def test_a_mention_of_the_bot_does_not_choose_the_reply_language() -> None:
    alone = answer_question(KB, "zqx Беларусь", preferred_lang="en")
    mentioned = answer_question(KB, "@DiplofactsBot zqx Беларусь", preferred_lang="en")
    assert alone.lang == mentioned.lang == "ru"


def test_words_of_how_something_is_said_carry_no_subject() -> None:
    # "describe", "continuing", "era": how the question is put, not another subject
    question = "how did the two sides describe the continuing soviet-era friendship?"
    assert first_id(question) == "relations-soviet-legacy"


def test_verbs_of_asking_do_not_let_another_subject_in() -> None:
    # the generic words are no subject, but a subject the KB lacks still gives up
    assert not answer_question(KB, "how did the football league change in the 2010s?").facts


def test_english_note_taking_shorthand_is_spelt_out() -> None:
    assert expanded_shorthand("mil coop events, sci-tech", lambda w: False) == (
        "military cooperation events, science-technology"
    )
    # after a number "mil" is millions
    assert expanded_shorthand("trade of 200 mil usd", lambda w: False) == "trade of 200 mil usd"


def test_a_breakdown_of_nine_months_is_the_nine_month_figures() -> None:
    got = answer_question(KB, "товарооборот за 9 мес. 2019 с разбивкой")
    assert got.facts and got.facts[0].id.startswith("trade-2019-jan-sep")


def test_a_figure_in_dollars_wants_the_figure_not_the_goods() -> None:
    assert first_id("vietnam exports to belarus 2021 in usd") == "trade-2021-vn-exports"


def test_vietnamese_words_that_fold_like_money_are_not_money() -> None:
    # "tiễn" (see off), "đầu tiên" (first), "đó là" (that is) fold to "tien", "do la"
    reader = index_for(KB).questions
    assert reader.analyse("cộng đồng người Việt tiễn chuyến bay đầu tiên thế nào").kind is not (
        QuestionKind.AMOUNT
    )
    assert reader.analyse("những lĩnh vực mới đó là gì").kind is not QuestionKind.AMOUNT


def test_the_only_one_who_has_it_asks_yes_or_no_not_who() -> None:
    assert first_id("Правда, что Вьетнам единственный в ЮВА, у кого есть ЗСТ с ЕАЭС?") == (
        "fta-eaeu-only-in-southeast-asia"
    )


def test_question_words_rank_no_fact() -> None:
    # "exist" is rare in the facts' texts ("existing mechanisms are to be strengthened"),
    # but it asks, it does not say which fact: the list of mechanisms answers
    assert first_id("which mechanisms exist between the two countries? list them") == (
        "mechanism-2025-list"
    )


def test_how_much_bigger_than_a_year_is_a_rate_against_that_year() -> None:
    before = answer_question(KB, "trade in january to august 2011?")
    got = answer_question(KB, "how much bigger than 2010 was that", context=before.context)
    assert got.facts and got.facts[0].id == "trade-2011-growth"


def test_a_year_after_than_is_the_baseline() -> None:
    assert only_baseline_year("how much higher than 2010?")
    assert only_baseline_year("how much up on 2010?")
    assert not only_baseline_year("trade in 2010")


def test_a_bare_follow_up_stays_with_the_person_asked_about() -> None:
    before = answer_question(KB, "сколько раз Лукашенко приезжал во Вьетнам?")
    got = answer_question(KB, "а последний раз когда?", context=before.context)
    assert got.facts and "lukashenko" in got.facts[0].entities


def test_another_time_after_a_person_is_not_narrowed_to_them() -> None:
    # "and before that?" asks what came before, whoever it was
    before = answer_question(KB, "When did Golovchenko visit Vietnam?")
    got = answer_question(KB, "and before that?", context=before.context)
    assert any("golovchenko" not in f.entities for f in got.facts)


def test_yes_or_no_and_future_tense_carry_no_subject() -> None:
    got = answer_question(KB, "does belarus sell dairy to vietnam, yes or no")
    assert got.facts and got.facts[0].id.startswith("goods-")
