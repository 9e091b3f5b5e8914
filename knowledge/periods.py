"""Dates and periods as the knowledge base writes them, and years named in questions."""

from __future__ import annotations

import calendar
import re
from datetime import date

from knowledge.model import Period

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


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
    return [int(y) for y in _YEAR_IN_TEXT.findall(text)]


def period_of_years(years: list[int]) -> Period | None:
    if not years:
        return None
    lo, hi = min(years), max(years)
    text = str(lo) if lo == hi else f"{lo}..{hi}"
    return Period(date(lo, 1, 1), date(hi, 12, 31), text)
