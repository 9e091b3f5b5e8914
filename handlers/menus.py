"""The command menus Telegram shows: private and group lists, in English, Vietnamese and
Russian, made from the KB's topics. Published at start-up and again after every reload."""

from __future__ import annotations

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats

from knowledge.messages import message
from knowledge.model import KnowledgeBase

MENU_LANGUAGES = ("en", "vi", "ru")
DESCRIPTION_LIMIT = 256  # characters, Telegram's limit for a command's description


def command_menu(kb: KnowledgeBase, lang: str, *, private: bool) -> list[tuple[str, str]]:
    topics = [
        (t.command, t.description.get(lang) or t.description["en"]) for t in kb.topics.values()
    ]
    extra = [
        ("help", message("cmd_help", lang)),
        ("sources", message("cmd_sources", lang)),
        ("about", message("cmd_about", lang)),
    ]
    if private:
        extra = [("start", message("cmd_start", lang)), *extra, ("lang", message("cmd_lang", lang))]
    return topics + extra


async def publish_command_menus(bot: Bot, kb: KnowledgeBase) -> None:
    for lang in MENU_LANGUAGES:
        for private, scope in (
            (True, BotCommandScopeAllPrivateChats()),
            (False, BotCommandScopeAllGroupChats()),
        ):
            commands = [
                BotCommand(c, d[:DESCRIPTION_LIMIT])
                for c, d in command_menu(kb, lang, private=private)
            ]
            await bot.set_my_commands(
                commands, scope=scope, language_code=None if lang == "en" else lang
            )
