"""``chat``: an interactive console with the bot's answers, follow-ups and commands."""

from __future__ import annotations

import argparse

from cli.knowledge import load_kb_or_exit
from knowledge.answer import answer_question
from knowledge.language import SUPPORTED
from knowledge.memory import ConversationMemory
from knowledge.messages import message
from knowledge.render import about_text, help_text, render_text, sources_text
from runtime.config import EXIT_OK

CHAT_HELP = """Type a question, or a command:
  /trade, /visits, ... (any topic command; words narrow it: /trade 2011)
  /help      how to ask, and every topic
  /sources   the articles the facts come from
  /about     what the bot covers
  /lang en|vi|ru|auto   the reply language
  /all       everything the last answer matched (the "More" pages)
  quit       leave (or Ctrl-D)
Follow-ups continue the last question for 10 minutes ("and in 2022?")."""


def chat(args: argparse.Namespace) -> int:
    try:
        import readline  # noqa: F401  (line editing and history for input())
    except ImportError:  # not on every platform; the console works without it
        pass
    kb = load_kb_or_exit()
    memory = ConversationMemory()
    lang: str | None = args.lang
    last = None
    relations = kb.scope.texts("en")["relations"]
    print(
        f"diplofacts console: ask about {relations}; /help for commands, Ctrl-D or 'quit' to leave."
    )
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return EXIT_OK
        stripped = text.strip()
        if stripped.lower() in {"quit", "exit", "/quit", "/exit"}:
            return EXIT_OK
        shown_lang = lang or "en"
        command, _, rest = stripped[1:].partition(" ") if stripped.startswith("/") else ("", "", "")
        command = command.split("@")[0].lower()
        if command in ("help", "start"):
            print(CHAT_HELP + "\n\n" + help_text(kb, shown_lang, "diplofacts_bot"), end="\n\n")
            continue
        if command == "sources":
            print(sources_text(kb, shown_lang), end="\n\n")
            continue
        if command == "about":
            print(about_text(kb, shown_lang), end="\n\n")
            continue
        if command == "lang":
            choice = rest.strip().lower()
            if choice in SUPPORTED:
                lang = choice
                print(message("lang_set", choice), end="\n\n")
            elif choice == "auto":
                lang = None
                print(message("lang_show", "en", lang=message("lang_auto", "en")), end="\n\n")
            else:
                current = lang or message("lang_auto", shown_lang)
                print(message("lang_show", shown_lang, lang=current), end="\n\n")
            continue
        if command == "all":
            if last is not None:
                print(render_text(last, kb, show_all=True), end="\n\n")
            continue
        topic = None
        if command:
            found = kb.topic_by_command(command)
            if found is None:
                print(f"Unknown command /{command}: /help lists the commands.", end="\n\n")
                continue
            topic, text = found.id, rest
        answer = answer_question(
            kb, text, topic=topic, lang=lang, context=memory.context("console")
        )
        memory.remember("console", answer)
        last = answer
        print(render_text(answer, kb, more_hint="chat"), end="\n\n")
