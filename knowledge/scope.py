"""The country pair a knowledge base is about, as the KB's ``scope`` record says it.

Nothing else in the core names the two countries: messages take the pair's name and
phrases from here, and the matcher and the question patterns take its words.
"""

from __future__ import annotations

from dataclasses import dataclass

Texts = dict[str, str]


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: Texts
    outward: Texts  # "from here to the other country"
    words: tuple[str, ...]  # folded whole words that name it
    sides: tuple[str, ...]  # folded words or phrases naming it as a side; "*" = any ending
    people: tuple[str, ...] = ()  # folded words for its people, same "*" convention


@dataclass(frozen=True, slots=True)
class Scope:
    name: Texts
    relations: Texts
    countries: tuple[Country, Country]
    words: tuple[str, ...] = ()  # other folded words that mean "about the two of them"

    @property
    def codes(self) -> tuple[str, str]:
        return (self.countries[0].code, self.countries[1].code)

    @property
    def directions(self) -> tuple[str, str]:
        """``<giver>-<receiver>``, both ways: ("vn-by", "by-vn")."""
        a, b = self.codes
        return (f"{a}-{b}", f"{b}-{a}")

    def other(self, code: str) -> str:
        a, b = self.codes
        return b if code == a else a

    def direction_from(self, giver: str) -> str:
        return f"{giver}-{self.other(giver)}"

    def reverse(self, direction: str) -> str:
        first, second = self.directions
        return second if direction == first else first

    def in_scope_words(self) -> frozenset[str]:
        """Every word that places a question inside the pair without naming a topic."""
        return frozenset([*self.words, *(w for country in self.countries for w in country.words)])

    def word_prefixes(self) -> tuple[str, ...]:
        """Prefixes of the sides' and peoples' words written with "*" ("белорус*"): any word
        they begin is a word of the pair ("белорусу", "белорусы")."""
        return tuple(
            w.removesuffix("*")
            for country in self.countries
            for w in (*country.sides, *country.people)
            if w.endswith("*") and " " not in w
        )

    def direction_text(self, direction: str, lang: str) -> str:
        """ "from Vietnam to Belarus" for "vn-by", in ``lang``."""
        giver = next(c for c in self.countries if direction.startswith(c.code + "-"))
        return giver.outward.get(lang) or giver.outward["en"]

    def texts(self, lang: str) -> dict[str, str]:
        """The values every message template may use: ``{scope}`` and ``{relations}``."""
        return {
            "scope": self.name.get(lang) or self.name["en"],
            "relations": self.relations.get(lang) or self.relations["en"],
        }
