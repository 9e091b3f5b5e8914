"""A small soak (bench/soak.py): ``python bot.py run`` against the loopback Bot API with 600
mixed updates; every reply that should arrive arrives, nothing else does, and the log has no
ERROR. The full run (10,000 updates) is ``python bench/soak.py``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from testkit.bot_runner import ROOT

pytestmark = pytest.mark.slow  # a subprocess run of the whole bot: the full lane only


def test_soak_600_updates() -> None:
    done = subprocess.run(
        [sys.executable, "bench/soak.py", "-n", "600", "--json", "--stall", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.stdout.strip(), done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    summary = {k: v for k, v in result.items() if not k.endswith("_examples")}
    assert result["updates_pushed"] == 600
    assert result["updates_confirmed"] == 600, summary
    assert result["replies_delivered"] == result["replies_expected"], result
    assert result["replies_missing"] == 0 and result["replies_unexpected"] == 0, result
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
