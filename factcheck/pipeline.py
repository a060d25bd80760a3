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
from factcheck.language import Language, languages, writing_in
from factcheck.load import (
    InvalidData,
    Loaded,
    Problem,
    display_path,
    is_translation,
    load_claimants,
    load_claims,
    load_languages,
    load_people,
    load_rating_scale,
    load_redirects,
    load_rules,
    load_topics,
    verdict_warnings,
)
from factcheck.model import Claimant, LanguagePack, Person, RatingScale, Rules, translated
from factcheck.render import LISTING_FOLDERS, TEMPLATES, render_markdown, render_site
from factcheck.render import interface_words as render_interface_words
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
    search_entries: dict[str, list[str]]  # language -> one per claim page (JSON), for the theme's search index
    languages: list[Language]  # the original first
    changed: set[str] = field(default_factory=set)  # the generated files written or deleted, in the docs folder
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
    """Validate claim files (all of them unless `paths` is given) and the data files; compare with git `base` so
    that no published address breaks (None: no comparison). Warn about claims that read like another: those added
    since `base`, or those in `paths`."""
    try:
        data = read_data(site)
    except InvalidData as error:
        return Loaded(problems=error.problems)
    everything = [path.stem for path in site.claims_dir.glob("*.yaml") if not is_translation(path)]
    loaded = data.load(paths or [site.claims_dir], other_ids=everything)
    loaded.warnings.extend(verdict_warnings(loaded, data.scale))
    loaded.warnings.extend(language_warnings(site, data))
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
    languages: dict[str, LanguagePack]  # the languages the site is translated into (data/languages/)

    def load(self, paths: list[Path], **options: Any) -> Loaded:
        """The claim files in `paths` and their translations, checked against these data files (as `check` and the
        build do)."""
        return load_claims(
            paths, self.scale, topics=self.topics, rules=self.rules, claimants=self.claimants, people=self.people,
            languages=self.languages, **options,
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
    try:
        values["languages"] = load_languages(site.data_dir / "languages")
    except InvalidData as error:
        problems.extend(error.problems)
    if problems:
        raise InvalidData(problems)
    return SiteData(**values)


def language_warnings(site: Site, data: SiteData) -> Iterator[Problem]:
    """What a language file translates that the site no longer has (a removed topic, say), and the interface words
    it lacks (shown in English until translated)."""
    words = render_interface_words()
    for code, pack in data.languages.items():
        path = display_path(site.data_dir / "languages" / f"{code}.yaml")
        for section, known in (("ratings", data.scale.by_key), ("topics", data.topics), ("claimants", data.claimants)):
            for key in sorted(set(getattr(pack, section)) - set(known)):
                yield Problem(path, 0, f"{section}.{key}", f"'{key}' is not in data/{section}.yaml. Hint: remove it")
        if missing := [text for text in words if text not in pack.interface]:
            shown = "; ".join(repr(text) for text in missing[:3]) + (" ..." if len(missing) > 3 else "")
            yield Problem(path, 0, "interface", f"{len(missing)} texts not translated, shown in English: {shown}")


def redirect_problems(site: Site, loaded: Loaded, redirects: dict[str, str]) -> Iterator[Problem]:
    """A moved page's old address must be free, and its new one must exist."""
    if not redirects:
        return
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
def build(
    site: Site, background_previews: bool = False, rebuilds: bool = False, images_in_docs: bool = False
) -> BuildResult:
    """Render every claim into the generated folder, or raise InvalidClaims and leave it untouched.

    Preview images are drawn into their own folder (Site.previews_dir): the caller links them into the built site
    with `result.previews.finish(site_dir)`, or, with `images_in_docs`, they are linked into the generated folder,
    for engines without the hook. With `background_previews`, a large batch of them is still being drawn on return,
    while the caller builds the site. With `rebuilds` (`mkdocs serve`), what was made is kept for the next build in
    this process; otherwise each language's pages are let go once written.
    """
    timings: dict[str, float] = {}
    start = time.perf_counter()
    # What every page depends on besides its claims: a change to any of it re-renders everything.
    reuse.start_generation((site, reuse.files_fingerprint([site.data_dir, TEMPLATES])))
    try:
        data = read_data(site)
    except InvalidData as error:
        raise InvalidClaims(error.problems) from None
    loaded = data.load([site.claims_dir])
    loaded.problems.extend(redirect_problems(site, loaded, data.redirects))
    if loaded.problems:
        raise InvalidClaims(sorted(loaded.problems))
    if not rebuilds:  # the files' values and every field's line (for problems, and there are none): 140 MB at 40,000
        reuse.forget()
        loaded.lines.clear()
    timings["load"] = time.perf_counter() - start
    revisions = history.revisions(site)
    catalogues = [
        catalogue_in(language, site, data, loaded, revisions, keeps=rebuilds)
        for language in languages(site, data.languages)
    ]
    # Nothing is written (images included) until every generated folder is known to be safe to write into.
    protected = [site.claims_dir, site.data_dir, site.root / ".git", site.root / "mkdocs.yml"]
    existing = {c.language.code: files_in_safe_folder(c.site.out_dir, site.root, protected) for c in catalogues}
    for catalogue in catalogues:
        files_in_safe_folder(catalogue.site.previews_dir, site.root, protected)
    # Images first: in the background they are drawn in another process while this one renders and MkDocs builds.
    drawing = previews.update_previews(
        [(c.site, c.own_claims, c.scale, c.byline, c.language, c.made_from) for c in catalogues], background_previews
    )
    timings["previews"] = time.perf_counter() - start - timings["load"]
    report, search_entries, changed = WriteReport(), {}, set()
    timings["render"] = 0.0  # and write: each file is written as soon as it is made
    try:
        for catalogue in catalogues:
            begun = time.perf_counter()
            with writing_in(catalogue.language):
                written = sync(
                    catalogue.site.out_dir, _generated_files(catalogue),
                    previews.preview_files(catalogue.own_claims) if images_in_docs else (),  # linked below
                    root=site.root, protected=protected, existing=existing[catalogue.language.code], remember=rebuilds,
                )  # fmt: skip
                search_entries[catalogue.language.code] = outputs.search_entries(catalogue)
            report += written
            changed |= {f"{catalogue.language.prefix}claims/{path}" for path in written.changed}
            timings["render"] += time.perf_counter() - begun
            if not rebuilds:
                reuse.forget()  # this language's pages, cards and rows: a language never uses another's
                render_markdown.cache_clear()
                catalogue.forget()
    except BaseException:
        drawing.cancel()
        raise
    if images_in_docs:
        drawing.finish(site.docs_dir, everything=True)
    newest = max((claim.last_modified for claim in loaded.claims), default=dt.date(1970, 1, 1))
    epoch = int(dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC).timestamp())
    return BuildResult(
        len(loaded.claims), report, epoch, drawing, search_entries, [c.language for c in catalogues], changed, timings
    )


def _generated_files(catalogue: Catalogue) -> Iterator[tuple[str, str | bytes]]:
    """A language's generated folder, file by file: its pages, then its exports and feeds."""
    reviews = outputs.claim_reviews_of(catalogue)
    yield from render_site(catalogue, reviews)
    yield from outputs.data_files(catalogue, reviews)


def catalogue_in(
    language: Language,
    site: Site,
    data: SiteData,
    loaded: Loaded,
    revisions: dict[str, tuple[Any, ...]],
    keeps: bool = True,
) -> Catalogue:
    """The claims as `language`'s pages show them: translated where a translation exists, else in the original;
    what is made from them is kept for a next build if it `keeps` (see Catalogue.keeps)."""
    translations = {
        claim_id: by_language[language.code]
        for claim_id, by_language in loaded.translations.items()
        if language.code in by_language
    }
    originals = {claim.id: claim for claim in loaded.claims if claim.id in translations}
    claims = [
        translated(claim, translations[claim.id]) if claim.id in translations else claim for claim in loaded.claims
    ]
    return Catalogue(
        site=language.site(site),
        scale=language.scale(data.scale),
        claims=claims,
        topic_labels=language.topics(data.topics),
        redirects=data.redirects if language.is_original else {},
        registry=language.claimants(data.claimants),
        people=data.people,
        rules=data.rules,
        revisions=revisions,
        language=language,
        translations=translations,
        originals=originals,
        keeps=keeps,
    )
