"""Russian typed in Latin letters ("kto posol vietnama v minske seichas"), read back in
Cyrillic: people without a Russian keyboard write it so. Only a question that reads as
Russian (it holds one of the usual Russian question or function words) is converted."""

from __future__ import annotations

import re

# Words that show a Latin question is Russian: question words and words no English or
# Vietnamese question holds.
_RUSSIAN_MARKERS = frozenset(
    """
    kto chto shto kogda skolko gde pochemu zachem kakoi kakoy kakie kakaya kakoe kakov
    seichas seychas mezhdu tovarooborot posol posolstvo sotrudnichestvo byl byla bylo byli
    godu goda belarusi belorussii vietnama vetnama vo dlya ili eto est
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
# Soft signs Latin spellings leave out, restored where a word is otherwise misread
_WHOLE_WORDS = {"viet": "вьет", "skolko": "сколько", "vetnam": "вьетнам"}


def looks_transliterated(text: str) -> bool:
    """True for a Latin-only question with a Russian word in it."""
    if re.search(r"[\u0400-\u04ff]", text):
        return False
    return any(w in _RUSSIAN_MARKERS for w in re.findall(r"[a-z']+", text.lower()))


def _word_to_cyrillic(word: str) -> str:
    for latin, cyrillic in _WHOLE_WORDS.items():
        if word.startswith(latin):
            return (
                cyrillic + _word_to_cyrillic(word[len(latin) :])
                if word[len(latin) :]
                else (cyrillic)
            )
    word = _SHORT_I.sub("j", word)
    return _LETTER.sub(lambda m: _CYRILLIC_OF[m.group(0)], word)


def to_cyrillic(text: str) -> str:
    """The question in Cyrillic letters; digits and punctuation stay as they are."""
    return re.sub(r"[a-z']+", lambda m: _word_to_cyrillic(m.group(0)), text.lower())
