"""Issue 12, item 3: the country pair is data. The same tests run on the first KB and on the
fictional Freedonia–Sylvania fixture (tests/kb_pairs.py), and no code names a country."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.answer import answer_question
from knowledge.loader import KnowledgeBaseError, load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import AnswerKind, KnowledgeBase
from knowledge.normalize import fold
from knowledge.records import LANGUAGES
from knowledge.render import about_text, help_text, render_text, start_text
from tests.kb_pairs import FIXTURE_KB_DIR, PAIRS, ROOT, Pair

MINIMAL = (Path(__file__).parent / "kb_fixtures" / "minimal.yaml").read_text(encoding="utf-8")
CODE = [ROOT / "bot.py"] + [
    path
    for folder in ("knowledge", "cli", "handlers", "runtime")
    for path in (ROOT / folder).rglob("*.py")
]


def names(kb: KnowledgeBase) -> list[str]:
    return [n for c in kb.scope.countries for n in c.name.values()]


def naming(*kbs: KnowledgeBase) -> re.Pattern[str]:
    """Any country name of these KBs as a whole word of folded text: "Vietnamese" is a
    language, not the country."""
    words = sorted({fold(n) for kb in kbs for n in names(kb)})
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")


def other_pair(pair: Pair) -> Pair:
    return next(p for p in PAIRS if p is not pair)


def run_bot(*args: str, kb_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DIPLOFACTS_KB": str(kb_dir)}
    return subprocess.run(
        [sys.executable, "bot.py", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_kb_loads_with_its_pair_and_passes_check(pair: Pair) -> None:
    kb = pair.kb
    a, b = kb.scope.codes
    assert a != b and kb.scope.directions == (f"{a}-{b}", f"{b}-{a}")
    assert {f.direction for f in kb.facts} - {None} <= set(kb.scope.directions)
    assert {e.country for e in kb.entities.values()} - {None} <= {a, b}
    done = run_bot("check", kb_dir=pair.kb_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{pair.kb_dir}: OK: {len(kb.sources)} sources")


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_direction_questions_use_the_pairs_own_words(pair: Pair) -> None:
    kb = pair.kb
    questions = index_for(kb).questions
    first, second = kb.scope.countries
    for giver, receiver in ((first, second), (second, first)):
        g, r = giver.name, receiver.name
        direction = f"{giver.code}-{receiver.code}"
        for question in (
            f"{g['en']}'s exports to {r['en']}",
            f"what does {r['en']} import from {g['en']}?",
            f"ambassador of {g['en']} in {r['en']}",
            f"{g['vi']} xuất khẩu gì sang {r['vi']}?",
            f"đại sứ {g['vi']} tại {r['vi']}",
        ):
            assert questions.direction(fold(question)) == direction, question
    for question, direction in pair.russian_directions:
        assert questions.direction(fold(question)) == direction, question
    assert questions.direction(fold(f"{first.name['en']} {second.name['en']} trade")) is None


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_a_missing_direction_is_said_with_the_pairs_names(pair: Pair) -> None:
    kb = pair.kb
    first, second = (c.name["en"] for c in kb.scope.countries)
    asked = kb.scope.directions[0]
    answer = answer_question(kb, f"Who is {first}'s ambassador to {second}?")
    assert answer.kind is AnswerKind.UNKNOWN and answer.missing_direction == asked
    held = kb.scope.reverse(asked)
    assert held != asked and held in kb.scope.directions
    assert render_text(answer, kb).startswith(
        f"I don't have that {kb.scope.direction_text(asked, 'en')}; "
        f"I only have it the other way round, {kb.scope.direction_text(held, 'en')}."
    )


@pytest.mark.parametrize("pair", PAIRS, ids=str)
@pytest.mark.parametrize(
    ("lang", "template", "country"),
    [
        ("en", "trade between {name} and France", "France"),
        ("vi", "thương mại giữa {name} và Pháp", "Pháp"),
        ("ru", "торговля {name} и Франция", "Франц"),
    ],
)
def test_out_of_scope_refusal_names_the_pair(pair: Pair, lang, template, country) -> None:
    kb = pair.kb
    name = kb.scope.countries[0].name[lang]
    answer = answer_question(kb, template.format(name=name), lang=lang)
    assert answer.kind is AnswerKind.OUT_OF_SCOPE and answer.foreign_countries == ("France",)
    text = render_text(answer, kb)
    assert kb.scope.relations[lang] in text and country in text
    assert not naming(other_pair(pair).kb).search(fold(text))


@pytest.mark.parametrize("pair", PAIRS, ids=str)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_about_the_bot_names_the_kbs_pair(pair: Pair, lang: str) -> None:
    kb = pair.kb
    texts = {
        "help": help_text(kb, lang, "somebot"),
        "about": about_text(kb, lang),
        "start": start_text(kb, lang),
        "greeting": render_text(answer_question(kb, "hello", lang=lang), kb),
        "unknown": render_text(answer_question(kb, "football results", lang=lang), kb),
        "empty": render_text(answer_question(kb, "", lang=lang), kb),
        "heading": render_text(answer_question(kb, pair.trade[0], lang=lang), kb),
    }
    relations, heading = kb.scope.relations[lang], kb.scope.name[lang]
    elsewhere = naming(other_pair(pair).kb)
    for key, text in texts.items():
        assert (heading if key == "heading" else relations) in text, (key, text)
        assert "{" not in text, (key, text)
        assert not elsewhere.search(fold(text)), (key, text)


@pytest.mark.parametrize("pair", PAIRS, ids=str)
def test_ask_json_keeps_its_contract_on_either_kb(pair: Pair) -> None:
    done = run_bot("ask", "--json", pair.trade[0], kb_dir=pair.kb_dir)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["kind"] == "facts" and answer["facts"][0]["id"] == pair.trade[1]
    assert answer["reply"].split("\n")[0].endswith(f"— {pair.kb.scope.name['en']}")
    other = json.loads(run_bot("ask", "--json", "trade", kb_dir=other_pair(pair).kb_dir).stdout)
    assert answer.keys() == other.keys()
    assert answer["facts"][0].keys() == other["facts"][0].keys()


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant of a module but its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_code_names_a_country_of_either_pair() -> None:
    # A language is not a country: "Vietnamese", "tiếng Việt", "по-вьетнамски" may stay.
    pattern = naming(*(pair.kb for pair in PAIRS))
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
        for path in CODE
        for line, text in string_literals(path)
        if pattern.search(fold(text))
    ]
    assert found == []


def load_problems(tmp_path: Path, *texts: str) -> list[str]:
    for i, text in enumerate(texts):
        (tmp_path / f"kb{i}.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_a_kb_without_a_scope_or_with_two_is_refused(tmp_path: Path) -> None:
    without = MINIMAL[MINIMAL.index("sources:") :]
    assert load_problems(tmp_path, without) == [
        f"{tmp_path / 'kb0.yaml'}: scope: no file of the KB gives its scope (the country pair)"
    ]
    scope = (FIXTURE_KB_DIR / "scope.yaml").read_text(encoding="utf-8")
    (tmp_path / "kb0.yaml").unlink()
    problems = load_problems(tmp_path, MINIMAL, scope)
    assert problems == [
        f"{tmp_path / 'kb1.yaml'}:2: scope: the scope is already given in {tmp_path / 'kb0.yaml'}"
    ]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        ("- code: fd\n", "- code: f-d\n", "scope.countries[0].code", "is not a code"),
        ("[freedonia, freedonian,", "[Freedonia, freedonian,", "scope.countries[0].words[0]",
         "is not one folded word"),
        ("sides: [sylvania,", "sides: [Sylvania,", "scope.countries[1].sides[0]",
         "is not a folded word or phrase"),
        ('ru: "Фридония – Сильвания"}', 'ru: " "}', "scope.name.ru", "missing or empty"),
    ],
)  # fmt: skip
def test_scope_problems_name_file_line_and_field(tmp_path: Path, old, new, field, message):
    assert old in MINIMAL
    [problem] = load_problems(tmp_path, MINIMAL.replace(old, new, 1))
    assert re.match(rf"{re.escape(str(tmp_path / 'kb0.yaml'))}:\d+: {re.escape(field)}: ", problem)
    assert message in problem


def test_directions_and_entity_countries_must_be_the_scopes(tmp_path: Path) -> None:
    text = MINIMAL.replace("    source: src\n", "    source: src\n    direction: vn-by\n", 1)
    [problem] = load_problems(tmp_path, text)
    assert "facts[0].direction: 'vn-by' is not one of ('fd-sy', 'sy-fd', 'both')" in problem
    # without a scope, that one problem is said, not one per fact and entity naming a side
    shipped = [p for p in (ROOT / "knowledge" / "data").glob("*.yaml") if p.name != "scope.yaml"]
    kb_dir = tmp_path / "no_scope"
    kb_dir.mkdir()
    for path in shipped:
        (kb_dir / path.name).write_bytes(path.read_bytes())
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(kb_dir)
    assert [p.field for p in caught.value.problems] == ["scope"]


def test_a_country_of_another_pair_is_a_foreign_country() -> None:
    # countries.json lists every country; a KB leaves out only the two of its own scope
    first_kb, fixture = (pair.kb for pair in PAIRS)
    for country in first_kb.scope.countries:
        for lang, template in (("en", "trade between {a} and {b}"), ("vi", "{a} và {b}")):
            name = country.name[lang]
            question = template.format(a=fixture.scope.countries[0].name[lang], b=name)
            answer = answer_question(fixture, question, lang=lang)
            assert answer.kind is AnswerKind.OUT_OF_SCOPE, question
            assert name in render_text(answer, fixture) and fixture.scope.relations[lang] in (
                render_text(answer, fixture)
            )
        own = answer_question(first_kb, f"trade between {country.name['en']} and France")
        assert own.foreign_countries == ("France",)
