"""Parsing a KB file that may be hostile: bounded size, bounded nesting, no aliases.

PyYAML's composer (the C one from libyaml, and the pure-Python one) builds nodes
recursively: a file of 30,000 nested brackets crashes the interpreter with a segfault, one of
5,000 raises RecursionError. Anchors and aliases let 450 bytes expand into gigabytes (a
"billion laughs" alias bomb). Neither has any use in a knowledge base.

So a file is first read in full only if it is at most ``max_bytes`` long, then its *event
stream* is scanned (libyaml's parser is iterative: the scan itself cannot recurse): every
anchor and alias is refused and the nesting depth is counted. Only a file that passed is
composed into nodes, with libyaml's speed for ordinary files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from knowledge.settings import positive_setting

KB_MAX_FILE_BYTES_ENV = "KB_MAX_FILE_BYTES"
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024  # the shipped KB is ~100 KB; 50x that is plenty
# The schema nests 5 levels (facts → fact → text → en); 32 leaves room for any sane layout
# and stays far below the ~1,000 frames where recursion would start to hurt.
MAX_DEPTH = 32

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class Refusal(Exception):
    """Why a file is not parsed: ``line`` (1-based, or None) and the reason."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def max_file_bytes(env: Mapping[str, str] | None = None) -> int:
    """$KB_MAX_FILE_BYTES (bytes) or 5 MB; a value that is not a positive number: 5 MB."""
    return positive_setting(KB_MAX_FILE_BYTES_ENV, DEFAULT_MAX_FILE_BYTES, env)


def read_bounded(path: Path, max_bytes: int) -> str:
    """The file's text, refusing it before reading when it is larger than ``max_bytes``.
    Reads at most ``max_bytes + 1`` bytes, so a file growing meanwhile is refused too."""
    size = path.stat().st_size
    if size > max_bytes:
        raise Refusal(None, f"file is {size:,} bytes, over the limit of {max_bytes:,}")
    with path.open("rb") as handle:
        raw = handle.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise Refusal(None, f"file is over the limit of {max_bytes:,} bytes")
    return raw.decode("utf-8")


def check_events(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Scan the event stream: refuse anchors, aliases and nesting deeper than ``max_depth``.
    Raises Refusal, or yaml.YAMLError for a syntax error found on the way."""
    depth = 0
    loader = _Parser(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise Refusal(_line(event), "YAML aliases (*name) are not allowed in a KB file")
            if getattr(event, "anchor", None) is not None:
                raise Refusal(_line(event), "YAML anchors (&name) are not allowed in a KB file")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise Refusal(
                        _line(event), f"nested deeper than {max_depth} levels (a KB needs 5)"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    finally:
        loader.dispose()


def _line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else None
