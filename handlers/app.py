"""The composition root of the Telegram bot: the Application with its storage, flood gate
and every handler, registered here only; start-up, shutdown and ``run``."""

from __future__ import annotations

import asyncio
import logging
import sys
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from handlers import callbacks, commands, errors, flood, inline, messages
from handlers.backlog import BacklogQueue
from handlers.common import Services
from handlers.flood import FloodGate
from handlers.menus import publish_command_menus
from handlers.reload import reload_knowledge, tell_admins
from handlers.retry import RetryingRateLimiter
from handlers.sighup import EarlySighup
from handlers.startup import wait_for_bot_api_or_signal
from handlers.status import start_status_server, status_routes
from handlers.topic_commands import TopicCommandHandler
from handlers.updates import tolerant_updates_request
from handlers.webhook import GuardedUpdater
from knowledge.commands import BUILTIN_COMMANDS, BuiltinCommand
from knowledge.loader import KnowledgeBaseError
from runtime.config import EXIT_KB_ERROR, EXIT_OK, EXIT_USAGE, BotConfig, ConfigError
from runtime.live import LiveKnowledgeBase
from runtime.logs import configure_logging
from runtime.metrics import Metrics
from runtime.storage import BaseStorage, open_storage

CONCURRENT_UPDATES = 8
EARLY_SIGHUP = EarlySighup()
log = logging.getLogger("diplofacts")


def build_application(
    config: BotConfig,
    knowledge: LiveKnowledgeBase,
    storage: BaseStorage,
    flood_gate: FloodGate,
    *,
    rate_limiter: bool = True,
) -> Application:
    """The python-telegram-bot Application serving ``knowledge``, writing to ``storage``
    (closed at shutdown) and admitting updates through ``flood_gate``."""
    builder = (
        Application.builder()
        .token(config.token)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        # Answers are independent: one slow sendMessage must not hold up other chats.
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if not config.webhook_url:  # polling: fetch only as fast as updates are answered
        backlog = BacklogQueue()
        builder = builder.update_queue(backlog).get_updates_request(
            tolerant_updates_request(backlog)
        )
    else:
        builder = builder.get_updates_request(tolerant_updates_request())
    # Telegram's flood limits (RetryAfter answers are waited out and retried) and, beneath
    # every Bot API call, resending what Telegram surely did not act on (handlers/retry.py)
    metrics = Metrics()
    builder = builder.rate_limiter(
        RetryingRateLimiter(
            AIORateLimiter(max_retries=3) if rate_limiter else None, metrics=metrics
        )
    )
    if config.base_url:
        builder = builder.base_url(config.base_url)
        builder = builder.base_file_url(
            config.base_file_url or config.base_url.replace("/bot", "/file/bot")
        )
    application = builder.build()
    application.bot_data["metrics"] = metrics
    if config.webhook_url:  # the hardened webhook listener (handlers/webhook.py)
        application.updater = GuardedUpdater(application.bot, application.update_queue)
        application.updater.extra_routes = status_routes(lambda: knowledge, metrics)
    application.bot_data["health_address"] = (
        (config.webhook_listen, config.health_port) if config.health_port else None
    )
    application.bot_data["services"] = Services(
        knowledge=knowledge, storage=storage, admin_ids=config.admin_ids
    )
    application.bot_data["flood"] = flood_gate
    register_handlers(application, knowledge)
    return application


def command_callback(command: BuiltinCommand) -> commands.Callback:
    """The coroutine of ``handlers.commands`` that answers ``command``; for an admin-only
    command, behind the admin check."""
    callback: commands.Callback = getattr(commands, command.handler)
    return commands.admins_only(callback) if command.admin_only else callback


def register_handlers(application: Application, knowledge: LiveKnowledgeBase) -> None:
    application.add_handler(TypeHandler(Update, flood.guard), group=-1)
    for command in BUILTIN_COMMANDS:
        application.add_handler(
            CommandHandler(command.name, command_callback(command), block=command.blocking)
        )
    application.add_handler(TopicCommandHandler(knowledge, commands.topic_command))
    text = (filters.TEXT | filters.CAPTION) & ~filters.COMMAND  # a caption is a question
    application.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, messages.question))
    application.add_handler(
        MessageHandler(
            text & filters.ChatType.GROUPS & messages.ADDRESSED_TO_BOT, messages.question
        )
    )
    # In a private chat every new message gets a reply: an unknown /foo a pointer to /help,
    # a sticker or a voice note a word on what the bot reads (service messages get none).
    new_private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new_private & filters.COMMAND, messages.unknown_command))
    application.add_handler(
        MessageHandler(new_private & ~filters.StatusUpdate.ALL, messages.not_a_question)
    )
    application.add_handler(InlineQueryHandler(inline.inline_query))
    application.add_handler(CallbackQueryHandler(callbacks.button))
    application.add_error_handler(errors.on_error)


async def on_startup(application: Application) -> None:
    """Publish the command menus (private and group, in every language); from now on
    SIGHUP reloads the KB (one that arrived earlier is carried out now)."""
    knowledge = application.bot_data["services"].knowledge
    kb = knowledge.current
    address = application.bot_data.get("health_address")
    if address is not None:  # before the menus: a health check may come at once
        application.bot_data["status_server"] = start_status_server(
            *address, lambda: knowledge, application.bot_data["metrics"]
        )
    await publish_command_menus(application.bot, kb)
    log.info(
        "Bot @%s ready: %d topics, %d facts",
        application.bot.username,
        len(kb.topics),
        len(kb.facts),
    )
    EARLY_SIGHUP.hand_over(lambda: _sighup_reload(application))


async def _sighup_reload(application: Application) -> None:
    outcome = await reload_knowledge(application, "SIGHUP")
    if not outcome.ok:
        await tell_admins(application, outcome)


async def on_shutdown(application: Application) -> None:
    server = application.bot_data.pop("status_server", None)
    if server is not None:
        server.stop()
    application.bot_data["services"].storage.close()


def run_bot(*, webhook: bool) -> int:
    """``bot.py run``: the bot from the environment's settings, polling or on a webhook,
    until it is stopped; the exit status."""
    EARLY_SIGHUP.install()  # before anything slow: a SIGHUP now must not kill the process
    try:
        config = BotConfig.from_env()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if webhook:
        if not config.webhook_url:
            print(
                "error: WEBHOOK_URL is not set (the public https URL Telegram should call)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if not config.webhook_secret:
            print(
                "error: WEBHOOK_SECRET is not set: without it anyone could post updates",
                file=sys.stderr,
            )
            return EXIT_USAGE
    configure_logging(config)
    try:
        knowledge = LiveKnowledgeBase()
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            logging.error("knowledge base: %s", problem)
        return EXIT_KB_ERROR
    application = build_application(
        config,
        knowledge,
        open_storage(config.db_path, config.database_url),
        FloodGate(limit=config.flood_limit),
        rate_limiter=config.rate_limiter,
    )
    # the loop PTB's run_polling/run_webhook take over (asyncio.get_event_loop())
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        if not wait_for_bot_api_or_signal(loop, application.bot, bot_api_host(config)):
            application.bot_data["services"].storage.close()
            loop.close()
            return EXIT_OK
        if webhook:
            application.run_webhook(
                listen=config.webhook_listen,
                port=config.port,
                url_path=urlparse(config.webhook_url).path.lstrip("/"),
                webhook_url=config.webhook_url,
                secret_token=config.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
                bootstrap_retries=3,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
    except InvalidToken as exc:
        log.debug("Bot API: %s", exc)  # PTB's message quotes the token: the filter hides it
        log.error(
            "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): check it with @BotFather"
        )
        application.bot_data["services"].storage.close()
        return EXIT_USAGE
    return EXIT_OK


def bot_api_host(config: BotConfig) -> str:
    """Where the Bot API is, for the log: scheme and host, never the path (the token)."""
    url = urlparse(config.base_url or "https://api.telegram.org/bot")
    return f"{url.scheme}://{url.netloc}"
