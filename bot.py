"""diplofacts: the composition root and command line.

    python bot.py ask "trade in 2011"        answer one question (plain text)
    python bot.py ask --json "..."           answer as one JSON object (public contract)
    python bot.py ask --json -               one question a line from stdin, one JSON a line
    python bot.py chat                       interactive console
    python bot.py check                      validate the knowledge base
    python bot.py eval                       accuracy on the evaluation set
    python bot.py run [--webhook]            run the Telegram bot

``ask``, ``chat``, ``check`` and ``eval`` never import ``telegram``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from knowledge.live import LiveKnowledgeBase
from knowledge.loader import KnowledgeBaseError, kb_directory, load_knowledge_base
from knowledge.model import KnowledgeBase
from knowledge.storage import Storage, StorageUnavailable, db_path_from_env

EXIT_OK, EXIT_KB_ERROR, EXIT_USAGE = 0, 1, 2
CONCURRENT_UPDATES = 8


def _load_kb_or_exit() -> KnowledgeBase:
    try:
        return load_knowledge_base()
    except KnowledgeBaseError as exc:
        print(f"knowledge base {kb_directory()} is invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(EXIT_KB_ERROR) from None


def command_ask(args: argparse.Namespace) -> int:
    from knowledge.answer import answer_question
    from knowledge.contract import answer_json
    from knowledge.render import render_text

    kb = _load_kb_or_exit()
    question = " ".join(args.question)
    context = None

    def answer_one(text: str) -> None:
        nonlocal context
        answer = answer_question(kb, text, lang=args.lang, context=context)
        if args.context:
            context = answer.context
        if args.json:
            print(json.dumps(answer_json(answer, kb), ensure_ascii=False), flush=True)
        else:
            print(render_text(answer, kb, show_all=args.all), flush=True)

    if question.strip() == "-":
        for line in sys.stdin:
            answer_one(line.rstrip("\r\n"))
        return EXIT_OK
    if not question.strip():
        print(
            "usage: bot.py ask [--json] [--all] [--lang en|vi|ru] QUESTION (or - for stdin)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    answer_one(question)
    return EXIT_OK


CHAT_HELP = """Type a question, or a command:
  /trade, /visits, ... (any topic command; words narrow it: /trade 2011)
  /help      how to ask, and every topic
  /sources   the articles the facts come from
  /about     what the bot covers
  /lang en|vi|ru|auto   the reply language
  /all       everything the last answer matched (the "More" pages)
  quit       leave (or Ctrl-D)
Follow-ups continue the last question for 10 minutes ("and in 2022?")."""


def command_chat(args: argparse.Namespace) -> int:
    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:  # not on every platform; the console works without it
        pass
    from knowledge.answer import answer_question
    from knowledge.language import SUPPORTED
    from knowledge.memory import ConversationMemory
    from knowledge.messages import message
    from knowledge.render import help_text, render_text, sources_text

    kb = _load_kb_or_exit()
    memory = ConversationMemory()
    lang: str | None = args.lang
    last = None
    print(
        "diplofacts console: ask about Vietnam–Belarus relations; /help for commands, "
        "Ctrl-D or 'quit' to leave."
    )
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        stripped = text.strip()
        if stripped.lower() in {"quit", "exit", "/quit", "/exit"}:
            return EXIT_OK
        shown_lang = lang or "en"
        command, _, rest = stripped[1:].partition(" ") if stripped.startswith("/") else ("", "", "")
        command = command.split("@")[0].lower()
        if command in ("help", "start"):
            print(CHAT_HELP + "\n\n" + help_text(kb, shown_lang, "diplofacts_bot"), end="\n\n")
            continue
        if command == "sources":
            print(sources_text(kb, shown_lang), end="\n\n")
            continue
        if command == "about":
            print(message("about", shown_lang, count=len(kb.sources)), end="\n\n")
            continue
        if command == "lang":
            choice = rest.strip().lower()
            if choice in SUPPORTED:
                lang = choice
                print(message("lang_set", choice), end="\n\n")
            elif choice == "auto":
                lang = None
                print(message("lang_show", "en", lang=message("lang_auto", "en")), end="\n\n")
            else:
                current = lang or message("lang_auto", shown_lang)
                print(message("lang_show", shown_lang, lang=current), end="\n\n")
            continue
        if command == "all":
            if last is not None:
                print(render_text(last, kb, show_all=True), end="\n\n")
            continue
        topic = None
        if command:
            found = kb.topic_by_command(command)
            if found is None:
                print(f"Unknown command /{command}: /help lists the commands.", end="\n\n")
                continue
            topic, text = found.id, rest
        answer = answer_question(
            kb, text, topic=topic, lang=lang, context=memory.context("console")
        )
        memory.remember("console", answer)
        last = answer
        print(render_text(answer, kb, more_hint="chat"), end="\n\n")


def command_timeline(args: argparse.Namespace) -> int:
    from knowledge.timeline import (
        parse_timeline_query,
        render_timeline_text,
        timeline_events,
        timeline_pages,
    )

    kb = _load_kb_or_exit()
    query = parse_timeline_query(kb, " ".join(args.filter))
    events = timeline_events(kb, query)
    pages = range(timeline_pages(events)) if args.page is None else [args.page - 1]
    for page in pages:
        print(render_timeline_text(kb, events, args.lang, page=page, query=query), end="\n\n")
    return EXIT_OK


def command_chart(args: argparse.Namespace) -> int:
    from pathlib import Path

    from knowledge.chart import render_trade_chart

    kb = _load_kb_or_exit()
    png = render_trade_chart(kb, args.lang)
    Path(args.out).write_bytes(png)
    print(f"wrote {args.out} ({len(png):,} bytes)")
    return EXIT_OK


def command_check(args: argparse.Namespace) -> int:
    kb = _load_kb_or_exit()
    print(
        f"{kb.origin}: OK: {len(kb.sources)} sources, {len(kb.topics)} topics, "
        f"{len(kb.facts)} facts"
    )
    return EXIT_OK


def command_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from knowledge.evaluation import (
        EVAL_FILE,
        EVAL_SETS,
        EvalSet,
        evaluate,
        format_report,
        format_summary,
        load_cases,
        sweep,
    )

    kb = _load_kb_or_exit()
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            print(f"eval: {path} is not a file", file=sys.stderr)
            return EXIT_USAGE
        sets = [EvalSet(path.name, path, True)]
    else:
        sets = list(EVAL_SETS)
    if args.sweep:
        # Sweeps tune, so they only ever read a tuning set.
        cases = load_cases(Path(args.file) if args.file else EVAL_FILE)
        print("accept suggest min_len coverage  accuracy  leaked")
        for t, accuracy, leaked in sweep(kb, cases)[: args.top]:
            print(
                f"{t.accept:6.0f} {t.suggest:7.0f} {t.min_fuzzy_length:7d} {t.min_coverage:8.2f}"
                f"  {accuracy:8.1%}  {leaked:6d}"
            )
        return EXIT_OK
    for eval_set in sets:
        set_kb = load_knowledge_base(eval_set.kb_dir) if eval_set.kb_dir else kb
        report = evaluate(set_kb, load_cases(eval_set.file))
        if args.summary:
            print(format_summary(eval_set.name, report))
        else:
            print(format_report(report, eval_set.name), end="\n\n")
    return EXIT_OK


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


def build_application(
    config: BotConfig, knowledge: LiveKnowledgeBase, *, rate_limiter: bool = True
):
    """The python-telegram-bot Application with every handler, registered here only."""
    from telegram.ext import AIORateLimiter, Application

    from handlers.common import Services
    from handlers.flood import FloodGate
    from handlers.retry import RetryingRateLimiter

    builder = (
        Application.builder()
        .token(config.token)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
        # Answers are independent: one slow sendMessage must not hold up other chats.
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if not config.webhook_url:  # polling: fetch only as fast as updates are answered
        from handlers.backlog import BacklogQueue

        backlog = BacklogQueue()
        builder = builder.update_queue(backlog).get_updates_request(
            _tolerant_updates_request(backlog)
        )
    else:
        builder = builder.get_updates_request(_tolerant_updates_request())
    # Telegram's flood limits (RetryAfter answers are waited out and retried) and, beneath
    # every Bot API call, resending what Telegram surely did not act on (handlers/retry.py)
    builder = builder.rate_limiter(
        RetryingRateLimiter(AIORateLimiter(max_retries=3) if rate_limiter else None)
    )
    if config.base_url:
        builder = builder.base_url(config.base_url)
        builder = builder.base_file_url(
            config.base_file_url or config.base_url.replace("/bot", "/file/bot")
        )
    application = builder.build()
    if config.webhook_url:  # the hardened webhook listener (handlers/webhook.py)
        from handlers.webhook import GuardedUpdater

        application.updater = GuardedUpdater(application.bot, application.update_queue)
    application.bot_data["services"] = Services(
        knowledge=knowledge, storage=Storage(config.db_path), admin_ids=config.admin_ids
    )
    application.bot_data["flood"] = FloodGate(limit=config.flood_limit)
    register_handlers(application, knowledge.current)
    return application


def _readable_update(raw: object) -> object:
    """``raw`` if python-telegram-bot can read it, else a bare ``{"update_id": N}``."""
    import copy

    from telegram import Update

    try:
        Update.de_json(copy.deepcopy(raw), None)
    except Exception as exc:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int):
            return raw
        kinds = [k for k in raw if k != "update_id"]
        logging.getLogger("diplofacts").error(
            "Skipping update %s %s: python-telegram-bot cannot read it (%r)", update_id, kinds, exc
        )
        return {"update_id": update_id}
    return raw


def _tolerant_updates_request(backlog=None):
    """The getUpdates connection. PTB parses a batch of updates as a whole: one it cannot read
    (say, a field of a newer Bot API) fails the batch, the offset never moves and polling
    fetches the same batch forever. Such an update is replaced by a bare one, so it is
    skipped and confirmed, and every other update of the batch is still answered.
    With ``backlog`` (polling) a call waits until few fetched updates are unanswered, since
    it confirms all fetched so far to Telegram (handlers/backlog.py)."""
    from telegram.request import HTTPXRequest

    from handlers.backlog import before_get_updates

    class TolerantUpdatesRequest(HTTPXRequest):
        __slots__ = ()

        async def do_request(self, url, method, request_data=None, *args, **kwargs):
            request_data = await before_get_updates(backlog, request_data)
            return await super().do_request(url, method, request_data, *args, **kwargs)

        def parse_json_payload(self, payload: bytes):
            data = super().parse_json_payload(payload)
            if isinstance(data, dict) and isinstance(data.get("result"), list):
                data["result"] = [_readable_update(u) for u in data["result"]]
            return data

    return TolerantUpdatesRequest(connection_pool_size=1)  # the builder's default for polling


def register_handlers(application, kb: KnowledgeBase) -> None:
    from telegram import Update
    from telegram.ext import (
        CallbackQueryHandler,
        CommandHandler,
        InlineQueryHandler,
        MessageHandler,
        TypeHandler,
        filters,
    )

    from handlers import callbacks, commands, errors, flood, inline, messages
    from handlers.topic_commands import TopicCommandHandler

    application.add_handler(TypeHandler(Update, flood.guard), group=-1)
    application.add_handler(CommandHandler("start", commands.start))
    application.add_handler(CommandHandler("help", commands.help_command))
    application.add_handler(CommandHandler("sources", commands.sources_command))
    application.add_handler(CommandHandler("about", commands.about))
    # block=False: a /lang waiting for a locked database must not hold one of the
    # CONCURRENT_UPDATES slots that other users' answers need
    application.add_handler(CommandHandler("lang", commands.lang_command, block=False))
    application.add_handler(CommandHandler("reload", commands.reload_command))
    application.add_handler(CommandHandler("gaps", commands.gaps_command))
    knowledge = application.bot_data["services"].knowledge
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


async def on_startup(application) -> None:
    """Publish the command menus (private and group, in English, Vietnamese and Russian);
    from now on SIGHUP reloads the KB (one that arrived earlier is carried out now)."""
    from handlers.menus import publish_command_menus

    kb = application.bot_data["services"].knowledge.current
    await publish_command_menus(application.bot, kb)
    logging.getLogger("diplofacts").info(
        "Bot @%s ready: %d topics, %d facts",
        application.bot.username,
        len(kb.topics),
        len(kb.facts),
    )
    EARLY_SIGHUP.hand_over(lambda: _sighup_reload(application))


async def _sighup_reload(application) -> None:
    from handlers.reload import reload_knowledge, tell_admins

    outcome = await reload_knowledge(application, "SIGHUP")
    if not outcome.ok:
        await tell_admins(application, outcome)


class EarlySighup:
    """SIGHUP from the first instant of ``run``: Python's default would kill the process
    without a log line. Until the bot is ready a SIGHUP is only remembered; ``hand_over``
    then installs the real reload on the event loop and runs it once for any that came."""

    def __init__(self) -> None:
        self.pending = 0
        self._tasks: set = set()  # running reloads (asyncio keeps only weak references)

    def install(self) -> None:
        import signal

        if hasattr(signal, "SIGHUP") and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGHUP, self._remember)

    def _remember(self, signum, frame) -> None:
        self.pending += 1

    def hand_over(self, make_reload) -> None:
        """``make_reload()`` returns the coroutine one SIGHUP runs (on the running loop)."""
        import asyncio
        import signal

        log = logging.getLogger("diplofacts")
        loop = asyncio.get_running_loop()

        def reload() -> None:
            task = loop.create_task(make_reload())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        try:
            loop.add_signal_handler(signal.SIGHUP, reload)
        except (NotImplementedError, RuntimeError, ValueError, AttributeError):
            log.info("SIGHUP reload is not available here (not the main thread)")
            return
        if self.pending:
            log.info("SIGHUP arrived during start-up (%d×): reloading now", self.pending)
            self.pending = 0
            reload()


EARLY_SIGHUP = EarlySighup()


async def on_shutdown(application) -> None:
    application.bot_data["services"].storage.close()


def run_bot(*, webhook: bool) -> int:
    EARLY_SIGHUP.install()  # before anything slow: a SIGHUP now must not kill the process
    try:
        config = BotConfig.from_env()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    configure_logging(config)
    try:
        knowledge = LiveKnowledgeBase()
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            logging.error("knowledge base: %s", problem)
        return EXIT_KB_ERROR
    from telegram import Update
    from telegram.error import InvalidToken

    application = build_application(config, knowledge, rate_limiter=config.rate_limiter)
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
        from urllib.parse import urlparse

    try:
        if webhook:
            application.run_webhook(
                listen=config.webhook_listen,
                port=config.port,
                url_path=urlparse(config.webhook_url).path.lstrip("/"),
                webhook_url=config.webhook_url,
                secret_token=config.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=3)
    except InvalidToken:
        logging.getLogger("diplofacts").error(
            "Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?): check it with @BotFather"
        )
        return EXIT_USAGE
    return EXIT_OK


def command_gaps(args: argparse.Namespace) -> int:
    path = db_path_from_env()
    if path is None:
        print("the unanswered-question log is off (DIPLOFACTS_DB=off)")
        return EXIT_OK
    storage = Storage(path)
    if not storage.enabled:  # logged why: unreadable, corrupt, no permission
        print(f"{path}: the unanswered log cannot be read", file=sys.stderr)
        return EXIT_KB_ERROR
    try:
        gaps = storage.top_gaps(args.limit)
    except StorageUnavailable as exc:
        print(f"{path}: the unanswered log cannot be read: {exc}", file=sys.stderr)
        return EXIT_KB_ERROR
    finally:
        storage.close()
    if not gaps:
        print(f"{path}: no unanswered questions recorded")
    for gap in gaps:
        print(
            f"{gap.count:5d}  {gap.lang}  {gap.question}  (first {gap.first_seen}, "
            f"last {gap.last_seen})"
        )
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    return run_bot(webhook=args.webhook)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question")
    ask.add_argument("question", nargs="*", help="the question, or - to read one per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--lang", choices=("en", "vi", "ru"), help="force the reply language")
    ask.add_argument(
        "--all", action="store_true", help="show everything that matched, not only the reply"
    )
    ask.add_argument(
        "--context",
        action="store_true",
        help="with -: each line may follow up on the one before (default: independent lines)",
    )
    ask.set_defaults(handler=command_ask)
    chat = sub.add_parser(
        "chat",
        help="interactive console",
        description="An interactive console: the same answers as the bot, follow-ups "
        "included; /help inside lists its commands.",
    )
    chat.add_argument(
        "--lang",
        choices=("en", "vi", "ru"),
        help="reply in this language (default: the question's)",
    )
    chat.set_defaults(handler=command_chat)
    sub.add_parser("check", help="validate the knowledge base").set_defaults(handler=command_check)
    timeline = sub.add_parser(
        "timeline",
        help="dated events in order, with dates and citations",
        description="Dated events in the order they happened; narrow by a year or range "
        "(2025, 2014-2019), a topic (visits) or a person (lukashenko).",
    )
    timeline.add_argument("filter", nargs="*", help="a year or range, a topic or an entity")
    timeline.add_argument("--lang", choices=("en", "vi", "ru"), default="en")
    timeline.add_argument("--page", type=int, help="only this page (default: all)")
    timeline.set_defaults(handler=command_timeline)
    chart = sub.add_parser("chart", help="draw the trade chart as a PNG")
    chart.add_argument("series", choices=("trade",), help="the series to draw")
    chart.add_argument("--out", default="trade.png", help="the PNG file to write")
    chart.add_argument("--lang", choices=("en", "vi", "ru"), default="en")
    chart.set_defaults(handler=command_chart)
    ev = sub.add_parser("eval", help="accuracy on the evaluation set")
    ev.add_argument("--file", help="another questions file")
    ev.add_argument("--sweep", action="store_true", help="try a grid of matcher thresholds")
    ev.add_argument("--top", type=int, default=15, help="rows of the sweep to print")
    ev.add_argument("--summary", action="store_true", help="only the headline figures")
    ev.set_defaults(handler=command_eval)
    gaps = sub.add_parser("gaps", help="the most frequent questions the bot could not answer")
    gaps.add_argument("--limit", type=int, default=20)
    gaps.set_defaults(handler=command_gaps)
    run = sub.add_parser("run", help="run the Telegram bot (polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="serve a webhook instead of polling")
    run.set_defaults(handler=command_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:
        os._exit(EXIT_OK)  # e.g. `bot.py ask … | head`


if __name__ == "__main__":
    sys.exit(main())
