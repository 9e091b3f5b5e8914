"""Small soaks (bench/soak.py): ``python bot.py run`` against the loopback Bot API with 600
mixed updates; and two ``bot.py run --webhook`` instances sharing a throwaway PostgreSQL
behind the bench's round-robin proxy with 400. Every reply that should arrive arrives,
nothing else does, and the logs have no ERROR. The full runs (10,000 updates) are
``python bench/soak.py`` and ``python bench/soak.py --mode webhook --instances 2``."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from testkit.bot_runner import ROOT

pytestmark = pytest.mark.slow  # subprocess runs of the whole bot: the full lane only


def run_soak(*args: str, timeout: float) -> tuple[dict[str, Any], subprocess.CompletedProcess]:
    done = subprocess.run(
        [sys.executable, "bench/soak.py", "--json", "--stall", "20", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.stdout.strip(), done.stderr
    return json.loads(done.stdout.splitlines()[-1]), done


def test_soak_600_updates() -> None:
    result, done = run_soak("-n", "600", timeout=180)
    summary = {k: v for k, v in result.items() if not k.endswith("_examples")}
    assert result["updates_pushed"] == 600
    assert result["updates_confirmed"] == 600, summary
    assert result["replies_delivered"] == result["replies_expected"], result
    assert result["replies_missing"] == 0 and result["replies_unexpected"] == 0, result
    assert result["replies_duplicated"] == 0, result
    assert result["replies_refused_by_server"] == 0, result
    assert result["log_error_lines"] == 0 and result["log_tracebacks"] == 0, result
    # every kind of update was in the mix, and each kind of reply came
    assert len(result["updates_by_kind"]) == 10, summary
    # sendPhoto only when a random press fell on a Chart button
    assert set(result["replies_by_method"]) - {"sendPhoto"} == {
        "sendMessage",
        "answerInlineQuery",
        "answerCallbackQuery",
        "editMessageText",
    }
    assert result["bot_exit_code"] == 0 and result["ok"] is True
    assert done.returncode == 0


def test_two_webhook_instances_400_updates() -> None:
    result, done = run_soak(
        "--mode", "webhook", "--instances", "2", "--no-compare", "-n", "400", timeout=300
    )
    run = result["runs"]["2 instances"]
    summary = {k: v for k, v in run.items() if not k.endswith("_examples")}
    assert run["updates_pushed"] == 400
    assert run["updates_confirmed"] == 400, summary  # every POST answered 200
    # round robin: each instance got half of the updates
    assert [i["updates"] for i in run["instances"]] == [200, 200], summary
    # expected: what one instance would send, except that a "More" page stays with the
    # instance that sent the answer (README, Several instances), so "More" pressed on the
    # other one is answered "expired" and edits nothing (counted in more_answered_expired)
    assert run["replies_delivered"] == run["replies_expected"], run
    assert run["replies_missing"] == 0, run
    assert run["replies_duplicated"] == 0 and run["replies_unexpected"] == 0, run
    assert run["replies_refused_by_server"] == 0, run
    assert run["log_error_lines"] == 0 and run["log_tracebacks"] == 0, run
    assert [i["exit_code"] for i in run["instances"]] == [0, 0], summary
    assert result["ok"] is True and done.returncode == 0
