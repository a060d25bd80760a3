"""Render validated claims into the files of the generated folder (docs/claims/), as a mapping path -> content.

Every value from a claim file reaches the page through an autoescaping Jinja template, inside raw HTML blocks,
so MkDocs' Markdown never interprets it. `analysis` is the one Markdown field: it is rendered here by cmark (GitHub's
CommonMark, in safe mode: raw HTML and unsafe links are left out), then cleaned by nh3, so it cannot carry HTML,
script, unsafe links or Markdown-extension directives either.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import cmarkgfm
import material
import nh3
import yaml
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from factcheck import outputs, reuse
from factcheck.model import Appearance, Claim, Claimant, RatingScale, Retraction, Source, Update, slugify
from factcheck.site import Site

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 50
RELATED_LIMIT = 5
LATEST_LIMIT = 12
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


@dataclass
class Catalogue:
    """The claims and the ways readers browse them, computed once per build."""

    site: Site
    scale: RatingScale
    claims: list[Claim]  # newest first
    topic_labels: dict[str, str]
    by_id: dict[str, Claim] = field(init=False)
    by_topic: dict[str, list[Claim]] = field(init=False)
    by_claimant: dict[str, list[Claim]] = field(init=False)
    by_verdict: dict[str, list[Claim]] = field(init=False)
    claimants: dict[str, Claimant] = field(init=False)
    _card_template: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.claims = sorted(self.claims, key=lambda c: (c.published, c.claim_date, c.id), reverse=True)
        self.by_id = {c.id: c for c in self.claims}
        self.by_topic, self.by_claimant, self.by_verdict = defaultdict(list), defaultdict(list), defaultdict(list)
        self.claimants = {}
        for claim in self.claims:
            for topic in claim.topics:
                self.by_topic[topic].append(claim)
            self.by_claimant[claim.claimant.slug].append(claim)
            self.claimants.setdefault(claim.claimant.slug, claim.claimant)
            self.by_verdict[claim.verdict].append(claim)

    def topic_label(self, slug: str) -> str:
        return self.topic_labels.get(slug) or slug.replace("-", " ").capitalize()

    def card(self, claim: Claim, root: str) -> Markup:
        """A claim's entry in lists, rendered once: listings and related claims reuse it."""
        return reuse.made_from(
            ("card", claim.id, root), (claim,), lambda: Markup(self._card_template.render(claim=claim, root=root))
        )

    def corrections_log(self) -> list[tuple[Update, Claim]]:
        """Every correction across all claims, newest first."""
        entries = [(update, claim) for claim in self.claims for update in claim.corrections]
        return sorted(entries, key=lambda entry: (entry[0].date, entry[1].id), reverse=True)

    def related(self, claim: Claim) -> list[Claim]:
        """Explicit `related` first, then the newest others sharing the claimant or a topic.

        Only the first few of each group are looked at, so this stays linear in the number of claims.
        """
        picked = [self.by_id[i] for i in claim.related if i in self.by_id]
        groups = [self.by_claimant[claim.claimant.slug], *(self.by_topic[t] for t in claim.topics)]
        for group in groups:
            for other in group[: RELATED_LIMIT + 1]:
                if len(picked) >= RELATED_LIMIT:
                    return picked
                if other is not claim and other not in picked:
                    picked.append(other)
        return picked


def load_topic_labels(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return reuse.from_file("topics", path, _read_topic_labels)


def _read_topic_labels(path: Path) -> dict[str, str]:
    return {slug: str(label) for slug, label in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items()}


def render_site(catalogue: Catalogue) -> dict[str, str | bytes]:
    """Every generated file, keyed by its path relative to the generated folder."""
    env = _environment()
    env.globals.update(site=catalogue.site, scale=catalogue.scale, catalogue=catalogue)
    catalogue._card_template = env.get_template("card.html.j2")
    files: dict[str, str | bytes] = {}
    claim_template = env.get_template("claim.md.j2")
    reviews = {
        claim.id: reuse.made_from(
            ("review", claim.id), (claim,), lambda claim=claim: outputs.claim_review(claim, catalogue)
        )
        for claim in catalogue.claims
    }
    related = {claim.id: catalogue.related(claim) for claim in catalogue.claims}
    root = catalogue.site.base_path  # links start from the site's root path: the same from any page, in any engine

    def render_pages(claims: Sequence[Claim]) -> list[str]:
        return [
            claim_template.render(
                claim=claim, related=related[claim.id], root=root, jsonld=outputs.jsonld_script(reviews[claim.id])
            )
            for claim in claims
        ]

    wanted = [(("page", claim.id), (claim, *related[claim.id])) for claim in catalogue.claims]
    pages, missing = reuse.lookup_made(wanted)
    reuse.remember_made(wanted, missing, render_pages([catalogue.claims[i] for i in missing]), pages)
    others = _listing_pages(env, catalogue)
    for name in ("latest", "verdict-counts", "rating-scale", "corrections-log", "claim-format"):
        others[f"includes/{name}.md"] = env.get_template(f"includes/{name}.md.j2").render()
    others["verdicts.css"] = env.get_template("verdicts.css.j2").render()
    others.update(outputs.data_files(catalogue, reviews))
    for claim, page in zip(catalogue.claims, pages, strict=True):
        files[f"{claim.id}.md"] = page
        for alias in claim.aliases:
            files[f"{alias}/index.html"] = env.get_template("redirect.html.j2").render(claim=claim, root=root)
    files.update(others)
    return files


def _listing_pages(env: Environment, catalogue: Catalogue) -> dict[str, str]:
    files: dict[str, str] = {}
    listing = env.get_template("listing.md.j2")
    choices = (sorted(catalogue.by_topic), sorted(catalogue.claimants.items()))  # what the index's filters offer

    def paginate(base: str, title: str, claims: list[Claim], **context: Any) -> None:
        """Page 1 at /claims/<base>/, page N at /claims/<base>/page/N/; PAGE_SIZE claims a page."""
        pages = max(1, math.ceil(len(claims) / PAGE_SIZE))
        folder = f"{base}/" if base else ""
        for number in range(1, pages + 1):
            path = (f"{base}.md" if base else "index.md") if number == 1 else f"{folder}page/{number}.md"
            shown = claims[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
            values = {"title": title, "page": number, "pages": pages, "total": len(claims), "folder": folder, **context}
            files[path] = reuse.made_from(  # rendered again when its claims, numbers, or the filters' choices change
                ("listing", path),
                (*shown, *sorted(values.items()), choices),
                lambda shown=shown, values=values: listing.render(
                    root=catalogue.site.base_path, claims=shown, **values
                ),
            )

    paginate("", "All fact-checks", catalogue.claims, kind="all")
    for slug, claims in sorted(catalogue.by_topic.items()):
        paginate(f"topics/{slug}", f"Topic: {catalogue.topic_label(slug)}", claims, kind="topic")
    for slug, claims in sorted(catalogue.by_claimant.items()):
        claimant = catalogue.claimants[slug]
        paginate(f"claimants/{slug}", f"Claims by {claimant.name}", claims, kind="claimant", claimant=claimant)
    for rating in catalogue.scale.ratings:
        claims = catalogue.by_verdict.get(rating.key, [])
        paginate(f"verdicts/{rating.key}", f"Rated {rating.label}", claims, kind="verdict", rating=rating)
    groups = env.get_template("groups.md.j2")
    for kind in ("topics", "claimants", "verdicts"):
        files[f"{kind}/index.md"] = groups.render(kind=kind, root=catalogue.site.base_path)
    return files


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
        field_reference=field_reference,
    )
    env.filters.update(
        text=text,
        md_text=md_text,
        markdown=render_markdown,
        front_matter=front_matter_value,
        long_date=long_date,
        time=time_element,
    )
    return env


def text(value: str) -> Markup:
    """Plain text for an HTML block in a Markdown page: escaped for HTML, and with the characters that open
    Markdown code fences turned into references, because fences are found before raw HTML blocks are."""
    return Markup(html.escape(value).replace("`", "&#96;").replace("~", "&#126;").replace("\n", " "))


def long_date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def time_element(value: dt.date) -> Markup:
    return Markup(f'<time datetime="{value.isoformat()}">{long_date(value)}</time>')


def md_text(value: str) -> Markup:
    """Plain text inside Markdown (link text in the includes): every ASCII punctuation character becomes a
    character reference, so no Markdown or extension syntax can start, and the text reads the same."""
    return Markup(re.sub(r"[!-/:-@\[-`{-~]", lambda m: f"&#{ord(m.group())};", " ".join(value.split())))


def front_matter_value(value: str) -> Markup:
    """A YAML string for the page's front matter. Themes print titles and descriptions unescaped, so escape."""
    return Markup(json.dumps(html.escape(" ".join(value.split())), ensure_ascii=False))


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
        anchor = base = "analysis-" + slugify(html.unescape(_TAG.sub("", inner)))
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


@cache
def icon(name: str) -> str:
    """A Material Design icon as the body of a data: URL, for the generated stylesheet: no icon font, no request."""
    return quote((ICONS / f"{name}.svg").read_text(encoding="utf-8").strip(), safe=" /=:")


def field_reference() -> list[dict[str, Any]]:
    """Rows for the claim-format reference in the docs, generated from the model."""
    rows = []
    for prefix, model in (
        ("", Claim),
        ("claimant.", Claimant),
        ("appearances[].", Appearance),
        ("sources[].", Source),
        ("updates[].", Update),
        ("retracted.", Retraction),
    ):
        for name, info in model.model_fields.items():
            rows.append({"name": prefix + name, "required": info.is_required(), "help": info.description or ""})
    return rows


def serve_error_page(problems: str) -> str:
    """The page the live preview shows while claim files have problems (see factcheck/mkdocs_hook.py)."""
    return _environment().get_template("serve-error.html.j2").render(problems=problems)
