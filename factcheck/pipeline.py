"""The build, in order: load and validate every claim, render, write. Used by the command line and the MkDocs hook."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factcheck import history, outputs, previews, reuse
from factcheck.catalogue import Catalogue
from factcheck.load import (
    InvalidData,
    Loaded,
    Problem,
    display_path,
    load_claimants,
    load_claims,
    load_people,
    load_rating_scale,
    load_redirects,
    load_rules,
    load_topics,
    verdict_warnings,
)
from factcheck.model import Claimant, Person, RatingScale, Rules
from factcheck.render import LISTING_FOLDERS, TEMPLATES, render_site
from factcheck.site import Site
from factcheck.write import WriteReport, files_in_safe_folder, sync


class InvalidClaims(Exception):
    """Raised instead of building when any claim file has a problem: no partial site."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in claim or data files:\n" + "\n".join(map(str, problems))
        )


@dataclass
class BuildResult:
    claims: int
    report: WriteReport
    newest_timestamp: int  # the newest publication or update date, as seconds since 1970
    previews: previews.Previews | None
    search_entries: list[dict[str, str]]  # one per claim page, for the theme's search index
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> set[str]:
        """The generated files this build wrote, drew or deleted (relative to the generated folder)."""
        return self.report.changed | set(self.previews.drawn if self.previews else ())


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A build makes millions of objects that nearly all live until it ends: Python's cycle collector would walk
    them again and again and free nothing (reference counting frees the rest): a quarter of rendering time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_no_cycle_collection()
def check(site: Site, paths: list[Path] | None = None, base: str | None = "HEAD") -> Loaded:
    """Validate claim files (all of them unless `paths` is given) and the data files; compare with git `base` so
    that no published address breaks (None: no comparison). Warn about claims that read like another: those added
    since `base`, or those in `paths`."""
    try:
        data = read_data(site)
    except InvalidData as error:
        return Loaded(problems=error.problems)
    everything = [path.stem for path in site.claims_dir.glob("*.yaml")]
    loaded = data.load(paths or [site.claims_dir], other_ids=everything)
    loaded.warnings.extend(verdict_warnings(loaded, data.scale))
    if paths:
        every_claim = data.load([site.claims_dir])
        loaded.warnings.extend(history.near_duplicates(every_claim, [claim.id for claim in loaded.claims]))
    else:
        loaded.problems.extend(redirect_problems(site, loaded, data.redirects))
        problems, warnings = _compare_with_history(site, loaded, base, data.redirects)
        loaded.problems.extend(problems)
        loaded.warnings.extend(warnings)
    loaded.problems.sort()
    return loaded


def _compare_with_history(
    site: Site, loaded: Loaded, base: str | None, redirects: dict[str, str]
) -> tuple[list[Problem], list[Problem]]:
    """Problems (published addresses that would break) and warnings (new claims like old ones) against `base`."""
    if base is None:
        return [], []
    try:
        before = history.published_claims(site, base)
    except history.HistoryUnavailable as error:
        return [Problem("--base", 0, "", str(error))], []
    added = [claim.id for claim in loaded.claims if claim.id not in before]
    return list(history.broken_addresses(site, loaded, before, redirects)), list(history.near_duplicates(loaded, added))


@dataclass(frozen=True)
class SiteData:
    """The site's data files, read and checked."""

    scale: RatingScale
    topics: dict[str, str]
    rules: Rules
    redirects: dict[str, str]
    claimants: dict[str, Claimant]
    people: dict[str, Person]

    def load(self, paths: list[Path], **options: Any) -> Loaded:
        """The claim files in `paths`, checked against these data files (as `check` and the build do)."""
        return load_claims(
            paths, self.scale, topics=self.topics, rules=self.rules, claimants=self.claimants, people=self.people,
            **options,
        )  # fmt: skip


def read_data(site: Site) -> SiteData:
    """data/*.yaml; InvalidData names every problem in every one of them."""
    loaders = {"scale": ("ratings", load_rating_scale), "topics": ("topics", load_topics),
               "rules": ("rules", load_rules), "redirects": ("redirects", load_redirects),
               "claimants": ("claimants", load_claimants), "people": ("people", load_people)}  # fmt: skip
    problems, values = [], {}
    for field_name, (file_name, load) in loaders.items():
        try:
            values[field_name] = load(site.data_dir / f"{file_name}.yaml")
        except InvalidData as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidData(problems)
    return SiteData(**values)


def redirect_problems(site: Site, loaded: Loaded, redirects: dict[str, str]) -> Iterator[Problem]:
    """A moved page's old address must be free, and its new one must exist."""
    path = display_path(site.data_dir / "redirects.yaml")
    pages = history.addresses(map(history.current, loaded.claims)) | dict.fromkeys(LISTING_FOLDERS)
    for old, new in sorted(redirects.items()):
        if old in pages:
            yield Problem(path, 0, old, "a page has this address again. Hint: remove the redirect")
        if new not in pages:
            yield Problem(
                path,
                0,
                old,
                f"'{new}' is not a page of the site. Hint: use an address such as claims/topics/diplomacy/",
            )


@_no_cycle_collection()
def build(site: Site, background_previews: bool = False) -> BuildResult:
    """Render every claim into the generated folder, or raise InvalidClaims and leave it untouched.

    With `background_previews`, a large batch of preview images is still being drawn on return: the caller
    builds the site meanwhile and calls `result.previews.finish(site_dir)`.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    # What every page depends on besides its claims: a change to any of it re-renders everything.
    reuse.start_generation((site, reuse.files_fingerprint([site.data_dir, TEMPLATES])))
    try:
        data = read_data(site)
    except InvalidData as error:
        raise InvalidClaims(error.problems) from None
    scale = data.scale
    loaded = data.load([site.claims_dir])
    loaded.problems.extend(redirect_problems(site, loaded, data.redirects))
    if loaded.problems:
        raise InvalidClaims(sorted(loaded.problems))
    timings["load"] = time.perf_counter() - start
    catalogue = Catalogue(
        site=site,
        scale=scale,
        claims=loaded.claims,
        topic_labels=data.topics,
        redirects=data.redirects,
        registry=data.claimants,
        people=data.people,
        rules=data.rules,
        revisions=history.revisions(site),
    )
    # Nothing is written (images included) until the generated folder is known to be safe to write into.
    protected = [site.claims_dir, site.data_dir, site.root / ".git", site.root / "mkdocs.yml"]
    existing = files_in_safe_folder(site.out_dir, site.root, protected)
    # Images first: in the background they are drawn in another process while this one renders and MkDocs builds.
    drawing = previews.update_previews(
        site.out_dir, loaded.claims, scale, site.name, background_previews, catalogue.byline
    )
    timings["previews"] = time.perf_counter() - start - timings["load"]
    try:
        reviews = outputs.claim_reviews_of(catalogue)
        files = render_site(catalogue, reviews) | outputs.data_files(catalogue, reviews)
        search_entries = outputs.search_entries(catalogue)
        timings["render"] = time.perf_counter() - start - sum(timings.values())
        report = sync(
            site.out_dir, files, previews.preview_files(loaded.claims), root=site.root, protected=protected,
            existing=existing,
        )  # fmt: skip
        timings["write"] = time.perf_counter() - start - sum(timings.values())
    except BaseException:
        drawing.cancel()
        raise
    newest = max((claim.last_modified for claim in loaded.claims), default=dt.date(1970, 1, 1))
    epoch = int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())
    return BuildResult(len(loaded.claims), report, epoch, drawing, search_entries, timings)
