"""The timeline, the trade chart, "latest" questions and disagreeing sources."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from knowledge.answer import answer_question
from knowledge.chart import render_trade_chart, trade_bars
from knowledge.contract import answer_json
from knowledge.loader import KnowledgeBaseError, load_knowledge_base
from knowledge.matcher import index_for
from knowledge.render import render_text
from knowledge.timeline import (
    parse_timeline_query,
    render_timeline_text,
    timeline_events,
    timeline_pages,
)
from tests.kb_pairs import write_scope

ROOT = Path(__file__).resolve().parent.parent
KB = load_knowledge_base()

DISPUTED_KB = """\
sources:
  - {id: ministry, publisher: Ministry Wire, title: "Trade up", date: "2022-03-24",
     date_basis: stated, file: a.txt}
  - {id: agency, publisher: Agency News, title: "Trade doubled", date: "2022-04-01",
     date_basis: stated, file: b.txt}
topics:
  - id: trade
    command: trade
    label: {en: Trade, vi: Thương mại, ru: Торговля}
    description: {en: Trade, vi: Thương mại, ru: Торговля}
    aliases: {en: [trade], vi: [thương mại], ru: [торговля]}
measures:
  - id: trade-total
    label: {en: Two-way trade, vi: Kim ngạch, ru: Товарооборот}
    unit: {en: million USD, vi: triệu USD, ru: млн долларов США}
facts:
  - id: trade-2021-ministry
    topics: [trade]
    when: "2021"
    source: ministry
    claim: {measure: trade-total, period: "2021", value: 168.8, DISPUTED}
    text: {en: "In 2021 trade was 168.8 million USD.", vi: "Năm 2021: 168.8 triệu USD.",
           ru: "В 2021 году: 168.8 млн долларов США."}
  - id: trade-2021-agency
    topics: [trade]
    when: "2021"
    source: agency
    claim: {measure: trade-total, period: "2021", value: 200, qualifier: over, DISPUTED}
    text: {en: "In 2021 trade exceeded 200 million USD.", vi: "Năm 2021: hơn 200 triệu USD.",
           ru: "В 2021 году: более 200 млн долларов США."}
  - id: trade-2022-9m
    topics: [trade]
    when: "2022-01..2022-09"
    source: agency
    claim: {measure: trade-total, period: "2022-01..2022-09", value: 95}
    text: {en: "In January–September 2022 trade was 95 million USD.",
           vi: "Chín tháng 2022: 95 triệu USD.", ru: "За девять месяцев 2022: 95 млн долларов США."}
"""


def disputed_kb(tmp_path: Path, marked: bool = True):
    text = DISPUTED_KB.replace("DISPUTED", "disputed: true" if marked else "disputed: false")
    (tmp_path / "kb.yaml").write_text(text, encoding="utf-8")
    write_scope(tmp_path)
    return load_knowledge_base(tmp_path)


def test_unmarked_disagreement_is_a_check_error(tmp_path):
    with pytest.raises(KnowledgeBaseError) as caught:
        disputed_kb(tmp_path, marked=False)
    problem = str(caught.value)
    assert "kb.yaml:" in problem and "claim.disputed" in problem and "168.8" in problem


def test_disagreeing_sources_are_shown_side_by_side(tmp_path):
    kb = disputed_kb(tmp_path)
    answer = answer_question(kb, "how much was trade in 2021?")
    assert {f.id for f in answer.facts} == {"trade-2021-ministry", "trade-2021-agency"}
    text = render_text(answer, kb)
    assert "Sources differ on this figure" in text
    assert "Ministry Wire" in text and "Agency News" in text


def test_chart_is_a_png_with_every_figure_period_and_source(tmp_path):
    kb = disputed_kb(tmp_path)
    from PIL import Image

    for lang in ("en", "vi", "ru"):
        png = render_trade_chart(kb, lang)
        image = Image.open(io.BytesIO(png))
        image.load()  # decodes
        assert image.format == "PNG" and image.size == (1100, 600)
    bars = trade_bars(kb, "en")
    assert [(b.value_label, b.period_label, b.source_label, b.disputed) for b in bars] == [
        (">200", "2021", "Agency News", True),  # one period's claims side by side
        ("168.8", "2021", "Ministry Wire", True),
        ("95", "January – September 2022", "Agency News", False),  # nine months, not a year
    ]


def test_shipped_chart_labels_every_claim():
    labels = {b.value_label for b in trade_bars(KB, "en")}
    claims = [f for f in KB.facts if f.claim and f.claim.measure == "trade-total"]
    assert claims and len(labels) >= len({(f.claim.value, f.claim.qualifier) for f in claims})
    for fact in claims:
        assert any(f"{fact.claim.value:g}" in label for label in labels)


def test_chart_command_writes_the_file_and_ask_never_imports_matplotlib(tmp_path):
    out = tmp_path / "trade.png"
    subprocess.run(
        [sys.executable, "bot.py", "chart", "trade", "--out", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    probe = textwrap.dedent(
        """
        import sys, runpy
        sys.argv = ["bot.py", "ask", "trade in 2022"]
        try:
            runpy.run_path("bot.py", run_name="__main__")
        except SystemExit:
            pass
        print("matplotlib" in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr


def test_timeline_is_in_order_and_narrows_by_year_topic_and_entity():
    events = timeline_events(KB)
    starts = [f.when.start for f in events]
    assert starts == sorted(starts) and len(events) >= 5
    in_2011 = timeline_events(KB, parse_timeline_query(KB, "2011"))
    assert in_2011 and all(f.when.start.year == 2011 for f in in_2011)
    visits = timeline_events(KB, parse_timeline_query(KB, "visits"))
    assert visits and all("visits" in f.topics for f in visits)
    golovchenko = timeline_events(KB, parse_timeline_query(KB, "golovchenko"))
    # his own facts, and those of the office he held at the time (knowledge.matcher)
    linked = index_for(KB).facts_by_entity["golovchenko"]
    assert golovchenko and all(f.id in linked for f in golovchenko)
    text = render_timeline_text(KB, events, "vi", page=0)
    assert text.startswith("Dòng thời gian") and "Nguồn:" in text
    assert timeline_pages(events, 3) == -(-len(events) // 3)


def test_timeline_command_line():
    out = subprocess.run(
        [sys.executable, "bot.py", "timeline", "2010-2011", "--lang", "ru"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("Хронология · 2010-2011") and "2011" in out and "Источники:" in out


def test_latest_questions_rank_the_newest_and_say_as_of_when():
    answer = answer_question(KB, "latest trade figure")
    newest = max((f for f in KB.facts_by_topic["trade"] if f.claim), key=lambda f: f.when.end)
    assert answer.latest and answer.facts[0].id == newest.id
    assert render_text(answer, KB).startswith("Latest I have, as of ")
    assert answer_json(answer, KB)["latest"] is True
