"""The build, in order: load and validate every claim, render, write. Used by the command line and the MkDocs hook."""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from factcheck import history, outputs, previews, reuse
from factcheck.load import Loaded, Problem, load_claims
from factcheck.model import load_rating_scale
from factcheck.render import TEMPLATES, Catalogue, load_topic_labels, render_site
from factcheck.site import Site
from factcheck.write import WriteReport, sync


class InvalidClaims(Exception):
    """Raised instead of building when any claim file has a problem: no partial site."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in claim files:\n" + "\n".join(map(str, problems))
        )


@dataclass
class BuildResult:
    claims: int
    report: WriteReport
    newest_timestamp: int  # the newest publication or update date, as seconds since 1970
    previews: previews.Previews | None
    search_entries: list[dict[str, str]]  # one per claim page, for the theme's search index
    timings: dict[str, float] = field(default_factory=dict)


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
    """Validate claim files (all of them unless `paths` is given); compare with git `base` for removed claims."""
    scale = load_rating_scale(site.data_dir / "ratings.yaml")
    everything = [path.stem for path in site.claims_dir.glob("*.yaml")]
    loaded = load_claims(paths or [site.claims_dir], scale, other_ids=everything)
    if paths is None:
        loaded.problems.extend(history.removed_claims(site, loaded, base))
        loaded.warnings.extend(history.near_duplicates(site, loaded, base))
    loaded.problems.sort()
    return loaded


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
    scale = load_rating_scale(site.data_dir / "ratings.yaml")
    loaded = load_claims([site.claims_dir], scale)
    if loaded.problems:
        raise InvalidClaims(loaded.problems)
    timings["load"] = time.perf_counter() - start
    # Images first: in the background they are drawn in another process while this one renders and MkDocs builds.
    drawing = previews.update_previews(site.out_dir, loaded.claims, scale, site.name, background_previews)
    timings["previews"] = time.perf_counter() - start - timings["load"]
    try:
        catalogue = Catalogue(
            site=site, scale=scale, claims=loaded.claims, topic_labels=load_topic_labels(site.data_dir / "topics.yaml")
        )
        files = render_site(catalogue)
        search_entries = [outputs.search_entry(claim, catalogue) for claim in catalogue.claims]
        timings["render"] = time.perf_counter() - start - sum(timings.values())
        report = sync(site.out_dir, files, keep=previews.preview_files(loaded.claims))
        timings["write"] = time.perf_counter() - start - sum(timings.values())
    except BaseException:
        drawing.cancel()
        raise
    newest = max((claim.last_modified for claim in loaded.claims), default=dt.date(1970, 1, 1))
    epoch = int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())
    return BuildResult(len(loaded.claims), report, epoch, drawing, search_entries, timings)
