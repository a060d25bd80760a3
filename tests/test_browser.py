"""What a reader does, in a real browser: Playwright driving Debian's Chromium against the built real site.

Skipped on a machine without Chromium, except in CI (CI=true), where a missing browser is a failure.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import REPO
from test_site import CLAIMS, SCALE

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "artifacts" / "screenshots"
PHONE = {"width": 375, "height": 667}


@pytest.fixture(scope="module")
def server(real_site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(real_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing ({CHROMIUM}); `make test` installs Debian's chromium")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


class Visit:
    """A page opened in a fresh context, remembering console errors and every host it asked for."""

    def __init__(self, browser, server: str, **context):
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.hosts: set[str] = set()
        self.server = server
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).netloc))

    def open(self, path: str = ""):
        self.page.goto(self.server + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def assert_clean(self) -> None:
        assert self.errors == [], (self.errors, self.hosts)
        assert self.hosts <= {urlparse(self.server).netloc}, self.hosts

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, server):
    visits: list[Visit] = []

    def open_visit(**context) -> Visit:
        visits.append(Visit(browser, server, **context))
        return visits[-1]

    yield open_visit
    for v in visits:
        v.close()


def test_home_shows_latest_fact_checks_with_verdicts(visit):
    v = visit()
    page = v.open()
    cards = page.locator(".fc-latest .fc-card")
    assert cards.count() == min(12, len(CLAIMS))
    assert cards.first.locator(".fc-badge").inner_text() in {r.label for r in SCALE.ratings}
    assert page.locator("ul.fc-counts li").count() == len(SCALE.ratings)
    v.assert_clean()


def test_filter_the_index_by_verdict(visit):
    v = visit()
    page = v.open("claims/")
    verdict = next(key for key, _ in sorted({c.verdict: 1 for c in CLAIMS.values()}.items()))
    expected = sorted(c.headline for c in CLAIMS.values() if c.verdict == verdict)
    page.select_option("select[name=verdict]", verdict)
    page.wait_for_function(f"document.querySelector('#fc-count').textContent.startsWith('{len(expected)} ')")
    cards = page.locator("#fc-results .fc-card")
    assert sorted(cards.locator(".fc-card__title").all_inner_texts()) == expected
    assert set(cards.evaluate_all("cards => cards.map(c => c.dataset.verdict)")) == {verdict}
    page.select_option("select[name=verdict]", "")
    page.select_option("select[name=sort]", "oldest")
    page.wait_for_function(f"document.querySelector('#fc-count').textContent.startsWith('{len(CLAIMS)} ')")
    titles = cards.locator(".fc-card__title").all_inner_texts()
    oldest = min(CLAIMS.values(), key=lambda c: (c.published, c.claim_date, c.id))
    assert titles[0] == oldest.headline
    v.assert_clean()


def test_filter_by_topic_and_claimant(visit):
    v = visit()
    page = v.open("claims/")
    claim = next(c for c in CLAIMS.values() if c.topics)
    page.select_option("select[name=topic]", claim.topics[0])
    page.select_option("select[name=claimant]", claim.claimant.slug)
    expected = sorted(
        c.headline for c in CLAIMS.values() if claim.topics[0] in c.topics and c.claimant.slug == claim.claimant.slug
    )
    page.wait_for_function(f"document.querySelector('#fc-count').textContent.startsWith('{len(expected)} ')")
    assert sorted(page.locator("#fc-results .fc-card__title").all_inner_texts()) == expected
    v.assert_clean()


def test_index_lists_every_claim_without_javascript(visit):
    v = visit(java_script_enabled=False)
    page = v.open("claims/")
    assert page.locator("#fc-results .fc-card").count() == min(len(CLAIMS), 50)
    assert not page.locator("#fc-filters").is_visible()


def search(page, query: str) -> list[str]:
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").fill("")
    page.locator(".md-search__input").press_sequentially(query, delay=30)
    page.locator(".md-search-result__item a").first.wait_for()
    return page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")


@pytest.mark.parametrize(
    ("query", "claim_id"),
    [
        ("Tarasivka", "six-chinese-soldiers-tarasivka-bilohorivka"),  # in the claim text
        ("Douyin", "recruitment-through-social-media-ads"),  # only in the summary
        ("Peskov", "kremlin-chinese-fighters-not-true"),  # the claimant
    ],
)
def test_search_finds_claims_by_claim_summary_and_claimant(visit, query, claim_id):
    v = visit()
    page = v.open()
    assert any(f"/claims/{claim_id}/" in href for href in search(page, query))
    v.assert_clean()


def test_search_finds_a_claim_by_its_claimant(visit):
    v = visit()
    page = v.open()
    claim = next(c for c in CLAIMS.values() if c.claimant.name == "Kaja Kallas")
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Kallas", delay=30)
    result = page.locator(".md-search-result__item a").first
    result.wait_for()
    assert claim.id in result.get_attribute("href")
    result.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == claim.headline
    v.assert_clean()


def test_first_visit_of_a_claim_page_is_small_and_fetches_no_search_index(visit):
    """A reader who opens one shared link downloads the page and the theme, not the search index; the index comes
    once they start to search. The whole first visit, gzipped as a web server sends it, stays under 100 KB."""
    v = visit()
    responses: list = []
    v.context.on("response", lambda response: responses.append(response))
    claim = CLAIMS["ukraine-captured-two-chinese-citizens"]
    page = v.open(f"claims/{claim.id}/")
    fetched = {urlparse(r.url).path: len(gzip.compress(r.body())) for r in responses if r.status == 200}
    assert "/search/search_index.json" not in fetched
    assert f"/claims/{claim.id}/" in fetched and "/assets/javascripts/search.js" in fetched
    assert sum(fetched.values()) < 100_000, fetched
    with page.expect_response(lambda r: r.url.endswith("/search/search_index.json")):
        page.keyboard.press("/")  # the theme's shortcut to open search
    v.assert_clean()


def test_claim_page_then_a_source_link(visit):
    v = visit()
    claim = CLAIMS["ukraine-captured-two-chinese-citizens"]
    page = v.open(f"claims/{claim.id}/")
    assert page.locator("h1").inner_text() == claim.headline
    assert page.locator("#verdict h2").inner_text() == f"Our verdict: {SCALE.by_key[claim.verdict].label}"
    assert " ".join(claim.summary.split()) in page.locator(".fc-summary").inner_text()
    v.assert_clean()
    # Following a source leaves the site for the source's own address (answered here by a stand-in page).
    source = claim.sources[0]
    page.route(source.url, lambda route: route.fulfill(body="<title>source</title>", content_type="text/html"))
    page.locator("#sources a", has_text=source.title).first.click()
    page.wait_for_url(source.url)
    assert page.title() == "source"


def test_copy_link_button_copies_the_permalink(visit):
    v = visit(permissions=["clipboard-read", "clipboard-write"])
    claim_id = "ukraine-captured-two-chinese-citizens"
    page = v.open(f"claims/{claim_id}/")
    page.locator("button.fc-copy").click()
    page.wait_for_function("document.querySelector('button.fc-copy').textContent !== 'Copy link'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"https://factcheck.example.org/claims/{claim_id}/"


@pytest.mark.parametrize("path", ["", "claims/", "claims/ukraine-captured-two-chinese-citizens/", "methodology/"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(visit, path, scheme):
    from axe_playwright_python.sync_playwright import Axe

    v = visit(color_scheme=scheme)
    page = v.open(path)
    results = Axe().run(page)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []


@pytest.mark.parametrize("path", ["", "claims/", "methodology/", "claims/topics/foreign-fighters/"])
def test_pages_fit_a_phone_screen(visit, path):
    page = visit(viewport=PHONE).open(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize(("name", "viewport"), [("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_claim_page_screenshots_and_the_fold(visit, name, viewport, scheme):
    v = visit(viewport=viewport, color_scheme=scheme)
    claim = CLAIMS["ukraine-captured-two-chinese-citizens"]
    page = v.open(f"claims/{claim.id}/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"claim-{name}-{scheme}.png")
    if name == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
        for selector in ("h1", "blockquote", "#verdict h2", ".fc-summary"):
            box = page.locator(selector).bounding_box()
            assert box["y"] + box["height"] <= PHONE["height"], f"{selector} is below the fold"
    v.assert_clean()
