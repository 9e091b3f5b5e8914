"""Flood control: a user over FLOOD_LIMIT updates in 10 s gets one notice, then silence until
the window has passed; everyone else is answered throughout."""

from __future__ import annotations

import asyncio
import time

import pytest

from handlers.flood import FloodGate
from knowledge.buttons import SourcesPress
from knowledge.messages import message
from testkit.bot_runner import run, running_bot, texts_to

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

A, B = 5001, 5002
LIMIT = 8  # FLOOD_LIMIT's default, as in production
NOTICE = message("flood", "en")


# --------------------------------------------------------------------------- FloodGate


def test_admits_the_limit_then_warns_once() -> None:
    gate = FloodGate(limit=3, window=10)
    assert [gate.admit(A, now=t) for t in (0, 1, 2)] == [(True, False)] * 3
    assert gate.admit(A, now=3) == (False, True)  # the one notice
    assert [gate.admit(A, now=t) for t in (4, 5, 9.9)] == [(False, False)] * 3
    assert gate.admit(B, now=5) == (True, False)  # others are not affected


def test_the_window_slides_and_a_new_flood_earns_a_new_notice() -> None:
    gate = FloodGate(limit=3, window=10)
    for t in (0, 1, 2):
        gate.admit(A, now=t)
    assert gate.admit(A, now=3) == (False, True)
    assert gate.admit(A, now=9.99) == (False, False)
    assert gate.admit(A, now=10) == (True, False)  # t=0 left the window (exactly 10 s)
    assert gate.admit(A, now=10.5) == (False, False)  # still the same flood: no new notice
    assert gate.admit(A, now=11) == (True, False)  # t=1 left
    assert gate.admit(A, now=12) == (True, False)  # t=2 left
    assert gate.admit(A, now=12.5) == (False, False)
    # quiet for a whole window: a fresh start, and a fresh flood gets its own notice
    assert gate.admit(A, now=30) == (True, False)
    assert [gate.admit(A, now=t)[0] for t in (30.1, 30.2)] == [True, True]
    assert gate.admit(A, now=30.3) == (False, True)


def test_refused_updates_do_not_extend_the_flood() -> None:
    gate = FloodGate(limit=2, window=10)
    gate.admit(A, now=0)
    gate.admit(A, now=0)
    for t in range(1, 10):  # hammering while refused does not push the window on
        assert gate.admit(A, now=t)[0] is False
    assert gate.admit(A, now=10) == (True, False)


def test_quiet_users_are_forgotten() -> None:
    gate = FloodGate(limit=2, window=10)
    for user in range(1000):
        gate.admit(user, now=user / 1000)
    assert gate.remembered() == 1000
    gate.admit(A, now=25)  # a window later: everyone above has been quiet for 10 s
    assert gate.remembered() == 1
    gate.admit(B, now=26)
    assert gate.remembered() == 2


# --------------------------------------------------------------------------- end to end


class ClockedGate(FloodGate):
    """The production gate on a clock the test can move forward."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit)
        self.offset = 0.0

    def admit(self, user_id: int, now: float | None = None) -> tuple[bool, bool]:
        return super().admit(user_id, time.monotonic() + self.offset if now is None else now)


@pytest.mark.slow
def test_a_flooding_user_gets_one_notice_and_others_are_answered(fake_api) -> None:
    api = fake_api
    gate = ClockedGate(LIMIT)

    def to(user):
        return lambda r: r.get_int("chat_id") == user

    async def settle() -> None:
        """Until the bot has fetched everything pushed so far, and a little more."""
        last = api.requests[-1]
        await api.wait_for_async("getUpdates", lambda r: r.time > last.time, finished=False)
        await asyncio.sleep(0.3)

    async def main():
        async with running_bot(api, flood_limit=LIMIT, flood_gate=gate):
            # A sends LIMIT + 5 questions in a burst, B asks three times in between
            for i in range(LIMIT + 5):
                api.push_update(api.private_message(f"trade in 20{10 + i}", A))
                if i % 5 == 0:
                    api.push_update(api.private_message("visits", B))
            await api.wait_for_async("sendMessage", to(B), count=3)
            await api.wait_for_async("sendMessage", to(A), count=LIMIT + 1)
            await settle()
            first_flood = texts_to(api, A)
            # still inside the window: A is ignored, B is answered
            api.push_update(api.private_message("students", A))
            api.push_update(api.private_message("students", B))
            await api.wait_for_async("sendMessage", to(B), count=4)
            await settle()
            in_window = texts_to(api, A)
            # ten seconds later A is heard again; a second flood earns a second notice
            gate.offset += 10
            for _ in range(LIMIT + 2):
                api.push_update(api.private_message("ambassador", A))
            await api.wait_for_async("sendMessage", to(A), count=2 * (LIMIT + 1))
            await settle()
            return first_flood, in_window

    first_flood, in_window = run(main())
    assert len(first_flood) == LIMIT + 1
    assert first_flood.count(NOTICE) == 1
    assert in_window == first_flood  # silence
    after = texts_to(api, A)
    assert len(after) == 2 * (LIMIT + 1) and after.count(NOTICE) == 2
    b_texts = texts_to(api, B)
    assert len(b_texts) == 4 and NOTICE not in b_texts


# --------------------------------------------------------------------------- what counts

GROUP, OTHER_GROUP = -100500, -100501
ANONYMOUS = 1087968824  # @GroupAnonymousBot


def anonymous_admin(api, text: str, chat_id: int) -> dict:
    update = api.group_message(text, chat_id, user_id=ANONYMOUS)
    chat = update["message"]["chat"]
    update["message"]["sender_chat"] = {"id": chat["id"], "type": chat["type"], "title": "G"}
    return update


def test_group_chatter_is_not_counted_and_never_gets_a_notice(fake_api) -> None:
    api = fake_api

    async def main():
        async with running_bot(api, flood_limit=LIMIT):
            for i in range(3 * LIMIT):  # privacy mode off: the bot sees all of it
                api.push_update(api.group_message(f"chatter {i}", GROUP, user_id=A))
            api.push_update(api.group_message("@DiplofactsTestBot trade in 2011", GROUP, A))
            await api.wait_for_async("sendMessage")

    run(main())
    [answer] = texts_to(api, GROUP)
    assert "151 million USD" in answer


def test_inline_keystrokes_have_their_own_budget_and_an_empty_answer(fake_api) -> None:
    api = fake_api
    keystrokes = "ambassador of belarus to vietnam in 2023 please"  # 47 queries

    async def main():
        async with running_bot(api, flood_limit=LIMIT):
            for i in range(1, len(keystrokes) + 1):
                api.push_update(api.inline_query(keystrokes[:i], A))
            await api.wait_for_async("answerInlineQuery", count=len(keystrokes))
            api.push_update(api.private_message("trade in 2011", A))
            await api.wait_for_async("sendMessage")

    run(main())
    answers = api.calls("answerInlineQuery")
    assert len(answers) == len(keystrokes)  # every query answered: no spinner left
    empty = [a for a in answers if a.params["results"] == []]
    assert len(empty) == len(keystrokes) - LIMIT * 4  # over the inline budget of 32
    assert all(a.ok for a in answers)
    [answer] = texts_to(api, A)  # the private question after the typing is answered
    assert "151 million USD" in answer


def test_anonymous_admins_are_counted_per_chat(fake_api) -> None:
    api = fake_api

    async def main():
        async with running_bot(api, flood_limit=LIMIT):
            for i in range(LIMIT + 3):
                api.push_update(anonymous_admin(api, f"/trade 20{10 + i % 14}", GROUP))
            await api.wait_for_async("sendMessage", count=LIMIT + 1)
            api.push_update(anonymous_admin(api, "/visits", OTHER_GROUP))
            await api.wait_for_async(
                "sendMessage", lambda r: r.get_int("chat_id") == OTHER_GROUP, timeout=10
            )

    run(main())
    flooded = texts_to(api, GROUP)
    assert len(flooded) == LIMIT + 1 and flooded.count(NOTICE) == 1
    [other] = texts_to(api, OTHER_GROUP)
    assert other != NOTICE and "Visits" in other


def test_a_flooded_button_press_gets_the_notice_as_its_answer(fake_api) -> None:
    api = fake_api

    async def main():
        async with running_bot(api, flood_limit=LIMIT):
            api.push_update(api.private_message("Vietnam Belarus", B))
            [menu] = await api.wait_for_async("sendMessage", lambda r: r.ok)
            for _ in range(LIMIT + 2):
                api.push_update(api.callback_query(SourcesPress("en").pack(), menu.result, B))
            await api.wait_for_async("answerCallbackQuery", count=LIMIT + 2)

    run(main())
    acks = api.calls("answerCallbackQuery")
    assert [a.params.get("text") for a in acks].count(NOTICE) == 1
    assert NOTICE not in texts_to(api, B)
