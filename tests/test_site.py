"""The real site, built with `mkdocs build --strict`: one page per claim, and what each page shows."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO
from pages import Page

from factcheck.load import load_claims
from factcheck.model import load_rating_scale

CLAIM_FILES = sorted((REPO / "claims").glob("*.yaml"))
SCALE = load_rating_scale(REPO / "data" / "ratings.yaml")
CLAIMS = {c.id: c for c in load_claims([REPO / "claims"], SCALE).claims}
ATOM = "{http://www.w3.org/2005/Atom}"


def claim_pages(site: Path) -> list[Path]:
    """Every built page that carries a ClaimReview."""
    return [p for p in site.rglob("index.html") if 'type="application/ld+json"' in p.read_text(encoding="utf-8")]


def test_one_page_per_claim_file(real_site):
    assert len(CLAIM_FILES) >= 15
    assert len(CLAIMS) == len(CLAIM_FILES)
    for path in CLAIM_FILES:
        assert (real_site / "claims" / path.stem / "index.html").is_file(), path
    assert len(claim_pages(real_site)) == len(CLAIM_FILES)


def test_claim_page_shows_claim_verdict_summary_and_sources(real_site):
    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        rating = SCALE.by_key[claim.verdict]
        assert [h.text for h in page.find_all("h1")] == [claim.headline]
        quote = page.find_all("blockquote")[0].text
        assert " ".join(claim.claim.split()) in " ".join(quote.split())
        assert [h.text for h in page.find_all("h2") if h.text.startswith("Our verdict")] == [
            f"Our verdict: {rating.label}"
        ]
        assert {"claim", "verdict", "what-we-found", "sources"} <= {e.attrs.get("id") for e in page.elements}
        assert " ".join(rating.definition.split()) in page.text  # the label's meaning, not colour alone
        assert " ".join(claim.summary.split()) in page.text
        assert claim.claimant.name in page.text
        links = {a.attrs.get("href") for a in page.find_all("a")}
        for source in claim.sources:
            assert source.publisher in page.text
            assert source.url is None or source.url in links
        assert page.find_all("a", href=f"/methodology/#rating-{claim.verdict}")  # the root path of site_url


def test_search_index_has_one_entry_per_claim_with_what_readers_search(real_site):
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [e for e in index["docs"] if e["location"].startswith("claims/")]
    assert sorted(e["location"] for e in entries) == sorted(f"claims/{claim_id}/" for claim_id in CLAIMS)
    for entry in entries:
        claim = CLAIMS[entry["location"].split("/")[1]]
        text = html.unescape(entry["text"])
        assert html.unescape(entry["title"]) == claim.headline
        for wanted in (claim.claim, claim.claimant.name, SCALE.by_key[claim.verdict].label, claim.summary):
            assert " ".join(wanted.split()) in text
        assert claim.analysis is None or " ".join(claim.analysis.split()[:12]) not in text  # not whole essays


def test_home_lists_latest_with_verdicts_and_counts(real_site):
    page = Page.load(real_site / "index.html")
    latest = sorted(CLAIMS.values(), key=lambda c: (c.published, c.claim_date, c.id), reverse=True)[:12]
    titles = [a.text for a in page.find_all("a") if "fc-card__title" in a.attrs.get("class", "")]
    assert titles == [c.headline for c in latest]
    for rating in SCALE.ratings:
        assert page.find_all("a", href=f"/claims/verdicts/{rating.key}/"), rating.key
    counts = [" ".join(li.text.split()) for li in page.find_all("li") if "fc-card" not in li.attrs.get("class", "")]
    expected = [f"{r.label} {sum(c.verdict == r.key for c in CLAIMS.values())}" for r in SCALE.ratings]
    assert [text for text in counts if text in expected] == expected


def test_methodology_lists_the_rating_scale(real_site):
    page = Page.load(real_site / "methodology" / "index.html")
    for rating in SCALE.ratings:
        heading = page.find_all("h3", id=f"rating-{rating.key}")
        assert heading and heading[0].text.startswith(rating.label)
        assert " ".join(rating.definition.split()) in page.text


def test_listing_pages_exist_for_topics_claimants_and_verdicts(real_site):
    index = Page.load(real_site / "claims" / "index.html")
    assert len([e for e in index.find_all("li") if "fc-card" in e.attrs.get("class", "")]) == len(CLAIMS)
    for claim in CLAIMS.values():
        for topic in claim.topics:
            assert (real_site / "claims" / "topics" / topic / "index.html").is_file()
        assert (real_site / "claims" / "claimants" / claim.claimant.slug / "index.html").is_file()
    for rating in SCALE.ratings:
        page = Page.load(real_site / "claims" / "verdicts" / rating.key / "index.html")
        cards = [e for e in page.find_all("li") if "fc-card" in e.attrs.get("class", "")]
        assert len(cards) == sum(c.verdict == rating.key for c in CLAIMS.values())
        assert all(card.attrs["data-verdict"] == rating.key for card in cards)


def test_no_page_loads_anything_from_another_host(real_site):
    for path in real_site.rglob("*.html"):
        page = Page.load(path)
        for element in page.elements:
            for attribute in ("src",) if element.tag != "link" else ("href",):
                value = element.attrs.get(attribute, "")
                if element.tag == "link" and element.attrs.get("rel") not in {"stylesheet", "icon", "preload"}:
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{path}: <{element.tag} {attribute}={value}>"
    css = " ".join(p.read_text(encoding="utf-8") for p in real_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "fonts.gstatic" not in css


# ClaimReview, as Google's fact-check structured data requires it.
def validate_claim_review(review: dict, url: str) -> None:
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == url
    assert isinstance(review["claimReviewed"], str) and review["claimReviewed"]
    dt.date.fromisoformat(review["datePublished"])
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert all(isinstance(rating[k], int) for k in ("ratingValue", "bestRating", "worstRating"))
    assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert isinstance(rating["alternateName"], str) and rating["alternateName"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["@type"] in {"Person", "Organization"} and item["author"]["name"]
    dt.date.fromisoformat(item["datePublished"])
    if "appearance" in item:
        assert all(a["@type"] == "CreativeWork" and a["url"].startswith("http") for a in item["appearance"])
        assert item["firstAppearance"]["url"] in {a["url"] for a in item["appearance"]}


def test_every_claim_page_has_exactly_one_valid_claim_review(real_site):
    site_url = "https://factcheck.example.org/"
    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        reviews = page.jsonld()
        assert len(reviews) == 1
        url = f"{site_url}claims/{claim.id}/"
        validate_claim_review(reviews[0], url)
        assert page.find_all("link", rel="canonical")[0].attrs["href"] == url
        assert reviews[0]["reviewRating"]["alternateName"] == SCALE.by_key[claim.verdict].label
        assert reviews[0]["claimReviewed"] == claim.claim


def test_pages_that_are_not_fact_checks_carry_no_claim_review(real_site):
    for name in ("index.html", "methodology/index.html", "about/index.html", "claims/index.html"):
        assert Page.load(real_site / name).jsonld() == []


def test_link_previews(real_site):
    from PIL import Image

    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        rating = SCALE.by_key[claim.verdict]
        assert page.meta("og:title") == claim.headline
        assert page.meta("og:description").startswith(f"{rating.label}. ")
        assert page.meta("og:url") == f"https://factcheck.example.org/claims/{claim.id}/"
        image_url = page.meta("og:image")
        assert image_url == f"https://factcheck.example.org/claims/previews/{claim.id}.png"
        assert page.meta("twitter:card") == "summary_large_image"
        image_file = real_site / "claims" / "previews" / f"{claim.id}.png"
        assert image_file.stat().st_size < 25_000  # one per claim: a site of 25,000 claims must fit in 1 GB
        image = Image.open(image_file).convert("RGB")
        assert image.size == (1200, 630)  # what the social sites ask for
        badge = tuple(int(rating.colour[i : i + 2], 16) for i in (1, 3, 5))
        assert image.getpixel((70, 560)) == badge  # the verdict badge, in the verdict's colour
        claim_text = image.crop((60, 100, 1140, 420)).convert("L")
        dark = sum(count for level, count in enumerate(claim_text.histogram()) if level < 100)
        assert dark > 2000, claim.id  # the claim is written out in dark text
    home = Page.load(real_site / "index.html")
    assert home.meta("og:title") and home.meta("og:image") and home.meta("twitter:card")


def test_exports_and_feeds_agree_with_the_claim_files(real_site):
    claims_dir = real_site / "claims"
    export = json.loads(gzip.decompress((claims_dir / "claims.json.gz").read_bytes()))
    schema = json.loads((REPO / "schema" / "claims-export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(export, schema)
    assert export["version"] == 1
    assert sorted(c["id"] for c in export["claims"]) == sorted(CLAIMS)
    assert all(c["url"] == f"https://factcheck.example.org/claims/{c['id']}/" for c in export["claims"])
    graph = json.loads(gzip.decompress((claims_dir / "claimreview.json.gz").read_bytes()))["@graph"]
    assert sorted(r["url"] for r in graph) == sorted(c["url"] for c in export["claims"])
    with (claims_dir / "claims.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert sorted(r["id"] for r in rows) == sorted(CLAIMS)
    assert len(CLAIM_FILES) == len(claim_pages(real_site)) == len(export["claims"]) == len(graph) == len(rows)

    feed = ET.parse(claims_dir / "feed.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    published = [e.find(f"{ATOM}published").text for e in entries]
    assert len(entries) == min(50, len(CLAIMS)) and published == sorted(published, reverse=True)
    corrections = ET.parse(claims_dir / "corrections.xml").getroot()
    assert len(corrections.findall(f"{ATOM}entry")) == sum(len(c.corrections) for c in CLAIMS.values())

    sitemap = ET.parse(real_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    lastmod = {u.find(f"{ns}loc").text: u.find(f"{ns}lastmod") for u in sitemap.findall(f"{ns}url")}
    for claim in CLAIMS.values():
        assert lastmod[f"https://factcheck.example.org/claims/{claim.id}/"].text == claim.last_modified.isoformat()


@pytest.mark.parametrize("page", ["about", "methodology", "corrections", "data"])
def test_trust_pages_exist(real_site, page):
    assert (real_site / page / "index.html").is_file()
