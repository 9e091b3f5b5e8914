"""``GET /healthz`` and ``GET /metrics`` over HTTP: beside the webhook on PORT, and on
HEALTH_PORT (any mode; the only way in polling mode). Neither reads a body nor logs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import tornado.httpserver
import tornado.web

from runtime.metrics import METRICS_CONTENT_TYPE, Metrics, health

log = logging.getLogger("diplofacts.status")
KnowledgeSource = Callable[[], Any]  # the LiveKnowledgeBase, or None while none is loaded


class HealthHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD")  # type: ignore[assignment]

    def initialize(self, knowledge: KnowledgeSource) -> None:
        self.knowledge = knowledge

    def get(self) -> None:
        status, body = health(self.knowledge())
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(body)

    head = get


class MetricsHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)  # type: ignore[assignment]

    def initialize(self, knowledge: KnowledgeSource, metrics: Metrics) -> None:
        self.knowledge = knowledge
        self.metrics = metrics

    def get(self) -> None:
        self.set_header("Content-Type", METRICS_CONTENT_TYPE)
        self.finish(self.metrics.exposition(self.knowledge()))


def status_routes(knowledge: KnowledgeSource, metrics: Metrics) -> list[Any]:
    return [
        (r"/healthz", HealthHandler, {"knowledge": knowledge}),
        (r"/metrics", MetricsHandler, {"knowledge": knowledge, "metrics": metrics}),
    ]


class _Quiet(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: a health check every few seconds would drown the bot's log."""


def start_status_server(
    listen: str, port: int, knowledge: KnowledgeSource, metrics: Metrics
) -> tornado.httpserver.HTTPServer:
    """Serve /healthz and /metrics on ``listen:port`` on the running event loop."""
    server = tornado.httpserver.HTTPServer(_Quiet(status_routes(knowledge, metrics)))
    server.listen(port, address=listen)
    log.info("Health and metrics on http://%s:%d/healthz and /metrics", listen, port)
    return server
