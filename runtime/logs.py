"""Logging for the running bot: one handler, and neither the bot token nor the webhook
secret in any line it writes (uncaught exceptions included)."""

from __future__ import annotations

import logging
import sys
import threading

from runtime.config import BotConfig


class RedactToken(logging.Filter):
    """Replace the bot token wherever it would reach a log line (httpx logs request URLs),
    and the webhook secret (PTB logs setWebhook's parameters at DEBUG)."""

    def __init__(self, token: str, webhook_secret: str | None = None) -> None:
        super().__init__()
        self.token = token
        # the part after "id:" is the secret; it could also appear URL-encoded ("id%3Asecret")
        secret = token.partition(":")[2]
        self.secrets = [token] + ([secret] if len(secret) >= 8 else [])
        if webhook_secret:
            self.secrets.append(webhook_secret)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<TOKEN>" if secret in self.token else "<SECRET>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(secret in text for secret in self.secrets):
            record.msg, record.args = self.redact(text), None
        if record.exc_info and record.exc_info[1] is not None:
            formatted = logging.Formatter().formatException(record.exc_info)
            if any(secret in formatted for secret in self.secrets):
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
