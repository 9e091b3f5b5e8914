"""What the tests (``tests/``) and the benchmarks (``bench/``) share to run the real bot with
no network: ``botapi/`` the loopback Telegram Bot API, ``bot_runner`` the bot in process or as
``python bot.py run``, ``pg_server`` a throwaway PostgreSQL, ``ports`` and ``webhook_client``.
Not shipped: pyproject's package list leaves it out; pytest and the bench scripts import it
from the checkout."""
