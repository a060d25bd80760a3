"""Who published it, and every change: the deployed address, the publisher, bylines and each claim's history."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from urllib.parse import unquote

from conftest import claim_yaml
from pages import Page, live_payloads

DEPLOYED = "https://someone.github.io/factcheck/"


def test_the_site_address_comes_from_the_deployment(project, monkeypatch):
    """FACTCHECK_SITE_URL (set by the Pages workflow) reaches every address readers and machines are given, built by
    MkDocs or by the command line; without it the site says where a local preview shows it."""
    project.write("first.yaml", claim_yaml("first"))
    result = project.mkdocs_build(FACTCHECK_SITE_URL=DEPLOYED)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    page = Page.load(site / "claims" / "first" / "index.html")
    url = f"{DEPLOYED}claims/first/"
    assert [link.attrs["href"] for link in page.find_all("link", rel="canonical")] == [url]
    assert page.meta("og:url") == url and page.meta("og:image") == f"{DEPLOYED}claims/previews/first.png"
    assert page.jsonld()[0]["url"] == url
    assert page.find_all("button", **{"class": "md-button fc-copy", "data-copy": url})
    assert page.find_all("input", id="permalink", value=url)
    shared = [unquote(a.attrs.get("href", "")) for a in page.find_all("a")]
    assert f"https://x.com/intent/post?url={url}" in shared
    export = json.loads(gzip.decompress((site / "claims" / "claims.json.gz").read_bytes()))
    assert export["site"] == DEPLOYED and export["claims"][0]["url"] == url
    assert f'href="{url}"' in (site / "claims" / "feed.xml").read_text(encoding="utf-8")
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert url in locations and all(loc.startswith(DEPLOYED) for loc in locations)

    monkeypatch.setenv("FACTCHECK_SITE_URL", DEPLOYED)
    assert project.cli("build").returncode == 0
    generated = json.loads(gzip.decompress((project.root / "docs" / "claims" / "claims.json.gz").read_bytes()))
    assert generated["site"] == DEPLOYED

    monkeypatch.delenv("FACTCHECK_SITE_URL")
    assert project.mkdocs_build().returncode == 0
    page = Page.load(site / "claims" / "first" / "index.html")
    assert page.find_all("link", rel="canonical")[0].attrs["href"] == "http://127.0.0.1:8000/claims/first/"


REPOSITORY = "https://github.com/someone/factcheck"
HAND_WRITTEN = ["about", "contributing", "data", "corrections"]


def shown_text(page: Page) -> str:
    """What a reader sees: the page's text without its scripts (the theme's own strings)."""
    text = page.text
    for script in page.find_all("script"):
        text = text.replace(" ".join(script.text.split()), "")
    return text


def links(page: Page) -> list[str]:
    return [a.attrs.get("href", "") for a in page.find_all("a")]


def test_the_publisher_is_named_honestly_and_every_repository_link_is_the_configured_one(project):
    """The open project and its contributors, linked to the repository that the workflow names; never a placeholder,
    never a made-up address."""
    project.write("first.yaml", claim_yaml("first"))
    result = project.mkdocs_build(FACTCHECK_REPOSITORY_URL=REPOSITORY)
    assert result.returncode == 0, result.stderr
    site = project.root / "site"
    pages = {name: Page.load(site / name / "index.html") for name in HAND_WRITTEN}
    about = pages["about"]
    assert "Publisher: the contributors to Fact-check Ukraine–China, an open project." in about.text
    assert f"{REPOSITORY}/issues/new/choose" in links(about) and REPOSITORY in links(about)
    assert f"{REPOSITORY}/blob/HEAD/CONTRIBUTING.md" in links(pages["contributing"])
    assert f"{REPOSITORY}/blob/HEAD/schema/claims-export.schema.json" in links(pages["data"])
    assert f"{REPOSITORY}/issues/new/choose" in links(pages["corrections"])
    claim = Page.load(site / "claims" / "first" / "index.html")
    assert claim.jsonld()[0]["author"] == {
        "@type": "Organization", "name": "Fact-check Ukraine–China contributors", "url": REPOSITORY
    }  # fmt: skip
    assert "Source and history" in [a.text for a in claim.find_all("a", href=REPOSITORY)]  # the footer
    feed = (site / "claims" / "feed.xml").read_text(encoding="utf-8")
    assert "<name>Fact-check Ukraine–China contributors</name>" in feed
    for page in [*pages.values(), claim, Page.load(site / "index.html")]:
        assert "placeholder" not in shown_text(page).lower()
        assert not [link for link in links(page) if "github.com" in link and not link.startswith(REPOSITORY)]
        assert "factcheck.example.org" not in " ".join(links(page))


def test_without_a_repository_address_its_links_lead_to_the_about_page(project):
    project.write("first.yaml", claim_yaml("first"))
    result = project.mkdocs_build(FACTCHECK_REPOSITORY_URL="")
    assert result.returncode == 0, result.stderr
    about = Page.load(project.root / "site" / "about" / "index.html")
    assert "/about/#source" in links(about) and about.find_all_with_id("source")
    assert not [link for link in links(about) if "github.com" in link]
    claim = Page.load(project.root / "site" / "claims" / "first" / "index.html")
    assert claim.jsonld()[0]["author"]["url"] == "http://127.0.0.1:8000/about/"


def git(root, *args: str, date: str = "2025-05-01T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}  # fmt: skip
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_every_claim_page_lists_the_changes_to_its_file(project, tmp_path):
    """From one `git log` at build time: date, the commit's subject (escaped), a link to its diff when the repository
    is configured, and where the full history is; the same commit builds the same bytes."""
    project.write("first.yaml", claim_yaml("first"))
    project.write("second.yaml", claim_yaml("second", claim='"Something else entirely."'))
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "Two claims")
    project.write("first.yaml", claim_yaml("first", summary="A better summary of <b>what</b> we found."))
    git(
        project.root,
        "commit",
        "-qam",
        "Claim first: clearer summary <script>alert(1)</script>",
        date="2025-06-02T09:00",
    )
    result = project.mkdocs_build(tmp_path / "one", FACTCHECK_REPOSITORY_URL=REPOSITORY)
    assert result.returncode == 0, result.stderr
    first = Page.load(tmp_path / "one" / "claims" / "first" / "index.html")
    assert first.find_all("section", id="history")
    entries = [li for li in first.find_all("li") if li.text.endswith(("Two claims", "</script>"))]
    assert [li.text for li in entries] == [
        "2 June 2025: Claim first: clearer summary <script>alert(1)</script>", "1 May 2025: Two claims"
    ]  # fmt: skip
    assert not live_payloads(first)
    diffs = [
        a.attrs["href"] for a in first.find_all("a") if a.attrs.get("href", "").startswith(f"{REPOSITORY}/commit/")
    ]
    assert len(diffs) == 2 and all(len(href.rsplit("/", 1)[1]) == 40 for href in diffs)
    assert first.find_all("a", href=f"{REPOSITORY}/commits/HEAD/claims/first.yaml")
    second = Page.load(tmp_path / "one" / "claims" / "second" / "index.html")
    assert "2 June 2025" not in second.text and "1 May 2025: Two claims" in second.text
    assert project.mkdocs_build(tmp_path / "two", FACTCHECK_REPOSITORY_URL=REPOSITORY).returncode == 0
    assert (tmp_path / "one/claims/first/index.html").read_bytes() == (
        tmp_path / "two/claims/first/index.html"
    ).read_bytes()


def test_a_build_outside_git_or_without_git_shows_no_history_and_does_not_fail(project, tmp_path):
    project.write("first.yaml", claim_yaml("first"))
    no_git = tmp_path / "bin"  # a PATH on which there is no git
    no_git.mkdir()
    for environment in ({}, {"PATH": str(no_git)}):
        result = project.mkdocs_build(**environment)
        assert result.returncode == 0, result.stderr
        page = Page.load(project.root / "site" / "claims" / "first" / "index.html")
        [where] = page.find_all("p", **{"class": "fc-history__where"})
        assert "claims/first.yaml" in where.text
        assert not page.find_all("ol", **{"class": "fc-history__list"})
