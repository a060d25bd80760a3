"""Checks against the published history (a git revision, HEAD by default; CI passes the pull request's base).

A published URL never breaks: deleting a claim file is refused unless its id lives on as another claim's alias.
A new claim that reads like an existing one is flagged, by name, without failing the check.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator

from factcheck.load import Loaded, Problem, display_path
from factcheck.model import Claim
from factcheck.site import Site

SIMILARITY_THRESHOLD = 0.6
_WORD = re.compile(r"[a-z0-9]{3,}")


def published_ids(site: Site, base: str | None) -> set[str] | None:
    """Claim ids at git revision `base`, or None when there is no such history to compare with."""
    if not base:
        return None
    try:
        listing = subprocess.run(
            ["git", "ls-tree", "--name-only", base, "--", "claims/"],
            cwd=site.root, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line.removeprefix("claims/").removesuffix(".yaml") for line in listing.split() if line.endswith(".yaml")}


def removed_claims(site: Site, loaded: Loaded, base: str | None) -> Iterator[Problem]:
    before = published_ids(site, base) or set()
    still_reachable = set(loaded.files) | {alias for claim in loaded.claims for alias in claim.aliases}
    for claim_id in sorted(before - still_reachable):
        yield Problem(
            display_path(site.claims_dir / f"{claim_id}.yaml"), 1, "",
            f"this published claim was deleted, which would break its URL. Hint: restore the file and set "
            f"`retracted` (date, reason), or list '{claim_id}' in the `aliases` of the claim that replaces it",
        )  # fmt: skip


def near_duplicates(site: Site, loaded: Loaded, base: str | None) -> Iterator[Problem]:
    """Warn when a claim added since `base` has nearly the same words as another claim."""
    before = published_ids(site, base)
    if before is None:
        return
    words = {claim.id: _words(claim) for claim in loaded.claims}
    claims_with_word: dict[str, set[str]] = defaultdict(set)
    for claim_id, claim_words in words.items():
        for word in claim_words:
            claims_with_word[word].add(claim_id)
    for claim in loaded.claims:
        if claim.id in before or not words[claim.id]:
            continue
        candidates = set().union(*(claims_with_word[w] for w in words[claim.id])) - {claim.id}
        for other in sorted(candidates):
            overlap = len(words[claim.id] & words[other]) / len(words[claim.id] | words[other])
            if overlap >= SIMILARITY_THRESHOLD:
                yield Problem(
                    display_path(loaded.files[claim.id]), loaded.lines[claim.id][("claim",)], "claim",
                    f"looks like the claim in {display_path(loaded.files[other])} ({overlap:.0%} of words shared). "
                    "Hint: if it is the same claim, update that fact-check instead",
                )  # fmt: skip


def _words(claim: Claim) -> set[str]:
    return set(_WORD.findall(claim.claim.lower()))
