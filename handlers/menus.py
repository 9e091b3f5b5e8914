"""The command menus Telegram shows: private and group lists, in English, Vietnamese and
Russian, made from the KB's topics. Published at start-up and again after every reload."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats

from knowledge.commands import BUILTIN_COMMANDS, Chats
from knowledge.messages import message
from knowledge.model import KnowledgeBase
from knowledge.records import LANGUAGES

MENU_SCOPES = {
    Chats.PRIVATE: BotCommandScopeAllPrivateChats(),
    Chats.GROUPS: BotCommandScopeAllGroupChats(),
}
DESCRIPTION_LIMIT = 256  # characters, Telegram's limit for a command's description


def command_menu(kb: KnowledgeBase, lang: str, *, chats: Chats) -> list[tuple[str, str]]:
    """(command, description) pairs of one menu: the KB's topics, then the built-in commands
    listed in that menu."""
    topics = [
        (t.command, t.description.get(lang) or t.description["en"]) for t in kb.topics.values()
    ]
    builtins = [
        (c.name, message(c.menu_key, lang))
        for c in BUILTIN_COMMANDS
        if c.menu_key is not None and chats in c.menus
    ]
    return topics + builtins


async def publish_command_menus(bot: Bot, kb: KnowledgeBase) -> None:
    for lang in LANGUAGES:
        for chats, scope in MENU_SCOPES.items():
            commands = [
                BotCommand(c, d[:DESCRIPTION_LIMIT]) for c, d in command_menu(kb, lang, chats=chats)
            ]
            await bot.set_my_commands(
                commands, scope=scope, language_code=None if lang == "en" else lang
            )
