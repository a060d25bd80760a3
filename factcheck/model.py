"""The claim file format: one pydantic model per record, with help text on every field.

The JSON Schema in `schema/claim.schema.json` and the field reference in the docs are generated from these
models (`build_claims.py schema`); a test fails when they drift.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_PATTERN = ID_PATTERN
# Folders under /claims/ that the generator owns; a claim with one of these ids would shadow them.
RESERVED_IDS = frozenset({"topics", "claimants", "verdicts", "timeline", "page", "index", "includes", "previews"})


def _check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/?#]+\.[^\s/?#]+([/?#]\S*)?$", value, re.IGNORECASE):
        raise ValueError("must be an http:// or https:// address, with no spaces")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_check_url)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False, str_strip_whitespace=True)


class Claimant(Record):
    """Who made the claim: a person or an organisation."""

    name: Text = Field(description="The claimant's name, spelled the same way in every claim file.")
    role: Text | None = Field(None, description="Their role when they made the claim, e.g. 'President of Ukraine'.")
    url: Url | None = Field(None, description="A page about the claimant (http or https).")
    kind: Literal["person", "organization"] = Field(
        "person", description="`person` or `organization` (used for ClaimReview's author type)."
    )

    @property
    def slug(self) -> str:
        return slugify(self.name)


class Appearance(Record):
    """A place where the claim was made or published."""

    url: Url = Field(description="Address of the post, article, video or transcript (http or https).")
    outlet: Text = Field(description="Platform or outlet, e.g. 'X', 'Telegram, translated by upday', 'briefing'.")
    date: dt.date | None = Field(None, description="Date of this appearance (YYYY-MM-DD), when known.")


class Source(Record):
    """A source the fact-check relies on. List the primary source first."""

    title: Text = Field(
        description="The source's headline; where it is not known, a short description in square brackets."
    )
    publisher: Text = Field(description="Who published it, e.g. 'Times of Malta (AFP)' for syndicated wire copy.")
    date: dt.date | None = Field(None, description="Publication date (YYYY-MM-DD); omit only if the source shows none.")
    url: Url | None = Field(None, description="Address of the source (http or https), where one exists.")
    archive_url: Url | None = Field(None, description="Address of an archived copy (e.g. the Wayback Machine).")
    supports: Text | None = Field(None, description="What this source supports, in a few words.")
    quote: Text | None = Field(None, description="A short, exact quote from the source.")


class Update(Record):
    """A change made to the fact-check after it was first published."""

    date: dt.date = Field(description="When the change was made (YYYY-MM-DD).")
    kind: Literal["update", "correction"] = Field(
        description="`correction` when something published was wrong; `update` for new information."
    )
    note: Text = Field(description="What changed and why, in a sentence or two.")


class Retraction(Record):
    """Marks a fact-check withdrawn. Its page stays up, saying so, so that links to it keep working."""

    date: dt.date = Field(description="When it was retracted (YYYY-MM-DD).")
    reason: Text = Field(description="Why it was retracted.")


class Claim(Record):
    """One fact-check: the file `claims/<id>.yaml`."""

    id: Annotated[str, StringConstraints(pattern=ID_PATTERN)] = Field(
        description="Permanent id: the file name without `.yaml`, lowercase words joined by hyphens. "
        "The page lives at /claims/<id>/ forever."
    )
    title: Text | None = Field(None, description="Headline. Defaults to the claim text.")
    claim: Text = Field(description="The claim as it was said (a short exact quote), or as reported. Plain text.")
    claimant: Claimant = Field(description="Who made the claim: a name, or a mapping with `name`, `role`, `url`.")
    claim_date: dt.date = Field(description="When the claim was made (YYYY-MM-DD).")
    appearances: list[Appearance] = Field(default_factory=list, description="Where the claim was made or reported.")
    verdict: str = Field(description="A rating key from data/ratings.yaml, e.g. `false` or `mostly-true`.")
    summary: Text = Field(description="What we found, in one or two sentences.")
    analysis: Text | None = Field(None, description="The full analysis, in Markdown (no raw HTML).")
    sources: Annotated[list[Source], Field(min_length=1)] = Field(description="At least one source, primary first.")
    published: dt.date = Field(description="When this fact-check was first published (YYYY-MM-DD).")
    updated: dt.date | None = Field(None, description="When it was last changed (YYYY-MM-DD).")
    as_of: dt.date | None = Field(None, description="Evidence reviewed up to this date (YYYY-MM-DD).")
    updates: list[Update] = Field(default_factory=list, description="Updates and corrections, oldest first.")
    topics: list[Slug] = Field(default_factory=list, description="Topic slugs, e.g. `foreign-fighters`.")
    related: list[Slug] = Field(default_factory=list, description="Ids of related fact-checks.")
    aliases: list[Slug] = Field(default_factory=list, description="Former ids; their URLs redirect here.")
    retracted: Retraction | None = Field(None, description="Set when the fact-check is withdrawn.")

    @field_validator("claimant", mode="before")
    @classmethod
    def _name_alone(cls, value: object) -> object:
        return {"name": value} if isinstance(value, str) else value

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"'{value}' is reserved for the site's own pages; choose another id")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Claim:
        if self.claim_date > self.published:
            raise ValueError("published: the fact-check cannot be published before the claim was made")
        last = self.last_modified
        if self.updated and self.updated < self.published:
            raise ValueError("updated: cannot be before published")
        for i, update in enumerate(self.updates):
            if update.date < self.published:
                raise ValueError(f"updates[{i}].date: cannot be before published")
            if update.date > last:
                raise ValueError(f"updated: must be on or after the latest entry in updates ({update.date})")
        if self.as_of and self.as_of > last:
            raise ValueError("as_of: evidence cannot be reviewed after the fact-check's last change")
        if self.id in self.aliases:
            raise ValueError("aliases: a claim cannot be its own alias")
        if self.id in self.related:
            raise ValueError("related: a claim cannot be related to itself")
        return self

    @property
    def headline(self) -> str:
        return self.title or self.claim

    @property
    def last_modified(self) -> dt.date:
        return self.updated or self.published

    @property
    def corrections(self) -> list[Update]:
        return [u for u in self.updates if u.kind == "correction"]


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
    best: int
    worst: int
    ratings: list[Rating]

    @model_validator(mode="after")
    def _values_in_range(self) -> RatingScale:
        for rating in self.ratings:
            if not self.worst <= rating.value <= self.best:
                raise ValueError(f"{rating.key}: value {rating.value} is outside {self.worst}..{self.best}")
        return self

    @cached_property
    def by_key(self) -> dict[str, Rating]:
        return {r.key: r for r in self.ratings}


def load_rating_scale(path: Path) -> RatingScale:
    from factcheck import reuse

    return reuse.from_file("ratings", path, lambda p: RatingScale.model_validate(yaml.safe_load(p.read_text("utf-8"))))


def claim_json_schema(scale: RatingScale) -> dict:
    """The JSON Schema editors use for claim files: the model's, with what the loader accepts beyond it."""
    schema = Claim.model_json_schema()
    properties = schema["properties"]
    # `verdict: true` unquoted is a YAML boolean; the loader reads it as the rating 'true'.
    booleans = [value for value in (True, False) if str(value).lower() in scale.by_key]
    properties["verdict"]["enum"] = [*scale.by_key, *booleans]
    properties["claimant"] = {
        "anyOf": [{"type": "string", "minLength": 1}, {"$ref": "#/$defs/Claimant"}],
        "description": properties["claimant"].get("description", ""),
    }
    return schema


def slugify(text: str) -> str:
    """ASCII slug for URLs: 'Kaja Kallas' -> 'kaja-kallas'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "unnamed"
