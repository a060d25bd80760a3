"""Machine-readable outputs: ClaimReview JSON-LD, the data exports and the feeds.

Their formats are documented on the site's Data page; `claims.json.gz` holds JSON described by
`schema/claims-export.schema.json`, generated from `Export` below. The two exports that grow with every analysis
are gzipped: uncompressed they were half a site's size after its pages and images (40 MB at 10,000 claims).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import logging
import re
import struct
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from feedgen.feed import FeedGenerator
from markupsafe import Markup
from pydantic import BaseModel, Field

from factcheck import reuse
from factcheck.catalogue import Catalogue
from factcheck.language import Language, date, say
from factcheck.model import Claim

try:
    import jieba  # Chinese word segmentation; the theme's search plugin uses it too when installed

    jieba.setLogLevel(logging.WARNING)  # it reports building its dictionary on every first use
except ImportError:  # pragma: no cover - installed with the site's requirements
    jieba = None

_WORD = re.compile(r"\w[\w'’.-]*\w|\w")
EXPORT_VERSION = 1
FEED_LIMIT = 50
CSV_COLUMNS = [
    "id", "url", "title", "claim", "claimant", "claimant_role", "claim_date", "verdict", "verdict_label",
    "summary", "published", "updated", "as_of", "topics", "source_urls", "retracted",
]  # fmt: skip


class ExportedClaim(Claim):
    """A claim as published in claims.json.gz: the claim file's fields plus what the site derives from them."""

    url: str = Field(description="The claim page's canonical URL.")
    verdict_label: str = Field(description="The verdict as readers see it.")
    rating_value: int = Field(description="The verdict's position on the scale (ClaimReview ratingValue).")
    language: str = Field(description="The language of the text fields, e.g. 'en' or 'zh'.")
    original_url: str | None = Field(
        None, description="In a translation's export: the page of the original, whose facts it shares."
    )
    machine_translated: bool | None = Field(None, description="In a translation's export: made by a machine.")
    translation_outdated: bool | None = Field(
        None, description="In a translation's export: the original's text changed after this translation was made."
    )


class Export(BaseModel):
    """claims.json.gz: every published fact-check."""

    version: Literal[1] = Field(description="Format version; raised when a change would break readers.")
    site: str = Field(description="The site's base URL.")
    best_rating: int
    worst_rating: int
    claims: list[ExportedClaim]


def data_files(catalogue: Catalogue, reviews: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, str | bytes]]:
    """The exports and feeds, one file at a time (each is the whole site's: a few hold tens of megabytes); `reviews`
    are the claims' ClaimReview objects, made once for pages and exports."""
    code = catalogue.language.code
    yield "claims.csv", _csv(catalogue)
    yield "index.json", _index_json(catalogue)
    yield "feed.xml", _claims_feed(catalogue)
    yield "corrections.xml", _corrections_feed(catalogue)
    # zlib lets other threads run while it compresses: the exports' pieces are compressed two at a time.
    with ThreadPoolExecutor(2) as pool:
        yield "claims.json.gz", _gzip_pieces(f"{code}/claims.json.gz", *_export_parts(catalogue), pool)
        graph = [
            catalogue.made_from(c, "review-json", lambda c=c: ",".join(map(_compact, reviews[c.id])), once=True)
            for c in catalogue.own_claims
        ]
        head = '{"@context":"https://schema.org","@graph":['
        yield "claimreview.json.gz", _gzip_pieces(f"{code}/claimreview.json.gz", head, graph, "]}\n", pool)


def export(catalogue: Catalogue) -> Export:
    """claims.json.gz as one object (the file itself is written from each claim's own JSON: _export_parts): every
    claim with a page in the catalogue's language, so a translation's export holds its translated claims."""
    claims = [_exported(claim, catalogue) for claim in catalogue.own_claims]
    scale = catalogue.scale
    return Export(
        version=EXPORT_VERSION, site=catalogue.site.url, best_rating=scale.best, worst_rating=scale.worst, claims=claims
    )


def _exported(claim: Claim, catalogue: Catalogue) -> ExportedClaim:
    rating = catalogue.scale.by_key[claim.verdict]
    return ExportedClaim.model_construct(  # already validated: construct, do not validate again
        **dict(claim), url=catalogue.site.claim_url(claim.id), verdict_label=rating.label, rating_value=rating.value,
        language=catalogue.language.code, **_translation_fields(claim, catalogue),
    )  # fmt: skip


def _translation_fields(claim: Claim, catalogue: Catalogue) -> dict[str, Any]:
    translation = catalogue.translations.get(claim.id)
    if translation is None:
        return {}
    original_site = catalogue.site.url.removesuffix(catalogue.language.prefix)
    return {
        "original_url": f"{original_site}claims/{claim.id}/",
        "machine_translated": translation.machine_translated,
        "translation_outdated": catalogue.is_stale(claim),
    }


def _export_parts(catalogue: Catalogue) -> tuple[str, list[str], str]:
    """`export(catalogue)` as JSON, in three parts: what comes before the claims, each claim's JSON (made again
    only when the claim changed), and what follows them. Joined with commas, the same text as the whole export."""
    empty = export(
        Catalogue(site=catalogue.site, scale=catalogue.scale, claims=[], topic_labels={}, language=catalogue.language)
    )
    head = empty.model_dump_json(exclude_none=True).removesuffix("]}")
    claims = [
        catalogue.made_from(
            claim,
            "export",
            lambda claim=claim: _exported(claim, catalogue).model_dump_json(exclude_none=True),
            once=True,
        )  # made in Rust
        for claim in catalogue.own_claims
    ]
    return head, claims, "]}\n"


GZIP_PIECE = 200  # claims per separately compressed piece of an export


def _gzip_pieces(name: str, head: str, items: list[str], tail: str, pool: ThreadPoolExecutor) -> bytes:
    """gzip of `head + ",".join(items) + tail`, compressed in pieces of GZIP_PIECE items, each kept while its items
    are unchanged: after one edit, `mkdocs serve` compresses one piece again instead of the whole export (a second
    at 10,000 claims). Each piece is a deflate stream of its own ended by a sync flush, as pigz does, so the pieces
    join into one ordinary gzip member; the same text always gives the same bytes. No timestamp in the header."""
    groups = [items[start : start + GZIP_PIECE] for start in range(0, max(len(items), 1), GZIP_PIECE)]
    wanted = [((f"gzip:{name}", str(number)), (head, tail, *group)) for number, group in enumerate(groups)]
    pieces, missing = reuse.lookup_made(wanted)

    def piece(i: int) -> bytes:
        return (
            ("," if i else head).encode()
            + ",".join(groups[i]).encode()
            + (tail if i == len(groups) - 1 else "").encode()
        )

    made = []
    for start in range(0, len(missing), 2):  # two at a time: the whole export at once was 60 MB more at 10,000 claims
        made += pool.map(lambda i: _deflate(piece(i)), missing[start : start + 2])
    reuse.remember_made(wanted, missing, made, pieces)
    crc, size = 0, 0
    for data, _ in pieces:
        crc, size = zlib.crc32(data, crc), size + len(data)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, unknown system
    end = b"\x03\x00"  # an empty last block
    return b"".join([header, *(deflated for _, deflated in pieces), end, struct.pack("<II", crc, size & 0xFFFFFFFF)])


def _deflate(data: bytes) -> tuple[bytes, bytes]:
    """One piece of a gzip member, and its text (for the checksum). Level 6 is gzip's usual trade-off."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return data, compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


# ClaimReview's author type for each kind of claimant in data/claimants.yaml.
AUTHOR_TYPES = {"person": "Person", "organisation": "Organization", "outlet": "NewsMediaOrganization",
                "group": "Organization"}  # fmt: skip


def claim_reviews_of(catalogue: Catalogue) -> dict[str, list[dict[str, Any]]]:
    """Every claim's ClaimReviews, made once per build for its page and the exports (reused while unchanged)."""
    return {
        claim.id: catalogue.made_from(claim, "review", lambda claim=claim: claim_reviews(claim, catalogue))
        for claim in catalogue.own_claims
    }


def claim_reviews(claim: Claim, catalogue: Catalogue) -> list[dict[str, Any]]:
    """schema.org ClaimReview as Google's fact-check structured data asks for it: one for the claim, then one for
    each of its parts (Google allows several on a page)."""
    site = catalogue.site
    claimant = catalogue.claimant_of(claim)
    author: dict[str, Any] = {"@type": AUTHOR_TYPES[claimant.kind], "name": claimant.name}
    if claim.claimant.role:
        author["jobTitle" if claimant.kind == "person" else "description"] = claim.claimant.role
    if claimant.url:
        author["sameAs"] = claimant.url
    item: dict[str, Any] = {"@type": "Claim", "author": author, "datePublished": claim.claim_date.isoformat()}
    appearances = [{"@type": "CreativeWork", "url": a.url} for a in claim.appearances]
    if appearances:
        first = min(claim.appearances, key=lambda a: a.date or dt.date.max)
        item["appearance"] = appearances
        item["firstAppearance"] = {"@type": "CreativeWork", "url": first.url}
    rated = [(site.claim_url(claim.id), claim.headline, claim.claim, claim.verdict)]
    rated += [
        (
            f"{site.claim_url(claim.id)}#part-{number}",
            say("{headline} (part {number})", headline=claim.headline, number=number),
            part.statement,
            part.verdict,
        )
        for number, part in enumerate(claim.parts, start=1)
    ]
    return [_review(claim, catalogue, item, *what) for what in rated]


def _review(
    claim: Claim, catalogue: Catalogue, item: dict[str, Any], url: str, headline: str, text: str, verdict: str
) -> dict[str, Any]:
    site, rating = catalogue.site, catalogue.scale.by_key[verdict]
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "headline": headline,
        "claimReviewed": text,
        "datePublished": claim.published.isoformat(),
        "inLanguage": catalogue.language.code,
        "author": {"@type": "Organization", "name": site.publisher_name, "url": site.publisher_url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating.value,
            "bestRating": catalogue.scale.best,
            "worstRating": catalogue.scale.worst,
            "alternateName": rating.label,
        },
        "itemReviewed": item,
    }
    for key, person_id in (("contributor", claim.author), ("editor", claim.editor)):  # the publisher stays the author
        if person_id:
            person = catalogue.people[person_id]
            review[key] = {"@type": "Person", "name": person.name, **({"url": person.url} if person.url else {})}
    if claim.updated:
        review["dateModified"] = claim.updated.isoformat()
    return review


def jsonld_script(reviews: list[dict[str, Any]]) -> Markup:
    """A page's ClaimReviews, one script element each, safe inside a <script> element whatever the claim says."""
    scripts = []
    for review in reviews:
        data = json.dumps(review, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        scripts.append(f'<script type="application/ld+json">{data}</script>')
    return Markup("\n".join(scripts))


def search_entries(catalogue: Catalogue) -> list[str]:
    """Every claim page's search entry as JSON, made again only for claims that changed (`mkdocs serve`)."""
    return [
        catalogue.made_from(
            claim, "search", lambda claim=claim: _compact(_segmented(search_entry(claim, catalogue))), once=True
        )
        for claim in catalogue.own_claims
    ]


def search_entry(claim: Claim, catalogue: Catalogue) -> dict[str, Any]:
    """A claim page's one entry in the site search: what readers search for (the claim, who made it, the verdict,
    the summary, the topics), not the analysis, which would make the index several times larger. Text is HTML, as
    the theme's own entries are: every value is escaped."""
    rating, claimant = catalogue.scale.by_key[claim.verdict], catalogue.claimant_of(claim)
    who = catalogue.byline(claim)
    topics = ", ".join(catalogue.topic_label(topic) for topic in claim.topics)
    paragraphs = [
        *([f"{say('Retracted:')} {claim.retracted.reason}"] if claim.retracted else []),
        claim.claim,
        f"{who}, {date(claim.claim_date)}",
        f"{say('Our verdict:')} {rating.label}. {claim.summary}",
        *([f"{say('Topics:')} {topics}"] if topics else []),
    ]
    paragraphs.append(
        f"{say('Sources:')} " + " ".join(_new_words((f"{s.publisher} {s.title}" for s in claim.sources), paragraphs))
    )
    text = " ".join(f"<p>{html.escape(' '.join(p.split()), quote=False)}</p>" for p in paragraphs)
    # Tags weigh most in the theme's ranking: the claimant's names, so "Lin Jian" finds Lin Jian's fact-checks first.
    tags = [html.escape(name, quote=False) for name in catalogue.names(claimant)]
    return {
        "location": f"{catalogue.language.prefix}claims/{claim.id}/",
        "title": html.escape(claim.headline, quote=False),
        "text": text,
        "tags": tags,
    }


def _new_words(texts: Iterable[str], known: list[str]) -> list[str]:
    """The words of `texts` that search could not find the entry by otherwise: each once, and no short lowercase
    word. Sources' publishers and titles in full would more than double the index."""
    seen = {word.casefold() for text in known for word in _WORD.findall(text)}
    words = []
    for text in texts:
        for word in _WORD.findall(text):
            if word.casefold() not in seen and (len(word) > 3 or not word.islower()):
                seen.add(word.casefold())
                words.append(word)
    return words


def add_to_search_index(site_dir: Path, entries: dict[str, list[str]], languages: list[Language]) -> None:
    """Give each language its own search index: the theme's entries for its pages and one entry per claim page
    (`entries`: JSON, from search_entries), at <code>/search/search_index.json (the original's where the theme
    wrote it). A reader searching the Chinese pages downloads only the Chinese index, read with that language's
    settings. Nothing, if the site has no search."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.exists():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    translations = [language for language in languages if language.pack]
    docs: dict[str, list[dict[str, Any]]] = {language.code: [] for language in languages}
    for doc in index["docs"]:
        owner = next((lang for lang in translations if doc["location"].startswith(lang.prefix)), languages[0])
        docs[owner.code].append(doc)
    for language in languages:
        config = dict(index["config"])
        if language.pack:
            config.update(language.pack.search.model_dump(exclude_none=True))
        target = site_dir / language.prefix / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        # The locations of a translation's pages keep their /<code>/: the theme finds them from the site's root.
        # The claims' entries are JSON already, each made once: joined, not encoded again (a tenth of a rebuild).
        all_docs = [*map(_compact, docs[language.code]), *entries.get(language.code, [])]
        text = f'{{"config":{_compact(config)},"docs":[{",".join(all_docs)}]}}'
        target.write_text(text, encoding="utf-8")


_CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def _segmented(entry: dict[str, Any]) -> dict[str, Any]:
    """Chinese is written without spaces: each run of Chinese characters is cut into words with zero-width spaces
    (as the theme's search plugin does for its own entries), so that a search for a word finds it."""
    if jieba is None:
        return entry
    cut = lambda text: _CHINESE.sub(lambda m: "\u200b".join(jieba.cut(m.group())), text)  # noqa: E731
    return {**entry, "title": cut(entry["title"]), "text": cut(entry["text"])}


def _json(data: Any) -> str:
    return _compact(data) + "\n"


def _compact(data: Any) -> str:
    """Compact JSON (one line): indenting makes the standard library fall back to its slow pure-Python encoder."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _index_json(catalogue: Catalogue) -> str:
    """index.json, each claim's row made again only when the claim changed: the same text as one json.dumps."""
    rows = [
        catalogue.made_from(c, "index", lambda c=c: _compact(_index_row(c, catalogue)), once=True)
        for c in catalogue.claims
    ]
    return f"[{','.join(rows)}]\n"


def _index_row(claim: Claim, catalogue: Catalogue) -> list[Any]:
    """One claim in index.json, the compact list the claims index filters in the browser: what its card shows
    (the dates also as readers see them), and what it is filtered and sorted by."""
    said, checked = claim.claim_date, claim.published
    return [claim.id, claim.headline, claim.verdict, checked.isoformat(), said.isoformat(), claim.claimant.id,
            catalogue.claimant_of(claim).name, claim.topics, date(said), date(checked),
            1 if claim.retracted else 0, catalogue.claim_path(claim)]  # fmt: skip


def _csv(catalogue: Catalogue) -> str:
    rows = [
        catalogue.made_from(c, "csv", lambda c=c: _csv_line(_csv_row(c, catalogue)), once=True)
        for c in catalogue.own_claims
    ]
    return _csv_line(CSV_COLUMNS) + "".join(rows)


def _csv_row(claim: Claim, catalogue: Catalogue) -> list[Any]:
    return [
        claim.id, catalogue.site.claim_url(claim.id), claim.headline, claim.claim,
        catalogue.claimant_of(claim).name, claim.claimant.role or "", claim.claim_date, claim.verdict,
        catalogue.scale.by_key[claim.verdict].label,
        claim.summary, claim.published, claim.updated or "", claim.as_of or "", " ".join(claim.topics),
        " ".join(s.url for s in claim.sources if s.url), "yes" if claim.retracted else "",
    ]  # fmt: skip


class _Echo:
    """A file for csv.writer that hands back each line instead of keeping it: writerow returns what write returns,
    so each claim's row can be made (and kept) on its own."""

    def write(self, line: str) -> str:
        return line


_CSV_LINES = csv.writer(_Echo(), lineterminator="\n")


def _csv_line(values: list[Any]) -> str:
    return _CSV_LINES.writerow(values)


def _timestamp(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _feed(catalogue: Catalogue, name: str, title: str, updated: dt.date | None) -> FeedGenerator:
    site = catalogue.site
    feed = FeedGenerator()
    feed.id(f"{site.url}claims/{name}")
    feed.title(title)
    feed.author({"name": site.publisher_name, "uri": site.publisher_url})
    feed.link(href=f"{site.url}claims/{name}", rel="self")
    feed.link(href=site.url, rel="alternate")
    feed.language(catalogue.language.code)
    feed.updated(_timestamp(updated or dt.date(1970, 1, 1)))  # never "now": builds must be reproducible
    return feed


def _claims_feed(catalogue: Catalogue) -> bytes:
    claims = catalogue.own_claims[:FEED_LIMIT]
    latest = max((c.last_modified for c in claims), default=None)
    feed = _feed(catalogue, "feed.xml", say("{site}: fact-checks", site=catalogue.site.name), latest)
    for claim in claims:
        label = catalogue.scale.by_key[claim.verdict].label
        entry = feed.add_entry(order="append")
        entry.id(catalogue.site.claim_url(claim.id))
        entry.title(f"{label}: {claim.headline}")
        entry.link(href=catalogue.site.claim_url(claim.id))
        entry.published(_timestamp(claim.published))
        entry.updated(_timestamp(claim.last_modified))
        entry.summary(f"{label}. {claim.summary}")
        entry.author({"name": catalogue.site.publisher_name})
    return feed.atom_str(pretty=True)


def _corrections_feed(catalogue: Catalogue) -> bytes:
    log = [(update, claim) for update, claim in catalogue.corrections_log() if not catalogue.in_original(claim)]
    log = log[:FEED_LIMIT]
    title = say("{site}: corrections", site=catalogue.site.name)
    feed = _feed(catalogue, "corrections.xml", title, log[0][0].date if log else None)
    for update, claim in log:
        url = catalogue.site.claim_url(claim.id)
        entry = feed.add_entry(order="append")
        entry.id(f"{url}#correction-{update.date.isoformat()}")
        entry.title(say("Correction: {headline}", headline=claim.headline))
        entry.link(href=f"{url}#updates")
        entry.published(_timestamp(update.date))
        entry.updated(_timestamp(update.date))
        entry.summary(update.note)
        entry.author({"name": catalogue.site.publisher_name})
    return feed.atom_str(pretty=True)
