"""Read claim files into validated models, collecting every problem with its file and line.

YAML is composed into nodes (libyaml when available) so that every key and list item keeps its line; values are
then built from the nodes by hand, which lets us reject duplicate keys (PyYAML silently keeps the last one) and
read `verdict: true` as the rating key 'true' rather than a boolean.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import material
import yaml
from pydantic import BaseModel, ValidationError

from factcheck import reuse
from factcheck.model import (
    ID_PATTERN,
    LISTING_ADDRESS,
    SLUG_PATTERN,
    Claim,
    Claimants,
    LanguagePack,
    People,
    RatingScale,
    Redirects,
    Rules,
    Topics,
    Translation,
    text_version,
)

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - libyaml is in the pinned wheels
    from yaml import SafeLoader  # type: ignore[assignment]

Loc = tuple[str | int, ...]
NULL_TAG = "tag:yaml.org,2002:null"
# Limits that stop hostile input before any work is done; a real claim file is far below each.
MAX_FILE_BYTES = 256 * 1024
MAX_DEPTH = 8
MAX_ITEMS = 500  # items in one list, keys in one mapping
MAX_PROBLEMS_PER_FILE = 50
DEFAULT_RULES = Rules()
IGNORED_SUFFIXES = ("~", ".bak", ".orig", ".swp", ".tmp")
# What claim text may not hold: C0 and C1 controls (but tab and line breaks), DEL, noncharacters, lone surrogates
# (from escapes), bidirectional embedding, override and isolate controls, and the Unicode line and paragraph
# separators. Themes, front matter, feeds and editors all treat these differently, and none is needed in prose.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\u202a-\u202e\u2066-\u2069\u2028\u2029"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:" if self.line else f"{self.path}:"  # line 0: about the file as a whole
        return f"{where} {self.field}: {self.message}" if self.field else f"{where} {self.message}"


@dataclass
class Loaded:
    claims: list[Claim] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)  # claim id -> its file
    # claim id -> language -> its translation (claims/<id>.<language>.yaml), for claims that loaded
    translations: dict[str, dict[str, Translation]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    # claim id -> line of each key and item (of id, claim, aliases and related at least: what later checks need)
    lines: dict[str, dict[Loc, int]] = field(default_factory=dict)


class FileProblems(Exception):
    """What is wrong with one file, each problem with its line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


def field_path(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def claim_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the `.yaml` files in them, sorted so output never depends on the file system's order.
    Hidden files and editors' backups are not claim files; a path named explicitly is always read."""
    return _listed(list(paths))[0]


def _listed(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The claim files in `paths` (as claim_files), and the other files in its folders: claims saved under another
    name. One pass over each folder's names, as text: a Path for each entry was most of listing 10,000 claims."""
    files: dict[tuple[str, ...], Path] = {}
    strays: list[Path] = []
    for path in paths:
        if not (path.is_dir() and not path.is_symlink()):
            files[path.parts] = path
            continue
        folder, parts = str(path), path.parts
        for name in os.listdir(path):  # noqa: PTH208
            if name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES):  # is_ignored, by name
                continue
            if name.endswith(".yaml") and name != ".yaml":
                files[(*parts, name)] = reuse.path_in(folder, name)
            else:
                strays.append(path / name)
    order = sorted(files, key=itemgetter(-1)) if len(paths) == 1 else sorted(files)  # one folder: by name
    return [files[key] for key in order], sorted(strays)


def is_ignored(path: Path) -> bool:
    """Files in claims/ that are never read: hidden files and editors' backup and swap files."""
    name = path.name
    return name.startswith((".", "#")) or name.endswith(IGNORED_SUFFIXES)


def load_claims(
    paths: list[Path],
    scale: RatingScale,
    today: dt.date | None = None,
    other_ids: Iterable[str] = (),
    topics: Iterable[str] | None = None,
    rules: Rules = DEFAULT_RULES,
    claimants: Iterable[str] | None = None,
    people: Iterable[str] | None = None,
    languages: Iterable[str] = (),
) -> Loaded:
    """Load and validate the claim files in `paths`, and their translations; `other_ids` are claims elsewhere that
    `related` may name; `topics`, `claimants` and `people` are the ids claims may use (data/topics.yaml,
    claimants.yaml, people.yaml; any, if None); `rules` the site's content rules (data/rules.yaml); `languages` the
    languages a translation may be in (data/languages/)."""
    today = today or dt.date.today()
    loaded = Loaded()
    lines_by_id = loaded.lines
    listed, strays = _listed(paths)
    for stray in strays:  # a claim saved as .yml (or .txt) must not silently go missing
        renamed = stray.suffix.lower() in {".yml", ".yaml"}
        hint = f"rename it to {stray.stem}.yaml" if renamed else "move it out of claims/"
        message = f"not a claim file: claim files are named <id>.yaml. Hint: {hint}"
        loaded.problems.append(Problem(display_path(stray), 1, "", message))
    files, translation_files = [], []
    for path in listed:
        (translation_files if is_translation(path) else files).append(path)
    unreadable = []
    for path, result in zip(files, _load_files_cached(files, scale, rules, today), strict=True):
        if isinstance(result, list):
            loaded.problems.extend(result)
            unreadable.append(path)
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
    known_ids = set(loaded.files) | {path.stem for path in unreadable} | set(other_ids)
    loaded.problems.extend(_between_files(loaded, known_ids, rules, topics, claimants, people))
    loaded.problems.extend(
        _load_translations(
            loaded, translation_files, sorted(languages), people, lambda p: _load_file(p, scale, rules, today)
        )
    )
    loaded.problems.sort()
    return loaded


def _between_files(
    loaded: Loaded,
    known_ids: set[str],
    rules: Rules,
    topics: Iterable[str] | None,
    claimants: Iterable[str] | None,
    people: Iterable[str] | None,
) -> list[Problem]:
    """The checks between claim files, and of their ids against the data files. They look only at each claim's
    Claim.cross_references: after an edit elsewhere in a claim (`mkdocs serve`), what found nothing before finds
    nothing again, and is not run over every claim again."""
    known = {"topics": topics, "claimant": claimants, "author": people, "editor": people}
    inputs = (
        tuple(claim.cross_references() for claim in loaded.claims),
        frozenset(known_ids),
        rules,
        *(None if ids is None else frozenset(ids) for ids in known.values()),
    )
    wanted = [(("nothing between files",), inputs)]
    _, missing = reuse.lookup_made(wanted)
    if not missing:
        return []
    problems = [*_cross_file_problems(loaded, loaded.lines, known_ids), *_cross_file_rule_breaches(loaded, rules)]
    for key, what, data_file in (
        ("topics", "a topic", "data/topics.yaml"),
        ("claimant", "a claimant", "data/claimants.yaml"),
        ("author", "a person", "data/people.yaml"),
        ("editor", "a person", "data/people.yaml"),
    ):
        if known[key] is not None:
            problems.extend(_unknown_ids(loaded, key, sorted(known[key]), what, data_file))
    if not problems:  # problems name lines, which an edit elsewhere moves: only "nothing" is kept
        reuse.remember_made(wanted, missing, [True], [None])
    return problems


FileResult = tuple[Claim, dict[Loc, int]] | list[Problem]  # a claim and the line of each key, or what is wrong


def is_translation(path: Path) -> bool:
    """claims/<id>.<language>.yaml is a translation of claims/<id>.yaml."""
    return "." in path.stem


def _load_translations(
    loaded: Loaded,
    paths: list[Path],
    languages: list[str],
    people: Iterable[str] | None,
    load_original: Any,
) -> Iterator[Problem]:
    """Each translation is checked like a claim file, and against its original; the valid ones are kept in
    `loaded.translations`."""
    by_id = {claim.id: claim for claim in loaded.claims}
    regular, stats = _regular_files(paths)  # only regular files are cached, as claim files are
    results = reuse.from_files("translation", regular, lambda new: list(map(_translation, new)), stats=stats)
    read = dict(zip(regular, results, strict=True))
    for path in paths:
        name = display_path(path)
        claim_id, _, language = path.stem.rpartition(".")
        if language not in languages:
            known = ", ".join(languages) or "none yet"
            hint = f"name it <id>.<language>.yaml with a language of data/languages/ ({known})"
            yield Problem(name, 0, "", f"'{language}' is not a language of this site. Hint: {hint}")
            continue
        original_path = path.with_name(f"{claim_id}.yaml")
        if claim_id in by_id:
            original: Claim | None = by_id[claim_id]
        elif original_path.exists():
            result = load_original(original_path)  # checking one translation: its original's problems are not its own
            original = result[0] if isinstance(result, tuple) else None
        else:
            hint = f"translations are named after their original: claims/{claim_id}.yaml does not exist"
            yield Problem(name, 0, "", f"no claim has the id '{claim_id}'. Hint: {hint}")
            continue
        result = read[path] if path in read else _translation(path)  # not a regular file: refused with its reason
        if isinstance(result, list):
            yield from result
            continue
        translation, lines = result
        if original is None:
            continue  # the original has problems of its own, reported with it
        problems = [
            Problem(name, _line(lines, (field_name,)), field_name, message)
            for field_name, message in (line.split(": ", 1) for line in translation.problems_with(original))
        ]
        if translation.reviewed_by and people is not None and translation.reviewed_by not in set(people):
            message = f"'{translation.reviewed_by}' is not a person in data/people.yaml. Hint: add them there"
            problems.append(Problem(name, _line(lines, ("reviewed_by",)), "reviewed_by", message))
        yield from problems
        if not problems:
            loaded.translations.setdefault(claim_id, {})[language] = translation
        version = text_version(original)
        if not problems and translation.original_version != version:
            original_name = display_path(original_path)
            message = (
                f"{original_name} has changed since this translation was made (its text is now version {version}). "
                f"Hint: update the translation to match, then set original_version: {version}"
            )
            loaded.warnings.append(Problem(name, _line(lines, ("original_version",)), "original_version", message))


def _translation(path: Path) -> tuple[Translation, dict[Loc, int]] | list[Problem]:
    try:
        data, lines = parse_yaml(path)
        return Translation.model_validate(data), lines
    except FileProblems as errors:
        return errors.problems
    except ValidationError as error:
        return sorted(p for e in error.errors() for p in _problems(display_path(path), lines, e, Translation))
    except Exception as error:  # a bug, never the file's fault: say so, and go on to the next file
        message = f"could not be checked ({type(error).__name__}: {error}). Hint: please report this as a bug"
        return [_file_problem(path, 0, message)]


def _load_files_cached(files: list[Path], scale: RatingScale, rules: Rules, today: dt.date) -> list[FileResult]:
    """Files read by an earlier build in this process (`mkdocs serve`) are not read again while unchanged."""

    def load_many(missing: list[Path]) -> list[FileResult]:
        return [_load_file(path, scale, rules, today) for path in missing]

    # Only regular files are cached by their size and time: anything else (a link, a pipe) is refused at once.
    regular, stats = _regular_files(files)
    values = reuse.from_files("claim", regular, load_many, inputs=(scale, rules, today), stats=stats)
    if len(regular) == len(files):  # nearly always
        return values
    cached = dict(zip(regular, values, strict=True))
    return [cached[path] if path in cached else _load_file(path, scale, rules, today) for path in files]


def _regular_files(paths: list[Path]) -> tuple[list[Path], list[os.stat_result]]:
    """The paths that are regular files, and their stat results (of a regular file, lstat is the same as stat)."""
    regular, stats = [], []
    for path in paths:
        try:
            found = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISREG(found.st_mode):
            regular.append(path)
            stats.append(found)
    return regular, stats


def _load_file(path: Path, scale: RatingScale, rules: Rules, today: dt.date) -> FileResult:
    try:
        return _validate(path, *parse_yaml(path), scale, rules, today)
    except FileProblems as errors:
        return errors.problems
    except Exception as error:  # a bug, never the file's fault: say so, and go on to the next file
        message = f"could not be checked ({type(error).__name__}: {error}). Hint: please report this as a bug"
        return [_file_problem(path, 0, message)]


class InvalidData(Exception):
    """A data file (data/*.yaml) has problems; each names its file and line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


M = TypeVar("M", bound=BaseModel)


def load_data_file(path: Path, model: type[M]) -> M:
    """A data file read as strictly as claim files and validated against its model, or InvalidData."""
    try:
        data, lines = parse_yaml(path)
        return model.model_validate(data)
    except FileProblems as errors:
        raise InvalidData(errors.problems) from None
    except ValidationError as error:
        name = display_path(path)
        raise InvalidData(sorted(p for e in error.errors() for p in _problems(name, lines, e, model))) from None


def load_rating_scale(path: Path) -> RatingScale:
    return reuse.from_file("ratings", path, lambda p: load_data_file(p, RatingScale))


def load_topics(path: Path) -> dict[str, str]:
    return reuse.from_file("topics", path, lambda p: load_data_file(p, Topics).root) if path.exists() else {}


def load_rules(path: Path) -> Rules:
    return reuse.from_file("rules", path, lambda p: load_data_file(p, Rules)) if path.exists() else DEFAULT_RULES


def load_people(path: Path) -> dict[str, Any]:
    """data/people.yaml: person id -> model.Person (none, without the file)."""
    return load_data_file(path, People).root if path.exists() else {}


def load_claimants(path: Path) -> dict[str, Any]:
    """data/claimants.yaml: claimant id -> model.Claimant."""
    return reuse.from_file("claimants", path, lambda p: load_data_file(p, Claimants).root) if path.exists() else {}


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
# The theme's interface comes in these languages (Material's partials/languages/<code>.html).
THEME_LANGUAGES = frozenset(
    path.stem for path in (Path(material.__file__).parent / "templates" / "partials" / "languages").glob("*.html")
)


def load_languages(folder: Path) -> dict[str, LanguagePack]:
    """data/languages/<code>.yaml: the languages the site is translated into, by code, in the order of their codes."""
    if not folder.is_dir():
        return {}
    packs, problems = {}, []
    for path in sorted(folder.glob("*.yaml")):
        if not LANGUAGE_CODE.fullmatch(path.stem) or path.stem not in THEME_LANGUAGES:
            hint = "name it after the language's two-letter code (ISO 639-1) of a language the theme has, e.g. uk.yaml"
            problems.append(Problem(display_path(path), 0, "", f"'{path.stem}' is not a language code. Hint: {hint}"))
            continue
        try:
            packs[path.stem] = reuse.from_file("language", path, lambda p: load_data_file(p, LanguagePack))
        except InvalidData as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidData(problems)
    return packs


def load_redirects(path: Path) -> dict[str, str]:
    return load_data_file(path, Redirects).root if path.exists() else {}


def display_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when it is inside it. Worked on the path's
    text (a Path's text is already normal: no '.' parts, no doubled separators): pathlib's relative_to took most of
    a preview rebuild's checking time at 10,000 claims."""
    text, cwd = str(path), os.getcwd()  # noqa: PTH109 (a Path would be made only to be turned back into text)
    inside = cwd.rstrip(os.sep) + os.sep
    absolute = text if path.is_absolute() else inside + text
    if absolute == cwd or text == ".":
        return "."
    return absolute[len(inside) :] if absolute.startswith(inside) else text


def _validate(
    path: Path, data: Any, lines: dict[Loc, int], scale: RatingScale, rules: Rules, today: dt.date
) -> FileResult:
    problems = []
    claim_id, verdict = (data.get("id"), data.get("verdict")) if isinstance(data, dict) else (None, None)
    if isinstance(claim_id, str) and claim_id != path.stem and re.fullmatch(ID_PATTERN, claim_id):
        hint = f"rename the file to {claim_id}.yaml or set id: {path.stem}"
        message = f"'{claim_id}' does not match the file name. Hint: {hint}"
        problems.append(Problem(display_path(path), lines[("id",)], "id", message))
    if isinstance(verdict, str) and verdict not in scale.by_key:
        problems.append(Problem(display_path(path), lines[("verdict",)], "verdict", _unknown_verdict(verdict, scale)))
    parts = data.get("parts") if isinstance(data, dict) else None
    for index, part in enumerate(parts if isinstance(parts, list) else []):
        value = part.get("verdict") if isinstance(part, dict) else None
        if isinstance(value, str) and value not in scale.by_key:
            where = ("parts", index, "verdict")
            problems.append(
                Problem(display_path(path), _line(lines, where), field_path(where), _unknown_verdict(value, scale))
            )
    try:
        claim = Claim.model_validate(data)
    except ValidationError as error:
        return sorted([*problems, *(p for e in error.errors() for p in _problems(display_path(path), lines, e))])
    for loc, value in _dates(claim):
        if value > today:
            message = f"{value} is in the future"
            problems.append(Problem(display_path(path), _line(lines, loc), field_path(loc), message))
    problems += [Problem(display_path(path), _line(lines, loc), field_path(loc), message)
                 for loc, message in _rule_breaches(claim, data, rules)]  # fmt: skip
    return sorted(problems) if problems else (claim, lines)


def _rule_breaches(claim: Claim, data: dict[str, Any], rules: Rules) -> Iterator[tuple[Loc, str]]:
    """The site's content rules (data/rules.yaml) that one claim file breaks."""
    for key in rules.required:
        for loc in _missing(data, key.replace("[]", ".[]").split(".")):
            yield loc, "required by this site's rules (data/rules.yaml). Hint: see CONTRIBUTING.md for what to write"
    if len(claim.sources) < rules.min_sources:
        count = len(claim.sources)
        yield ("sources",), f"cite at least {rules.min_sources} sources (data/rules.yaml); this cites {count}"
    seen: dict[str, int] = {}
    for index, source in enumerate(claim.sources):
        if source.url and (first := seen.setdefault(source.url, index)) != index:
            yield ("sources", index, "url"), f"the same address as sources[{first}]. Hint: list each source once"


def _missing(data: Any, parts: list[str], loc: Loc = ()) -> Iterator[Loc]:
    """Where the key `parts` (e.g. ['sources', '[]', 'supports']) is not written in `data`."""
    if not parts or data is None:
        return
    head, rest = parts[0], parts[1:]
    if head == "[]":
        for index, item in enumerate(data if isinstance(data, list) else []):
            yield from _missing(item, rest, (*loc, index))
    elif not isinstance(data, dict) or data.get(head) is None:
        yield (*loc, head)
    else:
        yield from _missing(data[head], rest, (*loc, head))


def parse_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML file into plain values and the line of every key and list item.

    Only the plain subset of YAML a claim needs is accepted: one document of mappings, lists and scalars, with no
    anchors, aliases, merge keys or tags. Values are built from libyaml's events one at a time, so nothing (an alias
    bomb, a million-item list, 50,000 levels of nesting) is ever built before it is refused.
    """
    return parse_text(path, _decode(path, read_claim_bytes(path)))


def parse_text(path: Path, text: str) -> tuple[Any, dict[Loc, int]]:
    """As `parse_yaml`, for text already read (from git, say); `path` names it in problems."""
    _refuse_characters(path, text)
    reader = _EventReader(path, text)
    try:
        return reader.document(), reader.lines
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        at = text[mark.index : mark.index + 1] if mark else ""
        raise FileProblems([*reader.problems, _file_problem(path, line, _syntax_message(problem, at))]) from None
    finally:
        reader.loader.dispose()


def read_claim_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES: never a link, a folder, a pipe or a device, which
    could point outside the repository or block forever."""
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            hint = "replace the link with the file itself"
            raise _file_error(path, 0, f"is a symbolic link; only regular files are read. Hint: {hint}")
        if not stat.S_ISREG(mode):
            raise _file_error(path, 0, "is not a regular file (a folder, pipe or device). Hint: remove it")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):  # replaced since lstat
                raise _file_error(path, 0, "is not a regular file. Hint: remove it")
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise _file_error(path, 0, f"cannot be read: {error.strerror}. Hint: check its permissions") from None
    if len(raw) > MAX_FILE_BYTES:
        hint = "a fact-check this long should be split or shortened"
        raise _file_error(path, 0, f"is larger than {MAX_FILE_BYTES // 1024} KB. Hint: {hint}")
    return raw


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise _file_error(path, line, f"not valid UTF-8 (byte {error.start}). Hint: save the file as UTF-8") from None


def _refuse_characters(path: Path, text: str) -> None:
    """Characters no claim text may hold are reported with their lines before YAML reads the file."""
    if not FORBIDDEN_CHARACTERS.search("".join(set(text))):  # the distinct characters, a few dozen: 20x faster
        return
    problems = []
    for match in itertools.islice(FORBIDDEN_CHARACTERS.finditer(text), MAX_PROBLEMS_PER_FILE):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(_file_problem(path, line, forbidden_character_message(match.group())))
    if problems:
        raise FileProblems(problems)


def forbidden_character_message(character: str) -> str:
    """Why `character` cannot be in a claim file, and what to do. The rule is in FORBIDDEN_CHARACTERS."""
    code = f"U+{ord(character):04X}"
    if character in "\u2028\u2029":
        return f"the line separator {code} is not allowed. Hint: use an ordinary line break"
    if "\u202a" <= character <= "\u202e" or "\u2066" <= character <= "\u2069":
        hint = "delete it: right-to-left text displays correctly without it"
        return f"the bidirectional control {code} is not allowed: it can show text in another order than it is " \
            f"stored. Hint: {hint}"  # fmt: skip
    if "\ud800" <= character <= "\udfff":
        return f"{code} is half of a surrogate pair, not a character. Hint: write the character itself"
    if unicodedata.category(character) == "Cc":
        return f"the control character {code} is not allowed. Hint: delete it (most editors do not show it)"
    return f"{code} is not a character (a Unicode noncharacter). Hint: delete it"


def _syntax_message(problem: str, character: str) -> str:
    """libyaml's words, and a hint for the mistakes people make most."""
    if character == "\t":
        return f"YAML syntax error: {problem}: a tab. Hint: indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return f"YAML syntax error: {problem}. Hint: put a value that contains ': ' in quotes"
    return f"YAML syntax error: {problem}"


def _file_problem(path: Path, line: int, message: str) -> Problem:
    return Problem(display_path(path), line, "", message)


def _file_error(path: Path, line: int, message: str) -> FileProblems:
    return FileProblems([_file_problem(path, line, message)])


class _EventReader:
    """Builds a claim file's values from libyaml's events, refusing what a claim file never needs."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.loader = SafeLoader(text)
        self.lines: dict[Loc, int] = {}
        self.problems: list[Problem] = []

    def document(self) -> Any:
        self.loader.get_event()  # stream start
        if self.loader.check_event(yaml.StreamEndEvent):
            raise _file_error(self.path, 1, "the file is empty. Hint: run `build_claims.py new` to scaffold one")
        self.loader.get_event()  # document start
        self.lines[()] = self.loader.peek_event().start_mark.line + 1
        value = self.value((), 0)
        self.loader.get_event()  # document end
        if not self.loader.check_event(yaml.StreamEndEvent):
            line = self.loader.peek_event().start_mark.line + 1
            self.refuse(line, (), "a second YAML document (after `---`). Hint: one claim per file, one document")
        if self.problems:
            raise FileProblems(self.problems)
        return value

    def refuse(self, line: int, loc: Loc, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS_PER_FILE:
            self.problems.append(Problem(display_path(self.path), line, field_path(loc), message))

    def stop(self, line: int, loc: Loc, message: str) -> NoReturn:
        """Give up on the file: what is left of it is not read at all."""
        self.problems = self.problems[: MAX_PROBLEMS_PER_FILE - 1]
        self.refuse(line, loc, message)
        raise FileProblems(self.problems)

    def value(self, loc: Loc, depth: int) -> Any:
        event = self.loader.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            self.refuse(line, loc, "aliases (*name) are not allowed. Hint: write the value out in full")
            return None
        if isinstance(event, yaml.ScalarEvent):
            return self.scalar(event, loc, line)
        if event.anchor is not None or event.tag is not None:
            what = "anchors (&name)" if event.anchor is not None else f"YAML tags ({event.tag})"
            self.refuse(line, loc, f"{what} are not allowed. Hint: remove it")
        if depth >= MAX_DEPTH:  # stop reading: libyaml's time grows with the square of the depth
            self.stop(line, loc, f"nested more than {MAX_DEPTH} levels deep. Hint: a claim file is never this deep")
        if isinstance(event, yaml.SequenceStartEvent):
            return self.sequence(loc, depth)
        return self.mapping(loc, depth)

    def scalar(self, event: yaml.ScalarEvent, loc: Loc, line: int) -> str | None:
        if event.anchor is not None or event.tag is not None:
            what = "anchors (&name)" if event.anchor is not None else f"YAML tags ({event.tag})"
            self.refuse(line, loc, f"{what} are not allowed. Hint: remove it")
        text = event.value
        plain = event.implicit[0] and not event.style
        if plain and self.loader.resolve(yaml.ScalarNode, text, (True, False)) == NULL_TAG:
            return None  # `key:`, `key: null` and `key: ~` mean no value; the model says whether one is needed
        # Only a double-quoted escape such as "\x01" makes a character the file's own text (checked) does not hold.
        if event.style == '"' and (bad := FORBIDDEN_CHARACTERS.search(text)):
            self.refuse(line, loc, forbidden_character_message(bad.group()))
        if text.lstrip().startswith("TODO"):  # scaffolded files mark what is left to write; none may reach the site
            self.refuse(line, loc, f"placeholder not filled in: {text.strip()[:60]!r}")
        return text  # always text: the model converts what it expects (a number, a date) and rejects the rest

    def sequence(self, loc: Loc, depth: int) -> list[Any]:
        items: list[Any] = []
        while not self.loader.check_event(yaml.SequenceEndEvent):
            line = self.loader.peek_event().start_mark.line + 1
            if len(items) == MAX_ITEMS:
                self.stop(line, loc, f"more than {MAX_ITEMS} items. Hint: no list in a claim file needs more")
            self.lines[(*loc, len(items))] = line
            items.append(self.value((*loc, len(items)), depth + 1))
        self.loader.get_event()
        return items

    def mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while not self.loader.check_event(yaml.MappingEndEvent):
            key_event = self.loader.peek_event()
            line = key_event.start_mark.line + 1
            if len(result) == MAX_ITEMS:
                self.stop(line, loc, f"more than {MAX_ITEMS} keys. Hint: no mapping in a claim file needs more")
            if not isinstance(key_event, yaml.ScalarEvent):
                self.stop(line, loc, "a key must be plain text. Hint: write `key: value`")
            key = self.scalar(self.loader.get_event(), loc, line) or ""
            if key == "<<" and not key_event.style:
                self.refuse(line, loc, "merge keys (<<) are not allowed. Hint: write the keys out in full")
                self.value((*loc, key), depth + 1)
                continue
            if key in result:
                first = self.lines[(*loc, key)]
                self.refuse(line, (*loc, key), f"duplicate key (first set on line {first})")
                self.value((*loc, key), depth + 1)  # read, and checked, but not kept
                continue
            self.lines[(*loc, key)] = line
            result[key] = self.value((*loc, key), depth + 1)
        self.loader.get_event()
        return result


def _line(lines: dict[Loc, int], loc: Loc) -> int:
    while loc not in lines:
        loc = loc[:-1]
    return lines[loc]


def _problems(name: str, lines: dict[Loc, int], error: Any, root: type[BaseModel] = Claim) -> Iterator[Problem]:
    # RootModel's own level and the marker of a mapping's key are not places in the file
    loc: Loc = tuple(part for part in error["loc"] if part not in {"root", "[key]"})
    message = _message(error, root)
    if loc or ": " not in message:
        yield Problem(name, _line(lines, loc), field_path(loc), message)
        return
    for line in message.split("\n"):  # checks between fields: one 'field: message' a line
        field_name, text = line.split(": ", 1)
        loc = tuple(int(p) if p.isdigit() else p for p in field_name.replace("[", ".").replace("]", "").split("."))
        yield Problem(name, _line(lines, loc), field_path(loc), text)


def _message(error: Any, root: type[BaseModel]) -> str:
    kind, loc, value = error["type"], error["loc"], error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        known = _known_fields(root, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" Hint: did you mean '{close[0]}'?" if close else f" Allowed keys: {', '.join(known)}."
        return f"unknown key.{hint}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return "needs at least one entry"
    if kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == SLUG_PATTERN:
        example = "kallas-china-key-enabler"
        return f"'{value}' must be lowercase letters and digits joined by single hyphens, e.g. '{example}'"
    if kind == "string_pattern_mismatch" and error["ctx"]["pattern"] == LISTING_ADDRESS:
        return f"'{value}' must be a topic or claimant page's address, e.g. 'claims/claimants/lin-jian/'"
    if kind == "iso_date":
        return f"{error['msg']}, got {value!r}"
    if kind.startswith("date_"):
        return f"expected a date as YYYY-MM-DD, got {value!r}"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {value!r}"
    if kind in {"value_error", "assertion_error"}:
        return str(error["ctx"]["error"])
    return f"{error['msg'][0].lower()}{error['msg'][1:]}, got {value!r}"


def _known_fields(root: type[BaseModel], loc: Loc) -> list[str]:
    model: Any = root
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


def _dates(record: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, dt.date]]:
    """Every date in a record, wherever the model puts one: each must not be in the future."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        for index, item in enumerate(value) if isinstance(value, list) else [(None, value)]:
            where = (*loc, name) if index is None else (*loc, name, index)
            if isinstance(item, dt.date):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from _dates(item, where)


def _cross_file_rule_breaches(loaded: Loaded, rules: Rules) -> Iterator[Problem]:
    """The site's content rules across files: each breach is reported on every file after the first."""
    first_with_text: dict[str, str] = {}
    first_with_name: dict[str, Claim] = {}
    for claim in loaded.claims:  # in the order of their files (claim_files): the first is the first file
        lines = loaded.lines[claim.id]
        text = " ".join(claim.claim.lower().split())
        if rules.distinct_claims and (other := first_with_text.setdefault(text, claim.id)) != claim.id:
            message = f"the same claim as {display_path(loaded.files[other])}. Hint: update that fact-check instead"
            yield Problem(display_path(loaded.files[claim.id]), lines[("claim",)], "claim", message)
        first = first_with_name.setdefault(claim.claimant.id, claim)
        if rules.one_role_per_claimant and first.claimant.role != claim.claimant.role:
            where = display_path(loaded.files[first.id])
            message = (
                f"'{claim.claimant.id}' has the role {first.claimant.role!r} in {where}. "
                "Hint: write the same role, or give a different claimant its own id in data/claimants.yaml"
            )
            yield Problem(display_path(loaded.files[claim.id]), _line(lines, ("claimant",)), "claimant", message)


def verdict_warnings(loaded: Loaded, scale: RatingScale) -> Iterator[Problem]:
    """A claim whose overall verdict its parts contradict: rated above or below every part, or wholly true (or
    false) at an end of the scale while a part is rated otherwise, such as 'true' with an 'unproven' part."""
    ends = {scale.best, scale.worst}
    for claim in loaded.claims:
        if not claim.parts:
            continue
        overall = scale.by_key[claim.verdict]
        values = [scale.by_key[part.verdict].value for part in claim.parts]
        others = sorted({part.verdict for part in claim.parts} - {claim.verdict})
        if min(values) <= overall.value <= max(values) and not (overall.value in ends and others):
            continue
        shown = ", ".join(f"'{key}'" for key in others)
        message = (
            f"the overall verdict '{claim.verdict}' does not follow from the parts (rated {shown}). Hint: say in the "
            "summary which part the verdict rates, or choose a verdict the parts support"
        )
        lines = loaded.lines[claim.id]
        yield Problem(display_path(loaded.files[claim.id]), _line(lines, ("verdict",)), "verdict", message)


def _unknown_ids(loaded: Loaded, key: str, known: list[str], what: str, data_file: str) -> Iterator[Problem]:
    """Each value of `key` (a field, or a list of them) that is not an id in `data_file`, with a did-you-mean."""
    known_ids = set(known)
    for claim in loaded.claims:
        value = getattr(claim, key)
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)] if value else []
        for index, item in values:
            item_id = getattr(item, "id", item)
            if item_id in known_ids:
                continue
            close = difflib.get_close_matches(item_id, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"add it to {data_file}"
            loc: Loc = (key,) if index is None else (key, index)
            line = _line(loaded.lines[claim.id], loc)
            message = f"'{item_id}' is not {what} in {data_file}. Hint: {hint}"
            yield Problem(display_path(loaded.files[claim.id]), line, field_path(loc), message)


def _cross_file_problems(
    loaded: Loaded, lines_by_id: dict[str, dict[Loc, int]], known_ids: set[str]
) -> Iterator[Problem]:
    """Checks between files: aliases that collide, `related` that points at nothing (an old id, kept as an alias
    of the claim that replaced it, still points at that claim)."""
    owner_of_url: dict[str, str] = {claim_id: claim_id for claim_id in known_ids}
    for claim in loaded.claims:
        if not claim.aliases:  # most claims: naming the file costs more than these checks
            continue
        path, lines = display_path(loaded.files[claim.id]), lines_by_id[claim.id]
        for index, alias in enumerate(claim.aliases):
            other = owner_of_url.setdefault(alias, claim.id)
            if other != claim.id:
                what = "a claim's id" if other == alias else f"already an alias of {other}"
                yield Problem(path, lines[("aliases", index)], f"aliases[{index}]", f"'{alias}' is {what}")
    for claim in loaded.claims:
        if not claim.related:
            continue
        path, lines = display_path(loaded.files[claim.id]), lines_by_id[claim.id]
        for index, related in enumerate(claim.related):
            if related not in owner_of_url:
                yield Problem(path, lines[("related", index)], f"related[{index}]", f"no claim has the id '{related}'")
