"""The bot's built-in commands, in one list: from it the handlers are registered, the command
menus published, ``/help`` written, the soak test's expectations derived and the names a KB
topic may not take checked. A topic's own command (/trade, /visits) comes from the KB."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge.records import LANGUAGES


class Chats(StrEnum):
    """The command menus Telegram shows: one for private chats, one for groups."""

    PRIVATE = "private"
    GROUPS = "groups"


EVERY_CHAT = (Chats.PRIVATE, Chats.GROUPS)


@dataclass(frozen=True, slots=True)
class BuiltinCommand:
    name: str
    handler: str  # the coroutine of handlers.commands that answers it
    menu_key: str | None = None  # message key of its menu text; None: in no menu
    menus: tuple[Chats, ...] = EVERY_CHAT  # the menus it is listed in
    help_key: str | None = None  # message key of its /help line; None: not in /help
    usage: str = ""  # what /help shows after the name ("en|vi|ru")
    admin_only: bool = False  # ADMIN_IDS only; anyone else gets a polite refusal
    blocking: bool = True  # False: may wait (a locked database) without holding a slot


BUILTIN_COMMANDS: tuple[BuiltinCommand, ...] = (
    BuiltinCommand("start", "start", menu_key="cmd_start", menus=(Chats.PRIVATE,)),
    BuiltinCommand("help", "help_command", menu_key="cmd_help"),
    BuiltinCommand("sources", "sources_command", menu_key="cmd_sources", help_key="help_sources"),
    BuiltinCommand("about", "about", menu_key="cmd_about", help_key="help_about"),
    BuiltinCommand(
        "timeline",
        "timeline_command",
        menu_key="cmd_timeline",
        help_key="help_timeline",
        usage="[2014-2019 | visits | lukashenko]",
    ),
    BuiltinCommand(
        "lang",
        "lang_command",
        menu_key="cmd_lang",
        menus=(Chats.PRIVATE,),
        help_key="help_lang",
        usage="|".join(LANGUAGES),
        # a /lang waiting for a locked database must not hold one of the slots that other
        # users' answers need
        blocking=False,
    ),
    BuiltinCommand("reload", "reload_command", menus=(), admin_only=True),
    BuiltinCommand("gaps", "gaps_command", menus=(), admin_only=True),
)

# A KB topic may not take these commands: the built-in one would silently shadow it.
RESERVED_COMMANDS = frozenset(command.name for command in BUILTIN_COMMANDS)


def builtin_command(name: str) -> BuiltinCommand | None:
    return next((c for c in BUILTIN_COMMANDS if c.name == name), None)
