"""Russian typed in Latin letters ("kto posol vietnama v minske seichas"), read back in
Cyrillic: people without a Russian keyboard write it so. Only a question that reads as
Russian (it holds one of the usual Russian question or function words) is converted."""

from __future__ import annotations

import re

from knowledge.normalize import CYRILLIC

# Words that show a Latin question is Russian: question words and words no English or
# Vietnamese question holds.
_RUSSIAN_MARKERS = frozenset(
    """
    kto chto shto kogda skolko gde pochemu zachem kakoi kakoy kakie kakaya kakoe kakov
    seichas seychas mezhdu tovarooborot posol posolstvo sotrudnichestvo byl byla bylo byli
    godu goda vo dlya ili eto est
    """.split()
)
# Longest first: "shch" before "sh", "tsya" before "ts".
_LETTERS = (
    ("shch", "щ"), ("tsya", "тся"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"),
    ("sh", "ш"), ("ts", "ц"), ("yu", "ю"), ("ya", "я"), ("yo", "е"), ("ye", "е"), ("iy", "ий"),
    ("yi", "ый"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"),
    ("z", "з"), ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
    ("h", "х"), ("c", "ц"), ("y", "ы"), ("x", "кс"), ("w", "в"), ("q", "к"), ("'", "ь"),
)  # fmt: skip
_LETTER = re.compile("|".join(re.escape(latin) for latin, _ in _LETTERS))
_CYRILLIC_OF = dict(_LETTERS)
_VOWELS = "aeiouy"
# "seichas", "kakoy": an i or y after a vowel and before a consonant or the end is й
_SHORT_I = re.compile(rf"(?<=[{_VOWELS}])[iy](?=[^{_VOWELS}]|$)")


def _sound_key(word: str) -> str:
    """A Cyrillic word as Latin spellings blur it: no soft or hard sign, й as и, and "ие" as
    "е" ("vietnam" spells "вьетнам" with "ie")."""
    return word.replace("ь", "").replace("ъ", "").replace("й", "и").replace("ие", "е")


def looks_transliterated(text: str) -> bool:
    """True for a Latin-only question with a Russian word in it."""
    if CYRILLIC.search(text):
        return False
    return any(w in _RUSSIAN_MARKERS for w in re.findall(r"[a-z']+", text.lower()))


def _word_to_cyrillic(word: str) -> str:
    word = _SHORT_I.sub("j", word)
    return _LETTER.sub(lambda m: _CYRILLIC_OF[m.group(0)], word)


def to_cyrillic(text: str, known: frozenset[str] | set[str] = frozenset()) -> str:
    """The question in Cyrillic letters; digits and punctuation stay as they are. A word
    that is one of ``known`` but for its soft signs (Latin spellings drop them: "skolko",
    "vietnama") is written as the known word."""
    by_key = {_sound_key(w): w for w in sorted(known)}

    def convert(match: re.Match[str]) -> str:
        cyrillic = _word_to_cyrillic(match.group(0))
        return by_key.get(_sound_key(cyrillic), cyrillic)

    return re.sub(r"[a-z']+", convert, text.lower())
