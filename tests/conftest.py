"""Shared fixtures: temporary sites built with the real pipeline and the real mkdocs.yml, docs and theme."""

from __future__ import annotations

import datetime as dt
import filecmp
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from factcheck.site import load_site

REPO = Path(__file__).resolve().parent.parent
# The site's address as MkDocs loads it from mkdocs.yml (localhost, or FACTCHECK_SITE_URL where that is set): what
# every canonical link, share link, ClaimReview, export and feed must carry.
SITE_URL = load_site(REPO / "mkdocs.yml").url

VALID_CLAIM = """\
id: {id}
claim: "Our military has captured two Chinese citizens."
claimant:
  id: volodymyr-zelensky
  role: President of Ukraine
claim_date: 2025-04-08
appearances:
  - url: https://example.org/post
    outlet: X
    date: 2025-04-08
verdict: "true"
summary: The capture was confirmed by several independent sources.
published: 2025-05-01
as_of: 2025-05-01
topics: [foreign-fighters]
sources:
  - title: Report
    publisher: Example News
    date: 2025-04-09
    url: https://example.org/report
analysis: |
  ## What was claimed

  Text with a [link](https://example.org/x).
"""


def claim_yaml(claim_id: str = "sample-claim", **replace: str) -> str:
    """The valid claim above, with top-level keys replaced (value '' drops the key)."""
    text = VALID_CLAIM.format(id=claim_id)
    for key, value in replace.items():
        if f"\n{key}:" not in text:
            text += f"{key}: {value}\n"
            continue
        lines, out, skipping = text.splitlines(), [], False
        for line in lines:
            if line.startswith(f"{key}:"):
                skipping = True
                if value:
                    out.append(f"{key}: {value}" if "\n" not in value else value.rstrip("\n"))
                continue
            if skipping and (line.startswith(" ") or line.startswith("-")):
                continue
            skipping = False
            out.append(line)
        text = "\n".join(out) + "\n"
    return text


class Project:
    """A throwaway copy of the site (config, docs, theme, data) with its own claims/ folder."""

    def __init__(self, root: Path):
        self.root = root
        for name in ("docs", "overrides", "data"):
            shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("claims"))
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        # The claim format's own rules: tests of data/rules.yaml (test_rules.py) write the site's back.
        (root / "data" / "rules.yaml").write_text("{}\n", encoding="utf-8")
        (root / "factcheck").symlink_to(REPO / "factcheck")
        (root / "claims").mkdir()

    def monolingual(self) -> None:
        """The site in its original language only: no language files, no translated pages."""
        for pack in (self.root / "data" / "languages").glob("*.yaml"):
            pack.unlink()
            shutil.rmtree(self.root / "docs" / pack.stem)

    def write(self, name: str, text: str) -> Path:
        path = self.root / "claims" / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def cli(self, *args: str, **environment: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(REPO / "scripts" / "build_claims.py"), "--config", str(self.root / "mkdocs.yml")]
        env = {**os.environ, **environment}
        return subprocess.run([*command, *args], cwd=self.root, capture_output=True, text=True, env=env)

    def mkdocs_build(self, site_dir: Path | None = None, **environment: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment}
        site_dir = site_dir or self.root / "site"
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)]  # -q would hide warnings
        return subprocess.run(command, cwd=self.root, capture_output=True, text=True, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site (this repository's claims), built once with `mkdocs build --strict`."""
    out = tmp_path_factory.mktemp("real") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],  # no -q: it hides strict's warnings
        cwd=REPO, capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


TODAY = dt.date.today()


def differences(left: Path, right: Path) -> list[str]:
    """Files that differ between two folders, or are in only one of them."""

    def walk(cmp: filecmp.dircmp) -> list[str]:
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found = mismatch + errors + cmp.left_only + cmp.right_only
        return found + [d for sub in cmp.subdirs.values() for d in walk(sub)]

    return walk(filecmp.dircmp(left, right))
