"""Write dates and periods the way each language writes them (CLDR data through Babel)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from knowledge.model import Period

_LOCALES = {"en": "en_GB", "vi": "vi", "ru": "ru"}
# CLDR's long Vietnamese date is "24 tháng 1, 1992"; the press writes "24 tháng 1 năm 1992".
_DAY_PATTERNS = {"vi": "d 'tháng' M 'năm' y"}


def _precision(part: str) -> str:
    return {4: "year", 7: "month", 10: "day"}.get(len(part.strip()), "day")


def _format_part(d: date, precision: str, lang: str) -> str:
    from babel.dates import format_date, format_skeleton

    locale = _LOCALES.get(lang, "en_GB")
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return format_skeleton("yMMMM", d, locale=locale)
    return format_date(d, _DAY_PATTERNS.get(lang, "long"), locale=locale)


# CLDR puts thin spaces in intervals and before "г."; plain spaces read the same and survive
# every terminal, JSON consumer and Telegram client.
_PLAIN_SPACES = str.maketrans({"\u2009": " ", "\u202f": " ", "\u00a0": " "})
# CLDR releases differ on the interval dash (Babel 2.19 writes "январь — август" for Russian):
# one en dash in every language keeps dates identical across Babel versions.
_INTERVAL_DASH = " \u2014 "


@lru_cache(maxsize=1024)
def format_period(period: Period, lang: str = "en") -> str:
    return _format_period(period, lang).translate(_PLAIN_SPACES).replace(_INTERVAL_DASH, " – ")


def _format_period(period: Period, lang: str) -> str:
    from babel.dates import format_interval

    locale = _LOCALES.get(lang, "en_GB")
    first, _, last = period.text.partition("..")
    if not last:
        return _format_part(period.start, _precision(first), lang)
    p_first, p_last = _precision(first), _precision(last)
    if p_first == p_last == "year":
        return format_interval(period.start, period.end, "y", locale=locale)
    if p_first == p_last == "month":
        return format_interval(period.start, period.end, "yMMMM", locale=locale)
    if p_first == p_last == "day":
        return format_interval(period.start, period.end, "yMMMd", locale=locale)
    return f"{_format_part(period.start, p_first, lang)} – {_format_part(period.end, p_last, lang)}"
