"""`archive` and `links` against a local server imitating the Wayback Machine and dead, moved and slow sites.

No test touches the internet: every address is on 127.0.0.1, served by a thread of the test.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import claim_yaml

from factcheck import evidence
from factcheck.cli import main

SLOW = 1.0  # seconds the slow site and the slow archive take; every test waits at most TIMEOUT for them
TIMEOUT = 0.3


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server_address[1]}"
        self.requests: list[str] = []
        self.in_flight = self.most_in_flight = 0
        self.lock = threading.Lock()

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up waiting (the slow answers) is expected, not an error


class Handler(BaseHTTPRequestHandler):
    """/available?url=...: a snapshot when the address holds 'archived', an error for 'apierror', slow for
    'apislow', none otherwise. /save/<url>: a new snapshot. Sites: 'gone' 404, /moved 301 and /temp 302 to /ok,
    /loop redirects to itself, /slow answers late, anything else 200."""

    server: Server

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        server = self.server
        # Requests to the sites (not to the archive) in flight at once; the slow site's handler goes on sleeping
        # after the client has given up, so it is left out.
        self.counted = self.path.startswith("/site/") and self.path != "/site/slow"
        with server.lock:
            server.requests.append(self.path)
            server.in_flight += self.counted
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
        time.sleep(0.01)  # long enough for a second request from a careless client to overlap
        self.answer()

    def answer(self) -> None:
        path = urlsplit(self.path).path
        if path == "/available":
            url = parse_qs(urlsplit(self.path).query)["url"][0]
            if "apierror" in url:
                return self.reply(503)
            if "apislow" in url:
                time.sleep(SLOW)
            closest = {"available": True, "url": f"{self.server.base}/web/20250101000000/{url}", "status": "200"}
            return self.reply(200, {"archived_snapshots": {"closest": closest} if "archived" in url else {}})
        if path.startswith("/save/"):
            return self.reply(200, headers={"content-location": f"/web/20260101000000/{path[len('/save/') :]}"})
        if "gone" in path:
            return self.reply(404)
        if path in ("/site/moved", "/site/temp"):
            return self.reply(301 if path.endswith("moved") else 302, headers={"Location": "/site/ok"})
        if path == "/site/loop":
            return self.reply(301, headers={"Location": "/site/loop"})
        if path == "/site/slow":
            time.sleep(SLOW)
        return self.reply(200)

    def reply(self, status: int, body: object = None, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        with self.server.lock:  # done before answering: the client's next request cannot overlap this one
            self.server.in_flight -= self.counted
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[Server]:
    server = Server()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def http(**changes: float) -> evidence.Http:
    return evidence.Http(**{"timeout": TIMEOUT, "retries": 0, "backoff": 0.01, "workers": 2, "host_delay": 0} | changes)


SOURCES = """\
sources:
  # The primary source first: a comment the edit keeps.
  - title: "Report"   # a quoted title, and a comment
    publisher: Example News
    url: {base}/site/archived-one   # the page
    supports: Reports the capture
  - url: >-
      {base}/site/archived-two

    title: 'Two'
    publisher: Example
  - title: Three
    publisher: Example
    url: {base}/site/missing
  - title: Four
    publisher: Example
    url: {base}/site/archived-four
    archive_url: https://web.archive.org/web/2025/https://example.org/four
  - title: Five
    publisher: Example
    url: {base}/site/archived-last"""


def claim_with_sources(base: str) -> str:
    # The last source ends the file, without a final line break.
    return claim_yaml(sources="").rstrip("\n") + "\n" + SOURCES.format(base=base)


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(project, capsys, monkeypatch):
    """The command line, run in this process (a child process would spend seconds importing)."""
    monkeypatch.chdir(project.root)

    def run(*args: str) -> Result:
        code = main(["--config", str(project.root / "mkdocs.yml"), *args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


def run_archive(cli, server: Server, *options: str) -> Result:
    endpoints = ("--wayback-api", f"{server.base}/available", "--wayback-save", f"{server.base}/save/")
    return cli("archive", "--timeout", str(TIMEOUT), "--retries", "0", *endpoints, *options)


def test_archive_writes_only_the_new_lines_and_is_idempotent(cli, project, server):
    original = claim_with_sources(server.base)
    path = project.write("sample-claim.yaml", original)
    result = run_archive(cli, server)
    assert result.returncode == 0, result.stderr
    snapshot = f"{server.base}/web/20250101000000/{server.base}/site/archived-"
    rows = original.split("\n")
    at = {row.strip(): number for number, row in enumerate(rows, 1)}
    url_one, url_two = at[f"url: {server.base}/site/archived-one   # the page"], at[f"{server.base}/site/archived-two"]
    expected = [*rows[:url_one], f"    archive_url: {snapshot}one", *rows[url_one:url_two]]
    expected += [f"    archive_url: {snapshot}two", *rows[url_two:], f"    archive_url: {snapshot}last", ""]
    assert path.read_bytes() == "\n".join(expected).encode()  # every other byte as it was
    assert result.stdout.splitlines() == [
        f"claims/sample-claim.yaml:{url_one}: sources[0].url: archived as {snapshot}one",
        f"claims/sample-claim.yaml:{url_two - 1}: sources[1].url: archived as {snapshot}two",
        f"claims/sample-claim.yaml:{at['- title: Five'] + 2}: sources[4].url: archived as {snapshot}last",
        f"claims/sample-claim.yaml:{at['- title: Three'] + 2}: sources[2].url: no snapshot found. "
        "Hint: run `archive --save` to request a snapshot",
        "3 archived, 1 already had one, 1 none found, 0 failed.",
    ]
    assert cli("check", "--skip-history").returncode == 0  # the file is still a valid claim

    before, asked = path.read_bytes(), len(server.requests)
    again = run_archive(cli, server)
    assert again.returncode == 0 and path.read_bytes() == before
    assert again.stdout.splitlines()[-1] == "0 archived, 4 already had one, 1 none found, 0 failed."
    assert len(server.requests) == asked + 1  # only the source still without a snapshot was looked up


def test_archive_with_save_requests_a_snapshot_where_there_is_none(cli, project, server):
    path = project.write("sample-claim.yaml", claim_yaml(sources="") + SOURCES.format(base=server.base) + "\n")
    result = run_archive(cli, server, "--save")
    assert result.returncode == 0, result.stderr
    assert f"    archive_url: {server.base}/web/20260101000000/{server.base}/site/missing\n" in path.read_text()
    assert [r for r in server.requests if r.startswith("/save/")] == [f"/save/{server.base}/site/missing"]
    assert result.stdout.splitlines()[-1] == "4 archived, 1 already had one, 0 none found, 0 failed."


def test_archive_offline_changes_nothing_and_says_so(cli, project, server):
    path = project.write("sample-claim.yaml", claim_with_sources(server.base))
    before = path.read_bytes()
    result = cli("archive", "--timeout", "1", "--retries", "0", "--wayback-api", "http://127.0.0.1:9/x")
    assert result.returncode == evidence.ARCHIVE_OFFLINE == 2
    assert path.read_bytes() == before and result.stdout == ""
    assert result.stderr.startswith("the Wayback Machine did not answer: could not connect (")
    assert result.stderr.endswith(
        " (at http://127.0.0.1:9/x). Nothing was changed. Hint: check the connection and run `archive` again\n"
    )


def test_archive_reports_errors_and_slow_answers_retries_and_writes_the_rest(project, server, monkeypatch):
    monkeypatch.chdir(project.root)
    sources = f"""sources:
  - title: One
    url: {server.base}/site/archived-a
  - title: Two
    url: {server.base}/site/archived-apierror
  - title: Three
    url: {server.base}/site/archived-apislow
"""
    path = project.write("sample-claim.yaml", claim_yaml(sources=sources))
    started = time.monotonic()
    report, _ = evidence.archive(project.root / "claims", http(retries=1), api=f"{server.base}/available")
    assert time.monotonic() - started < 4 * SLOW  # bounded: two timeouts and a short backoff, not the slow answers
    assert [where for where, _ in report.archived] == ["claims/sample-claim.yaml:18: sources[0].url"]
    assert report.failed == [
        ("claims/sample-claim.yaml:20: sources[1].url", "the Wayback Machine answered 503 Service Unavailable"),
        (
            "claims/sample-claim.yaml:22: sources[2].url",
            f"the Wayback Machine did not answer: no answer within {TIMEOUT} s",
        ),
    ]
    assert sum("apierror" in r for r in server.requests) == 2  # retried once
    assert path.read_text().count("archive_url:") == 1


def test_archive_leaves_a_flow_mapping_to_be_edited_by_hand(project, server, monkeypatch):
    monkeypatch.chdir(project.root)
    sources = (
        f"sources:\n  - {{title: One, url: {server.base}/site/archived-a}}\n  - {{title: Two, url: {server.base}/x}}\n"
    )
    path = project.write("sample-claim.yaml", claim_yaml(sources=sources))
    before = path.read_bytes()
    report, _ = evidence.archive(project.root / "claims", http(), api=f"{server.base}/available")
    assert report.failed == [
        (
            "claims/sample-claim.yaml:1: sources",
            "not changed: line 17 does not start with `url:`. Hint: add archive_url by hand",
        )
    ]
    assert path.read_bytes() == before


def test_add_archive_urls_keeps_crlf_and_fills_an_empty_archive_url():
    text = "sources:\r\n  - url: https://a.example/x  # c\r\n    title: A\r\n"
    text += "  - url: https://b.example/y\r\n    archive_url:\r\n"
    lines = {("sources", 0, "url"): 2, ("sources", 1, "url"): 4, ("sources", 1, "archive_url"): 5}
    snapshots = {0: "https://web.archive.org/web/1/https://a.example/x", 1: "https://example.org/a: b"}
    assert evidence.add_archive_urls(text, lines, snapshots) == (
        "sources:\r\n  - url: https://a.example/x  # c\r\n    archive_url: https://web.archive.org/web/1/https://a.example/x"
        '\r\n    title: A\r\n  - url: https://b.example/y\r\n    archive_url: "https://example.org/a: b"\r\n'
    )


LINKS = """sources:
  - title: Gone, with a snapshot in the file
    url: {base}/site/gone-kept
    archive_url: {base}/web/2025/gone
  - title: Gone, with a snapshot in the archive
    url: {base}/site/gone-archived
  - title: Gone for good
    url: {base}/site/gone-missing
  - title: Moved
    url: {base}/site/moved
  - title: Temporarily elsewhere
    url: {base}/site/temp
  - title: Slow
    url: {base}/site/slow
  - title: Loop
    url: {base}/site/loop
"""


def test_links_reports_dead_and_moved_addresses_with_file_line_and_the_archived_copy(cli, project, server):
    appearance = f"appearances:\n  - url: {server.base}/site/gone-post\n    outlet: X\n    date: 2025-04-08"
    project.write("sample-claim.yaml", claim_yaml(sources=LINKS.format(base=server.base), appearances=appearance))
    result = cli("links", "--timeout", str(TIMEOUT), "--retries", "0", "--workers", "2",
                         "--host-delay", "0", "--wayback-api", f"{server.base}/available")  # fmt: skip
    base, where = server.base, "claims/sample-claim.yaml"
    assert result.returncode == evidence.LINKS_BROKEN == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"{where}:8: appearances[0].url: 404 Not Found. Hint: no archived copy was found; look for the page's new "
        "address or another source",
        f"{where}:18: sources[0].url: 404 Not Found. Hint: the archived copy is {base}/web/2025/gone",
        f"{where}:19: sources[0].archive_url: 404 Not Found. Hint: find another snapshot at "
        "https://web.archive.org/web/*/gone",
        f"{where}:21: sources[1].url: 404 Not Found. Hint: the archived copy is "
        f"{base}/web/20250101000000/{base}/site/gone-archived",
        f"{where}:23: sources[2].url: 404 Not Found. Hint: no archived copy was found; look for the page's new "
        "address or another source",
        f"{where}:25: sources[3].url: moved permanently (301) to {base}/site/ok. Hint: check that it is the same "
        "page and write its new address",
        f"{where}:29: sources[5].url: no answer within {TIMEOUT} s. Hint: no archived copy was found; look for the "
        "page's new address or another source",
        f"{where}:31: sources[6].url: more than 10 redirects. Hint: no archived copy was found; look for the "
        "page's new address or another source",
        "9 addresses checked, 8 dead or moved.",
    ]
    assert "/site/ok" in server.requests  # the temporary redirect was followed, and not reported
    assert server.most_in_flight == 1  # one host: one request at a time, though two workers were allowed


def test_links_waits_between_requests_to_one_host(project, server):
    sources = "".join(f"  - title: T{n}\n    url: {server.base}/site/ok{n}\n" for n in range(3))
    project.write("sample-claim.yaml", claim_yaml(sources="sources:\n" + sources, appearances=""))
    started = time.monotonic()
    report = evidence.check_links(project.root / "claims", http(host_delay=0.2), api=f"{server.base}/available")
    assert (report.lines, report.checked) == ([], 3)
    assert time.monotonic() - started >= 0.4  # two waits between three requests to 127.0.0.1


def test_links_offline_says_so(cli, project):
    sources = "sources:\n  - title: T\n    url: http://127.0.0.1:9/a\n"
    project.write("sample-claim.yaml", claim_yaml(sources=sources, appearances=""))
    result = cli("links", "--timeout", "1", "--retries", "0", "--wayback-api", "http://127.0.0.1:9/x")
    assert result.returncode == evidence.LINKS_OFFLINE == 2
    assert result.stderr.startswith("the Wayback Machine did not answer: could not connect (")
    assert result.stderr.endswith(
        " (at http://127.0.0.1:9/x). Nothing was checked. Offline? Hint: check the connection\n"
    )


def test_links_says_offline_when_no_address_answers(cli, project, server):
    sources = "sources:\n  - title: T\n    url: http://127.0.0.1:9/a\n"
    project.write("sample-claim.yaml", claim_yaml(sources=sources, appearances=""))
    result = cli("links", "--retries", "0", "--wayback-api", f"{server.base}/available")
    assert result.returncode == 2
    assert result.stderr == "none of 1 addresses answered. Offline? Hint: check the connection\n"
