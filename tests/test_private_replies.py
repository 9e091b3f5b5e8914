"""In a private chat every message gets a reply: a photo's caption is a question, an unknown
command gets a pointer to /help, a sticker a word on what the bot reads. In groups the bot
still ignores what is not addressed to it."""

from __future__ import annotations

import pytest

from knowledge.messages import message
from testkit.bot_runner import run, running_bot, texts_to

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

USER = 3101
PHOTO = [{"file_id": "AgAD-photo", "file_unique_id": "ph1", "width": 90, "height": 90}]
STICKER = {
    "file_id": "CAAD-sticker",
    "file_unique_id": "st1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}


def with_media(update: dict, **media: object) -> dict:
    """``update`` (a text message from the server's builder) turned into a media message."""
    msg = update["message"]
    caption = msg.pop("text")
    entities = msg.pop("entities", None)
    msg.update(media)
    if "photo" in media and caption:
        msg["caption"] = caption
        if entities:
            msg["caption_entities"] = entities
    return update


def test_every_private_message_gets_a_reply(fake_api) -> None:
    api = fake_api

    async def main():
        async with running_bot(api):
            steps = [
                with_media(api.private_message("trade in 2011", USER), photo=PHOTO),
                api.private_message("/foo", USER),
                api.private_message("/foo@DiplofactsTestBot bar", USER),
                with_media(api.private_message("", USER), sticker=STICKER),
                with_media(api.private_message("", USER), photo=PHOTO),  # no caption
            ]
            for i, update in enumerate(steps, 1):
                api.push_update(update)
                await api.wait_for_async("sendMessage", count=i)

    run(main())
    caption_answer, unknown, unknown_addressed, sticker, bare_photo = texts_to(api, USER)
    assert "151 million USD" in caption_answer
    assert unknown == unknown_addressed == message("unknown_command", "en")
    assert sticker == bare_photo == message("not_text", "en")


def test_groups_still_ignore_what_is_not_for_the_bot(fake_api) -> None:
    api = fake_api
    group = -100777

    async def main():
        async with running_bot(api):
            api.push_update(with_media(api.group_message("nice", group), sticker=STICKER))
            api.push_update(api.group_message("/foo", group))
            api.push_update(with_media(api.group_message("trade in 2011", group), photo=PHOTO))
            mention = api.group_message("@DiplofactsTestBot trade in 2011", group)
            api.push_update(with_media(mention, photo=PHOTO))  # addressed in the caption
            await api.wait_for_async("sendMessage")
            api.push_update(api.private_message("/help", USER))  # a marker: all was processed
            await api.wait_for_async("sendMessage", count=2)

    run(main())
    [answer] = texts_to(api, group)
    assert "151 million USD" in answer
