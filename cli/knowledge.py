"""The knowledge base a command-line command works on, or a clear exit when it is invalid."""

from __future__ import annotations

import sys

from knowledge.loader import KnowledgeBaseError, kb_directory, load_knowledge_base
from knowledge.model import KnowledgeBase
from runtime.config import EXIT_KB_ERROR
from runtime.kb_cache import load_cached_knowledge_base


def load_kb_or_exit(*, cached: bool = False) -> KnowledgeBase:
    """The KB, or exit 2 with its problems; ``cached``: through the on-disk cache
    (runtime/kb_cache.py), for the one-shot commands a cold start matters to."""
    try:
        return load_cached_knowledge_base() if cached else load_knowledge_base()
    except KnowledgeBaseError as exc:
        print(f"knowledge base {kb_directory()} is invalid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        raise SystemExit(EXIT_KB_ERROR) from None
