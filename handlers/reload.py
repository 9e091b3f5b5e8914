"""Reloading the knowledge base in a running bot (/reload and SIGHUP): off the event loop,
merged when requests overlap, and followed by the command menus of the new KB. A refusal
keeps the old KB and is logged with every problem; SIGHUP also tells the admins."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram.ext import Application

from handlers.menus import publish_command_menus
from knowledge.loader import Problem
from knowledge.messages import message
from knowledge.model import KnowledgeBase
from knowledge.render import split_messages

log = logging.getLogger("diplofacts.reload")
PROBLEMS_SHOWN = 20  # in a Telegram message; the log has them all


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    kb: KnowledgeBase
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


async def reload_knowledge(application: Application, origin: str) -> ReloadOutcome:
    """Reload; log the outcome as ``origin`` ("/reload", "SIGHUP"); republish the menus."""
    services = application.bot_data["services"]
    kb, problems = await services.knowledge.reload_async()
    metrics = application.bot_data.get("metrics")
    if metrics is not None:
        metrics.reloads.get("refused" if problems else "ok").inc()
    if problems:
        log.error("%s: the new knowledge base is invalid, still serving the old one:", origin)
        for problem in problems:
            log.error("  %s", problem)
        return ReloadOutcome(kb, problems)
    log.info("%s: knowledge base reloaded: %d facts", origin, len(kb.facts))
    try:
        await publish_command_menus(application.bot, kb)
    except Exception as exc:  # the KB is live; a failed menu update must not hide that
        log.warning("%s: the command menus could not be republished: %s", origin, exc)
    return ReloadOutcome(kb, [])


def failure_report(outcome: ReloadOutcome, lang: str) -> list[str]:
    """The message(s) telling an admin why the reload was refused."""
    errors = "\n".join(str(p) for p in outcome.problems[:PROBLEMS_SHOWN])
    if len(outcome.problems) > PROBLEMS_SHOWN:
        errors += f"\n… (+{len(outcome.problems) - PROBLEMS_SHOWN})"
    return split_messages(message("reload_failed", lang, errors=errors).split("\n"))


async def tell_admins(application: Application, outcome: ReloadOutcome) -> None:
    """Best effort: a private message to every admin (one who never started the bot, or
    blocked it, cannot be reached; that is logged, not raised)."""
    services = application.bot_data["services"]
    for admin_id in sorted(services.admin_ids):
        try:
            for part in failure_report(outcome, services.storage.language_of(admin_id) or "en"):
                await application.bot.send_message(admin_id, part)
        except Exception as exc:
            log.warning("could not tell admin %s about the refused reload: %s", admin_id, exc)
