"""Write the generated folder: only files whose bytes changed, and remove files no claim produces any more.

Unchanged files keep their bytes and modification times, so `mkdocs serve --dirty` re-renders only what changed.
The folder is checked first: it must lie inside the repository, hold no claim or data files, and contain no
symbolic link, so that a build never writes or deletes anything outside its own folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factcheck import reuse

CLEAN_HINT = "the folder is generated: delete it (`make clean`) and build again"


class UnsafeOutput(Exception):
    """The generated folder is not safe to write into; nothing was written."""


@dataclass
class WriteReport:
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    changed: set[str] = field(default_factory=set)  # the files written or deleted, relative to the folder

    def __str__(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.deleted} deleted"

    def __add__(self, other: WriteReport) -> WriteReport:
        """Two folders' counts as one (`changed` names files relative to one folder: it is not added)."""
        return WriteReport(self.written + other.written, self.unchanged + other.unchanged, self.deleted + other.deleted)


def sync(
    out_dir: Path,
    files: Iterable[tuple[str, str | bytes]],
    keep: Iterable[str] = (),
    *,
    root: Path,
    protected: Iterable[Path],
    existing: set[str] | None = None,
    remember: bool = True,
) -> WriteReport:
    """Make `out_dir` hold exactly `files`, (path, content) pairs written as they come (plus `keep`, which something
    else manages). `out_dir` must be inside `root` and must not hold any of the `protected` paths (claim files, data
    files). `existing` is what files_in_safe_folder found there, when the caller has just called it. With
    `remember`, what each file holds is kept, for the next build in this process to compare with (see reuse)."""
    if existing is None:
        existing = files_in_safe_folder(out_dir, root, protected)
    report, wanted = WriteReport(), set(keep)
    for relative, content in files:
        wanted.add(relative)
        if relative in existing and reuse.still_on_disk(f"{out_dir}/{relative}", content):  # as last written or read
            report.unchanged += 1
            continue
        path = out_dir / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if relative in existing and path.stat().st_size == len(data) and path.read_bytes() == data:
            if remember:
                reuse.remember_on_disk(f"{out_dir}/{relative}", content)
            report.unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if remember:
            reuse.remember_on_disk(f"{out_dir}/{relative}", content)
        report.written += 1
        report.changed.add(relative)
    for relative in sorted(existing - wanted):
        (out_dir / relative).unlink()
        report.deleted += 1
        report.changed.add(relative)
    if report.deleted:  # only a deletion empties a folder
        _remove_empty_folders(out_dir)
    return report


def files_in_safe_folder(out_dir: Path, root: Path, protected: Iterable[Path]) -> set[str]:
    """The files in `out_dir` (relative, POSIX), after checking that writing and deleting there is safe; hidden
    files (work in progress) are left out. Raises UnsafeOutput otherwise."""
    root, out_dir = _absolute(root), _absolute(out_dir)
    if out_dir == root or not out_dir.is_relative_to(root):
        raise UnsafeOutput(f"{out_dir}: the generated folder must be inside {root}. Hint: set docs_dir in mkdocs.yml")
    for path in protected:
        if _absolute(path).is_relative_to(out_dir):
            raise UnsafeOutput(
                f"{out_dir}: the generated folder would hold {path}, and a build deletes every file in it that it did "
                "not generate. Hint: set docs_dir in mkdocs.yml to a folder of its own, such as docs"
            )
    folder = root
    for part in out_dir.relative_to(root).parts:  # no link on the way there
        folder = folder / part
        if folder.is_symlink():
            raise UnsafeOutput(f"{folder}: is a symbolic link; a build never writes through links. Hint: {CLEAN_HINT}")
    return _walk(out_dir) if out_dir.exists() else set()


def _walk(out_dir: Path) -> set[str]:
    found: set[str] = set()
    folders = [("", out_dir)]  # each folder's path relative to out_dir (POSIX, ending with "/"), and where it is
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise UnsafeOutput(
                        f"{entry.path}: is a symbolic link; a build never writes through links. Hint: {CLEAN_HINT}"
                    )
                if entry.name.startswith("."):  # work in progress (preview drawing), never a site file
                    continue
                if entry.is_dir():
                    folders.append((f"{prefix}{entry.name}/", Path(entry.path)))
                else:
                    found.add(prefix + entry.name)  # not pathlib: a tenth of a preview rebuild at 10,000 claims
    return found


def _remove_empty_folders(out_dir: Path) -> None:
    for folder, _, _ in os.walk(out_dir, topdown=False):  # children before their parents
        path = Path(folder)
        if path != out_dir and not any(path.iterdir()):
            path.rmdir()


def _absolute(path: Path) -> Path:
    """An absolute path with `..` resolved by name, not by following links (a link must be seen, not followed)."""
    return Path(os.path.normpath(path.absolute()))
