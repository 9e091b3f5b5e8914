"""The running bot's Prometheus metrics (``GET /metrics``) and its health (``GET /healthz``).

One registry per bot (not prometheus-client's global one), so several bots in one process
(the tests) count apart. Label values come from small fixed sets (update and answer kinds,
Bot API method names, error codes), and the labelled children are looked up once and kept:
counting an update is a dict lookup and an increment, no allocation.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.exposition import generate_latest

disable_created_metrics()  # no *_created series: half the scrape, nothing a dashboard uses

# seconds; Telegram users notice ~1 s, the bot's own work is a few ms
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class _Family:
    """A labelled metric whose children are created once per label value and kept."""

    __slots__ = ("metric", "children")

    def __init__(self, metric: Any) -> None:
        self.metric = metric
        self.children: dict[Any, Any] = {}

    def get(self, *labels: str) -> Any:
        child = self.children.get(labels)
        if child is None:
            child = self.children[labels] = self.metric.labels(*labels)
        return child


class Metrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.updates = _Family(
            Counter("diplofacts_updates", "Updates received, by kind", ["kind"], registry=registry)
        )
        self.answers = _Family(
            Counter(
                "diplofacts_answers",
                "Answers sent, by kind (facts, suggestions, unknown, out_of_scope, ...)",
                ["kind"],
                registry=registry,
            )
        )
        self.unanswered = Counter(
            "diplofacts_unanswered_questions",
            "Questions the knowledge base could not answer",
            registry=registry,
        )
        self.latency = Histogram(
            "diplofacts_answer_latency_seconds",
            "From a question's arrival at the bot to its answer sent",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.api_errors = _Family(
            Counter(
                "diplofacts_bot_api_errors",
                "Bot API calls that failed, by method and code (HTTP status, or network, timeout)",
                ["method", "code"],
                registry=registry,
            )
        )
        self.reloads = _Family(
            Counter(
                "diplofacts_reloads",
                "Knowledge-base reloads, by outcome (ok, refused)",
                ["outcome"],
                registry=registry,
            )
        )
        self.flood_refusals = _Family(
            Counter(
                "diplofacts_flood_refusals",
                "Updates refused by the flood gate, by kind (message, callback, inline)",
                ["kind"],
                registry=registry,
            )
        )
        self.kb_facts = Gauge(
            "diplofacts_kb_facts", "Facts in the knowledge base served", registry=registry
        )
        self.kb_loaded = Gauge(
            "diplofacts_kb_loaded_timestamp_seconds",
            "When the knowledge base served went live (Unix time)",
            registry=registry,
        )
        for outcome in ("ok", "refused"):  # present from the start: rate() needs a 0
            self.reloads.get(outcome)

    def exposition(self, knowledge: Any | None = None) -> bytes:
        """The Prometheus text format; ``knowledge`` (a LiveKnowledgeBase) sets the KB gauges."""
        if knowledge is not None:
            self.kb_facts.set(len(knowledge.current.facts))
            self.kb_loaded.set(knowledge.loaded_at)
        return generate_latest(self.registry)


def health(knowledge: Any | None) -> tuple[int, bytes]:
    """(HTTP status, JSON body) for ``GET /healthz``: 200 with the KB's figures, or 503 while
    no knowledge base is loaded."""
    kb = getattr(knowledge, "current", None)
    if kb is None:
        return 503, json.dumps({"status": "starting", "kb": None}).encode()
    body = {
        "status": "ok",
        "facts": len(kb.facts),
        "topics": len(kb.topics),
        "kb_loaded_at": datetime.fromtimestamp(knowledge.loaded_at, UTC).isoformat(
            timespec="seconds"
        ),
        "kb_load_seconds": round(knowledge.load_seconds, 3),
        "kb_age_seconds": round(time.time() - knowledge.loaded_at, 1),
    }
    return 200, json.dumps(body).encode()
