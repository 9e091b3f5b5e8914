"""Question words typed wrong ("wen was the first flight", "how ofen", "bao nhiu"), put right
before the question is read. The words that say what is asked are few and stand in few
places: a wh-word opens a sentence, "much", "many", "long" and "often" follow "how", "nhiều"
follows "bao". A word there that is one edit from exactly one of them, and known to nothing
else, is that word. The subject's own words are the matcher's business (it corrects them
against the KB's words)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Folded, as the question patterns spell them, under the word they follow (None: the start
# of a sentence). "who" and "how" are left out: one edit from them is too many other words.
QUESTION_WORDS: dict[str | None, tuple[str, ...]] = {
    None: ("when", "where", "what", "which", "whose", "why"),
    "how": ("much", "many", "long", "often"),
    "bao": ("nhieu",),
}
# Words that may stand before a sentence's question word: "so wen…", "ok wat…", "hi, wen…"
OPENERS = frozenset("and so ok okay but then hi hello hey also exactly or pls please".split())
# A typo is a word at least this long ("wen" for "when")…
MIN_TYPO_LENGTH = 3
# …and one edit (a transposition counting as one) from a single question word.
MAX_EDITS = 1

_TOKEN = re.compile(r"[A-Za-z]+|[^\sA-Za-z]+")


def _choices(previous: str | None) -> tuple[str, ...]:
    if previous is None or previous in OPENERS or not previous[0].isalpha():
        return QUESTION_WORDS[None]
    return QUESTION_WORDS.get(previous, ())


def corrected_question_words(text: str, is_known: Callable[[str], bool]) -> str:
    """``text`` with each Latin word in a question word's place that is no known word
    (``is_known`` of its lower case) and one edit from exactly one question word that may
    stand there replaced by that word."""
    pieces: list[str] = []
    previous: str | None = None
    at = 0
    for found in _TOKEN.finditer(text):
        token = found.group(0)
        word = token.lower()
        choices = _choices(previous)
        if (
            choices
            and token.isascii()
            and token.isalpha()
            and len(word) >= MIN_TYPO_LENGTH
            and word not in choices
            and not is_known(word)
        ):
            close = process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=2
            )
            if len(close) == 1:
                token = word = close[0][0]
        pieces += [text[at : found.start()], token]  # the spaces as typed, then the word
        at = found.end()
        previous = word
    pieces.append(text[at:])
    return "".join(pieces)
