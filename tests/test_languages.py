"""Answers in the asker's language: Vietnamese and Russian speakers get every topic wholly in
their language, with dates written their way and the same sources."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from knowledge.answer import answer_question
from knowledge.dates import format_period
from knowledge.language import choose_language, detect_language
from knowledge.loader import load_knowledge_base
from knowledge.messages import MESSAGES, missing_translations
from knowledge.model import AnswerKind, Period
from knowledge.render import render_text
from testkit.bot_runner import bot_py

ROOT = Path(__file__).resolve().parent.parent
KB = load_knowledge_base()
SOURCES_HEADING = {"en": "Sources:", "vi": "Nguồn:", "ru": "Источники:"}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("kim ngạch thương mại", "vi"),
        ("kim ngach thuong mai nam 2022", "vi"),
        ("sinh vien viet nam", "vi"),
        ("товарооборот в 2022 году", "ru"),
        ("trade in 2011", "en"),
        ("ambassador", "en"),
        ("2011", None),
        ("", None),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_question_language_beats_user_setting_which_beats_english():
    assert choose_language("посол", "vi") == "ru"
    assert choose_language("", "ru") == "ru"
    assert choose_language("2011", "vi") == "vi"
    assert choose_language("", "de") == "en"


@pytest.mark.parametrize("lang", ["vi", "ru"])
@pytest.mark.parametrize("topic_id", sorted(KB.topics))
def test_every_topic_answers_wholly_in_the_askers_language(topic_id, lang):
    topic = KB.topics[topic_id]
    question = topic.aliases[lang][0]
    answer = answer_question(KB, question)
    assert answer.kind is AnswerKind.FACTS, (question, answer)
    assert topic_id in answer.intents and answer.lang == lang
    reply = render_text(answer, KB)
    assert topic.label[lang] in reply and SOURCES_HEADING[lang] in reply
    assert answer.facts, (question, answer)  # the checks below run for every topic
    for fact in answer.facts:
        assert fact.text[lang] in reply
        assert fact.text["en"] not in reply
        assert format_period(fact.when, lang) in reply
    assert "Sources:" not in reply


@pytest.mark.parametrize(
    ("when", "lang", "written"),
    [
        ("1992-01-24", "en", "24 January 1992"),
        ("1992-01-24", "vi", "24 tháng 1 năm 1992"),
        ("1992-01-24", "ru", "24 января 1992 г."),
        ("2023-04", "ru", "апрель 2023 г."),
        ("2023-04", "vi", "tháng 4 năm 2023"),
        ("2022", "vi", "2022"),
    ],
)
def test_dates_written_per_language(when, lang, written):
    from knowledge.periods import parse_period

    assert format_period(parse_period(when), lang) == written


def test_ranges_use_cldr_intervals():
    period = Period(date(2023, 1, 1), date(2023, 9, 30), "2023-01..2023-09")
    assert format_period(period, "en") == "January – September 2023"
    assert "2023" in format_period(period, "ru") and "сентябрь" in format_period(period, "ru")


def test_every_message_has_three_languages():
    assert missing_translations() == []
    assert all(set(texts) == {"en", "vi", "ru"} for texts in MESSAGES.values())


@pytest.mark.parametrize(
    ("question", "lang", "phrase"),
    [
        ("xin chào", "vi", "Xin chào"),
        ("привет", "ru", "Здравствуйте"),
        ("thương mại giữa Nhật Bản và Hàn Quốc", "vi", "chỉ có thông tin"),
        ("товарооборот России и Китая", "ru", "знаю только"),
    ],
)
def test_non_fact_replies_are_translated_too(question, lang, phrase):
    answer = answer_question(KB, question)
    assert answer.lang == lang and phrase in render_text(answer, KB)


def test_cli_lang_flag_and_json_fields():
    out = bot_py("ask", "--json", "--lang", "ru", "trade 2011")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["lang"] == "ru"
    fact = data["facts"][0]
    assert fact["text"] == fact["texts"]["ru"] and set(fact["texts"]) == {"en", "vi", "ru"}
    assert "Источники:" in data["reply"]
    detected = bot_py("ask", "--json", "đại sứ")
    assert detected.returncode == 0, detected.stderr
    assert json.loads(detected.stdout)["lang"] == "vi"


def test_every_language_of_the_one_list_has_what_it_needs():
    """Adding a language is the list (records.LANGUAGES), its messages, its date locale, its
    relative phrases, its stemmer and its KB texts: this names whatever is missing."""
    from knowledge import dates, loader, messages
    from knowledge.language import SUPPORTED
    from knowledge.records import LANGUAGES

    missing = []
    for lang in LANGUAGES:
        if lang not in dates._LOCALES:
            missing.append(f"{lang}: a Babel locale in knowledge/dates.py _LOCALES")
        if lang not in loader._RELATIVE_PHRASES:
            missing.append(f"{lang}: relative phrases in knowledge/loader.py")
        missing += [
            f"{lang}: message {m}"
            for m in messages.missing_translations()
            if m.endswith(f".{lang}")
        ]
        for fact in KB.facts:
            if not fact.text.get(lang):
                missing.append(f"{lang}: text of fact {fact.id}")
                break
    assert SUPPORTED == LANGUAGES
    assert missing == [], missing
