"""Logging for the running bot: one handler, and neither the bot token nor the webhook
secret in any line it writes (uncaught exceptions included)."""

from __future__ import annotations

import logging
import re
import sys
import threading

from runtime.config import BotConfig


class RedactToken(logging.Filter):
    """Replace the bot token wherever it would reach a log line (httpx logs request URLs),
    and the webhook secret (PTB logs setWebhook's parameters at DEBUG).

    Only whole occurrences are replaced: not inside a longer run of the characters a token or
    secret is made of, so a short token or secret ("1:ab", "s3") cannot garble other words,
    numbers or timestamps of the log."""

    def __init__(self, token: str, webhook_secret: str | None = None) -> None:
        super().__init__()
        self.token = token
        bot_id, _, secret = token.partition(":")
        # the token whole, URL-encoded ("id%3Asecret"), and its secret part alone when it is
        # long enough to be told from ordinary words
        tokens = [token, f"{bot_id}%3A{secret}", f"{bot_id}%3a{secret}"]
        if len(secret) >= 8:
            tokens.append(secret)
        self._token = self._pattern(tokens)
        self._secret = self._pattern([webhook_secret]) if webhook_secret else None
        self.secrets = tokens + ([webhook_secret] if webhook_secret else [])

    @staticmethod
    def _pattern(needles: list[str]) -> re.Pattern[str]:
        """Long needles match anywhere (nothing else looks like 35 random characters); short
        ones only whole, where a URL puts a token ("/bot1:ab/") or a word stands alone."""
        alternatives = []
        for needle in sorted(set(needles), key=len, reverse=True):
            if len(needle) >= 16:
                alternatives.append(re.escape(needle))
            else:
                alternatives.append(
                    rf"(?:(?<=bot)|(?<![0-9A-Za-z_-])){re.escape(needle)}(?![0-9A-Za-z_-])"
                )
        return re.compile("|".join(alternatives))

    def redact(self, text: str) -> str:
        text = self._token.sub("<TOKEN>", text)
        if self._secret is not None:
            text = self._secret.sub("<SECRET>", text)
        return text

    def _contains(self, text: str) -> bool:
        return any(secret in text for secret in self.secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if self._contains(text):  # a cheap test first: most lines hold no secret
            record.msg, record.args = self.redact(text), None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            if self._contains(formatted):
                record.exc_text = self.redact(formatted)
        return True


def configure_logging(config: BotConfig) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactToken(config.token, config.webhook_secret))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(config.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    # A crash must not print the token either (PTB's InvalidToken message contains it): send
    # uncaught exceptions through the redacting handler instead of straight to stderr.
    def log_uncaught(kind, error, traceback) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        root.critical("Uncaught exception", exc_info=(kind, error, traceback))

    def log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
        if not issubclass(args.exc_type, SystemExit):
            log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = log_uncaught
    threading.excepthook = log_uncaught_in_thread
