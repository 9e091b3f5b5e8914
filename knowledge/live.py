"""The knowledge base a running bot serves, replaced only by a fully valid new one."""

from __future__ import annotations

import threading
from pathlib import Path

from knowledge.loader import KnowledgeBaseError, Problem, load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import KnowledgeBase


class LiveKnowledgeBase:
    """Holds the current KB. ``reload`` swaps in a new one only after it validated in full
    and its index is built; answers already running keep the KB object they started with."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._current = self._load()

    def _load(self) -> KnowledgeBase:
        kb = load_knowledge_base(self.directory)
        index_for(kb)  # build before it goes live, so the first question is not slower
        return kb

    @property
    def current(self) -> KnowledgeBase:
        return self._current

    def reload(self) -> tuple[KnowledgeBase, list[Problem]]:
        """(the KB now served, problems); with problems, the previous KB stays."""
        with self._lock:
            try:
                fresh = self._load()
            except KnowledgeBaseError as exc:
                return self._current, exc.problems
            self._current = fresh
            return fresh, []
