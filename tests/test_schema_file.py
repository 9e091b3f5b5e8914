"""The published JSON Schema matches the code and accepts the shipped KB files."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from knowledge.loader import _StringDatesLoader

ROOT = Path(__file__).resolve().parent.parent


def test_published_schema_is_current():
    published = (ROOT / "knowledge" / "kb.schema.json").read_text(encoding="utf-8")
    sys.path.insert(0, str(ROOT / "tools"))
    from make_schema import render

    assert published == render(), "run: python tools/make_schema.py"


def test_shipped_kb_files_are_valid_against_the_schema():
    schema = json.loads((ROOT / "knowledge" / "kb.schema.json").read_text(encoding="utf-8"))
    defs = schema["$defs"]

    def validate(value, spec, where):
        # Enough of JSON Schema for what msgspec emits: $ref, object, array, string, anyOf.
        if "$ref" in spec:
            return validate(value, defs[spec["$ref"].split("/")[-1]], where)
        if "anyOf" in spec:
            errors = [validate(value, s, where) for s in spec["anyOf"]]
            return None if any(e is None for e in errors) else errors[0]
        kind = spec.get("type")
        if kind == "object":
            if not isinstance(value, dict):
                return f"{where}: not an object"
            for key in spec.get("required", []):
                if key not in value:
                    return f"{where}: missing {key}"
            for key, item in value.items():
                if key not in spec["properties"]:
                    return f"{where}: unknown {key}"
                error = validate(item, spec["properties"][key], f"{where}.{key}")
                if error:
                    return error
        elif kind == "array":
            for i, item in enumerate(value):
                error = validate(item, spec["items"], f"{where}[{i}]")
                if error:
                    return error
        elif kind == "string" and not isinstance(value, str):
            return f"{where}: not a string"
        elif kind == "boolean" and not isinstance(value, bool):
            return f"{where}: not a boolean"
        return None

    files = sorted((ROOT / "knowledge" / "data").glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDatesLoader)
        assert validate(data, schema, path.name) is None

    bad = {"facts": [{"id": "x", "colour": "red"}]}
    assert validate(bad, schema, "bad") is not None
