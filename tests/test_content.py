"""The first site's fact-checks, held to the sourcing rules of an IFCN signatory."""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urlparse

import pytest
from conftest import REPO
from test_site import CLAIMS

from factcheck import pipeline
from factcheck.load import load_claimants
from factcheck.site import load_site

REGISTRY = load_claimants(REPO / "data" / "claimants.yaml")

DOSSIER = REPO / "research" / "dossier.md"
URL = re.compile(r"https?://[^\s|)>\]]+")
# A Wayback Machine snapshot (`build_claims.py archive`) is of an address the dossier holds.
WAYBACK = re.compile(r"^https://web\.archive\.org/web/\d+/")


# Claims that no public page carries, with the sentence in the analysis that tells readers why. Listing a page
# that does not carry a claim would make it the claim's (first) appearance in ClaimReview.
WITHOUT_APPEARANCE = {
    "china-state-sent-fighters": "No one we found stated this claim outright",
    "ukraine-summoned-china-foreign-minister": "We could not locate a public copy of the report",
}


def urls_of(claim) -> list[str]:
    """Every address a claim links to: sources, archives, appearances, claimant, and links in the analysis."""
    found = [s.url for s in claim.sources if s.url] + [s.archive_url for s in claim.sources if s.archive_url]
    claimant = REGISTRY[claim.claimant.id]
    found += [a.url for a in claim.appearances] + ([claimant.url] if claimant.url else [])
    found += [u.rstrip(".,;") for u in URL.findall(claim.analysis or "")]
    return found


def test_all_dossier_claims_are_published():
    numbered = set(re.findall(r"^## Claim (\d+) ", DOSSIER.read_text(encoding="utf-8"), re.MULTILINE))
    assert numbered == {str(n) for n in range(1, 26)}
    assert len(CLAIMS) == 25


def test_the_site_passes_check_with_its_own_rules():
    """The sourcing rules (two sources, what each supports, where the claim appeared, the review date, one role per
    claimant, no claim checked twice) are data/rules.yaml, enforced by `check`: the same code contributors run."""
    loaded = pipeline.check(load_site(), base=None)
    assert [str(problem) for problem in loaded.problems] == []
    assert len(loaded.claims) == 25


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_is_dated_and_located_as_this_site_requires(claim_id):
    claim = CLAIMS[claim_id]
    for url in urls_of(claim):
        parsed = urlparse(url)
        assert parsed.scheme in {"http", "https"} and "." in parsed.netloc and " " not in url, url
    assert claim.as_of is not None and claim.as_of <= claim.published
    if claim_id in WITHOUT_APPEARANCE:
        assert not claim.appearances and WITHOUT_APPEARANCE[claim_id] in (claim.analysis or "")
    else:
        assert claim.appearances, "say where the claim was made"


def test_each_person_is_spelled_one_way():
    """The registry has one entry per person: no two names of people share a surname (Zelensky / V. Zelensky)."""
    surnames = defaultdict(set)
    for claimant in REGISTRY.values():
        if claimant.kind == "person":
            surnames[claimant.name.split()[-1]].add(claimant.name)
    assert {s: n for s, n in surnames.items() if len(n) > 1} == {}


def test_every_url_comes_from_the_source_dossier():
    assert DOSSIER.is_file(), "research/dossier.md, the evidence base of these tests, is missing"
    known = {u.rstrip(".,;") for u in URL.findall(DOSSIER.read_text(encoding="utf-8"))}
    invented = sorted(
        {(claim.id, url) for claim in CLAIMS.values() for url in urls_of(claim) if WAYBACK.sub("", url) not in known}
    )
    assert invented == []
