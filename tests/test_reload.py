"""Safe reload of the knowledge base: /reload (admins only) and SIGHUP keep serving the old KB
when the new one is invalid, name file, line and field of every problem, and answers already
running keep the KB object they started with."""

from __future__ import annotations

import signal

import pytest

from knowledge.answer import answer_question
from knowledge.live import LiveKnowledgeBase
from knowledge.messages import message
from knowledge.render import render_text
from tests.bot_harness import (
    ADMIN_ID,
    BotProcess,
    bot_config,
    copy_kb,
    edit_file,
    line_of,
    run,
    running_bot,
    texts_to,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

USER = 1001
OLD = "Belarusian Prime Minister Roman Golovchenko paid an official visit to Vietnam"
NEW = "Belarusian Prime Minister Roman Golovchenko paid a RELOADED official visit to Vietnam"
ASK = "/visits golovchenko"
FIRST_TOPICS = "topics: [visits]"  # the first fact's topics line in facts.yaml
BROKEN_TOPICS = "topics: [no-such-topic]"


@pytest.fixture
def kb_dir(tmp_path):
    return copy_kb(tmp_path / "kb")


def test_a_running_answer_keeps_the_kb_it_started_with(kb_dir) -> None:
    live = LiveKnowledgeBase(kb_dir)
    kb = live.current  # what a handler holds while it answers
    before = render_text(answer_question(kb, "", topic="visits"), kb)
    edit_file(kb_dir / "facts.yaml", OLD, NEW)
    fresh, problems = live.reload()
    assert problems == [] and live.current is fresh and fresh is not kb
    assert render_text(answer_question(kb, "", topic="visits"), kb) == before  # untouched
    assert OLD in before and NEW not in before
    assert NEW in render_text(answer_question(fresh, "", topic="visits"), fresh)

    edit_file(kb_dir / "facts.yaml", FIRST_TOPICS, BROKEN_TOPICS)
    served, problems = live.reload()
    assert served is fresh and live.current is fresh and problems  # the valid KB stays


def test_reload_is_refused_to_non_admins(fake_api, kb_dir) -> None:
    api = fake_api
    live = LiveKnowledgeBase(kb_dir)

    async def main():
        async with running_bot(api, bot_config(api), live):
            edit_file(kb_dir / "facts.yaml", OLD, NEW)
            api.push_update(api.private_message("/reload", USER))
            await api.wait_for_async("sendMessage")
            api.push_update(api.private_message(ASK, USER))
            await api.wait_for_async("sendMessage", count=2)

    run(main())
    refusal, answer = texts_to(api, USER)
    assert refusal == message("not_admin", "en")
    assert OLD in answer and "RELOADED" not in answer


def test_admin_reload_serves_the_edited_fact(fake_api, kb_dir) -> None:
    api = fake_api
    live = LiveKnowledgeBase(kb_dir)

    async def main():
        async with running_bot(api, bot_config(api), live):
            api.push_update(api.private_message(ASK, USER))
            await api.wait_for_async("sendMessage")
            edit_file(kb_dir / "facts.yaml", OLD, NEW)
            api.push_update(api.private_message("/reload", ADMIN_ID))
            await api.wait_for_async("sendMessage", count=2)
            api.push_update(api.private_message(ASK, USER))
            await api.wait_for_async("sendMessage", count=3)

    run(main())
    before, after = texts_to(api, USER)
    [reply] = texts_to(api, ADMIN_ID)
    kb = live.current
    assert reply == message("reload_ok", "en", facts=len(kb.facts), topics=len(kb.topics))
    assert OLD in before and "RELOADED" not in before
    assert NEW in after


def test_admin_reload_of_a_broken_kb_names_the_problem_and_keeps_the_old(fake_api, kb_dir) -> None:
    api = fake_api
    live = LiveKnowledgeBase(kb_dir)
    facts = kb_dir / "facts.yaml"
    line = line_of(facts, FIRST_TOPICS)

    async def main():
        async with running_bot(api, bot_config(api), live):
            edit_file(facts, OLD, NEW)  # would be visible if the broken KB went live
            edit_file(facts, FIRST_TOPICS, BROKEN_TOPICS)
            api.push_update(api.private_message("/reload", ADMIN_ID))
            await api.wait_for_async("sendMessage")
            api.push_update(api.private_message(ASK, USER))
            await api.wait_for_async("sendMessage", count=2)

    run(main())
    [reply] = texts_to(api, ADMIN_ID)
    assert reply.startswith(message("reload_failed", "en", errors="").strip())
    assert f"{facts}:{line}: facts[0].topics[0]: unknown topic 'no-such-topic'" in reply
    [answer] = texts_to(api, USER)
    assert OLD in answer and "RELOADED" not in answer


def test_sighup_reloads_the_running_bot(fake_api, kb_dir) -> None:
    api = fake_api
    facts = kb_dir / "facts.yaml"
    line = line_of(facts, FIRST_TOPICS)
    with BotProcess(api, {"DIPLOFACTS_KB": str(kb_dir)}) as bot:
        bot.wait_log(r"Bot @\w+ ready")
        api.wait_for("getUpdates", finished=False, timeout=10)

        def ask(count: int) -> str:
            api.push_update(api.private_message(ASK, USER))
            api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == USER, count, 10)
            return texts_to(api, USER)[-1]

        assert OLD in ask(1)

        edit_file(facts, OLD, NEW)
        edit_file(facts, FIRST_TOPICS, BROKEN_TOPICS)
        bot.signal(signal.SIGHUP)
        bot.wait_log("SIGHUP: the new knowledge base is invalid, still serving the old one")
        problem = bot.wait_log(f"{facts}:{line}: facts")
        assert problem.endswith(
            f"{facts}:{line}: facts[0].topics[0]: unknown topic 'no-such-topic'"
        )
        assert " ERROR " in problem
        answer = ask(2)
        assert OLD in answer and "RELOADED" not in answer

        edit_file(facts, BROKEN_TOPICS, FIRST_TOPICS)
        bot.signal(signal.SIGHUP)
        bot.wait_log(r"SIGHUP: knowledge base reloaded: \d+ facts")
        assert NEW in ask(3)
        assert bot.proc.poll() is None
    assert bot.proc.returncode == 0, bot.log
    assert "Traceback" not in bot.log, bot.log
