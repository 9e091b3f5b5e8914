"""Every sentence the bot says around the facts, in English, Vietnamese and Russian.

The country pair is never written here: ``{scope}`` (the pair as a heading) and
``{relations}`` (its relations as a sentence says them) come from the KB's scope record,
filled in by ``scope_message``.
"""

from __future__ import annotations

from knowledge.records import LANGUAGES
from knowledge.scope import Scope

MESSAGES: dict[str, dict[str, str]] = {
    "sources": {"en": "Sources", "vi": "Nguồn", "ru": "Источники"},
    "not_in_period": {
        "en": "I have nothing dated {period} on this; the closest facts I have:",
        "vi": "Tôi không có dữ kiện nào về {period} cho chủ đề này; các dữ kiện gần nhất:",
        "ru": "По этой теме у меня нет данных за {period}; вот ближайшие факты:",
    },
    "out_of_scope": {
        "en": "I only know about {relations}, so I can't answer about {countries}.",
        "vi": "Tôi chỉ có thông tin về {relations} nên không thể trả lời về {countries}.",
        "ru": "Я знаю только об {relations}, поэтому на вопросы о других странах "
        "({countries}) не отвечаю.",
    },
    "unknown": {
        "en": "I don't know that. I answer questions about {relations} "
        "(trade, visits, students, cooperation mechanisms and more) with sourced facts. "
        "Try /help.",
        "vi": "Tôi không biết điều này. Tôi trả lời câu hỏi về {relations} "
        "(thương mại, chuyến thăm, sinh viên, cơ chế hợp tác…) bằng dữ kiện có nguồn. "
        "Gõ /help để xem hướng dẫn.",
        "ru": "Этого я не знаю. Я отвечаю на вопросы об {relations} "
        "(торговля, визиты, студенты, механизмы сотрудничества и др.) фактами с источниками. "
        "Наберите /help.",
    },
    "greeting": {
        "en": "Hello! I answer questions about {relations} with short, sourced "
        "facts. Ask, for example, “trade in 2022”, or pick a topic:",
        "vi": "Xin chào! Tôi trả lời câu hỏi về {relations} bằng các dữ kiện "
        "ngắn gọn, có nguồn. Hãy hỏi, ví dụ “thương mại năm 2022”, hoặc chọn một chủ đề:",
        "ru": "Здравствуйте! Я отвечаю на вопросы об {relations} короткими "
        "фактами с источниками. Спросите, например, «торговля в 2022 году», или выберите тему:",
    },
    "suggestions": {
        "en": "I'm not sure what you mean. Did you mean one of these topics?",
        "vi": "Tôi chưa rõ ý bạn. Có phải bạn muốn hỏi về một trong các chủ đề này?",
        "ru": "Не совсем понял вопрос. Возможно, вас интересует одна из этих тем?",
    },
    "empty": {
        "en": "Send me a question about {relations}, for example “trade in 2022”.",
        "vi": "Hãy gửi câu hỏi về {relations}, ví dụ “thương mại năm 2022”.",
        "ru": "Задайте вопрос об {relations}, например «торговля в 2022 году».",
    },
    "topics_line": {"en": "Topics", "vi": "Chủ đề", "ru": "Темы"},
    "yes": {"en": "Yes.", "vi": "Có.", "ru": "Да."},
    "not_held": {
        "en": "I don't have that.",
        "vi": "Tôi không có thông tin này.",
        "ru": "Этого у меня нет.",
    },
    "not_held_period": {
        "en": "I don't have that for {period}.",
        "vi": "Tôi không có thông tin này cho {period}.",
        "ru": "За {period} этого у меня нет.",
    },
    "not_held_direction": {
        "en": "I don't have that {asked}; I only have it the other way round, {held}.",
        "vi": "Tôi không có thông tin này {asked}; tôi chỉ có chiều ngược lại, {held}.",
        "ru": "Этого у меня нет ({asked}); есть только обратное направление: {held}.",
    },
    "related": {"en": "Related", "vi": "Liên quan", "ru": "По теме"},
    "timeline": {"en": "Timeline", "vi": "Dòng thời gian", "ru": "Хронология"},
    "timeline_empty": {
        "en": "I have no dated events for that.",
        "vi": "Tôi không có sự kiện nào có ngày tháng cho yêu cầu này.",
        "ru": "Датированных событий по этому запросу у меня нет.",
    },
    "chart_title": {
        "en": "{measure}, {scope}",
        "vi": "{measure}, {scope}",
        "ru": "{measure}, {scope}",
    },
    "chart_disputed": {
        "en": "red: sources disagree on that period, each bar is one source's figure",
        "vi": "màu đỏ: các nguồn không thống nhất về giai đoạn đó, "
        "mỗi cột là số liệu của một nguồn",
        "ru": "красным: источники расходятся за этот период, "
        "каждый столбец — цифра одного источника",
    },
    "chart_caption": {
        "en": "Two-way trade by period, each bar with its period and source. Sources: {sources}.",
        "vi": "Kim ngạch hai chiều theo giai đoạn, mỗi cột ghi giai đoạn và nguồn. "
        "Nguồn: {sources}.",
        "ru": "Товарооборот по периодам, у каждого столбца период и источник. "
        "Источники: {sources}.",
    },
    "disputed": {
        "en": "Sources differ on this figure; each is given with its source:",
        "vi": "Các nguồn đưa ra số liệu khác nhau; mỗi số liệu kèm nguồn của nó:",
        "ru": "Источники расходятся в этой цифре; каждая приведена со своим источником:",
    },
    "as_of": {
        "en": "Latest I have, as of {date}:",
        "vi": "Thông tin mới nhất tôi có, tính đến {date}:",
        "ru": "Самое свежее, что у меня есть, на {date}:",
    },
    "more_count_cli": {
        "en": "({count} more: ask --all shows them.)",
        "vi": "(Còn {count} dữ kiện nữa: ask --all để xem.)",
        "ru": "(Ещё {count}: ask --all покажет всё.)",
    },
    "more_count_chat": {
        "en": "({count} more: /all shows them.)",
        "vi": "(Còn {count} dữ kiện nữa: /all để xem.)",
        "ru": "(Ещё {count}: /all покажет всё.)",
    },
    "more_button": {"en": "More", "vi": "Thêm", "ru": "Ещё"},
    "previous_button": {"en": "Back", "vi": "Trước", "ru": "Назад"},
    "page_expired": {
        "en": "This list has expired; please ask again.",
        "vi": "Danh sách này đã hết hạn; vui lòng hỏi lại.",
        "ru": "Этот список устарел; спросите ещё раз.",
    },
    "page_heading": {
        "en": "page {page} of {pages}",
        "vi": "trang {page}/{pages}",
        "ru": "стр. {page} из {pages}",
    },
    "error": {
        "en": "Sorry, something went wrong on my side. Please try again in a moment.",
        "vi": "Xin lỗi, đã có lỗi phía tôi. Vui lòng thử lại sau giây lát.",
        "ru": "Извините, у меня что-то пошло не так. Попробуйте ещё раз чуть позже.",
    },
    "flood": {
        "en": "You're sending questions faster than I can answer. I'll listen again in a few "
        "seconds.",
        "vi": "Bạn gửi câu hỏi nhanh quá. Vài giây nữa tôi sẽ trả lời tiếp.",
        "ru": "Вы присылаете вопросы слишком быстро. Я снова отвечу через несколько секунд.",
    },
    "not_admin": {
        "en": "Sorry, only the bot's administrators can do that.",
        "vi": "Xin lỗi, chỉ quản trị viên của bot mới làm được việc này.",
        "ru": "Извините, это могут делать только администраторы бота.",
    },
    "link": {"en": "link", "vi": "liên kết", "ru": "ссылка"},
    "help": {
        "en": "I answer questions about {relations} with short facts, each with "
        "its date and source.\n\nAsk in English, Vietnamese or Russian, e.g.:\n"
        "• trade in 2011\n• who is the ambassador?\n• visits and students\n\n"
        "Commands (add words to narrow them, e.g. /trade 2011):\n{commands}\n\n"
        "In groups, mention me (@{username} …), reply to my message or use a command. "
        "In any chat, type @{username} and a question for inline answers.",
        "vi": "Tôi trả lời câu hỏi về {relations} bằng các dữ kiện ngắn, mỗi "
        "dữ kiện có ngày tháng và nguồn.\n\nHỏi bằng tiếng Việt, tiếng Anh hoặc tiếng Nga, "
        "ví dụ:\n• thương mại năm 2011\n• đại sứ là ai?\n• chuyến thăm và sinh viên\n\n"
        "Lệnh (thêm từ để thu hẹp, ví dụ /trade 2011):\n{commands}\n\n"
        "Trong nhóm, hãy nhắc tới tôi (@{username} …), trả lời tin nhắn của tôi hoặc dùng "
        "lệnh. Ở mọi cuộc trò chuyện, gõ @{username} và câu hỏi để nhận trả lời nhanh.",
        "ru": "Я отвечаю на вопросы об {relations} короткими фактами, "
        "у каждого есть дата и источник.\n\nСпрашивайте по-русски, по-английски или "
        "по-вьетнамски, например:\n• торговля в 2011 году\n• кто посол?\n"
        "• визиты и студенты\n\nКоманды (можно уточнить словами, например /trade 2011):\n"
        "{commands}\n\n"
        "В группах упомяните меня (@{username} …), ответьте на моё сообщение или используйте "
        "команду. В любом чате наберите @{username} и вопрос для быстрого ответа.",
    },
    "about": {
        "en": "diplofacts covers {relations} only: trade, visits, cooperation "
        "mechanisms, students, agreements and more, from {first} to {last}, as reported by "
        "{count} news articles. Every fact carries its date and source. I do not cover other "
        "countries, news after {last}, or opinions; when I don't know, I say so.",
        "vi": "diplofacts chỉ có thông tin về {relations}: thương mại, chuyến "
        "thăm, cơ chế hợp tác, sinh viên, hiệp định… từ {first} đến {last}, theo {count} bài "
        "báo. Mỗi dữ kiện đều có ngày tháng và nguồn. Tôi không có thông tin về các nước khác, "
        "tin tức sau {last} hay ý kiến; khi không biết, tôi sẽ nói là không biết.",
        "ru": "diplofacts знает только об {relations}: торговля, визиты, "
        "механизмы сотрудничества, студенты, соглашения и др. — с {first} по {last}, по "
        "{count} новостным статьям. У каждого факта есть дата и источник. Я не знаю о других "
        "странах, о событиях после {last} и не высказываю мнений; если не знаю, так и говорю.",
    },
    "lang_set": {
        "en": "I'll answer in English.",
        "vi": "Tôi sẽ trả lời bằng tiếng Việt.",
        "ru": "Буду отвечать по-русски.",
    },
    "lang_show": {
        "en": "Reply language: {lang}. Change it with /lang en, /lang vi or /lang ru.",
        "vi": "Ngôn ngữ trả lời: {lang}. Đổi bằng /lang en, /lang vi hoặc /lang ru.",
        "ru": "Язык ответов: {lang}. Изменить: /lang en, /lang vi или /lang ru.",
    },
    "lang_auto": {"en": "automatic", "vi": "tự động", "ru": "автоматически"},
    "start": {
        "en": "Hello! I'm diplofacts. I answer questions about {relations} with "
        "short facts, each with its date and source, from {first} to {last}. Ask me anything, "
        "e.g. “trade in 2022”, or pick a topic:",
        "vi": "Xin chào! Tôi là diplofacts. Tôi trả lời câu hỏi về {relations} "
        "bằng các dữ kiện ngắn, có ngày tháng và nguồn, từ {first} đến {last}. Hãy hỏi, ví dụ "
        "“thương mại năm 2022”, hoặc chọn một chủ đề:",
        "ru": "Здравствуйте! Я diplofacts. Я отвечаю на вопросы об {relations} короткими "
        "фактами с датой и источником, с {first} по {last}. Спросите, "
        "например, «торговля в 2022 году», или выберите тему:",
    },
    "help_sources": {
        "en": "the articles I rely on",
        "vi": "các bài báo làm nguồn",
        "ru": "статьи-источники",
    },
    "help_about": {
        "en": "what I cover and what not",
        "vi": "phạm vi thông tin",
        "ru": "что я знаю и чего нет",
    },
    "help_lang": {"en": "reply language", "vi": "ngôn ngữ trả lời", "ru": "язык ответов"},
    "help_timeline": {
        "en": "events in order, e.g. /timeline 2025, /timeline visits",
        "vi": "các sự kiện theo thứ tự, ví dụ /timeline 2025, /timeline visits",
        "ru": "события по порядку, например /timeline 2025, /timeline visits",
    },
    "cmd_timeline": {"en": "Events in order", "vi": "Dòng thời gian", "ru": "Хронология"},
    "chart_button": {"en": "Chart", "vi": "Biểu đồ", "ru": "График"},
    "cmd_start": {"en": "Start and topics", "vi": "Bắt đầu và chủ đề", "ru": "Начало и темы"},
    "cmd_help": {"en": "How to ask", "vi": "Cách hỏi", "ru": "Как спрашивать"},
    "cmd_sources": {
        "en": "The articles I rely on",
        "vi": "Các bài báo làm nguồn",
        "ru": "Статьи-источники",
    },
    "cmd_about": {"en": "What I cover", "vi": "Phạm vi thông tin", "ru": "Что я знаю"},
    "cmd_lang": {"en": "Reply language", "vi": "Ngôn ngữ trả lời", "ru": "Язык ответов"},
    "reload_ok": {
        "en": "Knowledge base reloaded: {facts} facts, {topics} topics.",
        "vi": "Đã nạp lại cơ sở tri thức: {facts} dữ kiện, {topics} chủ đề.",
        "ru": "База знаний перезагружена: {facts} фактов, {topics} тем.",
    },
    "reload_failed": {
        "en": "The new knowledge base has errors; I keep serving the previous one.\n{errors}",
        "vi": "Cơ sở tri thức mới có lỗi; tôi tiếp tục dùng bản cũ.\n{errors}",
        "ru": "В новой базе знаний есть ошибки; продолжаю работать на прежней.\n{errors}",
    },
    "gaps_empty": {
        "en": "No unanswered questions recorded.",
        "vi": "Chưa có câu hỏi nào chưa được trả lời.",
        "ru": "Неотвеченных вопросов пока нет.",
    },
    "unknown_command": {
        "en": "I don't know that command. /help lists what I can answer.",
        "vi": "Tôi không biết lệnh này. Gõ /help để xem những gì tôi trả lời được.",
        "ru": "Такой команды я не знаю. /help покажет, на что я отвечаю.",
    },
    "not_text": {
        "en": "I can only read text. Send me a question, e.g. “trade in 2022”, or try /help.",
        "vi": "Tôi chỉ đọc được văn bản. Hãy gửi câu hỏi, ví dụ “thương mại năm 2022”, hoặc "
        "gõ /help.",
        "ru": "Я понимаю только текст. Задайте вопрос, например «торговля в 2022 году», "
        "или наберите /help.",
    },
    "lang_not_saved": {
        "en": "Sorry, I could not save your language choice just now; please try /lang "
        "again in a minute.",
        "vi": "Xin lỗi, hiện tôi chưa lưu được lựa chọn ngôn ngữ của bạn; vui lòng thử lại "
        "/lang sau một phút.",
        "ru": "Извините, сейчас не удалось сохранить выбор языка; попробуйте /lang ещё раз "
        "через минуту.",
    },
    "gaps_unreadable": {
        "en": "The database of unanswered questions cannot be read right now (see the log).",
        "vi": "Hiện không đọc được cơ sở dữ liệu câu hỏi chưa trả lời (xem nhật ký).",
        "ru": "Базу неотвеченных вопросов сейчас не удаётся прочитать (см. журнал).",
    },
    "gaps_title": {
        "en": "Most frequent unanswered questions:",
        "vi": "Các câu hỏi chưa trả lời thường gặp nhất:",
        "ru": "Самые частые вопросы без ответа:",
    },
}


def message(key: str, lang: str = "en", /, **values: object) -> str:
    # positional-only: templates may have a {lang} placeholder ("lang_show")
    texts = MESSAGES[key]
    text = texts.get(lang) or texts["en"]
    return text.format(**values) if values else text


def scope_message(scope: Scope, key: str, lang: str = "en", /, **values: object) -> str:
    """``message`` with the KB's country pair filled in (``{scope}``, ``{relations}``)."""
    return message(key, lang, **scope.texts(lang), **values)


def missing_translations() -> list[str]:
    """Message keys lacking a language; a test keeps this empty."""
    return [
        f"{key}.{lang}"
        for key, texts in MESSAGES.items()
        for lang in LANGUAGES
        if not texts.get(lang)
    ]
