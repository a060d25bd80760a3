"""Keep the evidence alive: find (or request) archived copies of sources, and check that every address answers.

`archive` asks the Wayback Machine's availability API for a snapshot of each source that has no `archive_url` (and,
with `save`, asks Save Page Now for one) and writes the address into the claim file line-wise, below the source's
`url`, so comments, order, quoting and line breaks stay as the author wrote them. `links` requests every source,
archive and appearance address and reports the dead and the moved with their file and line.

Standard library only: urllib for HTTP, a thread pool for bounded concurrency. Every request has a timeout, and one
that gets no answer, 429 or a 5xx is retried with exponential backoff.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import yaml

from factcheck.load import FileProblems, Loc, Problem, claim_files, display_path, field_path, parse_text, parse_yaml

# The endpoints, overridable so that tests (and mirrors) can point them elsewhere.
WAYBACK_API = os.environ.get("FACTCHECK_WAYBACK_API", "https://archive.org/wayback/available")
WAYBACK_SAVE = os.environ.get("FACTCHECK_WAYBACK_SAVE", "https://web.archive.org/save/")
USER_AGENT = "factcheck-evidence/1 (static fact-check site; link checker and archiver)"
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
MAX_REDIRECTS = 10
MOVED_HINT = "check that it is the same page and write its new address"
MAX_BODY = 1 << 20  # an availability answer is a few hundred bytes; a checked page's body is never read

# Exit codes of `archive`.
ARCHIVE_OK, ARCHIVE_SOME_FAILED, ARCHIVE_OFFLINE = 0, 1, 2
# Exit codes of `links`.
LINKS_OK, LINKS_BROKEN, LINKS_OFFLINE = 0, 1, 2


@dataclass(frozen=True)
class Http:
    """How requests are made: patient with one server, never with the network as a whole."""

    timeout: float = 20.0  # seconds for each request
    retries: int = 2  # further attempts after no answer, 429 or a 5xx
    backoff: float = 2.0  # seconds before the first retry, doubled for each next
    workers: int = 4  # requests in flight at once
    host_delay: float = 1.0  # `links`: seconds between two requests to the same host
    auth: str = ""  # "accesskey:secret" of an archive.org account, for Save Page Now


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer at all
    reason: str  # what a reader is told: "404 Not Found", "no answer within 20 s", ...
    location: str | None = None
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status == 429 or self.status >= 500


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by hand, so that `links` sees each hop (a permanent move is worth reporting)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def request(url: str, http: Http, read_body: bool = False, headers: dict[str, str] | None = None) -> Answer:
    """One GET, retried with exponential backoff while there is no answer, 429 or a 5xx."""
    headers = {"User-Agent": USER_AGENT, **(headers or {})}
    answer = _request_once(url, http, read_body, headers)
    for attempt in range(http.retries):
        if not answer.retryable:
            break
        time.sleep(http.backoff * 2**attempt)
        answer = _request_once(url, http, read_body, headers)
    return answer


def _request_once(url: str, http: Http, read_body: bool, headers: dict[str, str]) -> Answer:
    try:
        with _OPENER.open(urllib.request.Request(url, headers=headers), timeout=http.timeout) as response:
            body = response.read(MAX_BODY) if read_body else b""
            return Answer(response.status, f"{response.status} {response.reason}", None, body, _lower(response.headers))
    except urllib.error.HTTPError as error:  # every status but 2xx, redirects included
        with error:
            headers_of = _lower(error.headers or {})
            return Answer(error.code, f"{error.code} {error.reason}", headers_of.get("location"), b"", headers_of)
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return _no_answer(http)
        return Answer(None, f"could not connect ({error.reason})")
    except TimeoutError:
        return _no_answer(http)
    except (OSError, HTTPException, ValueError) as error:
        return Answer(None, f"could not connect ({type(error).__name__}: {error})")


def _lower(headers: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _no_answer(http: Http) -> Answer:
    return Answer(None, f"no answer within {http.timeout:g} s")


# --- The Wayback Machine --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    url: str | None  # the snapshot's address; None when there is none
    failure: str = ""  # why the archive could not be asked; "" when it answered
    answered: bool = True  # False: no answer at all (offline, or the archive is down)


def find_snapshot(url: str, http: Http, api: str = WAYBACK_API) -> Snapshot:
    """The closest snapshot the availability API knows, as
    {"archived_snapshots": {"closest": {"available": true, "url": ..., "timestamp": ..., "status": "200"}}},
    or {"archived_snapshots": {}} when there is none."""
    answer = request(f"{api}?{urlencode({'url': url})}", http, read_body=True)
    if answer.status is None:
        return Snapshot(None, f"the Wayback Machine did not answer: {answer.reason}", answered=False)
    if answer.status != 200:
        return Snapshot(None, f"the Wayback Machine answered {answer.reason}")
    try:
        closest = json.loads(answer.body)["archived_snapshots"].get("closest") or {}
        snapshot, status = closest.get("url"), str(closest.get("status", "200"))
    except (ValueError, KeyError, TypeError, AttributeError):
        return Snapshot(None, "the Wayback Machine's answer was not the JSON its API documents")
    if not closest.get("available") or not status.startswith(("2", "3")) or not isinstance(snapshot, str):
        return Snapshot(None)  # a snapshot of an error page is no copy of the source
    return _checked_snapshot(snapshot)


def save_snapshot(url: str, http: Http, save: str = WAYBACK_SAVE, api: str = WAYBACK_API) -> Snapshot:
    """Ask Save Page Now for a snapshot: its address is in Content-Location (or where the answer redirects), else
    the availability API is asked again."""
    answer = request(save + url, http, headers={"Authorization": f"LOW {http.auth}"} if http.auth else None)
    if answer.status is None or answer.status >= 400:
        return Snapshot(None, f"Save Page Now answered {answer.reason}")
    for found in (answer.headers.get("content-location"), answer.location):
        if found and re.search(r"/web/\d{4,14}/", found):
            return _checked_snapshot(urljoin(save, found))
    return find_snapshot(url, http, api)


def _checked_snapshot(address: str) -> Snapshot:
    # The archive speaks http; its snapshots are served over https too, which readers should get.
    address = re.sub(r"^http://web\.archive\.org/", "https://web.archive.org/", address)
    if not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+/\S*", address):
        return Snapshot(None, f"the Wayback Machine gave an address that is not one: {address[:80]!r}")
    return Snapshot(address)


# --- Claim files: what to archive and check, and the line-wise edit ----------------------------------------------


@dataclass(frozen=True)
class Address:
    path: Path
    line: int
    loc: Loc  # e.g. ("sources", 2, "url")
    url: str
    archive_url: str | None = None  # the source's archived copy, for a source's url

    def where(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {field_path(self.loc)}"


def read_claims(claims_dir: Path) -> tuple[list[tuple[Path, Any, dict[Loc, int]]], list[Problem]]:
    """Each readable claim file with its values and lines; the problems of those that cannot be read."""
    files, problems = [], []
    for path in claim_files([claims_dir]):
        try:
            data, lines = parse_yaml(path)
        except FileProblems as error:
            problems += error.problems
            continue
        if isinstance(data, dict):
            files.append((path, data, lines))
    return files, problems


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    items = data.get(key)
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict):
            yield index, item


def addresses(files: Iterable[tuple[Path, Any, dict[Loc, int]]]) -> list[Address]:
    """Every source, archive and appearance address, in file and line order."""
    found = []
    for path, data, lines in files:
        for index, source in _items(data, "sources"):
            for key in ("url", "archive_url"):
                if isinstance(source.get(key), str):
                    archived = source.get("archive_url") if key == "url" else None
                    loc = ("sources", index, key)
                    found.append(Address(path, lines[loc], loc, source[key], archived))
        for index, appearance in _items(data, "appearances"):
            if isinstance(appearance.get("url"), str):
                loc = ("appearances", index, "url")
                found.append(Address(path, lines[loc], loc, appearance["url"]))
    return sorted(found, key=lambda a: (a.path, a.line))


KEY_LINE = re.compile(r"^(?P<indent> *(?:- +)?)(?P<key>[A-Za-z_]+) *:(?P<rest>.*?)(?P<eol>\r?\n)?$", re.DOTALL)


def add_archive_urls(text: str, lines: dict[Loc, int], snapshots: dict[int, str]) -> str:
    """`text` with `archive_url: <snapshot>` under the `url` of each source (index -> snapshot), or in place of an
    empty `archive_url:`; every other line is kept byte for byte. Raises ValueError where the file is not laid out
    one key a line (a flow mapping such as `- {url: ...}`), which is then left to be edited by hand."""
    rows = text.splitlines(keepends=True)
    for index in sorted(snapshots, reverse=True):  # from the bottom, so earlier line numbers stay right
        value = _yaml_scalar(snapshots[index])
        empty = lines.get(("sources", index, "archive_url"))
        if empty is not None:
            match = _key_row(rows, empty, "archive_url")
            rows[empty - 1] = f"{match['indent']}archive_url: {value}{match['eol'] or ''}"
            continue
        url_line = lines[("sources", index, "url")]
        match = _key_row(rows, url_line, "url")
        indent = " " * len(match["indent"])
        end = _value_end(rows, url_line, len(indent))
        if not rows[end - 1].endswith("\n"):  # the last line of the file had no line break
            rows[end - 1] += match["eol"] or "\n"
        rows.insert(end, f"{indent}archive_url: {value}{match['eol'] or chr(10)}")
    return "".join(rows)


def _key_row(rows: list[str], line: int, key: str) -> re.Match[str]:
    match = KEY_LINE.match(rows[line - 1])
    if not match or match["key"] != key:
        raise ValueError(f"line {line} does not start with `{key}:`")
    return match


def _value_end(rows: list[str], line: int, indent: int) -> int:
    """The last line (1-based) of the value that starts on `line`: continuation lines are indented deeper than the
    key; blank lines count only when more of the value follows."""
    end = line
    for number in range(line + 1, len(rows) + 1):
        row = rows[number - 1]
        if not row.strip():
            continue
        if len(row) - len(row.lstrip(" ")) <= indent:
            break
        end = number
    return end


def _yaml_scalar(value: str) -> str:
    """Plain when YAML reads it back as the same text; otherwise a double-quoted (JSON) string, which YAML reads."""
    try:
        if yaml.safe_load(f"k: {value}") == {"k": value}:
            return value
    except yaml.YAMLError:
        pass
    return json.dumps(value, ensure_ascii=False)


# --- `archive` ----------------------------------------------------------------------------------------------------


@dataclass
class ArchiveReport:
    archived: list[tuple[str, str]] = field(default_factory=list)  # (where, snapshot) of each address written
    had_one: int = 0
    none_found: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    offline: str = ""  # why nothing was asked: the archive could not be reached

    def lines(self, saving: bool) -> list[str]:
        hint = "it may be saved later" if saving else "run `archive --save` to request a snapshot"
        out = [f"{where}: archived as {url}" for where, url in self.archived]
        out += [f"{where}: no snapshot found. Hint: {hint}" for where in self.none_found]
        out += [f"{where}: {why}. Hint: run `archive` again later" for where, why in self.failed]
        summary = (
            f"{len(self.archived)} archived, {self.had_one} already had one, {len(self.none_found)} none found, "
            f"{len(self.failed)} failed."
        )
        return [*out, summary]


def archive(claims_dir: Path, http: Http, save: bool = False, api: str = WAYBACK_API,
            save_endpoint: str = WAYBACK_SAVE) -> tuple[ArchiveReport, list[Problem]]:  # fmt: skip
    """Find (and with `save`, request) a snapshot of every source without `archive_url`, and write each found into
    its claim file. Nothing is written when the archive cannot be reached at all."""
    files, problems = read_claims(claims_dir)
    report = ArchiveReport()
    wanted: list[tuple[Path, int, Address]] = []
    for address in addresses(files):
        if address.loc[0] != "sources" or address.loc[2] != "url":
            continue  # only sources have an archived copy
        if address.archive_url:
            report.had_one += 1
        else:
            wanted.append((address.path, address.loc[1], address))
    if not wanted:
        return report, problems

    def look_up(url: str) -> Snapshot:
        found = find_snapshot(url, http, api)
        if save and not found.url and not found.failure:
            return save_snapshot(url, http, save_endpoint, api)
        return found

    urls = sorted({address.url for _, _, address in wanted})
    first = look_up(urls[0])  # alone: offline, every request would wait for its timeouts and retries
    if not first.answered:  # offline, or the archive is down: say so, and change nothing
        report.offline = f"{first.failure} (at {api}). Nothing was changed"
        return report, problems
    snapshots = dict(zip(urls, [first, *_pooled(look_up, urls[1:], http.workers)], strict=True))

    by_file: dict[Path, dict[int, str]] = defaultdict(dict)
    for path, index, address in wanted:
        found = snapshots[address.url]
        if found.url:
            by_file[path][index] = found.url
            report.archived.append((address.where(), found.url))
        elif found.failure:
            report.failed.append((address.where(), found.failure))
        else:
            report.none_found.append(address.where())
    for path, _, lines in files:
        if path in by_file:
            failure = _write_archive_urls(path, lines, by_file[path])
            if failure:
                written = {where for where, _ in report.archived if where.startswith(f"{display_path(path)}:")}
                report.archived = [item for item in report.archived if item[0] not in written]
                report.failed.append((f"{display_path(path)}:1: sources", failure))
    return report, problems


def _write_archive_urls(path: Path, lines: dict[Loc, int], snapshots: dict[int, str]) -> str:
    """Write the addresses into the file; return why not, or "" when written."""
    try:
        text = path.read_bytes().decode("utf-8")
        data, now = parse_text(path, text)
        if now != lines:  # the file was edited while the archive was asked
            return "not changed: the file changed meanwhile. Hint: run `archive` again"
        new_text = add_archive_urls(text, lines, snapshots)
        new_data, _ = parse_text(path, new_text)
    except ValueError as error:  # UnicodeDecodeError included
        return f"not changed: {error}. Hint: add archive_url by hand"
    except FileProblems as error:
        return f"not changed: the edit would not read back ({error.problems[0]}). Hint: add archive_url by hand"
    for index, url in snapshots.items():  # what it must read back as: the same values, and the new addresses
        data["sources"][index]["archive_url"] = url
    if new_data != data:
        return "not changed: the edit would not read back as written. Hint: add archive_url by hand"
    temporary = path.with_name(f".{path.name}.archive.tmp")  # a hidden name: never read as a claim file
    temporary.write_bytes(new_text.encode("utf-8"))
    temporary.replace(path)
    return ""


def _pooled(work: Callable[[str], Any], items: list[str], workers: int) -> list[Any]:
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(work, items))


# --- `links` ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkState:
    problem: str = ""  # "404 Not Found", "no answer within 20 s": the address is dead
    moved_to: str = ""  # it answers, after a permanent redirect to here
    answered: bool = True  # False: no answer at all (to tell offline from dead)


def check_link(url: str, http: Http) -> LinkState:
    """Follow redirects hop by hop: dead, moved permanently (a 301 or 308 on the way), or fine."""
    current, permanent = url, 0
    for _ in range(MAX_REDIRECTS + 1):
        answer = request(current, http)
        if answer.status in REDIRECTS and answer.location:
            permanent = permanent or (answer.status if answer.status in PERMANENT else 0)
            current = urljoin(current, answer.location)
            continue
        if answer.status is None:
            return LinkState(problem=answer.reason, answered=False)
        if answer.status >= 400:
            return LinkState(problem=answer.reason)
        if permanent and current != url:
            return LinkState(moved_to=f"moved permanently ({permanent}) to {current}")
        return LinkState()
    return LinkState(problem=f"more than {MAX_REDIRECTS} redirects")


@dataclass
class LinksReport:
    lines: list[str] = field(default_factory=list)  # a dead or moved address each
    checked: int = 0  # distinct addresses
    problems: list[Problem] = field(default_factory=list)  # files that could not be read
    offline: str = ""  # why nothing could be checked


def check_links(claims_dir: Path, http: Http, api: str = WAYBACK_API) -> LinksReport:
    """Every dead or moved source, archive and appearance address, with its file, line and archived copy."""
    files, problems = read_claims(claims_dir)
    found = addresses(files)
    if not found:
        return LinksReport(problems=problems)
    # The archive first, alone: offline, every address would wait for its timeouts and retries before saying so.
    probe = find_snapshot(found[0].url, http, api)
    if not probe.answered:
        return LinksReport(problems=problems, offline=f"{probe.failure} (at {api}). Nothing was checked")
    states = _check_politely(sorted({a.url for a in found}), http)
    if not any(state.answered for state in states.values()):
        return LinksReport(problems=problems, offline=f"none of {len(states)} addresses answered")
    dead = sorted({a.url for a in found if states[a.url].problem and not a.archive_url and a.loc[2] != "archive_url"})
    archived = dict(zip(dead, _pooled(lambda url: find_snapshot(url, http, api), dead, http.workers), strict=True))
    report = LinksReport(checked=len(states), problems=problems)
    for address in found:
        state = states[address.url]
        if state.problem:
            report.lines.append(f"{address.where()}: {state.problem}. Hint: {_dead_hint(address, archived)}")
        elif state.moved_to:
            report.lines.append(f"{address.where()}: {state.moved_to}. Hint: {MOVED_HINT}")
    return report


def _dead_hint(address: Address, archived: dict[str, Snapshot]) -> str:
    if address.loc[2] == "archive_url":
        return f"find another snapshot at https://web.archive.org/web/*/{address.url.split('/', 5)[-1]}"
    if address.archive_url:
        return f"the archived copy is {address.archive_url}"
    snapshot = archived[address.url]
    if snapshot.url:
        return f"the archived copy is {snapshot.url}"
    if snapshot.failure:
        return f"the archive could not be asked for a copy ({snapshot.failure})"
    return "no archived copy was found; look for the page's new address or another source"


def _check_politely(urls: list[str], http: Http) -> dict[str, LinkState]:
    """Hosts are checked side by side (at most `workers` at once), each host's addresses one after another with
    `host_delay` between them, so no site gets more than one request at a time from us."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).hostname or url].append(url)
    lock, states = threading.Lock(), {}

    def check_host(host: str) -> None:
        for position, url in enumerate(by_host[host]):
            if position:
                time.sleep(http.host_delay)
            state = check_link(url, http)
            with lock:
                states[url] = state

    _pooled(check_host, sorted(by_host), http.workers)
    return states
