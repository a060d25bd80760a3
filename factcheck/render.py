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
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import cmarkgfm
import material
import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from factcheck import outputs, reuse
from factcheck.model import (
    Claim,
    Claimant,
    Rating,
    RatingScale,
    Rules,
    Update,
    field_rows,
    long_date,
    rule_rows,
    slugify,
)
from factcheck.site import Site

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The generated listing folders' own index pages, as site-relative addresses.
LISTING_FOLDERS = ("claims/", "claims/topics/", "claims/claimants/", "claims/verdicts/")
PAGE_SIZE = 50
RELATED_LIMIT = 5
LATEST_LIMIT = 12
TIMELINE_PAGE_SIZE = 100
INCLUDES = (  # snippets that docs/*.md include: finished HTML, or Markdown
    "latest.html.j2", "verdict-counts.html.j2", "rating-scale.md.j2", "corrections-log.md.j2", "claim-format.md.j2",
    "site-rules.md.j2",
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


@dataclass
class Catalogue:
    """The claims and the ways readers browse them, computed once per build."""

    site: Site
    scale: RatingScale
    claims: list[Claim]  # newest first
    topic_labels: dict[str, str]
    redirects: dict[str, str] = field(default_factory=dict)  # moved topic and claimant pages: old -> new address
    rules: Rules = field(default_factory=Rules)  # data/rules.yaml, shown on the Contribute page
    by_id: dict[str, Claim] = field(init=False)
    by_any_id: dict[str, Claim] = field(init=False)
    by_topic: dict[str, list[Claim]] = field(init=False)
    by_claimant: dict[str, list[Claim]] = field(init=False)
    by_verdict: dict[str, list[Claim]] = field(init=False)
    registry: dict[str, Claimant] = field(default_factory=dict)  # data/claimants.yaml: id -> claimant
    claimants: dict[str, Claimant] = field(init=False)  # those with a claim on the site
    _card_template: Any = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.claims = sorted(self.claims, key=lambda c: (c.published, c.claim_date, c.id), reverse=True)
        self.by_id = {c.id: c for c in self.claims}
        self.by_any_id = {alias: c for c in self.claims for alias in c.aliases} | self.by_id  # old ids too
        self.by_topic, self.by_claimant, self.by_verdict = defaultdict(list), defaultdict(list), defaultdict(list)
        self.claimants = {}
        for claim in self.claims:
            for topic in claim.topics:
                self.by_topic[topic].append(claim)
            self.by_claimant[claim.claimant.id].append(claim)
            self.claimants.setdefault(claim.claimant.id, self.claimant_of(claim))
            self.by_verdict[claim.verdict].append(claim)

    def claimant_of(self, claim: Claim) -> Claimant:
        """The claim's claimant as data/claimants.yaml describes them (`check` refuses an id it does not list)."""
        return self.registry[claim.claimant.id]

    def byline(self, claim: Claim) -> str:
        """Who made the claim, as one line: 'Volodymyr Zelensky, President of Ukraine'."""
        name, role = self.claimant_of(claim).name, claim.claimant.role
        return f"{name}, {role}" if role else name

    def names(self, claimant: Claimant) -> list[str]:
        """A claimant's name and its other spellings: what search finds them by."""
        return [claimant.name, *claimant.other_names]

    def topic_label(self, slug: str) -> str:
        return self.topic_labels.get(slug) or slug.replace("-", " ").capitalize()

    def card(self, claim: Claim, root: str, published: bool = False) -> Markup:
        """A claim's entry in lists, rendered once: listings and related claims reuse it. Lists in order of
        publication pass `published`, so that the card shows the date they are sorted by."""
        return reuse.made_from(
            ("card", claim.id, root, str(published)),
            (claim, self.claimant_of(claim)),
            lambda: Markup(self._card_template.render(claim=claim, root=root, published=published)),
        )

    def verdict_counts(self, claims: list[Claim]) -> list[tuple[Rating, int]]:
        """How many of `claims` got each rating, in the scale's order; retracted fact-checks do not count."""
        counts = Counter(claim.verdict for claim in claims if not claim.retracted)
        return [(rating, counts[rating.key]) for rating in self.scale.ratings]

    def scale_steps(self) -> list[Rating]:
        """The ratings as steps from worst to best. A rating whose value an earlier-listed rating already has (in
        this site, Unproven beside Mixed) is off the true/false axis, not a step of it."""
        steps: dict[int, Rating] = {}
        for rating in self.scale.ratings:
            steps.setdefault(rating.value, rating)
        return [steps[value] for value in sorted(steps)]

    def story_order(self, claims: list[Claim]) -> list[Claim]:
        """Newest claim first, by the date the claim was made: the date a card shows."""
        return sorted(claims, key=lambda c: (c.claim_date, c.published, c.id), reverse=True)

    def corrections_log(self) -> list[tuple[Update, Claim]]:
        """Every correction across all claims, newest first."""
        entries = [(update, claim) for claim in self.claims for update in claim.corrections]
        return sorted(entries, key=lambda entry: (entry[0].date, entry[1].id), reverse=True)

    def related(self, claim: Claim) -> list[Claim]:
        """Explicit `related` first, then the newest others sharing the claimant or a topic.

        Only the first few of each group are looked at, so this stays linear in the number of claims.
        """
        picked: list[Claim] = []
        for other in (self.by_any_id[i] for i in claim.related if i in self.by_any_id):
            if all(other is not chosen for chosen in picked):
                picked.append(other)
        groups = [self.by_claimant[claim.claimant.id], *(self.by_topic[t] for t in claim.topics)]
        for group in groups:
            for other in group[: RELATED_LIMIT + 1]:
                if len(picked) >= RELATED_LIMIT:
                    return picked
                if other is not claim and other not in picked:
                    picked.append(other)
        return picked


@dataclass(frozen=True)
class Event:
    """One entry of the timeline: a claim made, or a later update, correction or retraction of its fact-check."""

    date: dt.date
    kind: str  # "claim", "update", "correction" or "retraction"
    claim: Claim
    note: str = ""


def timeline(claims: list[Claim]) -> list[Event]:
    """Every claim on the day it was made and every later change on its own day, oldest first."""
    events = [Event(claim.claim_date, "claim", claim) for claim in claims]
    for claim in claims:
        events += [Event(update.date, update.kind, claim, update.note) for update in claim.updates]
        if claim.retracted:
            events.append(Event(claim.retracted.date, "retraction", claim, claim.retracted.reason))
    order = {"claim": 0, "update": 1, "correction": 1, "retraction": 2}
    return sorted(events, key=lambda e: (e.date, order[e.kind], e.claim.claim_date, e.claim.id))


def render_site(catalogue: Catalogue) -> dict[str, str | bytes]:
    """Every generated file, keyed by its path relative to the generated folder."""
    env = _environment()
    env.globals.update(site=catalogue.site, scale=catalogue.scale, catalogue=catalogue)
    catalogue._card_template = env.get_template("card.html.j2")
    files: dict[str, str | bytes] = {}
    claim_template = env.get_template("claim.html.j2")
    reviews = {
        claim.id: reuse.made_from(
            ("review", claim.id),
            (claim, catalogue.claimant_of(claim)),
            lambda claim=claim: outputs.claim_reviews(claim, catalogue),
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

    wanted = [
        (("page", claim.id), (claim, catalogue.claimant_of(claim), *related[claim.id])) for claim in catalogue.claims
    ]
    pages, missing = reuse.lookup_made(wanted)
    reuse.remember_made(wanted, missing, render_pages([catalogue.claims[i] for i in missing]), pages)
    others = _listing_pages(env, catalogue)
    for template in INCLUDES:
        others[f"includes/{template.split('.')[0]}.md"] = env.get_template(f"includes/{template}").render(root=root)
    others["verdicts.css"] = env.get_template("verdicts.css.j2").render()
    others.update(outputs.data_files(catalogue, reviews))
    redirect = env.get_template("redirect.html.j2")
    for claim, page in zip(catalogue.claims, pages, strict=True):
        files[f"{claim.id}.md"] = page
        for alias in claim.aliases:
            files[f"{alias}/index.html"] = redirect.render(target=f"claims/{claim.id}/", root=root)
    for old, new in catalogue.redirects.items():
        files[f"{old.removeprefix('claims/')}index.html"] = redirect.render(target=new, root=root)
    files.update(others)
    return files


def _listing_pages(env: Environment, catalogue: Catalogue) -> dict[str, str]:
    files: dict[str, str] = {}
    listing = env.get_template("listing.html.j2")
    choices = (sorted(catalogue.by_topic), sorted(catalogue.claimants.items()))  # what the index's filters offer
    root = catalogue.site.base_path

    def paginate(base: str, title: str, claims: list[Claim], **context: Any) -> None:
        """Page 1 at /claims/<base>/, page N at /claims/<base>/page/N/; PAGE_SIZE claims a page."""
        pages = max(1, math.ceil(len(claims) / PAGE_SIZE))
        ordered = catalogue.story_order(claims)
        folder = f"{base}/" if base else ""
        for number in range(1, pages + 1):
            path = (f"{base}.md" if base else "index.md") if number == 1 else f"{folder}page/{number}.md"
            shown = ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
            values = {"title": title, "page": number, "pages": pages, "total": len(claims), "folder": folder, **context}
            counts = tuple((rating.key, count) for rating, count in catalogue.verdict_counts(claims))  # the chart
            files[path] = reuse.made_from(  # rendered again when its claims, numbers, chart or filters change
                ("listing", path),
                (*shown, *sorted(values.items()), counts, choices),
                lambda shown=shown, values=values, claims=claims: listing.render(
                    root=root, claims=shown, all_claims=claims, **values
                ),
            )

    paginate("", "All fact-checks", catalogue.claims, kind="all")
    for slug, claims in sorted(catalogue.by_topic.items()):
        paginate(f"topics/{slug}", f"Topic: {catalogue.topic_label(slug)}", claims, kind="topic", topic=slug)
    for slug, claims in sorted(catalogue.by_claimant.items()):
        claimant = catalogue.claimants[slug]
        paginate(f"claimants/{slug}", f"Claims by {claimant.name}", claims, kind="claimant", claimant=claimant)
    for rating in catalogue.scale.ratings:
        claims = catalogue.by_verdict.get(rating.key, [])
        paginate(f"verdicts/{rating.key}", f"Rated {rating.label}", claims, kind="verdict", rating=rating)
    events = timeline(catalogue.claims)
    page_count = max(1, math.ceil(len(events) / TIMELINE_PAGE_SIZE))
    for number in range(1, page_count + 1):
        path = "timeline.md" if number == 1 else f"timeline/page/{number}.md"
        files[path] = env.get_template("timeline.html.j2").render(
            root=root,
            events=events[(number - 1) * TIMELINE_PAGE_SIZE : number * TIMELINE_PAGE_SIZE],
            first=events[0].date if events else None,
            last=events[-1].date if events else None,
            page=number,
            pages=page_count,
        )
    groups = env.get_template("groups.html.j2")
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
        field_reference=field_rows,
        rule_rows=rule_rows,
    )
    env.filters.update(
        text=text,
        md_text=md_text,
        markdown=render_markdown,
        front_matter=front_matter_value,
        long_date=long_date,
        time=time_element,
        sentence=sentence,
        join_count=lambda pair: f"{pair[0].label} {pair[1]}",
    )
    return env


def text(value: str) -> Markup:
    """Plain text for an HTML block in a Markdown page: escaped for HTML, and with the characters that open
    Markdown code fences turned into references, because fences are found before raw HTML blocks are."""
    return Markup(html.escape(value).replace("`", "&#96;").replace("~", "&#126;").replace("\n", " "))


def sentence(value: str) -> str:
    """A note that reads as a sentence: closed by a full stop unless it already ends with punctuation."""
    return value if value.rstrip().endswith((".", "!", "?", "…")) else value + "."


def time_element(value: dt.date) -> Markup:
    return Markup(f'<time datetime="{value.isoformat()}">{long_date(value)}</time>')


def md_text(value: str) -> Markup:
    """Plain text inside Markdown (link text in the includes): every ASCII punctuation character becomes a
    character reference, so no Markdown or extension syntax can start, and the text reads the same."""
    return Markup(re.sub(r"[!-/:-@\[-`{-~]", lambda m: f"&#{ord(m.group())};", " ".join(value.split())))


def front_matter_value(value: str) -> Markup:
    """A YAML string for the page's front matter that no character can break. Themes print titles and descriptions
    unescaped, so the text is HTML-escaped; then every character outside printable ASCII except ordinary letters of
    other scripts is written as a YAML escape. A front matter that failed to parse would be dropped silently by
    MkDocs, and the page's text would then be read as Markdown."""
    escaped = html.escape(" ".join(value.split()))
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


def serve_error_page(problems: str) -> str:
    """The page the live preview shows while claim files have problems (see factcheck/mkdocs_hook.py)."""
    return _environment().get_template("serve-error.html.j2").render(problems=problems)
