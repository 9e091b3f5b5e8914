"""What a question asks for, apart from its subject: the kind of answer (an amount, a count,
a rate, a date, a person, a place, a reason, yes or no, a list), the direction between the
two countries, and whether it is an elliptical follow-up ("and in 2022?").

Everything works on folded text (``normalize.fold``: no case, no diacritics), so "bao nhiêu"
and "bao nhieu" are one pattern. The subject itself is the matcher's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge.normalize import fold


class QuestionKind(StrEnum):
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
    return re.compile("|".join(rf"(?:^|\s)(?:{p})(?=\s|$)" for p in patterns))


# Checked in this order: the first kind whose pattern occurs wins ("how much did trade grow"
# is a rate, not an amount, so RATE comes before AMOUNT).
_KIND_PATTERNS: tuple[tuple[QuestionKind, re.Pattern[str]], ...] = (
    (
        QuestionKind.RATE,
        _rx(
            r"how fast",
            r"how quickly",
            r"how often|how frequently|bao lau mot (?:lan|chuyen)|как часто",
            r"by how much",
            r"how much (?:\w+ ){0,4}(?:grow|grew|grown|rise|rose|increase|increased|change)",
            r"growth( rate)?",
            r"grow|grew|grown|fall|fell|drop|dropped|decline|declined|up or down",
            r"\d+(?:[.,]\d+)? ?x",
            r"how many times",
            r"percent|percentage",
            r"tang (?:bao nhieu|gap|truong|them|manh)",
            r"toc do",
            r"gap (?:bao nhieu|may) lan",
            r"во сколько раз",
            r"насколько (?:вырос|выросла|выросло|увеличил\w*)",
            r"как (?:вырос|выросла|выросло|изменил\w*)",
            r"рост\w*",
            r"темп\w*",
            r"прирост\w*",
        ),
    ),
    (
        QuestionKind.WHEN,
        _rx(
            r"when",
            r"what year",
            r"which year",
            r"what date",
            r"date|dates|дата|даты",
            r"(?:what|which) period|за какой период|какой период|giai doan nao|thoi ky nao",
            r"since when",
            r"in what year",
            r"khi nao",
            r"bao gio",
            r"nam nao",
            r"luc nao",
            r"ngay nao",
            r"thang nao",
            r"thoi gian nao",
            r"когда",
            r"в каком году",
            r"какого числа",
            r"с какого года",
            r"в какой день",
        ),
    ),
    (
        QuestionKind.WHO,
        _rx(
            r"who|whom|whose",
            r"which (?:minister|official|leader|president|ambassador|person)",
            r"name of the (?:ambassador|minister|president)",
            r"(?:la )?ai",
            r"кто|кого|кому|чей|чья",
        ),
    ),
    (
        QuestionKind.WHERE,
        _rx(
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
        _rx(
            r"why",
            r"what for",
            r"for what purpose",
            r"what was the (?:purpose|aim|goal|point)",
            r"purpose|aim|aims|goal|goals|reason",
            r"tai sao|vi sao|ly do|muc dich|de lam gi",
            r"почему|зачем|с какой целью|цель\w*|причин\w*",
        ),
    ),
    (
        QuestionKind.COUNT,
        _rx(
            r"how many",
            r"number of",
            # a stay or a wait in days: "how long can Vietnamese stay without a visa"
            r"how long|bao lau|как долго|сколько дней",
            r"bao nhieu (?!tien|usd|do la|dola|trieu)(?:\w+)",
            r"may (?:sinh vien|hiep dinh|lan|nguoi|van kien)",
            r"сколько (?:\w+ )?(?:студент\w*|соглашени\w*|документ\w*|вьетнамц\w*|человек|раз|"
            r"визит\w*|заседани\w*|сесси\w*|проект\w*)",
            r"число|количеств\w*",
        ),
    ),
    (
        QuestionKind.AMOUNT,
        _rx(
            r"how much",
            r"how big",
            r"what (?:was|is|were) (?:the )?(?:\w+ ){0,3}(?:trade|turnover|value|volume)",
            r"value|worth|volume|total",
            r"bao nhieu",
            r"dat bao nhieu",
            r"сколько",
            r"какой (?:объем|товарооборот)",
            r"на какую сумму",
            r"объем\w*",
        ),
    ),
    (
        QuestionKind.LIST,
        _rx(
            r"list|lists|enumerate|overview|all",
            r"which visits|what visits|what agreements|which agreements",
            r"liet ke|tat ca|danh sach",
            r"перечисл\w*|список|все|всех|какие визиты|какие соглашения",
        ),
    ),
)

# A question whose answer is yes or no opens with an auxiliary verb (en), ends with
# "không"/"chưa" (vi) or holds "ли" (ru).
_YESNO = re.compile(
    r"^(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would)\s"
    r"|\s(?:khong|chua)$"
    r"|(?:^|\s)ли(?:\s|$)"
)

# Whose side a word names, for directions: "Vietnam's exports to Belarus".
_VN = r"(?:vietnam|viet nam|vietnamese|vn|вьетнам\w*)"
_BY = (
    r"(?:belarus|belarusian|belarussian|belorussian|byelorussian|belarut|беларус\w*|белорус\w*"
    r"|рб)"
)
_SIDE = rf"(?P<side>{_VN}|{_BY})"
_GAP = r"(?:\S+\s+){0,3}?"
# Patterns that name the giving side (exporter, sending country, the ambassador's country)…
_FROM_SIDE = (
    re.compile(rf"{_SIDE}\s+{_GAP}(?:export\w*|sell\w*|sold|ship\w*|suppl\w*|send\w*)"),
    re.compile(rf"(?:export\w*|import\w*|buy\w*|bought|purchase\w*)\s+{_GAP}from\s+{_SIDE}"),
    re.compile(rf"{_SIDE}(?:\s+s)?\s+(?:ambassador|envoy|embassy)"),
    re.compile(rf"(?:ambassador|envoy|embassy)\s+(?:of|from)\s+(?:the\s+)?{_SIDE}"),
    re.compile(rf"(?:dai su|dai su quan|su quan)\s+(?:cua\s+)?{_SIDE}"),
    re.compile(rf"{_SIDE}\s+{_GAP}xuat(?:\s+khau)?"),
    re.compile(rf"(?:nhap(?:\s+khau)?|mua)\s+{_GAP}tu\s+{_SIDE}"),
    re.compile(rf"(?:посол|посольство|экспорт)\s+{_SIDE}"),
    re.compile(rf"{_SIDE}\s+(?:экспортир\w*|продает|поставля\w*)"),
    re.compile(rf"(?:импорт\w*|закупа\w*|покупа\w*|ввоз\w*)\s+{_GAP}из\s+{_SIDE}"),
    re.compile(rf"из\s+{_SIDE}\s+{_GAP}(?:в|во)\s"),
    re.compile(rf"(?:вез\w*|ввоз\w*|импорт\w*|поставк\w*)\s+{_GAP}из\s+{_SIDE}"),
    # visits: the visiting side ("Vietnamese leaders visited Belarus")
    re.compile(rf"{_SIDE}\s+(?:\S+\s+){{0,3}}?(?:visit\w*|came|come|went|travel\w*|been to)\s"),
    re.compile(rf"{_SIDE}\s+(?:\S+\s+){{0,3}}?(?:sang tham|tham|sang|den tham)\s"),
    re.compile(rf"{_SIDE}\s+(?:\S+\s+){{0,3}}?(?:посеща\w*|посети\w*|приезжа\w*|ездил\w*)"),
)
# …and patterns that name the receiving side (importer, host country).
_TO_SIDE = (
    re.compile(rf"(?:export\w*|sell\w*|sold|ship\w*|suppl\w*|send\w*)\s+{_GAP}to\s+{_SIDE}"),
    re.compile(rf"{_SIDE}\s+{_GAP}(?:import\w*|buy\w*|bought|purchase\w*)"),
    re.compile(rf"(?:ambassador|envoy|embassy)\s+{_GAP}(?:to|in)\s+{_SIDE}"),
    re.compile(rf"(?:xuat(?:\s+khau)?|ban)\s+{_GAP}(?:sang|cho|toi|den)\s+{_SIDE}"),
    re.compile(rf"{_SIDE}\s+{_GAP}(?:nhap(?:\s+khau)?|mua)"),
    re.compile(rf"(?:dai su|dai su quan|su quan)\s+{_GAP}tai\s+{_SIDE}"),
    re.compile(rf"(?:посол|посольство)\s+{_GAP}(?:в|во)\s+{_SIDE}"),
    re.compile(rf"(?:экспорт\w*|продает|поставля\w*|поставк\w*)\s+{_GAP}(?:в|во)\s+{_SIDE}"),
    re.compile(rf"{_SIDE}\s+(?:импортир\w*|закупа\w*|покупа\w*)"),
    # visits: the visited side
    re.compile(rf"(?:visit\w*|came to|come to|went to|travel\w* to|been to|trip to)\s+{_SIDE}"),
    re.compile(rf"(?:sang tham|tham|sang|den)\s+{_SIDE}"),
    re.compile(rf"(?:посеща\w*|посети\w*|приезжа\w*|ездил\w*)\s+{_GAP}(?:в|во)\s+{_SIDE}"),
)
_SIDE_IS_VN = re.compile(rf"^{_VN}$")

# Openings of an elliptical follow-up: "and in 2022?", "what about the students?".
_FOLLOW_UP_OPENING = re.compile(
    r"^(?:and|what about|how about|and what about|also|same for|and for|who else|what else|"
    r"then|va|con|the con|vay con|con ve|а|и|а как насчет|что насчет|как насчет|а что|"
    r"а кто еще|кто еще|а еще)(?:\s|$)"
)
# "now", "latest", "currently": the newest facts first, with the date they are true as of.
_LATEST = re.compile(
    r"(?:^|\s)(?:now|nowadays|latest|newest|most recent|recent|recently|currently|current|"
    r"today|these days|this year|at the moment|rn|up to date|"
    r"hien nay|hien tai|bay gio|moi nhat|gan day|gan nhat|nam nay|"
    r"сейчас|сегодня|последн\w*|текущ\w*|в настоящее время|недавн\w*|в этом году|нынешн\w*)"
    r"(?:\s|$)"
)
# "what does Vietnam buy", "who is the ambassador": the present is meant
_PRESENT = re.compile(r"(?:^|\s)(?:does|do|is|are|isn t|aren t)\s")
_REVERSE = re.compile(
    r"(?:^|\s)(?:the )?(?:other way round|other way around|other direction|reverse|vice versa|"
    r"nguoc lai|chieu nguoc lai|chieu kia|наоборот|в обратную сторону|обратн\w*)(?:\s|$)"
)
_OTHER = re.compile(r"(?:^|\s)(?:else|other|others|another|khac|еще|другие|другой)(?:\s|$)")
# "source?", "nguồn?", "откуда это?": where the previous answer comes from
_SOURCE = re.compile(
    r"^(?:and |the |your |what s the |what is the |which )?(?:source|sources|citation|reference|"
    r"nguon|nguon nao|nguon o dau|nguon tin|источник|источники|откуда(?: это)?)(?: please| pls)?$"
)
# "and before that?", "trước đó?", "а до этого?": events before (or after) the previous answer
_BEFORE_THAT = re.compile(
    r"(?:^|\s)(?:before that|before then|prior to that|earlier|previously|truoc do|"
    r"до этого|до того|раньше|ранее)(?:\s|$)"
)
_AFTER_THAT = re.compile(
    r"(?:^|\s)(?:after that|since then|later|afterwards|sau do|sau nay|после этого|позже|потом)"
    r"(?:\s|$)"
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
    direction: str | None = None  # "vn-by" or "by-vn"
    follow_up: bool = False  # opens like "and …?", "what about …?"
    asks_for_others: bool = False  # "who else", "what other"
    reverses: bool = False  # "and the other way round?": the previous question, reversed
    wants_latest: bool = False  # "now", "latest", "this year": the newest first
    present: bool = False  # asked in the present tense: the newer fact first, other things equal
    asks_source: bool = False  # "source?": where the previous answer comes from
    # "before that?" / "after that?": relative to the previous answer's dates
    relative_time: str | None = None  # "before" | "after"

    @property
    def wanted_property(self) -> str | None:
        return WANTED_PROPERTY.get(self.kind)

    @property
    def accepted_properties(self) -> frozenset[str]:
        """What also answers, less exactly: a count for "how much", an amount for "how many"."""
        return ACCEPTED_PROPERTIES.get(self.kind, frozenset())


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


def _side(match: re.Match[str]) -> str:
    return "vn" if _SIDE_IS_VN.match(match["side"]) else "by"


# "Belarusian leaders to Vietnam", "from Vietnam to Belarus", "вьетнамские в Беларусь"
_SIDE_TO_SIDE = re.compile(
    rf"(?P<a>{_VN}|{_BY})\s+(?:\S+\s+){{0,3}}?(?:to|into|sang|den|toi|в|во)\s+(?P<b>{_VN}|{_BY})"
)


def question_direction(folded: str) -> str | None:
    """ "vn-by" when the question asks about something going from Vietnam to Belarus (its
    exports there, its ambassador there), "by-vn" for the reverse, None when it does not say."""
    pair = _SIDE_TO_SIDE.search(folded)
    if pair:
        a = "vn" if _SIDE_IS_VN.match(pair["a"]) else "by"
        b = "vn" if _SIDE_IS_VN.match(pair["b"]) else "by"
        if a != b:
            return f"{a}-{b}"
    giver = next((_side(m) for p in _FROM_SIDE if (m := p.search(folded))), None)
    receiver = next((_side(m) for p in _TO_SIDE if (m := p.search(folded))), None)
    if giver and receiver and giver == receiver:
        return None  # "Vietnam's ambassador in Vietnam": nonsense, no direction
    if giver:
        return f"{giver}-{'by' if giver == 'vn' else 'vn'}"
    if receiver:
        return f"{'by' if receiver == 'vn' else 'vn'}-{receiver}"
    return None


# "Vietnamese who came before 1992": a relative pronoun, not a question about a person.
_RELATIVE_CLAUSE = re.compile(
    r"(?:vietnamese|belarusians|people|those|students|workers|citizens|leaders|ones|anyone|"
    r"someone|person|officials|ministers|companies|firms)\s+(?:who|that|which)\s"
)


def form_words(folded: str) -> frozenset[int]:
    """Positions of the words that say what kind of answer is wanted ("how fast", "grow",
    "why", "when"): they are the question's form, so they never count as an unexplained
    subject."""
    positions: set[int] = set()
    patterns = [pattern for _, pattern in _KIND_PATTERNS]
    patterns += [_LATEST, _REVERSE, _OTHER, _SOURCE, _BEFORE_THAT, _AFTER_THAT]
    for pattern in patterns:
        for m in pattern.finditer(folded):
            first = len(folded[: m.start()].split())
            positions.update(range(first, first + len(m.group(0).split())))
    return frozenset(positions)


def analyse_question(text: str) -> QuestionShape:
    folded = _RELATIVE_CLAUSE.sub(" ", fold(text))
    kind = next((k for k, pattern in _KIND_PATTERNS if pattern.search(folded)), None)
    yes_no = bool(_YESNO.search(folded))
    if kind is None:
        kind = QuestionKind.YESNO if yes_no else QuestionKind.WHAT
    return QuestionShape(
        kind=kind,
        yes_no=yes_no,
        wants_list=kind is QuestionKind.LIST,
        direction=question_direction(folded),
        follow_up=bool(_FOLLOW_UP_OPENING.match(folded)),
        asks_for_others=bool(_OTHER.search(folded)),
        reverses=bool(_REVERSE.search(folded)),
        asks_source=bool(_SOURCE.match(folded)),
        relative_time=(
            "before"
            if _BEFORE_THAT.search(folded)
            else "after"
            if _AFTER_THAT.search(folded)
            else None
        ),
        wants_latest=bool(_LATEST.search(folded)),
        present=bool(_PRESENT.search(folded)),
    )
