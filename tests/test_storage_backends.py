"""One storage suite, two backends: every test here runs against the SQLite file and against
a real PostgreSQL server the tests start (testkit/pg_server.py), through the same interface
(runtime/storage.py, runtime/pg_storage.py). Several ``open()`` calls on one backend are
several bot instances sharing the database, as behind a load balancer."""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest

import runtime.storage as storage_module
from knowledge.messages import message
from runtime.config import BotConfig, ConfigError
from runtime.pg_storage import PostgresStorage
from testkit.bot_runner import bot_py, run, running_bot, texts_to
from testkit.ports import free_port

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)


def test_questions_are_normalised_counted_and_dated(storage_backend, monkeypatch) -> None:
    clock = iter(
        ["2024-01-01T10:00:00+00:00", "2024-01-02T11:00:00+00:00", "2024-01-03", "2024-01-04"]
    )
    monkeypatch.setattr(storage_module, "_now", lambda: next(clock))
    storage = storage_backend.open()
    storage.record_unanswered("  What about FOOTBALL?? ", "en")
    storage.record_unanswered("what about football", "en")
    storage.record_unanswered("Что насчёт ФУТБОЛА?", "ru")
    storage.record_unanswered("   ", "en")  # nothing left after normalising: not recorded
    storage.record_unanswered("x" * 1000, "en")
    gaps = storage.top_gaps()
    first = gaps[0]
    assert (first.question, first.lang, first.count) == ("what about football", "en", 2)
    assert (first.first_seen, first.last_seen) == (
        "2024-01-01T10:00:00+00:00",
        "2024-01-02T11:00:00+00:00",
    )
    assert {(g.question, g.lang) for g in gaps[1:]} == {
        ("что насчет футбола", "ru"),
        ("x" * storage_module.MAX_QUESTION_CHARS, "en"),
    }
    assert [g.question for g in storage.top_gaps(1)] == ["what about football"]


def test_no_table_ties_a_question_to_a_person(storage_backend) -> None:
    storage_backend.open().close()
    if storage_backend.url:
        listing = storage_backend.query(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        )
    else:
        tables = [t for (t,) in storage_backend.query("SELECT name FROM sqlite_master")]
        listing = [
            (t, c[1]) for t in tables for c in storage_backend.query(f"PRAGMA table_info({t})")
        ]
    columns: dict[str, list[str]] = {}
    for table, column in listing:
        columns.setdefault(table, []).append(column)
    assert columns == {
        "unanswered": ["question", "lang", "count", "first_seen", "last_seen"],
        "preferences": ["user_id", "lang", "updated"],
    }


def test_instances_share_the_unanswered_log(storage_backend) -> None:
    one, two = storage_backend.open(), storage_backend.open()
    for n in range(5):
        (one if n % 2 else two).record_unanswered("What about football?", "en")
    two.record_unanswered("tell me more", "vi")
    assert one.flush(10) and two.flush(10)
    assert storage_backend.rows() == [("tell me more", "vi", 1), ("what about football", "en", 5)]
    assert [(g.question, g.count) for g in one.top_gaps()] == [
        ("what about football", 5),
        ("tell me more", 1),
    ]


def test_a_lang_choice_is_read_per_request_so_instances_agree(storage_backend) -> None:
    one, two = storage_backend.open(), storage_backend.open()
    assert one.language_of(5001) is None and two.language_of(5001) is None  # both read now
    assert one.set_language(5001, "ru")
    assert two.language_of(5001) == "ru"  # stored through the other instance: seen at once
    assert two.set_language(5001, "vi")
    assert one.language_of(5001) == "vi"  # no stale copy anywhere
    huge = 8_123_456_789  # Telegram user ids exceed 32 bits
    assert one.set_language(huge, "en")
    assert storage_backend.languages() == {5001: "vi", huge: "en"}
    three = storage_backend.open()  # a new instance (or a restart)
    assert three.language_of(5001) == "vi" and three.language_of(huge) == "en"


def test_a_lang_choice_made_during_a_lock_sticks_once_it_goes(storage_backend) -> None:
    storage = storage_backend.open()
    lock = storage_backend.lock_writes(2.0)
    assert storage.language_of(5002) is None  # reading goes on during the lock
    assert not lock.released.is_set()  # ... while the lock is still held
    assert storage.set_language(5002, "ru")
    assert lock.released.is_set()  # it waited for the lock, then stuck
    lock.join()
    assert storage_backend.languages() == {5002: "ru"}


def test_a_lang_choice_past_its_budget_did_not_stick(storage_backend, caplog) -> None:
    storage = storage_backend.open(durable_write_budget=1.5)
    unlock = storage_backend.lock_writes(4.0)
    with caplog.at_level(logging.WARNING, logger="diplofacts.storage"):
        assert storage.set_language(5003, "vi") is False
    unlock.join()
    assert storage.language_of(5003) is None
    assert storage_backend.languages() == {}
    assert any("did not stick" in r.getMessage() for r in caplog.records)


def test_a_running_bot_sees_a_choice_made_through_another_instance(
    fake_api, storage_backend
) -> None:
    api = fake_api
    other = storage_backend.open()  # another instance behind the load balancer
    user = 5004

    async def main():
        async with running_bot(api, **storage_backend.config()):
            api.push_update(api.private_message("/lang", user))
            await api.wait_for_async("sendMessage", count=1)
            await asyncio_to_thread(other.set_language, user, "ru")
            api.push_update(api.private_message("/lang", user))
            await api.wait_for_async("sendMessage", count=2)
            await asyncio_to_thread(other.set_language, user, "vi")
            api.push_update(api.private_message("/lang", user))
            await api.wait_for_async("sendMessage", count=3)
            api.push_update(api.private_message("/lang en", user))  # through this instance
            await api.wait_for_async("sendMessage", count=4)

    run(main())
    assert texts_to(api, user) == [
        message("lang_show", "en", lang=message("lang_auto", "en")),
        message("lang_show", "ru", lang="ru"),
        message("lang_show", "vi", lang="vi"),
        message("lang_set", "en"),
    ]
    assert other.language_of(user) == "en"


async def asyncio_to_thread(function, *args):
    import asyncio

    return await asyncio.to_thread(function, *args)


def test_gaps_command_line_reads_either_database(storage_backend) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DIPLOFACTS_DB", "DATABASE_URL")}
    env["DATABASE_URL"] = storage_backend.url or f"sqlite:///{storage_backend.db_path}"
    nothing = "no unanswered questions recorded (no database yet)"

    def gaps() -> str:
        done = bot_py("gaps", env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert gaps().strip().endswith(nothing)  # read only: nothing was created
    if storage_backend.url:
        tables = "SELECT count(*) FROM information_schema.tables WHERE table_name = 'unanswered'"
        assert storage_backend.query(tables) == [(0,)]
    else:
        assert not os.path.exists(storage_backend.db_path)
    storage = storage_backend.open()
    for question in ["What about football?", "what about football", "tell me more"]:
        storage.record_unanswered(question, "en")
    storage.flush(10)
    lines = gaps().splitlines()
    assert lines[0].startswith("    2  en  what about football  (first ")
    assert lines[1].startswith("    1  en  tell me more  (first ")


def test_the_backends_writer_keeps_up_with_a_burst(storage_backend) -> None:
    """Measured, not asserted tightly: the unanswered log's writer thread drains 500
    questions in well under the time their answers take."""
    storage = storage_backend.open()
    started = time.monotonic()
    for n in range(500):
        storage.record_unanswered(f"burst question {n % 50}", "en")
    assert storage.flush(60)
    elapsed = time.monotonic() - started
    assert storage.dropped_writes == 0
    assert sum(count for _, _, count in storage_backend.rows()) == 500
    reads = time.monotonic()
    for n in range(200):
        storage.language_of(n)
    per_read = (time.monotonic() - reads) / 200
    name = storage_backend.name
    print(f"{name}: 500 writes in {elapsed:.2f} s; language_of {per_read * 1e3:.3f} ms")


# --------------------------------------------------------------------------- PostgreSQL only


def test_an_unreachable_server_runs_without_the_database(fake_api, caplog) -> None:
    url = f"postgresql://bot:secret@127.0.0.1:{free_port()}/nowhere"
    with caplog.at_level(logging.ERROR, logger="diplofacts.storage"):
        storage = PostgresStorage(url)
    assert not storage.enabled
    [record] = [r.getMessage() for r in caplog.records if "unusable" in r.getMessage()]
    assert "secret" not in record and "bot:***@" in record
    assert storage.set_language(1, "vi") and storage.language_of(1) == "vi"  # in memory
    storage.close()


def test_a_server_that_goes_away_costs_no_reply_and_comes_back(postgres_server, caplog) -> None:
    """The connection language_of and the writer hold is cut (as by a server restart or a
    failover): reads answer None meanwhile, writes are counted as dropped, and the next
    request reconnects."""
    import psycopg

    with psycopg.connect(postgres_server.url, autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS unanswered, preferences")
    storage = PostgresStorage(postgres_server.url)
    try:
        assert storage.set_language(6001, "ru") and storage.language_of(6001) == "ru"
        storage.record_unanswered("before", "en")
        assert storage.flush(10)
        with psycopg.connect(postgres_server.url, autocommit=True) as db:
            db.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'diplofacts' AND pid <> pg_backend_pid()"
            )
        with caplog.at_level(logging.WARNING, logger="diplofacts.storage"):
            first = storage.language_of(6001)  # the cut connection: None, or a fresh read
            storage.record_unanswered("during", "en")
            storage.flush(10)
        assert first in (None, "ru")
        assert storage.language_of(6001) == "ru"  # reconnected
        storage.record_unanswered("after", "en")
        assert storage.flush(10)
        questions = {g.question for g in storage.top_gaps()}
        assert {"before", "after"} <= questions
    finally:
        storage.close()


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("mysql://u:pw@h/db", "must be sqlite:///path or postgresql://"),
        ("sqlite:///", "must name a file after sqlite:///"),
        ("postgresql://u:pw@h:99999/db", "invalid port"),
        ("postgresql://u:pw@h/", "must name the database"),
        ("postgresql://u:pw@h/db?nonsense=1", "not a valid PostgreSQL URL"),
    ],
)
def test_database_url_rules(value, complaint) -> None:
    with pytest.raises(ConfigError) as error:
        BotConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": value})
    text = str(error.value)
    assert text.startswith("DATABASE_URL") and complaint in text and "pw" not in text
    assert "\n" not in text


def test_database_url_choices() -> None:
    def chosen(**env):
        config = BotConfig.from_env({"TELEGRAM_BOT_TOKEN": "1:x", **env})
        return config.db_path, config.database_url

    assert chosen() == ("data/diplofacts.sqlite3", None)  # the default, as before
    assert chosen(DIPLOFACTS_DB="a.db") == ("a.db", None)
    assert chosen(DIPLOFACTS_DB="off") == (None, None)
    assert chosen(DATABASE_URL="sqlite:///a.db") == ("a.db", None)
    assert chosen(DATABASE_URL="sqlite:////srv/a.db") == ("/srv/a.db", None)
    url = "postgresql://bot:pw@db.internal:5432/diplofacts?sslmode=require"
    assert chosen(DATABASE_URL=url) == (None, url)
    assert chosen(DATABASE_URL="postgres://db/x") == (None, "postgres://db/x")
    with pytest.raises(ConfigError, match="both set"):
        chosen(DATABASE_URL="sqlite:///a.db", DIPLOFACTS_DB="b.db")


def test_no_thread_is_left_behind(storage_backend) -> None:
    before = threading.active_count()
    storage_backend.open().close()
    assert threading.active_count() <= before


def test_an_unreachable_server_is_not_retried_on_every_read(postgres_server) -> None:
    """language_of runs on the event loop: once the server cannot be reached it answers None
    at once for READ_RETRY_PAUSE seconds instead of waiting on a connection per update."""
    storage = PostgresStorage(postgres_server.url)
    try:
        assert storage.set_language(6101, "vi") and storage.language_of(6101) == "vi"
        storage.url = f"postgresql://postgres@127.0.0.1:{free_port()}/gone"  # the server went
        storage._close_reader()
        connects = []
        real_connect = storage._connect
        storage._connect = lambda: (connects.append(1), real_connect())[1]
        assert storage.language_of(6101) is None
        assert [storage.language_of(6101) for _ in range(100)] == [None] * 100
        assert len(connects) == 1
    finally:
        storage.close()
