"""The two country pairs the core tests run on: the first KB's (the shipped pair) and the
fictional Freedonia–Sylvania fixture (tests/kb_fixtures/freedonia_sylvania, README.md there).

Questions are written from each KB's own scope record where the language allows it (an
English or Vietnamese sentence takes a country's name as it is); the few that need grammar
(Russian cases) or a fact only one KB holds are given per pair.
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
    # Russian direction questions: (question, direction)
    russian_directions: tuple[tuple[str, str], ...]
    # A question for the direction the KB does not hold, and the direction it asks
    missing_direction: tuple[str, str]
    trade_fact: str  # the first fact "trade" finds with the KB's own words ("trade in <year>")
    trade_question: str

    @cached_property
    def kb(self) -> KnowledgeBase:
        return load_knowledge_base(self.kb_dir)

    def __str__(self) -> str:
        return self.id


PAIRS = (
    Pair(
        id="first-kb",
        kb_dir=FIRST_KB_DIR,
        russian_directions=(
            ("что Беларусь экспортирует во Вьетнам?", "by-vn"),
            ("посол Вьетнама в Беларуси", "vn-by"),
        ),
        missing_direction=("Who is Vietnam's ambassador to Belarus?", "vn-by"),
        trade_fact="trade-2022-total",
        trade_question="trade in 2022",
    ),
    Pair(
        id="fixture-freedonia-sylvania",
        kb_dir=FIXTURE_KB_DIR,
        russian_directions=(
            ("что Сильвания экспортирует во Фридонию?", "sy-fd"),
            ("экспорт Фридонии в Сильванию", "fd-sy"),
        ),
        missing_direction=("Who is Freedonia's ambassador to Sylvania?", "fd-sy"),
        trade_fact="fixture-trade-2020",
        trade_question="trade in 2020",
    ),
)
