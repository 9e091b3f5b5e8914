"""Dates and periods as the knowledge base writes them, and years named in questions."""

from __future__ import annotations

import calendar
import re
from datetime import date

from knowledge.model import Period
from knowledge.normalize import fold

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DIGIT = re.compile(r"\d")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
# "Vietnamese who came before 1992" names a condition, not the period asked about.
_BEFORE_YEAR = re.compile(
    r"(?:before|prior to|trước(?: năm)?|truoc(?: nam)?|до|ранее)\s+(?:the\s+)?(?:year\s+)?"
    r"(19[5-9]\d|20\d\d)(?!\d)",
    re.IGNORECASE,
)


class PeriodError(ValueError):
    pass


def _bounds(part: str) -> tuple[date, date]:
    m = _PART.match(part.strip())
    if not m:
        raise PeriodError(f"{part!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2], m[3]
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        m_ = int(month)
        if day is None:
            last = calendar.monthrange(year, m_)[1]
            return date(year, m_, 1), date(year, m_, last)
        d = date(year, m_, int(day))
        return d, d
    except ValueError as exc:
        raise PeriodError(f"{part!r} is not a real date ({exc})") from None


def parse_period(text: str) -> Period:
    """Parse ``2022``, ``2023-04``, ``1992-01-24`` or a range ``2023-01..2023-09``."""
    text = str(text).strip()
    if ".." in text:
        first, _, last = text.partition("..")
        start, _ = _bounds(first)
        _, end = _bounds(last)
        if end < start:
            raise PeriodError(f"{text!r} ends before it starts")
    else:
        start, end = _bounds(text)
    return Period(start=start, end=end, text=text)


def years_in(text: str) -> list[int]:
    """Years (1950–2099) written in a question, in order of appearance."""
    if not _DIGIT.search(text):
        return []  # (most questions name no year: the patterns need not run over them)
    return [int(y) for y in _YEAR_IN_TEXT.findall(_BEFORE_YEAR.sub(" ", text))]


def year_named_after_before(text: str) -> date | None:
    """The first day of the year a question names after "before" ("before 2025 how many
    days…", "до 1992"), when it names one such year."""
    if not _DIGIT.search(text):
        return None
    years = {int(m[1]) for m in _BEFORE_YEAR.finditer(text)}
    return date(years.pop(), 1, 1) if len(years) == 1 else None


_EN_MONTHS = (
    "jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?",
    "july?", "aug(?:ust)?", "sep(?:t|tember)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?",
)  # fmt: skip
_RU_MONTHS = (
    "январ", "феврал", "март", "апрел", "ма[йяе]", "июн", "июл", "август", "сентябр",
    "октябр", "ноябр", "декабр",
)  # fmt: skip
# A month's name and its year ("April 2023", "в апреле 2023"), every month of both
# languages in one pass: the year is in a group named for the month ("en4", "ru4"). The
# names differ within their first three letters, so at most one alternative holds at a
# position, and looking ahead from every position finds the (year, month) pairs that a
# search per month would.
_MONTH_YEAR = re.compile(
    "(?="
    + "|".join(
        [
            rf"\b{name}\w*\.?\s+(?:of\s+)?(?P<en{month}>(?:19|20)\d\d)\b"
            for month, name in enumerate(_EN_MONTHS, 1)
        ]
        + [rf"{name}\w*\s+(?P<ru{month}>(?:19|20)\d\d)" for month, name in enumerate(_RU_MONTHS, 1)]
    )
    + ")",
    re.IGNORECASE,
)
_VI_MONTH_YEAR = re.compile(
    r"th[aá]ng\s+(1[0-2]|0?[1-9])(?:\s*(?:/|n[aă]m)\s*)((?:19|20)\d\d)", re.IGNORECASE
)

# "11/1/2022", "11.01.2022", "11-01-2022": day first, as Vietnamese and Russian write dates
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?:[12]\d|3[01]|0?[1-9])[./-](1[0-2]|0?[1-9])[./-]((?:19|20)\d\d)(?!\d)"
)


def month_period(text: str) -> Period | None:
    """The month a question names with its year ("April 2023", "tháng 4 năm 2023",
    "в апреле 2023", "11/1/2022"), when it names exactly one."""
    found = {(int(m[m.lastgroup]), int(m.lastgroup[2:])) for m in _MONTH_YEAR.finditer(text)}
    found.update((int(m[2]), int(m[1])) for m in _VI_MONTH_YEAR.finditer(text))
    found.update((int(m[2]), int(m[1])) for m in _NUMERIC_DATE.finditer(text))
    if len(found) != 1:
        return None
    [(year, month)] = found
    return parse_period(f"{year}-{month:02d}")


_NUMBER_WORDS = {
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11,
    # folded Vietnamese ("chín tháng đầu năm"); not "năm", which is also "year"
    "ba": 3, "bon": 4, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
}  # fmt: skip
_COUNT = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + ")"
# "the first nine months of 2019", "9 tháng đầu năm 2019", "за 9 месяцев 2019 года"
_FIRST_MONTHS = re.compile(
    rf"{_COUNT}\s+(?:months?|thang(?:\s+dau)?|месяц\w*)\s+(?:\S+\s+){{0,3}}?((?:19|20)\d\d)"
)
_MONTH_NAMES = [*_EN_MONTHS, *_RU_MONTHS]
# "January–September 2019", "Jan-Sep 2019", "январе–апреле 2017", "tháng 1–9/2019"
_MONTH_RANGE = re.compile(
    r"\b("
    + "|".join(_MONTH_NAMES)
    + r")\w*\s+(?:to\s+|по\s+|until\s+)?("
    + "|".join(_MONTH_NAMES)
    + r")\w*\s+(?:of\s+)?((?:19|20)\d\d)"
)
# folded, "tháng 1–9/2019" is "thang 1 9 2019"
_VI_MONTH_RANGE = re.compile(
    r"thang\s+(1[0-2]|0?[1-9])\s+(?:den\s+)?(1[0-2]|0?[1-9])\s+(?:nam\s+)?((?:19|20)\d\d)"
)


def _month_number(name: str) -> int:
    return next(
        i % 12 + 1
        for i, pattern in enumerate(_MONTH_NAMES)
        if re.fullmatch(rf"(?:{pattern})\w*", name)
    )


def part_of_year(text: str) -> Period | None:
    """A stretch of months within one year ("the first nine months of 2019", "January–April
    2017"): what a nine-month trade figure is about, not the whole year."""
    folded = fold(text)
    m = _FIRST_MONTHS.search(folded)
    if m:
        count = int(m[1]) if m[1].isdigit() else _NUMBER_WORDS[m[1]]
        first, last, year = 1, count, int(m[2])
    elif m := _MONTH_RANGE.search(folded):
        first, last, year = _month_number(m[1]), _month_number(m[2]), int(m[3])
    elif m := _VI_MONTH_RANGE.search(folded):
        first, last, year = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    if not 1 <= first < last <= 12 or (first, last) == (1, 12):
        return None
    return parse_period(f"{year}-{first:02d}..{year}-{last:02d}")


# "since 1997", "kể từ 2011", "с 1997 года" (and "from 2015 on", "từ năm 1998 đến nay"):
# from that year to today, not that year alone
_SINCE_YEAR = re.compile(
    r"(?:(?P<since>\bsince|\bkể từ|\bke tu|(?<!\w)с|(?<!\w)начиная с)|\bfrom|\btừ|\btu)"
    r"\s+(?:the\s+)?(?:year\s+|năm\s+|nam\s+)?((?:19|20)\d\d)(?!\d)(?:\s+(?:года|г\.?))?"
    r"(?P<open>\s+(?:on|onwards|to now|until now|till now|to date|to the present|to today|"
    r"đến nay|den nay|tới nay|toi nay|по сей день|до сих пор|по настоящее время))?",
    re.IGNORECASE,
)


def since_year(text: str, today: date | None = None) -> Period | None:
    """From the year "since" names to today: "visited since 1997" asks about all of it."""
    found = _SINCE_YEAR.search(text)
    if found is None or not (found["since"] or found["open"]):
        return None  # "from 2015" alone is that year
    year, end = int(found[2]), (today or date.today()).year
    if year >= end:
        return None
    return Period(date(year, 1, 1), date(end, 12, 31), f"{year}..{end}")


# A decade, with the part of it asked for: "the 1990s", "late 1990s", "mid-2010s", "the 90s",
# "в 90-е годы", "начало 2010-х", "những năm 1990", "cuối thập niên 90". Matched on folded
# text, where "1990s" is "1990 s" and "90-е" is "90 е".
_DECADE_PART = (
    r"(?:(?P<part>early|mid|late|dau|giua|cuoi|начал[оеау]|середин[аеуы]|кон[е]?ц[аеу]?)"
    r"[\s-]+(?:of\s+)?(?:the\s+)?)?"
)
_DECADE = re.compile(
    r"(?:(?P<since>since|ke tu|tu|с|начиная с)\s+(?:the\s+)?)?"
    + _DECADE_PART
    + r"(?:(?P<en>(?:19|20)\d0|[5-9]0) s"
    r"|(?:nhung nam|thap nien|thap ky)\s+(?P<vi>(?:19|20)\d0|[5-9]0)"
    r"|(?P<ru>(?:19|20)\d0|[5-9]0) (?:е|х|ые|ых|ми))(?!\w)"
)
# which years of a decade its early, middle and late part cover
_DECADE_PARTS = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}
_PART_WORDS = {
    "dau": "early", "giua": "mid", "cuoi": "late",
    "начал": "early", "середин": "mid", "конц": "late", "конец": "late",
}  # fmt: skip


def decade_in(text: str, today: date | None = None) -> Period | None:
    """The decade (or its early, middle or late years) a question names; "since the late
    1990s" runs from then to today."""
    folded = fold(text)
    # (a decade is written in digits: most questions name none, and the pattern, opening
    # with optional words, would be tried at every position)
    found = _DECADE.search(folded) if _DIGIT.search(folded) else None
    if found is None:
        return None
    digits = found["en"] or found["vi"] or found["ru"]
    start = int(digits) if len(digits) == 4 else 1900 + int(digits)
    part = found["part"] or ""
    part = next((v for k, v in _PART_WORDS.items() if part.startswith(k)), part)
    first, last = _DECADE_PARTS.get(part, (0, 9))
    lo, hi = start + first, start + last
    if found["since"]:
        hi = max(hi, (today or date.today()).year)
    return Period(date(lo, 1, 1), date(hi, 12, 31), f"{lo}..{hi}")


def period_in(text: str) -> Period | None:
    """The period a question asks about: a stretch of months or a month of one year, else
    its years (one or a range), a decade, or from a year to today ("since 1997")."""
    years = years_in(text)
    decade = decade_in(text)
    if decade is not None and set(years) <= {decade.start.year - decade.start.year % 10}:
        return decade
    if not years:
        return None  # a stretch of months or a month is only taken when its year is named
    for read_within_year in (part_of_year, month_period):
        within_year = read_within_year(text)
        if within_year is not None and {within_year.start.year} == set(years):
            return within_year
    if len(years) == 1 and (since := since_year(text)) is not None:
        return since
    return period_of_years(years)


# "vs 2010", "compared with 2010", "so với 2010", "по сравнению с 2010": the year compared
# against, not the year asked about
_BASELINE_YEAR = re.compile(
    r"(?:\bvs\.?|\bversus|\bcompared (?:to|with)|\bagainst|\bso với|\bso voi|по сравнению с|"
    r"против|\bthan|\bup on|\bdown on|чем)"
    r"\s+(?:the\s+)?(?:year\s+|năm\s+|nam\s+)?((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def only_baseline_year(text: str) -> bool:
    """The only year named is the one compared against ("growth vs 2010?"): a follow-up
    asking it keeps the period it follows."""
    years = years_in(text)
    found = _BASELINE_YEAR.search(text)
    return bool(found) and set(years) == {int(found[1])}


def period_of_years(years: list[int]) -> Period | None:
    if not years:
        return None
    lo, hi = min(years), max(years)
    text = str(lo) if lo == hi else f"{lo}..{hi}"
    return Period(date(lo, 1, 1), date(hi, 12, 31), text)


_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORD = {w: i for i, w in enumerate(_UNITS, 1)}
_NUMBER_WORD |= {w: i for i, w in enumerate(_TEENS, 10)}
_NUMBER_WORD |= {w: i * 10 for i, w in enumerate(_TENS, 2)}
_UNIT = "|".join(_UNITS)
_TWO_DIGITS = rf"(?:{'|'.join(_TENS)})(?:[\s-]+(?:{_UNIT}))?|{'|'.join(_TEENS)}"
# "twenty twenty-one", "nineteen ninety two", "two thousand and six": years as a voice note
# or a chatty writer spells them
_SPELLED_YEAR = re.compile(
    rf"\b(?P<century>nineteen|twenty)[\s-]+(?P<rest>{_TWO_DIGITS}|o[\s-]+(?:{_UNIT}))\b"
    rf"|\btwo thousand(?:[\s-]+and)?[\s-]+(?P<after>{_TWO_DIGITS}|{_UNIT})\b",
    re.IGNORECASE,
)


def _two_digits(words: str) -> int:
    return sum(_NUMBER_WORD.get(w, 0) for w in re.split(r"[\s-]+", words.lower()))


def _spelled_year(found: re.Match[str]) -> str:
    if found["century"]:
        century = 1900 if found["century"].lower() == "nineteen" else 2000
        return str(century + _two_digits(found["rest"]))
    return str(2000 + _two_digits(found["after"]))


def with_digit_years(text: str) -> str:
    """``text`` with years spelled out in English words written in digits."""
    return _SPELLED_YEAR.sub(_spelled_year, text)
