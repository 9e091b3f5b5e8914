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


# Vietnamese chat shorthand, folded: "co bn khach" (bao nhiêu), "mon j" (gì), "ko" (không),
# "dc" (được), "z" (vậy). Spelt out before the question is read, so that "bn" asks how many
# and "ko" is the filler "không" instead of two letters the KB has never seen.
VIETNAMESE_SHORTHAND: dict[str, str] = {
    "bn": "bao nhieu",
    "bnh": "bao nhieu",
    "bnhieu": "bao nhieu",
    "nhiu": "nhieu",
    "j": "gi",
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "kg": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "đc": "duoc",
    "dk": "duoc",
    "z": "vay",
    "mn": "",  # "mọi người" (everyone), a vocative: nothing is asked by it
    "mng": "",
    "ad": "",  # "ad" (admin), "ae" (anh em, folks): who is addressed
    "ae": "",
    "bh": "bao gio",
    "bgio": "bao gio",
    "bjo": "bao gio",
    "ntn": "nhu the nao",
    "trc": "truoc",
    "ng": "nguoi",
    "nc": "nuoc",
    "cx": "cung",
    "cg": "cung",
    "mik": "minh",
    "mk": "minh",
    "hnay": "hom nay",
    "wa": "qua",
    "sv": "sinh vien",
}
# English chat and note-taking abbreviations ("mil coop events", "sci-tech", "govt"); after a
# number "mil" is millions, which the digit rule below leaves alone
ENGLISH_SHORTHAND: dict[str, str] = {
    "coop": "cooperation",
    "mil": "military",
    "govt": "government",
    "gov": "government",
    "intl": "international",
    "econ": "economic",
    "sci": "science",
    "tech": "technology",
    "edu": "education",
    "amb": "ambassador",
    "pres": "president",
    "yr": "year",
    "yrs": "years",
}
# Russian abbreviations spelt as the facts write them
RUSSIAN_SHORTHAND: dict[str, str] = {
    "юва": "юго-восточной азии",
    "када": "когда",
    "кагда": "когда",
    "нибуть": "нибудь",
    "прив": "привет",
    "стратег": "стратегическое",
}
CHAT_SHORTHAND = VIETNAMESE_SHORTHAND | ENGLISH_SHORTHAND | RUSSIAN_SHORTHAND
# "v" is "vậy" only where a sentence ends ("dc o bn ngay v"); inside one it may be a letter
SENTENCE_END_SHORTHAND = {"v": "vay"}
_WORD_OR_NOT = re.compile(r"\w+|\W+")


def expanded_shorthand(text: str, is_known: Callable[[str], bool]) -> str:
    """``text`` with chat shorthand (mostly Vietnamese) spelt out, where the word is no word the KB
    knows and does not follow a number ("200 bn" is billions)."""
    pieces = _WORD_OR_NOT.findall(text)
    words = [i for i, piece in enumerate(pieces) if piece[0].isalnum() or piece[0] == "_"]
    for n, i in enumerate(words):
        word = pieces[i].lower()
        full = CHAT_SHORTHAND.get(word)
        last = n + 1 == len(words) or not pieces[i + 1].isspace()
        if full is None and last:
            full = SENTENCE_END_SHORTHAND.get(word)
        if full is None or is_known(word):
            continue
        if n and pieces[words[n - 1]].isdigit():
            continue
        pieces[i] = full
    return "".join(pieces)
