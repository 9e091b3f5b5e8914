"""The diplofacts core: knowledge base, matching, answering and rendering.

Nothing here imports ``telegram``: the same core serves the bot, the command line
and the tests.
"""

from knowledge.answer import answer_question, main_topics
from knowledge.loader import KnowledgeBaseError, Problem, load_knowledge_base
from knowledge.model import Answer, AnswerKind, Fact, KnowledgeBase, Period, Source, Topic
from knowledge.render import render_html, render_text

__all__ = [
    "Answer",
    "AnswerKind",
    "Fact",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Period",
    "Problem",
    "Source",
    "Topic",
    "answer_question",
    "load_knowledge_base",
    "main_topics",
    "render_html",
    "render_text",
]
