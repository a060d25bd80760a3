"""The catalogue of one build: the validated claims and the ways readers browse them (by topic, claimant and verdict,
related claims, the timeline, the corrections log), computed once and shared by the pages and the data exports."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any, TypeVar

from markupsafe import Markup

from factcheck import reuse
from factcheck.history import Revision
from factcheck.language import ENGLISH, Language
from factcheck.model import Claim, Claimant, Person, Rating, RatingScale, Rules, Translation, Update, text_version
from factcheck.site import Site

RELATED_LIMIT = 5
T = TypeVar("T")


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
    people: dict[str, Person] = field(default_factory=dict)  # data/people.yaml: id -> person named in bylines
    revisions: dict[str, tuple[Revision, ...]] = field(default_factory=dict)  # git's changes to each claim file
    claimants: dict[str, Claimant] = field(init=False)  # those with a claim on the site
    # The language of this catalogue's pages (the original unless given). In a translation, `claims` holds each
    # claim translated where it has a translation, in the original otherwise; only translated claims get pages.
    language: Language = ENGLISH
    translations: dict[str, Translation] = field(default_factory=dict)  # claim id -> its translation
    originals: dict[str, Claim] = field(default_factory=dict)  # claim id -> the original of a translated claim
    keeps: bool = True  # what is made from the claims is kept for a next build in this process (`mkdocs serve`)
    _card_template: Any = field(init=False, default=None)
    _kept: dict[str, dict[Hashable, Any]] = field(init=False, default_factory=dict)  # claim id -> see made_from
    _shared: dict[Hashable, Any] = field(init=False, default_factory=dict)  # see shared

    def __post_init__(self) -> None:
        self.claims = sorted(self.claims, key=lambda c: (c.published, c.claim_date, c.id), reverse=True)
        self.by_id = {c.id: c for c in self.claims}
        self.by_any_id = {alias: c for c in self.claims for alias in c.aliases} | self.by_id  # old ids too
        self.by_topic, self.by_claimant, self.by_verdict = defaultdict(list), defaultdict(list), defaultdict(list)
        self.claimants = {}
        for claim in self.claims:
            for topic in claim.topics:
                self.by_topic[topic].append(claim)
            claimant = claim.claimant.id
            self.by_claimant[claimant].append(claim)
            if claimant not in self.claimants:
                self.claimants[claimant] = self.registry[claimant]
            self.by_verdict[claim.verdict].append(claim)

    @property
    def own_claims(self) -> list[Claim]:
        """The claims that have a page in this catalogue's language."""
        if self.language.is_original:
            return self.claims
        return [claim for claim in self.claims if claim.id in self.translations]

    def in_original(self, claim: Claim) -> bool:
        """A claim listed in a translation's lists without a translation: shown, and linked, in the original."""
        return not self.language.is_original and claim.id not in self.translations

    def claim_path(self, claim: Claim) -> str:
        """A claim page's address from the site's root: in this language, or the original's without a translation."""
        return self.original_path(claim) if self.in_original(claim) else f"{self.site.base_path}claims/{claim.id}/"

    def original_path(self, claim: Claim) -> str:
        """The address of a claim's page in the original language, from the site's root."""
        return f"{self.site.base_path.removesuffix(self.language.prefix)}claims/{claim.id}/"

    def doc_link(self, claim: Claim) -> str:
        """A claim page as a Markdown link from a hand-written page of this language (docs/zh/corrections.md)."""
        return f"{'../' if self.in_original(claim) else ''}claims/{claim.id}.md"

    def is_stale(self, claim: Claim) -> bool:
        """A translation made from an earlier version of the original's text."""
        translation, original = self.translations.get(claim.id), self.originals.get(claim.id)
        return bool(translation and original and translation.original_version != text_version(original))

    def bylines(self, claim: Claim) -> list[tuple[str, Person]]:
        """Who wrote and who edited the fact-check, where its file says so: [('Written by', person), ...]."""
        named = (("Written by", claim.author), ("Edited by", claim.editor))
        return [(what, self.people[person]) for what, person in named if person]

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

    def made_from(self, claim: Claim, piece: Hashable, make: Callable[[], T], once: bool = False) -> T:
        """`make()`: a piece of this language's output made from `claim` alone (its card, its search entry, its
        export...), or what it made before, in this build or an earlier one (`mkdocs serve`), while the claim and
        its translation are unchanged. The claimant registry, the scale and the site are the build's generation. A
        piece a build uses `once` (a line of an export) is kept only for a next build."""
        if once and not self.keeps:
            return make()
        kept = self._kept.get(claim.id)
        if kept is None:
            # The original rather than is_stale(claim), which follows from it and the translation: hashing the
            # original's words for every translated claim on every build cost more than comparing it.
            inputs = (claim, self.translations.get(claim.id), self.originals.get(claim.id))
            kept = self._kept[claim.id] = reuse.kept(("claim", self.language.code, claim.id), inputs)
        try:
            return kept[piece]
        except KeyError:
            made = kept[piece] = make()
            return made

    def shared(self, key: Hashable, make: Callable[..., T], *args: Any) -> T:
        """`make(*args)`, made once for every page of this catalogue that shows it (the rating scale's meter for a
        verdict, on each claim page with that verdict); `key` names everything it depends on besides the
        catalogue's language, scale and site."""
        if key not in self._shared:
            self._shared[key] = make(*args)
        return self._shared[key]

    def made(self, key: tuple[str, ...], inputs: tuple[object, ...], make: Callable[[], T]) -> T:
        """`make()`: a piece made from more than one claim (a listing page), used once by a build; kept for a next
        build while its `inputs` are unchanged (see reuse.made_from)."""
        return reuse.made_from(key, inputs, make) if self.keeps else make()

    def forget(self) -> None:
        """Let go of what was made from each claim (see made_from), once this language's pages are written: a
        build that is not followed by another (`mkdocs build`) would otherwise hold every language's at once."""
        self._kept.clear()

    def card(self, claim: Claim, root: str, published: bool = False) -> Markup:
        """A claim's entry in lists, rendered once: listings and related claims reuse it. Lists in order of
        publication pass `published`, so that the card shows the date they are sorted by."""
        return self.made_from(
            claim,
            ("card", root, published),
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
        entries = [(update, claim) for claim in self.claims if claim.updates for update in claim.corrections]
        return sorted(entries, key=lambda entry: (entry[0].date, entry[1].id), reverse=True)

    def related(self, claims: list[Claim]) -> dict[str, list[Claim]]:
        """Each claim's related claims: explicit `related` first, then the newest others sharing the claimant or a
        topic. Only the first few of each group are looked at, so this stays linear in the number of claims.
        Claims are told apart by identity: comparing two claims by value compares every field."""
        heads = {key: group[: RELATED_LIMIT + 1] for key, group in self.by_claimant.items()}
        topic_heads = {key: group[: RELATED_LIMIT + 1] for key, group in self.by_topic.items()}
        related: dict[str, list[Claim]] = {}
        for claim in claims:
            picked: list[Claim] = []
            seen: set[int] = set()
            for other in (self.by_any_id[i] for i in claim.related if i in self.by_any_id):
                if id(other) not in seen:
                    picked.append(other)
                    seen.add(id(other))
            seen.add(id(claim))
            for group in (heads[claim.claimant.id], *map(topic_heads.__getitem__, claim.topics)):
                for other in group:
                    if len(picked) >= RELATED_LIMIT:
                        break
                    if id(other) not in seen:
                        picked.append(other)
                        seen.add(id(other))
            related[claim.id] = picked
        return related

    def retracted(self) -> list[Claim]:
        """The retracted fact-checks, in the catalogue's order."""
        return [claim for claim in self.claims if claim.retracted]

    def timeline(self) -> list[Event]:
        """Every claim on the day it was made and every later change on its own day, oldest first. Each claim's
        events are made once while it is unchanged (`mkdocs serve`), with what they are sorted by."""
        events = [pair for claim in self.claims for pair in self.made_from(claim, "events", partial(_events, claim))]
        return [event for _, event in sorted(events, key=itemgetter(0))]


@dataclass(frozen=True)
class Event:
    """One entry of the timeline: a claim made, or a later update, correction or retraction of its fact-check."""

    date: dt.date
    kind: str  # "claim", "update", "correction" or "retraction"
    claim: Claim
    note: str = ""


_EVENT_ORDER = {"claim": 0, "update": 1, "correction": 1, "retraction": 2}  # on the same day


def _events(claim: Claim) -> list[tuple[tuple[Any, ...], Event]]:
    """A claim's events in the timeline (Catalogue.timeline), each with what the timeline is sorted by."""
    events = [Event(claim.claim_date, "claim", claim)]
    events += [Event(update.date, update.kind, claim, update.note) for update in claim.updates]
    if claim.retracted:
        events.append(Event(claim.retracted.date, "retraction", claim, claim.retracted.reason))
    return [((e.date, _EVENT_ORDER[e.kind], claim.claim_date, claim.id), e) for e in events]
