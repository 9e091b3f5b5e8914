"""Catching the errors a test run logs, so that a test can fail on them."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def error_records(logger: str | None = None) -> Iterator[list[logging.LogRecord]]:
    """The ERROR (and worse) records ``logger`` (default: the root logger) emits meanwhile."""
    collector = _Collector()
    log = logging.getLogger(logger)
    log.addHandler(collector)
    try:
        yield collector.records
    finally:
        log.removeHandler(collector)
