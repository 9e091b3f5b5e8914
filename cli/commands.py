"""``ask``, ``check``, ``eval``, ``gaps``, ``timeline`` and ``chart``: one function each,
taking the parsed arguments and returning the exit status."""

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
    EVAL_SETS,
    EvalFileError,
    eval_set_for,
    evaluate,
    format_report,
    format_summary,
    load_cases,
    sweep,
)
from knowledge.loader import load_knowledge_base
from knowledge.render import render_text
from knowledge.timeline import (
    parse_timeline_query,
    render_timeline_text,
    timeline_events,
    timeline_pages,
)
from runtime.config import EXIT_KB_ERROR, EXIT_OK, EXIT_USAGE, ConfigError, database_from_env
from runtime.storage import StorageUnavailable, read_gaps


def ask(args: argparse.Namespace) -> int:
    kb = load_kb_or_exit(cached=True)
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
            f"usage: {Path(sys.argv[0]).name} ask [--json] [--all] [--lang en|vi|ru] QUESTION "
            "(or - for stdin)",
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
        sets = [eval_set_for(path)]
    else:
        sets = list(EVAL_SETS)
    try:
        if args.sweep:
            # Sweeps tune, so they only ever read a tuning set.
            cases = load_cases(Path(args.file) if args.file else EVAL_FILE)
            print("accept suggest min_len coverage  accuracy  leaked")
            for t, accuracy, leaked in sweep(kb, cases)[: args.top]:
                print(
                    f"{t.accept:6.0f} {t.suggest:7.0f} {t.min_fuzzy_length:7d} "
                    f"{t.min_coverage:8.2f}  {accuracy:8.1%}  {leaked:6d}"
                )
            return EXIT_OK
        for eval_set in sets:
            set_kb = load_knowledge_base(eval_set.kb_dir) if eval_set.kb_dir else kb
            report = evaluate(set_kb, load_cases(eval_set.file))
            if args.summary:
                print(format_summary(eval_set.name, report))
            else:
                print(format_report(report, eval_set.name), end="\n\n")
    except EvalFileError as exc:
        print(f"eval: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def timeline(args: argparse.Namespace) -> int:
    """Dated events in order, narrowed by a year or range, a topic or an entity."""
    kb = load_kb_or_exit()
    query = parse_timeline_query(kb, " ".join(args.filter))
    events = timeline_events(kb, query)
    pages = range(timeline_pages(events)) if args.page is None else [args.page - 1]
    for page in pages:
        print(render_timeline_text(kb, events, args.lang, page=page, query=query), end="\n\n")
    return EXIT_OK


def chart(args: argparse.Namespace) -> int:
    """Write the trade chart (matplotlib is imported only here, inside render_trade_chart)."""
    from knowledge.chart import render_trade_chart

    kb = load_kb_or_exit()
    png = render_trade_chart(kb, args.lang)
    Path(args.out).write_bytes(png)
    print(f"wrote {args.out} ({len(png):,} bytes)")
    return EXIT_OK


def gaps(args: argparse.Namespace) -> int:
    """The unanswered-question log, read only: no directory or database is created."""
    try:
        path, url = database_from_env()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if path is None and url is None:
        print("the unanswered-question log is off (DIPLOFACTS_DB=off)")
        return EXIT_OK
    if url is not None:
        from runtime.pg_storage import read_gaps as read_pg_gaps
        from runtime.pg_storage import redact

        read, path = read_pg_gaps, redact(url)
        source = url
    else:
        read, source = read_gaps, path
    try:
        gaps = read(source, args.limit)
    except StorageUnavailable as exc:
        print(f"{path}: the unanswered log cannot be read: {exc}", file=sys.stderr)
        return EXIT_KB_ERROR
    if gaps is None:
        print(f"{path}: no unanswered questions recorded (no database yet)")
        return EXIT_OK
    if not gaps:
        print(f"{path}: no unanswered questions recorded")
    for gap in gaps:
        print(
            f"{gap.count:5d}  {gap.lang}  {gap.question}  (first {gap.first_seen}, "
            f"last {gap.last_seen})"
        )
    return EXIT_OK
