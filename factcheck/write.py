"""Write the generated folder: only files whose bytes changed, and remove files no claim produces any more.

Unchanged files keep their bytes and modification times, so `mkdocs serve --dirty` re-renders only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.deleted} deleted"


def sync(out_dir: Path, files: dict[str, str | bytes], keep: Iterable[str] = ()) -> WriteReport:
    """Make `out_dir` hold exactly `files` (plus `keep`, which something else manages)."""
    report = WriteReport()
    for relative, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = out_dir / relative
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                report.unchanged += 1
                continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        report.written += 1
    wanted = files.keys() | set(keep)
    for path in sorted(out_dir.rglob("*"), reverse=True):  # children before their folders
        relative = path.relative_to(out_dir).as_posix()
        if path.name.startswith("."):  # work in progress (preview drawing), never a site file
            continue
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif relative not in wanted:
            path.unlink()
            report.deleted += 1
    return report
