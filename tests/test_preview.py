"""The live preview (`mkdocs serve --dirty`) and the site's settings: what an editor sees after saving a file."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO, claim_yaml
from pages import Page

BOUND = 60  # seconds to wait for the preview server before failing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=BOUND) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(url: str, condition, what: str) -> str:
    deadline = time.monotonic() + BOUND
    status, body = 0, ""
    while time.monotonic() < deadline:
        try:
            status, body = fetch(url)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status, body = 0, ""
        if condition(status, body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {BOUND} s; last response {status}: {body[:500]}")


@pytest.mark.parametrize("watch", ["native", "poll"])
def test_serve_shows_problems_in_the_browser_then_the_fixed_page(project, tmp_path, watch):
    """Saving an invalid claim shows an error page naming file and line (not a request that hangs); saving the fix
    brings the page back, in the same server. The operating system's file events by default, MkDocs' polling
    with FACTCHECK_WATCH=poll; either way, a build reading the files it watches does not set off another."""
    project.write("first.yaml", claim_yaml("first"))
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_WATCH": watch}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"]
    log = tmp_path / "serve.log"
    with log.open("w") as stderr:
        server = subprocess.Popen(command, cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        page = f"http://127.0.0.1:{port}/claims/first/"
        wait_for(page, lambda status, body: status == 200 and "Zelensky" in body, "the first build")
        project.write("first.yaml", claim_yaml("first", verdict="maybe"))
        body = wait_for(page, lambda status, body: status == 500, "the error page")
        assert "claims/first.yaml:" in body and "verdict" in body and "maybe" in body
        assert "<script>" in body  # MkDocs' reload script: the page comes back by itself once fixed
        project.write("first.yaml", claim_yaml("first", summary="Fixed and saved again."))
        body = wait_for(page, lambda status, body: status == 200, "the fixed page")
        assert "Fixed and saved again." in Page.parse(body).text
        time.sleep(1.5)  # three times the polling interval, time for any build to start
        builds = log.read_text().count("Building documentation")
        time.sleep(1.5)
        assert log.read_text().count("Building documentation") == builds, "builds with no file saved"
    finally:
        server.terminate()
        server.wait(timeout=BOUND)


def test_a_bad_watch_setting_is_one_line(project):
    project.write("first.yaml", claim_yaml("first"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "FACTCHECK_WATCH": "sometimes"}
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{free_port()}"]
    result = subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True, timeout=BOUND)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "FACTCHECK_WATCH: expected 'native' or 'poll', got 'sometimes'. Hint:" in result.stderr


# Run in a separate process with its own copy of the package, so that a template can be edited between builds.
REBUILDS = """
import json, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

EDITS = {
    "template": [
        ("factcheck/templates/macros.j2", "(claim, claimant, root) -%}", "(claim, claimant, root) -%}MACRO-EDITED "),
        ("factcheck/templates/card.html.j2", "{{ claim.headline | text }}", "CARD-EDITED {{ claim.headline | text }}"),
    ],
    "topics": [("data/topics.yaml", ": ", ": Edited topic ")],
    "ratings": [("data/ratings.yaml", 'label: "True"', 'label: "Edited True"')],
    "claim": [
        ("claims/second.yaml", "summary: ", "summary: Edited summary. "),
        ("claims/second.yaml", 'claim: "', 'claim: "Edited claim. '),
    ],
}
build(load_config("mkdocs.yml"))
seen = {"epoch": os.environ.get("SOURCE_DATE_EPOCH")}
for step, edits in EDITS.items():
    for path, old, new in edits:
        text = Path(path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")
    build(load_config("mkdocs.yml"), dirty=True)
    pages = ("claims/first/", "claims/second/", "claims/", "")  # two claims, the index, the home page
    seen[step] = {page: Path(f"site/{page}index.html").read_text(encoding="utf-8") for page in pages}
print(json.dumps(seen))
"""


def test_edits_to_templates_data_and_claims_show_after_the_next_build(project):
    """As `mkdocs serve --dirty` rebuilds: in one process, each kind of input edited in turn shows in the pages."""
    (project.root / "factcheck").unlink()
    shutil.copytree(REPO / "factcheck", project.root / "factcheck", ignore=shutil.ignore_patterns("__pycache__"))
    project.write("first.yaml", claim_yaml("first"))
    project.write("second.yaml", claim_yaml("second"))
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    result = subprocess.run([sys.executable, "-c", REBUILDS], cwd=project.root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen.pop("epoch") is None  # set for the sitemap during each build, and not left changed in the process
    texts = {step: {page: Page.parse(html).text for page, html in pages.items()} for step, pages in seen.items()}
    template, topics, ratings, claim = texts["template"], texts["topics"], texts["ratings"], texts["claim"]
    first, second, index, home = "claims/first/", "claims/second/", "claims/", ""
    assert "MACRO-EDITED" in template[first] and "MACRO-EDITED" in template[second]
    assert "CARD-EDITED" in template[index] and "CARD-EDITED" in template[first]  # listings; related claims
    assert "CARD-EDITED" in template[home]  # a hand-written page, through a generated include
    assert "Edited topic" in topics[first] and "Edited topic" in topics[second]
    assert "Edited True" in ratings[first] and "Edited True" in ratings[index] and "Edited True" in ratings[home]
    assert "Edited summary." in claim[second] and "Edited summary." not in claim[first]
    assert "Edited claim." in claim[index] and "Edited claim." in claim[first] and "Edited claim." in claim[home]


INHERITING = """\
INHERIT: base.yml
site_url: !ENV [FACTCHECK_TEST_URL, "https://wrong.example/"]
"""


def test_settings_come_from_the_configuration_as_mkdocs_loaded_it(project, monkeypatch):
    """`!ENV` and INHERIT give the same URL in canonical links, ClaimReview, exports and feeds, built by MkDocs or
    by the command line."""
    (project.root / "mkdocs.yml").rename(project.root / "base.yml")
    (project.root / "mkdocs.yml").write_text(INHERITING, encoding="utf-8")
    project.write("first.yaml", claim_yaml("first"))
    url = "https://news.example.net/checks/"
    result = project.mkdocs_build(FACTCHECK_TEST_URL=url)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    page = Page.load(site / "claims" / "first" / "index.html")
    assert [e.attrs["href"] for e in page.find_all("link", rel="canonical")] == [f"{url}claims/first/"]
    assert page.jsonld()[0]["url"] == f"{url}claims/first/"
    assert page.meta("og:image") == f"{url}claims/previews/first.png"
    export = json.loads(gzip.decompress((site / "claims" / "claims.json.gz").read_bytes()))
    assert export["site"] == url and export["claims"][0]["url"] == f"{url}claims/first/"
    assert f'href="{url}claims/first/"' in (site / "claims" / "feed.xml").read_text(encoding="utf-8")
    monkeypatch.setenv("FACTCHECK_TEST_URL", url)
    assert project.cli("build").returncode == 0
    generated = json.loads(gzip.decompress((project.root / "docs" / "claims" / "claims.json.gz").read_bytes()))
    assert generated["site"] == url
