"""Render validated claims into the files of the generated folder (docs/claims/), as a mapping path -> content.

Every value from a claim file reaches the page through an autoescaping Jinja template, inside raw HTML blocks,
so MkDocs' Markdown never interprets it. `analysis` is the one Markdown field: it is rendered here by cmark (GitHub's
CommonMark, in safe mode: raw HTML and unsafe links are left out), then cleaned by nh3, so it cannot carry HTML,
script, unsafe links or Markdown-extension directives either.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import cmarkgfm
import material
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from factcheck import language, outputs, reuse
from factcheck.catalogue import Catalogue
from factcheck.model import (
    Claim,
    field_rows,
    page_slug,
    rule_rows,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The generated listing folders' own index pages, as site-relative addresses.
LISTING_FOLDERS = ("claims/", "claims/topics/", "claims/claimants/", "claims/verdicts/")
PAGE_SIZE = 100  # cards a listing page: each page repeats the theme's 13 KB; 50 made listings a tenth of a site
LATEST_LIMIT = 12
TIMELINE_PAGE_SIZE = 100
INCLUDES = (  # snippets that docs/*.md include: finished HTML, or Markdown
    "latest.html.j2", "verdict-counts.html.j2", "rating-scale.md.j2", "corrections-log.md.j2", "claim-format.md.j2",
    "site-rules.md.j2", "repository-links.md.j2",
)  # fmt: skip
ICONS = Path(material.__file__).parent / "templates" / ".icons" / "material"  # Material Design icons

_ALLOWED_TAGS = {
    "p",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "em",
    "strong",
    "a",
    "code",
    "pre",
    "blockquote",
    "br",
    "hr",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, **{f"h{level}": {"id"} for level in range(3, 7)}}


def render_site(catalogue: Catalogue, reviews: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, str | bytes]]:
    """Every generated page and piece of a page, with its path in the generated folder, each made when it is asked
    for; `reviews` are the claims' ClaimReview objects (outputs.claim_reviews_of), which each claim page carries as
    JSON-LD. Pages are kept for a next build if the catalogue keeps what it makes (a preview's rebuilds); if not,
    each is let go once the caller has written it: a language's pages, all held at once, were the largest part of
    a build's memory (540 MB for 10,000 pages in Chinese)."""
    env = _environment()
    env.globals.update(site=catalogue.site, scale=catalogue.scale, catalogue=catalogue)
    catalogue._card_template = env.get_template("card.html.j2")
    try:
        yield from _claim_pages(env, catalogue, reviews)
        root = catalogue.site.base_path  # links start from the site's root path: the same from any page and engine
        redirect = env.get_template("redirect.html.j2")
        for claim in catalogue.own_claims:
            for alias in claim.aliases:
                yield f"{alias}/index.html", redirect.render(target=f"claims/{claim.id}/", root=root)
        for old, new in catalogue.redirects.items():
            yield f"{old.removeprefix('claims/')}index.html", redirect.render(target=new, root=root)
        yield from _listing_pages(env, catalogue)
        for template in INCLUDES:
            yield f"includes/{template.split('.')[0]}.md", env.get_template(f"includes/{template}").render(root=root)
        yield "verdicts.css", env.get_template("verdicts.css.j2").render()
    finally:  # the environment outlives the build: it must not hold on to the catalogue
        for name in ("site", "scale", "catalogue"):
            env.globals.pop(name, None)
        catalogue._card_template = None


def _claim_pages(
    env: Environment, catalogue: Catalogue, reviews: dict[str, list[dict[str, Any]]]
) -> Iterator[tuple[str, str]]:
    claim_template = env.get_template("claim.html.j2")
    own_claims = catalogue.own_claims
    related = catalogue.related(own_claims)
    root = catalogue.site.base_path
    revisions = catalogue.revisions

    def render_page(claim: Claim) -> str:
        return claim_template.render(
            claim=claim, related=related[claim.id], root=root, jsonld=outputs.jsonld_script(reviews[claim.id]),
            revisions=revisions.get(claim.id, ()), translation=catalogue.translations.get(claim.id),
            original=catalogue.originals.get(claim.id), stale=catalogue.is_stale(claim),
        )  # fmt: skip

    if not catalogue.keeps:
        for claim in own_claims:
            yield f"{claim.id}.md", render_page(claim)
        return
    wanted = [
        (
            ("page", catalogue.language.code, claim.id),
            (  # the claimant registry, the scale and the site are the build's generation: see reuse
                claim,
                revisions.get(claim.id, ()),
                catalogue.originals.get(claim.id),
                catalogue.translations.get(claim.id),
                *related[claim.id],
            ),
        )
        for claim in own_claims
    ]
    pages, missing = reuse.lookup_made(wanted)
    reuse.remember_made(wanted, missing, [render_page(own_claims[i]) for i in missing], pages)
    for claim, page in zip(own_claims, pages, strict=True):
        yield f"{claim.id}.md", page


def _listing_pages(env: Environment, catalogue: Catalogue) -> Iterator[tuple[str, str]]:
    say = language.say
    code = catalogue.language.code
    listing = env.get_template("listing.html.j2")
    choices = (sorted(catalogue.by_topic), sorted(catalogue.claimants.items()))  # what the index's filters offer
    root = catalogue.site.base_path

    def paginate(base: str, title: str, claims: list[Claim], **context: Any) -> Iterator[tuple[str, str]]:
        """Page 1 at /claims/<base>/, page N at /claims/<base>/page/N/; PAGE_SIZE claims a page."""
        pages = max(1, math.ceil(len(claims) / PAGE_SIZE))
        ordered, counts = catalogue.made(  # sorted and counted again only when the group's claims change
            ("group", code, base),
            tuple(claims),  # the scale is the build's generation: see reuse
            lambda: (catalogue.story_order(claims), catalogue.verdict_counts(claims)),  # counts: the group's chart
        )
        folder = f"{base}/" if base else ""
        chart = tuple((rating.key, count) for rating, count in counts)
        for number in range(1, pages + 1):
            path = (f"{base}.md" if base else "index.md") if number == 1 else f"{folder}page/{number}.md"
            shown = ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
            values = {"title": title, "page": number, "pages": pages, "total": len(claims), "folder": folder, **context}
            yield (
                path,
                catalogue.made(  # rendered again when its claims, numbers, chart or filters change
                    ("listing", code, path),
                    (*shown, *sorted(values.items()), chart, choices),
                    lambda shown=shown, values=values: listing.render(
                        root=root, claims=shown, verdict_counts=counts, **values
                    ),
                ),
            )

    yield from paginate("", say("All fact-checks"), catalogue.claims, kind="all")
    for slug, claims in sorted(catalogue.by_topic.items()):
        title = say("Topic: {topic}", topic=catalogue.topic_label(slug))
        yield from paginate(f"topics/{slug}", title, claims, kind="topic", topic=slug)
    for slug, claims in sorted(catalogue.by_claimant.items()):
        claimant = catalogue.claimants[slug]
        title = say("Claims by {name}", name=claimant.name)
        yield from paginate(f"claimants/{slug}", title, claims, kind="claimant", claimant=claimant)
    for rating in catalogue.scale.ratings:
        claims = catalogue.by_verdict.get(rating.key, [])
        yield from paginate(
            f"verdicts/{rating.key}", say("Rated {label}", label=rating.label), claims, kind="verdict", rating=rating
        )
    events = catalogue.timeline()
    page_count = max(1, math.ceil(len(events) / TIMELINE_PAGE_SIZE))
    for number in range(1, page_count + 1):
        path = "timeline.md" if number == 1 else f"timeline/page/{number}.md"
        shown = events[(number - 1) * TIMELINE_PAGE_SIZE : number * TIMELINE_PAGE_SIZE]
        values = {
            "events": shown,
            "first": events[0].date if events else None,
            "last": events[-1].date if events else None,
            "page": number,
            "pages": page_count,
        }
        yield (
            path,
            catalogue.made(  # rendered again when its events or numbers change
                ("timeline", catalogue.language.code, path),
                (*shown, *sorted((key, value) for key, value in values.items() if key != "events")),
                lambda values=values: env.get_template("timeline.html.j2").render(root=root, **values),
            ),
        )
    groups = env.get_template("groups.html.j2")
    for kind in ("topics", "claimants", "verdicts"):
        yield f"{kind}/index.md", groups.render(kind=kind, root=catalogue.site.base_path)


@cache
def _environment() -> Environment:
    """One environment per process: templates are compiled once, and recompiled only when their file changes."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=lambda name: not name.endswith(".css.j2"),  # claim text only ever reaches a page escaped
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        icon=icon,
        latest_limit=LATEST_LIMIT,
        page_size=PAGE_SIZE,
        field_reference=field_rows,
        rule_rows=rule_rows,
        t=language.t,  # the page's words in its language: see factcheck/language.py
        link=link,
        code=lambda value: Markup("<code>{}</code>").format(value),
        language=language.current,
    )
    env.filters.update(
        text=text,
        md_text=md_text,
        markdown=render_markdown,
        front_matter=front_matter_value,
        long_date=language.date,
        time=time_element,
        sentence=sentence,
        join_count=lambda pair: f"{pair[0].label} {pair[1]}",
    )
    return env


def text(value: str) -> Markup:
    """Plain text for an HTML block in a Markdown page: escaped for HTML, and with the characters that open
    Markdown code fences turned into references, because fences are found before raw HTML blocks are."""
    return Markup(html.escape(_plain(value)).replace("`", "&#96;").replace("~", "&#126;").replace("\n", " "))


def link(href: str, text: str, **attributes: str) -> Markup:
    """A link to put among translated words, as `link=link(href, text)`: every value escaped."""
    extra = Markup("").join(Markup(' {}="{}"').format(name, value) for name, value in attributes.items())
    return Markup('<a href="{}"{}>{}</a>').format(href, extra, text)


def _plain(value: str) -> str:
    """Text as readers read it: the translated words from `t` come escaped already, and are escaped once here."""
    return value.unescape() if isinstance(value, Markup) else value


def sentence(value: str) -> str:
    """A note that reads as a sentence: closed by a full stop unless it already ends with punctuation."""
    return value if value.rstrip().endswith((".", "!", "?", "…")) else value + "."


def time_element(value: dt.date) -> Markup:
    return Markup(f'<time datetime="{value.isoformat()}">{language.date(value)}</time>')


def md_text(value: str) -> Markup:
    """Plain text inside Markdown (link text in the includes): every ASCII punctuation character becomes a
    character reference, so no Markdown or extension syntax can start, and the text reads the same."""
    return Markup(re.sub(r"[!-/:-@\[-`{-~]", lambda m: f"&#{ord(m.group())};", " ".join(_plain(value).split())))


def front_matter_value(value: str) -> Markup:
    """A YAML string for the page's front matter that no character can break. Themes print titles and descriptions
    unescaped, so the text is HTML-escaped; then every character outside printable ASCII except ordinary letters of
    other scripts is written as a YAML escape. A front matter that failed to parse would be dropped silently by
    MkDocs, and the page's text would then be read as Markdown."""
    escaped = html.escape(" ".join(_plain(value).split()))
    return Markup('"' + escaped.translate(_FRONT_MATTER_ESCAPES) + '"')


class _FrontMatterEscapes(dict[int, str]):
    """A str.translate table, filled as characters are met: `"`, `\\`, controls, line and paragraph separators,
    format characters, surrogates and non-characters become YAML escapes; everything else stays as it is."""

    def __missing__(self, code: int) -> str:
        character = chr(code)
        if character in '"\\' or unicodedata.category(character) in _ESCAPED_CATEGORIES:
            shown = 0xFFFD if 0xD800 <= code <= 0xDFFF else code  # surrogates: never in loaded text, nor in UTF-8
            character = (
                f"\\x{shown:02X}" if shown < 0x100 else f"\\u{shown:04X}" if shown < 0x10000 else f"\\U{shown:08X}"
            )
        self[code] = character
        return character


_ESCAPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_FRONT_MATTER_ESCAPES = _FrontMatterEscapes()


_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.DOTALL)
_IMAGE = re.compile(r'<img src="([^"]*)" alt="([^"]*)"(?: title="[^"]*")? />')
_TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=20_000)
def render_markdown(source: str) -> Markup:
    """Claim analyses: CommonMark without raw HTML or images, links limited to http(s); headings one level below the
    page's own "Analysis" heading, each with a stable anchor."""
    # A page loads nothing from other hosts: an image becomes a link to it.
    rendered = _IMAGE.sub(r'<a href="\1">\2</a>', cmarkgfm.markdown_to_html(source))
    anchors: set[str] = set()

    def heading(match: re.Match[str]) -> str:
        level, inner = min(int(match[1]) + 1, 6), match[2]
        anchor = base = "analysis-" + page_slug(html.unescape(_TAG.sub("", inner)))
        number = 1
        while anchor in anchors:  # two headings with the same words
            anchor, number = f"{base}-{number}", number + 1
        anchors.add(anchor)
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    cleaned = nh3.clean(
        _HEADING.sub(heading, rendered),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel="nofollow noopener",
    )
    return Markup(cleaned.replace("`", "&#96;").replace("~", "&#126;"))


_WORDS_CALL = re.compile(
    r"""\b(?:t|say|words)\(\s*(["'])((?:(?!\1).)+)\1(?:\s+if\s[^"']*else\s+(["'])((?:(?!\3).)+)\3)?"""
)
# Words used by name elsewhere: the kinds of timeline events, the bylines (see Catalogue.bylines), the theme's.
_NAMED_WORDS = (
    "Update", "Correction", "Retraction", "Written by", "Edited by",
    "This page is a machine translation from English that no one has reviewed yet.",  # overrides/main.html
    "Not found", "Home page", "There is no page at this address. It may have been mistyped, or the page may have "
    "moved.",  # overrides/404.html
)  # fmt: skip


def interface_words() -> list[str]:
    """Every English text the generated pages, images and search entries put through `t`: what a language file's
    `interface` translates (`check` lists what one lacks)."""
    sources = [*TEMPLATES.rglob("*.j2"), *Path(__file__).parent.glob("*.py")]
    found = {text for path in sources for match in _WORDS_CALL.finditer(path.read_text(encoding="utf-8"))
             for text in (match[2], match[4]) if text}  # fmt: skip
    return sorted(found | set(_NAMED_WORDS))


@cache
def icon(name: str) -> str:
    """A Material Design icon as the body of a data: URL, for the generated stylesheet: no icon font, no request."""
    return quote((ICONS / f"{name}.svg").read_text(encoding="utf-8").strip(), safe=" /=:")


def serve_error_page(problems: str) -> str:
    """The page the live preview shows while claim files have problems (see factcheck/mkdocs_hook.py)."""
    return _environment().get_template("serve-error.html.j2").render(problems=problems)
