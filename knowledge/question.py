"""What a question asks for, apart from its subject: the kind of answer (an amount, a count,
a rate, a date, a person, a place, a reason, yes or no, a list), the direction between the
scope's two countries, and whether it is an elliptical follow-up ("and in 2022?").

Everything works on folded text (``normalize.fold``: no case, no diacritics), so "bao nhiêu"
and "bao nhieu" are one pattern. The subject itself is the matcher's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge.answer_kinds import figures_in
from knowledge.normalize import fold
from knowledge.scope import Scope


class QuestionKind(StrEnum):
    PRICE = "price"  # what something costs: a ticket, a truck
    AMOUNT = "amount"  # how much: a sum of money, a volume
    COUNT = "count"  # how many
    RATE = "rate"  # how fast, by how much it grew
    WHEN = "when"
    WHO = "who"
    WHERE = "where"
    WHY = "why"
    YESNO = "yesno"
    LIST = "list"
    WHAT = "what"  # anything else


# The fact property (``Fact.answers``) each kind of question wants.
WANTED_PROPERTY: dict[QuestionKind, str] = {
    QuestionKind.PRICE: "price",
    QuestionKind.AMOUNT: "amount",
    QuestionKind.COUNT: "count",
    QuestionKind.RATE: "rate",
    QuestionKind.WHEN: "date",
    QuestionKind.WHO: "person",
    QuestionKind.WHERE: "place",
    QuestionKind.WHY: "reason",
}


ACCEPTED_PROPERTIES: dict[QuestionKind, frozenset[str]] = {
    QuestionKind.AMOUNT: frozenset({"amount", "count"}),
    QuestionKind.COUNT: frozenset({"count", "amount"}),
    QuestionKind.WHO: frozenset({"person", "office"}),
}


def _rx(*patterns: str) -> re.Pattern[str]:
    # one word boundary, then the alternatives: most places fail at the boundary, once
    return re.compile(rf"(?:^|\s)(?:{'|'.join(f'(?:{p})' for p in patterns)})(?=\s|$)")


_TRADED = "sold|sells|sell|exported|exports|export|imported|imports|bought|buys|buy|shipped|ships"

# Checked in this order: the first kind whose pattern occurs wins ("how much did trade grow"
# is a rate, not an amount, so RATE comes before AMOUNT). "<people>" stands for the words
# for the scope's peoples ("сколько вьетнамцев"), filled in per KB by QuestionReader.
_KIND_SOURCES: tuple[tuple[QuestionKind, tuple[str, ...]], ...] = (
    (
        # "how much is a ticket", "giá vé", "сколько стоит": a price, which a trade total
        # does not answer. Not the folded "gia" alone: it is also "quốc gia" (country)
        QuestionKind.PRICE,
        (
            r"how much (?:\w+ ){0,5}(?:cost|costs|charge|charges)",
            r"price|prices|priced|pricing|fare|fares|cost of|costs|how expensive|cheap|cheaper",
            r"gia ve|(?<!tri )gia (?:la )?bao nhieu|gia ca|chi phi|dat khong|re khong",
            # "Giá phòng khách sạn … bao nhiêu?": "giá" opening the question is a price
            r"^gia (?:\S+ ){0,10}?(?:bao nhieu|dat|re|the nao)",
            r"стоит|стоят|стоил\w*|стоимост\w*|цена|цены|цену|почем|дорог\w*|дешев\w*|stoit",
        ),
    ),
    (
        QuestionKind.RATE,
        (
            r"how fast",
            r"how quickly",
            r"how often|how frequently|bao lau (?:thi )?(?:co )?mot (?:lan|chuyen)|как часто",
            r"by how much",
            r"how much (?:\w+ ){0,4}(?:grow|grew|grown|rise|rose|increase|increased|change)",
            r"how much (?:\w+ ){0,2}(?:bigger|larger|higher|smaller|lower|up on|down on)",
            r"growth( rate)?",
            r"trend|trends|going up|going down|xu huong|тенденци\w*|динамик\w*",
            r"grow|grew|grown|fall|fell|drop|dropped|decline|declined|up or down",
            r"jump|jumped|surge|surged|soar|soared|climb|climbed|plunge|plunged|slump|slumped|"
            r"yoy|y o y|year on year|year over year|tang vot|подскочил\w*|скакнул\w*",
            r"\d+(?:[.,]\d+)? ?x",
            # "how many times bigger" is a ratio; "how many times did he visit" counts visits
            r"how many times (?:\w+ )?(?:bigger|larger|more|higher|greater|less|smaller|as)",
            r"percent|percentage",
            # a share is a ratio: "what share of Belarus's trade", "tỷ lệ vốn", "какая доля"
            r"(?:what|which) share|share of|proportion|stake",
            r"ty le|ty trong|phan tram|chiem bao nhieu",
            r"дол(?:я|ю|и|е)|процент\w*",
            r"tang (?:bao nhieu|gap|truong|them|manh)",
            r"tang hay giam|giam bao nhieu|giam di|giam xuong",
            r"toc do",
            r"gap (?:bao nhieu|may) lan",
            r"во сколько раз",
            r"насколько (?:вырос|выросла|выросло|увеличил\w*)",
            r"как (?:вырос|выросла|выросло|изменил\w*)",
            r"снизил\w*|упал\w*|сократил\w*|вырос(?:ла|ло)? ли",
            r"рост\w*",
            r"темп\w*",
            r"прирост\w*",
        ),
    ),
    (
        QuestionKind.WHEN,
        (
            r"when",
            r"what year",
            r"which year",
            r"what date",
            r"date|dates|дата|даты",
            r"(?:what|which) period|за какой период|какой период|giai doan nao|thoi ky nao",
            r"since when",
            r"how old",  # "how old are the relations": since when they stand
            r"сколько лет|bao nhieu nam",  # …"сколько лет отношениям"
            r"in what year",
            r"khi nao",
            r"bao gio",
            r"nam nao",
            r"luc nao",
            r"hoi nao",  # "hồi nào", typed in chat
            # keywords, not a sentence: "lukashenko vietnam visits years", "…arrival date?"
            r"(?<!whole )(?<!full )(?<!every )(?<!each )(?<!per )(?<!the )(?<!a )(?<!this )"
            r"(?:year|years)$",
            r"ngay nao",
            r"thang nao",
            r"thoi gian nao",
            r"когда",
            r"в каком году",
            r"какого числа",
            r"с какого года",
            r"в какой день",
            # "which days?", "по каким дням": the days of a schedule
            r"which days|what days|on what days|по каким дням|в какие дни|nhung ngay nao",
        ),
    ),
    (
        QuestionKind.WHO,
        (
            # "who sold more, Vietnam or Belarus?" compares two figures: no person answers
            # …and "who owns MAZ Asia?" is answered by companies as well as people
            rf"who(?! (?:\S+ )?(?:{_TRADED}) more)(?! (?:owns|owned|runs|operates|founded)\b)"
            r"|whom|whose",
            r"which (?:minister|official|leader|president|ambassador|person)",
            r"name of the (?:ambassador|minister|president)",
            r"(?:la )?ai(?! (?:xuat khau|xuat|ban|nhap khau|nhap|mua) nhieu hon)",
            r"кто(?! больше)|кого|кому|кем|чей|чья",
        ),
    ),
    (
        QuestionKind.WHERE,
        (
            r"where",
            r"which city",
            r"in which city",
            r"what city",
            # not "dau" alone: folded, "đâu" (where) is also "đầu" (first, beginning)
            r"o dau|tai dau|dau la|noi nao|thanh pho nao|dia diem nao",
            r"где|куда|в каком городе",
        ),
    ),
    (
        QuestionKind.WHY,
        (
            r"why",
            r"what for",
            r"for what purpose",
            r"what was the (?:purpose|aim|goal|point)",
            r"purpose|aim|aims|goal|goals|reason|objective|objectives",
            r"(?:hop\w*|want\w*|seek\w*|meant|intend\w*) to (?:achieve|accomplish|gain)",
            r"tai sao|vi sao|ly do|muc dich|de lam gi",
            r"почему|зачем|для чего|ради чего|с какой целью|цель\w*|причин\w*",
        ),
    ),
    (
        QuestionKind.COUNT,
        (
            r"how many",
            r"number of",
            # a stay or a wait in days: "how long can Vietnamese stay without a visa"
            r"how long|bao lau|как долго|сколько дней",
            r"bao nhieu (?!tien|usd|do la|dola|trieu)(?:\w+)",
            r"may (?:sinh vien|hiep dinh|lan|nguoi|van kien)",
            r"(?:сколько|скока|скоко|скок|сколька) (?:\w+ )?(?:студент\w*|соглашени\w*|документ\w*|"
            r"<people>|человек|раз|визит\w*|заседани\w*|сесси\w*|проект\w*)",
            r"число|количеств\w*",
            r"count$",  # keywords: "to lam belarus visits count"
            r"(?:на )?(?:скока|скоко|скок|сколька) (?:\w+ )?(?:дней|машин\w*)",
            r"max|maximum|at most|toi da|максимум",
            # a plant's or a route's capacity: "công suất bao nhiêu", "а мощность какая?"
            r"capacity|cong suat|мощност\w*",
        ),
    ),
    (
        QuestionKind.AMOUNT,
        (
            r"how much",
            r"how big",
            r"what (?:was|is|were|s) (?:the )?(?:\w+ ){0,3}(?:trade|turnover|value|volume)",
            r"(?:trade|turnover) (?:figure|figures|number|numbers|total)",
            r"value|worth|volume|total",
            r"(?:the|exact|precise|latest|a) (?:figure|figures|number)|con so|so lieu|цифр\w*",
            r"bao nhieu",
            r"dat bao nhieu",
            r"сколько|скока|скоко|скок|сколька",
            rf"(?:{_TRADED}) more|(?:xuat khau|xuat|ban|nhap khau|nhap|mua) nhieu hon|кто больше",
            r"какой (?:объем|товарооборот)",
            r"на какую сумму",
            r"объем\w*",
        ),
    ),
    (
        QuestionKind.LIST,
        (
            r"list|lists|enumerate|overview|all",
            r"which visits|what visits|what agreements|which agreements",
            r"liet ke|tat ca|danh sach",
            # "which leaders have visited", "những lãnh đạo nào", "какие руководители": several
            r"(?:which|what) (?:\w+ )?(?:leaders|officials|ministers|presidents|heads)",
            r"nhung (?:\S+ ){1,3}nao",
            r"какие (?:\S+ )?(?:руководители|лидеры|министры|президенты|визиты|документы)",
            r"перечисл\w*|список|все|всех|какие визиты|какие соглашения",
        ),
    ),
)


def kind_pattern_words() -> frozenset[str]:
    """The whole Cyrillic words the question-kind patterns spell out ("сколько", "стоит"):
    a question typed in Latin letters is read back with these spellings ("stoit" is
    "стоит", not "стойт")."""
    words = set()
    for _, patterns in _KIND_SOURCES:
        for pattern in patterns:
            words.update(re.findall(r"(?<![\\\w])[а-яё]+(?![\w\\*])", pattern))
    return frozenset(words)


# A question whose answer is yes or no opens with an auxiliary verb (en), ends with
# "không"/"chưa" (vi) or holds "ли" (ru).
_YESNO = re.compile(
    r"^(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would)\s"
    r"|\s(?:khong|chua|ko|k|hok|hong|khum|kg)$"
    r"|(?:^|\s)ли(?:\s|$)"
)

# Patterns naming a side take it as "<side>" (a word naming either country, from the KB's
# scope: "Vietnam's exports to Belarus"); QuestionReader compiles them per KB.
_GAP = r"(?:\S+\s+){0,3}?"
# Patterns that name the giving side (exporter, sending country, the ambassador's country)…
_FROM_SIDE: tuple[str, ...] = (
    rf"<side>\s+{_GAP}(?:export\w*|sell\w*|sold|ship\w*|suppl\w*|send\w*)",
    rf"(?:export\w*|import\w*|buy\w*|bought|purchase\w*)\s+{_GAP}from\s+<side>",
    r"<side>(?:\s+s)?\s+(?:ambassador|envoy|embassy)",
    r"(?:ambassador|envoy|embassy)\s+(?:of|from)\s+(?:the\s+)?<side>",
    r"(?:dai su|dai su quan|su quan)\s+(?:cua\s+)?<side>",
    rf"<side>\s+{_GAP}xuat(?:\s+khau)?",
    rf"(?:nhap(?:\s+khau)?|mua)\s+{_GAP}tu\s+<side>",
    r"(?:посол|посольство|экспорт)\s+<side>",
    # (not "Вьетнаму продаёт", sells to Vietnam: a side in the dative receives)
    r"<side>(?<!у)(?<!и)(?<!сам)(?<!цам)\s+(?:экспортир\w*|продает|поставля\w*)",
    rf"(?:импорт\w*|закупа\w*|покупа\w*|ввоз\w*)\s+{_GAP}из\s+<side>",
    rf"из\s+<side>\s+{_GAP}(?:в|во)\s",
    rf"(?:вез\w*|ввоз\w*|импорт\w*|поставк\w*)\s+{_GAP}из\s+<side>",
    # investment: the investor ("Belarus's investment in Vietnam", "инвестиции Беларуси")
    rf"<side>(?:\s+s)?\s+{_GAP}invest\w*",
    r"invest\w*\s+(?:of|from|by)\s+(?:the\s+)?<side>",
    rf"<side>\s+{_GAP}(?<!bat )dau tu",  # "bắt đầu từ" (starting from) is no investment
    r"(?:инвестиц\w*|вложени\w*)\s+<side>",
    r"<side>\s+(?:инвестир\w*|вложил\w*|вкладыва\w*)",
    # visits: the visiting side ("Vietnamese leaders visited Belarus")
    # (the verb, not the noun: "Golovchenko's Vietnam visit" is a visit to Vietnam)
    # …but "belarus visits count" is keywords: the noun, the visits counted
    r"<side>\s+(?:\S+\s+){0,3}?(?:visited|visiting|visits(?! (?:count|number|list|years|dates)\b)"
    r"|came|come|went|travel\w*|been to)\s",
    r"<side>\s+(?:\S+\s+){0,3}?(?:sang tham|tham|sang|den tham)\s",
    # (in Russian only the people or an adjective, "белорусские руководители посещали":
    # "Вьетнам посетил Мясникович" is his visit to Vietnam, a country's name reads the same
    # as subject and object)
    r"<side>(?<=ие|ые|цы|ая|ий|ый|ой|ое)\s+(?:\S+\s+){0,3}?(?:посеща\w*|посети\w*|приезжа\w*|ездил\w*)",
)
# A side word right after one of these is a destination
_NOT_AFTER_TO = r"(?<!\bв )(?<!\bво )(?<!\bto )(?<!\binto )(?<!\bsang )(?<!\bden )(?<!\btoi )"
# …and patterns that name the receiving side (importer, host country).
_TO_SIDE: tuple[str, ...] = (
    rf"(?:export\w*|sell\w*|sold|ship\w*|suppl\w*|send\w*)\s+{_GAP}to\s+<side>",
    rf"<side>\s+{_GAP}(?:import\w*|buy\w*|bought|purchase\w*)",
    rf"(?:ambassador|envoy|embassy)\s+{_GAP}(?:to|in)\s+<side>",
    rf"(?:xuat(?:\s+khau)?|ban)\s+{_GAP}(?:sang|cho|toi|den)\s+<side>",
    rf"<side>\s+{_GAP}(?:nhap(?:\s+khau)?|mua)",
    rf"(?:dai su|dai su quan|su quan)\s+{_GAP}tai\s+<side>",
    rf"(?:посол|посольство)\s+{_GAP}(?:в|во)\s+<side>",
    rf"(?:экспорт\w*|продает|поставля\w*|поставк\w*)\s+{_GAP}(?:в|во)\s+<side>",
    r"<side>\s+(?:импортир\w*|закупа\w*|покупа\w*)",
    r"<side>(?<=у|и)\s+(?:продает|продают|продавал\w*|поставля\w*|экспортир\w*)",
    # investment: where the money goes
    rf"invest\w*\s+{_GAP}(?:in|into)\s+<side>",
    rf"dau tu\s+{_GAP}(?:vao|tai|o)\s+<side>",
    rf"(?:инвестиц\w*|инвестир\w*|вложени\w*|вложил\w*)\s+{_GAP}(?:в|во)\s+<side>",
    # visits: the visited side
    r"(?:visit\w*|came to|come to|went to|travel\w* to|been to|trip to)\s+<side>",
    r"(?:sang tham|tham|sang|den)\s+<side>",
    rf"(?:посеща\w*|посети\w*|приезжа\w*|ездил\w*|визит\w*|поездк\w*|прилет\w*|был|была|были|"
    rf"побывал\w*)\s+{_GAP}"
    r"(?:в|во)\s+<side>",
)

# Openings of an elliptical follow-up: "and in 2022?", "what about the students?".
_FOLLOW_UP_OPENING = re.compile(
    r"^(?:and|what about|how about|and what about|also|same for|and for|who else|what else|"
    r"then|va|con|the con|vay con|con ve|а|и|а как насчет|что насчет|как насчет|а что|"
    r"а кто еще|кто еще|а еще)(?:\s|$)"
)
# "the purpose of the visit", "mục đích", "с какой целью": what it was for
_PURPOSE = _rx(
    r"purpose|aim|aims|goal|goals|objective|objectives|what for|muc dich|nham muc dich|"
    r"цель|цели|целью|ради чего|для чего"
)
# Phrases that name no subject, though each word alone may ("chủ yếu", mainly: "chủ" is
# also of "chủ tịch"; "друг друга", each other)
_SAYS_NOTHING = _rx(
    r"chu yeu|chu chot|toi nay|den nay|hien nay|each other|one another|"
    r"друг (?:друга|другу|с другом)"
)
# "how old is Lukashenko", "bao nhiêu tuổi", "сколько лет Лукашенко": a person's age
_AGE = _rx(r"how old|bao nhieu tuoi|may tuoi|сколько (?:ему |ей )?лет|возраст\w*")
_VI_TOWARDS = "sang|qua|tu|toi|den|ve"
_LIVING = _rx(r"live|lives|living|song|sinh song|живет|живут|проживает|проживают")
# "are they strategic partners yet?", "đã là đối tác chiến lược chưa", "уже стали": has it
# happened, which the event settles (a fact with its date), not what was said of it
_HAPPENED = _rx(r"yet|already|chua|roi|уже|стали|стал|стала")
# "between the two countries", "hai nước", "двух стран": the pair, not named
_BOTH_SIDES = _rx(
    r"(?:the )?(?:two|both) (?:countries|sides|nations|states)|hai nuoc|hai ben|"
    r"(?:двух|обеих|наших|двумя|обеими) (?:стран\w*|сторон\w*)|(?:две|обе) (?:страны|стороны)"
)
# "MAZ's partner", "which company", "đối tác", "công ty nào", "партнёр", "компания"
_PARTNER = _rx(
    r"partner|partners|company|companies|firm|doi tac|cong ty|партнер\w*|компани\w*|фирм\w*"
)
# "which airline flies there", "hãng bay nào", "какая авиакомпания": an organisation
_CARRIER = _rx(r"airline|airlines|carrier|hang bay|hang hang khong|авиакомпани\w*|перевозчик\w*")
# "how many times", "mấy lần", "lần thứ mấy", "сколько раз": occasions are counted
_TIMES = re.compile(
    r"(?:^|\s)(?:how many times|how often has|which time|may lan|bao nhieu lan|lan thu may|"
    r"(?:сколько|скока|скоко|скок|сколька) раз|который раз|в который раз)(?:\s|$)"
)
# "what did they sign?", "ký những gì", "что подписали": the question's own "what"
_WHAT_WORD = re.compile(
    r"(?:^|\s)(?:what|which|gi|nhung gi|cai gi|что|чем|какие|какой|какая|какое)(?:\s|$)"
)
# "now", "latest", "currently": the newest facts first, with the date they are true as of.
_LATEST = re.compile(
    r"(?:^|\s)(?:now|nowadays|latest|newest|most recent|recent|recently|lately|currently|current|"
    r"today|these days|this year|at the moment|rn|up to date|"
    r"hien nay|hien tai|bay gio|moi nhat|gan day|gan nhat|nam nay|"
    r"сейчас|сегодня|последн\w*|текущ\w*|в настоящее время|недавн\w*|в этом году|нынешн\w*)"
    r"(?:\s|$)"
)
# "when did he first visit?", "впервые", "lần đầu": the earliest first ("the first four
# months" and "the first flight" name a part of a year and an event, not the earliest time)
_FIRST = re.compile(
    r"(?:^|\s)(?:for the first time|first time|"
    r"first (?:visit\w*|came|come|went|go|goes|gone|travel\w*|arriv\w*|met|meet)|"
    r"(?:visit\w*|came|went|travel\w*|arriv\w*|met) (?:\w+ )?(?:for the )?first|earliest|"
    r"first to (?:visit|come|travel)|перв\w+ (?:приехал\w*|посетил\w*|прибыл\w*|побывал\w*)|"
    r"lan dau|khai truong|inaugurat\w*|maiden|впервые|в первый раз|первый раз)(?:\s|$)"
)
# "who was the first ambassador?", "đại sứ đầu tiên", "первый посол": the first holder of an
# office, which only a fact saying "first" tells (the KB knows holders from some year on)
_OFFICES = (
    r"ambassador|envoy|president|prime minister|premier|chairman|chairwoman|"
    r"dai su|tong thong|chu tich|thu tuong|посол\w*|посл(?:а|ом|у)|президент\w*|премьер\w*"
)
_FIRST_HOLDER = re.compile(
    rf"(?:^|\s)(?:first|перв\w+)\s(?:\S+\s){{0,3}}?(?:{_OFFICES})(?:\s|$)"
    rf"|(?:^|\s)(?:{_OFFICES})\s(?:\S+\s){{0,5}}?dau tien(?:\s|$)"
)
# "will he visit?", "what was the target?", "có kế hoạch…", "планируется ли": an intention
# or a forecast is asked for, not only what happened ("who invited him?" asks what happened)
_PLANS = re.compile(
    r"(?:^|\s)(?:will|would|going to|plan\w*|upcoming|next|expect\w*|target\w*|"
    r"intend\w*|forecast\w*|goal|aim|accept\w*|se|sap|du kien|ke hoach|nhan loi|"
    r"muc tieu|буд\w*|принял\w*|принима\w*|собирает?ся|собираются|собирал(?:ся|ась|ись)|"
    r"собрал(?:ся|ась|ись)|план\w*|предстоящ\w*|намер\w*|ожида\w*|"
    r"цел\w*|прогноз\w*)"
    r"(?:\s|$)"
)
# "which goods", "what does Vietnam sell to Belarus", "mặt hàng gì", "какие товары": the goods
# themselves, not the trade figure
_GOODS = _rx(
    r"(?:which|what|main|key|top) (?:goods|products|items|commodities|exports|imports)|"
    r"what (?:do|does|did|else do|else does) (?:\S+ ){0,3}?(?:export|exports|exported|sell|sells|"
    r"sold|ship|ships|shipped|buy|buys|bought|import|imports|imported|supply|supplies|supplied|"
    r"purchase|purchases|purchased)|"
    r"mat hang|hang hoa|san pham|(?:xuat|nhap|mua|ban)(?: khau)? (?:\S+ ){0,5}?(?:gi|nhung gi)|"
    r"какие товары|каких товаров|какую продукцию|какая продукция|товары|"
    r"что (?:\S+ ){0,3}?(?:экспортир\w*|импортир\w*|прода[её]т|продают|поставля\w*|покупа\w*|"
    r"закупа\w*|ввоз\w*|вывоз\w*|везут|возят)"
)
# "what's the latest news?", "tin tức mới nhất", "последние новости": what happened lately
_NEWS = _rx(
    r"news|developments|updates|update|happened|happening|going on|what s new|"
    r"whats new|anything new|tin tuc|tin moi|"
    r"co gi moi|новост\w*|событи\w*|происходит|нового"
)
# "who is Baravikou?", "Volfovich là ai?", "кто такой Боровиков?": who the person is, not
# whom they met
_IDENTITY = re.compile(
    r"^(?:who (?:is|was|s|are|were) (?!the |a |an )\S+(?: \S+)?$|кто так(?:ой|ая|ие)\s)"
    r"|^\S+(?: \S+)? la ai$|(?:^|\s)кто (?:он|она|это)$|(?:^|\s)это кто$"
)
# "who is the ambassador?", "ai là đại sứ", "кто является послом": the holder of an office,
# one person, not whoever a fact names besides
_HOLDER = re.compile(
    r"^who (?:is|was|s|are|were) (?:the|a|an) |^ai (?:la|dang la|hien la) |"
    r"(?:^|\s)кто (?:является|сейчас|был|была|занимает)(?=\s|$)"
)
# "where did Belarus rank among investors", "xếp hạng thứ mấy", "какое место"
_RANK = _rx(r"rank|ranked|ranks|ranking|xep hang|xep thu|какое место|место сред\w*")
# "how long is the flight", "bay mất bao lâu", "скока лететь": a duration
_DURATION = _rx(
    r"how long|how many hours|how many days|bao lau|may tieng|bao nhieu tieng|"
    r"как долго|(?:сколько|скока|скоко|скок) (?:\S+ )?(?:лететь|длил\w*|часов|дней|длится)|"
    r"продолжительност\w*"
)
# "how far from Hanoi", "cách Hà Nội bao xa", "как далеко": a distance
_DISTANCE = _rx(
    r"how far|distance|how many km|bao xa|bao nhieu km|khoang cach|как далеко|"
    r"далеко|расстояни\w*|сколько км|скока км"
)
# "what capacity", "công suất", "мощность": how much a plant can make
_CAPACITY = _rx(r"capacity|cong suat|мощност\w*")
# "how often", "on which weekdays", "mấy chuyến mỗi tuần", "как часто": a frequency
_FREQUENCY = _rx(
    r"how often|how frequent\w*|which days|what days|weekdays?|times a week|per week|"
    r"moi tuan|may chuyen|bao nhieu chuyen|bao lau mot chuyen|"
    r"как часто|сколько раз в неделю|по каким дням|раз в неделю|в неделю"
)
# What a question asks to be measured, and the pattern that tells it
_MEASURES = (
    ("duration", _DURATION),
    ("distance", _DISTANCE),
    ("capacity", _CAPACITY),
    ("frequency", _FREQUENCY),
)
# "how many scholarships", "bao nhiêu suất", "сколько студентов": what is counted
_COUNTED = re.compile(r"(?:^|\s)(?:how many|bao nhieu|may|сколько|скока|скоко|скок)\s+(.*)$")
# "thanks a lot, that helps", "cảm ơn, thông tin rất hữu ích", "спасибо большое"
_THANKS = _rx(r"thanks|thank you|thx|ty|cheers|cam on|спасибо|благодарю|spasibo")
# "when will he visit?", "bao giờ sẽ sang", "когда приедет": the date of something to come
_FUTURE = _rx(
    r"will|going to|gonna|se|sap|sap toi|du kien|будет|будут|приедет|прилетит|"
    r"посетит|состоится|планиру\w*|собирает?ся|собираются|собирал(?:ся|ась|ись)|"
    r"собрал(?:ся|ась|ись)"
)
# "the latest full-year figure", "cả năm 2024", "за весь год": a whole year's figure, so
# one for nine months of it does not answer
_FULL_YEAR = re.compile(
    r"(?:^|\s)(?:full year|full-year|whole year|entire year|calendar year|annual|yearly|as a whole|"
    r"ca nam|tron nam|за весь год|за полный год|за целый год|годов\w*|по итогам года)(?:\s|$)"
)
# "what does Vietnam buy", "who is the ambassador": the present is meant
# …and "how many live there", "đang sống", "живут": a state that holds today
_PRESENT = re.compile(
    r"(?:^|\s)(?:does|do|is|are|isn t|aren t|live|lives|living|study|studies|studying|"
    r"work|works|working|dang|живут|живет|живёт|проживают|проживает|учатся|учится|работают)\s"
)
_REVERSE = re.compile(
    r"(?:^|\s)(?:the )?(?:other way round|other way around|other direction|reverse|vice versa|"
    r"nguoc lai|chieu nguoc lai|chieu kia|наоборот|в обратную сторону|обратн\w*)(?:\s|$)"
)
# ("khác nhau" is "different", not "other")
_OTHER = re.compile(
    r"(?:^|\s)(?:else|other|others|another|khac(?! nhau)|еще|другие|другой)(?:\s|$)"
)
# "what did they sign there?", "who invited him?": words that point back at the previous answer
_BACK_NOUNS_EN = (
    "trip|visit|time|year|session|meeting|day|agreement|deal|plant|factory|flight|forum|"
    "summit|event|ceremony|document|talks|contract|project|service|route|charter"
)
_BACK_NOUNS_VI = (
    "khoa hop|phien hop|ky hop|hiep dinh|thoa thuan|nha may|su kien|cuoc gap|hoi dam|"
    "chuyen bay|chuyen tham|chuyen di|dip|nam|le|dien dan|du an|hop dong|van kien"
)
_BACK_NOUNS_RU = (
    r"заседани\w*|сесси\w*|соглашени\w*|завод\w*|рейс\w*|встреч\w*|переговор\w*|визит\w*|"
    r"форум\w*|поездк\w*|проект\w*|договор\w*|документ\w*"
)
_POINTS_BACK = re.compile(
    rf"(?:^|\s)(?:there|then|(?:that|this|the same) (?:{_BACK_NOUNS_EN})|"
    r"(?:was|is|were) (?:that|this)$|"
    r"they|he|she|him|his|her|them|their|it|"
    rf"khi do|luc do|(?:{_BACK_NOUNS_VI}) (?:do|ay|nay)|ho|ong ay|ba ay|"
    r"(?:эт(?:от|а|о|ой|ом|ого|им|и|их|у)|т(?:от|а|о|ой|ом|ого|ем|е|ех|у)) "
    rf"(?:{_BACK_NOUNS_RU})|"
    r"там|тогда|в тот раз|он|она|они|его|ее|её|их|ему|им)(?:\s|$)"
)
# "what was the name of…", "tên là gì", "как зовут", "фамилия": a name, not an office
_NAME = re.compile(
    r"(?:^|\s)(?:name|named|called|full name|surname|ten (?:la )?gi|ten cua|ho ten|"
    r"как (?:его |ее |её )?зовут|имя|фамили\w*|как звали)(?:\s|$)"
)
# money asked in so many words: "in dollars", "how much money", "bao nhiêu tiền", "в долларах"
# …and said of a figure that is not asked for in so many words ("exports 2021 usd"), without
# the Vietnamese words: folded, "tiền" (money) is also "tiễn" (see off) and the "tiên" of
# "đầu tiên" (first), "đô la" (dollars) is also "đó là" (that is)
_MONEY_WORDS = (r"dollars?", "usd", "money", r"доллар\w*", "денег", r"деньг\w*")
_MONEY = _rx(*_MONEY_WORDS, "tien", "do la", "dola")
_IN_MONEY = _rx(*_MONEY_WORDS)
# "source?", "nguồn?", "откуда это?": where the previous answer comes from
_SOURCE = re.compile(
    r"^(?:and |the |your |what s the |what is the |which )?(?:source|sources|citation|reference|"
    r"nguon|nguon nao|nguon o dau|nguon tin|источник|источники|откуда(?: это)?)(?: please| pls)?$"
)
# "and before that?", "trước đó?", "а до этого?": events before (or after) the previous answer
_BEFORE_THAT = re.compile(
    r"(?:^|\s)(?:before that|before then|before him|before her|prior to that|earlier|previously|"
    r"truoc do|truoc ong ay|truoc ba ay|до этого|до того|до него|до нее|до неё|раньше|ранее)"
    r"(?:\s|$)"
)
_AFTER_THAT = re.compile(
    r"(?:^|\s)(?:after that|since then|later|afterwards|sau do|sau nay|после этого|позже|потом)"
    r"(?:\s|$)"
)
# "and the year before?", "а годом раньше?", "năm trước đó?": the year next to the one
# answered, a follow-up's period
_YEAR_BEFORE = re.compile(
    r"(?:^|\s)(?:the year before|the previous year|the prior year|a year earlier|year before|"
    r"nam truoc do|годом раньше|годом ранее|в предыдущем году|за предыдущий год|"
    r"за год до этого)(?:\s|$)"
)
_YEAR_AFTER = re.compile(
    r"(?:^|\s)(?:the year after|the following year|the next year|a year later|year after|"
    r"nam sau do|годом позже|в следующем году|через год)(?:\s|$)"
)
# Self-introductions and politeness around a question carry no subject: "hi, I'm a student
# writing a paper, ..." must neither make the bot give up nor pull in the students topic.
_INTRODUCTIONS = (
    re.compile(
        r"(?:^|\s)(?:i am|i m|im|we are|this is)\s+(?:a|an|the)?\s*(?:\S+\s+){0,2}?"
        r"(?:student|journalist|reporter|researcher|writer|businessman|businesswoman|"
        r"entrepreneur|diplomat|teacher|professor|analyst|official|tourist|traveller|"
        r"traveler|importer|exporter|trader|editor|blogger|lawyer|consultant|staff|intern)"
        r"(?:\s+(?:at|from|of|in|with)\s+(?:\S+\s+){0,3}?\S+)?"
        r"(?:\s+(?:writing|working on|doing|preparing|researching)\s+(?:a|an|my|our)?\s*"
        r"(?:\S+\s+){0,3}?(?:paper|thesis|essay|article|story|report|piece|project|"
        r"presentation|assignment|dissertation))?"
    ),
    re.compile(
        r"(?:^|\s)(?:toi|em|minh)\s+la\s+(?:mot\s+)?(?:sinh vien|nha bao|phong vien|"
        r"nghien cuu sinh|doanh nhan|can bo|giao vien|khach du lich|hoc sinh)"
        r"(?:\s+(?:dang\s+)?(?:viet|lam)\s+(?:\S+\s+){0,3}?(?:bai|luan van|bao cao|tieu luan)"
        r"(?:\s+\S+){0,2}?)?"
    ),
    re.compile(
        r"(?:^|\s)я\s+(?:\S+\s+)?(?:студент\w*|журналист\w*|исследовател\w*|предпринимател\w*|"
        r"бизнесмен\w*|дипломат\w*|преподавател\w*|турист\w*|аспирант\w*)"
        r"(?:[\s,]+(?:и\s+)?пишу\s+(?:\S+\s+){0,2}?(?:курсов\w*|диплом\w*|стать\w*|"
        r"доклад\w*|работ\w*))?"
    ),
    re.compile(
        r"(?:^|\s)(?:for|on) (?:a|my|our) (?:paper|thesis|essay|article|story|report|"
        r"assignment|dissertation)"
    ),
)


@dataclass(frozen=True, slots=True)
class QuestionShape:
    kind: QuestionKind
    yes_no: bool = False
    wants_list: bool = False
    direction: str | None = None  # "<giver>-<receiver>", codes of the scope's countries
    follow_up: bool = False  # opens like "and …?", "what about …?"
    asks_for_others: bool = False  # "who else", "what other"
    reverses: bool = False  # "and the other way round?": the previous question, reversed
    wants_latest: bool = False  # "now", "latest", "this year": the newest first
    wants_first: bool = False  # "when did he first visit?": the earliest first
    first_holder: bool = False  # "who was the first ambassador?": a fact must say "first"
    present: bool = False  # asked in the present tense: the newer fact first, other things equal
    asks_times: bool = False  # "how many times": occasions, not any count
    says_what: bool = False  # it asks "what" in so many words, not only "and in 2016?"
    full_year: bool = False  # "the full-year figure": a part of a year does not answer
    asks_plan: bool = False  # "will…", "target", "accepted": intentions answer as well as events
    asks_source: bool = False  # "source?": where the previous answer comes from
    thanks: bool = False  # it thanks ("thanks, that helps with my essay")
    asks_news: bool = False  # "what's the news?": what happened lately, whatever the topic
    counted: tuple[str, ...] = ()  # the words after "how many" ("vietnamese workers are…")
    asks_identity: bool = False  # "who is Baravikou?": the person named, not whom they met
    asks_holder: bool = False  # "who is the ambassador?": one holder, not the people met
    figures: frozenset[str] = frozenset()  # the numbers it names, years left out ("over 250")
    # what it asks to be measured: "duration" (how long), "distance" (how far), "capacity"
    measures: frozenset[str] = frozenset()
    future: bool = False  # "will…", "sẽ", "будет": about something still to come
    asks_goods: bool = False  # "which goods", "what does X sell": the goods, not the figure
    wants_name: bool = False  # "what was his name": an office does not answer
    wants_money: bool = False  # "in dollars", "bao nhiêu tiền": a count does not answer
    points_back: bool = False  # "there", "they", "that trip": about the previous answer
    # "before that?" / "after that?": relative to the previous answer's dates
    relative_time: str | None = None  # "before" | "after"
    year_shift: int = 0  # "and the year before?": -1, "the year after": +1
    asks_partner: bool = False  # "who is MAZ's partner?", "which company": an organisation
    asks_carrier: bool = False  # "which airline?": an organisation, whatever the question word
    asks_purpose: bool = False  # "what was the visit for?": its aims, not why it mattered
    asks_age: bool = False  # "how old is…", "сколько лет…": of a person, another subject
    asks_living: bool = False  # "live", "sống", "живёт": where people live
    asks_happened: bool = False  # "yet", "chưa", "уже": has it happened

    @property
    def wanted_property(self) -> str | None:
        if (self.asks_partner and self.kind is QuestionKind.WHO) or (
            self.asks_carrier and self.kind in (QuestionKind.WHO, QuestionKind.WHAT)
        ):
            return "organisation"  # "who is MAZ's partner?": a company, not a guest
        return WANTED_PROPERTY.get(self.kind)

    @property
    def accepted_properties(self) -> frozenset[str]:
        """What also answers, less exactly: a count for "how much", an amount for "how many";
        an office for "who", unless the name itself is asked ("what was the PM's name")."""
        if self.wants_name:
            return frozenset({"person"})
        if self.wants_money and self.kind is QuestionKind.AMOUNT:
            return frozenset({"amount"})
        return ACCEPTED_PROPERTIES.get(self.kind, frozenset())


# a sentence ends at a full stop, "!", "?", "…" or a colon ("I'd like to know: is there…")
_SENTENCE_END = re.compile(r"(?<=[.!?…:])\s+")
# A sentence asks when it ends with "?" or holds a question word or a request to be told
_ASKING_SENTENCE = re.compile(
    r"(?:^|\s)(?:what|when|where|who|whom|which|why|how|whether|tell me|tell us|let me know|"
    r"could you|can you|would like to know|xin hoi|cho toi hoi|cho hoi|muon biet|khi nao|"
    r"bao nhieu|bao gio|o dau|la ai|tai sao|skazhite|скажите|подскажите|расскажите|"
    r"хотел бы узнать|хотела бы узнать|интересует|когда|сколько|где|кто|почему|какой|какие)"
    r"(?:\s|$)"
)


def _sentences_asking(text: str) -> tuple[list[str], list[bool]]:
    """The sentences of a message, and which of them ask."""
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s]
    asking = [s.rstrip().endswith("?") for s in sentences]
    if not any(asking):
        # no "?" anywhere ("…I would be grateful if you could tell me whether…"): the
        # sentences with a question word or a request to be told ask
        asking = [bool(_ASKING_SENTENCE.search(fold(s))) for s in sentences]
    return sentences, asking


# "I", "we", "tôi", "mình", "em", "bác", "cháu", "я", "мы": a sentence about the one asking
_ABOUT_THE_ASKER = re.compile(
    r"(?:^|\s)(?:i|im|my|me|we|our|toi|minh|em|bac|chau|я|мы|мой|моя|мои|мне|меня|нас|наш)"
    r"(?=\s|$)"
)


# "I read", "I have seen", "tôi đọc thấy", "я читал": what the asker saw is the subject
_ASKER_SAW = re.compile(
    r"(?:^|\s)(?:read|reading|saw|seen|see|came across|come across|heard|noticed|found|"
    r"doc|thay|nghe|читал\w*|видел\w*|слышал\w*|встречал\w*|встретил\w*|попал\w*|нашел\w*)"
    r"(?=\s|$)"
)


def asked_text(text: str) -> str:
    """The message without the sentences in which the asker tells of themselves ("I studied
    in Minsk in the 1980s. Is there a flight now?"): the years there are not asked about.
    What they read or saw ("I saw two totals for 2021.") stays: it is the subject."""
    sentences, asking = _sentences_asking(text)
    if len(sentences) < 2 or not any(asking):
        return text
    kept = [
        sentence
        for sentence, asks in zip(sentences, asking, strict=True)
        if asks
        or not _ABOUT_THE_ASKER.search(folded := fold(sentence))
        or _ASKER_SAW.search(folded)
    ]
    return " ".join(kept)


def asking_sentences(text: str) -> str:
    """The sentences of the message that ask ("Trade in 2021? I saw two different totals."
    asks for the total, not for what differs), or the whole message when none or all do."""
    sentences, asking = _sentences_asking(text)
    if len(sentences) < 2 or not any(asking) or all(asking):
        return text
    return " ".join(s for s, asks in zip(sentences, asking, strict=True) if asks)


def preamble_words(text: str, folded: str, about_the_asker: bool = False) -> frozenset[int]:
    """Positions (in ``folded.split()``, ``folded`` being ``fold(text)``) of the words of
    sentences around a question that ask nothing ("Dear bot, good evening. I studied in
    Minsk in the 1980s. Is there a direct flight now?"): when some sentence asks (ends with
    "?"), the others only set the scene, so a word of theirs the KB does not know does not
    count against the question. ``about_the_asker``: only the sentences in which the asker
    tells of themselves ("I'm a Russian–Vietnamese interpreter.")."""
    sentences, asking = _sentences_asking(text)
    if len(sentences) < 2 or not any(asking) or all(asking):
        return frozenset()
    positions: set[int] = set()
    start = 0
    for sentence, asks in zip(sentences, asking, strict=True):
        sentence_words = fold(sentence)
        count = len(sentence_words.split())
        if not asks and (
            not about_the_asker
            or (_ABOUT_THE_ASKER.search(sentence_words) and not _ASKER_SAW.search(sentence_words))
        ):
            positions.update(range(start, start + count))
        start += count
    if start != len(folded.split()):
        return frozenset()  # the sentences do not add up to the words: read it whole
    return frozenset(positions)


def introduction_words(folded: str) -> frozenset[int]:
    """Positions (in ``folded.split()``) of the words of a self-introduction ("i m a student
    writing a paper"): they say who asks, not what is asked."""
    positions: set[int] = set()
    for pattern in _INTRODUCTIONS:
        for m in pattern.finditer(folded):
            first = len(folded[: m.start()].split())
            count = len(m.group(0).split())
            positions.update(range(first, first + count))
    return frozenset(positions)


# "Belarusian leaders to Vietnam", "from Vietnam to Belarus", "вьетнамские в Беларусь"
# …and "Belarusian students in Vietnam", "người Belarus sống ở Việt Nam": who is where
# …but not across a verb of buying: "Belarus buys in Vietnam" is Vietnam's sale to Belarus
_SIDE_TO_SIDE = (
    r"(?P<a><side>)\s+"
    r"(?:(?!(?:buy|bought|purchas|import|mua|nhap|закуп|покуп|купи|импорт)\w*\s)\S+\s+){0,3}?"
    r"(?:to|into|in|at|sang|den|toi|o|tai|в|во)\s+(?P<b><side>)"
)

# "Vietnamese who came before 1992": a relative pronoun, not a question about a person.
_RELATIVE_CLAUSE = (
    r"(?:<people>people|those|students|workers|citizens|leaders|ones|anyone|"
    r"someone|person|officials|ministers|companies|firms)\s+(?:who|that|which)\s|"
    # "единственный в ЮВА, у кого есть ЗСТ": "the only one who has it" asks yes or no
    r"(?:единственн\w*|the only)(?:\s+\S+){0,5}?\s+(?:у кого|кто|котор\w*|who|that|which)\s"
)


def _alternatives(words: tuple[str, ...]) -> str:
    """A scope's words as regex alternatives; a final "*" is any ending ("вьетнам*")."""
    return "|".join(
        re.escape(w.removesuffix("*")) + r"\w*" if w.endswith("*") else re.escape(w) for w in words
    )


_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
# "15th", "khóa 15", "15-я сессия" (folding splits "15th" into "15 th")
_DIGIT = re.compile(r"\d")
_ORDINAL_NUMBER = re.compile(
    r"(?:^|\s)(\d{1,2}) (?:st|nd|rd|th|й|я|е|го|ое|ой|ый|ая|ом)(?=\s|$)"
    r"|(?:^|\s)(?:khoa|phien|ky hop|lan thu|thu) (\d{1,2})(?=\s|$)"
)


# "khóa họp thứ tám" (only after a session word: "thứ bảy" alone is also Saturday)
_VI_NUMBERS = {
    "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
    "muoi mot": 11, "muoi hai": 12, "muoi ba": 13, "muoi bon": 14, "muoi lam": 15,
    "muoi sau": 16, "muoi bay": 17, "muoi tam": 18, "muoi chin": 19, "hai muoi": 20,
}  # fmt: skip
_VI_ORDINAL = re.compile(
    r"(?:^|\s)(?:khoa|phien|ky hop|lan)(?: hop)? thu "
    rf"({'|'.join(sorted(_VI_NUMBERS, key=len, reverse=True))})(?=\s|$)"
)
# "на восьмом заседании", "пятнадцатое заседание": a stem and an adjective's ending
_RU_ORDINAL_STEMS = (
    "трет чётверт четверт пят шест седьм восьм девят десят одиннадцат двенадцат тринадцат "
    "четырнадцат пятнадцат шестнадцат семнадцат восемнадцат девятнадцат двадцат"
).split()
_RU_ORDINAL_VALUES = dict(zip(_RU_ORDINAL_STEMS, [3, 4, 4, *range(5, 21)], strict=True))
# (a whole word: one search of the text, not a match per word)
_RU_ORDINAL = re.compile(
    rf"(?:^|\s)({'|'.join(_RU_ORDINAL_STEMS)})"
    r"(?:ый|ий|ое|ая|ой|ом|ого|ую|ым|ые|ье|ья|ьей|ьем|ьего|ем|ей|ему)(?=\s|$)"
)


def ordinals_in(folded: str) -> frozenset[int]:
    """The ordinal numbers a folded text names: "the 15th session", "the eighth session",
    "khóa họp thứ tám", "на восьмом заседании"."""
    # (a number is written in digits: most texts have none, and the pattern would be tried
    # at every position)
    numbers = _ORDINAL_NUMBER.findall(folded) if _DIGIT.search(folded) else []
    found = {int(a or b) for a, b in numbers}
    words = set(folded.split())
    found.update(i for i, w in enumerate(_ORDINAL_WORDS, 1) if i > 2 and w in words)
    found.update(_VI_NUMBERS[m] for m in _VI_ORDINAL.findall(folded))
    found.update(_RU_ORDINAL_VALUES[m] for m in _RU_ORDINAL.findall(folded))
    return frozenset(found)


_ENGLISH_QUESTION_WORD = re.compile(r"^(?:what|which|when|where|how|why|did|does|do|is|are)\s")
_CONJUNCTIONS = frozenset({"when", "where", "khi", "когда", "где"})
_OTHER_QUESTION_WORD = re.compile(
    r"^(?:what|which|who|whom|whose|how|why|cai gi|ai|tai sao|vi sao|что|кто|почему|зачем|какой|"
    r"какая|какие|сколько)\s"
)


def _year_shift(folded: str) -> int:
    if _YEAR_BEFORE.search(folded):
        return -1
    return 1 if _YEAR_AFTER.search(folded) else 0


def _relative_time(folded: str, year_shift: int) -> str | None:
    if year_shift:
        return None  # "the year before" is a year, not "before that"
    if _BEFORE_THAT.search(folded):
        return "before"
    return "after" if _AFTER_THAT.search(folded) else None


@dataclass(frozen=True, slots=True)
class QuestionReader:
    """The question patterns of one KB, with its country pair's words compiled in: built
    once per KB (it lives in the matcher's index), never per question."""

    scope: Scope
    kinds: tuple[tuple[QuestionKind, re.Pattern[str]], ...]
    relative_clause: re.Pattern[str]
    from_side: tuple[re.Pattern[str], ...]
    to_side: tuple[re.Pattern[str], ...]
    side_to_side: re.Pattern[str]
    first_side: re.Pattern[str]  # the whole of a side word of the scope's first country
    # each country's code with a pattern finding its side words (or its people) in a question
    side_words: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # every pattern of the question's form, as one lookahead: one pass finds them all
    form: re.Pattern[str] = re.compile("(?!)")
    # a side word of either country, and the patterns of ``from_side`` and ``to_side`` that
    # open with one: those are tried only where a side word starts, not at every position
    side: re.Pattern[str] = re.compile("(?!)")
    side_led: frozenset[re.Pattern[str]] = frozenset()

    @classmethod
    def for_scope(cls, scope: Scope) -> QuestionReader:
        first, second = scope.countries
        side = f"(?:{_alternatives(first.sides)}|{_alternatives(second.sides)})"
        people = _alternatives(first.people + second.people)
        people = f"{people}|" if people else ""

        def sided(pattern: str) -> re.Pattern[str]:
            if pattern.startswith("<side>"):
                # "белаз во вьетнам поставляли", "Кубраков во Вьетнам ездил": a side after
                # "to" is where things go, not who sends them
                pattern = _NOT_AFTER_TO + pattern
            return re.compile(pattern.replace("<side>", f"(?P<side>{side})", 1))

        kinds = tuple(
            (kind, _rx(*(p.replace("<people>|", people) for p in patterns)))
            for kind, patterns in _KIND_SOURCES
        )
        # "sang Belarus", "từ Việt Nam": Vietnamese "to" and "from" before a side
        towards_side = re.compile(rf"(?:^|\s)(?:{_VI_TOWARDS})(?= {side}(?:\s|$))")
        form_patterns = [pattern for _, pattern in kinds] + [
            _LATEST, _REVERSE, _OTHER, _SOURCE, _BEFORE_THAT, _AFTER_THAT, _FULL_YEAR, _NEWS,
            _FUTURE, _NAME, _SAYS_NOTHING, towards_side, *(rx for _, rx in _MEASURES),
        ]  # fmt: skip
        return cls(
            scope=scope,
            kinds=kinds,
            form=re.compile(
                r"(?=(?:^|\s))(?:"
                + "|".join(f"(?=(?P<f{i}>{p.pattern}))" for i, p in enumerate(form_patterns))
                + ")"
            ),
            relative_clause=re.compile(_RELATIVE_CLAUSE.replace("<people>", people)),
            from_side=tuple(sided(p) for p in _FROM_SIDE),
            to_side=tuple(sided(p) for p in _TO_SIDE),
            side=re.compile(side),
            side_led=frozenset(
                sided(p) for p in (*_FROM_SIDE, *_TO_SIDE) if p.startswith("<side>")
            ),
            side_to_side=re.compile(_SIDE_TO_SIDE.replace("<side>", side)),
            first_side=re.compile(f"^(?:{_alternatives(first.sides)})$"),
            side_words=tuple(
                (
                    country.code,
                    re.compile(
                        rf"(?:^|\s)(?:{_alternatives(country.sides + country.people)})(?=\s|$)"
                    ),
                )
                for country in scope.countries
            ),
        )

    def _side(self, word: str) -> str:
        first, second = self.scope.codes
        return first if self.first_side.match(word) else second

    def sides_named(self, folded: str) -> frozenset[str]:
        """The codes of the pair's countries a folded question names ("Belarus", "белорусы")."""
        return frozenset(code for code, pattern in self.side_words if pattern.search(folded))

    def names_both_sides(self, folded: str) -> bool:
        """It names both countries of the pair, by name or as "the two countries"."""
        return bool(_BOTH_SIDES.search(folded)) or len(self.sides_named(folded)) == 2

    def direction(self, folded: str) -> str | None:
        """ "vn-by" when the question asks about something going from the scope's first
        country to its second (its exports there, its ambassador there), "by-vn" for the
        reverse, None when it does not say."""
        side_starts = self._side_starts(folded)
        if not side_starts:
            return None  # every pattern below names a side
        pair = self.side_to_side.search(folded)
        if pair:
            a, b = self._side(pair["a"]), self._side(pair["b"])
            if a != b:
                return f"{a}-{b}"
        giver = next(
            (
                self._side(m["side"])
                for p in self.from_side
                if (m := self._search_sided(p, folded, side_starts))
            ),
            None,
        )
        receiver = next(
            (
                self._side(m["side"])
                for p in self.to_side
                if (m := self._search_sided(p, folded, side_starts))
            ),
            None,
        )
        if giver and receiver and giver == receiver:
            return None  # "Vietnam's ambassador in Vietnam": nonsense, no direction
        if giver:
            return self.scope.direction_from(giver)
        if receiver:
            return self.scope.reverse(self.scope.direction_from(receiver))
        return None

    def _side_starts(self, folded: str) -> list[int]:
        """Every position where a side word starts, overlapping ones included."""
        starts = []
        found = self.side.search(folded)
        while found is not None:
            starts.append(found.start())
            found = self.side.search(folded, found.start() + 1)
        return starts

    def _search_sided(
        self, pattern: re.Pattern[str], folded: str, side_starts: list[int]
    ) -> re.Match[str] | None:
        """``pattern.search(folded)``; one opening with a side word can only match where one
        starts (its lookbehinds keep the regex engine from skipping ahead on its own)."""
        if pattern not in self.side_led:
            return pattern.search(folded)
        return next((m for i in side_starts if (m := pattern.match(folded, i))), None)

    def form_words(self, folded: str) -> frozenset[int]:
        """Positions of the words that say what kind of answer is wanted ("how fast",
        "grow", "why", "when"): they are the question's form, so they never count as an
        unexplained subject."""
        positions: set[int] = set()
        for m in self.form.finditer(folded):
            found = m.group(m.lastgroup)
            first = len(folded[: m.start()].split())
            positions.update(range(first, first + len(found.split())))
        return frozenset(positions)

    def _kind(self, folded: str) -> QuestionKind | None:
        if _RANK.search(folded):
            return QuestionKind.COUNT  # "where did Belarus rank": a place in a list, a number
        for kind, pattern in self.kinds:
            found = pattern.search(folded)
            if found is None:
                continue
            # "what did he say when he met…": a bare "when"/"where" inside a question that
            # opens with another question word joins a clause, it does not ask
            if found.group(0).strip() in _CONJUNCTIONS and _OTHER_QUESTION_WORD.match(folded):
                continue
            # "what areas, incl AI and blockchain?": "ai" in an English question is no "who"
            if found.group(0).strip() == "ai" and _ENGLISH_QUESTION_WORD.match(folded):
                continue
            # "có ai quan tâm … không?": "is anyone interested", yes or no, not "who"
            if found.group(0).strip() == "ai" and folded[: found.start()].split()[-1:] == ["co"]:
                continue
            return kind
        return None

    def analyse(self, text: str) -> QuestionShape:
        folded = self.relative_clause.sub(" ", fold(text))
        # the kind is what the asking sentence asks: "Trade in 2021? I saw different totals."
        # (when it says; "friends? since when lol" asks in its second)
        asking = asking_sentences(text)
        kind = None if asking is text else self._kind(self.relative_clause.sub(" ", fold(asking)))
        kind = kind or self._kind(folded)
        yes_no = bool(_YESNO.search(folded))
        if kind is None and not yes_no and _IN_MONEY.search(folded):
            kind = QuestionKind.AMOUNT  # "vn exports to belarus 2021 usd": the dollar figure
        if kind is None:
            kind = QuestionKind.YESNO if yes_no else QuestionKind.WHAT
        asks_news = bool(_NEWS.search(folded))
        year_shift = _year_shift(folded)
        return QuestionShape(
            kind=kind,
            yes_no=yes_no,
            wants_list=kind is QuestionKind.LIST,
            direction=self.direction(folded),
            follow_up=bool(_FOLLOW_UP_OPENING.match(folded)),
            asks_for_others=bool(_OTHER.search(folded)),
            reverses=bool(_REVERSE.search(folded)),
            # "any news?" asks for what is new
            wants_latest=asks_news or bool(_LATEST.search(folded)),
            wants_first=bool(_FIRST.search(folded)),
            first_holder=bool(_FIRST_HOLDER.search(folded)),
            present=bool(_PRESENT.search(folded)),
            asks_plan=bool(_PLANS.search(folded)),
            full_year=bool(_FULL_YEAR.search(folded)),
            says_what=bool(_WHAT_WORD.search(folded)),
            asks_times=bool(_TIMES.search(folded)),
            asks_source=bool(_SOURCE.match(folded)),
            asks_goods=bool(_GOODS.search(folded)),
            future=bool(_FUTURE.search(folded)),
            measures=frozenset(name for name, rx in _MEASURES if rx.search(folded)),
            asks_news=asks_news,
            thanks=bool(_THANKS.search(folded)),
            figures=figures_in(text),
            asks_identity=bool(_IDENTITY.search(folded.strip())),
            asks_holder=bool(_HOLDER.search(folded.strip())),
            counted=tuple(m.group(1).split()[:2]) if (m := _COUNTED.search(folded)) else (),
            wants_name=bool(_NAME.search(folded)),
            wants_money=bool(_MONEY.search(folded)),
            points_back=bool(_POINTS_BACK.search(folded)),
            relative_time=_relative_time(folded, year_shift),
            year_shift=year_shift,
            asks_partner=bool(_PARTNER.search(folded)),
            asks_carrier=bool(_CARRIER.search(folded)),
            asks_purpose=bool(_PURPOSE.search(folded)),
            asks_age=bool(_AGE.search(folded)),
            asks_living=bool(_LIVING.search(folded)),
            asks_happened=bool(_HAPPENED.search(folded)),
        )
