"""What a running diplofacts needs besides the core and Telegram: its configuration, the
SQLite storage, and the knowledge base it serves with live reload. Nothing here imports
``telegram``: the command line uses it as the bot does."""
