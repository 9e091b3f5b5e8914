"""The command line a newcomer meets: help for users, --version, the program named as
invoked, ``eval --file``, and ``gaps`` that only reads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from testkit.bot_runner import ROOT, bot_py


def test_help_speaks_to_users_and_version_is_the_package_s() -> None:
    done = bot_py("--help")
    assert done.returncode == 0
    assert done.stdout.startswith("usage: bot.py ")
    assert "country pair" in done.stdout and "Exit codes" in done.stdout
    for jargon in ("composition root", "handlers", "import", "telegram-free"):
        assert jargon not in done.stdout.lower(), jargon
    run_help = bot_py("run", "--help").stdout
    assert "TELEGRAM_BOT_TOKEN" in run_help and "composition" not in run_help
    from importlib.metadata import version

    assert bot_py("--version").stdout.strip() == f"bot.py {version('diplofacts')}"


def test_the_program_names_itself_as_invoked() -> None:
    done = subprocess.run(
        [str(Path(sys.executable).parent / "diplofacts"), "ask"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("usage: diplofacts ask "), done.stderr
    assert bot_py("ask").stderr.startswith("usage: bot.py ask ")


def test_eval_file_scores_a_packaged_set_against_its_kb_and_refuses_other_files(
    tmp_path,
) -> None:
    done = bot_py("eval", "--file", "knowledge/eval/holdout.yaml", "--summary")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2023 held-out (holdout.yaml, first KB): ")
    own = tmp_path / "mine.yaml"
    own.write_text("- q: trade in 2011\n  topics: [trade]\n", encoding="utf-8")
    done = bot_py("eval", "--file", str(own), "--summary")
    assert done.returncode == 0 and done.stdout.startswith("mine.yaml: 1 questions"), done
    for bad, why in [("README.md", "not YAML"), ("pyproject.toml", "not YAML")]:
        done = bot_py("eval", "--file", bad)
        assert done.returncode == 2 and why in done.stderr, done
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just: a mapping\n", encoding="utf-8")
    done = bot_py("eval", "--file", str(scalar))
    assert done.returncode == 2 and "not a questions file" in done.stderr, done.stderr


def test_gaps_never_creates_anything_and_an_unusable_database_is_one_error(tmp_path) -> None:
    missing = tmp_path / "data" / "x.sqlite3"
    done = bot_py("gaps", env={**os.environ, "DIPLOFACTS_DB": str(missing)})
    assert done.returncode == 0 and "no database yet" in done.stdout
    assert not missing.parent.exists()
    # the default, ./data/diplofacts.sqlite3, from a fresh directory: no data/ appears
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "DIPLOFACTS_DB"}
    subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "gaps"], cwd=fresh, env=env, timeout=60, check=True
    )
    assert list(fresh.iterdir()) == []
    a_directory = tmp_path / "dir.sqlite3"
    a_directory.mkdir()
    done = bot_py("gaps", env={**os.environ, "DIPLOFACTS_DB": str(a_directory)})
    assert done.returncode == 1, done
    assert "cannot be read" in done.stderr and len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr
