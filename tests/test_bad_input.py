"""Bad input, generated: arbitrary Unicode up to 10,000 characters, control characters,
markup, zero-width and right-to-left marks, mixed scripts. The core never raises; every
reply is valid Telegram HTML within 4096 characters that uses only our own tags; the user's
text never becomes markup. The same through the real bot: free text, slash commands with
arbitrary arguments, inline queries and button presses with arbitrary data."""

from __future__ import annotations

import itertools
import json
import logging
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from knowledge.answer import answer_question
from knowledge.contract import answer_json
from knowledge.messages import message
from knowledge.model import Answer
from knowledge.render import TELEGRAM_LIMIT, render_html, render_text
from runtime.live import LiveKnowledgeBase
from testkit.bot_runner import BotThread
from testkit.botapi import FakeBotApi
from testkit.botapi.formatting import FormatError, parse_html
from testkit.logs import error_records

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)

KB = LiveKnowledgeBase().current
TOPICS = sorted(KB.topics)
COMMANDS = sorted(t.command for t in KB.topics.values())

# What a hostile or careless user types; the markers (zq…, evil.example) must never come back
# as markup.
MARKERS = [
    "<b>zqx</b>",
    "<i>zqy</i>",
    '<a href="http://evil.example">zqz</a>',
    "<script>alert(1)</script>",
    "<tg-spoiler>zqs</tg-spoiler>",
    "<pre><code>zqc</code></pre>",
]
SPECIAL = [
    *MARKERS,
    *"\x00\x01\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\t\n\r",
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad",  # zero-width, BOM, soft hyphen
    *"\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",  # bidi
    "\u0301",
    "a\u0300\u0301\u0302\u0303",  # stacked combining marks
    "&",
    "&amp;",
    "&lt;b&gt;",
    "&#0;",
    "&#x110000;",
    "&nbsp",
    "<",
    ">",
    "</b>",
    "<b>",
    "<",
    "*zq*",
    "_zq_",
    "`zq`",
    "[zq](http://evil.example)",
    "@DiplofactsTestBot",
    "/trade",
    "2011",
    "1992",
    "0000",
    "9999999999999999999999",
    "2011-2023",
    "Việt Nam",
    "Viet Nam",
    "Беларусь",
    "Вьетнам",
    "thương mại",
    "торговля",
    "trade",
    "visits",
    "students",
    "ambassador",
    "France",
    "hello",
    "مرحبا بالعالم",
    "שלום",
    "中文",
    "日本語",
    "🇻🇳🇧🇾",
    "👨‍👩‍👧",
    "🏳️‍🌈",
    "😀",
    "\U000e0041",  # tag character
    "\uffff",
    "\U0010ffff",
]
pieces = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=6),
)
separators = st.sampled_from(["", " ", "  ", "\n", "\u200b", "\u00a0", "\t"])
short_text = st.lists(st.tuples(pieces, separators), max_size=30).map(
    lambda parts: "".join(p + s for p, s in parts)
)


@st.composite
def long_text(draw) -> str:
    """Up to 10,000 characters: a generated chunk repeated, or one line of a single piece."""
    chunk = draw(short_text) or draw(st.sampled_from(SPECIAL))
    size = draw(st.integers(1, 10_000))
    return (chunk * (size // max(len(chunk), 1) + 1))[:size]


questions = st.one_of(short_text, long_text(), st.text(max_size=400))
preferred = st.sampled_from([None, "en", "vi", "ru", "de", "", "zz-ZZ", "pt-br"])

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
E2E = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# --------------------------------------------------------------------------- checking replies


class _Tags(HTMLParser):
    """Only <b>, <i> and <a href="http(s)://…"> (our own markup), properly nested."""

    ALLOWED = {"b", "i", "a"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag not in self.ALLOWED:
            self.problems.append(f"tag <{tag}>")
        if tag == "a":
            names = [name for name, _ in attrs]
            href = dict(attrs).get("href") or ""
            if names != ["href"] or not href.startswith(("http://", "https://")):
                self.problems.append(f"link {attrs}")
        elif attrs:
            self.problems.append(f"attributes on <{tag}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def check(self, text: str) -> list[str]:
        self.feed(text)
        self.close()
        if self.stack:
            self.problems.append(f"unclosed {self.stack}")
        return self.problems


def check_html(part: str, question: str = "") -> None:
    """One message as Telegram would parse it (parse_mode=HTML)."""
    assert part.strip(), "empty message"
    assert len(part) <= TELEGRAM_LIMIT, len(part)
    assert _Tags().check(part) == [], part
    try:
        text, entities = parse_html(part)
    except FormatError as exc:  # what Telegram would answer with a 400
        raise AssertionError(f"Telegram would refuse: {exc}\n{part!r}") from None
    assert len(text) <= TELEGRAM_LIMIT
    assert {e["type"] for e in entities} <= {"bold", "italic", "text_link"}
    for marker in MARKERS:
        assert marker not in part, f"user markup {marker!r} came back as markup"
    for entity in entities:
        assert "evil.example" not in entity.get("url", "")
        covered = text.encode("utf-16-le")[
            2 * entity["offset"] : 2 * (entity["offset"] + entity["length"])
        ]
        assert "zq" not in covered.decode("utf-16-le", "replace")


def check_answer(answer: Answer, question: str) -> None:
    parts = render_html(answer, KB)
    assert parts
    for part in parts:
        check_html(part, question)
    render_text(answer, KB)
    json.dumps(answer_json(answer, KB), ensure_ascii=False)


# --------------------------------------------------------------------------- the core


@FAST
@given(question=questions, lang=preferred)
def test_any_question_gets_a_valid_reply(question: str, lang: str | None) -> None:
    answer = answer_question(KB, question, preferred_lang=lang)
    assert answer.lang in ("en", "vi", "ru")
    check_answer(answer, question)


@FAST
@given(
    topic=st.sampled_from(TOPICS), words=questions, lang=st.sampled_from([None, "en", "vi", "ru"])
)
def test_any_words_after_a_topic_command_get_a_valid_reply(topic, words, lang) -> None:
    answer = answer_question(KB, words, topic=topic, lang=lang)
    check_answer(answer, words)


def test_markup_in_a_question_is_text() -> None:
    for question in ["<b>x</b> trade", "France <b>x</b>", "<i>visits</i> 2023", "<a href=x>"]:
        for part in render_html(answer_question(KB, question), KB):
            check_html(part, question)
            assert "<b>x</b>" not in part and "<i>visits" not in part


# --------------------------------------------------------------------------- through the bot


@pytest.fixture(scope="module")
def bot():
    """One bot for the module: a FakeBotApi and the application in a background thread."""
    with error_records() as errors:
        api = FakeBotApi().start()
        try:
            with BotThread(api):
                api.wait_for("getUpdates", finished=False, timeout=10)
                yield api, errors
        finally:
            api.stop()


users = itertools.count(10_000_000)  # a new user per example: flood control stays out of it
APOLOGY = message("error", "en")


def telegram_text(text: str, limit: int = 4096) -> str:
    """What Telegram would deliver: trimmed, within its length limit, not blank."""
    text = text[:limit].strip()
    assume(text)
    return text


def replies_to(api, user: int, count: int) -> list:
    found = api.wait_for("sendMessage", lambda r: r.get_int("chat_id") == user, count, 10)
    assert all(r.ok for r in found), [r.response for r in found]
    return found


def no_errors(api, errors: list[logging.LogRecord]) -> None:
    assert not errors, [r.getMessage() for r in errors]
    assert not [m for m in api.sent_messages() if m["text"] == APOLOGY]


@E2E
@given(question=questions)
def test_free_text_through_the_bot(bot, question: str) -> None:
    api, errors = bot
    text = telegram_text(question)
    assume(not text.startswith("/"))
    user = next(users)
    api.push_update(api.private_message(text, user))
    expected = render_html(answer_question(KB, text, preferred_lang="en"), KB)
    sent = replies_to(api, user, len(expected))
    assert [r.params["text"] for r in sent] == expected
    no_errors(api, errors)


@E2E
@given(command=st.sampled_from([*COMMANDS, "start", "lang", "help"]), args=questions)
def test_commands_with_any_arguments(bot, command: str, args: str) -> None:
    api, errors = bot
    text = telegram_text(f"/{command} {args}")
    user = next(users)
    api.push_update(api.private_message(text, user))
    words = " ".join(text.split()[1:])
    if command in COMMANDS:
        topic = KB.topic_by_command(command).id
        count = len(render_html(answer_question(KB, words, topic=topic, preferred_lang="en"), KB))
    elif command == "start" and KB.topic_by_command(words):
        topic = KB.topic_by_command(words).id
        count = len(render_html(answer_question(KB, "", topic=topic, lang="en"), KB))
    else:
        count = 1
    replies_to(api, user, count)
    no_errors(api, errors)


@E2E
@given(query=questions)
def test_inline_queries_with_any_text(bot, query: str) -> None:
    api, errors = bot
    update = api.push_update(api.inline_query(query[:256], next(users)))
    qid = update["inline_query"]["id"]
    [answer] = api.wait_for(
        "answerInlineQuery", lambda r: r.params.get("inline_query_id") == qid, timeout=10
    )
    assert answer.ok, answer.response
    for result in answer.params["results"]:
        check_html(result["input_message_content"]["message_text"], query)
        assert "<" not in result["title"] and "&" not in result["title"], result["title"]
    no_errors(api, errors)


@E2E
@given(
    data=st.one_of(
        st.text(min_size=1, max_size=64), st.sampled_from(["t:", "src", "t:" + TOPICS[0]])
    )
)
def test_buttons_with_any_data(bot, data: str) -> None:
    api, errors = bot
    data = data.encode("utf-8")[:64].decode("utf-8", "ignore") or "x"
    user = next(users)
    api.push_update(api.private_message("/start", user))
    [menu] = replies_to(api, user, 1)
    press = api.push_update(api.callback_query(data, menu.result, user))
    qid = press["callback_query"]["id"]
    [ack] = api.wait_for(
        "answerCallbackQuery", lambda r: r.params.get("callback_query_id") == qid, timeout=10
    )
    assert ack.ok
    no_errors(api, errors)
