"""Score the matcher on the evaluation set (tests/eval/questions.yaml)."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from knowledge import matcher
from knowledge.answer import answer_question
from knowledge.model import Answer, AnswerKind, KnowledgeBase

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "eval" / "questions.yaml"
NO_FACT_EXPECTATIONS = ("out_of_scope", "greeting")


@dataclass(frozen=True, slots=True)
class Case:
    q: str
    lang: str
    expect: str
    topics: tuple[str, ...]
    figure: str | None
    tags: tuple[str, ...]


@dataclass(slots=True)
class Outcome:
    case: Case
    answer: Answer
    correct: bool
    got: str


@dataclass(slots=True)
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / max(len(self.outcomes), 1)

    def facts_leaked(self) -> list[Outcome]:
        """Out-of-scope and greeting cases that got facts anyway: must be none."""
        return [
            o for o in self.outcomes if o.case.expect in NO_FACT_EXPECTATIONS and o.answer.facts
        ]

    def by(self, key) -> dict[str, tuple[int, int]]:
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for o in self.outcomes:
            for k in key(o.case):
                totals[k][0] += o.correct
                totals[k][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(totals.items())}


def load_cases(path: Path = EVAL_FILE) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            q=str(item["q"]),
            lang=item.get("lang", "en"),
            expect=item.get("expect", "facts"),
            topics=tuple(item.get("topics") or ()),
            figure=str(item["figure"]) if item.get("figure") is not None else None,
            tags=tuple(item.get("tags") or ()),
        )
        for item in raw
    ]


def describe(answer: Answer) -> str:
    if answer.kind is AnswerKind.FACTS:
        return "facts:" + "+".join(answer.intents)
    if answer.kind is AnswerKind.SUGGESTIONS:
        return "suggestions:" + "+".join(answer.suggestions)
    if answer.kind is AnswerKind.OUT_OF_SCOPE:
        return "out_of_scope:" + ",".join(answer.foreign_countries)
    return answer.kind.value


def judge(case: Case, answer: Answer) -> bool:
    if case.expect == "facts":
        if answer.kind is not AnswerKind.FACTS or not set(case.topics) <= set(answer.intents):
            return False
        if case.figure:
            needle = case.figure.lower()
            return any(needle in text.lower() for f in answer.facts for text in f.text.values())
        return True
    if case.expect == "suggestions":
        return answer.kind is AnswerKind.SUGGESTIONS and set(case.topics) <= set(answer.suggestions)
    if case.expect == "greeting":
        return answer.kind is AnswerKind.GREETING and not answer.facts
    return answer.kind in (AnswerKind.OUT_OF_SCOPE, AnswerKind.UNKNOWN) and not answer.facts


def evaluate(kb: KnowledgeBase, cases: list[Case]) -> Report:
    report = Report()
    for case in cases:
        answer = answer_question(kb, case.q)
        report.outcomes.append(Outcome(case, answer, judge(case, answer), describe(answer)))
    return report


def expected_label(case: Case) -> str:
    return case.expect if case.expect != "facts" else "facts:" + "+".join(case.topics)


def format_report(report: Report) -> str:
    lines = [
        f"overall: {sum(o.correct for o in report.outcomes)}/{len(report.outcomes)} "
        f"= {report.accuracy:.1%}"
    ]
    lines.append(f"facts given to out-of-scope/greeting questions: {len(report.facts_leaked())}")
    for title, key in (
        ("per topic", lambda c: c.topics or (c.expect,)),
        ("per language", lambda c: (c.lang,)),
        ("per tag", lambda c: c.tags),
    ):
        lines.append(f"\n{title}:")
        for name, (ok, total) in report.by(key).items():
            lines.append(f"  {name:<16} {ok:>3}/{total:<3} {ok / total:6.1%}")
    confusion = Counter((expected_label(o.case), o.got) for o in report.outcomes if not o.correct)
    lines.append(f"\nconfusions ({sum(confusion.values())}):")
    for (expected, got), n in confusion.most_common():
        lines.append(f"  {n}× expected {expected} → got {got}")
    for o in report.outcomes:
        if not o.correct:
            lines.append(f"  ✗ {o.case.q!r}: expected {expected_label(o.case)}, got {o.got}")
    return "\n".join(lines)


def sweep(kb: KnowledgeBase, cases: list[Case]) -> list[tuple[matcher.Thresholds, float, int]]:
    """Accuracy and leaked facts for a grid of thresholds (the chosen ones are the defaults)."""
    original = matcher.THRESHOLDS
    results = []
    try:
        for accept in (70.0, 75.0, 80.0, 85.0, 90.0):
            for suggest in (60.0, 65.0, 70.0):
                for length in (4, 5, 6):
                    for coverage in (0.34, 0.5, 0.67):
                        if suggest > accept:
                            continue
                        matcher.THRESHOLDS = dataclasses.replace(
                            original,
                            accept=accept,
                            suggest=suggest,
                            min_fuzzy_length=length,
                            min_coverage=coverage,
                        )
                        report = evaluate(kb, cases)
                        results.append(
                            (matcher.THRESHOLDS, report.accuracy, len(report.facts_leaked()))
                        )
    finally:
        matcher.THRESHOLDS = original
    return sorted(results, key=lambda r: (-r[1], r[2]))
