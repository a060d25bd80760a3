"""The MkDocs side, kept thin: build the claims before every MkDocs build, and watch them while serving.

Everything else is in the engine-independent pipeline, whose output is plain Markdown that Zensical (which
reads mkdocs.yml) can render too.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from factcheck import pipeline
from factcheck.site import load_site

log = logging.getLogger("mkdocs.hooks.factcheck")


def on_pre_build(config, **_) -> None:
    site = load_site(Path(config.config_file_path))
    try:
        result = pipeline.build(site)
    except pipeline.InvalidClaims as error:
        raise PluginError(str(error)) from None
    log.info("factcheck: %d claims (%s)", result.claims, result.report)
    # The sitemap's .gz is stamped with the build time unless this is set: use the newest content date instead.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(result.newest_timestamp))


def on_serve(server, config, builder, **_):
    site = load_site(Path(config.config_file_path))
    for path in (site.claims_dir, site.root / "data", site.root / "factcheck" / "templates"):
        server.watch(str(path))
    return server
