"""The MkDocs side, kept thin: build the claims before every MkDocs build, and watch them while serving.

Everything else is in the engine-independent pipeline, whose output is plain Markdown that Zensical (which
reads mkdocs.yml) can render too.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factcheck import outputs, pipeline
from factcheck.site import load_site
from factcheck.write import UnsafeOutput

log = logging.getLogger("mkdocs.hooks.factcheck")
_build: pipeline.BuildResult | None = None
_finished_html: dict[str, str] = {}


def on_pre_build(config, **_) -> None:
    global _build
    site = load_site(Path(config.config_file_path))
    try:
        result = _build = pipeline.build(site, background_previews=True)
    except (pipeline.InvalidClaims, UnsafeOutput) as error:
        raise PluginError(str(error)) from None
    log.info("factcheck: %d claims (%s)", result.claims, result.report)
    _report_timings(result.timings)
    # The sitemap's .gz is stamped with the build time unless this is set: use the newest content date instead.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(result.newest_timestamp))


def on_env(env, **_):
    """Each build gets a new template environment, so templates cannot change during one: checking every included
    template file for changes on every page (tens of thousands of file-system calls at 10,000 claims) is waste."""
    env.auto_reload = False
    return env


def on_page_markdown(markdown: str, page, **_) -> str:
    """Generated pages marked `body: html` are finished, escaped HTML: handing them to Markdown would only parse
    every tag again, which was the largest single cost of building a large site. Any other engine, or MkDocs
    without this hook, renders them through Markdown to the same result."""
    if page.meta.get("body") != "html":
        return markdown
    if "claim_id" in page.meta:  # the theme's search would parse the whole page: on_post_build adds its entry
        page.meta["search"] = {"exclude": True}
    _finished_html[page.file.src_uri] = markdown
    return ""


def on_page_content(html: str, page, **_) -> str:
    return _finished_html.pop(page.file.src_uri, html)


@event_priority(-50)  # after the search plugin has written its index
def on_post_build(config, **_) -> None:
    """Add the claims to the search index; preview images of a cold build are drawn on the other core while MkDocs
    works: wait, then link them in."""
    if not _build:
        return
    outputs.add_to_search_index(Path(config.site_dir) / "search" / "search_index.json", _build.search_entries)
    if _build.previews:
        start = time.perf_counter()
        _build.previews.finish(Path(config.site_dir))
        _report_timings({**_build.timings, "previews_wait": time.perf_counter() - start})


def _report_timings(timings: dict[str, float]) -> None:
    if timings_file := os.environ.get("FACTCHECK_TIMINGS"):  # scripts/bench.py reads where the time went
        Path(timings_file).write_text(json.dumps(timings), encoding="utf-8")


def on_build_error(**_) -> None:
    if _build and _build.previews:
        _build.previews.finish()


def on_serve(server, config, builder, **_):
    site = load_site(Path(config.config_file_path))
    for path in (site.claims_dir, site.root / "data", site.root / "factcheck" / "templates"):
        server.watch(str(path))
    return server
