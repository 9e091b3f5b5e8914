"""The command line's commands that never need Telegram: ask, chat, check, eval, gaps.
Nothing in this package imports ``telegram`` or ``handlers``."""
