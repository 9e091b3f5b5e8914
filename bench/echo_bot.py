"""The naive baseline for bench/bot.py: the smallest python-telegram-bot bot that replies to
every text message with the same text (same library, same concurrency, no knowledge core).
Its updates/s and memory are the floor any bot on this stack pays."""

import os

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
    application.run_polling()


if __name__ == "__main__":
    main()
