"""`build_claims.py check`: every kind of bad input is reported as path:line: field: message, all at once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Project, claim_yaml

from factcheck.cli import main


def check(project: Project, capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, list[str]]:
    cwd = Path.cwd()
    os.chdir(project.root)
    try:
        code = main(["--config", str(project.root / "mkdocs.yml"), "check", "--skip-history", *paths])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().err.splitlines()


def problems(project: Project, capsys: pytest.CaptureFixture[str], text: str) -> list[str]:
    project.write("sample-claim.yaml", text)
    code, lines = check(project, capsys)
    assert code == 1
    assert lines[-1] == f"{len(lines) - 1} problem(s) in 1 claim file(s)."
    return lines[:-1]


def test_valid_claim_passes(project, capsys):
    project.write("sample-claim.yaml", claim_yaml())
    code, lines = check(project, capsys)
    assert (code, lines) == (0, [])


BAD_INPUTS = {
    "duplicate key": (
        claim_yaml() + "summary: A second summary.\n",
        "claims/sample-claim.yaml:25: summary: duplicate key (first set on line 12)",
    ),
    "unknown key (typo)": (
        claim_yaml(summary="") + "sumary: What we found.\n",
        "claims/sample-claim.yaml:1: summary: required key is missing\n"
        "claims/sample-claim.yaml:24: sumary: unknown key. Hint: did you mean 'summary'?",
    ),
    "wrong type": (
        claim_yaml(topics="foreign-fighters"),
        "claims/sample-claim.yaml:15: topics: input should be a valid list, got 'foreign-fighters'",
    ),
    "impossible date": (
        claim_yaml(claim_date="2025-02-30"),
        "claims/sample-claim.yaml:6: claim_date: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got '2025-02-30'",
    ),
    "future date": (
        claim_yaml(published="2999-01-01", as_of=""),
        "claims/sample-claim.yaml:13: published: 2999-01-01 is in the future",
    ),
    "unknown verdict (a label, not a key)": (
        claim_yaml(verdict="Mostly true"),
        "claims/sample-claim.yaml:11: verdict: expected one of true, mostly-true, mixed, misleading, mostly-false, "
        "false, unproven, but got 'Mostly true'. Hint: use the key 'mostly-true', not the label.",
    ),
    "yes is not a verdict": (
        claim_yaml(verdict="yes"),
        "claims/sample-claim.yaml:11: verdict: expected one of true, mostly-true, mixed, misleading, mostly-false, "
        "false, unproven, but got 'yes'.",
    ),
    "empty required text": (
        claim_yaml(summary='"   "'),
        "claims/sample-claim.yaml:12: summary: must not be empty",
    ),
    "missing required key": (
        claim_yaml(claimant=""),
        "claims/sample-claim.yaml:1: claimant: required key is missing",
    ),
    "non-http URL": (
        claim_yaml().replace("url: https://example.org/report", "url: javascript:alert(1)"),
        "claims/sample-claim.yaml:20: sources[0].url: must be an http:// or https:// address, with no spaces",
    ),
    "id does not match the file name": (
        claim_yaml("other-id"),
        "claims/sample-claim.yaml:1: id: 'other-id' does not match the file name. "
        "Hint: rename the file to other-id.yaml or set id: sample-claim",
    ),
    "malformed id": (
        claim_yaml("Sample_Claim"),
        "claims/sample-claim.yaml:1: id: 'Sample_Claim' must be lowercase letters and digits joined by single "
        "hyphens, e.g. 'kallas-china-key-enabler'",
    ),
    "no sources": (
        claim_yaml(analysis="").split("sources:")[0] + "sources: []\n",
        "claims/sample-claim.yaml:16: sources: needs at least one entry",
    ),
    "published before the claim": (
        claim_yaml(published="2025-01-01", as_of=""),
        "claims/sample-claim.yaml:13: published: the fact-check cannot be published before the claim was made",
    ),
    "placeholder left in": (
        claim_yaml(summary='"TODO: what we found"'),
        "claims/sample-claim.yaml:12: summary: placeholder not filled in: 'TODO: what we found'",
    ),
    "YAML syntax error": (
        "id: sample-claim\nclaim: [unclosed\nsummary: x\n",
        "claims/sample-claim.yaml:3: YAML syntax error: ",
    ),
    "empty file": (
        "\n# nothing here\n",
        "claims/sample-claim.yaml:1: the file is empty. Hint: run `build_claims.py new` to scaffold one",
    ),
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_is_named_with_file_and_line(project, capsys, kind):
    text, expected = BAD_INPUTS[kind]
    found = problems(project, capsys, text)
    if expected.endswith(": "):  # the rest of the message is libyaml's
        assert len(found) == 1 and found[0].startswith(expected)
    else:
        assert found == expected.split("\n")


def test_non_utf8_file(project, capsys):
    (project.root / "claims" / "sample-claim.yaml").write_bytes(claim_yaml().encode() + b"note: caf\xe9\n")
    code, lines = check(project, capsys)
    assert code == 1
    assert lines[0] == "claims/sample-claim.yaml:25: not valid UTF-8 (byte 594). Hint: save the file as UTF-8"


@pytest.mark.parametrize(("written", "rating"), [("true", "true"), ("false", "false"), ('"false"', "false")])
def test_unquoted_true_and_false_are_the_ratings(project, capsys, written, rating):
    from factcheck.load import load_claims, load_rating_scale

    path = project.write("sample-claim.yaml", claim_yaml(verdict=written))
    loaded = load_claims([path], load_rating_scale(project.root / "data" / "ratings.yaml"))
    assert loaded.problems == []
    assert loaded.claims[0].verdict == rating


def test_every_problem_in_every_file_is_reported_at_once(project, capsys):
    project.write("first.yaml", claim_yaml("first", verdict="maybe", summary='""'))
    project.write("second.yaml", claim_yaml("second", related="[no-such-claim]"))
    project.write("third.yaml", claim_yaml("third", aliases="[first]"))
    code, lines = check(project, capsys)
    assert code == 1
    assert lines == [
        "claims/first.yaml:11: verdict: expected one of true, mostly-true, mixed, misleading, mostly-false, false, "
        "unproven, but got 'maybe'.",
        "claims/first.yaml:12: summary: must not be empty",
        "claims/second.yaml:25: related[0]: no claim has the id 'no-such-claim'",
        "claims/third.yaml:25: aliases[0]: 'first' is a claim's id",
        "4 problem(s) in 3 claim file(s).",
    ]


def test_alias_claimed_twice(project, capsys):
    project.write("first.yaml", claim_yaml("first", aliases="[old-name]"))
    project.write("second.yaml", claim_yaml("second", aliases="[old-name]"))
    code, lines = check(project, capsys)
    assert code == 1
    assert lines[0] == "claims/second.yaml:25: aliases[0]: 'old-name' is already an alias of first"


def test_checking_again_in_one_process_sees_a_new_problem_between_files(project, capsys):
    """`mkdocs serve` checks every claim again after each save, in one process, and does not run the checks between
    files again while no claim's references (id, aliases, related, claim, claimant, topics, people) changed: an
    edit that changes one is checked, and an edit elsewhere finds nothing again."""
    other = '"Another claim entirely."'
    project.write("first.yaml", claim_yaml("first", aliases="[old-name]"))
    project.write("second.yaml", claim_yaml("second", claim=other))
    assert check(project, capsys) == (0, [])
    project.write("second.yaml", claim_yaml("second", claim=other, aliases="[old-name]"))
    code, lines = check(project, capsys)
    assert code == 1
    assert lines[0] == "claims/second.yaml:25: aliases[0]: 'old-name' is already an alias of first"
    project.write("second.yaml", claim_yaml("second", claim=other, summary='"Edited."'))
    assert check(project, capsys) == (0, [])
    project.write("second.yaml", claim_yaml("second", claim=other, topics="[no-such-topic]"))
    code, lines = check(project, capsys)
    assert code == 1 and "'no-such-topic' is not a topic in data/topics.yaml" in lines[0]


def test_check_given_paths_only(project, capsys):
    project.write("good.yaml", claim_yaml("good"))
    project.write("bad.yaml", "")
    code, lines = check(project, capsys, "claims/good.yaml")
    assert (code, lines) == (0, [])


def test_a_claim_file_with_another_extension_is_not_skipped_silently(project, capsys):
    project.write("good.yaml", claim_yaml("good"))
    project.write("typo.yml", claim_yaml("typo"))
    code, lines = check(project, capsys)
    assert code == 1
    assert lines[0] == (
        "claims/typo.yml:1: not a claim file: claim files are named <id>.yaml. Hint: rename it to typo.yaml"
    )


def test_every_problem_among_many_files_is_reported(project):
    for index in range(250):
        project.write(f"claim-{index}.yaml", claim_yaml(f"claim-{index}"))
    project.write("claim-7.yaml", claim_yaml("claim-7", verdict="maybe", summary='""'))
    project.write("claim-8.yaml", claim_yaml("claim-8", related="[no-such-claim]"))
    project.write("claim-9.yaml", claim_yaml("claim-1"))
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "claims/claim-7.yaml:11: verdict: expected one of true, mostly-true, mixed, misleading, mostly-false, false, "
        "unproven, but got 'maybe'.",
        "claims/claim-7.yaml:12: summary: must not be empty",
        "claims/claim-8.yaml:25: related[0]: no claim has the id 'no-such-claim'",
        "claims/claim-9.yaml:1: id: 'claim-1' does not match the file name. Hint: rename the file to claim-1.yaml or "
        "set id: claim-9",
        "4 problem(s) in 250 claim file(s).",
    ]


def test_related_may_name_an_old_id_kept_as_an_alias(project):
    project.write("renamed.yaml", claim_yaml("renamed", aliases="[old-name]", claim='"Another claim entirely."'))
    project.write("sample-claim.yaml", claim_yaml(related="[old-name]"))
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    from pages import Page

    page = Page.load(project.root / "site" / "claims" / "sample-claim" / "index.html")
    assert any(e.attrs.get("href", "").endswith("claims/renamed/") for e in page.elements)


def test_problems_between_fields_are_all_reported(project, capsys):
    text = claim_yaml(published="2025-01-01", as_of="", aliases="[sample-claim]", related="[sample-claim]")
    lines = problems(project, capsys, text)
    assert lines == [
        "claims/sample-claim.yaml:13: published: the fact-check cannot be published before the claim was made",
        "claims/sample-claim.yaml:24: aliases[0]: a claim cannot be its own alias",
        "claims/sample-claim.yaml:25: related[0]: a claim cannot be related to itself",
    ]


def test_a_future_date_anywhere_is_found(project, capsys):
    text = claim_yaml().replace("    date: 2025-04-09", "    date: 2999-04-09")
    assert problems(project, capsys, text) == [
        "claims/sample-claim.yaml:19: sources[0].date: 2999-04-09 is in the future"
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "extra:\n  publisher: nobody\n",
            "mkdocs.yml: extra.publisher: expected a name and a url, got 'nobody'. Hint: write it as a mapping: "
            "publisher: {name: Your organisation, url: https://...}",
        ),
        (
            "site_url: ftp://example.org/\n",
            "mkdocs.yml: site_url: expected an http(s) address, got 'ftp://example.org/'. Hint: the address the site "
            "is published at, e.g. https://user.github.io/repo/",
        ),
    ],
)
def test_a_setting_with_a_bad_value_gets_one_line(project, setting, message):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + setting, encoding="utf-8")  # the last value of a key wins
    project.write("sample-claim.yaml", claim_yaml())
    result = project.cli("build")
    assert (result.returncode, result.stderr.strip()) == (1, message)
    built = project.mkdocs_build()
    assert built.returncode != 0 and message in built.stderr and "Traceback" not in built.stderr


def test_a_configuration_that_is_not_yaml_gets_one_line(project):
    (project.root / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{project.root / 'mkdocs.yml'}: ")
