"""The knowledge base a command-line command works on, or a clear exit when it is invalid."""

from __future__ import annotations

import sys

from knowledge.loader import KnowledgeBaseError, kb_directory, load_knowledge_base
from knowledge.model import KnowledgeBase
from runtime.config import EXIT_KB_ERROR


def load_kb_or_exit() -> KnowledgeBase:
    try:
        return load_knowledge_base()
    except KnowledgeBaseError as exc:
        print(f"knowledge base {kb_directory()} is invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(EXIT_KB_ERROR) from None
