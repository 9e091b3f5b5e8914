"""The evaluation sets: the 2023 sets against the first KB they were written for (accuracy
≥ 95 % overall on the first tuning set, never a fact for out-of-scope questions), the 2026
sets against the full KB, and the held-out splits guarded against regressions."""

from __future__ import annotations

import pytest

from knowledge.evaluation import EVAL_DIR, FIRST_KB_DIR, evaluate, format_report, load_cases
from knowledge.loader import load_knowledge_base

FULL_KB = load_knowledge_base()
KB = load_knowledge_base(FIRST_KB_DIR)
CASES = load_cases()
REPORT = evaluate(KB, CASES)
CASES_2026 = load_cases(EVAL_DIR / "questions_2026.yaml")


def test_evaluation_set_is_broad():
    assert len(CASES) >= 150
    tags = {t for c in CASES for t in c.tags}
    for needed in (
        "typo",
        "vi",
        "vi_nodiacritics",
        "ru",
        "year",
        "multi",
        "other_pair",
        "unrelated",
        "greeting",
        "ambiguous",
    ):
        assert needed in tags, needed
    assert {c.lang for c in CASES} == {"en", "vi", "ru"}
    assert {t for c in CASES for t in c.topics} == set(KB.topics)
    # every topic of the full KB has questions in the 2026 tuning set or the first one
    assert {t for c in CASES + CASES_2026 for t in c.topics} | {
        t for c in CASES_2026 for f in c.first for t in FULL_KB.facts_by_id[f].topics
    } >= set(FULL_KB.topics)


def test_overall_accuracy_at_least_95_percent():
    assert REPORT.accuracy >= 0.95, format_report(REPORT)


def test_no_facts_for_out_of_scope_or_greetings():
    leaked = REPORT.facts_leaked()
    assert leaked == [], [(o.case.q, o.got) for o in leaked]
    out_of_scope = [o for o in REPORT.outcomes if o.case.expect == "out_of_scope"]
    assert len(out_of_scope) >= 20
    assert all(not o.answer.facts for o in out_of_scope)


@pytest.mark.parametrize("lang", ["en", "vi", "ru"])
def test_accuracy_per_language(lang):
    ok, total = REPORT.by(lambda c: (c.lang,))[lang]
    assert ok / total >= 0.9, format_report(REPORT)


def test_held_out_split_does_not_regress():
    """The frozen split is never tuned on; this only guards against getting worse than the
    figures the README reports (78.5 % first fact, 0 leaks on 2026-12-02, fourth session)."""
    from knowledge.evaluation import HOLDOUT_FILE

    held_out = evaluate(KB, load_cases(HOLDOUT_FILE))  # against the first KB, as written
    assert held_out.first_fact >= 0.75, format_report(held_out)
    assert len(held_out.facts_leaked()) <= 1
    assert held_out.mean_facts <= 3.0


@pytest.mark.parametrize(
    ("file", "first_fact", "leaks"),
    # README, 2026-12-03 (ninth session): 80.7 % and 0 leaks; 85.4 % and 1 leak; 80.9 %
    # and 4 leaks; 76.8 % and 1 leak; 75.4 % and 5 leaks; 70.8 % and 1 leak; 67.1 % and 6
    # leaks; 64.5 % and 3 leaks; 67.6 % and 3 leaks (holdout_2026i, written at the start of
    # the ninth session from the data files only and scored once, at its end); each guard
    # was set at that split's first scoring, its figure less about three points and a leak
    # more at most where it already leaked, and is not loosened afterwards
    [
        ("holdout_2026.yaml", 0.76, 1),
        ("holdout_2026b.yaml", 0.81, 2),
        ("holdout_2026c.yaml", 0.77, 4),
        ("holdout_2026d.yaml", 0.73, 2),
        ("holdout_2026e.yaml", 0.72, 6),
        ("holdout_2026f.yaml", 0.67, 2),
        ("holdout_2026g.yaml", 0.63, 7),
        ("holdout_2026h.yaml", 0.60, 4),
        ("holdout_2026i.yaml", 0.64, 4),
    ],
)
def test_2026_held_out_splits_do_not_regress(file: str, first_fact: float, leaks: int) -> None:
    held_out = evaluate(FULL_KB, load_cases(EVAL_DIR / file))
    assert held_out.first_fact >= first_fact, format_report(held_out)
    assert len(held_out.facts_leaked()) <= leaks
    assert held_out.mean_facts <= 3.0
