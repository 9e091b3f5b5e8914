"""Load knowledge-base YAML files, validate them in full, and build the core types.

Every problem is reported with the file, the line and the field it concerns, and
loading either returns a complete, valid knowledge base or raises
``KnowledgeBaseError`` listing all problems found; it never returns half a KB.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import msgspec
import yaml

from knowledge.answer_kinds import figures_in, infer_answer_kinds, names_a_day
from knowledge.commands import RESERVED_COMMANDS
from knowledge.model import (
    Claim,
    Country,
    Entity,
    Fact,
    Holder,
    KnowledgeBase,
    Measure,
    Period,
    Resolution,
    Scope,
    Source,
    Topic,
)
from knowledge.normalize import fold
from knowledge.periods import PeriodError, parse_period, period_of_years, years_in
from knowledge.records import (
    ANSWER_KINDS,
    BOTH_WAYS,
    ENTITY_KINDS,
    LANGUAGES,
    CountryRecord,
    EntityRecord,
    FactRecord,
    KnowledgeFile,
    MeasureRecord,
    ScopeRecord,
    SourceRecord,
    TopicRecord,
)
from knowledge.safe_yaml import Refusal, check_events, max_file_bytes, read_bounded

PACKAGED_KB = Path(__file__).parent / "data"
KB_ENV = "DIPLOFACTS_KB"

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_COUNTRY_CODE = re.compile(r"^[a-z][a-z0-9_]*$")  # no "-": a direction is "<code>-<code>"
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_URL = re.compile(r"^https?://\S+$")
# The longest fact text, in characters, per language. A reply lists several facts, each with
# its date and citation, in one Telegram message of at most 4,096 characters; an inline card
# shows the text as its description and sends it (plus date and source) as a message. 1,000
# leaves a fact with its date, citation and source line well inside one message, and the
# longest shipped fact is under 300.
MAX_FACT_CHARS = 1000
# A fact must say when, not "last year": these phrases only make sense beside the article's date.
_RELATIVE_PHRASES = {
    "en": (
        "last year",
        "this year",
        "next year",
        "at present",
        "currently",
        "nowadays",
        "recently",
        "this month",
        "last month",
    ),
    "vi": ("năm ngoái", "năm nay", "năm trước", "hiện nay", "hiện tại", "gần đây", "tháng này"),
    "ru": (
        "в прошлом году",
        "в этом году",
        "в настоящее время",
        "сейчас",
        "недавно",
        "в текущем году",
    ),
}


# One pattern a language: a fact's text is searched once, not once a phrase.
_RELATIVE_PATTERNS = {
    lang: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")
    for lang, phrases in _RELATIVE_PHRASES.items()
}


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class KnowledgeBaseError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class _StringDatesLoader(_BaseLoader):
    """SafeLoader that keeps 2023-12-06 a string: dates are validated by our own rules."""


_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

Path_ = tuple[str | int, ...]


def _format_field(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class _ParsedFile:
    """One YAML file: its data and the line of every key and list item in it."""

    def __init__(self, path: Path, max_bytes: int | None = None) -> None:
        self.name = str(path)
        self.lines: dict[Path_, int] = {}
        self.problems: list[Problem] = []
        self.data: object = None
        try:
            text = read_bounded(path, max_file_bytes() if max_bytes is None else max_bytes)
        except Refusal as exc:
            self.problems.append(Problem(self.name, exc.line, "(file)", f"refused: {exc}"))
            return
        except (OSError, UnicodeDecodeError) as exc:
            self.problems.append(Problem(self.name, None, "(file)", f"cannot be read: {exc}"))
            return
        try:
            check_events(text)  # before composing: no aliases, no deep nesting
        except Refusal as exc:
            self.problems.append(Problem(self.name, exc.line, "(syntax)", f"refused: {exc}"))
            return
        except yaml.YAMLError as exc:
            self._syntax_problem(exc)
            return
        loader = _StringDatesLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return
            self._index(node, ())
            self.data = loader.construct_document(node)
        except yaml.YAMLError as exc:
            self._syntax_problem(exc)
        finally:
            loader.dispose()

    def _syntax_problem(self, exc: yaml.YAMLError) -> None:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        self.problems.append(Problem(self.name, line, "(syntax)", f"invalid YAML: {problem}"))

    def _index(self, node: yaml.Node, path: Path_) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                name = str(key.value)
                if name in seen:
                    self.problems.append(
                        Problem(
                            self.name,
                            key.start_mark.line + 1,
                            _format_field(path + (name,)),
                            "duplicate key",
                        )
                    )
                seen.add(name)
                self.lines[path + (name,)] = key.start_mark.line + 1
                self._index(value, path + (name,))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, path + (i,))

    def line_of(self, path: Path_) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def problem(self, path: Path_, message: str) -> Problem:
        return Problem(self.name, self.line_of(path), _format_field(path), message)


_MSGSPEC_PATH = re.compile(r"^(?P<msg>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
_UNKNOWN_FIELD = re.compile(r"unknown field `([^`]+)`")


def _schema_problem(parsed: _ParsedFile, error: msgspec.ValidationError) -> Problem:
    m = _MSGSPEC_PATH.match(str(error))
    message, raw_path = (m["msg"], m["path"] or "") if m else (str(error), "")
    path: list[str | int] = [
        name if name else int(index) for name, index in _PATH_PART.findall(raw_path)
    ]
    unknown = _UNKNOWN_FIELD.search(message)
    if unknown:
        path.append(unknown[1])
        message = "unknown key (not part of the schema)"
    elif message.startswith("Object missing required field"):
        missing = re.search(r"`([^`]+)`", message)
        if missing:
            path.append(missing[1])
            message = "required field is missing"
    return parsed.problem(tuple(path), message)


def _aimed_at(answers: frozenset[str], text: str, when: Period) -> Period | None:
    """The later years a plan or forecast names; None for what happened."""
    if "plan" not in answers:
        return None
    return period_of_years([y for y in years_in(text) if y > when.end.year])


def kb_directory(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The KB directory: an explicit one, else $DIPLOFACTS_KB, else the packaged data."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(KB_ENV, "").strip()
    return Path(from_env) if from_env else PACKAGED_KB


def kb_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_knowledge_base(directory: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Load and validate every YAML file of a KB directory; raise KnowledgeBaseError if invalid."""
    root = kb_directory(directory)
    if not root.is_dir():
        raise KnowledgeBaseError([Problem(str(root), None, "(directory)", "is not a directory")])
    files = kb_files(root)
    if not files:
        raise KnowledgeBaseError([Problem(str(root), None, "(directory)", "has no .yaml files")])
    return build_knowledge_base(files, origin=str(root))


def build_knowledge_base(files: Iterable[Path], origin: str = "") -> KnowledgeBase:
    problems: list[Problem] = []
    placed: list[tuple[_ParsedFile, KnowledgeFile]] = []
    for path in files:
        parsed = _ParsedFile(path)
        problems.extend(parsed.problems)
        if parsed.problems:
            continue
        if parsed.data is None:
            continue
        if not isinstance(parsed.data, dict):
            problems.append(
                parsed.problem((), "a KB file must be a mapping of sources/topics/facts")
            )
            continue
        try:
            placed.append((parsed, msgspec.convert(parsed.data, KnowledgeFile)))
        except msgspec.ValidationError as exc:
            problems.append(_schema_problem(parsed, exc))
    checker = _Checker(placed)
    if checker.scope is None and not problems:
        where = placed[0][0].name if placed else origin or "(knowledge base)"
        problems.append(
            Problem(where, None, "scope", "no file of the KB gives its scope (the country pair)")
        )
    problems.extend(checker.problems)
    if problems or checker.scope is None:
        raise KnowledgeBaseError(problems)
    return KnowledgeBase(
        scope=checker.scope,
        sources=checker.sources,
        topics=checker.topics,
        facts=tuple(checker.facts),
        origin=origin,
        entities=checker.entities,
        measures=checker.measures,
    )


class _Checker:
    """Cross-record rules: unique ids, references that exist, dates that parse, all languages."""

    def __init__(self, placed: list[tuple[_ParsedFile, KnowledgeFile]]) -> None:
        self.problems: list[Problem] = []
        self.sources: dict[str, Source] = {}
        self.topics: dict[str, Topic] = {}
        self.facts: list[Fact] = []
        self.entities: dict[str, Entity] = {}
        self.measures: dict[str, Measure] = {}
        self._placed_facts: dict[str, tuple[_ParsedFile, Path_]] = {}
        self.scope: Scope | None = None
        self._scope(placed)
        fact_ids: set[str] = set()
        commands: dict[str, str] = {}
        for parsed, kf in placed:
            for i, record in enumerate(kf.sources):
                self._source(parsed, ("sources", i), record)
            for i, record in enumerate(kf.topics):
                self._topic(parsed, ("topics", i), record, commands)
            for i, record in enumerate(kf.measures):
                self._measure(parsed, ("measures", i), record)
        for parsed, kf in placed:
            for i, record in enumerate(kf.entities):
                self._entity(parsed, ("entities", i), record)
        for parsed, kf in placed:
            for i, record in enumerate(kf.entities):
                self._entity_holders(parsed, ("entities", i), record)
        for parsed, kf in placed:
            for i, record in enumerate(kf.facts):
                path = ("facts", i)
                if record.id in fact_ids:
                    self._add(parsed, path + ("id",), f"duplicate fact id {record.id!r}")
                fact_ids.add(record.id)
                self._fact(parsed, path, record)
                if self.facts and self.facts[-1].id == record.id:
                    self._placed_facts[record.id] = (parsed, path)
        self._check_disagreements()

    def _add(self, parsed: _ParsedFile, path: Path_, message: str) -> None:
        self.problems.append(parsed.problem(path, message))

    def _check_id(self, parsed: _ParsedFile, path: Path_, value: str) -> None:
        if not _ID.match(value):
            self._add(parsed, path, f"{value!r} is not a valid id (lowercase letters, digits, -_.)")

    def _texts(self, parsed: _ParsedFile, path: Path_, texts: object) -> dict[str, str]:
        out: dict[str, str] = {}
        for lang in LANGUAGES:
            value = getattr(texts, lang)
            if value is None or not value.strip():
                self._add(parsed, path + (lang,), f"the {lang} text is missing or empty")
                continue
            out[lang] = value.strip()
        return out

    def _scope(self, placed: list[tuple[_ParsedFile, KnowledgeFile]]) -> None:
        """Exactly one file names the country pair; every other record is checked against it."""
        given = [(parsed, kf.scope) for parsed, kf in placed if kf.scope is not None]
        if not given:
            return  # said by build_knowledge_base, unless a file could not be read at all
        for parsed, _ in given[1:]:
            self._add(parsed, ("scope",), f"the scope is already given in {given[0][0].name}")
        parsed, record = given[0]
        self.scope = self._scope_record(parsed, ("scope",), record)

    def _scope_record(self, parsed: _ParsedFile, path: Path_, record: ScopeRecord) -> Scope:
        if len(record.countries) != 2:
            self._add(parsed, path + ("countries",), "the scope is a pair: exactly two countries")
        countries = [
            self._country(parsed, path + ("countries", i), c)
            for i, c in enumerate(record.countries)
        ]
        codes = [c.code for c in countries]
        if len(set(codes)) != len(codes):
            self._add(parsed, path + ("countries",), f"the two countries share a code {codes}")
        self._folded_words(parsed, path + ("words",), record.words, phrases=False)
        fallback = Country("", {}, {}, (), ())
        pair = (*countries, fallback, fallback)[:2]
        return Scope(
            name=self._texts(parsed, path + ("name",), record.name),
            relations=self._texts(parsed, path + ("relations",), record.relations),
            countries=(pair[0], pair[1]),
            words=tuple(record.words),
        )

    def _country(self, parsed: _ParsedFile, path: Path_, record: CountryRecord) -> Country:
        if not _COUNTRY_CODE.match(record.code):
            self._add(
                parsed, path + ("code",), f"{record.code!r} is not a code (a-z, 0-9, _; no '-')"
            )
        for name, words, phrases in (
            ("words", record.words, False),
            ("sides", record.sides, True),
            ("people", record.people, True),
        ):
            self._folded_words(parsed, path + (name,), words, phrases)
        for name in ("words", "sides"):
            if not getattr(record, name):
                self._add(parsed, path + (name,), "needs at least one word")
        return Country(
            code=record.code,
            name=self._texts(parsed, path + ("name",), record.name),
            outward=self._texts(parsed, path + ("outward",), record.outward),
            words=tuple(record.words),
            sides=tuple(record.sides),
            people=tuple(record.people),
        )

    def _folded_words(
        self, parsed: _ParsedFile, path: Path_, words: list[str], phrases: bool
    ) -> None:
        """Scope words are compared with folded text, so they must be written folded."""
        for j, word in enumerate(words):
            bare = word.removesuffix("*") if phrases else word
            if not bare or fold(bare) != bare or (not phrases and " " in bare):
                what = "a folded word or phrase" if phrases else "one folded word"
                self._add(parsed, path + (j,), f"{word!r} is not {what} (lower case, no marks)")

    def _source(self, parsed: _ParsedFile, path: Path_, record: SourceRecord) -> None:
        self._check_id(parsed, path + ("id",), record.id)
        if record.id in self.sources:
            self._add(parsed, path + ("id",), f"duplicate source id {record.id!r}")
        try:
            published = parse_period(record.date)
        except PeriodError as exc:
            self._add(parsed, path + ("date",), str(exc))
            return
        if record.url is not None and not _URL.match(record.url):
            self._add(parsed, path + ("url",), f"{record.url!r} is not an http(s) URL")
        for name in ("file", "note"):
            value = getattr(record, name)
            if value is not None and ("/" in value or not value.strip()):
                self._add(parsed, path + (name,), "must be a bare file name in the sources folder")
        if record.file is None and record.note is None:
            self._add(parsed, path + ("file",), "a source needs its text (file) or its note")
        for j, res in enumerate(record.resolutions):
            try:
                parse_period(res.resolved)
            except PeriodError as exc:
                self._add(parsed, path + ("resolutions", j, "resolved"), str(exc))
        self.sources[record.id] = Source(
            id=record.id,
            publisher=record.publisher.strip(),
            title=record.title.strip(),
            date=published,
            date_basis=record.date_basis.strip(),
            file=record.file.strip() if record.file else None,
            note=record.note.strip() if record.note else None,
            language=record.language,
            url=record.url,
            resolutions=tuple(
                Resolution(r.phrase, r.resolved, r.reason) for r in record.resolutions
            ),
        )

    def _topic(
        self, parsed: _ParsedFile, path: Path_, record: TopicRecord, commands: dict[str, str]
    ) -> None:
        self._check_id(parsed, path + ("id",), record.id)
        if record.id in self.topics:
            self._add(parsed, path + ("id",), f"duplicate topic id {record.id!r}")
        if not _COMMAND.match(record.command):
            self._add(
                parsed,
                path + ("command",),
                f"{record.command!r} is not a Telegram command (a-z, 0-9, _; at most 32)",
            )
        elif record.command in RESERVED_COMMANDS:
            self._add(
                parsed,
                path + ("command",),
                f"command /{record.command} is a built-in command of the bot; "
                "the topic would never answer",
            )
        elif record.command in commands:
            self._add(
                parsed,
                path + ("command",),
                f"command /{record.command} is already used by topic {commands[record.command]!r}",
            )
        commands.setdefault(record.command, record.id)
        aliases = {
            lang: tuple(a.strip() for a in getattr(record.aliases, lang) if a.strip())
            for lang in LANGUAGES
        }
        for lang in LANGUAGES:
            if not aliases[lang]:
                self._add(parsed, path + ("aliases", lang), "needs at least one alias")
        self.topics[record.id] = Topic(
            id=record.id,
            command=record.command,
            label=self._texts(parsed, path + ("label",), record.label),
            description=self._texts(parsed, path + ("description",), record.description),
            aliases=aliases,
            main=record.main,
            broad=record.broad,
        )

    def _fact(self, parsed: _ParsedFile, path: Path_, record: FactRecord) -> None:
        self._check_id(parsed, path + ("id",), record.id)
        if record.source not in self.sources:
            self._add(parsed, path + ("source",), f"unknown source {record.source!r}")
        if not record.topics:
            self._add(parsed, path + ("topics",), "a fact needs at least one topic")
        for j, topic in enumerate(record.topics):
            if topic not in self.topics:
                self._add(parsed, path + ("topics", j), f"unknown topic {topic!r}")
        try:
            when = parse_period(record.when)
        except PeriodError as exc:
            self._add(parsed, path + ("when",), str(exc))
            return
        texts = self._texts(parsed, path + ("text",), record.text)
        for lang, text in texts.items():
            if len(text) > MAX_FACT_CHARS:
                self._add(
                    parsed,
                    path + ("text", lang),
                    f"{len(text):,} characters, over the limit of {MAX_FACT_CHARS:,} "
                    "(a fact must fit one message with its date and source)",
                )
            for found in _RELATIVE_PATTERNS[lang].finditer(text.lower()):
                self._add(
                    parsed,
                    path + ("text", lang),
                    f"relative phrase {found.group(0)!r}: write the absolute date instead",
                )
        for j, entity in enumerate(record.entities):
            if entity not in self.entities:
                self._add(parsed, path + ("entities", j), f"unknown entity {entity!r}")
        for j, kind in enumerate(record.answers):
            if kind not in ANSWER_KINDS:
                self._add(parsed, path + ("answers", j), f"{kind!r} is not one of {ANSWER_KINDS}")
        # without a scope (its own problem) a direction cannot be checked
        directions = (*self.scope.directions, BOTH_WAYS) if self.scope else ()
        if record.direction is not None and self.scope and record.direction not in directions:
            self._add(
                parsed, path + ("direction",), f"{record.direction!r} is not one of {directions}"
            )
        claim = self._claim(parsed, path + ("claim",), record)
        answers = frozenset(record.answers) or infer_answer_kinds(
            texts.get("en", ""), [self.entities[e] for e in record.entities if e in self.entities]
        )
        if claim is not None:
            answers |= {"date"}  # a figure's period answers "for what period", "when"
        self.facts.append(
            Fact(
                id=record.id,
                topics=tuple(record.topics),
                when=when,
                source=record.source,
                text=texts,
                resolved_from=record.resolved_from,
                entities=tuple(record.entities),
                answers=answers,
                direction=record.direction,
                claim=claim,
                names_day=names_a_day(texts.get("en", "")),
                figures=figures_in(texts.get("en", "")),
                aims_at=_aimed_at(answers, texts.get("en", ""), when),
                people=self._linked(record.entities, "person"),
                places=self._linked(record.entities, "place"),
                organisations=self._linked(record.entities, "organisation"),
            )
        )

    def _linked(self, entities: list[str], kind: str) -> tuple[str, ...]:
        """The entities a fact links that are of this kind, in the fact's order."""
        return tuple(e for e in entities if e in self.entities and self.entities[e].kind == kind)

    def _check_disagreements(self) -> None:
        """Facts stating different values for one measure and period must be marked as a
        disagreement, or an answer could silently pick one of them."""
        by_key: dict[tuple[str, str], list[Fact]] = {}
        for fact in self.facts:
            if fact.claim is not None:
                key = (fact.claim.measure, fact.claim.period.text)
                by_key.setdefault(key, []).append(fact)
        for (measure, period), facts in by_key.items():
            values = {(f.claim.value, f.claim.qualifier) for f in facts if f.claim}
            if len(values) < 2:
                continue
            for fact in facts:
                if fact.claim and not fact.claim.disputed:
                    others = ", ".join(f.id for f in facts if f is not fact)
                    parsed, path = self._placed_facts[fact.id]
                    self._add(
                        parsed,
                        path + ("claim", "disputed"),
                        f"states {fact.claim.value:g} for {measure} {period}, other facts "
                        f"({others}) state other values: mark every one `disputed: true`",
                    )

    def _claim(self, parsed: _ParsedFile, path: Path_, record: FactRecord) -> Claim | None:
        raw = record.claim
        if raw is None:
            return None
        if raw.measure not in self.measures:
            self._add(parsed, path + ("measure",), f"unknown measure {raw.measure!r}")
        try:
            period = parse_period(raw.period)
        except PeriodError as exc:
            self._add(parsed, path + ("period",), str(exc))
            return None
        by = self._texts(parsed, path + ("by",), raw.by) if raw.by is not None else None
        return Claim(raw.measure, period, raw.value, by, raw.qualifier, raw.disputed)

    def _measure(self, parsed: _ParsedFile, path: Path_, record: MeasureRecord) -> None:
        self._check_id(parsed, path + ("id",), record.id)
        if record.id in self.measures:
            self._add(parsed, path + ("id",), f"duplicate measure id {record.id!r}")
        self.measures[record.id] = Measure(
            id=record.id,
            label=self._texts(parsed, path + ("label",), record.label),
            unit=self._texts(parsed, path + ("unit",), record.unit),
        )

    def _entity(self, parsed: _ParsedFile, path: Path_, record: EntityRecord) -> None:
        self._check_id(parsed, path + ("id",), record.id)
        if record.id in self.entities:
            self._add(parsed, path + ("id",), f"duplicate entity id {record.id!r}")
        if record.kind not in ENTITY_KINDS:
            self._add(parsed, path + ("kind",), f"{record.kind!r} is not one of {ENTITY_KINDS}")
        codes = self.scope.codes if self.scope else ()
        if record.country is not None and self.scope and record.country not in codes:
            self._add(
                parsed, path + ("country",), f"{record.country!r} is not one of the scope's {codes}"
            )
        names = {
            lang: tuple(n.strip() for n in getattr(record.names, lang) if n.strip())
            for lang in LANGUAGES
        }
        if not any(names.values()):
            self._add(parsed, path + ("names",), "an entity needs at least one name")
        self.entities[record.id] = Entity(
            id=record.id,
            kind=record.kind,
            label=self._texts(parsed, path + ("label",), record.label),
            names=names,
            country=record.country,
        )

    def _entity_holders(self, parsed: _ParsedFile, path: Path_, record: EntityRecord) -> None:
        holders: list[Holder] = []
        for j, holder in enumerate(record.holders):
            where = path + ("holders", j)
            if holder.entity not in self.entities:
                self._add(parsed, where + ("entity",), f"unknown entity {holder.entity!r}")
            if holder.source not in self.sources:
                self._add(parsed, where + ("source",), f"unknown source {holder.source!r}")
            try:
                holders.append(Holder(holder.entity, parse_period(holder.when), holder.source))
            except PeriodError as exc:
                self._add(parsed, where + ("when",), str(exc))
        entity = self.entities.get(record.id)
        if entity is not None and holders:
            self.entities[record.id] = dataclasses.replace(entity, holders=tuple(holders))
