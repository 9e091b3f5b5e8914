"""The trade chart: bilateral trade by period as a PNG, one bar a claim, each labelled with
its period (a nine-month figure is not a year) and its source; where sources disagree on a
period, their bars stand side by side. matplotlib is imported only here, and only when a chart
is drawn: ``ask``, ``check`` and the bot's start-up never load it."""

from __future__ import annotations

import io
from dataclasses import dataclass

from knowledge.dates import format_period
from knowledge.messages import message, scope_message
from knowledge.model import Fact, KnowledgeBase

TRADE_MEASURE = "trade-total"
CHART_SIZE_INCHES = (11.0, 6.0)
CHART_DPI = 100  # 1100 × 600 pixels: sharp on a phone, small to send
QUALIFIER_MARKS = {"almost": "<", "over": ">", "about": "~", "nearly": "<", "more than": ">"}


@dataclass(frozen=True, slots=True)
class Bar:
    fact: Fact
    value: float
    value_label: str  # "168.8", ">200", "<151"
    period_label: str  # "2021", "January – September 2023"
    source_label: str  # who states it: the claim's `by`, else the publisher
    disputed: bool


def trade_bars(kb: KnowledgeBase, lang: str, measure: str = TRADE_MEASURE) -> list[Bar]:
    """Every claim of the measure, in the order of its period, disputed ones together."""
    facts = [f for f in kb.facts if f.claim is not None and f.claim.measure == measure]
    facts.sort(key=lambda f: (f.claim.period.start, f.claim.period.end, f.source, f.id))
    bars = []
    for fact in facts:
        claim = fact.claim
        mark = QUALIFIER_MARKS.get(claim.qualifier or "", "")
        by = (claim.by or {}).get(lang) or (claim.by or {}).get("en")
        bars.append(
            Bar(
                fact=fact,
                value=claim.value,
                value_label=f"{mark}{claim.value:g}",
                period_label=format_period(claim.period, lang),
                source_label=by or kb.sources[fact.source].publisher,
                disputed=claim.disputed,
            )
        )
    return bars


def render_trade_chart(kb: KnowledgeBase, lang: str = "en") -> bytes:
    """The PNG of the trade series in ``lang``."""
    import matplotlib

    matplotlib.use("Agg")  # no screen: draw to memory
    from matplotlib.figure import Figure

    bars = trade_bars(kb, lang)
    figure = Figure(figsize=CHART_SIZE_INCHES, dpi=CHART_DPI)
    axes = figure.subplots()
    unit = kb.measures[TRADE_MEASURE].unit.get(lang, "") if TRADE_MEASURE in kb.measures else ""
    label = kb.measures[TRADE_MEASURE].label.get(lang, "") if TRADE_MEASURE in kb.measures else ""
    axes.set_title(scope_message(kb.scope, "chart_title", lang, measure=label))
    axes.set_ylabel(unit)
    positions: list[float] = []
    x = 0.0
    previous = None
    for bar in bars:
        period = bar.fact.claim.period.text if bar.fact.claim else ""
        x += 0.85 if period == previous else 1.4  # one group a period, bars side by side
        positions.append(x)
        previous = period
    colours = ["#c0392b" if b.disputed else "#2e86c1" for b in bars]
    drawn = axes.bar(positions, [b.value for b in bars], width=0.8, color=colours)
    axes.bar_label(drawn, labels=[b.value_label for b in bars], padding=2)
    axes.set_xticks(positions, [f"{b.period_label}\n{b.source_label}" for b in bars])
    for tick in axes.get_xticklabels():
        tick.set_rotation(40)
        tick.set_horizontalalignment("right")
        tick.set_fontsize(8)
    if any(b.disputed for b in bars):
        axes.text(
            0.01,
            0.97,
            message("chart_disputed", lang),
            transform=axes.transAxes,
            va="top",
            fontsize=8,
            color="#c0392b",
        )
    axes.margins(y=0.15)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def chart_caption(kb: KnowledgeBase, lang: str) -> str:
    """The photo's caption: what it shows and where the figures come from."""
    sources = sorted({kb.sources[b.fact.source].publisher for b in trade_bars(kb, lang)})
    return message("chart_caption", lang, sources=", ".join(sources))
