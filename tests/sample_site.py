"""The golden sample site: a few claims that between them use every key, an update, a correction, a retraction,
aliases and a claimant named in another script (tests/golden/claims/), built with the real pipeline and data.

tests/test_golden.py compares what it generates with tests/golden/expected/; `make golden` regenerates that after an
intended change, so the change to every page shows up in review.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, Project

GOLDEN = REPO / "tests" / "golden"
EXPECTED = GOLDEN / "expected"
SKIPPED = ("previews/",)  # images: compared across clean builds elsewhere, not byte for byte here
# What the deployment sets, as a local build has it: the sample is the same wherever the tests run.
LOCAL_BUILD = {"FACTCHECK_SITE_URL": "http://127.0.0.1:8000/", "FACTCHECK_REPOSITORY_URL": ""}


def build_sample(root: Path) -> dict[str, bytes]:
    """Build the sample site in `root` and return its generated files (path -> bytes)."""
    project = Project(root)
    for claim in (GOLDEN / "claims").glob("*.yaml"):
        shutil.copy(claim, project.root / "claims" / claim.name)
    shutil.copy(REPO / "data" / "rules.yaml", project.root / "data" / "rules.yaml")
    (project.root / "data" / "redirects.yaml").unlink(missing_ok=True)  # the first site's own moved pages
    shutil.copy(GOLDEN / "claimants.yaml", project.root / "data" / "claimants.yaml")
    shutil.copy(GOLDEN / "people.yaml", project.root / "data" / "people.yaml")
    result = project.cli("build", **LOCAL_BUILD)
    assert result.returncode == 0, result.stderr
    return tree(project.root / "docs" / "claims")


def tree(folder: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(SKIPPED):
            files[relative] = path.read_bytes()
    return files
