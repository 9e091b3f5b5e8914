"""Sum up the stacks bench/profiling/sitecustomize.py sampled (``bench/soak.py --profile``):
the share of CPU samples by package (the innermost frame's), and the functions with the
largest inclusive share (the function anywhere on the stack).

    python bench/profile_report.py /tmp/bot.stacks [/tmp/bot.echo.stacks] [--top 40]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path


def read_stacks(path: Path) -> Counter[tuple[str, ...]]:
    stacks: Counter[tuple[str, ...]] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        stack, _, count = line.rpartition(" ")
        stacks[tuple(stack.split(";"))] += int(count)
    return stacks


def package(frame: str) -> str:
    """A frame's package: the first folder under site-packages, ours by top folder, or
    the stdlib module."""
    file = frame.rsplit(":", 1)[0]
    if "site-packages/" in file:
        return file.split("site-packages/")[1].split("/")[0]
    found = re.search(r"/(knowledge|handlers|runtime|cli|bench|tests)/", file)
    if found:
        return f"ours: {found.group(1)}"
    return "stdlib: " + file.rsplit("/", 1)[-1]


def short(frame: str) -> str:
    file, _, name = frame.rpartition(":")
    for marker in ("site-packages/", "/work/", "python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
    return f"{file}:{name}"


def report(path: Path, top: int) -> None:
    stacks = read_stacks(path)
    total = sum(stacks.values())
    by_package: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    for stack, count in stacks.items():
        by_package[package(stack[-1])] += count
        for frame in set(stack):
            inclusive[frame] += count
    print(f"{path}: {total} samples (one per tick of the process's CPU-time timer)")
    print("  self, by package:")
    for name, count in by_package.most_common(15):
        print(f"    {count / total:6.1%}  {name}")
    print("  inclusive, by function:")
    for frame, count in inclusive.most_common(top):
        print(f"    {count / total:6.1%}  {short(frame)}")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# gc"):
            print(f"  {line[2:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", type=Path, nargs="+")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    for path in args.files:
        report(path, args.top)


if __name__ == "__main__":
    main()
