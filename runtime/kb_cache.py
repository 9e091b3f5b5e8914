"""A built knowledge base kept on disk between command-line runs: a cold ``bot.py ask``
skips parsing, validating and indexing the KB when neither its files nor the code that
reads them changed.

The cache is keyed by the bytes of every KB file, of the ``knowledge`` package's code and
data, and of the settings that change loading, so an edited file is always loaded (and
validated) again. It lives in ``$DIPLOFACTS_CACHE`` (``off`` turns it off), else
``$XDG_CACHE_HOME/diplofacts``, else ``~/.cache/diplofacts``. A cache file is only read when
it belongs to this user and nobody else may write it (it is a pickle); one that cannot be
read is rebuilt, and one that cannot be written is simply not kept.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path

from knowledge.loader import kb_directory, kb_files, load_knowledge_base
from knowledge.matcher import index_for
from knowledge.model import KnowledgeBase
from knowledge.safe_yaml import KB_MAX_FILE_BYTES_ENV

CACHE_ENV = "DIPLOFACTS_CACHE"
KNOWLEDGE_CODE = Path(__file__).resolve().parent.parent / "knowledge"
FORMAT = b"diplofacts-kb-cache-1"


def cache_directory(env: dict[str, str] | None = None) -> Path | None:
    """Where cached KBs go; None when the cache is off."""
    env = dict(os.environ) if env is None else env
    chosen = env.get(CACHE_ENV, "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    base = env.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "diplofacts"


def cache_key(kb_dir: Path) -> str:
    digest = hashlib.sha256(FORMAT)
    # the core's code and the data it ships beside it (countries.json, other_subjects.yaml)
    code = [p for ext in ("py", "json", "yaml") for p in sorted(KNOWLEDGE_CODE.glob(f"*.{ext}"))]
    for path in [*kb_files(kb_dir), *code]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(os.environ.get(KB_MAX_FILE_BYTES_ENV, "").encode())
    return digest.hexdigest()


def load_cached_knowledge_base(env: dict[str, str] | None = None) -> KnowledgeBase:
    """The KB of ``kb_directory()``, indexed, from the cache when it is there; raises
    KnowledgeBaseError like ``load_knowledge_base`` (an invalid KB is never cached)."""
    directory = cache_directory(env)
    root = kb_directory()
    if directory is None or not root.is_dir():
        return _indexed(load_knowledge_base())
    try:
        path = directory / f"kb-{cache_key(root)[:40]}.pickle"
    except OSError:
        return _indexed(load_knowledge_base())
    cached = _read(path)
    if cached is not None:
        return cached
    kb = _indexed(load_knowledge_base())
    _write(directory, path, kb)
    return kb


def _indexed(kb: KnowledgeBase) -> KnowledgeBase:
    index_for(kb)  # built now, so that it is kept with the KB
    return kb


def _read(path: Path) -> KnowledgeBase | None:
    try:
        info = path.stat()
        if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return None  # someone else could have written it: never unpickle it
        kb = pickle.loads(path.read_bytes())
    except Exception:  # missing, unreadable or from another version: build it again
        return None
    return kb if isinstance(kb, KnowledgeBase) and kb.index is not None else None


def _write(directory: Path, path: Path, kb: KnowledgeBase) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".kb-", delete=False) as out:
            out.write(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
        os.chmod(out.name, 0o600)
        os.replace(out.name, path)
        for old in directory.glob("kb-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home: the next run builds the KB again
