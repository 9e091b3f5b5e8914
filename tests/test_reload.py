"""Safe reload of the knowledge base: /reload (admins only) and SIGHUP keep serving the old KB
when the new one is invalid, name file, line and field of every problem, and answers already
running keep the KB object they started with."""

from __future__ import annotations

import signal

import pytest

from knowledge.answer import answer_question
from knowledge.messages import message
from knowledge.render import render_text
from runtime.live import LiveKnowledgeBase
from testkit.bot_runner import (
    ADMIN_ID,
    BotProcess,
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
    before = render_text(answer_question(kb, "", topic="visits"), kb, show_all=True)
    edit_file(kb_dir / "facts.yaml", OLD, NEW)
    fresh, problems = live.reload()
    assert problems == [] and live.current is fresh and fresh is not kb
    assert render_text(answer_question(kb, "", topic="visits"), kb, show_all=True) == before
    assert OLD in before and NEW not in before
    assert NEW in render_text(answer_question(fresh, "", topic="visits"), fresh, show_all=True)

    edit_file(kb_dir / "facts.yaml", FIRST_TOPICS, BROKEN_TOPICS)
    served, problems = live.reload()
    assert served is fresh and live.current is fresh and problems  # the valid KB stays


def test_reload_is_refused_to_non_admins(fake_api, kb_dir) -> None:
    api = fake_api
    live = LiveKnowledgeBase(kb_dir)

    async def main():
        async with running_bot(api, knowledge=live):
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
        async with running_bot(api, knowledge=live):
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
        async with running_bot(api, knowledge=live):
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


# --------------------------------------------------------------------------- commands follow


NEW_TOPIC = """
topics:
  - id: culture
    command: culture
    label: {en: Culture, vi: Văn hoá, ru: Культура}
    description: {en: Cultural exchange, vi: Giao lưu văn hoá, ru: Культурный обмен}
    aliases: {en: [culture], vi: [văn hoá], ru: [культура]}
facts:
  - id: culture-1
    topics: [culture]
    when: "2023-12"
    source: vov-2023-12-06
    text:
      en: "In December 2023 both sides agreed to hold CULTURE days."
      vi: "Tháng 12 năm 2023 hai bên nhất trí tổ chức những ngày văn hoá."
      ru: "В декабре 2023 года стороны договорились провести дни культуры."
"""


def test_a_topic_added_by_reload_answers_its_command_and_joins_the_menus(fake_api, kb_dir):
    api = fake_api
    live = LiveKnowledgeBase(kb_dir)
    assert "vov-2023-12-06" in live.current.sources

    async def main():
        async with running_bot(api, knowledge=live):
            menus_at_start = len(api.calls("setMyCommands"))
            (kb_dir / "culture.yaml").write_text(NEW_TOPIC, encoding="utf-8")
            api.push_update(api.private_message("/reload", ADMIN_ID))
            await api.wait_for_async("sendMessage")
            await api.wait_for_async("setMyCommands", count=menus_at_start + 6)
            api.push_update(api.private_message("/culture", USER))
            await api.wait_for_async("sendMessage", count=2)
            api.push_update(api.private_message("/help", USER))
            await api.wait_for_async("sendMessage", count=3)
            return menus_at_start

    menus_at_start = run(main())
    answer, help_text = texts_to(api, USER)
    assert "CULTURE days" in answer
    assert "/culture – Cultural exchange" in help_text
    republished = api.calls("setMyCommands")[menus_at_start:]
    assert len(republished) == 6
    for call in republished:
        assert "culture" in [c["command"] for c in call.params["commands"]]


def test_a_topic_removed_by_reload_stops_answering(fake_api, kb_dir):
    api = fake_api
    (kb_dir / "culture.yaml").write_text(NEW_TOPIC, encoding="utf-8")
    live = LiveKnowledgeBase(kb_dir)

    async def main():
        async with running_bot(api, knowledge=live):
            api.push_update(api.private_message("/culture", USER))
            await api.wait_for_async("sendMessage")
            (kb_dir / "culture.yaml").unlink()
            api.push_update(api.private_message("/reload", ADMIN_ID))
            await api.wait_for_async("sendMessage", count=2)
            api.push_update(api.private_message("/culture", USER))
            await api.wait_for_async("sendMessage", count=3)

    run(main())
    before, after = texts_to(api, USER)
    assert "CULTURE days" in before and after == message("unknown_command", "en")


# --------------------------------------------------------------------------- SIGHUP


def _catches_sighup(pid: int) -> bool:
    from pathlib import Path

    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGHUP - 1)))


@pytest.mark.slow
def test_sighup_during_start_up_is_carried_out_once_ready(fake_api, kb_dir) -> None:
    import time

    api = fake_api
    api.inject("getMe", "delay", seconds=3)  # start-up is slow: Telegram answers late
    edit_file(kb_dir / "facts.yaml", OLD, NEW)
    with BotProcess(api, {"DIPLOFACTS_KB": str(kb_dir)}) as bot:
        started = time.monotonic()
        while not _catches_sighup(bot.pid):
            assert bot.proc.poll() is None and time.monotonic() - started < 20, bot.log
            time.sleep(0.005)
        assert not api.calls("setMyCommands")  # start-up is not finished
        bot.signal(signal.SIGHUP)
        bot.signal(signal.SIGHUP)  # may merge with the first (the kernel keeps one pending)
        bot.wait_log(r"Bot @\w+ ready")
        bot.wait_log(r"SIGHUP arrived during start-up \([12]×\): reloading now")
        bot.wait_log(r"SIGHUP: knowledge base reloaded: \d+ facts")
        api.push_update(api.private_message(ASK, USER))
        api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == USER, 1, 10)
        assert NEW in texts_to(api, USER)[-1]
    assert bot.proc.returncode == 0, bot.log


def test_a_refused_sighup_reload_tells_the_admins(fake_api, kb_dir) -> None:
    api = fake_api
    facts = kb_dir / "facts.yaml"
    line = line_of(facts, FIRST_TOPICS)
    env = {"DIPLOFACTS_KB": str(kb_dir), "ADMIN_IDS": f"{ADMIN_ID}"}
    with BotProcess(api, env) as bot:
        bot.wait_log(r"Bot @\w+ ready")
        edit_file(facts, FIRST_TOPICS, BROKEN_TOPICS)
        bot.signal(signal.SIGHUP)
        api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == ADMIN_ID, 1, 15)
    [report] = texts_to(api, ADMIN_ID)
    assert report.startswith(message("reload_failed", "en", errors="").strip())
    assert f"{facts}:{line}: facts[0].topics[0]: unknown topic 'no-such-topic'" in report
