"""Who published it, and every change: the deployed address, the publisher, bylines and each claim's history."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from urllib.parse import unquote

from conftest import claim_yaml
from pages import Page

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
