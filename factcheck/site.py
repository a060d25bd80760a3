"""Where things live, and the site's identity as set in mkdocs.yml (site_name, site_url, extra.publisher)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml while ignoring MkDocs' own tags (`!!python/name:`, `!ENV`), which we do not need."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


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

    def claim_url(self, claim_id: str) -> str:
        return f"{self.url}claims/{claim_id}/"


def load_site(config_file: Path = ROOT / "mkdocs.yml") -> Site:
    from factcheck import reuse

    return reuse.from_file("site", config_file.resolve(), _read_site)


def _read_site(config_file: Path) -> Site:
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    extra = config.get("extra") or {}
    publisher = extra.get("publisher") or {}
    url = str(config.get("site_url") or "http://localhost:8000/").rstrip("/") + "/"
    root = config_file.resolve().parent
    return Site(
        root=root,
        name=str(config.get("site_name", "Fact-checks")),
        url=url,
        description=str(config.get("site_description", "")),
        language=str((config.get("theme") or {}).get("language", "en")),
        publisher_name=str(publisher.get("name", config.get("site_name", ""))),
        publisher_url=str(publisher.get("url", url)),
        docs_dir=root / str(config.get("docs_dir", "docs")),
    )
