"""End to end: the real bot (``handlers.app``) against the loopback Bot API server.

Every test runs the Application the bot runs in production, long-polling ``FakeBotApi`` on
127.0.0.1, and asserts on the requests the server received: method, chat, HTML text, reply
parameters and buttons. Nothing of ours is mocked; faults are injected at the HTTP server.
The webhook and polling entry points run ``python bot.py run`` as a real subprocess.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from knowledge.buttons import SourcesPress, TopicPress
from knowledge.render import PAGE_SIZE
from runtime.live import LiveKnowledgeBase
from testkit.bot_runner import BotProcess, bot_py, environment_without_settings, run, running_bot
from testkit.botapi import BOT_USERNAME, DEFAULT_GROUP_ID, DEFAULT_USER_ID, FakeBotApi, Recorded
from testkit.ports import free_port
from tests.kb_pairs import write_scope

# AIORateLimiter reads PTB's deprecated int `retry_after` inside PTB itself
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = LiveKnowledgeBase()  # the packaged KB (or $DIPLOFACTS_KB), loaded once
KB = KNOWLEDGE.current
USER = DEFAULT_USER_ID
GROUP = DEFAULT_GROUP_ID
OTHER_USER = 4242  # a second user whose question works as a barrier (see `settle`)
CALLBACK_LIMIT = 64
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
VIETNAMPLUS_URL = (
    "https://en.vietnamplus.vn/belorussian-pms-visit-to-boost-ties-with-vietnam-post32809.vnp"
)
MAX_RIVALS = 3  # other sources' figures shown beside a disputed one on the same page
FACT_LINE = re.compile(r"^(\d+)\. (.+) \((.+)\) \[(\d+)\]$")


# Each test asks many questions within a few ms: no rate limiter or flood gate in the way
# (the tests about them turn them on), and the shipped KB loaded once for all of them.
QUICK = {"knowledge": KNOWLEDGE, "rate_limiter": False, "flood_limit": 1000}


async def send(
    api: FakeBotApi,
    update: dict[str, Any],
    method: str = "sendMessage",
    count: int = 1,
    timeout: float = 5.0,
    predicate: Callable[[Recorded], bool] | None = None,
) -> list[Recorded]:
    """Push ``update`` and return the first ``count`` ``method`` requests made after it."""
    started = time.monotonic()
    api.push_update(update)
    return await api.wait_for_async(
        method,
        lambda r: r.time >= started and (predicate is None or predicate(r)),
        count=count,
        timeout=timeout,
    )


def replies(api: FakeBotApi, update: dict[str, Any], *args: Any, **options: Any) -> list[Recorded]:
    """Start the bot, ``send`` it ``update`` (same further arguments) and stop it."""

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK):
            return await send(api, update, *args, **options)

    return run(main())


async def settle(api: FakeBotApi, app: Any, update: dict[str, Any]) -> None:
    """Wait until ``update`` is fully handled: Telegram saw it confirmed (a later getUpdates
    offset), a question pushed after it was answered, and no update is queued or in a
    handler (the bot handles updates concurrently) twice in a row."""
    await api.wait_for_async(
        "getUpdates",
        lambda r: (r.get_int("offset") or 0) > update["update_id"],
        finished=False,
    )
    await send(api, api.private_message("/about", OTHER_USER), predicate=to_chat(OTHER_USER))
    idle = 0
    for _ in range(500):
        busy = app.update_queue.qsize() or app.update_processor.current_concurrent_updates
        idle = 0 if busy else idle + 1
        if idle == 3:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the bot is still handling updates")


async def pages_after(api: FakeBotApi, first: Recorded) -> list[Recorded]:
    """Press "More" until the last page: the pages after ``first``, each an edit of it."""
    pages: list[Recorded] = []
    current = first
    while more := [d for t, d in buttons(current) if t.startswith("More")]:
        [current] = await send(api, api.callback_query(more[0], current.result), "editMessageText")
        pages.append(current)
    return pages


def to_chat(chat_id: int) -> Callable[[Recorded], bool]:
    return lambda r: r.get_int("chat_id") == chat_id


def buttons(rec: Recorded) -> list[tuple[str, str]]:
    """(text, callback_data) of every inline button, each checked against Telegram's limit."""
    markup = rec.params.get("reply_markup") or {}
    found = []
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button["callback_data"]
            assert 1 <= len(data.encode("utf-8")) <= CALLBACK_LIMIT, button
            found.append((button["text"], data))
    return found


def assert_html_answer(rec: Recorded) -> None:
    """A reply as Telegram accepts it: HTML parse mode, parsed fine, within 4096."""
    assert rec.ok, rec
    assert rec.params["parse_mode"] == "HTML"
    assert len(rec.params["text"]) <= 4096
    assert rec.params["link_preview_options"] == {"is_disabled": True}


def fact_lines(plain: str) -> list[re.Match[str]]:
    return [m for line in plain.splitlines() if (m := FACT_LINE.match(line))]


def assert_topic_reply(rec: Recorded, topic_id: str, lang: str = "en") -> list[str]:
    """The reply is the topic's facts: its heading, then only facts filed under the topic,
    each dated and cited, and the Sources section. Returns the facts' texts."""
    assert_html_answer(rec)
    topic = KB.topics[topic_id]
    plain = rec.result["text"]  # as the user sees it, parsed by the server
    scope = {"en": "Vietnam–Belarus", "vi": "Việt Nam – Belarus", "ru": "Вьетнам – Беларусь"}
    assert rec.params["text"].startswith(f"<b>{topic.label[lang]} — {scope[lang]}</b>\n")
    lines = fact_lines(plain)
    assert lines, plain
    allowed = {f.text_in(lang) for f in KB.facts_by_topic[topic_id]}
    sources = {"en": "Sources", "vi": "Nguồn", "ru": "Источники"}[lang]
    cited = plain.split(f"\n{sources}:\n", 1)[1].splitlines()
    for number, m in enumerate(lines, 1):
        assert int(m.group(1)) == number
        assert m.group(2) in allowed, m.group(0)
        assert 1 <= int(m.group(4)) <= len(cited)
    assert [c[:3] for c in cited] == [f"[{i}]" for i in range(1, len(cited) + 1)]
    assert f"\n<b>{sources}:</b>\n[1] " in rec.params["text"]
    return [m.group(2) for m in lines]


# --------------------------------------------------------------------------- private chat


def test_private_question_gets_sourced_html_answer(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK) as app:
            question = api.private_message("trade in 2011")
            replies = await send(api, question)
            await settle(api, app, question)
        return replies

    [reply] = run(main())
    assert [r for r in api.calls("sendMessage") if r.get_int("chat_id") == USER] == [reply]
    assert reply.get_int("chat_id") == USER
    assert "reply_parameters" not in reply.params  # private: no quoting
    facts = assert_topic_reply(reply, "trade")
    assert "151 million USD" in facts[0] or "151 million USD" in facts[1]
    text = reply.params["text"]
    assert re.search(r"\(January\s–\sAugust 2011\) \[1\]", text)
    assert f'<a href="{VIETNAMPLUS_URL}">link</a>' in text
    assert ("Sources", "src:en") in buttons(reply)
    assert reply.result["reply_markup"] == reply.params["reply_markup"]


def test_start_greets_with_topic_buttons(fake_api: FakeBotApi) -> None:
    api = fake_api

    [reply] = replies(api, api.private_message("/start"))
    assert reply.ok and reply.params["text"].startswith("Hello! I'm diplofacts.")
    main_topics = [t for t in KB.topics.values() if t.main]
    assert buttons(reply) == [(t.label["en"], f"t:{t.id}:en") for t in main_topics]


def test_help_lists_every_topic_command(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK) as app:
            question = api.private_message("/help")
            await send(api, question)
            await settle(api, app, question)
        return [r for r in api.calls("sendMessage") if r.get_int("chat_id") == USER]

    parts = run(main())
    assert all(r.ok for r in parts)
    text = "\n".join(r.params["text"] for r in parts)
    for topic in KB.topics.values():
        assert f"/{topic.command} – {topic.description['en']}" in text
    for command in ("/sources", "/about", "/lang"):
        assert command in text
    assert f"@{BOT_USERNAME}" in text


def test_sources_pages_through_every_article_with_links(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK):
            [first] = await send(api, api.private_message("/sources"))
            return [first, *await pages_after(api, first)]

    pages = run(main())
    count = len(KB.sources)
    assert len(pages) == -(-count // 10)  # ten a page, edited in place
    assert pages[0].params["text"].startswith(f"<b>Sources ({count}) · page 1 of {len(pages)}:")
    text = "\n".join(p.params["text"] for p in pages)
    for page in pages:
        assert_html_answer(page)
    for source in KB.sources.values():
        assert source.publisher in text
        if source.url:
            assert f'href="{html.escape(source.url, quote=True)}"' in text
    numbers = [int(n) for n in re.findall(r"^\[(\d+)\] ", text, re.M)]
    assert numbers == list(range(1, count + 1))


def test_about(fake_api: FakeBotApi) -> None:
    api = fake_api

    [reply] = replies(api, api.private_message("/about"))
    assert reply.ok
    assert reply.params["text"].startswith("diplofacts covers Vietnam–Belarus relations only")
    assert f"{len(KB.sources)} news articles" in reply.params["text"]


def test_lang_shows_and_sets_the_reply_language(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> tuple[Recorded, ...]:
        async with running_bot(api, **QUICK):
            [shown] = await send(api, api.private_message("/lang"))
            [chosen] = await send(api, api.private_message("/lang vi"))
            [answer] = await send(api, api.private_message("trade in 2011"))
            [shown_again] = await send(api, api.private_message("/lang"))
            [back] = await send(api, api.private_message("/lang en"))
            [english] = await send(api, api.private_message("trade in 2011"))
        return shown, chosen, answer, shown_again, back, english

    shown, chosen, answer, shown_again, back, english = run(main())
    assert shown.params["text"].startswith("Reply language: automatic.")
    assert chosen.params["text"] == "Tôi sẽ trả lời bằng tiếng Việt."
    # an English question, but the user chose Vietnamese: the answer is Vietnamese
    facts = assert_topic_reply(answer, "trade", lang="vi")
    assert any("151" in f for f in facts)
    labels = [t for t, _ in buttons(answer)]
    assert labels[-1] == "Nguồn" and labels[0].startswith("Thêm (")
    assert shown_again.params["text"].startswith("Ngôn ngữ trả lời: vi.")
    assert back.params["text"] == "I'll answer in English."
    assert_topic_reply(english, "trade", lang="en")


@pytest.mark.parametrize("topic_id", list(KB.topics))
def test_topic_command(fake_api: FakeBotApi, topic_id: str) -> None:
    api = fake_api
    command = KB.topics[topic_id].command

    [reply] = replies(api, api.private_message(f"/{command}"))
    facts = assert_topic_reply(reply, topic_id)
    total = len(KB.facts_by_topic[topic_id])
    # the first page of the topic's list, plus any other source's figure for a disputed one
    assert min(PAGE_SIZE, total) <= len(facts) <= PAGE_SIZE + MAX_RIVALS
    assert ("Sources", "src:en") in buttons(reply)
    more = [t for t, d in buttons(reply) if d.startswith("m:")]
    assert more == ([f"More ({total - len(facts)}) »"] if total > len(facts) else [])


def test_topic_command_narrowed_by_words(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> tuple[Recorded, Recorded]:
        async with running_bot(api, **QUICK):
            [trade] = await send(api, api.private_message("/trade 2011"))
            [visits] = await send(api, api.private_message("/visits golovchenko"))
        return trade, visits

    trade, visits = run(main())
    trade_facts = assert_topic_reply(trade, "trade")
    dates = [m.group(3) for m in fact_lines(trade.result["text"])]
    assert dates[0].endswith("2011") and "151" in " ".join(trade_facts[:2])
    visit_facts = assert_topic_reply(visits, "visits")
    assert "Golovchenko" in visit_facts[0]


def test_start_deep_link_answers_the_topic(fake_api: FakeBotApi) -> None:
    api = fake_api

    [reply] = replies(api, api.private_message("/start trade"))
    facts = assert_topic_reply(reply, "trade")
    assert PAGE_SIZE <= len(facts) <= PAGE_SIZE + MAX_RIVALS
    assert any(t.startswith("More") for t, _ in buttons(reply))


# --------------------------------------------------------------------------- groups


def test_group_chatter_gets_no_reply(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> None:
        async with running_bot(api, **QUICK) as app:
            for text in ("what a nice day", "trade in 2011 was big, wasn't it"):
                update = api.push_update(api.group_message(text))
                await settle(api, app, update)

    run(main())
    assert not [r for r in api.calls("sendMessage") if r.get_int("chat_id") == GROUP]
    assert api.pending_updates() == []


def test_group_mention_is_answered_as_a_reply(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> tuple[dict, list[Recorded]]:
        async with running_bot(api, **QUICK):
            asked = api.group_message(f"@{BOT_USERNAME} who is the ambassador?")
            return asked, await send(api, asked)

    asked, [reply] = run(main())
    assert reply.get_int("chat_id") == GROUP
    assert reply.params["reply_parameters"]["message_id"] == asked["message"]["message_id"]
    assert reply.result["reply_to_message"]["message_id"] == asked["message"]["message_id"]
    facts = assert_topic_reply(reply, "ambassador")
    assert any("Uladzimir Baravikou is the Belarusian Ambassador" in f for f in facts)


def test_group_reply_to_the_bot_is_answered(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> tuple[Recorded, dict, Recorded]:
        async with running_bot(api, **QUICK):
            [first] = await send(api, api.group_message(f"/trade@{BOT_USERNAME}"))
            follow_up = api.group_message(
                "what about students?", reply_to_message_id=first.result["message_id"]
            )
            [second] = await send(api, follow_up)
        return first, follow_up, second

    first, follow_up, second = run(main())
    assert follow_up["message"]["reply_to_message"]["from"]["username"] == BOT_USERNAME
    assert second.get_int("chat_id") == GROUP
    assert second.params["reply_parameters"]["message_id"] == follow_up["message"]["message_id"]
    assert_topic_reply(second, "students")


def test_group_command_for_another_bot_is_ignored(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> tuple[dict, dict, list[Recorded]]:
        async with running_bot(api, **QUICK) as app:
            other = api.push_update(api.group_message("/trade@OtherBot"))
            await settle(api, app, other)
            mine = api.group_message(f"/trade@{BOT_USERNAME} 2011")
            return other, mine, await send(api, mine)

    other, mine, [reply] = run(main())
    group_replies = [r for r in api.calls("sendMessage") if r.get_int("chat_id") == GROUP]
    assert group_replies == [reply]
    assert reply.params["reply_parameters"]["message_id"] == mine["message"]["message_id"]
    assert_topic_reply(reply, "trade")


# --------------------------------------------------------------------------- inline & buttons


def test_inline_query_with_text_offers_cited_facts(fake_api: FakeBotApi) -> None:
    api = fake_api

    [answer] = replies(api, api.inline_query("trade 2011"), "answerInlineQuery")
    assert answer.ok, answer
    results = answer.params["results"]
    assert results and answer.get_int("cache_time") == 60
    publishers = [s.publisher for s in KB.sources.values()]
    for result in results:
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert "\n— " in content["message_text"]  # the citation line
        assert any(p in content["message_text"] for p in publishers)
        assert len(result["id"].encode()) <= 64
    texts = [r["input_message_content"]["message_text"] for r in results]
    assert any("151 million USD" in t for t in texts[:2])  # 2011 facts first


def test_empty_inline_query_offers_the_main_topics(fake_api: FakeBotApi) -> None:
    api = fake_api

    [answer] = replies(api, api.inline_query(""), "answerInlineQuery")
    assert answer.ok, answer
    results = answer.params["results"]
    main_topics = [t for t in KB.topics.values() if t.main]
    assert [r["id"] for r in results] == [f"topic:{t.id}" for t in main_topics]
    assert [r["title"] for r in results] == [t.label["en"] for t in main_topics]
    for result in results:
        assert result["input_message_content"]["message_text"].startswith("<b>")


def test_suggestion_buttons_edit_the_message(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> tuple[Recorded, ...]:
        async with running_bot(api, **QUICK):
            [menu] = await send(api, api.private_message("Vietnam Belarus"))
            press = api.callback_query(TopicPress("trade", "en").pack(), menu.result)
            [ack] = await send(api, press, "answerCallbackQuery")
            [edit] = await api.wait_for_async(
                "editMessageText", lambda r: r.time >= ack.time, timeout=5
            )
            sources_press = api.callback_query(SourcesPress("en").pack(), edit.result)
            [sources_ack] = await send(api, sources_press, "answerCallbackQuery")
            [sources_edit] = await api.wait_for_async(
                "sendMessage", lambda r: r.time >= sources_ack.time, timeout=5
            )
        return menu, press, ack, edit, sources_press, sources_ack, sources_edit

    menu, press, ack, edit, sources_press, sources_ack, sources_edit = run(main())
    assert menu.params["text"].startswith("I'm not sure what you mean.")
    offered = buttons(menu)
    assert ("Trade", "t:trade:en") in offered and len(offered) >= 2
    assert all(data.startswith("t:") for _, data in offered)

    assert ack.ok and ack.params["callback_query_id"] == press["callback_query"]["id"]
    assert edit.get_int("chat_id") == USER
    assert edit.get_int("message_id") == menu.result["message_id"]
    facts = assert_topic_reply(edit, "trade")
    assert PAGE_SIZE <= len(facts) <= PAGE_SIZE + MAX_RIVALS  # the first page, as /trade
    assert buttons(edit)[-1] == ("Sources", "src:en")

    assert sources_ack.ok
    assert sources_ack.params["callback_query_id"] == sources_press["callback_query"]["id"]
    # The source list comes as a new message: the answer the button sits under stays.
    assert sources_edit.ok and sources_edit.get_int("chat_id") == USER
    assert sources_edit.params["text"].startswith("<b>Sources (")
    assert '">link</a>' in sources_edit.params["text"]  # the newest sources, with their links
    answer, sources = api.sent_messages(USER)
    assert answer["message_id"] == menu.result["message_id"]
    assert answer["text"].startswith("Trade — Vietnam–Belarus")
    assert sources["text"].startswith(f"Sources ({len(KB.sources)})")


def test_inline_and_button_answers_come_while_the_bot_long_polls(fake_api: FakeBotApi) -> None:
    """Answered, not timed: the latency figure is measured by bench/bot.py."""
    api = fake_api

    async def main() -> tuple[Recorded, Recorded]:
        async with running_bot(api, **QUICK):
            [menu] = await send(api, api.private_message("Vietnam Belarus"))
            await asyncio.sleep(0.2)  # the bot is idle in its long poll again
            [inline] = await send(api, api.inline_query("visits 2023"), "answerInlineQuery")
            await asyncio.sleep(0.2)
            [ack] = await send(
                api, api.callback_query("t:visits", menu.result), "answerCallbackQuery"
            )
            return inline, ack

    inline, ack = run(main())
    assert inline.ok and ack.ok


# --------------------------------------------------------------------------- start-up


def test_startup_publishes_command_menus_in_three_languages(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> None:
        async with running_bot(api, **QUICK):
            pass

    run(main())
    calls = api.calls("setMyCommands")
    assert all(c.ok for c in calls)
    assert [(c.params["scope"]["type"], c.params.get("language_code")) for c in calls] == [
        ("all_private_chats", None),
        ("all_group_chats", None),
        ("all_private_chats", "vi"),
        ("all_group_chats", "vi"),
        ("all_private_chats", "ru"),
        ("all_group_chats", "ru"),
    ]
    topics = [t.command for t in KB.topics.values()]
    private = {"type": "all_private_chats"}
    groups = {"type": "all_group_chats"}
    for lang, help_text, lang_text in (
        ("", "How to ask", "Reply language"),
        ("vi", "Cách hỏi", "Ngôn ngữ trả lời"),
        ("ru", "Как спрашивать", "Язык ответов"),
    ):
        in_private = {c["command"]: c["description"] for c in api.commands(private, lang)}
        in_groups = {c["command"]: c["description"] for c in api.commands(groups, lang)}
        assert list(in_private) == [
            *topics,
            "start",
            "help",
            "sources",
            "about",
            "timeline",
            "lang",
        ]
        assert list(in_groups) == [*topics, "help", "sources", "about", "timeline"]
        assert in_private["help"] == in_groups["help"] == help_text
        assert in_private["lang"] == lang_text
        trade = KB.topics["trade"].description[lang or "en"]
        assert in_private["trade"] == in_groups["trade"] == trade
        assert all(0 < len(d) <= 256 for d in in_private.values())


# --------------------------------------------------------------------------- faults


def test_429_is_waited_out_and_the_reply_sent_once(fake_api: FakeBotApi) -> None:
    api = fake_api
    api.inject("sendMessage", "retry_after", seconds=1)

    async def main() -> None:
        async with running_bot(api, knowledge=KNOWLEDGE, flood_limit=1000) as app:
            question = api.private_message("trade in 2011")
            await send(api, question, predicate=lambda r: r.ok, timeout=10)
            await settle(api, app, question)

    run(main())
    first, second, barrier = api.calls("sendMessage")
    assert first.status == 429 and first.response["parameters"] == {"retry_after": 1}
    assert second.ok and second.params == first.params
    assert second.time - first.time >= 1.0
    assert barrier.get_int("chat_id") == OTHER_USER
    assert len(api.sent_messages(USER)) == 1
    assert_topic_reply(second, "trade")


def test_unknown_and_malformed_updates_do_not_stop_the_bot(
    fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = fake_api

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK):
            api.push_update({"some_future_update": {"id": 1, "text": "new in Bot API 99"}})
            api.push_update({"message": {"message_id": 1, "text": "no chat, no date"}})
            api.push_update({"callback_query": {"id": "77"}})  # no from, no chat_instance
            return await send(api, api.private_message("who is the ambassador?"))

    with caplog.at_level(logging.ERROR, logger="diplofacts"):
        [reply] = run(main())
    assert_topic_reply(reply, "ambassador")
    assert api.pending_updates() == []
    skipped = [r.getMessage() for r in caplog.records if "Skipping update" in r.getMessage()]
    assert len(skipped) == 2 and "['message']" in skipped[0] and "callback_query" in skipped[1]
    polls = api.calls("getUpdates")
    assert len(polls) < 20, "the bot fetched the same updates again and again"


def test_failing_handler_apologises_and_the_bot_carries_on(
    fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = fake_api
    api.inject("sendMessage", "error", description="Bad Request: injected failure")

    async def main() -> tuple[list[Recorded], list[Recorded]]:
        async with running_bot(api, **QUICK):
            failed = await send(api, api.private_message("trade in 2011"), count=2)
            after = await send(api, api.private_message("who is the ambassador?"))
        return failed, after

    with caplog.at_level(logging.ERROR, logger="diplofacts.errors"):
        (failed, apology), [after] = run(main())
    assert failed.status == 400 and failed.fault == "error"
    assert apology.ok and apology.get_int("chat_id") == USER
    assert apology.params["text"] == APOLOGY
    assert_topic_reply(after, "ambassador")
    assert any("Failed to handle update" in r.getMessage() for r in caplog.records)


def test_second_instance_conflict_is_logged_and_survived(
    fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = fake_api
    url = f"{api.base_url}{api.token}/getUpdates?timeout=1"

    def other_instance_polls() -> int:
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                return resp.status
        except urllib.error.HTTPError as err:
            err.close()
            return err.code

    async def main() -> tuple[list[Recorded], int, bool]:
        async with running_bot(api, **QUICK) as app:
            await api.wait_for_async("getUpdates", finished=False)  # our long poll is open
            other = asyncio.create_task(asyncio.to_thread(other_instance_polls))
            await api.wait_for_async("getUpdates", lambda r: r.status == 409)
            for _ in range(300):
                if any("Another bot instance" in r.getMessage() for r in caplog.records):
                    break
                await asyncio.sleep(0.01)
            other_status = await other
            replies = await send(api, api.private_message("trade in 2011"), timeout=8)
            return replies, other_status, app.updater.running

    with caplog.at_level(logging.ERROR):
        [reply], other_status, still_polling = run(main())
    conflict_lines = [r for r in caplog.records if "Another bot instance" in r.getMessage()]
    assert conflict_lines and conflict_lines[0].name == "diplofacts.errors"
    assert conflict_lines[0].levelno == logging.ERROR
    assert "Traceback" not in caplog.text
    assert other_status in (200, 409) and still_polling
    assert_topic_reply(reply, "trade")
    conflicts = [r for r in api.calls("getUpdates") if r.status == 409]
    assert 1 <= len(conflicts) <= 2
    assert len(api.calls("getUpdates")) < 15, "no crash or retry storm"


# --------------------------------------------------------------------------- long and hostile


def fact_texts(rec: Recorded) -> list[str]:
    return [m.group(2) for m in fact_lines(rec.result["text"])]


def test_more_pages_through_the_rest_in_place_and_back(fake_api: FakeBotApi) -> None:
    api = fake_api
    total = len(KB.facts_by_topic["visits"])

    async def main() -> tuple[Recorded, list[Recorded], Recorded, Recorded]:
        async with running_bot(api, **QUICK):
            [first] = await send(api, api.private_message("/visits"))
            pages = await pages_after(api, first)
            back = [d for t, d in buttons(pages[-1]) if t.startswith("«")][0]
            [back_page] = await send(
                api, api.callback_query(back, pages[-1].result), "editMessageText"
            )
            [forged] = await send(
                api, api.callback_query("m:AAAAAAAA:1", first.result), "answerCallbackQuery"
            )
        return first, pages, back_page, forged

    first, pages, back, forged = run(main())
    numbers = [int(m.group(1)) for m in fact_lines(first.result["text"])]
    for page in pages:
        assert_html_answer(page)
        numbers += [int(m.group(1)) for m in fact_lines(page.result["text"])]
    # every fact of the topic exactly once, numbered on across the pages, edited in place
    assert numbers == list(range(1, total + 1))
    assert all(int(p.params["message_id"]) == first.result["message_id"] for p in pages)
    assert pages[0].result["text"].startswith(f"page 2 of {len(pages) + 1}")
    assert back.result["text"].startswith(f"page {len(pages)} of {len(pages) + 1}")
    assert forged.params.get("text") == "This list has expired; please ask again."


def test_follow_up_continues_the_previous_question_per_user_in_groups(
    fake_api: FakeBotApi,
) -> None:
    api = fake_api
    mention = f"@{BOT_USERNAME}"

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK):
            [a] = await send(api, api.private_message("trade in 2022"))
            [b] = await send(api, api.private_message("and in 2011?"))
            [c] = await send(api, api.private_message("а в 2022?"))
            [d] = await send(api, api.group_message(f"{mention} trade in 2011", user_id=7))
            [e] = await send(api, api.group_message(f"{mention} and in 2022?", user_id=8))
            [f] = await send(api, api.group_message(f"{mention} and in 2022?", user_id=7))
        return [a, b, c, d, e, f]

    a, b, c, d, e, f = run(main())
    assert "114" in fact_texts(a)[0]
    assert "151" in fact_texts(b)[0]  # the topic carried over, the year changed
    assert "114" in fact_texts(c)[0] and "товарооборот" in fact_texts(c)[0]
    assert "151" in fact_texts(d)[0]
    # user 8 asked nothing before in the group: not user 7's follow-up
    assert not fact_texts(e) or "114" not in fact_texts(e)[0]
    assert "114" in fact_texts(f)[0]  # user 7's own previous question continues


LONG_KB = """\
sources:
  - id: src
    publisher: Example Wire
    title: "R&D <news>"
    date: "2023-12-06"
    date_basis: "Stated in the text."
    file: example.txt
    url: "https://example.com/a?b=1&c=2"
topics:
  - id: trade
    command: trade
    label: {{en: Trade & R&D, vi: Thương mại, ru: Торговля}}
    description: {{en: Trade figures, vi: Số liệu thương mại, ru: Торговля}}
    aliases: {{en: [trade], vi: [thương mại], ru: [торговля]}}
facts:
{facts}
"""


def test_facts_at_the_length_limit_are_split_into_valid_html(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    # a fact over MAX_FACT_CHARS (1,000) is refused by the loader; at the limit, eight of
    # them fill two messages or more
    api = fake_api
    long_text = " ".join(f"R&D <{i}> & trade" for i in range(55))  # ~900 characters
    facts = [("trade-long", long_text)] + [
        (f"trade-{i}", f"Fact {i} about trade & R&D <b>, " + "padding " * 100) for i in range(7)
    ]
    entries = "".join(
        # the long fact is the newest, so it leads the first page
        f"  - id: {fid}\n    topics: [trade]\n    when: '{2023 if fid == 'trade-long' else 2022}'\n"
        f"    source: src\n"
        f"    text: {{en: '{text}', vi: '{text}', ru: '{text}'}}\n"
        for fid, text in facts
    )
    (tmp_path / "kb.yaml").write_text(LONG_KB.format(facts=entries), encoding="utf-8")
    write_scope(tmp_path)
    knowledge = LiveKnowledgeBase(tmp_path)

    async def main() -> list[Recorded]:
        async with running_bot(api, **{**QUICK, "knowledge": knowledge}) as app:
            asked = api.private_message("/trade")
            await send(api, asked)
            await settle(api, app, asked)
        return [r for r in api.calls("sendMessage") if r.get_int("chat_id") == USER]

    parts = run(main())
    assert len(parts) >= 2
    for part in parts:
        assert_html_answer(part)
    assert APOLOGY not in [p.params["text"] for p in parts]
    plain = "".join(p.result["text"] for p in parts)
    squashed = re.sub(r"\s+", "", plain)
    assert re.sub(r"\s+", "", long_text) in squashed  # nothing lost at the cuts
    for _, text in facts[1:PAGE_SIZE]:  # the first page; the rest is behind "More"
        assert re.sub(r"\s+", "", text) in squashed
    assert "R&D<news>" in squashed and "https://example.com/a?b=1&c=2" in str(parts[-1].result)


def test_text_that_looks_like_html_is_answered_safely(fake_api: FakeBotApi) -> None:
    api = fake_api
    hostile = "<b>trade</b> & <script>alert(1)</script>"

    async def main() -> tuple[Recorded, Recorded, Recorded]:
        async with running_bot(api, **QUICK):
            [private] = await send(api, api.private_message(hostile))
            [group] = await send(api, api.group_message(f"@{BOT_USERNAME} {hostile} 2011"))
            [inline] = await send(api, api.inline_query(hostile), "answerInlineQuery")
        return private, group, inline

    private, group, inline = run(main())
    for reply in (private, group):
        assert reply.ok and reply.params["parse_mode"] == "HTML", reply
        assert reply.params["text"] != APOLOGY
        assert "<script>" not in reply.params["text"]
    assert inline.ok, inline
    assert len(api.calls("sendMessage")) == 2


# --------------------------------------------------------------------------- the real process


def test_polling_process_answers_and_stops_cleanly(fake_api: FakeBotApi) -> None:
    api = fake_api
    bot = BotProcess(api, inherit=environment_without_settings())
    try:
        api.wait_for("getUpdates", finished=False, timeout=20)
        api.push_update(api.private_message("trade in 2011"))
        [reply] = api.wait_for("sendMessage", timeout=10)
    finally:
        code = bot.stop(15, signal.SIGTERM)  # as a process manager stops the bot
    output = bot.log
    assert code == 0, output
    assert "Traceback" not in output, output
    assert api.token not in output
    assert "Bot @DiplofactsTestBot ready" in output
    assert_topic_reply(reply, "trade")
    assert len(api.calls("setMyCommands")) == 6


def test_missing_token_exits_with_a_clear_message(fake_api: FakeBotApi) -> None:
    env = environment_without_settings(TELEGRAM_BASE_URL=fake_api.base_url, DIPLOFACTS_DB="off")
    done = bot_py("run", env=env, timeout=30)
    assert done.returncode != 0
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "Traceback" not in done.stderr
    assert fake_api.requests == []


def test_webhook_process_checks_the_secret_and_stops_cleanly(fake_api: FakeBotApi) -> None:
    api = fake_api
    port = free_port()
    secret = "s3cr3t-Token_1"
    hook = f"http://127.0.0.1:{port}/telegram"
    env = {
        "WEBHOOK_URL": "https://bot.example.com/telegram",
        "WEBHOOK_SECRET": secret,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "PORT": str(port),
    }
    bot = BotProcess(api, env, args=("--webhook",), inherit=environment_without_settings())
    try:
        [setup] = api.wait_for("setWebhook", timeout=20)
        deadline = time.monotonic() + 10
        while True:  # the listener may come up just after setWebhook
            try:
                wrong = api.post_webhook_sync(hook, api.private_message("trade 2011"), "wrong")
                break
            except OSError:
                assert time.monotonic() < deadline, "the webhook listener never came up"
                time.sleep(0.05)
        missing = api.post_webhook_sync(hook, api.private_message("trade 2011"))
        right = api.post_webhook_sync(hook, api.private_message("trade in 2011"), secret)
        [reply] = api.wait_for("sendMessage", timeout=10)
        time.sleep(0.3)  # a forged update would have been answered by now
        replies = api.calls("sendMessage")
    finally:
        code = bot.stop(15, signal.SIGTERM)
    output = bot.log
    assert (wrong, missing, right) == (403, 403, 200)
    assert setup.ok and setup.params["url"] == "https://bot.example.com/telegram"
    assert setup.params["secret_token"] == secret
    assert replies == [reply]
    assert_topic_reply(reply, "trade")
    assert code == 0, output
    assert "Traceback" not in output, output
    assert api.token not in output


def test_webhook_without_secret_refuses_to_start(fake_api: FakeBotApi) -> None:
    env = environment_without_settings(
        TELEGRAM_BOT_TOKEN=fake_api.token,
        TELEGRAM_BASE_URL=fake_api.base_url,
        DIPLOFACTS_DB="off",
        WEBHOOK_URL="https://bot.example.com/telegram",
    )
    done = bot_py("run", "--webhook", env=env, timeout=30)
    assert done.returncode != 0
    assert "WEBHOOK_SECRET" in done.stderr
    assert fake_api.requests == []


def test_timeline_command_pages_in_place(fake_api: FakeBotApi) -> None:
    api = fake_api

    async def main() -> list[Recorded]:
        async with running_bot(api, **QUICK):
            [first] = await send(api, api.private_message("/timeline"))
            pages = [first, *await pages_after(api, first)]
            [narrow] = await send(api, api.private_message("/timeline 2014-2019"))
        return [*pages, narrow]

    *pages, narrow = run(main())
    assert pages[0].params["text"].startswith("<b>Timeline")
    dates = []
    for page in pages:
        assert_html_answer(page)
        assert "<b>Sources:</b>" in page.params["text"]
        dates += [line for line in page.result["text"].splitlines() if ": " in line[:40]]
    assert len(pages) > 1 and len(dates) > len(pages)
    assert narrow.result["text"].startswith("Timeline · 2014-2019")
    assert (
        "2015" in narrow.result["text"] and "2023" not in narrow.result["text"].split("Sources:")[0]
    )


def test_trade_chart_by_command_and_by_button(fake_api: FakeBotApi) -> None:
    from PIL import Image

    api = fake_api

    async def main() -> tuple[Recorded, Recorded, Recorded]:
        async with running_bot(api, **QUICK):
            [photo] = await send(api, api.private_message("/trade chart"), "sendPhoto", timeout=30)
            [answer] = await send(api, api.private_message("trade in 2022"))
            chart = [d for t, d in buttons(answer) if t == "Chart"]
            [pressed] = await send(
                api, api.callback_query(chart[0], answer.result), "sendPhoto", timeout=30
            )
        return photo, answer, pressed

    photo, answer, pressed = run(main())
    for rec in (photo, pressed):
        assert rec.ok
        image = Image.open(io.BytesIO(rec.files["photo"]))
        image.load()
        assert image.format == "PNG" and image.size == (1100, 600)
        assert rec.params["caption"].startswith("Two-way trade by period")
    assert ("Chart", "ch:en") in buttons(answer)
