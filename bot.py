"""diplofacts: short, sourced answers about Vietnam–Belarus relations, on the command line
and as a Telegram bot.

    diplofacts ask "trade in 2011"        answer one question (plain text)
    diplofacts ask --json "..."           answer as one JSON object
    diplofacts ask --json -               one question a line from stdin, one JSON a line
    diplofacts chat                       interactive console
    diplofacts check                      validate the knowledge base
    diplofacts eval                       accuracy on the evaluation set
    diplofacts gaps                       questions the bot could not answer
    diplofacts run [--webhook]            run the Telegram bot (TELEGRAM_BOT_TOKEN)

(For developers: every command but ``run`` is in ``cli``, which never imports ``telegram``;
``run`` hands over to ``handlers.app``.)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib import metadata

from cli import commands, console
from knowledge.records import LANGUAGES
from runtime.config import EXIT_OK


def run_command(args: argparse.Namespace) -> int:
    """``run``: the one command that needs Telegram, so the one that imports it."""
    from handlers.app import run_bot

    return run_bot(webhook=args.webhook)


def version() -> str:
    """The installed package's version (pyproject.toml's, via the package metadata)."""
    try:
        return metadata.version("diplofacts")
    except metadata.PackageNotFoundError:  # a bare checkout, never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Short, sourced answers about the relations of the country pair the "
        "knowledge base covers (its scope record): ask, chat, check the knowledge base, or "
        "run the Telegram bot.",
        epilog="Settings come from the environment (TELEGRAM_BOT_TOKEN, DIPLOFACTS_KB, "
        "DATABASE_URL, …; see the README). Exit codes: 0 done, 2 a wrong setting or "
        "argument, 1 anything else.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question")
    ask.add_argument("question", nargs="*", help="the question, or - to read one per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--lang", choices=LANGUAGES, help="force the reply language")
    ask.add_argument(
        "--all", action="store_true", help="show everything that matched, not only the reply"
    )
    ask.add_argument(
        "--context",
        action="store_true",
        help="with -: each line may follow up on the one before (default: independent lines)",
    )
    ask.set_defaults(handler=commands.ask)
    chat = sub.add_parser(
        "chat",
        help="interactive console",
        description="An interactive console: the same answers as the bot, follow-ups "
        "included; /help inside lists its commands.",
    )
    chat.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="reply in this language (default: the question's)",
    )
    chat.set_defaults(handler=console.chat)
    sub.add_parser("check", help="validate the knowledge base").set_defaults(handler=commands.check)
    ev = sub.add_parser("eval", help="accuracy on the evaluation set")
    ev.add_argument("--file", help="another questions file")
    ev.add_argument("--sweep", action="store_true", help="try a grid of matcher thresholds")
    ev.add_argument("--top", type=int, default=15, help="rows of the sweep to print")
    ev.add_argument("--summary", action="store_true", help="only the headline figures")
    ev.set_defaults(handler=commands.eval_command)
    timeline = sub.add_parser(
        "timeline",
        help="dated events in order, with dates and citations",
        description="Dated events in the order they happened; narrow by a year or range "
        "(2025, 2014-2019), a topic (visits) or a person (lukashenko).",
    )
    timeline.add_argument("filter", nargs="*", help="a year or range, a topic or an entity")
    timeline.add_argument("--lang", choices=LANGUAGES, default="en")
    timeline.add_argument("--page", type=int, help="only this page (default: all)")
    timeline.set_defaults(handler=commands.timeline)
    chart = sub.add_parser("chart", help="draw the trade chart as a PNG")
    chart.add_argument("series", choices=("trade",), help="the series to draw")
    chart.add_argument("--out", default="trade.png", help="the PNG file to write")
    chart.add_argument("--lang", choices=LANGUAGES, default="en")
    chart.set_defaults(handler=commands.chart)
    gaps = sub.add_parser("gaps", help="the most frequent questions the bot could not answer")
    gaps.add_argument("--limit", type=int, default=20)
    gaps.set_defaults(handler=commands.gaps)
    run = sub.add_parser(
        "run",
        help="run the Telegram bot (polling, or --webhook)",
        description="Run the Telegram bot until SIGTERM or Ctrl-C: long polling (no public "
        "address needed), or with --webhook a listener Telegram calls at WEBHOOK_URL. "
        "Settings come from the environment: TELEGRAM_BOT_TOKEN (required), WEBHOOK_URL, "
        "WEBHOOK_SECRET, PORT, HEALTH_PORT, LOG_LEVEL, ADMIN_IDS, FLOOD_LIMIT, "
        "DATABASE_URL (or DIPLOFACTS_DB).",
    )
    run.add_argument("--webhook", action="store_true", help="serve a webhook instead of polling")
    run.set_defaults(handler=run_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:
        os._exit(EXIT_OK)  # e.g. `bot.py ask … | head`


if __name__ == "__main__":
    sys.exit(main())
