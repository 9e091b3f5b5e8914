"""SIGKILL in the middle of a burst: polling confirms updates to Telegram only while few are
unanswered (handlers/backlog.py), so a kill loses at most MAX_UNANSWERED of them; a restart
answers every other one. ``python bot.py run`` as a subprocess, rate limiter on (as in
production, ~30 messages/s) for the burst."""

from __future__ import annotations

import signal
import time

import pytest

from handlers.backlog import FETCH_LIMIT, MAX_UNANSWERED
from testkit.bot_runner import BotProcess

pytestmark = pytest.mark.slow  # a subprocess run of the whole bot: the full lane only

BURST = 600
FIRST_USER = 20_000


def answered_users(api) -> set[int]:
    return {r.get_int("chat_id") for r in api.calls("sendMessage") if r.ok}


def test_sigkill_during_a_burst_loses_at_most_the_bound(fake_api) -> None:
    api = fake_api
    users = range(FIRST_USER, FIRST_USER + BURST)
    with BotProcess(api) as bot:
        bot.wait_log(r"Bot @\w+ ready")
        api.wait_for("getUpdates", finished=False, timeout=10)
        for user in users:
            api.push_update(api.private_message(f"trade in 20{10 + user % 14}", user))
        time.sleep(3)
        bot.proc.send_signal(signal.SIGKILL)
        bot.proc.wait(10)
    pending = {u["message"]["chat"]["id"] for u in api.pending_updates()}
    confirmed = set(users) - pending
    answered = answered_users(api)
    lost = confirmed - answered
    assert len(lost) <= MAX_UNANSWERED, (len(lost), len(confirmed), len(answered))
    assert len(pending) >= BURST - len(answered) - MAX_UNANSWERED
    first_run = set(answered)

    with BotProcess(api, {"DIPLOFACTS_RATE_LIMITER": "off"}) as bot:  # the restart
        deadline = time.monotonic() + 60
        while api.pending_updates() or not (set(users) - lost) <= answered_users(api):
            assert time.monotonic() < deadline, len(api.pending_updates())
            time.sleep(0.1)
    calls = [r.get_int("chat_id") for r in api.calls("sendMessage") if r.ok]
    twice = {u for u in set(calls) if calls.count(u) > 1}
    assert set(users) - lost <= answered_users(api)  # everyone not lost got an answer
    assert twice <= first_run and len(twice) <= FETCH_LIMIT  # re-fetched, answered again
    print(
        f"\nburst {BURST}, SIGKILL after 3 s: answered {len(first_run)}, confirmed "
        f"{len(confirmed)}, lost {len(lost)}; after the restart answered twice {len(twice)}"
    )
