"""The claim file format: one pydantic model per record, with help text on every field.

The JSON Schema in `schema/claim.schema.json` and the field reference in the docs are generated from these
models (`build_claims.py schema`); a test fails when they drift.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from functools import cache, cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    RootModel,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_PATTERN = ID_PATTERN
# Folders under /claims/ that the generator owns; a claim or alias with one of these ids would shadow them.
RESERVED_IDS = frozenset({"topics", "claimants", "verdicts", "timeline", "page", "index", "includes", "previews"})
# Names inside a listing's folder (/claims/topics/, /claims/claimants/) that its own pages use.
RESERVED_SLUGS = frozenset({"index", "page"})
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PARTIAL_DAY = re.compile(r"(\d{4})(?:-(\d{2}))?")


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// address, with no spaces")
    return value


class Month(dt.date):
    """A date known only to the month (a source that shows no more): the month's first day, so that it sorts."""

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat


class Year(dt.date):
    """A date known only to the year: its first day, so that it sorts."""

    def isoformat(self) -> str:
        return f"{self.year:04d}"

    __str__ = isoformat


def long_date(value: dt.date) -> str:
    """A date as readers see it, no more precise than it is known: '9 April 2025', 'April 2025', '2025'."""
    if isinstance(value, Year):
        return str(value.year)
    if isinstance(value, Month):
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def _iso_day(value: object, partial: bool = False) -> object:
    """Dates are written YYYY-MM-DD and nothing else: not a number of seconds, not a date with a time. Where
    `partial`, YYYY-MM and YYYY too, for what a source dates no more precisely. Every date of a claim is read here."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            if _DAY.fullmatch(value):
                return dt.date.fromisoformat(value)
            if partial and (match := _PARTIAL_DAY.fullmatch(value)):
                year, month = int(match[1]), match[2]
                return Month(year, int(month), 1) if month else Year(year, 1, 1)
        except ValueError:
            pass
    if partial:
        raise PydanticCustomError("iso_date", "expected a date as YYYY-MM-DD, YYYY-MM or YYYY")
    raise PydanticCustomError("iso_date", "expected a date as YYYY-MM-DD")


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, AfterValidator(_check_url)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Day = Annotated[dt.date, BeforeValidator(_iso_day), WithJsonSchema({"type": "string", "format": "date"})]
# A date that may be known only to the month or the year: written, exported and shown with no more precision.
PartialDay = Annotated[
    dt.date,
    BeforeValidator(lambda value: _iso_day(value, partial=True)),
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


ClaimantKind = Literal["person", "organisation", "outlet", "group"]


class Claimant(Record):
    """One entry of data/claimants.yaml: someone whose claims the site checks."""

    name: Text = Field(description="The name readers see, e.g. 'Volodymyr Zelensky'.")
    kind: ClaimantKind = Field(
        description="`person`, `organisation`, `outlet` (a news medium) or `group` (several speakers, or reports "
        "with no single speaker); gives ClaimReview's author type."
    )
    description: Text = Field(description="Who they are, in a short sentence.")
    other_names: list[Text] = Field(
        default_factory=list,
        description="Other spellings and names in other scripts, each as a source gives it: search finds them.",
    )
    url: Url | None = Field(None, description="A page about the claimant (http or https).")


class Person(Record):
    """One entry of data/people.yaml: someone who writes or edits the site's fact-checks."""

    name: Text = Field(description="The name shown in bylines.")
    role: Text | None = Field(None, description="Their role at the publisher, e.g. 'Editor'.")
    url: Url | None = Field(None, description="A page about them (http or https).")


class People(RootModel[dict[Slug, Person]]):
    """data/people.yaml: the people named in bylines, by the id claim files use in `author` and `editor`."""


class Claimants(RootModel[dict[Slug, Claimant]]):
    """data/claimants.yaml: every claimant, by the id claim files use, which is also their page's address
    (/claims/claimants/<id>/)."""

    @field_validator("root")
    @classmethod
    def _not_reserved(cls, value: dict[str, Claimant]) -> dict[str, Claimant]:
        if reserved := [slug for slug in value if slug in RESERVED_SLUGS]:
            raise ValueError(
                "\n".join(f"{slug}: '{slug}' is reserved for the claimants' own pages" for slug in reserved)
            )
        return value


class ClaimantRef(Record):
    """Who made the claim: their id in data/claimants.yaml, and their role at the time."""

    id: Slug = Field(description="The claimant's id in data/claimants.yaml, e.g. `volodymyr-zelensky`.")
    role: Text | None = Field(None, description="Their role when they made the claim, e.g. 'President of Ukraine'.")


class Part(Record):
    """One part of a compound claim, rated on its own."""

    statement: Text = Field(description="What this part claims, in a sentence.")
    verdict: str = Field(description="A rating key from data/ratings.yaml.")
    explanation: Text = Field(description="Why this part gets its rating, in a sentence or two.")


class Appearance(Record):
    """A place where the claim was made or published."""

    url: Url = Field(description="Address of the post, article, video or transcript (http or https).")
    outlet: Text = Field(description="Platform or outlet, e.g. 'X', 'Telegram, translated by upday', 'briefing'.")
    date: PartialDay | None = Field(
        None, description="Date of this appearance (YYYY-MM-DD; YYYY-MM or YYYY where no more is shown), when known."
    )


class Source(Record):
    """A source the fact-check relies on. List the primary source first."""

    title: Text = Field(
        description="The source's headline; where it is not known, a short description in square brackets."
    )
    publisher: Text = Field(description="Who published it, e.g. 'Times of Malta (AFP)' for syndicated wire copy.")
    date: PartialDay | None = Field(
        None,
        description="Publication date (YYYY-MM-DD; YYYY-MM or YYYY where the source shows no more); omit only if "
        "the source shows none.",
    )
    url: Url | None = Field(None, description="Address of the source (http or https), where one exists.")
    archive_url: Url | None = Field(None, description="Address of an archived copy (e.g. the Wayback Machine).")
    supports: Text | None = Field(None, description="What this source supports, in a few words.")
    quote: Text | None = Field(None, description="A short, exact quote from the source.")


class Update(Record):
    """A change made to the fact-check after it was first published."""

    date: Day = Field(description="When the change was made (YYYY-MM-DD).")
    kind: Literal["update", "correction"] = Field(
        description="`correction` when something published was wrong; `update` for new information."
    )
    note: Text = Field(description="What changed and why, in a sentence or two.")


class Retraction(Record):
    """Marks a fact-check withdrawn. Its page stays up, saying so, so that links to it keep working."""

    date: Day = Field(description="When it was retracted (YYYY-MM-DD).")
    reason: Text = Field(description="Why it was retracted.")


class Claim(Record):
    """One fact-check: the file `claims/<id>.yaml`."""

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)] = Field(
        description="Permanent id: the file name without `.yaml`, lowercase words joined by hyphens. "
        "The page lives at /claims/<id>/ forever."
    )
    title: Text | None = Field(None, description="Headline. Defaults to the claim text.")
    claim: Text = Field(description="The claim: the claimant's exact words (a quote) or as reported. Plain text.")
    claim_kind: Literal["quote", "paraphrase"] = Field(
        "paraphrase",
        description="`quote` when `claim` is the claimant's own words (shown in quotation marks); `paraphrase` "
        "when it is what was reported (labelled as such).",
    )
    reported_by: Text | None = Field(
        None, description="For a paraphrase: who reported the claim in these words, e.g. 'Reuters'."
    )
    claimant: ClaimantRef = Field(
        description="Who made the claim: their id in data/claimants.yaml, or a mapping with `id` and `role`."
    )
    claim_date: PartialDay = Field(
        description="When the claim was made (YYYY-MM-DD; YYYY-MM or YYYY where no source shows more)."
    )
    appearances: list[Appearance] = Field(default_factory=list, description="Where the claim was made or reported.")
    verdict: str = Field(description="A rating key from data/ratings.yaml, e.g. `false` or `mostly-true`.")
    parts: list[Part] = Field(
        default_factory=list,
        description="For a claim that makes several statements: each part with its own verdict, in order.",
    )
    summary: Text = Field(description="What we found, in one or two sentences.")
    analysis: Text | None = Field(None, description="The full analysis, in Markdown (no raw HTML).")
    sources: Annotated[list[Source], Field(min_length=1)] = Field(description="At least one source, primary first.")
    published: Day = Field(description="When this fact-check was first published (YYYY-MM-DD).")
    updated: Day | None = Field(None, description="When it was last changed (YYYY-MM-DD).")
    as_of: Day | None = Field(None, description="Evidence reviewed up to this date (YYYY-MM-DD).")
    updates: list[Update] = Field(default_factory=list, description="Updates and corrections, oldest first.")
    topics: list[Slug] = Field(default_factory=list, description="Topic slugs, e.g. `foreign-fighters`.")
    related: list[Slug] = Field(default_factory=list, description="Ids of related fact-checks.")
    aliases: list[Slug] = Field(default_factory=list, description="Former ids; their URLs redirect here.")
    author: Slug | None = Field(None, description="Who wrote the fact-check: an id in data/people.yaml (optional).")
    editor: Slug | None = Field(None, description="Who edited it: an id in data/people.yaml (optional).")
    retracted: Retraction | None = Field(None, description="Set when the fact-check is withdrawn.")

    @field_validator("claimant", mode="before")
    @classmethod
    def _id_alone(cls, value: object) -> object:
        return {"id": value} if isinstance(value, str) else value

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"'{value}' is reserved for the site's own pages; choose another id")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        """Checks between fields, all reported at once, each as 'field: message' (the loader splits them)."""
        problems = list(self._inconsistencies())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _inconsistencies(self) -> Iterator[str]:
        if self.claim_date > self.published:
            yield "published: the fact-check cannot be published before the claim was made"
        last = self.last_modified
        if self.updated and self.updated < self.published:
            yield "updated: cannot be before published"
        for i, update in enumerate(self.updates):
            if update.date < self.published:
                yield f"updates[{i}].date: cannot be before published"
            if update.date > last:
                yield f"updated: must be on or after the latest entry in updates ({update.date})"
        if self.as_of and self.as_of > last:
            yield "as_of: evidence cannot be reviewed after the fact-check's last change"
        for i, alias in enumerate(self.aliases):
            if alias == self.id:
                yield f"aliases[{i}]: a claim cannot be its own alias"
            elif alias in RESERVED_IDS:
                yield f"aliases[{i}]: '{alias}' is reserved for the site's own pages; choose another"
        if self.reported_by and self.claim_kind == "quote":
            yield "reported_by: only a paraphrase names who reported it. Hint: a quote's source is its appearances"
        for i, related in enumerate(self.related):
            if related == self.id:
                yield f"related[{i}]: a claim cannot be related to itself"

    @property
    def headline(self) -> str:
        return self.title or self.claim

    def cross_references(self) -> tuple[Any, ...]:
        """What the checks between claim files, and of a claim's ids against the data files, look at: equal for
        two versions of a claim that differ only elsewhere (see load._between_files)."""
        return (self.id, self.aliases, self.related, self.claim, self.claimant.id, self.claimant.role, self.topics,
                self.author, self.editor)  # fmt: skip

    @property
    def last_modified(self) -> dt.date:
        return self.updated or self.published

    @property
    def corrections(self) -> list[Update]:
        return [u for u in self.updates if u.kind == "correction"]


class TranslatedPart(Record):
    """One part of a claim, translated: the verdict stays the original's."""

    statement: Text = Field(description="The part's `statement`, translated.")
    explanation: Text = Field(description="The part's `explanation`, translated.")


class Translation(Record):
    """The file `claims/<id>.<language>.yaml`: a claim's words in another language. Only text is translated: the
    verdict, dates, sources and everything else come from the original, so a translation cannot contradict it."""

    original_version: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")] = Field(
        description="The version of the original's text this translates (`build_claims.py translate <id> "
        "<language>` prints it). When the original's text changes, `check` warns and the page tells readers."
    )
    machine_translated: bool = Field(description="`true` when a machine made the translation.")
    reviewed_by: Slug | None = Field(
        None, description="Who checked the translation against the original: an id in data/people.yaml."
    )
    title: Text = Field(description="The headline (the original's `title`, or its `claim` when it has none).")
    claim: Text = Field(description="The claim, translated. On the page it is marked as a translation.")
    claimant_role: Text | None = Field(None, description="The claimant's role, translated (else the original's).")
    summary: Text = Field(description="What we found, translated.")
    analysis: Text | None = Field(
        None, description="The analysis (Markdown), translated: required when the original has one."
    )
    parts: list[TranslatedPart] = Field(
        default_factory=list, description="Each of the original's parts, translated, in the same order."
    )

    def problems_with(self, original: Claim) -> Iterator[str]:
        """What the original needs that this translation lacks, as 'field: message' lines."""
        if original.analysis and not self.analysis:
            yield "analysis: the original has an analysis: translate it too"
        if len(self.parts) != len(original.parts):
            yield f"parts: the original has {len(original.parts)} parts, this translation {len(self.parts)}"


def text_version(claim: Claim) -> str:
    """A fingerprint of the words a translation translates: it changes when any of them changes, and only then."""
    words = {
        "title": claim.headline, "claim": claim.claim, "claimant_role": claim.claimant.role,
        "summary": claim.summary, "analysis": claim.analysis,
        "parts": [[part.statement, part.explanation] for part in claim.parts],
    }  # fmt: skip
    encoded = json.dumps(words, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()[:12]


def translated(claim: Claim, translation: Translation) -> Claim:
    """The original with the translated words in place of its own: what a translated page shows."""
    parts = [
        part.model_copy(update={"statement": words.statement, "explanation": words.explanation})
        for part, words in zip(claim.parts, translation.parts, strict=True)
    ]
    claimant = claim.claimant.model_copy(update={"role": translation.claimant_role or claim.claimant.role})
    return claim.model_copy(
        update={
            "title": translation.title, "claim": translation.claim, "summary": translation.summary,
            "analysis": translation.analysis or claim.analysis, "parts": parts, "claimant": claimant,
        }
    )  # fmt: skip


class RatingWords(Record):
    label: Text = Field(description="The rating's label in this language.")
    definition: Text = Field(description="Its definition in this language.")


class ClaimantWords(Record):
    name: Text | None = Field(
        None, description="The claimant's name in this language's script, where a source gives it."
    )
    description: Text | None = Field(None, description="Who they are, in this language.")


class SearchSettings(Record):
    """How the theme's search reads a language (Material's search plugin settings: lang, separator, pipeline)."""

    lang: list[str] | None = Field(None, description="Stemmer languages, e.g. [ru] (the theme has none for uk).")
    separator: str | None = Field(None, description="A regular expression for what separates words.")
    pipeline: list[str] | None = Field(None, description="Of stemmer, stopWordFilter, trimmer: which to apply.")


class DateFormats(Record):
    """How a language writes a date, as CLDR patterns (Babel): the locale's long format unless given."""

    day: Text = Field("long", description="A full date, e.g. 'd MMMM y' (9 квітня 2025).")
    month: Text = Field("yMMMM", description="A month (a skeleton or pattern), e.g. 'LLLL y' (квітень 2025).")


class LanguagePack(Record):
    """data/languages/<code>.yaml: everything the site's own words need in one more language (the language code
    is the file's name, e.g. `uk`, `zh`, `ru`: its pages are published under /<code>/)."""

    name: Text = Field(description="The language's name in itself, e.g. 'Українська': what the language menu shows.")
    machine_translated: bool = Field(description="`true` while a machine made these words and no person checked them.")
    description: Text | None = Field(
        None, description="mkdocs.yml's site_description in this language: the link-preview image of its other pages."
    )
    interface: dict[str, Text] = Field(
        default_factory=dict, description="The generated pages' words: English text -> its translation."
    )
    ratings: dict[str, RatingWords] = Field(default_factory=dict, description="Rating key -> label and definition.")
    topics: dict[str, Text] = Field(default_factory=dict, description="Topic slug -> its name.")
    claimants: dict[str, ClaimantWords] = Field(default_factory=dict, description="Claimant id -> name, description.")
    nav: dict[str, Text] = Field(default_factory=dict, description="Navigation titles in mkdocs.yml -> translation.")
    search: SearchSettings = Field(default_factory=SearchSettings, description="How search reads the language.")
    dates: DateFormats = Field(default_factory=lambda: DateFormats(), description="How dates are written.")


class Rating(Record):
    """One step of the rating scale."""

    key: Slug = Field(description="What claim files write in `verdict`.")
    label: Text = Field(description="What readers see.")
    value: int = Field(description="Position for ClaimReview's numeric rating.")
    icon: Text = Field(description="Material Design icon name shown beside the label.")
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] = Field(
        description="Badge background behind white text (#rrggbb)."
    )
    definition: Text = Field(description="One paragraph: when this rating applies.")


class RatingScale(Record):
    """data/ratings.yaml: the rating scale."""

    best: int = Field(description="ClaimReview's bestRating.")
    worst: int = Field(description="ClaimReview's worstRating.")
    ratings: list[Rating] = Field(min_length=1, description="The ratings, best first.")

    @model_validator(mode="after")
    def _consistent(self) -> RatingScale:
        problems, seen = [], set()
        for index, rating in enumerate(self.ratings):
            if not self.worst <= rating.value <= self.best:
                problems.append(f"ratings[{index}].value: {rating.value} is outside {self.worst}..{self.best}")
            if rating.key in seen:
                problems.append(f"ratings[{index}].key: '{rating.key}' is defined twice")
            seen.add(rating.key)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @cached_property
    def by_key(self) -> dict[str, Rating]:
        return {r.key: r for r in self.ratings}


class Rules(Record):
    """data/rules.yaml: content rules that `check` enforces beyond the claim format, with this site's values."""

    min_sources: int = Field(1, ge=1, description="How many sources every fact-check cites at least.")
    required: list[str] = Field(
        default_factory=list,
        description="Keys every claim file must write even where the format makes them optional, e.g. `as_of`, "
        "`claimant.role`, or `sources[].supports` (in every source). A list written empty (`appearances: []`) counts "
        "as written: it says there is none.",
    )
    distinct_claims: bool = Field(False, description="No two fact-checks may check the same claim text.")
    one_role_per_claimant: bool = Field(
        False, description="The same claimant (id) has the same `claimant.role` in every file."
    )

    @field_validator("required")
    @classmethod
    def _known_keys(cls, value: list[str]) -> list[str]:
        known = {row["name"] for row in field_rows()}
        if unknown := [key for key in value if key not in known]:
            raise ValueError(f"unknown key {unknown[0]!r}; keys are written as in the field reference, e.g. 'as_of'")
        return value


def rule_rows(rules: Rules) -> list[dict[str, str]]:
    """A site's rules as the docs list them: each key, its value in this site, and its help."""
    rows = []
    for name, info in Rules.model_fields.items():
        value = getattr(rules, name)
        shown = (
            ", ".join(f"`{key}`" for key in value) or "none"
            if isinstance(value, list)
            else ("yes" if value else "no")
            if isinstance(value, bool)
            else str(value)
        )
        rows.append({"name": name, "value": shown, "help": info.description or ""})
    return rows


def field_rows() -> list[dict[str, Any]]:
    """Every key of the claim format, as `sources[].url`, with whether it is required and its help text: the field
    reference in the docs and the keys data/rules.yaml may name."""
    rows = []
    for prefix, model in (
        ("", Claim),
        ("claimant.", ClaimantRef),
        ("parts[].", Part),
        ("appearances[].", Appearance),
        ("sources[].", Source),
        ("updates[].", Update),
        ("retracted.", Retraction),
    ):
        for name, info in model.model_fields.items():
            rows.append({"name": prefix + name, "required": info.is_required(), "help": info.description or ""})
    return rows


class Topics(RootModel[dict[Slug, Text]]):
    """data/topics.yaml: every topic a claim may use (its slug) and the name readers see."""

    @field_validator("root")
    @classmethod
    def _not_reserved(cls, value: dict[str, str]) -> dict[str, str]:
        if reserved := [slug for slug in value if slug in RESERVED_SLUGS]:
            raise ValueError("\n".join(f"{slug}: '{slug}' is reserved for the topics' own pages" for slug in reserved))
        return value


LISTING_ADDRESS = r"^claims/(topics|claimants)/[^/\s]+/$"


class Redirects(RootModel[dict[Annotated[str, StringConstraints(pattern=LISTING_ADDRESS)], str]]):
    """data/redirects.yaml: topic and claimant pages that moved (old address: new address, both as
    `claims/.../`), so that published links keep working when a topic or a claimant's name changes."""


def claim_json_schema(scale: RatingScale) -> dict:
    """The JSON Schema editors use for claim files: the model's, with what the loader accepts beyond it."""
    schema = Claim.model_json_schema()
    properties = schema["properties"]
    # `verdict: true` unquoted is a YAML boolean; the loader reads it as the rating 'true'.
    booleans = [value for value in (True, False) if str(value).lower() in scale.by_key]
    properties["verdict"]["enum"] = [*scale.by_key, *booleans]
    schema["$defs"]["Part"]["properties"]["verdict"]["enum"] = [*scale.by_key, *booleans]
    properties["claimant"] = {
        "anyOf": [{"type": "string", "pattern": SLUG_PATTERN}, {"$ref": "#/$defs/ClaimantRef"}],
        "description": properties["claimant"].get("description", ""),
    }
    return schema


def slugify(text: str) -> str:
    """ASCII slug for ids and anchors: 'Kaja Kallas' -> 'kaja-kallas'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"


@cache  # a name's slug never changes; every build asks again for every claim
def page_slug(name: str) -> str:
    """The last part of a page's address made from a name, in the name's own script: 'Kaja Kallas' -> 'kaja-kallas',
    'José Álvarez' -> 'jose-alvarez', '林剑' -> '林剑', 'Лін Цзянь' -> 'лін-цзянь'. Latin letters lose their accents
    (as the addresses published so far did); other scripts are kept, so no name is reduced to nothing."""
    letters = []
    for character in unicodedata.normalize("NFKC", name).lower():
        base = unicodedata.normalize("NFKD", character)[0]
        letters.append(base if base.isascii() else character)
    slug = re.sub(r"[\W_]+", "-", "".join(letters)).strip("-") or "unnamed"
    return f"{slug}-1" if slug in RESERVED_SLUGS else slug
