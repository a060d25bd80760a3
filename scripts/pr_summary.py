"""Print a Markdown summary of how claims/ changed since a git revision (the pull request's job summary).

Usage: python scripts/pr_summary.py BASE    e.g. origin/main

Compares `git show BASE:claims/<id>.yaml` with the working tree (untracked claim files count as added) and lists
the claims added, removed, whose verdict changed, and otherwise edited.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from factcheck.load import FileProblems, parse_text, parse_yaml
from factcheck.model import SLUG_PATTERN

ROOT = Path.cwd()


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout


def verdict(read: Callable[[], tuple[object, object]]) -> str:
    """The `verdict:` of a claim file, read as `check` reads it (the file comes from a stranger's pull request);
    '?' when it cannot be read or is not a rating key."""
    try:
        data, _ = read()
    except FileProblems:
        return "?"
    value = data.get("verdict") if isinstance(data, dict) else None
    return value if isinstance(value, str) and re.fullmatch(SLUG_PATTERN, value) else "?"


def old_verdict(base: str, path: str) -> str:
    return verdict(lambda: parse_text(Path(path), git("show", f"{base}:{path}")))


def new_verdict(path: str) -> str:
    return verdict(lambda: parse_yaml(ROOT / path))


def summarise(base: str) -> str:
    added: list[str] = []
    removed: list[str] = []
    verdicts: list[str] = []
    edited: list[str] = []
    changes = [
        line.split("\t")
        for line in git("diff", "--no-renames", "--name-status", base, "--", "claims/").splitlines()
        if line.strip()
    ]
    changes += [["A", path] for path in git("ls-files", "--others", "--exclude-standard", "--", "claims/").split()]
    for status, path in sorted(changes, key=lambda change: change[1]):
        if not path.endswith(".yaml"):
            continue
        claim_id = Path(path).stem
        if status == "A":
            added.append(f"`{claim_id}` ({new_verdict(path)})")
        elif status == "D":
            removed.append(f"`{claim_id}` (was {old_verdict(base, path)})")
        elif (old := old_verdict(base, path)) != (new := new_verdict(path)):
            verdicts.append(f"`{claim_id}`: {old} → {new}")
        else:
            edited.append(f"`{claim_id}`")
    lines = [f"## Claim changes against `{base}`", ""]
    sections = {"Added": added, "Removed": removed, "Verdict changed": verdicts, "Otherwise edited": edited}
    if not any(sections.values()):
        lines.append("No claim files changed.")
    for title, items in sections.items():
        if items:
            lines += [f"### {title} ({len(items)})", "", *(f"- {item}" for item in items), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: pr_summary.py BASE", file=sys.stderr)
        return 2
    print(summarise(argv[0]), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
