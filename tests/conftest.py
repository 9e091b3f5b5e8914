"""Shared fixtures: the loopback Bot API server (testkit/botapi), and the storage tests' two
backends: an SQLite file and a real PostgreSQL server (testkit/pg_server.py)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator

import pytest

from testkit.botapi.fixtures import asyncio_errors, fake_api  # noqa: F401


@pytest.fixture(scope="session")
def postgres_server() -> Iterator:
    """A real PostgreSQL server for the session, started on first use (testkit/pg_server.py)."""
    from testkit.pg_server import start_server

    server = start_server()
    try:
        yield server
    finally:
        server.stop()


class HeldLock:
    """A lock another connection holds until ``seconds`` have passed. ``released`` is set
    just before it lets go, so a write that got through finds it set."""

    def __init__(self, seconds: float, release) -> None:
        self.released = threading.Event()
        self._timer = threading.Timer(seconds, lambda: (self.released.set(), release()))
        self._timer.start()

    def join(self) -> None:
        self._timer.join()


class StorageBackend:
    """One database for a test, of either kind: ``open()`` is one more bot instance on it."""

    def __init__(self, name: str, db_path: str | None, url: str | None) -> None:
        self.name, self.db_path, self.url = name, db_path, url
        self._opened: list = []

    def open(self, **options):
        from runtime.storage import open_storage

        storage = open_storage(self.db_path, self.url, **options)
        self._opened.append(storage)
        return storage

    def config(self) -> dict:
        """``bot_config`` settings for a bot on this database."""
        return {"db_path": self.db_path, "database_url": self.url}

    @contextlib.contextmanager
    def _connection(self):
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as db:
                yield db
        else:
            with contextlib.closing(sqlite3.connect(self.db_path, isolation_level=None)) as db:
                yield db

    def query(self, sql: str) -> list[tuple]:
        with self._connection() as db:
            return [tuple(row) for row in db.execute(sql).fetchall()]

    def rows(self) -> list[tuple]:
        return self.query("SELECT question, lang, count FROM unanswered ORDER BY question")

    def languages(self) -> dict[int, str]:
        return dict(self.query("SELECT user_id, lang FROM preferences"))

    def lock_writes(self, seconds: float) -> HeldLock:
        """Another process holds the write lock for ``seconds``; readers go on reading."""
        if self.url:
            import psycopg

            locker = psycopg.connect(self.url)
            locker.execute("LOCK TABLE preferences, unanswered IN EXCLUSIVE MODE")
            release = locker.rollback
        else:
            locker = sqlite3.connect(self.db_path, isolation_level=None, check_same_thread=False)
            locker.execute("BEGIN EXCLUSIVE")
            release = lambda: locker.execute("ROLLBACK")  # noqa: E731
        return HeldLock(seconds, lambda: (release(), locker.close()))

    def close(self) -> None:
        for storage in self._opened:
            storage.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_backend(request, tmp_path) -> Iterator[StorageBackend]:
    """The same storage test against the SQLite file and against a real PostgreSQL server."""
    if request.param == "sqlite":
        backend = StorageBackend("sqlite", str(tmp_path / "db.sqlite3"), None)
    else:
        server = request.getfixturevalue("postgres_server")
        import psycopg

        with psycopg.connect(server.url, autocommit=True) as db:
            db.execute("DROP TABLE IF EXISTS unanswered, preferences")
        backend = StorageBackend("postgresql", None, server.url)
    try:
        yield backend
    finally:
        backend.close()
