"""The naive baseline for bench/bot.py and bench/soak.py: the smallest python-telegram-bot bot
that replies to every text message with the same text (same library, same concurrency, no
knowledge core). Its updates/s and memory are the floor any bot on this stack pays.

    python bench/echo_bot.py              # polling
    python bench/echo_bot.py --webhook    # PTB's own webhook server: WEBHOOK_URL,
                                          # WEBHOOK_SECRET, WEBHOOK_LISTEN, PORT as bot.py's
"""

import os
import sys
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import Application, MessageHandler, filters


async def echo(update, context) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .concurrent_updates(int(os.environ.get("ECHO_CONCURRENCY", "8")))
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    if "--webhook" in sys.argv[1:]:
        url = os.environ["WEBHOOK_URL"]
        application.run_webhook(
            listen=os.environ.get("WEBHOOK_LISTEN", "127.0.0.1"),
            port=int(os.environ["PORT"]),
            url_path=urlparse(url).path.lstrip("/"),
            webhook_url=url,
            secret_token=os.environ["WEBHOOK_SECRET"],
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling()


if __name__ == "__main__":
    main()
