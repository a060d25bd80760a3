"""Reuse what an earlier build in the same process made, while what it was made from is unchanged.

`mkdocs serve` rebuilds the whole site in one long-lived process after every save. With these caches an edit to one
claim re-reads one file and re-renders the pages that show it. Nothing is keyed on object identity: a file's value
is reused while the file's size and modification time and the values it was read with are the same; a rendered
piece while the values it was made from compare equal and the build's *generation* is the same. A generation is
everything else a rendering depends on (templates, includes, macros, data files, the site's settings): a change to
any of them starts a new one, which forgets everything rendered before. A generated file is not read back to compare
while it holds what this process last wrote or read there: the same content, and the file's size and modification
time unchanged since.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
Key = tuple[str, ...]
_files: dict[tuple[str, Path], tuple[tuple[int, int], tuple[object, ...], Any]] = {}
_made: dict[Key, tuple[tuple[object, ...], Any]] = {}
_generation: list[Hashable] = [None]
_on_disk: dict[str, tuple[str | bytes, tuple[int, int]]] = {}
_inputs: dict[str, tuple[object, ...]] = {}  # by kind of file: see _same_as_before
_paths: dict[tuple[str, str], Path] = {}  # see path_in


def start_generation(fingerprint: Hashable) -> None:
    """Called at the start of every build with what its renderings depend on besides their own inputs."""
    if fingerprint != _generation[0]:
        _made.clear()
        _generation[0] = fingerprint


def forget() -> None:
    """Drop everything kept for a next build: after a build that has none (`mkdocs build`), every rendered page of
    every language would otherwise stay in memory while MkDocs builds the site."""
    _files.clear()
    _made.clear()
    _on_disk.clear()
    _inputs.clear()
    _paths.clear()
    _generation[0] = None


def files_fingerprint(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file under `folders`, with its size and modification time: changes when any of them is saved."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def path_in(folder: str, name: str) -> Path:
    """Path(folder, name), the same object in every build of this process: a Path works out its parts, text and
    hash once, and every later build's lookups by path (`from_files`) use them; making 10,000 new ones for each
    build, and hashing each, was a tenth of loading the claims again."""
    path = _paths.get((folder, name))
    if path is None:
        path = _paths[(folder, name)] = Path(folder, name)
    return path


def from_file(kind: str, path: Path, load: Callable[[Path], T]) -> T:
    """`load(path)`, or the value it returned before if the file's size and modification time are unchanged."""
    return from_files(kind, [path], lambda missing: [load(p) for p in missing])[0]


def from_files(
    kind: str,
    paths: Sequence[Path],
    load: Callable[[list[Path]], list[T]],
    inputs: tuple[object, ...] = (),
    stats: Sequence[os.stat_result] | None = None,
) -> list[T]:
    """One value per path, as `from_file`, also made from `inputs` (values read with each file, such as the
    rating scale); `load` gets every path whose value is not known and returns their values in order. `stats` are
    the paths' stat results, if the caller has just taken them."""
    inputs = _same_as_before(kind, inputs)
    values: list[Any] = [None] * len(paths)
    missing: list[tuple[int, tuple[int, int]]] = []
    for index, path in enumerate(paths):
        stat = stats[index] if stats is not None else path.stat()  # before reading: an edit meanwhile is read next time
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _files.get((kind, path))
        if cached and cached[0] == key and cached[1] == inputs:
            values[index] = cached[2]
        else:
            missing.append((index, key))
    for (index, key), value in zip(missing, load([paths[i] for i, _ in missing]), strict=True):
        _files[(kind, paths[index])] = (key, inputs, value)
        values[index] = value
    return values


def _same_as_before(kind: str, inputs: tuple[object, ...]) -> tuple[object, ...]:
    """The inputs the last call for `kind` was given, if equal to these: compared once here, they then compare
    equal to each file's at once (the same object), instead of value by value for each of 10,000 files."""
    before = _inputs.get(kind)
    if before is not None and before == inputs:
        return before
    _inputs[kind] = inputs
    return inputs


def made_from(key: Key, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
    """`make()`, or what it returned before for `key`, in this generation, from inputs equal to these."""
    wanted = [(key, inputs)]
    values, missing = lookup_made(wanted)
    if missing:
        remember_made(wanted, missing, [make()], values)
    return values[0]


def kept(key: Key, inputs: tuple[object, ...]) -> dict[Hashable, Any]:
    """A place for what is made from `inputs` alone, piece by piece (a claim's search entry, its export, its row
    in each index...): the one kept under `key` before, in this generation and from inputs equal to these, or a
    new, empty one. One lookup for all of a claim's pieces: a lookup for each was a tenth of a rebuild."""
    cached = _made.get(key)
    if cached and cached[0] == inputs:
        return cached[1]
    pieces: dict[Hashable, Any] = {}
    _made[key] = (inputs, pieces)
    return pieces


def lookup_made(wanted: Sequence[tuple[Key, tuple[object, ...]]]) -> tuple[list[Any], list[int]]:
    """What was made before for each (key, inputs), None where nothing was; and the positions of those."""
    values: list[Any] = [None] * len(wanted)
    missing = []
    for index, (key, inputs) in enumerate(wanted):
        cached = _made.get(key)
        if cached and cached[0] == inputs:  # an unchanged claim is the same object: equal at once
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


def remember_on_disk(path: str, content: str | bytes) -> None:
    """The file at `path` now holds `content` (just written, or read and compared). Paths are text here: making a
    Path for each of 10,000 generated files was a tenth of a preview rebuild."""
    stat = os.stat(path)  # noqa: PTH116
    _on_disk[path] = (content, (stat.st_mtime_ns, stat.st_size))


def still_on_disk(path: str, content: str | bytes) -> bool:
    """Whether the file at `path` still holds `content` as remembered: the same content (an unchanged page is the
    very string kept by `made_from`, equal at once), and neither the file's size nor its modification time changed
    since."""
    known = _on_disk.get(path)
    if known is None or known[0] != content:
        return False
    try:
        stat = os.stat(path)  # noqa: PTH116
    except OSError:
        return False
    return (stat.st_mtime_ns, stat.st_size) == known[1]
