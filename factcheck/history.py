"""Checks against the published history (a git revision, HEAD by default; CI passes the pull request's base).

A published URL never breaks: every claim page, alias, topic page and claimant page that the base revision had must
still exist, as a page or as a redirect (a claim's `aliases`, or `data/redirects.yaml` for topic and claimant
pages). A new claim that reads like an existing one is flagged, by name, without failing the check.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from factcheck import reuse
from factcheck.load import FileProblems, Loaded, Problem, display_path, parse_text
from factcheck.model import Claim, page_slug
from factcheck.site import Site

SIMILARITY_THRESHOLD = 0.6
_WORD = re.compile(r"[\u3400-\u9fff]|[^\W_]{3,}")  # words of three letters or digits or more; each CJK character
SKIP_HINT = "pass --skip-history to check without comparing (CI never does)"


class HistoryUnavailable(Exception):
    """The base revision cannot be read: an error, since the comparison would otherwise pass silently."""


@dataclass(frozen=True)
class PublishedClaim:
    """What a claim at the base revision gave the site an address for."""

    id: str
    aliases: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    claimant: str | None = None


def published_claims(site: Site, base: str) -> dict[str, PublishedClaim]:
    """The claims at git revision `base`, read in one pass (two git calls, whatever the number of claims)."""
    _git(site, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", failure=f"'{base}' is not a git revision")
    listing = _git(site, "ls-tree", "-z", "--name-only", base, "--", "claims/").decode("utf-8", "replace")
    names = [name for name in listing.split("\0") if name.endswith(".yaml")]
    if not names:
        return {}
    blobs = _git(site, "cat-file", "--batch", input="".join(f"{base}:{name}\n" for name in names).encode())
    claims = {}
    for name, text in zip(names, _split_batch(blobs), strict=True):
        claim_id = name.removeprefix("claims/").removesuffix(".yaml")
        claims[claim_id] = _published(claim_id, text)
    return claims


def _git(site: Site, *args: str, input: bytes | None = None, failure: str = "") -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=site.root, input=input, capture_output=True, check=True).stdout
    except FileNotFoundError:
        message = f"git is not installed, so published URLs cannot be checked. Hint: {SKIP_HINT}"
        raise HistoryUnavailable(message) from None
    except subprocess.CalledProcessError as error:
        said = error.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = failure or (said[-1] if said else f"git {args[0]} failed")
        raise HistoryUnavailable(f"{reason}. Hint: fetch it (e.g. `git fetch origin main`), or {SKIP_HINT}") from None


def _split_batch(output: bytes) -> Iterator[str]:
    """The contents of each blob in `git cat-file --batch` output: a header line '<sha> blob <size>', the bytes."""
    position = 0
    while position < len(output):
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        yield output[header_end + 1 : header_end + 1 + size].decode("utf-8", "replace")
        position = header_end + 1 + size + 1


def _published(claim_id: str, text: str) -> PublishedClaim:
    """The addresses a published claim file gave; what cannot be read gives only its id. The file was accepted
    by `check` when it was merged, but is read as carefully as any other."""
    try:
        data, _ = parse_text(Path(f"{claim_id}.yaml"), text)
    except FileProblems:
        data = None
    if not isinstance(data, dict):
        return PublishedClaim(claim_id)
    claimant = data.get("claimant")
    # The claimant's page slug: an id (data/claimants.yaml), or a name in files older than the registry.
    name = (claimant.get("id") or claimant.get("name")) if isinstance(claimant, dict) else claimant
    return PublishedClaim(
        claim_id,
        aliases=tuple(map(str, _list(data.get("aliases")))),
        topics=tuple(map(str, _list(data.get("topics")))),
        claimant=str(name) if isinstance(name, str) else None,
    )


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def addresses(claims: Iterable[PublishedClaim]) -> dict[str, str]:
    """Site-relative address -> the claim that gives it, for every page claims give the site."""
    found: dict[str, str] = {}
    for claim in claims:
        found.setdefault(f"claims/{claim.id}/", claim.id)
        for alias in claim.aliases:
            found.setdefault(f"claims/{alias}/", claim.id)
        for topic in claim.topics:
            found.setdefault(f"claims/topics/{topic}/", claim.id)
        if claim.claimant:
            found.setdefault(f"claims/claimants/{page_slug(claim.claimant)}/", claim.id)
    return found


def current(claim: Claim) -> PublishedClaim:
    return PublishedClaim(claim.id, tuple(claim.aliases), tuple(claim.topics), claim.claimant.id)


def broken_addresses(
    site: Site, loaded: Loaded, before: dict[str, PublishedClaim], redirects: Iterable[str]
) -> Iterator[Problem]:
    """Every address the base revision had that the claims (or a redirect) no longer give."""
    now = addresses(map(current, loaded.claims)) | dict.fromkeys(redirects, "")
    unreadable = {path.stem for path in site.claims_dir.glob("*.yaml")} - set(loaded.files)  # reported already
    for address, claim_id in sorted(addresses(before.values()).items()):
        if address in now or claim_id in unreadable:
            continue
        path = display_path(site.claims_dir / f"{claim_id}.yaml")
        if address == f"claims/{claim_id}/":
            message = (
                "this published claim was deleted, which would break its URL. Hint: restore the file and set "
                f"`retracted` (date, reason), or list '{claim_id}' in the `aliases` of the claim that replaces it"
            )
        elif address.startswith(("claims/topics/", "claims/claimants/")):
            message = (
                f"/{address} was published and would no longer exist. Hint: add it to data/redirects.yaml with "
                "the address that replaces it"
            )
        else:
            alias = address.removeprefix("claims/").rstrip("/")
            message = f"the alias '{alias}' was removed, which would break /{address}. Hint: keep it in `aliases`"
        yield Problem(path, 0, "", message)


def near_duplicates(loaded: Loaded, checked: Iterable[str]) -> Iterator[Problem]:
    """Warn when a claim among `checked` (ids) has nearly the same words as another claim in `loaded`."""
    words = {claim.id: words_of(claim.claim) for claim in loaded.claims}
    for claim_id, other, overlap in similar_pairs(words, checked):
        yield Problem(
            display_path(loaded.files[claim_id]), loaded.lines[claim_id][("claim",)], "claim",
            f"looks like the claim in {display_path(loaded.files[other])} ({overlap:.0%} of words shared). "
            "Hint: if it is the same claim, update that fact-check instead",
        )  # fmt: skip


def similar_pairs(words: dict[str, set[str]], checked: Iterable[str]) -> Iterator[tuple[str, str, float]]:
    """(id, other id, share of words in common) for each claim among `checked` and each other claim whose words
    (`words`, by id) overlap enough. An index of words keeps this linear when every claim is checked."""
    claims_with_word: dict[str, set[str]] = defaultdict(set)
    for claim_id, claim_words in words.items():
        for word in claim_words:
            claims_with_word[word].add(claim_id)
    for claim_id in sorted(checked):
        mine = words.get(claim_id, set())
        candidates = set().union(*(claims_with_word[w] for w in mine)) - {claim_id}
        for other in sorted(candidates):
            overlap = len(mine & words[other]) / len(mine | words[other])
            if overlap >= SIMILARITY_THRESHOLD:
                yield claim_id, other, overlap


def words_of(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class Revision:
    """One commit that changed a claim file: shown on the claim's page, newest first."""

    commit: str  # the full hash
    date: dt.date  # the commit's date (committer date: when the change entered the history)
    subject: str  # the first line of its message


_RECORD = "\x1e"  # starts each commit in the log below; the fields are separated by \x1f
_LOG_FORMAT = f"{_RECORD}%H\x1f%cs\x1f%s"


def revisions(site: Site) -> dict[str, tuple[Revision, ...]]:
    """Every change to every claim file, by claim id, from ONE `git log` over claims/ (one call whatever the number
    of claims or commits). Outside a repository, without git, or with a history git cannot read: no revisions, so
    the build still works (and says nothing it cannot show). The log depends only on the commit checked out: while
    that is the same, `mkdocs serve` reuses it (reading it took a quarter of a second at 2,000 claims)."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=site.root, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return _revisions(site)
    return reuse.made_from(("revisions",), (head,), lambda: _revisions(site))


def _revisions(site: Site) -> dict[str, tuple[Revision, ...]]:
    command = ["git", "log", "--no-renames", "--relative", "--name-only", f"--format={_LOG_FORMAT}", "--", "claims/"]
    try:
        result = subprocess.run(command, cwd=site.root, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return {}
    found: dict[str, list[Revision]] = defaultdict(list)
    for record in result.stdout.decode("utf-8", "replace").split(_RECORD)[1:]:
        header, _, names = record.partition("\n")
        commit, date, subject = [*header.split("\x1f"), "", ""][:3]
        try:
            revision = Revision(commit, dt.date.fromisoformat(date), subject)
        except ValueError:  # not a record this format writes: show nothing rather than something wrong
            continue
        for name in names.split("\n"):
            if name.startswith("claims/") and name.endswith(".yaml") and "/" not in name[len("claims/") :]:
                found[name[len("claims/") : -len(".yaml")]].append(revision)
    return {claim_id: tuple(changes) for claim_id, changes in found.items()}
