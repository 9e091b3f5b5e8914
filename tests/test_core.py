"""The core on concrete questions: matching, periods, ranking, rendering, the JSON contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.answer import answer_question
from knowledge.contract import answer_json
from knowledge.loader import load_knowledge_base
from knowledge.model import AnswerKind
from knowledge.normalize import fold
from knowledge.render import TELEGRAM_LIMIT, render_html, render_text, split_messages
from testkit.bot_runner import bot_py

ROOT = Path(__file__).resolve().parent.parent
KB = load_knowledge_base()


def ask(q: str, **kw):
    return answer_question(KB, q, **kw)


def test_fold_handles_vietnamese_cyrillic_and_run_together_words():
    assert fold("Đại sứ Việt Nam!") == "dai su viet nam"
    assert fold("Ёлка, ТОВАРООБОРОТ") == "елка товарооборот"
    assert fold("trade2011") == "trade 2011"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("trade", "trade"),
        ("ambasador", "ambassador"),
        ("mechansims", "mechanisms"),
        ("kim ngach thuong mai", "trade"),
        ("посол", "ambassador"),
        ("студенты", "students"),
        ("Who is the Belarusian ambassador to Vietnam?", "ambassador"),
    ],
)
def test_one_word_typos_and_full_questions(question, topic):
    answer = ask(question)
    assert answer.kind is AnswerKind.FACTS and answer.intent == topic


def test_year_puts_that_period_first():
    answer = ask("trade in 2011")
    in_2011 = [f.when.start.year == 2011 for f in answer.facts]
    assert in_2011[0] and in_2011 == sorted(in_2011, reverse=True)  # 2011 facts come first
    assert any("151" in f.text["en"] for f, hit in zip(answer.facts, in_2011, strict=True) if hit)
    newest_first = [f for f in ask("trade").facts if f.topics[0] == "trade"]
    starts = [f.when.start for f in newest_first]
    assert len(starts) >= 3 and starts == sorted(starts, reverse=True)


def test_year_without_facts_says_so():
    answer = ask("trade in 1995")
    assert answer.kind is AnswerKind.UNKNOWN and not answer.period_found and not answer.facts
    assert answer.related is not None and answer.related.topics[0] == "trade"
    text = render_text(answer, KB)
    assert text.startswith("I don't have that for 1995.") and "Related:" in text


OUT_OF_SCOPE_PHRASE = {
    "en": "I only know about Vietnam–Belarus relations",
    "vi": "Tôi chỉ có thông tin về quan hệ Việt Nam – Belarus",
    "ru": "Я знаю только об отношениях Вьетнама и Беларуси",
}


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("trade between Japan and Korea", "en"),
        ("Vietnam–Cambodia relations", "en"),
        ("Belarus–Poland trade", "en"),
        ("товарооборот России и Китая", "ru"),
        ("quan hệ Việt Nam - Lào", "vi"),
    ],
)
def test_other_country_pairs_are_out_of_scope(question, lang):
    answer = ask(question)
    assert answer.kind is AnswerKind.OUT_OF_SCOPE and answer.facts == ()
    assert answer.lang == lang
    assert OUT_OF_SCOPE_PHRASE[lang] in render_text(answer, KB)


def test_labour_in_vietnamese_is_not_laos():
    answer = ask("hợp tác lao động")
    assert answer.kind is AnswerKind.FACTS and answer.intent == "labour"


@pytest.mark.parametrize("question", ["hello", "xin chào", "привет", "good morning"])
def test_greetings_get_no_facts(question):
    answer = ask(question)
    assert answer.kind is AnswerKind.GREETING and not answer.facts


@pytest.mark.parametrize("question", ["football scores", "recipe for pho", "курс доллара"])
def test_unrelated_questions_get_no_facts(question):
    assert ask(question).facts == ()


def test_ambiguous_question_gets_suggestions():
    answer = ask("Vietnam Belarus")
    assert answer.kind is AnswerKind.SUGGESTIONS and "trade" in answer.suggestions


def test_several_topics_each_answered():
    answer = ask("visits and the ambassador")
    assert set(answer.intents) == {"visits", "ambassador"}
    text = render_text(answer, KB)
    assert text.index("Visits") < text.index("Ambassador")


def test_slash_command_goes_through_the_same_core():
    answer = ask("2011", topic="trade")
    assert answer.intent == "trade" and answer.facts[0].when.start.year == 2011
    narrowed = ask("golovchenko", topic="visits")
    assert "Golovchenko" in narrowed.facts[0].text["en"]


def test_every_fact_line_has_date_and_citation_and_sources_listed():
    text = render_text(ask("trade"), KB)
    fact_lines = [line for line in text.splitlines() if line[:2].rstrip(".").isdigit()]
    assert fact_lines
    assert all(re.search(r"\) \[\d+\]$", line) for line in fact_lines)
    assert "Sources:" in text and "VOV World" in text
    assert "last year" not in text.lower()


def test_html_is_escaped_and_within_limits():
    for question in ["trade", "<b>visits</b> & students", "visits students trade ambassador"]:
        for part in render_html(ask(question), KB):
            assert len(part) <= TELEGRAM_LIMIT
            assert "<b>visits</b>" not in part


def test_split_messages_never_exceeds_the_limit():
    parts = split_messages(["x" * 3000, "y" * 3000, "z" * 9000], limit=4096)
    assert all(len(p) <= 4096 for p in parts)
    assert "".join(p.replace("\n", "") for p in parts) == "x" * 3000 + "y" * 3000 + "z" * 9000


def test_json_contract_fields():
    data = answer_json(ask("trade in 2011"), KB)
    for key in ("query", "intent", "score", "facts", "suggestions", "reply"):
        assert key in data
    assert data["intent"] == "trade" and 0 <= data["score"] <= 100
    fact = data["facts"][0]
    assert set(fact) >= {"id", "text", "when", "source"}
    assert set(fact["source"]) >= {"id", "publisher", "title", "date", "url"}
    assert fact["when"] == "2011-01..2011-08"


def test_cli_ask_json_stdin_one_object_per_line_in_order():
    out = bot_py("ask", "--json", "-", stdin="trade in 2011\nhello\nambassador\n")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["query"] for d in lines] == ["trade in 2011", "hello", "ambassador"]
    assert lines[0]["intent"] == "trade" and lines[1]["facts"] == []


def test_cli_ask_plain_and_kb_from_environment(tmp_path):
    out = bot_py("ask", "trade", "in", "2011")
    assert out.returncode == 0 and "151" in out.stdout
    minimal = ROOT / "tests" / "kb_fixtures" / "minimal.yaml"
    (tmp_path / "kb.yaml").write_text(minimal.read_text(encoding="utf-8"), encoding="utf-8")
    import os

    env = {**os.environ, "DIPLOFACTS_KB": str(tmp_path)}
    out = bot_py("ask", "--json", "trade", env=env)
    assert json.loads(out.stdout)["facts"][0]["id"] == "trade-2022"


def test_ask_check_eval_do_not_import_telegram():
    code = (
        "import sys, bot\n"
        "for argv in (['check'], ['ask', 'trade'], ['eval']):\n"
        "    bot.main(argv)\n"
        "assert 'telegram' not in sys.modules, 'telegram was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_no_module_under_knowledge_imports_telegram():
    for path in (ROOT / "knowledge").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import telegram" not in text and "from telegram" not in text, path
