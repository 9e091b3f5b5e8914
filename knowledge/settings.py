"""Positive-number settings read from the environment, with a default for anything else."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TypeVar

N = TypeVar("N", int, float)


def positive_setting(name: str, default: N, env: Mapping[str, str] | None = None) -> N:
    """$``name`` as a number of ``default``'s type; unset, unreadable or not above 0: default."""
    raw = (os.environ if env is None else env).get(name, "").strip()
    try:
        value = type(default)(raw)
    except ValueError:
        return default
    return value if value > 0 else default
