"""The site's content rules (data/rules.yaml), enforced by `check` with file:line messages."""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO, claim_yaml
from test_security import check

SECOND_SOURCE = """\
  - title: Second report
    publisher: Another Outlet
    date: 2025-04-10
    url: https://example.org/second
    supports: The capture.
"""


@pytest.fixture
def site_rules(project):
    shutil.copy(REPO / "data" / "rules.yaml", project.root / "data" / "rules.yaml")
    return project


def test_a_claim_that_follows_the_site_rules_passes(site_rules, capsys):
    text = claim_yaml(claim_kind="quote").replace("    url: https://example.org/report\n", "    url: https://example.org/report\n"
                                "    supports: The capture.\n" + SECOND_SOURCE)  # fmt: skip
    site_rules.write("sample-claim.yaml", text)
    assert check(site_rules, capsys, "--skip-history") == (0, [])


def test_each_rule_names_its_line(site_rules, capsys):
    text = claim_yaml(as_of="", appearances="").replace("  role: President of Ukraine\n", "")
    site_rules.write("sample-claim.yaml", text)
    code, lines = check(site_rules, capsys, "--skip-history")
    assert code == 1
    hint = "required by this site's rules (data/rules.yaml). Hint: see CONTRIBUTING.md for what to write"
    assert lines == [
        f"claims/sample-claim.yaml:1: appearances: {hint}",
        f"claims/sample-claim.yaml:1: as_of: {hint}",
        f"claims/sample-claim.yaml:1: claim_kind: {hint}",
        f"claims/sample-claim.yaml:3: claimant.role: {hint}",
        "claims/sample-claim.yaml:10: sources: cite at least 2 sources (data/rules.yaml); this cites 1",
        f"claims/sample-claim.yaml:11: sources[0].supports: {hint}",
        "6 problem(s) in 1 claim file(s).",
    ]


def test_an_empty_list_of_appearances_is_written_on_purpose(site_rules, capsys):
    text = claim_yaml(appearances="[]", claim_kind="paraphrase").replace(
        "    url: https://example.org/report\n",
        "    url: https://example.org/report\n    supports: x\n" + SECOND_SOURCE,
    )
    site_rules.write("sample-claim.yaml", text)
    assert check(site_rules, capsys, "--skip-history") == (0, [])


def test_rules_across_files(site_rules, capsys):
    (site_rules.root / "data" / "rules.yaml").write_text(
        "distinct_claims: true\none_role_per_claimant: true\n", "utf-8"
    )
    site_rules.write("first.yaml", claim_yaml("first"))
    site_rules.write("second.yaml", claim_yaml("second").replace("President of Ukraine", "President"))
    _code, lines = check(site_rules, capsys, "--skip-history")
    assert lines == [
        "claims/second.yaml:2: claim: the same claim as claims/first.yaml. Hint: update that fact-check instead",
        "claims/second.yaml:3: claimant: 'volodymyr-zelensky' has the role 'President of Ukraine' in "
        "claims/first.yaml. Hint: write the same role, or give a different claimant its own id in data/claimants.yaml",
        "2 problem(s) in 2 claim file(s).",
    ]
    (site_rules.root / "data" / "rules.yaml").write_text(
        "min_sources: 1\ndistinct_claims: false\none_role_per_claimant: false\n", encoding="utf-8"
    )
    assert check(site_rules, capsys, "--skip-history")[0] == 0


def test_a_source_listed_twice(project, capsys):
    text = claim_yaml().replace(
        "    url: https://example.org/report\n",
        "    url: https://example.org/report\n  - title: Again\n    publisher: X\n    url: https://example.org/report\n",
    )
    project.write("sample-claim.yaml", text)
    _code, lines = check(project, capsys, "--skip-history")
    assert lines[0] == (
        "claims/sample-claim.yaml:23: sources[1].url: the same address as sources[0]. Hint: list each source once"
    )


def test_a_rule_naming_an_unknown_key(site_rules, capsys):
    (site_rules.root / "data" / "rules.yaml").write_text("required: [as-of]\n", encoding="utf-8")
    site_rules.write("sample-claim.yaml", claim_yaml())
    _code, lines = check(site_rules, capsys, "--skip-history")
    assert lines[0] == (
        "data/rules.yaml:1: required: unknown key 'as-of'; keys are written as in the field reference, e.g. 'as_of'"
    )
