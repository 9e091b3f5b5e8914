"""diplofacts: the command line. It parses the arguments and hands over: the Telegram-free
commands to ``cli``, ``run`` to the bot's composition root, ``handlers.app``.

    python bot.py ask "trade in 2011"        answer one question (plain text)
    python bot.py ask --json "..."           answer as one JSON object (public contract)
    python bot.py ask --json -               one question a line from stdin, one JSON a line
    python bot.py chat                       interactive console
    python bot.py check                      validate the knowledge base
    python bot.py eval                       accuracy on the evaluation set
    python bot.py run [--webhook]            run the Telegram bot

``ask``, ``chat``, ``check``, ``eval`` and ``gaps`` never import ``telegram``: ``cli`` has no
import of it, and only ``run`` imports ``handlers``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cli import commands, console
from knowledge.records import LANGUAGES
from runtime.config import EXIT_OK


def run_command(args: argparse.Namespace) -> int:
    """``run``: the one command that needs Telegram, so the one that imports it."""
    from handlers.app import run_bot

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
    ask.set_defaults(handler=commands.ask)
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
    run = sub.add_parser("run", help="run the Telegram bot (polling, or --webhook)")
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
