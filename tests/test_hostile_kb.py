"""Hostile KB files: deep nesting, alias bombs, anchors, huge files, over-long facts. Each is
refused with its file and line before it can crash or stall anything, and a reload keeps the
old KB. ``bot.py check`` runs as a subprocess where a crash (a segfault) is possible."""

from __future__ import annotations

import asyncio
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from knowledge.loader import MAX_FACT_CHARS, KnowledgeBaseError, load_knowledge_base
from knowledge.safe_yaml import MAX_DEPTH
from runtime.live import LiveKnowledgeBase
from testkit.bot_runner import bot_py, copy_kb, edit_file, line_of

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = (Path(__file__).parent / "kb_fixtures" / "minimal.yaml").read_text(encoding="utf-8")

# 450 bytes that PyYAML would expand into 9^9 strings (the "billion laughs")
ALIAS_BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def check(directory: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return bot_py("check", env={"PATH": "/usr/bin:/bin", "DIPLOFACTS_KB": str(directory), **env})


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load_knowledge_base(directory)
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("depth", [30_000, 5_000, MAX_DEPTH + 1])
def test_deep_nesting_is_refused_by_check_without_crashing(tmp_path, depth) -> None:
    (tmp_path / "deep.yaml").write_text("facts: " + "[" * depth + "]" * depth + "\n")
    done = check(tmp_path)
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])  # not -11 (SIGSEGV)
    # libyaml >= 0.2.5 has a nesting limit of its own (1,000); below it, or with PyYAML's
    # pure-Python parser, ours refuses
    assert f"{tmp_path / 'deep.yaml'}:1: (syntax): " in done.stderr
    libyaml_first = hasattr(yaml, "CSafeLoader") and depth > 1000
    said = "exceeded maximum nesting depth" if libyaml_first else f"nested deeper than {MAX_DEPTH}"
    assert said in done.stderr, done.stderr[-2000:]
    assert "Traceback" not in done.stderr


def test_a_kb_at_the_depth_limit_is_only_refused_by_the_schema(tmp_path) -> None:
    depth = MAX_DEPTH - 1  # "facts:" is one level
    (tmp_path / "ok.yaml").write_text("facts: " + "[" * depth + "]" * depth + "\n")
    [problem] = problems_of(tmp_path)
    assert "nested deeper" not in problem and problem.startswith(f"{tmp_path / 'ok.yaml'}:1")


def test_alias_bomb_is_refused_at_once(tmp_path) -> None:
    assert len(ALIAS_BOMB) < 500
    (tmp_path / "bomb.yaml").write_text(ALIAS_BOMB)
    done = check(tmp_path)
    assert done.returncode == 1, done.stderr[-2000:]
    assert (
        f"{tmp_path / 'bomb.yaml'}:1: (syntax): refused: YAML anchors (&name) are not allowed"
        in done.stderr
    )  # the event scan refused it: it was never composed, so never expanded


def test_a_lone_alias_and_a_lone_anchor_are_refused_with_their_line(tmp_path) -> None:
    anchored = MINIMAL.replace("    source: src\n", "    source: &s src\n")
    (tmp_path / "kb.yaml").write_text(anchored, encoding="utf-8")
    line = line_of_text(anchored, "&s")
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'kb.yaml'}:{line}: (syntax): refused: YAML anchors (&name) are not "
        "allowed in a KB file"
    ]
    aliased = MINIMAL + "extra: *nowhere\n"
    (tmp_path / "kb.yaml").write_text(aliased, encoding="utf-8")
    line = line_of_text(aliased, "*nowhere")
    assert problems_of(tmp_path) == [
        f"{tmp_path / 'kb.yaml'}:{line}: (syntax): refused: YAML aliases (*name) are not "
        "allowed in a KB file"
    ]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path) -> None:
    (tmp_path / "kb.yaml").write_text(MINIMAL, encoding="utf-8")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * 1000)  # 10,000 bytes of comments
    done = check(tmp_path, KB_MAX_FILE_BYTES="5000")
    assert done.returncode == 1
    assert f"{big}: (file): refused: file is 10,000 bytes, over the limit of 5,000" in (done.stderr)
    assert check(tmp_path, KB_MAX_FILE_BYTES="20000").returncode == 0


def test_over_long_fact_text_is_refused_by_check_with_file_line_and_field(tmp_path) -> None:
    long_text = "x" * (MAX_FACT_CHARS + 1)
    text = MINIMAL.replace('{en: "In 2022 trade was 1 USD."', f'{{en: "{long_text}"')
    (tmp_path / "kb.yaml").write_text(text, encoding="utf-8")
    done = check(tmp_path)
    assert done.returncode == 1
    line = line_of_text(text, long_text)
    assert (
        f"{tmp_path / 'kb.yaml'}:{line}: facts[0].text.en: {MAX_FACT_CHARS + 1:,} characters, "
        f"over the limit of {MAX_FACT_CHARS:,}"
    ) in done.stderr


def line_of_text(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --------------------------------------------------------------------------- reload


@pytest.fixture
def kb_dir(tmp_path):
    return copy_kb(tmp_path / "kb")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("deep.yaml", "facts: " + "[" * 30_000 + "]" * 30_000, "nest"),
        ("bomb.yaml", ALIAS_BOMB, "anchors"),
    ],
)
def test_hostile_file_in_a_reload_keeps_the_old_kb(kb_dir, name, content, says) -> None:
    live = LiveKnowledgeBase(kb_dir)
    old = live.current
    (kb_dir / name).write_text(content)
    served, problems = asyncio.run(live.reload_async())
    assert served is old and live.current is old
    assert [str(p).split(": ")[0] for p in problems] == [f"{kb_dir / name}:1"]
    assert says in str(problems[0])


def test_a_reload_over_its_time_budget_is_refused(kb_dir) -> None:
    live = LiveKnowledgeBase(kb_dir, budget=0.000_001)
    old = live.current
    served, problems = asyncio.run(live.reload_async())
    assert served is old and live.current is old
    [problem] = problems
    assert problem.file == str(kb_dir) and "took longer than" in problem.message


def test_reloads_requested_while_one_runs_are_merged_into_one(kb_dir) -> None:
    live = LiveKnowledgeBase(kb_dir)
    facts = kb_dir / "facts.yaml"
    old = "Belarusian Prime Minister Roman Golovchenko paid an official visit to Vietnam"

    async def main():
        first = asyncio.ensure_future(live.reload_async())
        await asyncio.sleep(0)  # the first load is running in its thread
        edit_file(facts, old, old.replace("an official", "a MERGED official"))
        rest = [asyncio.ensure_future(live.reload_async()) for _ in range(10)]
        return await first, await asyncio.gather(*rest)

    first, rest = asyncio.run(main())
    assert live.runs == 2  # eleven requests, two loads: the running one and one after it
    assert all(kb is rest[0][0] and problems == [] for kb, problems in rest)
    assert any("MERGED" in f.text["en"] for f in live.current.facts)
    assert first[1] == [] and line_of(facts, "MERGED")


@pytest.mark.slow
def test_the_event_loop_keeps_running_while_a_big_kb_loads(kb_dir) -> None:
    # 30 copies of the first facts file under new ids: slow enough to see the loop tick
    base = len(LiveKnowledgeBase(kb_dir).current.facts)
    facts = (kb_dir / "facts.yaml").read_text(encoding="utf-8")
    copied = facts.count("\n  - id: ")
    for i in range(30):
        (kb_dir / f"copy{i}.yaml").write_text(
            facts.replace("- id: ", f"- id: c{i}-"), encoding="utf-8"
        )
    live = LiveKnowledgeBase(kb_dir)
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    async def main():
        tick = asyncio.ensure_future(ticker())
        started = time.monotonic()
        result = await live.reload_async()
        tick.cancel()
        return result, time.monotonic() - started

    (kb, problems), took = asyncio.run(main())
    assert problems == [] and len(kb.facts) == base + 30 * copied
    # the loop ticked throughout the load (every 10 ms; allow for a very noisy machine)
    assert ticks >= min(took / 0.01 / 4, 5), (ticks, took)
