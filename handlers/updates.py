"""The getUpdates connection: tolerant of an update python-telegram-bot cannot read, and
(while polling) paced by the backlog of unanswered updates."""

from __future__ import annotations

import copy
import logging

from telegram import Update
from telegram.request import HTTPXRequest

from handlers.backlog import BacklogQueue, before_get_updates


def readable_update(raw: object) -> object:
    """``raw`` if python-telegram-bot can read it, else a bare ``{"update_id": N}``."""
    try:
        Update.de_json(copy.deepcopy(raw), None)
    except Exception as exc:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int):
            return raw
        kinds = [k for k in raw if k != "update_id"]
        logging.getLogger("diplofacts").error(
            "Skipping update %s %s: python-telegram-bot cannot read it (%r)", update_id, kinds, exc
        )
        return {"update_id": update_id}
    return raw


def tolerant_updates_request(backlog: BacklogQueue | None = None) -> HTTPXRequest:
    """The getUpdates connection. PTB parses a batch of updates as a whole: one it cannot read
    (say, a field of a newer Bot API) fails the batch, the offset never moves and polling
    fetches the same batch forever. Such an update is replaced by a bare one, so it is
    skipped and confirmed, and every other update of the batch is still answered.
    With ``backlog`` (polling) a call waits until few fetched updates are unanswered, since
    it confirms all fetched so far to Telegram (handlers/backlog.py)."""

    class TolerantUpdatesRequest(HTTPXRequest):
        __slots__ = ()

        async def do_request(self, url, method, request_data=None, *args, **kwargs):
            request_data = await before_get_updates(backlog, request_data)
            return await super().do_request(url, method, request_data, *args, **kwargs)

        def parse_json_payload(self, payload: bytes):
            data = super().parse_json_payload(payload)
            if isinstance(data, dict) and isinstance(data.get("result"), list):
                data["result"] = [readable_update(u) for u in data["result"]]
            return data

    return TolerantUpdatesRequest(connection_pool_size=1)  # the builder's default for polling
