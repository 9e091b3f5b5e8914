"""Start-up without a network: getMe is tried until the Bot API answers, one log line per
failed attempt and a growing pause between attempts (a bot under systemd or on a PaaS comes
up when the network does); a rejected token is not retried. SIGTERM or Ctrl-C while waiting
stops the bot cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError

log = logging.getLogger("diplofacts")
FIRST_PAUSE = 1.0  # seconds before the second attempt
LONGEST_PAUSE = 30.0  # the pause doubles up to this


def describe(error: TelegramError) -> str:
    """One line for the log: PTB's message, and the transport's error when it has one."""
    cause = error.__cause__
    text = str(error)
    if cause is not None and type(cause).__name__ not in text:
        text = f"{text} ({type(cause).__name__}: {cause})" if str(cause) else text
    return " ".join(text.split())


async def wait_for_bot_api(
    bot: Bot, where: str, first: float = FIRST_PAUSE, longest: float = LONGEST_PAUSE
) -> int:
    """Initialise ``bot`` (its getMe), retrying until the Bot API at ``where`` answers.
    Raises InvalidToken when the token is rejected; returns the number of attempts."""
    pause, attempt = first, 1
    while True:
        try:
            await bot.initialize()
            return attempt
        except InvalidToken:
            raise
        except RetryAfter as exc:  # flood control: wait what Telegram asks, no backoff step
            wait = exc.retry_after if isinstance(exc.retry_after, int | float) else pause
            log.warning("Bot API at %s asks to wait %s s (attempt %d)", where, wait, attempt)
            await asyncio.sleep(float(wait))
        except (NetworkError, TelegramError) as exc:
            log.warning(
                "Bot API at %s not reachable (attempt %d: %s); trying again in %.0f s",
                where,
                attempt,
                describe(exc) if isinstance(exc, NetworkError) else exc,
                pause,
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, longest)
        attempt += 1


def wait_for_bot_api_or_signal(loop: asyncio.AbstractEventLoop, bot: Bot, where: str) -> bool:
    """Run ``wait_for_bot_api`` on ``loop``; False when SIGTERM, SIGINT or Ctrl-C came first."""
    task = loop.create_task(wait_for_bot_api(bot, where))
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, task.cancel)
    try:
        loop.run_until_complete(task)
        return True
    except (asyncio.CancelledError, KeyboardInterrupt):
        log.info("Stopped while waiting for the Bot API")
        return False
    finally:
        for sig in signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)
