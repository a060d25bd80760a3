"""The first site's fact-checks, held to the sourcing rules of an IFCN signatory."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from urllib.parse import urlparse

import pytest
from conftest import REPO
from test_site import CLAIMS

DOSSIER = REPO / "research" / "dossier.md"
URL = re.compile(r"https?://[^\s|)>\]]+")


# Claims that no public page carries, with the sentence in the analysis that tells readers why. Listing a page
# that does not carry a claim would make it the claim's (first) appearance in ClaimReview.
WITHOUT_APPEARANCE = {
    "china-state-sent-fighters": "No one we found stated this claim outright",
    "ukraine-summoned-china-foreign-minister": "We could not locate a public copy of the report",
}


def urls_of(claim) -> list[str]:
    """Every address a claim links to: sources, archives, appearances, claimant, and links in the analysis."""
    found = [s.url for s in claim.sources if s.url] + [s.archive_url for s in claim.sources if s.archive_url]
    found += [a.url for a in claim.appearances] + ([claim.claimant.url] if claim.claimant.url else [])
    found += [u.rstrip(".,;") for u in URL.findall(claim.analysis or "")]
    return found


def test_all_dossier_claims_are_published():
    numbered = set(re.findall(r"^## Claim (\d+) ", DOSSIER.read_text(encoding="utf-8"), re.MULTILINE))
    assert numbered == {str(n) for n in range(1, 26)}
    assert len(CLAIMS) == 25


@pytest.mark.parametrize("claim_id", sorted(CLAIMS))
def test_claim_is_sourced_and_dated_consistently(claim_id):
    claim = CLAIMS[claim_id]
    assert len(claim.sources) >= 2
    assert all(source.supports for source in claim.sources), "say what each source supports"
    source_urls = [s.url for s in claim.sources if s.url]
    assert len(source_urls) == len(set(source_urls)), "a source is listed twice"
    for url in urls_of(claim):
        parsed = urlparse(url)
        assert parsed.scheme in {"http", "https"} and "." in parsed.netloc and " " not in url, url
    for update in claim.updates:
        assert update.date >= claim.published
    assert claim.as_of is not None and claim.as_of <= claim.published
    assert all(related in CLAIMS for related in claim.related)
    if claim_id in WITHOUT_APPEARANCE:
        assert not claim.appearances and WITHOUT_APPEARANCE[claim_id] in (claim.analysis or "")
    else:
        assert claim.appearances, "say where the claim was made"


def test_no_two_claims_share_a_claim_text():
    texts = Counter(" ".join(c.claim.lower().split()) for c in CLAIMS.values())
    assert [text for text, count in texts.items() if count > 1] == []


def test_claimants_are_named_one_way_with_one_role():
    """One name is one claimant: a shared placeholder ("Media reports") would merge unrelated claimants' pages."""
    roles = defaultdict(set)
    for claim in CLAIMS.values():
        roles[claim.claimant.name].add((claim.claimant.kind, claim.claimant.role))
    assert {name: r for name, r in roles.items() if len(r) != 1 or any(role is None for _, role in r)} == {}
    surnames = defaultdict(set)
    for name, ((kind, _),) in roles.items():
        if kind == "person":
            surnames[name.split()[-1]].add(name)
    assert {s: n for s, n in surnames.items() if len(n) > 1} == {}, "one spelling of each name"


def test_every_url_comes_from_the_source_dossier():
    assert DOSSIER.is_file(), "research/dossier.md, the evidence base of these tests, is missing"
    known = {u.rstrip(".,;") for u in URL.findall(DOSSIER.read_text(encoding="utf-8"))}
    invented = sorted({(claim.id, url) for claim in CLAIMS.values() for url in urls_of(claim) if url not in known})
    assert invented == []
