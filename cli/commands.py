"""``ask``, ``check``, ``eval`` and ``gaps``: one function each, taking the parsed
arguments and returning the exit status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from cli.knowledge import load_kb_or_exit
from knowledge.answer import answer_question
from knowledge.contract import answer_json
from knowledge.evaluation import (
    EVAL_FILE,
    HOLDOUT_FILE,
    evaluate,
    format_report,
    format_summary,
    load_cases,
    sweep,
)
from knowledge.render import render_text
from runtime.config import EXIT_KB_ERROR, EXIT_OK, EXIT_USAGE
from runtime.storage import Storage, StorageUnavailable, db_path_from_env


def ask(args: argparse.Namespace) -> int:
    kb = load_kb_or_exit()
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


def check(args: argparse.Namespace) -> int:
    kb = load_kb_or_exit()
    print(
        f"{kb.origin}: OK: {len(kb.sources)} sources, {len(kb.topics)} topics, "
        f"{len(kb.facts)} facts"
    )
    return EXIT_OK


def eval_command(args: argparse.Namespace) -> int:
    kb = load_kb_or_exit()
    if args.file:
        path = Path(args.file)
        if not path.is_file():
            print(f"eval: {path} is not a file", file=sys.stderr)
            return EXIT_USAGE
        sets = [(path.name, path)]
    else:
        sets = [
            ("tuning set (questions.yaml)", EVAL_FILE),
            ("held-out split (holdout.yaml)", HOLDOUT_FILE),
        ]
    if args.sweep:
        # Sweeps tune, so they only ever read the tuning set.
        cases = load_cases(Path(args.file) if args.file else EVAL_FILE)
        print("accept suggest min_len coverage  accuracy  leaked")
        for t, accuracy, leaked in sweep(kb, cases)[: args.top]:
            print(
                f"{t.accept:6.0f} {t.suggest:7.0f} {t.min_fuzzy_length:7d} {t.min_coverage:8.2f}"
                f"  {accuracy:8.1%}  {leaked:6d}"
            )
        return EXIT_OK
    reports = [(name, evaluate(kb, load_cases(path))) for name, path in sets]
    if args.summary:
        print("\n".join(format_summary(name, report) for name, report in reports))
        return EXIT_OK
    for name, report in reports:
        print(format_report(report, name))
        print()
    return EXIT_OK


def gaps(args: argparse.Namespace) -> int:
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
