"""What keeps a large site small and portable: compact pages, and a generated folder other engines can read."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from conftest import REPO, Project
from pages import Page
from test_browser import CHROMIUM

from factcheck.mkdocs_hook import on_post_page


def test_pages_lose_their_indentation_but_not_their_text_or_preformatted_text():
    page = "<p>\n a <b>b</b>\n  <i>c</i></p>\n<pre>  x\n    y</pre>\n   <textarea>\n  t</textarea>\n\n  <PRE>\n z</PRE>"
    kept = "<p>\na <b>b</b>\n<i>c</i></p>\n<pre>  x\n    y</pre>\n<textarea>\n  t</textarea>\n<PRE>\n z</PRE>"
    assert on_post_page(page, page=SimpleNamespace(meta={})) == kept


SUB_PATH_URL = "https://user.github.io/repo/"  # a project site on GitHub Pages: everything under /repo/
ENGINES = ("mkdocs", "zensical")


def first_site_project(root: Path) -> Project:
    """The first site's claims in a project deployed under a sub-path, rendered by `build_claims.py build`."""
    project = Project(root)
    for path in (REPO / "claims").glob("*.yaml"):
        shutil.copy(path, project.root / "claims" / path.name)
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {SUB_PATH_URL}", text), encoding="utf-8")
    result = project.cli("build")
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The first site under a sub-path, built by MkDocs (with the hook) and by Zensical (from the generated folder)."""
    project = first_site_project(tmp_path_factory.mktemp("engines") / "project")
    built = {"mkdocs": project.mkdocs_build(project.root / "site-mkdocs")}
    zensical = Path(sys.executable).with_name("zensical")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    built["zensical"] = subprocess.run(
        [str(zensical), "build"], cwd=project.root, capture_output=True, text=True, env=env, timeout=600
    )
    (project.root / "site").rename(project.root / "site-zensical")
    for engine, result in built.items():
        assert result.returncode == 0, (engine, result.stdout, result.stderr)
    return {engine: project.root / f"site-{engine}" for engine in ENGINES}


@pytest.mark.parametrize("engine", ENGINES)
def test_every_claim_page_is_built(sites, engine):
    """Every claim page, and every translation's at /<language>/claims/<id>/, in both engines."""
    for path in (REPO / "claims").glob("*.yaml"):
        claim_id, _, language = path.stem.partition(".")
        address = f"{language}/claims/{claim_id}/" if language else f"claims/{claim_id}/"
        page = Page.load(sites[engine] / address / "index.html")
        assert page.jsonld()[0]["url"] == f"{SUB_PATH_URL}{address}"


@pytest.mark.parametrize("engine", ENGINES)
def test_internal_links_resolve_under_a_sub_path(sites, engine):
    """Every link and asset of every page, followed as a browser would from the page's address under /repo/."""
    site, base = sites[engine], urlsplit(SUB_PATH_URL)
    broken = []
    for page_file in site.rglob("*.html"):
        relative = page_file.relative_to(site).as_posix()
        address = f"{base.path}{relative.removesuffix('index.html')}"
        for element in Page.load(page_file).elements:
            link = element.attrs.get("href") or element.attrs.get("src")
            if not link or element.tag not in {"a", "link", "script", "img"}:
                continue
            target = urlsplit(urljoin(f"{base.scheme}://{base.netloc}{address}", link))
            if target.netloc != base.netloc or target.scheme not in {"http", "https"}:
                continue  # another site, mailto:, data:
            if not target.path.startswith(base.path):
                broken.append((relative, link))
                continue
            path = site / unquote(target.path.removeprefix(base.path))
            if not (path / "index.html" if target.path.endswith("/") else path).is_file():
                broken.append((relative, link))
    assert broken == []


def test_zensical_search_finds_a_claim(sites):
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")  # test_browser.py fails for it in CI
    from playwright.sync_api import sync_playwright

    serve_from = sites["zensical"].parent / "served"
    (serve_from / "repo").parent.mkdir(exist_ok=True)
    if not (serve_from / "repo").exists():
        (serve_from / "repo").symlink_to(sites["zensical"])
    handler = functools.partial(Quiet, directory=str(serve_from))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/repo/")
            page.locator(".md-search__button").click()
            page.keyboard.type("Kallas", delay=30)
            page.locator("a[href*='/repo/claims/kallas-china-key-enabler/?h=']").first.wait_for(timeout=30_000)
            browser.close()
    finally:
        httpd.shutdown()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_front_matter_is_valid_yaml_on_every_page(sites):
    """Zensical stops at front matter MkDocs silently shows as text (an unquoted colon, say): check every page's,
    hand-written and generated."""
    docs = sites["mkdocs"].parent / "docs"
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 50
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            front, _ = text[4:].split("\n---\n", 1)
            assert isinstance(yaml.safe_load(front), dict), path
