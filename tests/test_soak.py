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

from tests.bot_harness import ROOT

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


@pytest.fixture(scope="module")
def two_webhook_instances() -> dict[str, Any]:
    """One run shared by the two tests below: 400 updates POSTed through the proxy."""
    result, _ = run_soak(
        "--mode", "webhook", "--instances", "2", "--no-compare", "-n", "400", timeout=300
    )
    return result["runs"]["2 instances"]


def test_two_webhook_instances_lose_and_repeat_nothing_else(
    two_webhook_instances: dict[str, Any],
) -> None:
    run = two_webhook_instances
    summary = {k: v for k, v in run.items() if not k.endswith("_examples")}
    assert run["updates_pushed"] == 400
    assert run["updates_confirmed"] == 400, summary  # every POST answered 200
    # round robin: each instance got half of the updates
    assert [i["updates"] for i in run["instances"]] == [200, 200], summary
    assert run["replies_duplicated"] == 0 and run["replies_unexpected"] == 0, run
    assert run["replies_refused_by_server"] == 0, run
    assert run["log_error_lines"] == 0 and run["log_tracebacks"] == 0, run
    assert [i["exit_code"] for i in run["instances"]] == [0, 0], summary
    # the only replies that may be missing: "More" pressed under an answer another instance
    # sent (the test below)
    assert run["replies_missing"] == run["replies_missing_more_expired"], run


@pytest.mark.xfail(
    reason='a "More" page lives in the memory of the instance that sent the answer '
    "(handlers/common.py Services.pages, knowledge/memory.py AnswerPages): pressed on "
    'another instance it answers "This list has expired"',
)
def test_two_webhook_instances_lose_nothing(two_webhook_instances: dict[str, Any]) -> None:
    run = two_webhook_instances
    assert run["replies_missing"] == 0, run
    assert run["replies_delivered"] == run["replies_expected"], run
