"""The bot's database: questions it could not answer, and users' reply language.

One interface (``BaseStorage``), two implementations: ``Storage``, the embedded SQLite file
(the default), and ``PostgresStorage`` (runtime/pg_storage.py), a PostgreSQL server that
several webhook instances share. ``open_storage`` picks one from the settings. Nothing
user-specific is cached: a /lang choice is read from the database on every request (one
primary-key lookup), so every instance sees a choice made through any other.

Writes go through one background thread, so a slow, locked or read-only database never
delays or fails a reply: a failed write is logged and skipped. The unanswered-question
log keeps no user or chat ids: only the normalised question, its language, a count and
when it was first and last seen.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from knowledge.normalize import fold

log = logging.getLogger("diplofacts.storage")

DB_ENV = "DIPLOFACTS_DB"
DEFAULT_DB = Path("data") / "diplofacts.sqlite3"
MAX_QUESTION_CHARS = 200
FLUSH_TIMEOUT = 2.0  # seconds top_gaps waits for pending writes
# A /lang choice is retried this long while the database is locked (the user waits for the
# confirmation meanwhile), then the user is told it did not stick.
DURABLE_WRITE_BUDGET = 10.0
DURABLE_RETRY_PAUSE = 0.25  # seconds between attempts (each also waits out the busy timeout)
# a /lang choice that could not be read (the database unreachable) is not tried again for
# this long: the reply meanwhile uses the Telegram app's language
READ_RETRY_PAUSE = 5.0
DROP_LOG_INTERVAL = 10.0  # seconds: dropped unanswered-log writes are summed up this often
_SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (question, lang)
);
CREATE TABLE IF NOT EXISTS preferences (
    user_id INTEGER PRIMARY KEY,
    lang TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
_STOP = object()


@dataclass(frozen=True, slots=True)
class Gap:
    question: str
    lang: str
    count: int
    first_seen: str
    last_seen: str


def db_path_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """The database path: $DIPLOFACTS_DB, ``off`` to disable, default ./data/."""
    value = (os.environ if env is None else env).get(DB_ENV, "").strip()
    if value.lower() == "off":
        return None
    return value or str(DEFAULT_DB)


class StorageUnavailable(Exception):
    """The database could not be read (locked, corrupt, gone): not the same as "empty"."""


GAPS_QUERY = (
    "SELECT question, lang, count, first_seen, last_seen FROM unanswered "
    "ORDER BY count DESC, last_seen DESC LIMIT ?"
)


def read_gaps(path: str, limit: int = 20) -> list[Gap] | None:
    """The most frequent unanswered questions in the database at ``path``, opened read-only:
    nothing is created (None when there is no database yet); StorageUnavailable when the file
    is not a database this bot wrote, or cannot be read."""
    if not Path(path).exists():
        return None
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=1.0)) as db:
            return [Gap(*row) for row in db.execute(GAPS_QUERY, (limit,)).fetchall()]
    except sqlite3.Error as exc:
        raise StorageUnavailable(str(exc)) from None


def _transient(error: sqlite3.Error) -> bool:
    """A lock that another writer will release; not a read-only or broken database."""
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


RECORD_UNANSWERED = (
    "INSERT INTO unanswered (question, lang, count, first_seen, last_seen) "
    "VALUES (?, ?, 1, ?, ?) ON CONFLICT (question, lang) "
    "DO UPDATE SET count = unanswered.count + 1, last_seen = excluded.last_seen"
)
SET_LANGUAGE = (
    "INSERT INTO preferences (user_id, lang, updated) VALUES (?, ?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, updated = excluded.updated"
)
LANGUAGE_OF = "SELECT lang FROM preferences WHERE user_id = ?"


class BaseStorage:
    """What the bot asks of its database, whichever it is. Subclasses say how to connect,
    create the schema, write one statement in a transaction and which errors are transient;
    the queueing, retries, drop counting and read-per-request live here."""

    #: the driver's base exception: anything it raises is a database failure, never a crash
    Error: type[Exception] = Exception
    #: a description of the database for log lines (never a password)
    label: str = "database"

    def __init__(self, *, durable_write_budget: float = DURABLE_WRITE_BUDGET) -> None:
        self.durable_write_budget = durable_write_budget  # seconds a /lang write may retry
        self._queue: queue.Queue = queue.Queue(maxsize=10_000)
        self._thread: threading.Thread | None = None
        self._preferences: dict[int, str] = {}  # only when there is no database at all
        self._reader = None  # the connection language_of reads with, opened on first use
        self._reader_lock = threading.Lock()
        self.dropped_writes = 0  # unanswered-log writes lost to a locked or broken database
        self._dropped_unlogged = 0
        self._drop_logged_at = float("-inf")
        self._read_failed_at = float("-inf")
        self._reader_retry_at = float("-inf")

    # ----------------------------------------------------------------- what subclasses say

    @property
    def enabled(self) -> bool:
        raise NotImplementedError

    def _connect(self):
        """A new connection (in autocommit mode: transactions are explicit)."""
        raise NotImplementedError

    def _execute_in_transaction(self, db, sql: str, params: tuple) -> None:
        """Run one write in its own transaction; committed when this returns."""
        raise NotImplementedError

    def _is_transient(self, error: Exception) -> bool:
        """A failure that waiting may cure (a lock, a connection drop, a restart)."""
        raise NotImplementedError

    def _query(self, db, sql: str, params: tuple) -> list[tuple]:
        return list(db.execute(sql, params).fetchall())

    def _start_writer(self) -> None:
        self._thread = threading.Thread(target=self._write_loop, name="db-writer", daemon=True)
        self._thread.start()

    # ----------------------------------------------------------------- the unanswered log

    def _submit(self, sql: str, params: tuple) -> None:
        if self._thread is None:
            return
        try:
            self._queue.put_nowait((sql, params))
        except queue.Full:
            self._dropped("the database writer is behind")

    def _write_loop(self) -> None:
        db = None
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            try:
                if db is None:
                    db = self._connect()
                # one transaction per write: committed rows survive a kill
                self._execute_in_transaction(db, *item)
            except self.Error as exc:
                self._dropped(str(exc).strip())
                if self._is_broken(db):
                    with contextlib.suppress(Exception):
                        db.close()
                    db = None
            finally:
                self._queue.task_done()
        if db is not None:
            with contextlib.suppress(Exception):
                db.close()

    def _is_broken(self, db) -> bool:
        """Whether a connection must be replaced after a failure (SQLite's never need to)."""
        return False

    def _dropped(self, reason: str) -> None:
        """Count a lost unanswered-log write; log the count at most every 10 s."""
        self.dropped_writes += 1
        self._dropped_unlogged += 1
        now = time.monotonic()
        if now - self._drop_logged_at >= DROP_LOG_INTERVAL:
            log.warning(
                "database write skipped: %s (%d unanswered-log writes dropped since the last "
                "report, %d in all)",
                reason,
                self._dropped_unlogged,
                self.dropped_writes,
            )
            self._dropped_unlogged = 0
            self._drop_logged_at = now

    def record_unanswered(self, question: str, lang: str) -> None:
        text = fold(question)[:MAX_QUESTION_CHARS]
        if not text:
            return
        now = _now()
        self._submit(RECORD_UNANSWERED, (text, lang, now, now))

    def top_gaps(self, limit: int = 20) -> list[Gap]:
        """The most frequent unanswered questions; StorageUnavailable when unreadable."""
        if not self.enabled:
            return []
        # Include the questions just asked, but never wait long for a locked database: each
        # pending write may wait out the busy timeout.
        self.flush(timeout=FLUSH_TIMEOUT)
        try:
            with contextlib.closing(self._connect()) as db:
                rows = self._query(db, GAPS_QUERY, (limit,))
        except self.Error as exc:
            log.warning("could not read the unanswered log: %s", exc)
            raise StorageUnavailable(str(exc)) from exc
        return [Gap(*row) for row in rows]

    # ----------------------------------------------------------------- /lang choices

    def language_of(self, user_id: int) -> str | None:
        """The user's /lang choice, read from the database now (never cached: another
        instance may have stored it); None when there is none or it cannot be read. A cut
        connection is replaced at once; a database that cannot be reached is not tried
        again for READ_RETRY_PAUSE seconds, so the event loop never waits on it twice."""
        if not self.enabled:
            return self._preferences.get(user_id)
        with self._reader_lock:
            if self._reader is None and time.monotonic() < self._reader_retry_at:
                return None
            for attempt in (1, 2):
                fresh = self._reader is None
                try:
                    if fresh:
                        self._reader = self._connect()
                    rows = self._query(self._reader, LANGUAGE_OF, (user_id,))
                    break
                except self.Error as exc:
                    self._close_reader()
                    if fresh or attempt == 2:
                        now = time.monotonic()
                        self._reader_retry_at = now + READ_RETRY_PAUSE
                        if now - self._read_failed_at >= DROP_LOG_INTERVAL:
                            log.warning("could not read a /lang choice: %s", str(exc).strip())
                            self._read_failed_at = now
                        return None
        return rows[0][0] if rows else None

    def _close_reader(self) -> None:
        if self._reader is not None:
            with contextlib.suppress(Exception):
                self._reader.close()
            self._reader = None

    def set_language(self, user_id: int, lang: str, deadline: float | None = None) -> bool:
        """Store a /lang choice durably; True once it is committed (or the database is off).
        Blocking (call it in a thread): while the database is locked or unreachable it is
        tried again until ``deadline`` (time.monotonic(); default ``durable_write_budget``
        from now). False, and nothing changed, when it did not stick."""
        if not self.enabled:
            self._preferences[user_id] = lang
            return True
        if deadline is None:
            deadline = time.monotonic() + self.durable_write_budget
        attempt = 0
        while True:
            attempt += 1
            try:
                with contextlib.closing(self._connect()) as db:
                    self._execute_in_transaction(db, SET_LANGUAGE, (user_id, lang, _now()))
            except self.Error as exc:
                transient = self._is_transient(exc)
                if not transient or time.monotonic() + DURABLE_RETRY_PAUSE > deadline:
                    log.warning(
                        "a /lang choice did not stick after %d attempt(s): %s",
                        attempt,
                        str(exc).strip(),
                    )
                    return False
                time.sleep(DURABLE_RETRY_PAUSE)
                continue
            if attempt > 1:
                log.info("a /lang choice was stored at attempt %d", attempt)
            return True

    # ----------------------------------------------------------------- lifetime

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every write submitted so far is done, at most ``timeout`` seconds
        (None: no limit). False if writes are still pending (e.g. the database is locked)."""
        if self._thread is None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._queue.all_tasks_done.wait(remaining)
        return True

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout=5)
            self._thread = None
        with self._reader_lock:
            self._close_reader()


class Storage(BaseStorage):
    """The embedded SQLite database at ``path`` (None: no database; choices kept in memory)."""

    Error = sqlite3.Error

    def __init__(
        self,
        path: str | os.PathLike[str] | None,
        *,
        durable_write_budget: float = DURABLE_WRITE_BUDGET,
    ) -> None:
        super().__init__(durable_write_budget=durable_write_budget)
        self.path = str(path) if path else None
        if self.path is None:
            return
        self.label = self.path
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            with contextlib.closing(self._connect()) as db:
                db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            log.error("database %s unusable, running without it: %s", self.path, exc)
            self.path = None
            return
        self._start_writer()

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False: language_of's connection is used from the event loop and
        # from worker threads, one at a time (under a lock)
        db = sqlite3.connect(self.path, timeout=1.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def _execute_in_transaction(self, db, sql: str, params: tuple) -> None:
        with db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(sql, params)

    def _is_transient(self, error: Exception) -> bool:
        return isinstance(error, sqlite3.Error) and _transient(error)


SQLITE_SCHEME = "sqlite:///"
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_storage(
    db_path: str | None,
    database_url: str | None = None,
    *,
    durable_write_budget: float = DURABLE_WRITE_BUDGET,
) -> BaseStorage:
    """The storage the settings choose: PostgreSQL at ``database_url`` when it is set, else
    the SQLite file at ``db_path`` (None: none)."""
    if database_url:
        from runtime.pg_storage import PostgresStorage

        return PostgresStorage(database_url, durable_write_budget=durable_write_budget)
    return Storage(db_path, durable_write_budget=durable_write_budget)
