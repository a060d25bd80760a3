"""The GitHub workflows, issue forms and the pull-request summary script: audited, schema-checked, pinned, tested.

Everything here runs offline: zizmor with --offline, check-jsonschema with the schemas it bundles.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = [REPO / ".github" / "ISSUE_TEMPLATE" / name for name in ("suggest-a-claim.yml", "report-an-error.yml")]
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    path = BIN / name
    assert path.exists(), f"{name} is not installed next to {sys.executable}; run `make test` (requirements-dev.txt)"
    return str(path)


def run(*command: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True)


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_the_workflows_exist() -> None:
    assert {"deploy.yml", "pr.yml", "evidence.yml"} <= {path.name for path in WORKFLOWS}


def test_zizmor_finds_nothing() -> None:
    result = run(tool("zizmor"), "--offline", "--no-progress", ".github/workflows/")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema_and_has_timeouts(path: Path) -> None:
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = run(tool("check-jsonschema"), "--builtin-schema", schema, str(path))
        assert result.returncode == 0, f"{schema}: {result.stdout}{result.stderr}"


def test_issue_forms_and_config_match_github_schemas() -> None:
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *map(str, ISSUE_FORMS))
    assert result.returncode == 0, result.stdout + result.stderr
    config = REPO / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    result = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-config", str(config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert load(config)["blank_issues_enabled"] is False
    assert [load(form)["labels"] for form in ISSUE_FORMS] == [["claim-suggestion"], ["correction"]]


def uses(workflow: dict[Any, Any]) -> list[str]:
    found = []
    for job in workflow["jobs"].values():
        if "uses" in job:  # a reusable workflow
            found.append(job["uses"])
        found += [step["uses"] for step in job.get("steps", []) if "uses" in step]
    return found


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha(path: Path) -> None:
    refs = uses(load(path))
    assert refs
    assert [ref for ref in refs if not ref.startswith("./") and not PINNED.match(ref)] == []


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path: Path) -> None:
    workflow = load(path)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert "pull_request_target" not in (triggers if isinstance(triggers, (dict, list)) else [triggers])
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} declares no permissions"
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, f"job {name}: checkout persists the token"


def test_only_the_deploy_job_can_write() -> None:
    jobs = load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "write" not in jobs["build"]["permissions"].values()
    assert load(REPO / ".github" / "workflows" / "pr.yml")["jobs"]["check"]["permissions"] == {"contents": "read"}


def test_the_evidence_workflow_runs_weekly_and_each_job_writes_only_what_it_must() -> None:
    workflow = load(REPO / ".github" / "workflows" / "evidence.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"schedule", "workflow_dispatch"} and len(triggers["schedule"]) == 1
    jobs = workflow["jobs"]
    assert jobs["archive"]["permissions"] == {"contents": "write", "pull-requests": "write"}  # push, open the PR
    assert jobs["links"]["permissions"] == {"contents": "read", "issues": "write"}  # open the dead-links issue
    runs = {name: " ".join(step.get("run", "") for step in job["steps"]) for name, job in jobs.items()}
    assert "build_claims.py archive --save" in runs["archive"] and "gh pr create" in runs["archive"]
    assert "build_claims.py links" in runs["links"] and "gh issue create" in runs["links"]


# --- scripts/pr_summary.py -------------------------------------------------------------------------------------


def claim(claim_id: str, verdict: str, summary: str = "A summary.") -> str:
    return textwrap.dedent(f"""\
        id: {claim_id}
        claim: "Something was said."
        verdict: {verdict}
        summary: {summary}
        """)


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose `main` has three claims: alpha (unquoted `true`), beta and gamma."""
    root = tmp_path / "repo"
    (root / "claims").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "claims" / "alpha.yaml").write_text(claim("alpha", "true"), encoding="utf-8")
    (root / "claims" / "beta.yaml").write_text(claim("beta", "mixed"), encoding="utf-8")
    (root / "claims" / "gamma.yaml").write_text(claim("gamma", '"false"'), encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "three claims")
    return root


def summary(repo: Path, base: str) -> str:
    result = run(sys.executable, str(REPO / "scripts" / "pr_summary.py"), base, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result.stdout


def change_claims(repo: Path) -> None:
    """Change alpha's verdict, edit beta's summary only, delete gamma, add delta (and a file that is no claim)."""
    (repo / "claims" / "alpha.yaml").write_text(claim("alpha", "mostly-true"), encoding="utf-8")
    (repo / "claims" / "beta.yaml").write_text(claim("beta", "mixed", "A better summary."), encoding="utf-8")
    (repo / "claims" / "gamma.yaml").unlink()
    (repo / "claims" / "delta.yaml").write_text(claim("delta", "false"), encoding="utf-8")
    (repo / "claims" / "notes.txt").write_text("not a claim\n", encoding="utf-8")


EXPECTED = """\
## Claim changes against `{base}`

### Added (1)

- `delta` (false)

### Removed (1)

- `gamma` (was false)

### Verdict changed (1)

- `alpha`: true → mostly-true

### Otherwise edited (1)

- `beta`
"""


def test_pr_summary_without_changes(repo: Path) -> None:
    assert summary(repo, "main") == "## Claim changes against `main`\n\nNo claim files changed.\n"


def test_pr_summary_of_uncommitted_changes(repo: Path) -> None:
    change_claims(repo)  # delta.yaml stays untracked: it still counts as added
    assert summary(repo, "HEAD") == EXPECTED.format(base="HEAD")


def test_pr_summary_of_a_pull_request_branch(repo: Path) -> None:
    """As in CI: the changes are committed on a branch and compared with the base branch."""
    git(repo, "checkout", "-q", "-b", "feature")
    change_claims(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "changes")
    assert summary(repo, "main") == EXPECTED.format(base="main")


def test_the_deployed_site_carries_the_address_pages_reports() -> None:
    """configure-pages runs before the build and hands its `base_url` to mkdocs.yml's site_url."""
    steps = load(REPO / ".github" / "workflows" / "deploy.yml")["jobs"]["build"]["steps"]
    names = [step.get("uses", "").split("@")[0] or step.get("run") for step in steps]
    configure = steps[names.index("actions/configure-pages")]
    build = steps[names.index("make site")]
    assert names.index("actions/configure-pages") < names.index("make site")
    assert build["env"]["FACTCHECK_SITE_URL"] == f"${{{{ steps.{configure['id']}.outputs.base_url }}}}"
    assert build["env"]["FACTCHECK_REPOSITORY_URL"] == "${{ github.server_url }}/${{ github.repository }}"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!ENV [FACTCHECK_SITE_URL," in config and "!ENV [FACTCHECK_REPOSITORY_URL," in config


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_that_build_the_site_fetch_the_history_its_pages_list(path: Path) -> None:
    for job in load(path)["jobs"].values():
        steps = job.get("steps", [])
        if any("make site" in step.get("run", "") for step in steps):
            [checkout] = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
            assert checkout["with"]["fetch-depth"] == 0
