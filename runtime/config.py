"""The bot's settings, all from the environment (see README), checked once at start-up, and
the exit codes every entry point returns."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from runtime.storage import DB_ENV, POSTGRES_SCHEMES, SQLITE_SCHEME, db_path_from_env

# 0: stopped (SIGTERM, Ctrl-C); 2: a setting is wrong (the message names it); 1: anything
# else (an invalid knowledge base, an unusable database, a crash).
EXIT_OK, EXIT_KB_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_ERROR = EXIT_KB_ERROR

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# @BotFather's tokens: the bot's numeric id, a colon, the secret (35 characters today)
TOKEN_FORMAT = re.compile(r"\d+:[A-Za-z0-9_-]+")
# setWebhook's secret_token: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and -"
SECRET_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,256}")
# setWebhook: "Ports currently supported for webhooks: 443, 80, 88, 8443"
WEBHOOK_PORTS = (443, 80, 88, 8443)


class ConfigError(ValueError):
    """A setting that cannot work: the message names the variable and the rule."""


@dataclass(frozen=True, slots=True)
class BotConfig:
    """The bot's settings, all from the environment (see README)."""

    token: str
    base_url: str | None = None
    base_file_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "0.0.0.0"
    port: int = 8443
    health_port: int | None = None
    log_level: str = "INFO"
    admin_ids: frozenset[int] = frozenset()
    flood_limit: int = 8
    db_path: str | None = None  # the SQLite file (None: no SQLite file)
    database_url: str | None = None  # a postgresql:// URL: the shared database instead
    rate_limiter: bool = True  # DIPLOFACTS_RATE_LIMITER=off: only for benchmarks

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> BotConfig:
        """The settings in ``env``; the first one that cannot work raises ConfigError."""
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and "
                "export TELEGRAM_BOT_TOKEN=<the token it gives you>"
            )
        if not TOKEN_FORMAT.fullmatch(token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN must look like 123456789:AA… (the bot's id, a colon, "
                "letters, digits, _ and -), as @BotFather gives it"
            )
        try:
            admin_ids = frozenset(
                int(x) for x in env.get("ADMIN_IDS", "").replace(",", " ").split()
            )
        except ValueError:
            raise ConfigError("ADMIN_IDS must be Telegram user ids separated by commas") from None
        base_url = _url_setting(env, "TELEGRAM_BASE_URL", ("http", "https"))
        base_file_url = _url_setting(env, "TELEGRAM_BASE_FILE_URL", ("http", "https"))
        webhook_url = _url_setting(env, "WEBHOOK_URL", ("https",))
        if webhook_url and not base_url:  # the official server's rule; a self-hosted one differs
            port = urlsplit(webhook_url).port or 443
            if port not in WEBHOOK_PORTS:
                raise ConfigError(
                    f"WEBHOOK_URL must use port 443, 80, 88 or 8443 (Telegram calls no other), "
                    f"not {port}"
                )
        webhook_secret = env.get("WEBHOOK_SECRET") or None
        if webhook_secret is not None and not SECRET_FORMAT.fullmatch(webhook_secret):
            raise ConfigError(
                "WEBHOOK_SECRET must be 1-256 characters A-Z a-z 0-9 _ - (Telegram refuses "
                "others): for example $(openssl rand -hex 32)"
            )
        log_level = env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO"
        if log_level not in LOG_LEVELS:
            raise ConfigError(
                f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {env['LOG_LEVEL']!r}"
            )
        rate_limiter = env.get("DIPLOFACTS_RATE_LIMITER", "on").strip().lower()
        if rate_limiter not in ("on", "off"):
            raise ConfigError("DIPLOFACTS_RATE_LIMITER must be on or off")
        for name in ("KB_MAX_FILE_BYTES", "KB_RELOAD_BUDGET"):
            if env.get(name, "").strip():
                _int_setting(env, name, 1, None, "a positive whole number", 1)
        db_path, database_url = database_from_env(env)
        return cls(
            token=token,
            base_url=base_url,
            base_file_url=base_file_url,
            webhook_url=webhook_url,
            webhook_secret=webhook_secret,
            webhook_listen=env.get("WEBHOOK_LISTEN", "0.0.0.0").strip() or "0.0.0.0",
            port=_int_setting(env, "PORT", 1, 65535, "a TCP port, 1-65535", 8443),
            health_port=_optional_port(env, "HEALTH_PORT"),
            log_level=log_level,
            admin_ids=admin_ids,
            flood_limit=_int_setting(
                env, "FLOOD_LIMIT", 1, None, "a whole number of updates per 10 s, at least 1", 8
            ),
            db_path=db_path,
            database_url=database_url,
            rate_limiter=rate_limiter == "on",
        )


def database_from_env(env: Mapping[str, str] = os.environ) -> tuple[str | None, str | None]:
    """(SQLite path, PostgreSQL URL) from DATABASE_URL, else DIPLOFACTS_DB: at most one is
    set; both None when DIPLOFACTS_DB=off. ConfigError names a DATABASE_URL that cannot work
    (without its password)."""
    raw = env.get("DATABASE_URL", "").strip()
    if not raw:
        return db_path_from_env(env), None
    shown = _redacted(raw)
    if env.get(DB_ENV, "").strip():
        raise ConfigError(
            f"DATABASE_URL and {DB_ENV} are both set: keep one (DATABASE_URL=sqlite:///path "
            f"means what {DB_ENV}=path did)"
        )
    if raw.startswith(SQLITE_SCHEME):
        path = raw[len(SQLITE_SCHEME) :]
        if not path or "?" in path or "#" in path:
            raise ConfigError(
                f"DATABASE_URL must name a file after sqlite:/// (sqlite:///data/bot.sqlite3 "
                f"is relative, sqlite:////srv/bot.sqlite3 absolute), not {shown!r}"
            )
        return path, None
    if raw.startswith(POSTGRES_SCHEMES):
        parts = urlsplit(raw)
        try:
            parts.port  # noqa: B018  (raises ValueError on a port out of range or not a number)
        except ValueError:
            raise ConfigError(f"DATABASE_URL has an invalid port: {shown!r}") from None
        if not parts.path.strip("/"):
            raise ConfigError(
                f"DATABASE_URL must name the database: postgresql://user:password@host/dbname, "
                f"not {shown!r}"
            )
        try:
            from psycopg.conninfo import conninfo_to_dict

            conninfo_to_dict(raw)
        except ImportError:
            raise ConfigError(
                "DATABASE_URL names a PostgreSQL server but psycopg is not installed: "
                "pip install 'psycopg[binary]>=3.1'"
            ) from None
        except Exception as exc:  # psycopg.ProgrammingError: libpq cannot parse it
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unparsable"
            raise ConfigError(f"DATABASE_URL is not a valid PostgreSQL URL ({first})") from None
        return None, raw
    shown = f"{raw.split(':', 1)[0]}:…" if ":" in raw else shown  # no credentials shown
    raise ConfigError(
        f"DATABASE_URL must be sqlite:///path or postgresql://user:password@host/dbname, "
        f"not {shown!r}"
    )


def _redacted(url: str) -> str:
    return re.sub(r"(://[^/:@]*):[^/@]*@", r"\1:***@", url)


def _int_setting(
    env: Mapping[str, str], name: str, low: int, high: int | None, rule: str, default: int
) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < low or (high is not None and value > high):
        raise ConfigError(f"{name} must be {rule}, not {raw!r}")
    return value


def _optional_port(env: Mapping[str, str], name: str) -> int | None:
    if not env.get(name, "").strip():
        return None
    return _int_setting(env, name, 1, 65535, "a TCP port, 1-65535", 0)


def _url_setting(env: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018  (raises ValueError on a port out of range or not a number)
    except ValueError:
        raise ConfigError(f"{name} has an invalid port: {raw!r}") from None
    if parts.scheme not in schemes or not parts.hostname:
        wanted = " or ".join(f"{s}://" for s in schemes)
        raise ConfigError(f"{name} must be an absolute {wanted} URL, not {raw!r}")
    return raw
