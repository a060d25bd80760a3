"""Reuse what an earlier build in the same process made, while its inputs are unchanged.

`mkdocs serve` rebuilds the whole site in one long-lived process after every save. With these caches an edit to one
claim re-reads one file and re-renders the pages that show it; everything else is reused as the very same objects.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_files: dict[tuple[str, Path], tuple[tuple[int, int], Any]] = {}
_made: dict[tuple[str, ...], tuple[tuple[object, ...], Any]] = {}


def from_file(kind: str, path: Path, load: Callable[[Path], T]) -> T:
    """`load(path)`, or the object it returned before if the file's size and modification time are unchanged."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _files.get((kind, path))
    if cached and cached[0] == key:
        return cached[1]
    value = load(path)
    _files[(kind, path)] = (key, value)
    return value


def made_from(key: tuple[str, ...], inputs: tuple[object, ...], make: Callable[[], T]) -> T:
    """`make()`, or what it returned before for `key` if made from these very objects (compared by identity)."""
    cached = _made.get(key)
    if cached and len(cached[0]) == len(inputs) and all(a is b for a, b in zip(cached[0], inputs, strict=True)):
        return cached[1]
    value = make()
    _made[key] = (inputs, value)
    return value
