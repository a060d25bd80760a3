"""Where things live, and the site's identity (site_name, site_url, extra.publisher, extra.repository) as the engine
loaded it.

The settings are always read through MkDocs' own configuration loader, by the command line as by the hook, so that
`!ENV` values, `INHERIT` and command-line overrides give the same URLs in pages, ClaimReview, exports and feeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Site:
    root: Path
    name: str
    url: str  # always ends with '/'
    description: str
    language: str
    publisher_name: str
    publisher_url: str
    docs_dir: Path
    repository: str = ""  # the repository's address, without a trailing '/'; '' when not configured

    @property
    def claims_dir(self) -> Path:
        return self.root / "claims"

    @property
    def data_dir(self) -> Path:
        """The site's data files: the rating scale (ratings.yaml) and topic names (topics.yaml)."""
        return self.root / "data"

    @property
    def out_dir(self) -> Path:
        """The generated, git-ignored folder: everything under /claims/ on the site."""
        return self.docs_dir / "claims"

    @property
    def previews_dir(self) -> Path:
        """Where this language's link-preview images are drawn and kept between builds (git-ignored). Not in the
        docs folder: MkDocs would list every image on every rebuild, half of its files at 10,000 claims, only for
        the hook to take them out again. The build links them into the built site, and `build_claims.py build`
        into out_dir/previews, for engines without the hook."""
        return self.root / ".cache" / "factcheck" / "previews" / self.language

    @property
    def base_path(self) -> str:
        """The site's root as a link from any of its pages: '/' or, deployed under a sub-path, '/repo/'. Links from
        generated pages start with it, so they resolve the same wherever the page is and whichever engine built it."""
        return urlsplit(self.url).path

    def claim_url(self, claim_id: str) -> str:
        return f"{self.url}claims/{claim_id}/"


def load_site(config_file: Path = ROOT / "mkdocs.yml") -> Site:
    """The site as `mkdocs build` would configure it from `config_file`."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from yaml import YAMLError

    try:
        config = load_config(str(config_file))
    except (MkDocsException, YAMLError, OSError) as error:
        raise SettingsError(f"{config_file}: {' '.join(str(error).split())}") from None
    return site_from_config(config)


class SettingsError(Exception):
    """A setting in mkdocs.yml that the generator cannot use, said in one line."""


def site_from_config(config: Mapping[str, Any]) -> Site:
    """The site described by a configuration the engine has loaded (MkDocs' `config`)."""
    extra = config.get("extra") or {}
    publisher = extra.get("publisher") or {}
    if not isinstance(publisher, Mapping) or not all(isinstance(publisher.get(k, ""), str) for k in ("name", "url")):
        hint = "write it as a mapping: publisher: {name: Your organisation, url: https://...}"
        raise SettingsError(f"mkdocs.yml: extra.publisher: expected a name and a url, got {publisher!r}. Hint: {hint}")
    url = str(config.get("site_url") or "http://localhost:8000/").rstrip("/") + "/"
    if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
        hint = "the address the site is published at, e.g. https://user.github.io/repo/"
        raise SettingsError(f"mkdocs.yml: site_url: expected an http(s) address, got {url!r}. Hint: {hint}")
    repository = str(extra.get("repository") or "").rstrip("/")
    if repository and urlsplit(repository).scheme not in {"http", "https"}:
        hint = "the repository's web address, e.g. https://github.com/owner/repo, or nothing"
        raise SettingsError(
            f"mkdocs.yml: extra.repository: expected an http(s) address, got {repository!r}. Hint: {hint}"
        )
    theme = config.get("theme")
    return Site(
        root=Path(config["config_file_path"]).resolve().parent,
        name=str(config["site_name"]),
        url=url,
        description=str(config.get("site_description") or ""),
        language=str(theme["language"] if theme and "language" in theme else "en"),
        publisher_name=str(publisher.get("name") or config["site_name"]),
        publisher_url=str(publisher.get("url") or repository or f"{url}about/"),
        docs_dir=Path(config["docs_dir"]).resolve(),
        repository=repository,
    )
