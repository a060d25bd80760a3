"""Reuse what an earlier build in the same process made, while its inputs are unchanged.

`mkdocs serve` rebuilds the whole site in one long-lived process after every save. With these caches an edit to one
claim re-reads one file and re-renders the pages that show it; everything else is reused as the very same objects.
The batch forms let a cold build hand everything missing to worker processes at once (see parallel.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Key = tuple[str, ...]
_files: dict[tuple[str, Path], tuple[tuple[int, int], Any]] = {}
_made: dict[Key, tuple[tuple[object, ...], Any]] = {}


def from_file(kind: str, path: Path, load: Callable[[Path], T]) -> T:
    """`load(path)`, or the object it returned before if the file's size and modification time are unchanged."""
    return from_files(kind, [path], lambda missing: [load(p) for p in missing])[0]


def from_files(kind: str, paths: Sequence[Path], load: Callable[[list[Path]], list[T]]) -> list[T]:
    """One value per path, as `from_file`; `load` gets every path not cached and returns their values in order."""
    values: list[Any] = [None] * len(paths)
    missing: list[tuple[int, tuple[int, int]]] = []
    for index, path in enumerate(paths):
        stat = path.stat()  # before reading: an edit made meanwhile is read next time
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _files.get((kind, path))
        if cached and cached[0] == key:
            values[index] = cached[1]
        else:
            missing.append((index, key))
    for (index, key), value in zip(missing, load([paths[i] for i, _ in missing]), strict=True):
        _files[(kind, paths[index])] = (key, value)
        values[index] = value
    return values


def made_from(key: Key, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
    """`make()`, or what it returned before for `key` if made from these very objects (compared by identity)."""
    values, missing = lookup_made([(key, inputs)])
    if missing:
        remember_made([(key, inputs)], missing, [make()], values)
    return values[0]


def lookup_made(wanted: Sequence[tuple[Key, tuple[object, ...]]]) -> tuple[list[Any], list[int]]:
    """What was made before for each (key, inputs), None where nothing was; and the positions of those."""
    values: list[Any] = [None] * len(wanted)
    missing = []
    for index, (key, inputs) in enumerate(wanted):
        cached = _made.get(key)
        if cached and len(cached[0]) == len(inputs) and all(a is b for a, b in zip(cached[0], inputs, strict=True)):
            values[index] = cached[1]
        else:
            missing.append(index)
    return values, missing


def remember_made(
    wanted: Sequence[tuple[Key, tuple[object, ...]]], positions: list[int], made: list[Any], values: list[Any]
) -> None:
    """Keep what was made for the (key, inputs) at `positions`, and fill it into `values`."""
    for index, value in zip(positions, made, strict=True):
        _made[wanted[index][0]] = (wanted[index][1], value)
        values[index] = value
