"""End to end in Vietnamese and Russian: the real bot against the loopback Bot API server."""

from __future__ import annotations

import pytest

from testkit.bot_runner import run, running_bot
from testkit.botapi import DEFAULT_USER_ID, FakeBotApi
from tests.test_bot_e2e import KB, QUICK, assert_topic_reply, buttons, replies, send

pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)
USER = DEFAULT_USER_ID


@pytest.mark.parametrize(
    ("question", "topic", "lang", "figure"),
    [
        ("kim ngạch thương mại năm 2022", "trade", "vi", "114"),
        ("kim ngach thuong mai nam 2022", "trade", "vi", "114"),
        ("đại sứ Belarus", "ambassador", "vi", "Baravikou"),
        ("товарооборот в 2022 году", "trade", "ru", "114"),
        ("сколько вьетнамских студентов в Беларуси", "students", "ru", "70"),
    ],
)
def test_vietnamese_and_russian_questions_get_answers_in_their_language(
    fake_api: FakeBotApi, question: str, topic: str, lang: str, figure: str
) -> None:
    [reply] = replies(fake_api, fake_api.private_message(question))
    facts = assert_topic_reply(reply, topic, lang)
    assert any(figure in fact for fact in facts)
    assert all(fact not in {f.text["en"] for f in KB.facts} for fact in facts)
    sources = {"vi": "Nguồn", "ru": "Источники"}[lang]
    assert [text for text, _ in buttons(reply)][-1] == sources


def test_user_app_language_is_the_fallback_and_the_question_language_wins(
    fake_api: FakeBotApi,
) -> None:
    async def main():
        async with running_bot(fake_api, **QUICK):
            [only_year] = await send(
                fake_api, fake_api.private_message("/trade 2011", USER, language_code="ru")
            )
            [english] = await send(
                fake_api, fake_api.private_message("trade in 2011", USER, language_code="ru")
            )
            return only_year, english

    only_year, english = run(main())
    assert_topic_reply(only_year, "trade", "ru")  # nothing to tell: the app's language
    assert_topic_reply(english, "trade", "en")  # an English question: English


def test_lang_choice_survives_a_restart(fake_api: FakeBotApi, tmp_path) -> None:
    db = str(tmp_path / "bot.sqlite3")

    async def first_run():
        async with running_bot(fake_api, **QUICK, db_path=db):
            return await send(fake_api, fake_api.private_message("/lang ru"))

    async def second_run():
        async with running_bot(fake_api, **QUICK, db_path=db):
            return await send(fake_api, fake_api.private_message("/visits"))

    [chosen] = run(first_run())
    assert chosen.params["text"] == "Буду отвечать по-русски."
    [answer] = run(second_run())
    assert_topic_reply(answer, "visits", "ru")


def test_inline_query_answers_in_the_query_language(fake_api: FakeBotApi) -> None:
    query = fake_api.inline_query("товарооборот 2011")
    [answer] = replies(fake_api, query, "answerInlineQuery")
    results = answer.params["results"]
    assert results
    for result in results:
        text = result["input_message_content"]["message_text"]
        assert any(f.text["ru"] in text.replace("&quot;", '"') for f in KB.facts), text
        assert result["title"].split(" · ")[0] in {t.label["ru"] for t in KB.topics.values()}
    assert results[0]["title"] == "Торговля · январь – август 2011 г."  # the asked-for year
