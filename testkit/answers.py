"""Reading the core's answers in tests."""

from __future__ import annotations

from knowledge.answer import answer_question
from knowledge.model import AnswerKind, KnowledgeBase


def first_fact_id(kb: KnowledgeBase, question: str, **kw: object) -> str:
    """The id of the reply's first fact; fails, naming the question, when no fact is given."""
    got = answer_question(kb, question, **kw)
    assert got.kind is AnswerKind.FACTS and got.facts, (question, got.kind)
    return got.facts[0].id
