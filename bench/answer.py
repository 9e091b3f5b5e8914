"""Answer latency of the in-process core beside a naive rapidfuzz baseline, in one run.

    python bench/answer.py                 # shipped KB, 10x and 100x synthetic KBs
    python bench/answer.py --scales 1 --json

For each KB size it answers every question of knowledge/eval/questions.yaml ``--rounds``
times and reports p50/p99 latency and answers per second; the baseline is
``rapidfuzz.process.extractOne(question, all_aliases, scorer=WRatio)`` over the same KB's
aliases and the same questions. The synthetic KBs repeat the real topics, aliases and facts
for invented country pairs (one pseudo-word per pair added to every alias), so vocabulary,
alias count and fact count all grow with the scale.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process  # noqa: E402

from knowledge.answer import answer_question  # noqa: E402
from knowledge.evaluation import load_cases  # noqa: E402
from knowledge.loader import load_knowledge_base  # noqa: E402
from knowledge.matcher import index_for  # noqa: E402
from knowledge.model import KnowledgeBase  # noqa: E402

SYLLABLES = "ka lo mi ren tu vas pel dor in sa qua zet bri hon mul".split()


def pair_word(k: int) -> str:
    """A pronounceable pseudo-word per synthetic country pair: 'kalo', 'kami', …"""
    n = len(SYLLABLES)
    return SYLLABLES[k % n] + SYLLABLES[(k // n) % n] + SYLLABLES[(k // n // n) % n]


def synthetic_kb(kb: KnowledgeBase, scale: int) -> KnowledgeBase:
    if scale == 1:
        return kb
    topics, facts = dict(kb.topics), list(kb.facts)
    for k in range(1, scale):
        word = pair_word(k)
        for topic in kb.topics.values():
            tid = f"{topic.id}-{word}"
            aliases = {
                lang: tuple(f"{a} {word}" for a in words) for lang, words in topic.aliases.items()
            }
            topics[tid] = dataclasses.replace(
                topic, id=tid, command=f"{topic.command}_{k}"[:32], aliases=aliases, main=False
            )
        for fact in kb.facts:
            facts.append(
                dataclasses.replace(
                    fact,
                    id=f"{fact.id}-{word}",
                    topics=tuple(f"{t}-{word}" for t in fact.topics),
                    text={lang: f"{text} ({word})" for lang, text in fact.text.items()},
                )
            )
    return KnowledgeBase(
        scope=kb.scope,
        sources=kb.sources,
        topics=topics,
        facts=tuple(facts),
        origin=f"{kb.origin} x{scale}",
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(fn, questions: list[str], rounds: int) -> dict[str, float]:
    for q in questions:  # warm caches once, as a running bot would be
        fn(q)
    timings = []
    start = time.perf_counter()
    for _ in range(rounds):
        for q in questions:
            t0 = time.perf_counter_ns()
            fn(q)
            timings.append((time.perf_counter_ns() - t0) / 1e6)
    elapsed = time.perf_counter() - start
    return {
        "p50_ms": percentile(timings, 0.50),
        "p99_ms": percentile(timings, 0.99),
        "mean_ms": statistics.fmean(timings),
        "per_s": len(timings) / elapsed,
        "n": len(timings),
    }


def run(scales: list[int], rounds: int) -> list[dict]:
    base = load_knowledge_base()
    questions = [c.q for c in load_cases()]
    rows = []
    for scale in scales:
        kb = synthetic_kb(base, scale)
        t0 = time.perf_counter()
        index_for(kb)
        index_ms = (time.perf_counter() - t0) * 1000
        aliases = [a for t in kb.topics.values() for words in t.aliases.values() for a in words]
        core = measure(lambda q, kb=kb: answer_question(kb, q), questions, rounds)
        naive = measure(
            lambda q, aliases=aliases: process.extractOne(q, aliases, scorer=fuzz.WRatio),
            questions,
            max(1, rounds // 2),
        )
        rows.append(
            {
                "scale": scale,
                "topics": len(kb.topics),
                "facts": len(kb.facts),
                "aliases": len(aliases),
                "index_ms": index_ms,
                "core": core,
                "naive": naive,
                "speedup_p50": naive["p50_ms"] / core["p50_ms"],
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run(args.scales, args.rounds)
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print(
        f"{'KB':>5} {'topics':>6} {'facts':>6} {'aliases':>7} {'index ms':>8} | "
        f"{'core p50':>8} {'p99':>7} {'answers/s':>9} | {'naive p50':>9} {'p99':>7} "
        f"{'answers/s':>9} | {'speedup':>7}"
    )
    for r in rows:
        c, n = r["core"], r["naive"]
        print(
            f"{r['scale']:>4}x {r['topics']:>6} {r['facts']:>6} {r['aliases']:>7} "
            f"{r['index_ms']:>8.1f} | {c['p50_ms']:>6.3f}ms {c['p99_ms']:>5.3f}ms "
            f"{c['per_s']:>9.0f} | {n['p50_ms']:>7.3f}ms {n['p99_ms']:>5.3f}ms "
            f"{n['per_s']:>9.0f} | {r['speedup_p50']:>6.1f}x"
        )


if __name__ == "__main__":
    main()
