"""The unanswered-question log (runtime/storage.py): what it keeps and what not, the
``gaps`` command line and /gaps, DIPLOFACTS_DB=off, and that a locked, read-only or killed
database never delays or fails a reply nor loses a committed row."""

from __future__ import annotations

import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.answer import answer_question
from knowledge.messages import message
from knowledge.model import AnswerKind
from runtime.config import BotConfig
from runtime.live import LiveKnowledgeBase
from runtime.storage import Storage
from testkit.bot_runner import ADMIN_ID, ROOT, bot_py, run, running_bot, texts_to

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

UNKNOWN = "What about football?"
UNKNOWN_RU = "коммерция"
SUGGEST = "tell me more"
FOREIGN = "France trade"
FACTS = "trade in 2011"
GREETING = "hello"


def expect_kind(question: str, kind: AnswerKind) -> None:
    kb = LiveKnowledgeBase().current
    assert answer_question(kb, question).kind is kind, f"precondition: {question!r} → {kind}"


def log_holding(path: Path, *questions: str) -> Path:
    """An unanswered-question log at ``path`` that already holds ``questions`` (English)."""
    storage = Storage(path)
    for question in questions:
        storage.record_unanswered(question, "en")
    storage.close()
    return path


def rows(path, sql: str = "SELECT question, lang, count FROM unanswered ORDER BY question"):
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


# --------------------------------------------------------------------------- what is kept


def test_the_bot_logs_only_questions_it_could_not_answer(fake_api, tmp_path) -> None:
    for question, kind in [
        (UNKNOWN, AnswerKind.UNKNOWN),
        (UNKNOWN_RU, AnswerKind.UNKNOWN),
        (SUGGEST, AnswerKind.SUGGESTIONS),
        (FOREIGN, AnswerKind.OUT_OF_SCOPE),
        (FACTS, AnswerKind.FACTS),
        (GREETING, AnswerKind.GREETING),
    ]:
        expect_kind(question, kind)
    api = fake_api
    path = tmp_path / "log.sqlite3"
    asker, russian = 987654321, 876543219
    api.declare_user(russian, "Ivan", language_code="ru")
    asked = [UNKNOWN, SUGGEST, FOREIGN, FACTS, GREETING, UNKNOWN.upper()]

    async def main():
        async with running_bot(api, db_path=str(path)):
            for text in asked:
                api.push_update(api.private_message(text, asker))
            api.push_update(api.private_message(UNKNOWN_RU, russian))
            await api.wait_for_async("sendMessage", count=len(asked) + 1)
            api.push_update(api.private_message("/gaps", asker))  # not an admin
            await api.wait_for_async("sendMessage", lambda r: r.get_int("chat_id") == asker, 7)
            api.push_update(api.private_message("/gaps", ADMIN_ID))
            await api.wait_for_async("sendMessage", lambda r: r.get_int("chat_id") == ADMIN_ID)

    run(main())
    assert rows(path) == [
        ("france trade", "en", 1),
        ("tell me more", "en", 1),
        ("what about football", "en", 2),
        ("коммерция", "ru", 1),
    ]
    assert texts_to(api, asker)[-1] == message("not_admin", "en")
    [listing] = texts_to(api, ADMIN_ID)
    assert listing.splitlines()[:2] == [
        message("gaps_title", "en"),
        "2× [en] what about football",
    ]
    assert "1× [ru] коммерция" in listing.splitlines()
    # nothing in the database says who asked
    with sqlite3.connect(path) as db:
        dump = "\n".join(db.iterdump())
    assert str(asker) not in dump and str(russian) not in dump


def test_gaps_command_line(tmp_path) -> None:
    path = log_holding(tmp_path / "log.sqlite3", UNKNOWN, UNKNOWN, SUGGEST)

    def gaps(db: str) -> str:
        done = bot_py("gaps", env={**os.environ, "DIPLOFACTS_DB": db})
        assert done.returncode == 0, done.stderr
        return done.stdout

    lines = gaps(str(path)).splitlines()
    assert lines[0].startswith("    2  en  what about football  (first ")
    assert lines[1].startswith("    1  en  tell me more  (first ")
    assert gaps("off").strip() == "the unanswered-question log is off (DIPLOFACTS_DB=off)"
    # only reads: neither a directory nor a database is created
    empty = tmp_path / "new" / "empty.sqlite3"
    assert (
        gaps(str(empty)).strip() == f"{empty}: no unanswered questions recorded (no database yet)"
    )
    assert not empty.parent.exists()
    Storage(empty).close()  # created by the bot, never written to
    before = empty.read_bytes()
    assert gaps(str(empty)).strip() == f"{empty}: no unanswered questions recorded"
    assert empty.read_bytes() == before


def test_off_disables_the_log(fake_api, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # the default database would be ./data/diplofacts.sqlite3
    config = BotConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "DIPLOFACTS_DB": "off"})
    assert config.db_path is None
    assert BotConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "DIPLOFACTS_DB": "a.db"}).db_path == (
        "a.db"
    )
    api = fake_api

    async def main():
        async with running_bot(api, db_path=config.db_path) as app:
            assert not app.bot_data["services"].storage.enabled
            api.push_update(api.private_message(UNKNOWN))
            api.push_update(api.private_message("/gaps", ADMIN_ID))
            await api.wait_for_async("sendMessage", count=2)

    run(main())
    assert texts_to(api, ADMIN_ID) == [message("gaps_empty", "en")]
    assert list(tmp_path.iterdir()) == []  # no database file anywhere


# --------------------------------------------------------------------------- faults


async def ask_each(api, users: range, text: str) -> list:
    """Ask ``text`` from each user in turn; the reply each got (failing if one got none)."""
    replies = []
    for user in users:
        api.push_update(api.private_message(text, user))
        [reply] = await api.wait_for_async(
            "sendMessage", lambda r, u=user: r.get_int("chat_id") == u, timeout=5
        )
        replies.append(reply)
    return replies


def answered(replies: list) -> bool:
    """Every one of ``replies`` is the answer (sent fine), none the apology for an error."""
    texts = {r.params["text"] for r in replies}
    return all(r.ok for r in replies) and len(texts) == 1 and message("error", "en") not in texts


def test_a_locked_database_never_delays_a_reply(fake_api, tmp_path, caplog) -> None:
    api = fake_api
    path = log_holding(tmp_path / "log.sqlite3", "asked before the lock")
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    locker.execute("INSERT INTO unanswered VALUES ('held', 'en', 1, 'x', 'x')")

    async def main():
        async with running_bot(api, db_path=str(path)) as app:
            storage = app.bot_data["services"].storage
            locked = await ask_each(api, range(2001, 2009), UNKNOWN)
            # each write waits out the lock (1 s, then skipped): eight answers, and their
            # writes are still queued, so no answer waited for its write
            pending_after_answers = not storage.flush(0)
            # /gaps waits (a bounded time, off the event loop) for the queued writes; others'
            # answers keep coming meanwhile
            api.push_update(api.private_message("/gaps", ADMIN_ID))
            meanwhile = await ask_each(api, range(2101, 2104), UNKNOWN)
            [gaps] = await api.wait_for_async(
                "sendMessage", lambda r: r.get_int("chat_id") == ADMIN_ID, timeout=10
            )
            pending_after_gaps = not storage.flush(0)
            locker.execute("ROLLBACK")
            unlocked = await ask_each(api, range(2201, 2203), UNKNOWN)
            return locked, pending_after_answers, meanwhile, gaps, pending_after_gaps, unlocked

    with caplog.at_level(logging.WARNING, logger="diplofacts.storage"):
        locked, pending_after_answers, meanwhile, gaps, pending_after_gaps, unlocked = run(main())
    locker.close()
    assert answered(locked) and pending_after_answers
    assert answered(meanwhile) and all(r.time < gaps.time for r in meanwhile)
    assert pending_after_gaps  # /gaps answered without waiting for every stuck write
    assert answered(unlocked)
    # the reply to /gaps came from what could be read: the rows committed before the lock
    assert "asked before the lock" in texts_to(api, ADMIN_ID)[0]
    skipped = [r for r in caplog.records if "database write skipped" in r.getMessage()]
    assert skipped and all("locked" in r.getMessage() for r in skipped)
    assert skipped[0].levelno == logging.WARNING
    # after the lock is gone, writing works again
    time.sleep(0.2)
    deadline = time.monotonic() + 10
    while ("what about football", "en") not in [r[:2] for r in rows(path)]:
        assert time.monotonic() < deadline, rows(path)
        time.sleep(0.1)


class ReadOnlyStorage(Storage):
    """Storage whose database file cannot be written (as chmod 444 does for a non-root
    user; the tests may run as root, which ignores file modes)."""

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            f"file:{self.path}?mode=ro", uri=True, timeout=1.0, isolation_level=None
        )
        db.execute("PRAGMA journal_mode=WAL")
        return db


def test_a_read_only_database_never_fails_a_reply(fake_api, tmp_path, caplog) -> None:
    api = fake_api
    path = log_holding(tmp_path / "log.sqlite3", "asked before")
    if os.geteuid() != 0:
        path.chmod(0o444)
        storage = Storage(path)
    else:
        storage = ReadOnlyStorage(path)

    async def main():
        async with running_bot(api, storage=storage):
            replies = await ask_each(api, range(3001, 3006), UNKNOWN)
            api.push_update(api.private_message("/lang vi", 3001))  # a preference write
            api.push_update(api.private_message("/gaps", ADMIN_ID))
            await api.wait_for_async("sendMessage", count=7)
            return replies

    with caplog.at_level(logging.WARNING, logger="diplofacts.storage"):
        replies = run(main())
    assert answered(replies)
    # a read-only database will not change: the user is told the choice did not stick
    assert texts_to(api, 3001)[-1] == message("lang_not_saved", "vi")
    assert storage.language_of(3001) is None
    assert "asked before" in texts_to(api, ADMIN_ID)[0]
    assert any("readonly database" in r.getMessage() for r in caplog.records)
    assert rows(path) == [("asked before", "en", 1)]


def test_an_unusable_database_path_runs_without_the_log(fake_api, caplog) -> None:
    api = fake_api
    with caplog.at_level(logging.ERROR, logger="diplofacts.storage"):

        async def main():
            async with running_bot(api, db_path="/proc/no-such-dir/log.sqlite3") as app:
                assert not app.bot_data["services"].storage.enabled
                return await ask_each(api, range(4001, 4003), UNKNOWN)

        replies = run(main())
    assert answered(replies)
    assert any("unusable, running without it" in r.getMessage() for r in caplog.records)


# --------------------------------------------------------------------------- kill -9

WRITER = """
import sys
from runtime.storage import Storage

storage = Storage(sys.argv[1])
n = int(sys.argv[2])
while True:
    for _ in range(7):
        storage.record_unanswered(f"burst question {n}", "en")
        n += 1
    storage.flush()  # everything up to n is committed
    sys.stdout.write(f"{n}\\n")
    sys.stdout.flush()
"""


def test_kill_9_mid_burst_loses_no_committed_row(tmp_path) -> None:
    path = tmp_path / "log.sqlite3"
    rng = random.Random(20240607)
    committed = 0
    for _ in range(4):
        start = committed
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(start)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            wanted = rng.randint(20, 80)
            for _ in range(wanted):
                line = child.stdout.readline()
                assert line, "the writer died on its own"
                committed = int(line)
            time.sleep(rng.random() * 0.005)  # land somewhere inside the next transaction
            child.send_signal(signal.SIGKILL)
            child.wait(10)
            rest = child.stdout.read().split()  # flushed before the kill: committed too
            committed = int(rest[-1]) if rest else committed
        finally:
            if child.poll() is None:
                child.kill()
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            present = {q for (q,) in db.execute("SELECT question FROM unanswered")}
        missing = [n for n in range(committed) if f"burst question {n}" not in present]
        assert not missing, f"{len(missing)} committed rows lost, e.g. {missing[:5]}"
        assert committed > start
    # and the bot can keep using the file
    storage = Storage(path)
    assert storage.enabled and storage.top_gaps(1)
    storage.close()
