"""Validation: broken KB files are refused with the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.loader import KnowledgeBaseError, load_knowledge_base
from testkit.bot_runner import bot_py

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (Path(__file__).parent / "kb_fixtures" / "minimal.yaml").read_text(encoding="utf-8")


def write_kb(tmp_path: Path, text: str, name: str = "kb.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(directory)
    return [str(p) for p in info.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_minimal_kb_loads(tmp_path):
    kb = load_knowledge_base(write_kb(tmp_path, MINIMAL))
    assert [f.id for f in kb.facts] == ["trade-2022"]
    assert kb.facts[0].when.text == "2022"
    assert kb.sources["src"].date.start.isoformat() == "2023-12-06"


@pytest.mark.parametrize(
    ("old", "new", "needle", "field", "says"),
    [
        (
            '    when: "2022"',
            '    when: "2022-13"',
            'when: "2022-13"',
            "facts[0].when",
            "not a real date",
        ),
        (
            '    when: "2022"',
            '    when: "2023..2022"',
            'when: "2023',
            "facts[0].when",
            "ends before it starts",
        ),
        (
            "    source: src\n    text",
            "    source: nowhere\n    text",
            "source: nowhere",
            "facts[0].source",
            "unknown source 'nowhere'",
        ),
        (
            "    topics: [trade]",
            "    topics: [trade, weather]",
            "topics: [trade, weather]",
            "facts[0].topics[1]",
            "unknown topic 'weather'",
        ),
        (
            '    when: "2022"\n',
            '    when: "2022"\n    colour: red\n',
            "colour: red",
            "facts[0].colour",
            "unknown key",
        ),
        (
            '    date: "2023-12-06"',
            '    date: "2023-02-30"',
            'date: "2023-02-30"',
            "sources[0].date",
            "not a real date",
        ),
        (
            "    command: trade",
            "    command: Trade-Figures",
            "command: Trade-Figures",
            "topics[0].command",
            "not a Telegram command",
        ),
        (
            "    command: trade",
            "    command: help",
            "command: help",
            "topics[0].command",
            "/help is a built-in command",
        ),
        (
            'vi: "Năm 2022 thương mại 1 USD.", ',
            "",
            "text: {en:",
            "facts[0].text.vi",
            "the vi text is missing",
        ),
        (
            'en: "In 2022 trade was 1 USD."',
            'en: "Last year trade was 1 USD."',
            "Last year",
            "facts[0].text.en",
            "relative phrase 'last year'",
        ),
        (
            '    date_basis: "Stated in the text."\n',
            "",
            "- id: src",
            "sources[0].date_basis",
            "required field is missing",
        ),
        ('    when: "2022"', "    when: 2022", "when: 2022", "facts[0].when", "Expected `str`"),
    ],
)
def test_broken_kb_names_file_line_and_field(tmp_path, old, new, needle, field, says):
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    problems = problems_of(write_kb(tmp_path, text))
    path = tmp_path / "kb.yaml"
    expected_prefix = f"{path}:{line_of(text, needle)}: {field}: "
    assert any(p.startswith(expected_prefix) and says in p for p in problems), problems


def test_duplicate_ids_across_files(tmp_path):
    write_kb(tmp_path, MINIMAL, "a.yaml")
    second = MINIMAL.split("facts:")[1]
    write_kb(tmp_path, "facts:" + second, "b.yaml")
    problems = problems_of(tmp_path)
    assert any(
        p.startswith(f"{tmp_path / 'b.yaml'}:2: facts[0].id: duplicate fact id") for p in problems
    ), problems


def test_duplicate_yaml_key(tmp_path):
    text = MINIMAL.replace('    when: "2022"', '    when: "2022"\n    when: "2021"')
    problems = problems_of(write_kb(tmp_path, text))
    line = line_of(text, 'when: "2021"')
    assert any(f":{line}: facts[0].when: duplicate key" in p for p in problems), problems


def test_yaml_syntax_error_names_line(tmp_path):
    text = MINIMAL.replace("    topics: [trade]", "    topics: [trade")
    problems = problems_of(write_kb(tmp_path, text))
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'kb.yaml'}:")
    assert "(syntax): invalid YAML" in problems[0]


def test_not_a_mapping_and_empty_dir(tmp_path):
    problems = problems_of(write_kb(tmp_path, "- just\n- a list\n"))
    assert problems == [
        f"{tmp_path / 'kb.yaml'}:1: (top level): a KB file must be a mapping "
        "of sources/topics/facts"
    ]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert problems_of(empty) == [f"{empty}: (directory): has no .yaml files"]


def test_all_problems_reported_at_once(tmp_path):
    text = MINIMAL.replace("source: src\n    text", "source: nowhere\n    text").replace(
        "topics: [trade]", "topics: [weather]"
    )
    problems = problems_of(write_kb(tmp_path, text))
    assert len(problems) == 2, problems


def test_check_command_exit_codes(tmp_path):
    good = bot_py("check", env={"PATH": "/usr/bin:/bin"})
    assert good.returncode == 0, good.stderr
    assert "OK:" in good.stdout
    write_kb(tmp_path, MINIMAL.replace("source: src\n    text", "source: zzz\n    text"))
    bad = bot_py("check", env={"PATH": "/usr/bin:/bin", "DIPLOFACTS_KB": str(tmp_path)})
    assert bad.returncode == 1
    assert f"{tmp_path / 'kb.yaml'}:" in bad.stderr and "facts[0].source" in bad.stderr


def test_every_builtin_command_is_reserved_and_answered() -> None:
    """One list: a built-in command is a reserved topic name and has a coroutine answering it."""
    import inspect

    from handlers import commands
    from knowledge.commands import BUILTIN_COMMANDS, RESERVED_COMMANDS

    assert RESERVED_COMMANDS == {c.name for c in BUILTIN_COMMANDS}
    for command in BUILTIN_COMMANDS:
        assert inspect.iscoroutinefunction(getattr(commands, command.handler)), command
