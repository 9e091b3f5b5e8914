"""Generate knowledge/countries.json: country names in English, Vietnamese and Russian.

Names come from the CLDR data shipped with Babel, plus a short hand list of
everyday forms CLDR does not carry (demonyms, "USA", "Korea"). Each country also lists
its cities under "cities": CLDR's time-zone cities (Moscow, Vilnius, Bangkok) in the three
languages, plus a few capitals that name no time zone (Beijing, Washington). Every country
is listed, the KB's own pair too: the matcher leaves out the two countries the KB's scope names. Run
it again after upgrading Babel: ``python tools/make_countries.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel import Locale

NOT_COUNTRIES = {
    "EU",
    "EZ",
    "UN",
    "QO",
    "XA",
    "XB",
    "ZZ",
    "AQ",
    "BV",
    "HM",
    "UM",
    "IC",
    "EA",
    "DG",
    "CP",
    "CQ",
    "AC",
    "TA",
}
EXTRA = {
    "US": {
        "en": ["usa", "america", "american", "americans", "u.s.a."],
        "vi": ["mỹ", "hoa kỳ"],
        "ru": ["сша", "америка", "американский"],
    },
    "GB": {
        "en": ["uk", "britain", "great britain", "british", "england"],
        "vi": ["anh quốc"],
        "ru": ["англия", "британия", "британский"],
    },
    "KR": {"en": ["korea", "korean", "koreans"], "vi": ["hàn quốc"], "ru": ["корея", "корейский"]},
    "KP": {"en": ["dprk"], "vi": ["bắc triều tiên"], "ru": ["северная корея"]},
    "CN": {"en": ["chinese", "prc"], "vi": ["tàu"], "ru": ["китайский", "кнр"]},
    "JP": {"en": ["japanese"], "vi": ["nhật"], "ru": ["японский"]},
    "RU": {"en": ["russian federation"], "vi": ["liên bang nga"], "ru": ["российский", "рф"]},
    "PL": {"en": ["polish"], "vi": [], "ru": ["польский"]},
    "KH": {"en": ["cambodian", "kampuchea"], "vi": ["cam pu chia"], "ru": ["камбоджийский"]},
    "LA": {"en": ["lao pdr", "laotian"], "vi": [], "ru": ["лаосский"]},
    "TH": {"en": ["thai"], "vi": ["thái"], "ru": ["тайланд", "тайский"]},
    "FR": {"en": ["french"], "vi": [], "ru": ["французский"]},
    "DE": {"en": ["german"], "vi": [], "ru": ["немецкий"]},
    "IN": {"en": ["indian"], "vi": [], "ru": ["индийский"]},
    "UA": {"en": ["ukrainian"], "vi": ["ucraina"], "ru": ["украинский"]},
    "IT": {"en": ["italian"], "vi": ["ý"], "ru": ["итальянский"]},
    "AU": {"en": ["australian"], "vi": ["úc"], "ru": ["австралийский"]},
}


# Time-zone cities whose name is also an everyday word, or names another place first.
NOT_CITIES = {"Center", "Male", "Oral", "Petersburg", "Regina", "Victoria", "Knox", "Marengo"}
EXTRA_CITIES = {
    "RU": {
        "en": ["Saint Petersburg", "St Petersburg", "St. Petersburg"],
        "vi": ["Xanh Pê-téc-bua", "Saint Petersburg"],
        "ru": ["Санкт-Петербург", "Петербург"],
    },
    "CN": {"en": ["Beijing", "Peking"], "vi": ["Bắc Kinh"], "ru": ["Пекин"]},
    "US": {"en": ["Washington"], "vi": ["Washington", "Oa-sinh-tơn"], "ru": ["Вашингтон"]},
    "IN": {"en": ["New Delhi", "Delhi", "Mumbai"], "vi": ["New Delhi"], "ru": ["Нью-Дели", "Дели"]},
    "KZ": {"en": ["Astana"], "vi": ["Astana"], "ru": ["Астана"]},
    "UA": {"en": ["Kiev"], "vi": ["Kiev"], "ru": ["Киев"]},
    "AU": {"en": ["Canberra"], "vi": ["Canberra"], "ru": ["Канберра"]},
    "CA": {"en": ["Ottawa"], "vi": ["Ottawa"], "ru": ["Оттава"]},
    "TR": {"en": ["Ankara"], "vi": ["Ankara"], "ru": ["Анкара"]},
    "CH": {"en": ["Bern", "Geneva"], "vi": ["Bern", "Genève"], "ru": ["Берн", "Женева"]},
}


def cities() -> dict[str, dict[str, list[str]]]:
    """Country code -> its cities' names by language."""
    from babel.core import get_global
    from babel.dates import get_timezone, get_timezone_location

    out: dict[str, dict[str, list[str]]] = {}
    for zone, code in sorted(get_global("zone_territories").items()):
        if "/" not in zone or zone.startswith("Etc/"):
            continue
        tz = get_timezone(zone)
        if get_timezone_location(tz, locale="en", return_city=True) in NOT_CITIES:
            continue
        entry = out.setdefault(code, {"en": [], "vi": [], "ru": []})
        for lang in entry:
            name = get_timezone_location(tz, locale=lang, return_city=True)
            if name and name not in entry[lang]:
                entry[lang].append(name)
    for code, extra in EXTRA_CITIES.items():
        entry = out.setdefault(code, {"en": [], "vi": [], "ru": []})
        for lang, names_ in extra.items():
            entry[lang] += [n for n in names_ if n not in entry[lang]]
    return out


def names(locale: str, code: str) -> list[str]:
    name = Locale(locale).territories.get(code, "")
    out = [name]
    m = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if m:  # "Myanmar (Burma)" names both
        out = [m[1], m[2]]
    return [n for n in out if n]


def main() -> None:
    codes = sorted(
        c
        for c in Locale("en").territories
        if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES
    )
    table = {}
    city_names = cities()
    for code in codes:
        entry = {lang: names(lang, code) for lang in ("en", "vi", "ru")}
        for lang, extra in EXTRA.get(code, {}).items():
            entry[lang] += [e for e in extra if e not in entry[lang]]
        if code in city_names:
            entry["cities"] = city_names[code]
        table[code] = entry
    out = Path(__file__).resolve().parent.parent / "knowledge" / "countries.json"
    out.write_text(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(table)} countries to {out}")


if __name__ == "__main__":
    main()
