"""Read claim files into validated models, collecting every problem with its file and line.

YAML is composed into nodes (libyaml when available) so that every key and list item keeps its line; values are
then built from the nodes by hand, which lets us reject duplicate keys (PyYAML silently keeps the last one) and
read `verdict: true` as the rating key 'true' rather than a boolean.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from factcheck import reuse
from factcheck.model import Claim, RatingScale

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml is in the pinned wheels
    from yaml import SafeLoader  # type: ignore[assignment]

Loc = tuple[str | int, ...]
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALARS = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}
# Keys whose value is always read as the text written, whatever YAML would make of it.
_TEXT_KEYS = {"verdict", "id", "name", "claim", "title", "summary", "note", "reason", "quote", "outlet", "role"}


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:"
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


@dataclass
class Loaded:
    claims: list[Claim] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # claim id -> its file
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # claim id -> line of each key and item (of id, claim, aliases and related at least: what later checks need)
    lines: dict[str, dict[Loc, int]] = field(default_factory=dict)


class _FileErrors(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


def field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def claim_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the `.yaml` files in them, sorted so output never depends on the file system's order."""
    files: set[Path] = set()
    for path in paths:
        files.update(path.glob("*.yaml") if path.is_dir() else [path])
    return sorted(files)


def _stray_files(paths: Iterable[Path]) -> list[Path]:
    return sorted(
        path
        for folder in paths
        if folder.is_dir()
        for path in folder.iterdir()
        if path.suffix != ".yaml" and not path.name.startswith(".")
    )


def load_claims(
    paths: list[Path], scale: RatingScale, today: dt.date | None = None, other_ids: Iterable[str] = ()
) -> Loaded:
    """Load and validate the claim files in `paths`; `other_ids` are claims elsewhere that `related` may name."""
    today = today or dt.date.today()
    loaded = Loaded()
    lines_by_id = loaded.lines
    for stray in _stray_files(paths):  # a claim saved as .yml (or .txt) must not silently go missing
        renamed = stray.suffix.lower() in {".yml", ".yaml"}
        hint = f"rename it to {stray.stem}.yaml" if renamed else "move it out of claims/"
        message = f"not a claim file: claim files are named <id>.yaml. Hint: {hint}"
        loaded.problems.append(Problem(display_path(stray), 1, "", message))
    files = claim_files(paths)
    for path, result in zip(files, _load_files_cached(files, scale, today), strict=True):
        if isinstance(result, list):
            loaded.problems.extend(result)
            continue
        claim, lines = result
        loaded.claims.append(claim)
        lines_by_id.setdefault(claim.id, lines)
        if claim.id in loaded.files:
            other = loaded.files[claim.id]
            message = f"'{claim.id}' is also the id of {display_path(other)}"
            loaded.problems.append(Problem(display_path(path), lines[("id",)], "id", message))
        else:
            loaded.files[claim.id] = path
    # A file that failed to load still holds its id: `related` pointing at it is not a second problem.
    known_ids = set(loaded.files) | {path.stem for path in files} | set(other_ids)
    loaded.problems.extend(_cross_file_problems(loaded, lines_by_id, known_ids))
    loaded.problems.sort()
    return loaded


FileResult = tuple[Claim, dict[Loc, int]] | list[Problem]  # a claim and the line of each key, or what is wrong


def _load_files_cached(files: list[Path], scale: RatingScale, today: dt.date) -> list[FileResult]:
    """Files read by an earlier build in this process (`mkdocs serve`) are not read again while unchanged."""

    def load_many(missing: list[Path]) -> list[FileResult]:
        return [_load_file(path, scale, today) for path in missing]

    return reuse.from_files("claim", files, load_many, inputs=(scale, today))


def _load_file(path: Path, scale: RatingScale, today: dt.date) -> FileResult:
    try:
        return _validate(path, *parse_yaml(path), scale, today)
    except _FileErrors as errors:
        return errors.problems


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when it is inside it."""
    absolute = path.absolute()
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(path)


def _validate(path: Path, data: Any, lines: dict[Loc, int], scale: RatingScale, today: dt.date) -> FileResult:
    problems = []
    claim_id, verdict = (data.get("id"), data.get("verdict")) if isinstance(data, dict) else (None, None)
    if isinstance(claim_id, str) and claim_id != path.stem:
        hint = f"rename the file to {claim_id}.yaml or set id: {path.stem}"
        message = f"'{claim_id}' does not match the file name. Hint: {hint}"
        problems.append(Problem(display_path(path), lines[("id",)], "id", message))
    if isinstance(verdict, str) and verdict not in scale.by_key:
        problems.append(Problem(display_path(path), lines[("verdict",)], "verdict", _unknown_verdict(verdict, scale)))
    try:
        claim = Claim.model_validate(data)
    except ValidationError as error:
        return sorted([*problems, *(_problem(display_path(path), lines, e) for e in error.errors())])
    for loc, value in _dates(claim):
        if value > today:
            message = f"{value} is in the future"
            problems.append(Problem(display_path(path), _line(lines, loc), field_path(loc), message))
    return sorted(problems) if problems else (claim, lines)


def parse_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML file into plain values and the line of every key and list item."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        raise _file_error(path, line, f"not valid UTF-8 (byte {error.start}). Hint: {hint}") from None
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise _file_error(path, line, f"YAML syntax error: {error.problem or error}") from None
    if node is None:
        hint = "run `build_claims.py new` to scaffold one"
        raise _file_error(path, 1, f"the file is empty. Hint: {hint}")
    lines: dict[Loc, int] = {(): node.start_mark.line + 1}
    problems: list[Problem] = []
    value = _build(node, (), lines, problems, path)
    if problems:
        raise _FileErrors(problems)
    return value, lines


def _file_error(path: Path, line: int, message: str) -> _FileErrors:
    return _FileErrors([Problem(display_path(path), line, "", message)])


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], problems: list[Problem], path: Path) -> Any:
    """The value of `node`, recording lines in `lines` and duplicate keys and unfilled placeholders in `problems`."""
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in result:
                first = lines[(*loc, key)]
                message = f"duplicate key (first set on line {first})"
                problems.append(Problem(display_path(path), line, field_path((*loc, key)), message))
                continue
            lines[(*loc, key)] = line
            result[key] = _build(value_node, (*loc, key), lines, problems, path)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*loc, index)] = item.start_mark.line + 1
            items.append(_build(item, (*loc, index), lines, problems, path))
        return items
    if node.value.lstrip().startswith("TODO"):  # scaffolded files mark what is left to write; none may reach the site
        message = f"placeholder not filled in: {node.value.strip()[:60]!r}"
        problems.append(Problem(display_path(path), _line(lines, loc), field_path(loc), message))
    if loc and loc[-1] in _TEXT_KEYS:
        return node.value  # `verdict: true` is the rating 'true', `name: No` is a name
    constructor = _SCALARS.get(node.tag)
    if constructor is None:
        return node.value  # strings, and dates: pydantic parses and checks those
    try:
        return constructor(node)
    except ValueError:
        return node.value


def _line(lines: dict[Loc, int], loc: Loc) -> int:
    while loc not in lines:
        loc = loc[:-1]
    return lines[loc]


def _problem(name: str, lines: dict[Loc, int], error: Any) -> Problem:
    loc: Loc = tuple(error["loc"])
    message = _message(error)
    if not loc and ": " in message:  # model-level checks name their field first
        field_name, message = message.split(": ", 1)
        loc = tuple(int(p) if p.isdigit() else p for p in field_name.replace("[", ".").replace("]", "").split("."))
    return Problem(name, _line(lines, loc), field_path(loc), message)


def _message(error: Any) -> str:
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        known = _known_fields(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" Hint: did you mean '{close[0]}'?" if close else f" Allowed keys: {', '.join(known)}."
        return f"unknown key.{hint}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "string_pattern_mismatch":
        return (
            f"'{value}' must be lowercase letters and digits joined by single hyphens, e.g. 'kallas-china-key-enabler'"
        )
    if kind.startswith("date_"):
        return f"expected a date as YYYY-MM-DD, got {value!r}"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {value!r}"
    if kind in {"value_error", "assertion_error"}:
        return str(error["ctx"]["error"])
    return f"{error['msg'][0].lower()}{error['msg'][1:]}, got {value!r}"


def _known_fields(loc: Loc) -> list[str]:
    model: Any = Claim
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation
        model = next(a for a in (*getattr(annotation, "__args__", ()), annotation) if _is_model(a))
    return list(model.model_fields)


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _unknown_verdict(value: str, scale: RatingScale) -> str:
    keys = ", ".join(scale.by_key)
    message = f"expected one of {keys}, but got {value!r}."
    by_label = {r.label.lower(): r.key for r in scale.ratings}
    if value.lower() in by_label:
        return f"{message} Hint: use the key '{by_label[value.lower()]}', not the label."
    close = difflib.get_close_matches(value.lower(), list(scale.by_key), n=1)
    return f"{message} Hint: did you mean '{close[0]}'?" if close else message


def _dates(claim: Claim) -> Iterator[tuple[Loc, dt.date]]:
    for key in ("claim_date", "published", "updated", "as_of"):
        if (value := getattr(claim, key)) is not None:
            yield (key,), value
    for key in ("appearances", "sources", "updates"):
        for index, item in enumerate(getattr(claim, key)):
            if item.date is not None:
                yield (key, index, "date"), item.date
    if claim.retracted:
        yield ("retracted", "date"), claim.retracted.date


def _cross_file_problems(
    loaded: Loaded, lines_by_id: dict[str, dict[Loc, int]], known_ids: set[str]
) -> Iterator[Problem]:
    """Checks between files: aliases that collide, `related` that points at nothing."""
    owner_of_url: dict[str, str] = {claim_id: claim_id for claim_id in known_ids}
    for claim in loaded.claims:
        if not (claim.aliases or claim.related):  # most claims: naming the file costs more than these checks
            continue
        path, lines = display_path(loaded.files[claim.id]), lines_by_id[claim.id]
        for index, alias in enumerate(claim.aliases):
            other = owner_of_url.setdefault(alias, claim.id)
            if other != claim.id:
                what = "a claim's id" if other == alias else f"already an alias of {other}"
                yield Problem(path, lines[("aliases", index)], f"aliases[{index}]", f"'{alias}' is {what}")
        for index, related in enumerate(claim.related):
            if related not in known_ids:
                yield Problem(path, lines[("related", index)], f"related[{index}]", f"no claim has the id '{related}'")
