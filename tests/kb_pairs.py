"""The two country pairs the core tests run on: the first KB's (the shipped pair) and the
fictional Freedonia–Sylvania fixture (tests/kb_fixtures/freedonia_sylvania, README.md there).

Questions are written from each KB's own scope record where the language allows it (an
English or Vietnamese sentence takes a country's name as it is); the few that need grammar
(Russian cases) or a fact of the KB ("trade in 2022") are given per pair. Both KBs hold an
ambassador only from their second country to their first.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from knowledge.evaluation import FIRST_KB_DIR
from knowledge.loader import PACKAGED_KB, load_knowledge_base
from knowledge.model import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_KB_DIR = ROOT / "tests" / "kb_fixtures" / "freedonia_sylvania"
PACKAGED_SCOPE = PACKAGED_KB / "scope.yaml"


def write_scope(directory: Path, scope_file: Path = PACKAGED_SCOPE) -> None:
    """Give a KB written by a test the shipped pair's scope record, as its own file."""
    shutil.copy(scope_file, directory / "scope.yaml")


@dataclass(frozen=True)
class Pair:
    id: str
    kb_dir: Path
    trade: tuple[str, str]  # "trade in <year>" and the first fact it finds
    # Russian direction questions, (question, direction): Russian names take cases
    russian_directions: tuple[tuple[str, str], ...]

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self.kb_dir)

    def __str__(self) -> str:
        return self.id


_FIRST_KB_RUSSIAN = (
    ("что Беларусь экспортирует во Вьетнам?", "by-vn"),
    ("посол Вьетнама в Беларуси", "vn-by"),
)
_FIXTURE_RUSSIAN = (
    ("что Сильвания экспортирует во Фридонию?", "sy-fd"),
    ("экспорт Фридонии в Сильванию", "fd-sy"),
)
PAIRS = (
    Pair("first-kb", FIRST_KB_DIR, ("trade in 2022", "trade-2022-total"), _FIRST_KB_RUSSIAN),
    Pair("fixture", FIXTURE_KB_DIR, ("trade in 2020", "fixture-trade-2020"), _FIXTURE_RUSSIAN),
)
