"""The bot's settings, all from the environment (see README and .env.example), and the
exit codes every entry point returns."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from runtime.storage import db_path_from_env

EXIT_OK, EXIT_KB_ERROR, EXIT_USAGE = 0, 1, 2


class ConfigError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class BotConfig:
    """The bot's settings, all from the environment (see README and .env.example)."""

    token: str
    base_url: str | None = None
    base_file_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    port: int = 8443
    log_level: str = "INFO"
    admin_ids: frozenset[int] = frozenset()
    flood_limit: int = 8
    db_path: str | None = None
    rate_limiter: bool = True  # DIPLOFACTS_RATE_LIMITER=off: only for benchmarks

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> BotConfig:
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and "
                "export TELEGRAM_BOT_TOKEN=<the token it gives you>"
            )
        try:
            admin_ids = frozenset(
                int(x) for x in env.get("ADMIN_IDS", "").replace(",", " ").split()
            )
        except ValueError:
            raise ConfigError("ADMIN_IDS must be Telegram user ids separated by commas") from None
        try:
            port = int(env.get("PORT", "8443"))
        except ValueError:
            raise ConfigError(f"PORT must be a number, not {env.get('PORT')!r}") from None
        try:
            flood_limit = int(env.get("FLOOD_LIMIT", "8"))
        except ValueError:
            raise ConfigError("FLOOD_LIMIT must be a number of messages per 10 s") from None
        base_url = env.get("TELEGRAM_BASE_URL") or None
        return cls(
            token=token,
            base_url=base_url,
            base_file_url=env.get("TELEGRAM_BASE_FILE_URL") or None,
            webhook_url=env.get("WEBHOOK_URL") or None,
            webhook_secret=env.get("WEBHOOK_SECRET") or None,
            webhook_listen=env.get("WEBHOOK_LISTEN", "0.0.0.0"),
            port=port,
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            admin_ids=admin_ids,
            flood_limit=flood_limit,
            db_path=db_path_from_env(env),
            rate_limiter=env.get("DIPLOFACTS_RATE_LIMITER", "on").lower() != "off",
        )
