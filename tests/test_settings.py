"""Settings are checked at start-up: a value that cannot work stops ``bot.py run`` at once,
before any network call, with one line naming the setting and its rule, and exit code 2."""

from __future__ import annotations

import pytest

from runtime.config import EXIT_USAGE, BotConfig, ConfigError
from testkit.bot_runner import bot_py, environment_without_settings

TOKEN = "123456789:AAFakeDiplofactsTokenForTheLocalBotApi"

# (environment on top of a valid one, the setting the one line must name, a word of the rule)
BAD_SETTINGS = [
    ({"LOG_LEVEL": "verbose"}, "LOG_LEVEL", "DEBUG, INFO"),
    ({"WEBHOOK_URL": "http://bot.example.com/telegram"}, "WEBHOOK_URL", "https://"),
    ({"WEBHOOK_SECRET": "not secret!"}, "WEBHOOK_SECRET", "A-Z a-z 0-9 _ -"),
    ({"WEBHOOK_SECRET": "x" * 257}, "WEBHOOK_SECRET", "1-256"),
    ({"FLOOD_LIMIT": "-3"}, "FLOOD_LIMIT", "at least 1"),
    ({"FLOOD_LIMIT": "many"}, "FLOOD_LIMIT", "at least 1"),
    ({"PORT": "70000"}, "PORT", "1-65535"),
    ({"PORT": "http"}, "PORT", "1-65535"),
    ({"HEALTH_PORT": "0"}, "HEALTH_PORT", "1-65535"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN", "123456789:AA"),
    ({"TELEGRAM_BOT_TOKEN": "123:abc def"}, "TELEGRAM_BOT_TOKEN", "colon"),
    ({"WEBHOOK_URL": "https://bot.example.com:8080/telegram"}, "WEBHOOK_URL", "8443"),
    ({"TELEGRAM_BASE_URL": "127.0.0.1:8081/bot"}, "TELEGRAM_BASE_URL", "http://"),
    ({"KB_RELOAD_BUDGET": "-1"}, "KB_RELOAD_BUDGET", "positive"),
    ({"ADMIN_IDS": "alice"}, "ADMIN_IDS", "user ids"),
    ({"DIPLOFACTS_RATE_LIMITER": "maybe"}, "DIPLOFACTS_RATE_LIMITER", "on or off"),
]


def clean_env(**extra: str) -> dict[str, str]:
    return environment_without_settings(
        **{"TELEGRAM_BOT_TOKEN": TOKEN, "DIPLOFACTS_DB": "off", **extra}
    )


@pytest.mark.parametrize(("extra", "name", "rule"), BAD_SETTINGS)
def test_from_env_names_the_setting_and_the_rule(extra, name, rule) -> None:
    with pytest.raises(ConfigError) as caught:
        BotConfig.from_env(clean_env(**extra))
    text = str(caught.value)
    assert text.startswith(name) and rule in text and "\n" not in text, text


def test_good_settings_are_read() -> None:
    config = BotConfig.from_env(
        clean_env(
            LOG_LEVEL="debug",
            WEBHOOK_URL="https://bot.example.com:8443/telegram",
            WEBHOOK_SECRET="a-B_9" * 10,
            FLOOD_LIMIT="3",
            PORT="65535",
            HEALTH_PORT="9090",
        )
    )
    assert (config.log_level, config.flood_limit, config.port) == ("DEBUG", 3, 65535)
    assert config.health_port == 9090 and config.webhook_secret == "a-B_9" * 10
    # a self-hosted Bot API server may call any port
    BotConfig.from_env(
        clean_env(
            TELEGRAM_BASE_URL="http://127.0.0.1:8081/bot",
            WEBHOOK_URL="https://127.0.0.1:9000/hook",
        )
    )


@pytest.mark.parametrize(
    ("extra", "name", "rule"),
    [case for case in BAD_SETTINGS if case[1] in {"LOG_LEVEL", "PORT", "TELEGRAM_BOT_TOKEN"}]
    + [case for case in BAD_SETTINGS if "WEBHOOK" in case[1] or case[1] == "FLOOD_LIMIT"][:4],
)
def test_run_stops_at_once_with_one_line_and_exit_2(fake_api, extra, name, rule) -> None:
    env = clean_env(TELEGRAM_BASE_URL=fake_api.base_url, **extra)
    args = ["--webhook"] if "WEBHOOK_URL" in extra or "WEBHOOK_SECRET" in extra else []
    if args:
        env.setdefault("WEBHOOK_URL", "https://bot.example.com/telegram")
        env.setdefault("WEBHOOK_SECRET", "s3cret")
    done = bot_py("run", *args, env=env, timeout=30)
    lines = (done.stdout + done.stderr).splitlines()
    assert done.returncode == EXIT_USAGE, lines
    assert len(lines) == 1 and lines[0].startswith(f"error: {name}") and rule in lines[0], lines
    assert fake_api.requests == []  # not one network call
