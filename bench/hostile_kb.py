"""``bot.py check`` on hostile KB files: exit code, wall time and peak memory of each.

    python bench/hostile_kb.py                 # this checkout
    python bench/hostile_kb.py --root OLD_TREE # another checkout (e.g. before a fix)

Each case is the shipped KB plus one hostile file, checked in a subprocess with a 4 GB
address-space cap and a 300 s timeout (a crash or a memory blow-up stays in the child).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
CAP_BYTES = 4 * 1024**3

BOMB = "a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def cases() -> dict[str, str]:
    item = '  - "' + "x" * 93 + '"\n'
    return {
        "nested brackets, depth 30,000 (60 KB)": "facts: " + "[" * 30_000 + "]" * 30_000,
        "nested brackets, depth 5,000": "facts: " + "[" * 5_000 + "]" * 5_000,
        "nested mappings, depth 900": "facts:\n" + "".join(" " * i + "k:\n" for i in range(1, 900)),
        f"alias bomb, {len(BOMB)} bytes": BOMB,
        "50 MB file (a list of strings)": "notes:\n" + item * (50 * 1024 * 1024 // len(item)),
    }


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))


def measure(root: Path, name: str, content: str) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp)
        for path in (root / "knowledge" / "data").glob("*.yaml"):
            shutil.copy(path, kb / path.name)
        (kb / "hostile.yaml").write_text(content, encoding="utf-8")
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, str(root / "bot.py"), "check"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={"PATH": "/usr/bin:/bin", "DIPLOFACTS_KB": str(kb)},
            cwd=root,
            preexec_fn=_cap,
        )
        assert proc.stderr is not None
        stderr = proc.stderr.read().decode("utf-8", "replace")
        _, status, usage = os_wait4(proc.pid)
        took = time.monotonic() - started
        code = -(status & 0x7F) if status & 0x7F else status >> 8
    last = (stderr.strip().splitlines() or [""])[-1].strip()[-120:]
    return {
        "case": name,
        "exit": code,
        "seconds": round(took, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "last_line": last.replace(str(kb), "KB"),
    }


def os_wait4(pid: int):
    import os

    return os.wait4(pid, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=HERE, help="the checkout to measure")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    for name, content in cases().items():
        row = measure(args.root.resolve(), name, content)
        if args.json:
            print(json.dumps(row, ensure_ascii=False), flush=True)
        else:
            print(
                f"{row['case']:<38} exit {row['exit']!s:>4} {row['seconds']:7.2f} s "
                f"peak {row['peak_rss_mb']:7.1f} MB  {row['last_line']}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
