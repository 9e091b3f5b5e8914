"""Reading what a question asks (fourth session on issue "Answer the question that was
asked"): a price is not a trade total; "which goods" wants the goods; misspelt question
words are put right; irregular English verbs meet their past forms; "who did he meet"
wants someone else; "when will…" is not answered by an invitation; "the latest news" is the
newest events of any topic; of two topics the one asked for comes first; a number in the
question finds the fact stating it."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.answer_kinds import figures_in, infer_answer_kinds
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for, is_known_word
from knowledge.model import AnswerKind
from knowledge.normalize import stem
from knowledge.question import QuestionKind
from knowledge.spelling import corrected_question_words
from knowledge.translit import to_cyrillic

KB = load_knowledge_base()
INDEX = index_for(KB)


def answer(question: str, **kw):
    return answer_question(KB, question, **kw)


def shape(question: str):
    return INDEX.questions.analyse(question)


@pytest.mark.parametrize(
    "question",
    [
        "How much does a ticket from Minsk to Nha Trang cost?",
        "What is the fare on the Minsk–Phu Quoc flight?",
        "vé máy bay đi Nha Trang giá bao nhiêu",
        "gia ve minsk phu quoc",
        "Сколько стоит перелёт Минск – Нячанг?",
        "skolko stoit bilet v nyachang",
    ],
)
def test_a_price_question_is_not_answered_by_other_figures(question: str) -> None:
    got = answer(question)
    assert got.kind is AnswerKind.UNKNOWN and not got.facts, (question, got.kind, got.facts)


def test_a_price_the_kb_holds_answers_a_price_question() -> None:
    assert shape("How much did the MAZ dump trucks cost?").kind is QuestionKind.PRICE
    assert answer("How much did the MAZ dump trucks cost?").facts[0].id == (
        "goods-2015-maz-dump-trucks"
    )
    # a contract's worth is a price; a trade total is not
    assert "price" in infer_answer_kinds("A contract for 100 trucks worth US$3 million.")
    assert "price" not in infer_answer_kinds("Trade came to US$244 million in 2024.")


def test_bao_nhieu_tien_is_an_amount_not_a_price() -> None:
    assert shape("kim ngạch năm 2024 bao nhiêu tiền").kind is QuestionKind.AMOUNT


@pytest.mark.parametrize(
    "question, first",
    [
        ("Which products did Vietnam sell to Belarus in January–September 2021?", "goods-2021"),
        ("what goods does belarus export to vietnam", "goods-20"),
        ("Việt Nam mua những mặt hàng gì của Belarus?", "goods-20"),
        ("Какие товары Беларусь продаёт Вьетнаму?", "goods-20"),
    ],
)
def test_which_goods_is_answered_by_the_goods(question: str, first: str) -> None:
    got = answer(question)
    assert got.facts and got.facts[0].id.startswith(first), (question, got.facts[:2])
    assert "goods" in got.facts[0].answers


@pytest.mark.parametrize(
    "typed, read",
    [
        ("wen did the plant open", "when did the plant open"),
        ("so wat is the trade", "so what is the trade"),
        ("how ofen do they fly", "how often do they fly"),
        ("how mnay students", "how many students"),
        ("bao nhiu sinh vien", "bao nhieu sinh vien"),
        # not in a question word's place, or a real word: left alone
        ("does vietnam buy wheat", "does vietnam buy wheat"),
        ("then what", "then what"),
        ("lon nhiet", "lon nhiet"),
        ("Когда открылся завод?", "Когда открылся завод?"),
    ],
)
def test_misspelt_question_words_are_put_right(typed: str, read: str) -> None:
    assert corrected_question_words(typed, lambda w: is_known_word(w, INDEX)) == read


def test_a_misspelt_when_still_asks_when() -> None:
    got = answer("wen did MAZ launch its plant in Vietnam?")
    assert got.question_kind == "when" and got.facts[0].id.startswith("investment-2019-maz")


def test_latin_russian_keeps_the_spelling_of_question_words() -> None:
    assert to_cyrillic("skolko stoit", INDEX.cyrillic_words) == "сколько стоит"


def test_irregular_past_forms_stem_as_their_verbs() -> None:
    assert stem("left") == stem("leave") and stem("met") == stem("meet")
    assert stem("flew") == stem("fly") and stem("sold") == stem("sell")
    # "taken" stays apart from "take": "how long does it take" is no "seats were taken"
    assert stem("taken") != stem("take")


def test_who_did_he_meet_prefers_a_fact_naming_someone_else() -> None:
    got = answer("Lukashenko's 2015 state visit: who did he meet?")
    first = got.facts[0]
    assert any(p != "lukashenko" for p in first.people), first.id


def test_when_will_is_not_answered_by_an_invitation() -> None:
    got = answer("When will Lukashenko come to Vietnam?")
    assert got.kind is AnswerKind.UNKNOWN and not got.facts
    assert got.related is not None  # the acceptance, labelled as related


@pytest.mark.parametrize(
    "question",
    [
        "what's new between vietnam and belarus? any news?",
        "Tin tức mới nhất về quan hệ Việt Nam – Belarus?",
        "Какие последние новости в отношениях Беларуси и Вьетнама?",
    ],
)
def test_the_latest_news_is_the_newest_events(question: str) -> None:
    got = answer(question)
    assert got.kind is AnswerKind.FACTS, (question, got.kind)
    newest = max(f.when.end for f in KB.facts)
    assert (newest - got.facts[0].when.end).days <= 365
    # three, and where a source disagrees, its figure beside the other (the first flight's seats)
    assert len(got.facts) <= 4


def test_the_current_level_of_relations_is_no_news_question() -> None:
    assert not shape("What is the current level of relations?").asks_news


def test_of_two_topics_the_one_asked_for_comes_first() -> None:
    got = answer("Which agreements were signed during To Lam's state visit in May 2025?")
    assert "agreements" in got.facts[0].topics or "partnership" in got.facts[0].topics


def test_a_number_in_the_question_finds_the_fact_stating_it() -> None:
    assert figures_in("over US$250 million by 2023, 9,300 km, 168,8") == {"250", "9300", "168.8"}
    got = answer("Is it true Lukashenko spoke of trade above 250 million dollars? When?")
    assert "250" in got.facts[0].figures


@pytest.mark.parametrize("ending", ["ko", "k", "hok"])
def test_vietnamese_yes_no_questions_may_end_in_short_forms(ending: str) -> None:
    assert shape(f"hai nuoc co hop tac quoc phong {ending}").yes_no


def test_how_many_times_counts_occasions_and_how_many_times_bigger_is_a_ratio() -> None:
    assert shape("How many times did Lukashenko go to Vietnam?").kind is QuestionKind.COUNT
    assert shape("How many times bigger was trade in 2021?").kind is QuestionKind.RATE
    got = answer("Between 1997 and 2015, how many times did Lukashenko travel to Vietnam?")
    assert got.facts and "occasions" in got.facts[0].answers


def test_where_did_it_rank_asks_for_a_number() -> None:
    assert shape("Where did Belarus rank among investors in 2021?").kind is QuestionKind.COUNT


@pytest.mark.parametrize(
    "question, measure",
    [
        ("How long is the Minsk–Nha Trang flight?", "duration"),
        ("How long does the Minsk–Nha Trang flight take?", "duration"),
        ("скока лететь до нячанга", "duration"),
        ("nhà máy MAZ cách Hà Nội bao xa?", "distance"),
        ("What is the capacity of the MAZ plant?", "capacity"),
    ],
)
def test_a_measure_asked_for_is_answered_by_a_fact_giving_it(question: str, measure: str) -> None:
    assert measure in shape(question).measures
    got = answer(question)
    assert got.facts and measure in got.facts[0].answers, (question, got.facts[:1])


def test_a_distance_after_the_plant_is_the_plant_s_distance() -> None:
    first = answer("Khi nào MAZ khánh thành nhà máy ở Việt Nam?")
    got = answer("cach ha noi bao xa", context=first.context)
    assert got.facts and "distance" in got.facts[0].answers


def test_growth_between_two_years_leads_with_the_stated_growth() -> None:
    got = answer("How much did bilateral trade grow in 2021 compared with 2020?")
    assert got.facts[0].id == "trade-2021-growth"
    assert {f.when.start.year for f in got.facts[1:]} >= {2020, 2021}


@pytest.mark.parametrize(
    "question, direction",
    [
        ("белаз во вьетнам поставляли?", "by-vn"),
        ("Кубраков во Вьетнам ездил?", "by-vn"),
        ("Vietnam exports to Belarus", "vn-by"),
    ],
)
def test_a_side_after_to_is_where_things_go(question: str, direction: str) -> None:
    assert shape(question).direction in (direction, None)
    assert shape(question).direction != {"by-vn": "vn-by", "vn-by": "by-vn"}[direction]


def test_who_is_an_organisation_is_answered_by_its_fact() -> None:
    assert shape("тмт мотор это кто").asks_identity
    got = answer("тмт мотор это кто")
    assert got.facts and "tmt-motor" in got.facts[0].entities


def test_a_price_is_only_answered_about_the_same_thing() -> None:
    got = answer("Giá phòng khách sạn ở Nha Trang mùa cao điểm khoảng bao nhiêu?")
    assert not got.facts
    assert shape("Năm 2006 kali xuất khẩu trị giá bao nhiêu?").kind is QuestionKind.AMOUNT


@pytest.mark.parametrize(
    "question",
    ["сколько вьетнамцев живёт в беларуси щас?", "lukashenka ever been to vietnam or nah"],
)
def test_chat_words_do_not_make_the_bot_give_up(question: str) -> None:
    assert answer(question).kind is AnswerKind.FACTS


def test_on_alone_is_no_greeting_and_other_subject_phrases_count() -> None:
    assert answer("Lukashenko sinh năm nào?").kind is AnswerKind.UNKNOWN
    assert answer("cảm ơn").kind is AnswerKind.GREETING
    first = answer("how often is the minsk to phu quoc flight")
    assert answer("how many were on the first one", context=first.context).facts


def test_vietnamese_syllable_pairs_rank_like_words() -> None:
    from knowledge.matcher import syllable_pairs

    scope = INDEX.scope_stems
    assert syllable_pairs("ung ho viet nam ung cu".split(), scope) == ["ung_ho", "ung_cu"]
    assert "ung_cu" in INDEX.facts_by_stem  # "ứng cử" (candidacy) is one word of a fact
    from knowledge.matcher import match_question

    match = match_question("Belarus có ủng hộ Việt Nam ứng cử không?", KB)
    assert "ung_cu" in match.ranking_stems and "viet_nam" not in match.ranking_stems


@pytest.mark.parametrize(
    "question, first",
    [
        ("Who was Vietnam's ambassador in Minsk before Nguyen Van Trung?", "ambassador-2022-ngu"),
        ("а кто был послом Беларуси до Боровикова?", "ambassador-2020-goshin"),
    ],
)
def test_who_came_before_a_person_is_their_predecessor(question: str, first: str) -> None:
    assert answer(question).facts[0].id == first


@pytest.mark.parametrize(
    "question, first",
    [
        ("Which Vietnamese leaders have been to Belarus?", "visits-vietnamese-leaders-since-1998"),
        ("list every Lukashenko trip to Vietnam", "visit-lukashenko-1997-2008-2015"),
    ],
)
def test_a_list_of_visits_starts_with_the_fact_covering_them(question: str, first: str) -> None:
    assert shape(question).wants_list
    assert answer(question).facts[0].id == first


@pytest.mark.parametrize(
    "question",
    ["How many Vietnamese workers are employed in Belarus now?", "how many vietnamese workers rn"],
)
def test_a_count_of_something_else_does_not_answer_how_many(question: str) -> None:
    got = answer(question)
    assert not got.facts and got.related is not None  # people living there, labelled


def test_the_counted_word_may_be_the_topic_s_own() -> None:
    # the fact says "visitors", the tourism topic is also called "tourists"
    got = answer("How many Belarusian tourists came to Vietnam in 2019?")
    assert got.facts and got.facts[0].id == "tourism-2019-arrivals"


@pytest.mark.parametrize(
    "question, country",
    [
        ("What is the visa policy for Russian tourists in Vietnam?", "Russia"),
        ("Сколько китайских туристов приезжает в Минск?", "China"),
    ],
)
def test_a_third_country_s_people_make_the_question_out_of_scope(question, country) -> None:
    got = answer(question)
    assert got.kind is AnswerKind.OUT_OF_SCOPE and country in got.foreign_countries
    assert not got.facts


def test_history_and_company_registration_are_other_subjects() -> None:
    questions = ("Trận Điện Biên Phủ diễn ra năm nào?", "how do I register a company in Minsk?")
    for question in questions:
        assert not answer(question).facts, question


@pytest.mark.parametrize(
    "message, kind",
    [
        ("Xin chân thành cảm ơn bot, thông tin rất hữu ích cho bài giảng của tôi.", "greeting"),
        ("Kính chào bot, chúc bot một ngày tốt lành.", "greeting"),
        ("thanks, tell me about visits", "facts"),
    ],
)
def test_thanks_without_a_question_or_subject_is_a_greeting(message: str, kind: str) -> None:
    assert answer(message).kind.value == kind
