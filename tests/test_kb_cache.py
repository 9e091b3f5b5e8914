"""The on-disk cache of the built KB (runtime/kb_cache.py): what a cold ``bot.py ask``
reads instead of parsing, validating and indexing, and what makes it build again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from knowledge.answer import answer_question
from knowledge.loader import KnowledgeBaseError
from runtime.config import EXIT_KB_ERROR
from runtime.kb_cache import CACHE_ENV, cache_directory, load_cached_knowledge_base
from testkit.bot_runner import bot_py, copy_kb, edit_file, line_of


@pytest.fixture
def kb_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = copy_kb(tmp_path / "kb")
    monkeypatch.setenv("DIPLOFACTS_KB", str(directory))
    return directory


def cache_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("kb-*.pickle"))


def test_the_second_load_comes_from_the_cache(kb_dir: Path, tmp_path: Path) -> None:
    env = {CACHE_ENV: str(tmp_path / "cache")}
    first = load_cached_knowledge_base(env)
    [cached] = cache_files(tmp_path / "cache")
    assert cached.stat().st_mode & 0o777 == 0o600
    written = cached.stat().st_mtime_ns
    second = load_cached_knowledge_base(env)
    assert cached.stat().st_mtime_ns == written  # read, not written again
    assert second.index is not None and second is not first
    question = "total trade 2024?"
    assert [f.id for f in answer_question(second, question).facts] == [
        f.id for f in answer_question(first, question).facts
    ]


def test_an_edited_kb_file_is_loaded_again(kb_dir: Path, tmp_path: Path) -> None:
    env = {CACHE_ENV: str(tmp_path / "cache")}
    load_cached_knowledge_base(env)
    facts = kb_dir / "facts.yaml"
    edit_file(facts, "the two sides signed a programme", "the two sides signed a plan")
    kb = load_cached_knowledge_base(env)
    texts = [f.text["en"] for f in kb.facts]
    assert any("signed a plan" in t for t in texts)
    assert len(cache_files(tmp_path / "cache")) == 1  # the stale one is gone


def test_an_invalid_kb_is_reported_and_never_cached(kb_dir: Path, tmp_path: Path) -> None:
    env = {CACHE_ENV: str(tmp_path / "cache")}
    load_cached_knowledge_base(env)
    facts = kb_dir / "facts.yaml"
    edit_file(facts, "    when: ", "    whenn: ")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_cached_knowledge_base(env)
    assert any(p.file == str(facts) and p.line for p in caught.value.problems)


@pytest.mark.parametrize("spoil", ["garbage", "group-writable"])
def test_a_cache_file_not_to_be_trusted_is_rebuilt(
    kb_dir: Path, tmp_path: Path, spoil: str
) -> None:
    env = {CACHE_ENV: str(tmp_path / "cache")}
    load_cached_knowledge_base(env)
    [cached] = cache_files(tmp_path / "cache")
    if spoil == "garbage":
        cached.write_bytes(b"not a pickle")
    else:
        os.chmod(cached, 0o664)
    kb = load_cached_knowledge_base(env)
    assert kb.index is not None and len(kb.facts) > 200
    assert cached.stat().st_mode & 0o777 == 0o600 and cached.read_bytes() != b"not a pickle"


def test_off_writes_nothing(kb_dir: Path, tmp_path: Path) -> None:
    assert cache_directory({CACHE_ENV: "off"}) is None
    assert cache_directory({"XDG_CACHE_HOME": "/x"}) == Path("/x/diplofacts")
    home = tmp_path / "home"
    result = bot_py(
        "ask", "--json", "trade in 2011", env={**os.environ, CACHE_ENV: "off", "HOME": str(home)}
    )
    assert result.returncode == 0 and json.loads(result.stdout)["facts"]
    assert not home.exists()


def test_ask_answers_the_same_from_the_cache(kb_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache")}
    runs = [bot_py("ask", "--json", "who is the ambassador now", env=env) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[0].stdout)["facts"]
    assert cache_files(tmp_path / "cache")
    # a broken file after that is still an error naming the file and the line
    edit_file(kb_dir / "facts.yaml", "    when: ", "    whenn: ")
    broken = bot_py("ask", "trade", env=env)
    assert broken.returncode == EXIT_KB_ERROR
    assert f"facts.yaml:{line_of(kb_dir / 'facts.yaml', 'whenn')}" in broken.stderr


def test_the_data_beside_the_core_is_in_the_key(
    kb_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # other_subjects.yaml and countries.json shape the index: a change to them builds again
    import shutil

    from knowledge import matcher
    from runtime import kb_cache

    code = tmp_path / "knowledge"
    shutil.copytree(
        Path(matcher.__file__).parent, code, ignore=shutil.ignore_patterns("data", "eval")
    )
    monkeypatch.setattr(kb_cache, "KNOWLEDGE_CODE", code)
    before = kb_cache.cache_key(kb_dir)
    subjects = code / "other_subjects.yaml"
    subjects.write_text(subjects.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert kb_cache.cache_key(kb_dir) != before
