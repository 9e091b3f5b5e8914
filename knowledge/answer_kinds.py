"""What kind of question a fact answers, read off its English text and its entities.

A "how much" question wants an amount, "how many" a count, "how fast" a rate, "when" a dated
event, "who" a person or office, "where" a place, "why" a reason. A fact may list its kinds
itself (``answers:`` in the KB) when this reading is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.model import Entity

_NUMBER = r"\d+(?:[.,]\d+)?"
_YEAR = re.compile(r"^(19|20)\d\d$")
_AMOUNT = re.compile(
    rf"(US\$\s?{_NUMBER}|{_NUMBER}\s*(?:million|billion|thousand)?\s*(?:USD|US dollars|dollars)"
    rf"|{_NUMBER}\s*(?:million|billion)\b)",
    re.IGNORECASE,
)
_RATE = re.compile(
    rf"({_NUMBER}\s*(?:times|-fold|fold|%|per ?cent)|\bdoubl\w*|\btripl\w*|\bgrew\b|\bgrowth\b"
    r"|\bincreas\w*|\brose\b|\bup by\b)",
    re.IGNORECASE,
)
_COUNT_WORDS = re.compile(
    r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|hundreds|thousands)"
    r"\b(?![\s-]+(?:way|sides?|countries|nations|months|leaders))",
    re.IGNORECASE,
)
_EVENT = re.compile(
    r"\b(visit\w*|established|signed|met|meet\w*|took place|opened|held|began|launched|came|"
    r"arrived|left|departed|took off|entered into force|took effect|in force|session|talks|"
    r"trip|founded|set up|presented|dates from|"
    r"received|handed over|hosted|appointed|reorganised|exempted)\b",
    re.IGNORECASE,
)
_REASON = re.compile(
    r"\b(because|as a result|in order to|meant to|aimed? to|aims? to|so that|showed that|"
    r"in response to|due to|to help|to fight|to strengthen|to boost|to expand|to deepen|"
    r"to promote|to discuss|to settle|to support|calling it|called it|the first\b.*\b(since|in)|"
    r"founded on|based on|on the basis of|principles?|key partner|first result)\b",
    re.IGNORECASE,
)
# "took place in Vietnam", "held in Hanoi": the venue answers "where" even when no place entity
# is linked (a country of the pair is none)
_VENUE = re.compile(
    r"\b(?i:took place|was held|were held|held|met|hosted|opened|signed)\b[^.;]{0,40}?"
    r"\bin (?!(?:19|20)\d\d)(?!January|February|March|April|May|June|July|August|September"
    r"|October|November|December)[A-Z]\w+"
)
# "visited Vietnam in 1997, 2008 and 2015", "his fourth visit": occasions one can count
_OCCASIONS = re.compile(
    r"\b(?:19|20)\d\d(?:,\s*(?:19|20)\d\d)*,?\s+and\s+(?:19|20)\d\d\b"
    r"|\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?:visit|trip|time)\b",
    re.IGNORECASE,
)
# "accepted the invitation to visit", "agreed to raise trade to…", "was expected to reach": an
# intention or a forecast, not something that happened
_PLAN = re.compile(
    r"\binvitation\b[^.]*?\bto (?:\w+ ){0,3}?visit\b|\bagreed to (?:raise|study)\b|"
    r"\bexpected to\b|\baimed to\b|\bintended to\b|\bplans? to\b|\bwill\b|"
    r"\bgroundwork\b|\bpotential (?:for|of)\b|\bcould (?:reach|grow|rise)\b",
    re.IGNORECASE,
)
# "a contract worth US$3 million", "the plant cost…": a price, with its amount
_PRICE = re.compile(r"\b(worth|cost|costs|priced|price|prices|fare)\b", re.IGNORECASE)
# "about 11 hours", "for 30 days": how long something lasts
_DURATION = re.compile(rf"\b{_NUMBER}\s*(?:-\s*)?(?:hours?|days?|weeks?)\b", re.IGNORECASE)
# "40 km from Hanoi", "about 9,300 km": a distance
_DISTANCE = re.compile(rf"\b{_NUMBER}\s*(?:km|kilomet(?:er|re)s?|miles?)\b", re.IGNORECASE)
# "can assemble up to 3,000 trucks a year": what a plant can make
_CAPACITY = re.compile(r"\bup to\b[^.]*\b(?:a|per) year\b|\bcapacity\b", re.IGNORECASE)
# "three times a week", "every 11 days": how often something runs
_FREQUENCY = re.compile(
    r"\b(?:times? a (?:week|month|year)|every \d+ days|weekly|daily)\b", re.IGNORECASE
)
_MEASURES = (
    ("duration", _DURATION),
    ("distance", _DISTANCE),
    ("capacity", _CAPACITY),
    ("frequency", _FREQUENCY),
)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATED = re.compile(rf"\b({_MONTHS})\b|\b(19|20)\d\d\b")
# "has been in force since October 2016": a state with a start date answers "since when"
_SINCE = re.compile(rf"\bsince\s+(?:(?:\d{{1,2}}\s+)?({_MONTHS})\s+)?(19|20)\d\d\b", re.IGNORECASE)
_AS_OF = re.compile(rf"^(As of|By|Up to|Until)\s+({_MONTHS})?\s*\d{{4}}", re.IGNORECASE)


_DAY = re.compile(
    rf"\b\d{{1,2}}(?:\s*(?:[–-]|to)\s*\d{{1,2}})?\s+({_MONTHS})\b|\b({_MONTHS})\s+\d{{1,2}}\b"
)


_DIGIT = re.compile(r"\d")
_FIGURE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"[.,](?=\d{3}(?!\d))")


def figures_in(text: str) -> frozenset[str]:
    """The numbers a text states, years left out, written one way ("9,300" and "9300" are
    one number, "168,8" is "168.8"): "was trade over 250 million?" is answered by the fact
    that says 250."""
    found = set()
    if not _DIGIT.search(text):
        return frozenset()  # (most questions state no number)
    for number in _FIGURE.findall(text):
        plain = _THOUSANDS.sub("", number).replace(",", ".")
        if not _YEAR.match(plain):
            found.add(plain)
    return frozenset(found)


_AIM = re.compile(
    r"\b(meant to|aimed? (?:to|at)|aims? (?:to|at)|in order to|so that|purposes?|objectives?|"
    r"goals?|wanted|wants to|sought|were to discuss|to discuss)\b",
    re.IGNORECASE,
)


def states_aim(text: str) -> bool:
    """True when the text tells what something was for ("meant to reinforce…"), not why it
    mattered ("important, because…")."""
    return bool(_AIM.search(text))


def states_as_of(text: str) -> bool:
    """True when the text tells how things stood at a date ("As of December 2019, ...")."""
    return bool(_AS_OF.match(text)) or " as of " in text.lower()


def names_a_day(text: str) -> bool:
    """True when the text dates something to the day ("on 11 October 2025")."""
    return bool(_DAY.search(text))


def _counts(text: str) -> bool:
    without_amounts = _AMOUNT.sub(" ", _RATE.sub(" ", text))
    for number in re.findall(rf"(?<![\w.,-]){_NUMBER}(?![\w])", without_amounts):
        if _YEAR.match(number):
            continue
        # A day of a date ("6 December", "15–16 November") is not a count.
        after = without_amounts[without_amounts.find(number) + len(number) :][:24]
        if re.match(rf"\s*(?:(?:[–-]|to)\s*\d+\s*)?({_MONTHS})", after):
            continue
        return True
    return bool(_COUNT_WORDS.search(without_amounts))


def infer_answer_kinds(text: str, entities: Sequence[Entity] = ()) -> frozenset[str]:
    kinds: set[str] = set()
    if _AMOUNT.search(text):
        kinds.add("amount")
        if _PRICE.search(text):
            kinds.add("price")
    if _RATE.search(text):
        kinds.add("rate")
    if _counts(text):
        kinds.add("count")
    kinds.update(name for name, pattern in _MEASURES if pattern.search(text))
    if _OCCASIONS.search(text):
        kinds |= {"count", "occasions"}  # "how many times" is asked of these
    if _VENUE.search(text):
        kinds.add("place")
    # An "as of" statement is a state, not an event: it does not answer "when".
    if _EVENT.search(text) and _DATED.search(text) and not _AS_OF.match(text):
        kinds.add("date")
    if _SINCE.search(text):
        kinds.add("date")
    if _REASON.search(text):
        kinds.add("reason")
    if _PLAN.search(text):
        kinds.add("plan")
    if sum(1 for e in entities if e.kind == "good") >= 2:
        kinds.add("goods")  # it names what is traded: "included rubber, cashews and seafood"
    for entity in entities:
        if entity.kind == "person":
            kinds.add("person")
        elif entity.kind == "office":
            kinds.add("office")  # answers "who" less well than the person's own name
        elif entity.kind == "place":
            kinds.add("place")
    return frozenset(kinds)
