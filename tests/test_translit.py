"""Russian typed in Latin letters is read back in Cyrillic, only when the question reads as
Russian and would otherwise go unanswered."""

from __future__ import annotations

import pytest

from knowledge.answer import answer_question
from knowledge.loader import load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import AnswerKind
from knowledge.translit import looks_transliterated, to_cyrillic

KB = load_knowledge_base()


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("kto posol vietnama v minske seichas", "кто посол вьетнама в минске сейчас"),
        ("skolko vietnamcev v belarusi", "сколько вьетнамцев в беларуси"),
        ("kogda otkryli posolstvo", "когда открыли посольство"),
        ("kakoy tovarooborot", "какой товарооборот"),
        ("shchetka zhurnal khleb", "щетка журнал хлеб"),
    ],
)
def test_latin_letters_are_read_in_cyrillic(latin: str, cyrillic: str) -> None:
    # the soft signs Latin spellings drop come back from the words the KB knows
    assert to_cyrillic(latin, index_for(KB).cyrillic_words) == cyrillic


def test_without_known_words_the_letters_are_read_as_they_are() -> None:
    assert to_cyrillic("skolko") == "сколко"
    assert to_cyrillic("skolko", frozenset({"сколько"})) == "сколько"


@pytest.mark.parametrize(
    ("question", "russian"),
    [
        ("kto posol vietnama v minske seichas", True),
        ("tovarooborot belarus vietnam 2020", True),
        ("what was trade in 2022", False),
        ("thuong mai viet nam belarus 2022", False),
        ("товарооборот 2020", False),  # already Cyrillic
    ],
)
def test_only_a_question_with_a_russian_word_is_read_so(question: str, russian: bool) -> None:
    assert looks_transliterated(question) is russian


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("tovarooborot belarus vietnam 2020", "trade-2020-total"),
        ("Lukashenko vizit vo Vietnam 2008 chto podpisali", "agreements-2008-president-visit"),
    ],
)
def test_a_transliterated_question_is_answered_in_russian(question: str, fact: str) -> None:
    answer = answer_question(KB, question)
    assert answer.kind is AnswerKind.FACTS
    assert fact in [f.id for f in answer.facts]
    assert answer.lang == "ru"
    assert answer.query == question  # the contract's query is what was typed


def test_an_english_question_is_never_transliterated() -> None:
    # unanswerable as typed, and no Russian word in it: it stays unanswered
    answer = answer_question(KB, "what about the weather")
    assert answer.kind is not AnswerKind.FACTS
    assert answer.lang == "en"
