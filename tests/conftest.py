"""Shared fixtures: the loopback Bot API server (tests/botapi)."""

from tests.botapi.fixtures import asyncio_errors, fake_api  # noqa: F401
