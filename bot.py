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
import os
import sys
from collections.abc import Sequence

from knowledge.loader import KnowledgeBaseError, kb_directory, load_knowledge_base
from knowledge.model import KnowledgeBase

EXIT_OK, EXIT_KB_ERROR, EXIT_USAGE = 0, 1, 2


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

    def answer_one(text: str) -> None:
        answer = answer_question(kb, text, lang=args.lang)
        if args.json:
            print(json.dumps(answer_json(answer, kb), ensure_ascii=False), flush=True)
        else:
            print(render_text(answer, kb), flush=True)

    if question.strip() == "-":
        for line in sys.stdin:
            answer_one(line.rstrip("\r\n"))
        return EXIT_OK
    if not question.strip():
        print(
            "usage: bot.py ask [--json] [--lang en|vi|ru] QUESTION (or - for stdin)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    answer_one(question)
    return EXIT_OK


def command_chat(args: argparse.Namespace) -> int:
    from knowledge.answer import answer_question
    from knowledge.render import render_text

    kb = _load_kb_or_exit()
    print("diplofacts console: ask about Vietnam–Belarus relations; Ctrl-D or 'quit' to leave.")
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        if text.strip().lower() in {"quit", "exit", "/quit"}:
            return EXIT_OK
        topic = None
        if text.startswith("/"):
            command, _, text = text[1:].partition(" ")
            found = kb.topic_by_command(command.split("@")[0])
            topic = found.id if found else None
        print(render_text(answer_question(kb, text, topic=topic, lang=args.lang), kb))
        print()


def command_check(args: argparse.Namespace) -> int:
    kb = _load_kb_or_exit()
    print(
        f"{kb.origin}: OK: {len(kb.sources)} sources, {len(kb.topics)} topics, "
        f"{len(kb.facts)} facts"
    )
    return EXIT_OK


def command_eval(args: argparse.Namespace) -> int:
    from knowledge.evaluation import EVAL_FILE, evaluate, format_report, load_cases, sweep

    kb = _load_kb_or_exit()
    cases = load_cases(args.file or EVAL_FILE)
    if args.sweep:
        print("accept suggest min_len coverage  accuracy  leaked")
        for t, accuracy, leaked in sweep(kb, cases)[: args.top]:
            print(
                f"{t.accept:6.0f} {t.suggest:7.0f} {t.min_fuzzy_length:7d} {t.min_coverage:8.2f}"
                f"  {accuracy:8.1%}  {leaked:6d}"
            )
        return EXIT_OK
    report = evaluate(kb, cases)
    print(format_report(report))
    return EXIT_OK


def command_run(args: argparse.Namespace) -> int:
    from handlers.app import run_bot  # imports telegram: only here

    return run_bot(webhook=args.webhook)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer a question")
    ask.add_argument("question", nargs="*", help="the question, or - to read one per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per answer")
    ask.add_argument("--lang", choices=("en", "vi", "ru"), help="force the reply language")
    ask.set_defaults(handler=command_ask)
    chat = sub.add_parser("chat", help="interactive console")
    chat.add_argument("--lang", choices=("en", "vi", "ru"))
    chat.set_defaults(handler=command_chat)
    sub.add_parser("check", help="validate the knowledge base").set_defaults(handler=command_check)
    ev = sub.add_parser("eval", help="accuracy on the evaluation set")
    ev.add_argument("--file", help="another questions file")
    ev.add_argument("--sweep", action="store_true", help="try a grid of matcher thresholds")
    ev.add_argument("--top", type=int, default=15, help="rows of the sweep to print")
    ev.set_defaults(handler=command_eval)
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
