"""Typed button data (knowledge/buttons.py): what pack() refuses and unpack() rejects."""

from __future__ import annotations

import pytest

from knowledge.buttons import (
    CALLBACK_LIMIT,
    CallbackDataTooLong,
    PagePress,
    SourcesPress,
    TopicPress,
    press_kind,
)


@pytest.mark.parametrize(
    "press",
    [TopicPress("trade", "vi"), SourcesPress("ru"), PagePress("AbC-_123", 2)],
)
def test_every_kind_round_trips(press) -> None:
    data = press.pack()
    assert len(data.encode("utf-8")) <= CALLBACK_LIMIT
    assert press_kind(data) is type(press)
    assert type(press).unpack(data) == press


def test_the_wire_format_is_unchanged() -> None:
    assert TopicPress("trade", "en").pack() == "t:trade:en"
    assert SourcesPress("en").pack() == "src:en"
    assert PagePress("AAAAAAAA", 1).pack() == "m:AAAAAAAA:1"


def test_pack_refuses_more_than_64_bytes() -> None:
    with pytest.raises(CallbackDataTooLong):
        TopicPress("x" * 60, "en").pack()
    assert len(TopicPress("x" * 59, "en").pack()) == 64


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (TopicPress, "t:trade"),  # no language
        (TopicPress, "t:trade:xx"),  # a language the bot does not speak
        (TopicPress, "t:trade:en:extra"),
        (TopicPress, "t:<b>:en"),
        (TopicPress, "src:en"),  # another kind
        (SourcesPress, "src:"),
        (SourcesPress, "src:en:1"),
        (PagePress, "m:AAAAAAAA"),
        (PagePress, "m:AAAAAAAA:-1"),
        (PagePress, "m:AAAAAAAA:x"),
        (PagePress, "m::1"),
        (PagePress, "m:" + "A" * 70 + ":1"),
    ],
)
def test_unpack_rejects_data_the_bot_never_sent(kind, data: str) -> None:
    assert kind.unpack(data) is None


def test_unknown_prefixes_have_no_kind() -> None:
    assert press_kind("x:trade:en") is None and press_kind("") is None
