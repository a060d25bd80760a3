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
import yaml
from conftest import REPO, SITE_URL, claim_yaml
from pages import Element, Page

from factcheck.load import load_claimants, load_claims, load_rating_scale

CLAIM_FILES = sorted(path for path in (REPO / "claims").glob("*.yaml") if "." not in path.stem)
TRANSLATION_FILES = sorted(path for path in (REPO / "claims").glob("*.yaml") if "." in path.stem)
SCALE = load_rating_scale(REPO / "data" / "ratings.yaml")
CLAIMS = {c.id: c for c in load_claims([REPO / "claims"], SCALE).claims}
REGISTRY = load_claimants(REPO / "data" / "claimants.yaml")


def name_of(claim) -> str:
    return REGISTRY[claim.claimant.id].name


ATOM = "{http://www.w3.org/2005/Atom}"


def claim_pages(site: Path) -> list[Path]:
    """Every built page in the original language that carries a ClaimReview (translations are under /<code>/)."""
    pages = [p for p in site.rglob("index.html") if 'type="application/ld+json"' in p.read_text(encoding="utf-8")]
    return [p for p in pages if p.relative_to(site).parts[0] == "claims"]


def test_one_page_per_claim_file(real_site):
    assert len(CLAIM_FILES) >= 15
    assert len(CLAIMS) == len(CLAIM_FILES)
    for path in CLAIM_FILES:
        assert (real_site / "claims" / path.stem / "index.html").is_file(), path
    assert len(claim_pages(real_site)) == len(CLAIM_FILES)
    # and one page per translation, at the original's address under /<language>/
    for path in TRANSLATION_FILES:
        claim_id, language = path.stem.split(".")
        assert (real_site / language / "claims" / claim_id / "index.html").is_file(), path


def test_claim_page_shows_claim_verdict_summary_and_sources(real_site):
    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        rating = SCALE.by_key[claim.verdict]
        assert [h.text for h in page.find_all("h1")] == [claim.headline]
        [figure] = page.find_all("figure", id="claim")
        quotes = page.find_all("blockquote")
        if claim.claim_kind == "quote":  # only a quote is set as one (the theme adds the quotation marks)
            assert " ".join(claim.claim.split()) in " ".join(quotes[0].text.split())
        else:
            assert not quotes and "fc-quote--paraphrase" in figure.attrs["class"]
            [said] = page.find_all("p", **{"class": "fc-paraphrase"})
            assert " ".join(said.text.split()) == " ".join(claim.claim.split())
            [label] = page.find_all("p", **{"class": "fc-claim-kind"})
            assert label.text.startswith("Paraphrase")
            assert claim.reported_by is None or f"as reported by {claim.reported_by}" in label.text
        assert [h.text for h in page.find_all("h2") if h.text.startswith("Our verdict")] == [
            f"Our verdict: {rating.label}"
        ]
        assert {"claim", "verdict", "what-we-found", "sources"} <= {e.attrs.get("id") for e in page.elements}
        assert " ".join(rating.definition.split()) in page.text  # the label's meaning, not colour alone
        assert " ".join(claim.summary.split()) in page.text
        assert name_of(claim) in page.text
        links = {a.attrs.get("href") for a in page.find_all("a")}
        for source in claim.sources:
            assert source.publisher in page.text
            assert source.url is None or source.url in links
        assert page.find_all("a", href=f"/methodology/#rating-{claim.verdict}")  # the root path of site_url


def test_search_index_has_one_entry_per_claim_with_what_readers_search(real_site):
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [e for e in index["docs"] if re.fullmatch(r"claims/[^/]+/", e["location"])]
    assert sorted(e["location"] for e in entries) == sorted(f"claims/{claim_id}/" for claim_id in CLAIMS)
    for entry in entries:
        claim = CLAIMS[entry["location"].split("/")[1]]
        text = html.unescape(entry["text"])
        assert html.unescape(entry["title"]) == claim.headline
        for wanted in (claim.claim, name_of(claim), SCALE.by_key[claim.verdict].label, claim.summary):
            assert " ".join(wanted.split()) in text
        assert claim.analysis is None or " ".join(claim.analysis.split()[:12]) not in text  # not whole essays


def test_home_lists_latest_with_verdicts_and_counts(real_site):
    page = Page.load(real_site / "index.html")
    latest = sorted(CLAIMS.values(), key=lambda c: (c.published, c.claim_date, c.id), reverse=True)[:12]
    titles = [a.text for a in page.find_all("a") if "fc-card__title" in a.attrs.get("class", "")]
    assert titles == [c.headline for c in latest]
    for rating in SCALE.ratings:
        assert page.find_all("a", href=f"/claims/verdicts/{rating.key}/"), rating.key
    assert verdict_table(page) == verdict_counts(CLAIMS.values())


def verdict_counts(claims) -> list[str]:
    """What a verdict chart's table says: one row per rating, in the scale's order ("Mostly true 3")."""
    claims = [c for c in claims if not c.retracted]
    return [f"{r.label} {sum(c.verdict == r.key for c in claims)}" for r in SCALE.ratings]


def verdict_table(page: Page) -> list[str]:
    cells = zip(page.find_all("th", scope="row"), page.find_all("td"), strict=True)
    return [f"{th.text.strip()} {td.text.strip()}" for th, td in cells]


def test_claimant_pages_have_a_scorecard_and_topic_pages_a_verdict_chart(real_site):
    groups = {}
    for claim in CLAIMS.values():
        groups.setdefault(("claimants", claim.claimant.id), []).append(claim)
        for topic in claim.topics:
            groups.setdefault(("topics", topic), []).append(claim)
    for (kind, slug), claims in groups.items():
        page = Page.load(real_site / "claims" / kind / slug / "index.html")
        expected = verdict_counts(claims)
        assert verdict_table(page) == expected, (kind, slug)
        chart = [e for e in page.find_all("svg") if e.attrs.get("role") == "img"]
        assert len(chart) == 1 and chart[0].attrs["aria-label"].endswith(": " + ", ".join(expected))
        labels = [t.text for t in page.find_all("text")]  # every bar is labelled: no colour needed to read it
        assert labels == [part for row in expected for part in row.rsplit(" ", 1)]


def test_timeline_tells_the_story_in_the_order_claims_were_made(real_site):
    page = Page.load(real_site / "claims" / "timeline" / "index.html")
    days = [h.attrs["id"].removeprefix("day-") for h in page.find_all("h2") if h.attrs.get("id", "").startswith("day-")]
    assert days == sorted(set(days))
    story = sorted(CLAIMS.values(), key=lambda c: (c.claim_date, c.id))
    events = [" ".join(li.text.split()) for li in page.find_all("li") if li.attrs.get("class") == "fc-event"]
    assert events == [f"{SCALE.by_key[c.verdict].label} {name_of(c)}: {c.headline}" for c in story]
    assert story[0].claim_date.isoformat() == days[0]
    later = [li.text for li in page.find_all("li") if li.attrs.get("class", "").startswith("fc-event fc-event--")]
    assert len(later) == sum(len(c.updates) + bool(c.retracted) for c in CLAIMS.values())


def test_claim_page_verdict_meter_places_the_verdict_on_the_scale(real_site):
    steps = sorted({r.value: r for r in reversed(SCALE.ratings)}.values(), key=lambda r: r.value)
    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        rating = SCALE.by_key[claim.verdict]
        meter = [e for e in page.find_all("svg") if e.attrs.get("role") == "img"]
        assert len(meter) == 1
        caption = next(f.text for f in page.find_all("figcaption") if "our scale" in f.text)
        if rating in steps:
            sentence = f"{rating.label} is step {steps.index(rating) + 1} of {len(steps)} on our scale"
        else:
            sentence = f"{rating.label} is not a step on our scale"
        assert caption.startswith(sentence)
        assert page.find_all_with_id(meter[0].attrs["aria-labelledby"])[0].text == caption  # the chart's name


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
        assert (real_site / "claims" / "claimants" / claim.claimant.id / "index.html").is_file()
    for rating in SCALE.ratings:
        page = Page.load(real_site / "claims" / "verdicts" / rating.key / "index.html")
        cards = [i for i, e in enumerate(page.elements) if e.tag == "li" and "fc-card" in e.attrs.get("class", "")]
        assert len(cards) == sum(c.verdict == rating.key for c in CLAIMS.values())
        badges = [page.elements[i + 1] for i in cards]  # a card begins with its verdict's badge
        assert all(badge.attrs["class"] == f"fc-badge fc-badge--{rating.key}" for badge in badges)


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
    assert item["author"]["@type"] in {"Person", "Organization", "NewsMediaOrganization"} and item["author"]["name"]
    dt.date.fromisoformat(item["datePublished"])
    if "appearance" in item:
        assert all(a["@type"] == "CreativeWork" and a["url"].startswith("http") for a in item["appearance"])
        assert item["firstAppearance"]["url"] in {a["url"] for a in item["appearance"]}


def test_every_claim_page_has_one_valid_claim_review_and_one_per_part(real_site):
    site_url = SITE_URL
    author_types = {"person": "Person", "organisation": "Organization", "outlet": "NewsMediaOrganization",
                    "group": "Organization"}  # fmt: skip
    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        reviews = page.jsonld()
        assert len(reviews) == 1 + len(claim.parts)
        url = f"{site_url}claims/{claim.id}/"
        validate_claim_review(reviews[0], url)
        assert reviews[0]["itemReviewed"]["author"]["@type"] == author_types[REGISTRY[claim.claimant.id].kind]
        for number, (part, review) in enumerate(zip(claim.parts, reviews[1:], strict=True), start=1):
            validate_claim_review(review, f"{url}#part-{number}")
            assert review["claimReviewed"] == part.statement
            assert review["reviewRating"]["alternateName"] == SCALE.by_key[part.verdict].label
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
        assert page.meta("og:url") == f"{SITE_URL}claims/{claim.id}/"
        image_url = page.meta("og:image")
        assert image_url == f"{SITE_URL}claims/previews/{claim.id}.png"
        assert page.meta("twitter:card") == "summary_large_image"
        image_file = real_site / "claims" / "previews" / f"{claim.id}.png"
        assert image_file.stat().st_size < 25_000  # one per claim: a site of 25,000 claims must fit in 1 GB
        image = Image.open(image_file).convert("RGB")
        # 1.91:1 and above the social sites' minimums for a large card (Facebook's 600x315 the largest)
        assert image.size == (800, 420)
        assert (page.meta("og:image:width"), page.meta("og:image:height")) == ("800", "420")
        badge = tuple(int(rating.colour[i : i + 2], 16) for i in (1, 3, 5))
        assert image.getpixel((46, 338)) == badge  # the verdict badge, in the verdict's colour
        claim_text = image.crop((40, 66, 760, 280)).convert("L")
        dark = sum(count for level, count in enumerate(claim_text.histogram()) if level < 100)
        assert dark > 900, claim.id  # the claim is written out in dark text
    for home in ("index.html", "about/index.html", "claims/topics/diplomacy/index.html", "zh/index.html"):
        page = Page.load(real_site / home)
        assert page.meta("og:title") and page.meta("twitter:card")
        # not a fact-check: the site's own card, in the page's language
        language = home.split("/")[0] + "/" if home.startswith("zh/") else ""
        assert page.meta("og:image") == f"{SITE_URL}{language}claims/previews/_site.png"
        assert Image.open(real_site / f"{language}claims/previews/_site.png").size == (800, 420)


def test_exports_and_feeds_agree_with_the_claim_files(real_site):
    claims_dir = real_site / "claims"
    export = json.loads(gzip.decompress((claims_dir / "claims.json.gz").read_bytes()))
    schema = json.loads((REPO / "schema" / "claims-export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(export, schema)
    assert export["version"] == 1
    assert sorted(c["id"] for c in export["claims"]) == sorted(CLAIMS)
    assert all(c["url"] == f"{SITE_URL}claims/{c['id']}/" for c in export["claims"])
    graph = json.loads(gzip.decompress((claims_dir / "claimreview.json.gz").read_bytes()))["@graph"]
    parts = [f"{c['url']}#part-{n}" for c in export["claims"] for n in range(1, len(c.get("parts", [])) + 1)]
    assert parts and sorted(r["url"] for r in graph) == sorted([c["url"] for c in export["claims"]] + parts)
    with (claims_dir / "claims.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert sorted(r["id"] for r in rows) == sorted(CLAIMS)
    count = len(export["claims"])
    assert len(CLAIM_FILES) == len(claim_pages(real_site)) == count == len(graph) - len(parts) == len(rows)

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
        assert lastmod[f"{SITE_URL}claims/{claim.id}/"].text == claim.last_modified.isoformat()


@pytest.mark.parametrize("page", ["about", "methodology", "corrections", "data"])
def test_trust_pages_exist(real_site, page):
    assert (real_site / page / "index.html").is_file()


# Rough edges a reader met on the built site (issue 15); each test failed on the site before its fix.
DOCS_PAGES = sorted((REPO / "docs").glob("*.md"))


def html_pages(site: Path) -> list[Path]:
    """Every page a reader can land on (not the redirects left at old addresses)."""
    return [p for p in site.rglob("*.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1]) if text.startswith("---\n") else {}


@pytest.mark.parametrize("source", DOCS_PAGES, ids=lambda p: p.stem)
def test_hand_written_pages_front_matter_is_read_not_shown(real_site, source):
    meta = front_matter(source)
    assert isinstance(meta, dict) and meta.get("description"), source
    built = real_site / ("index.html" if source.stem == "index" else f"{source.stem}/index.html")
    page = Page.load(built)
    assert page.meta("description") == meta["description"]
    headings = [h.text for h in page.find_all("h1") + page.find_all("h2")]
    assert not any(h.startswith(("description:", "title:")) for h in headings), headings


def source_items(page: Page) -> list[Element]:
    return [li for li in page.find_all("li") if li.attrs.get("id", "").startswith("source-")]


def test_sources_read_as_sentences_with_descriptions_styled_as_descriptions(real_site):
    for claim in CLAIMS.values():
        page = Page.load(real_site / "claims" / claim.id / "index.html")
        items = source_items(page)
        assert len(items) == len(claim.sources)
        for source, item in zip(claim.sources, items, strict=True):
            text = " ".join(item.text.split())
            if source.supports and source.quote:
                assert f"{source.supports} {source.quote}" in text, text  # a space between note and quotation
            if source.quote:
                after = text.rsplit(source.quote, 1)[1]
                assert (source.quote[-1] in ".!?…") or after.startswith((".", "!", "?")), text  # closing punctuation
            assert "[" not in text and "]" not in text, text  # no leftover brackets
        links = [a for a in page.find_all("a") if "fc-source__description" in a.attrs.get("class", "")]
        described = [s for s in claim.sources if s.title.startswith("[") and s.url]
        assert [a.text for a in links] == [s.title[1:-1] for s in described]


def test_a_source_headline_is_a_title_and_an_archived_copy_is_set_apart(project):
    project.write(
        "sample-claim.yaml",
        claim_yaml(
            sources="""sources:
  - title: Ukraine captures two Chinese men
    publisher: Example News
    date: 2025-04-09
    url: https://example.org/report
    archive_url: https://web.archive.org/web/2025/https://example.org/report
    supports: Reports the capture
    quote: two Chinese citizens
  - title: "[Statement by the ministry]"
    publisher: Ministry
    url: https://example.org/statement
"""
        ),
    )
    assert project.mkdocs_build().returncode == 0
    page = Page.load(project.root / "site/claims/sample-claim/index.html")
    first, second = (" ".join(li.text.split()) for li in source_items(page))
    assert first == (
        "Example News, “Ukraine captures two Chinese men”, 9 April 2025. Reports the capture. "
        "two Chinese citizens. · Archived copy"  # <q> adds the quotation marks
    )
    assert second == "Ministry, Statement by the ministry, undated."


def test_every_page_has_a_skip_link_to_its_content(real_site):
    for path in html_pages(real_site):
        page = Page.load(path)
        skips = [a.attrs["href"] for a in page.find_all("a") if "md-skip" in a.attrs.get("class", "")]
        assert len(skips) == 1, path
        assert skips[0].startswith("#") and page.find_all_with_id(skips[0][1:]), (path, skips)


def test_no_article_inside_an_article(real_site):
    for path in html_pages(real_site):
        depth = 0
        for match in re.finditer(r"<(/?)article\b", path.read_text(encoding="utf-8")):
            depth += -1 if match[1] else 1
            assert depth <= 1, path


def test_contribute_is_linked_from_about_and_the_footer_not_the_reader_tabs(real_site):
    for path in html_pages(real_site):
        page = Page.load(path)
        tabs = [a.text.strip() for a in page.find_all("a") if "md-tabs__link" in a.attrs.get("class", "")]
        assert "Contribute" not in tabs, path
        footer = [a for a in page.find_all("a") if a.text.strip() == "Contribute"]
        assert footer, path
    about = Page.load(real_site / "about" / "index.html")
    assert about.find_all("a", href="../contributing/")


def test_methodology_explains_ratings_without_yaml(real_site):
    text = Page.load(real_site / "methodology" / "index.html").text
    assert ".yaml" not in text and "verdict:" not in text and "In claim files" not in text


def test_feeds_are_discoverable_from_every_page(real_site):
    for path in html_pages(real_site):
        page = Page.load(path)
        feeds = [link for link in page.find_all("link") if link.attrs.get("type") == "application/atom+xml"]
        targets = {resolve(real_site, path, link.attrs["href"]) for link in feeds}
        assert {real_site / "claims" / "feed.xml", real_site / "claims" / "corrections.xml"} <= targets, path
        # Material reads every link whose rel is exactly "alternate" as another language and fetches a sitemap.
        assert all(link.attrs["rel"] != "alternate" for link in feeds)


def test_list_pages_have_their_own_descriptions(real_site):
    site_description = Page.load(real_site / "index.html").meta("og:description")
    seen: dict[str, Path] = {}
    for path in (real_site / "claims").rglob("index.html"):
        text = path.read_text(encoding="utf-8")
        if "/page/" in str(path) or path.parent.name in CLAIMS or "ld+json" in text or 'http-equiv="refresh"' in text:
            continue  # further pages, claims, and redirects of moved pages
        description = Page.load(path).meta("description")
        assert description and description != site_description and not description.startswith("Fact-checks: "), path
        assert description not in seen, (path, seen.get(description))
        seen[description] = path


def test_not_found_page_offers_search_home_and_the_index(real_site):
    page = Page.load(real_site / "404.html")
    assert page.find_all("title")[0].text.startswith("Not found")
    links = [a.attrs["href"] for a in page.find_all("a") if "href" in a.attrs]
    targets = {resolve(real_site, real_site / "404.html", href) for href in links}
    assert {real_site / "index.html", real_site / "claims" / "index.html"} <= targets
    form = page.find_all("form", role="search")[0]  # the theme opens its search for ?q= on the home page
    assert resolve(real_site, real_site / "404.html", form.attrs["action"]) == real_site / "index.html"
    assert page.find_all("input", name="q")


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a local link on `page` leads to (absolute links, as on the 404 page, start at the site root)."""
    target = href.split("#")[0].split("?")[0]
    resolved = (site / target.lstrip("/")) if target.startswith("/") else (page.parent / target)
    if target.endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved.resolve()


def test_internal_links_resolve_to_files(real_site):
    """MkDocs' strict mode cannot see links inside the raw HTML of generated pages: check every local href/src."""
    broken = []
    for path in real_site.rglob("*.html"):
        page = Page.load(path)
        for element in page.elements:
            for attribute in ("href", "src"):
                value = element.attrs.get(attribute, "")
                if not value or re.match(r"^([a-z]+:|//|#)", value):
                    continue
                if not resolve(real_site, path, value).is_file():
                    broken.append(f"{path.relative_to(real_site)}: {value}")
    assert broken == []


def test_lists_are_sorted_by_the_date_they_show(real_site):
    def shown_dates(page: Page, date_class: str = "") -> list[str]:
        """Per card, the first <time> after the card's start (the claim date, or the date of `date_class`)."""
        dates, in_card, wanted = [], False, not date_class
        for element in page.elements:
            if element.tag == "li":
                in_card, wanted = "fc-card" in element.attrs.get("class", ""), not date_class
            elif in_card and date_class and date_class in element.attrs.get("class", ""):
                wanted = True
            elif in_card and wanted and element.tag == "time":
                dates.append(element.attrs["datetime"])
                in_card = False
        return dates

    for path in [real_site / "claims" / "index.html", *(real_site / "claims" / "topics").glob("*/index.html")]:
        dates = shown_dates(Page.load(path))
        assert dates and dates == sorted(dates, reverse=True), path
    latest = shown_dates(Page.load(real_site / "index.html"), "fc-card__published")  # "Latest": by publication
    assert len(latest) == min(12, len(CLAIMS)) and latest == sorted(latest, reverse=True)
