"""The PostgreSQL implementation of the bot's storage (psycopg 3), for several webhook
instances behind a load balancer sharing one database. The same tables and statements as
the SQLite file (runtime/storage.py); psycopg is imported only when DATABASE_URL names a
PostgreSQL server."""

from __future__ import annotations

import contextlib
import logging
import re

import psycopg
from psycopg import errors

from runtime.storage import DURABLE_WRITE_BUDGET, BaseStorage, Gap, StorageUnavailable

log = logging.getLogger("diplofacts.storage")

CONNECT_TIMEOUT = 2  # seconds: an unreachable server must not hold a request for long
# statements never wait long for a lock another instance holds
STATEMENT_TIMEOUT_MS = 1000
SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    count BIGINT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (question, lang)
);
CREATE TABLE IF NOT EXISTS preferences (
    user_id BIGINT PRIMARY KEY,
    lang TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
# instances starting together must not race to create the tables
SCHEMA_LOCK = 0x0D1F_AC75


def _pg(sql: str) -> str:
    """The shared statements use SQLite's ``?`` placeholders; psycopg wants ``%s``."""
    return sql.replace("?", "%s")


def redact(url: str) -> str:
    """``url`` without its password, for log lines and error messages."""
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", url)


def _connect(url: str) -> psycopg.Connection:
    return psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT,
        options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        application_name="diplofacts",
    )


class PostgresStorage(BaseStorage):
    """The database at ``url`` (postgresql://user:password@host:port/dbname?…)."""

    Error = psycopg.Error

    def __init__(self, url: str, *, durable_write_budget: float = DURABLE_WRITE_BUDGET) -> None:
        super().__init__(durable_write_budget=durable_write_budget)
        self.url: str | None = url
        self.label = redact(url)
        try:
            with contextlib.closing(self._connect()) as db, db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                db.execute(SCHEMA)
        except psycopg.Error as exc:
            log.error("database %s unusable, running without it: %s", self.label, exc)
            self.url = None
            return
        self._start_writer()

    @property
    def enabled(self) -> bool:
        return self.url is not None

    def _connect(self) -> psycopg.Connection:
        return _connect(self.url)

    def _execute_in_transaction(self, db, sql: str, params: tuple) -> None:
        with db.transaction():
            db.execute(_pg(sql), params)

    def _query(self, db, sql: str, params: tuple) -> list[tuple]:
        return list(db.execute(_pg(sql), params).fetchall())

    def _is_broken(self, db) -> bool:
        return db is None or db.closed or db.broken

    def _is_transient(self, error: Exception) -> bool:
        # the server is unreachable or restarting, a lock timed out, two writers collided;
        # not: read-only, no such table, permission denied
        return isinstance(
            error,
            psycopg.OperationalError
            | errors.LockNotAvailable
            | errors.QueryCanceled
            | errors.SerializationFailure
            | errors.DeadlockDetected,
        ) and not isinstance(error, errors.InsufficientPrivilege | errors.ReadOnlySqlTransaction)


def read_gaps(url: str, limit: int = 20) -> list[Gap] | None:
    """The most frequent unanswered questions at ``url``, read only: nothing is created (None
    when the bot has not created its tables there yet); StorageUnavailable when the server
    cannot be reached or read."""
    from runtime.storage import GAPS_QUERY

    try:
        with contextlib.closing(_connect(url)) as db:
            db.execute("SET default_transaction_read_only = on")
            exists = db.execute("SELECT to_regclass('unanswered')").fetchone()[0]
            if exists is None:
                return None
            return [Gap(*row) for row in db.execute(_pg(GAPS_QUERY), (limit,)).fetchall()]
    except psycopg.Error as exc:
        raise StorageUnavailable(str(exc).strip()) from None
