"""Write knowledge/kb.schema.json, the JSON Schema of a KB file, from knowledge/records.py.

Editors (e.g. VS Code's YAML extension) can validate KB files with it:
``# yaml-language-server: $schema=../kb.schema.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import msgspec

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.records import KnowledgeFile  # noqa: E402

SCHEMA_FILE = ROOT / "knowledge" / "kb.schema.json"


def schema() -> dict:
    out = msgspec.json.schema(KnowledgeFile)
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = "diplofacts knowledge-base file"
    defs = out["$defs"]
    for struct in defs.values():
        struct["additionalProperties"] = False
    period = {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}(-\d{2}(-\d{2})?)?)?$",
    }
    defs["FactRecord"]["properties"]["when"] = period
    defs["SourceRecord"]["properties"]["date"] = period
    defs["TopicRecord"]["properties"]["command"] = {
        "type": "string",
        "pattern": "^[a-z0-9_]{1,32}$",
    }
    return out


def render() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_FILE.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
