"""Generate knowledge/countries.json: country names in English, Vietnamese and Russian.

Names come from the CLDR data shipped with Babel, plus a short hand list of
everyday forms CLDR does not carry (demonyms, "USA", "Korea"). Every country is listed,
the KB's own pair too: the matcher leaves out the two countries the KB's scope names. Run
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
    for code in codes:
        entry = {lang: names(lang, code) for lang in ("en", "vi", "ru")}
        for lang, extra in EXTRA.get(code, {}).items():
            entry[lang] += [e for e in extra if e not in entry[lang]]
        table[code] = entry
    out = Path(__file__).resolve().parent.parent / "knowledge" / "countries.json"
    out.write_text(json.dumps(table, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(table)} countries to {out}")


if __name__ == "__main__":
    main()
