"""Writes that matter to a user stick, or the user is told: a /lang choice made while the
database is locked is retried (off the event loop) until the lock goes, or, past its budget,
the user hears it did not stick. Dropped unanswered-log writes are counted in the log, and
/gaps says when the database cannot be read. End to end against the loopback Bot API."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading

import pytest

from knowledge.messages import message
from runtime.storage import Storage
from testkit.bot_runner import ADMIN_ID, bot_py, run, running_bot, texts_to

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

USERS = range(4001, 4031)  # 30 users


def lock_for(path, seconds: float) -> threading.Thread:
    """Another process's write lock on the database for ``seconds``."""
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN EXCLUSIVE")
    thread = threading.Timer(seconds, lambda: (locker.execute("ROLLBACK"), locker.close()))
    thread.start()
    return thread


def stored_languages(path) -> dict[int, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT user_id, lang FROM preferences"))


@pytest.mark.slow
def test_lang_choices_made_during_a_lock_stick_once_it_goes(fake_api, tmp_path) -> None:
    api = fake_api
    path = tmp_path / "db.sqlite3"
    Storage(path).close()  # the schema exists
    unlock = lock_for(path, 3.0)

    async def main():
        async with running_bot(api, db_path=str(path)):
            for user in USERS:
                api.push_update(api.private_message("/lang ru", user))
            api.push_update(api.private_message("trade in 2011", 4999))  # meanwhile
            await api.wait_for_async("sendMessage", lambda r: r.get_int("chat_id") == 4999)
            answered_during_lock = unlock.is_alive()
            await api.wait_for_async("sendMessage", count=len(USERS) + 1, timeout=30)
            return answered_during_lock

    answered_during_lock = run(main(), timeout=60)
    unlock.join()
    assert answered_during_lock  # the event loop was never blocked by the lock
    assert [texts_to(api, u) for u in USERS] == [[message("lang_set", "ru")]] * len(USERS)
    assert stored_languages(path) == {u: "ru" for u in USERS}


@pytest.mark.slow
def test_a_lang_choice_that_did_not_stick_is_reported(fake_api, tmp_path, caplog) -> None:
    api = fake_api
    path = tmp_path / "db.sqlite3"
    storage = Storage(path, durable_write_budget=1.5)
    unlock = lock_for(path, 6.0)

    async def main():
        async with running_bot(api, storage=storage):
            api.push_update(api.private_message("/lang vi", 4100))
            await api.wait_for_async("sendMessage", timeout=15)
            api.push_update(api.private_message("/lang", 4100))
            await api.wait_for_async("sendMessage", count=2, timeout=15)

    with caplog.at_level(logging.WARNING, logger="diplofacts.storage"):
        run(main())
    unlock.join()
    not_saved, shown = texts_to(api, 4100)
    assert not_saved == message("lang_not_saved", "vi")
    assert shown == message("lang_show", "en", lang=message("lang_auto", "en"))
    assert stored_languages(path) == {}
    assert any("did not stick" in r.getMessage() for r in caplog.records)


@pytest.mark.slow
def test_dropped_log_writes_are_counted_and_gaps_says_when_it_cannot_read(
    fake_api, tmp_path, caplog
) -> None:
    api = fake_api
    path = tmp_path / "db.sqlite3"
    storage = Storage(path)
    unlock = lock_for(path, 4.0)

    async def main():
        async with running_bot(api, storage=storage):
            for user in range(4200, 4203):
                api.push_update(api.private_message("what about football?", user))
            await api.wait_for_async("sendMessage", count=3)
            await asyncio.to_thread(storage.flush, 10)
            path.write_bytes(b"this is not a database" * 100)  # the file is ruined
            for suffix in ("-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            api.push_update(api.private_message("/gaps", ADMIN_ID))
            await api.wait_for_async("sendMessage", count=4, timeout=10)

    with caplog.at_level(logging.WARNING, logger="diplofacts.storage"):
        run(main(), timeout=60)
    unlock.join()
    assert storage.dropped_writes == 3
    [report] = [r.getMessage() for r in caplog.records if "write skipped" in r.getMessage()]
    assert "1 unanswered-log writes dropped since the last report, 1 in all" in report
    assert texts_to(api, ADMIN_ID) == [message("gaps_unreadable", "en")]
    ruined = tmp_path / "ruined.sqlite3"
    ruined.write_bytes(b"this is not a database" * 100)
    done = bot_py("gaps", env={"PATH": "/usr/bin:/bin", "DIPLOFACTS_DB": str(ruined)})
    assert done.returncode == 1 and "cannot be read" in done.stderr
