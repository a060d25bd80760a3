"""Hostile claim files: every one gets a file:line message, none crashes, hangs or reaches outside the repository.

Each class of attack found by the fuzz campaign (see the README's "Security" section) has a minimal file here and
the exact message it must get.
"""

from __future__ import annotations

import html
import os
import subprocess
from pathlib import Path

import pytest
from conftest import Project, claim_yaml
from pages import Page, live_payloads

from factcheck.cli import main
from factcheck.load import MAX_DEPTH, MAX_FILE_BYTES, MAX_ITEMS, MAX_PROBLEMS_PER_FILE

PATH = "claims/sample-claim.yaml"


def check(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    cwd = Path.cwd()
    os.chdir(project.root)
    try:
        code = main(["--config", str(project.root / "mkdocs.yml"), "check", *args])
    finally:
        os.chdir(cwd)
    return code, capsys.readouterr().err.splitlines()


def problems_of(project: Project, capsys: pytest.CaptureFixture[str], text: str | bytes) -> list[str]:
    path = project.root / PATH
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    code, lines = check(project, capsys, "--skip-history")
    assert code == 1, lines
    return lines[:-1]


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(12)
)

HOSTILE_FILES = {
    "control character written raw": (
        claim_yaml(title='"Breaking \x01 [x](javascript:alert(1)){: onmouseover=alert(1) }"'),
        [
            f"{PATH}:25: the control character U+0001 is not allowed. Hint: delete it (most editors do not show it)",
        ],
    ),
    "control character written as an escape": (
        claim_yaml(summary='"What \\x85we found"'),
        [
            f"{PATH}:12: summary: the control character U+0085 is not allowed. Hint: delete it (most editors do "
            "not show it)"
        ],
    ),
    "noncharacter": (
        claim_yaml(summary='"What we found \ufffe"'),
        [f"{PATH}:12: U+FFFE is not a character (a Unicode noncharacter). Hint: delete it"],
    ),
    "lone surrogate from an escape": (
        claim_yaml(summary='"What we found \\ud800"'),
        [f"{PATH}:12: YAML syntax error: found invalid Unicode character escape code"],
    ),
    "bidirectional override": (
        claim_yaml(summary='"What we \u202efound"'),
        [
            f"{PATH}:12: the bidirectional control U+202E is not allowed: it can show text in another order than it is "
            "stored. Hint: delete it: right-to-left text displays correctly without it"
        ],
    ),
    "line separator": (
        claim_yaml(summary='"What we\u2028found"'),
        [f"{PATH}:12: the line separator U+2028 is not allowed. Hint: use an ordinary line break"],
    ),
    "explicit tag on a non-boolean": (
        claim_yaml(title="!!bool maybe"),
        [f"{PATH}:25: title: YAML tags (tag:yaml.org,2002:bool) are not allowed. Hint: remove it"],
    ),
    "binary": (
        claim_yaml(title="!!binary aGVsbG8="),
        [f"{PATH}:25: title: YAML tags (tag:yaml.org,2002:binary) are not allowed. Hint: remove it"],
    ),
    "recursive alias": (
        claim_yaml(related="&loop [*loop]"),
        [
            f"{PATH}:25: related: anchors (&name) are not allowed. Hint: remove it",
            f"{PATH}:25: related[0]: aliases (*name) are not allowed. Hint: write the value out in full",
        ],
    ),
    "merge key": (
        claim_yaml() + "extra:\n  <<: {a: 1}\n",
        [f"{PATH}:26: extra: merge keys (<<) are not allowed. Hint: write the keys out in full"],
    ),
    "second document": (
        claim_yaml() + "---\nid: another\n",
        [f"{PATH}:25: a second YAML document (after `---`). Hint: one claim per file, one document"],
    ),
    "deep nesting": (
        "id: sample-claim\ndeep: " + "[" * 50_000 + "]" * 50_000 + "\n",
        [
            f"{PATH}:2: deep{'[0]' * (MAX_DEPTH - 1)}: nested more than {MAX_DEPTH} levels deep. Hint: a claim "
            "file is never this deep"
        ],
    ),
    "long list": (
        claim_yaml(topics="[" + ", ".join(["foreign-fighters"] * (MAX_ITEMS + 1)) + "]"),
        [f"{PATH}:15: topics: more than {MAX_ITEMS} items. Hint: no list in a claim file needs more"],
    ),
    "a million items": (
        "id: sample-claim\ntopics:\n" + "- x\n" * 1_000_000,
        [
            f"{PATH}: is larger than {MAX_FILE_BYTES // 1024} KB. Hint: a fact-check this long should be split or "
            "shortened"
        ],
    ),
    "Unix timestamp as a date": (
        claim_yaml(claim_date="1743000000"),
        [f"{PATH}:6: claim_date: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got '1743000000'"],
    ),
    "date with a time": (
        claim_yaml(claim_date="2025-04-08T10:00:00"),
        [f"{PATH}:6: claim_date: expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got '2025-04-08T10:00:00'"],
    ),
    "id with trailing whitespace": (
        claim_yaml('"sample-claim "'),
        [
            f"{PATH}:1: id: 'sample-claim ' must be lowercase letters and digits joined by single hyphens, e.g. "
            "'kallas-china-key-enabler'"
        ],
    ),
    "alias named after a generated folder": (
        claim_yaml(aliases="[topics, includes]"),
        [
            f"{PATH}:25: aliases[0]: 'topics' is reserved for the site's own pages; choose another",
            f"{PATH}:25: aliases[1]: 'includes' is reserved for the site's own pages; choose another",
        ],
    ),
    "unknown topic": (
        claim_yaml(topics="[foreign-fighter]"),
        [
            f"{PATH}:15: topics[0]: 'foreign-fighter' is not a topic in data/topics.yaml. Hint: did you mean "
            "'foreign-fighters'?"
        ],
    ),
    "tab in indentation": (
        claim_yaml().replace("  id: volodymyr-zelensky", "\tid: volodymyr-zelensky"),
        [
            f"{PATH}:4: YAML syntax error: found character that cannot start any token: a tab. Hint: indent with "
            "spaces, "
            "not tabs"
        ],
    ),
    "unquoted colon": (
        claim_yaml(summary="Officials said: it is true"),
        [
            f"{PATH}:12: YAML syntax error: mapping values are not allowed in this context. Hint: put a value "
            "that contains ': ' in "
            "quotes"
        ],
    ),
}


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_hostile_file_gets_its_exact_message(project, capsys, kind):
    text, expected = HOSTILE_FILES[kind]
    assert problems_of(project, capsys, text) == expected


def test_alias_bomb_is_refused_before_it_grows(project, capsys):
    """Half a kilobyte that once took 13 s and 1.9 GB: refused at its first anchor, nothing expanded."""
    lines = problems_of(project, capsys, ALIAS_BOMB)
    assert lines[:3] == [
        f"{PATH}:1: a: anchors (&name) are not allowed. Hint: remove it",
        f"{PATH}:2: b: anchors (&name) are not allowed. Hint: remove it",
        f"{PATH}:2: b[0]: aliases (*name) are not allowed. Hint: write the value out in full",
    ]
    assert len(lines) == MAX_PROBLEMS_PER_FILE


def test_every_bad_file_is_reported_and_the_check_goes_on(project, capsys):
    """A file that once crashed the whole check stops nothing: the next file's problem is reported too."""
    (project.root / "claims" / "a-raw.yaml").write_bytes(claim_yaml("a-raw").encode() + b"note: \x00\n")
    (project.root / "claims" / "b-bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    project.write("c-bad.yaml", claim_yaml("c-bad", verdict="maybe"))
    code, lines = check(project, capsys, "--skip-history")
    assert code == 1
    assert (
        lines[0]
        == "claims/a-raw.yaml:25: the control character U+0000 is not allowed. Hint: delete it (most editors do "
        "not show it)"
    )
    assert lines[1] == "claims/b-bomb.yaml:1: a: anchors (&name) are not allowed. Hint: remove it"
    assert lines[-2].startswith("claims/c-bad.yaml:11: verdict: expected one of")
    assert lines[-1].endswith("in 3 claim file(s).")


def test_deep_nesting_does_not_crash_the_interpreter(project):
    """50,000 levels once crashed Python itself (SIGSEGV): run it in a child process to see it exit normally."""
    project.write("sample-claim.yaml", "id: sample-claim\ndeep: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n")
    result = project.cli("check", "--skip-history")
    assert result.returncode == 1
    assert "nested more than" in result.stderr and "Traceback" not in result.stderr


def test_only_regular_files_are_read(project, capsys, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    claims = project.root / "claims"
    (claims / "linked.yaml").symlink_to(secret)
    (claims / "broken.yaml").symlink_to(tmp_path / "missing.yaml")
    (claims / "folder.yaml").mkdir()
    os.mkfifo(claims / "pipe.yaml")
    code, lines = check(project, capsys, "--skip-history")
    assert code == 1
    assert lines == [
        "claims/broken.yaml: is a symbolic link; only regular files are read. Hint: replace the link with "
        "the file itself",
        "claims/folder.yaml: is not a regular file (a folder, pipe or device). Hint: remove it",
        "claims/linked.yaml: is a symbolic link; only regular files are read. Hint: replace the link with "
        "the file itself",
        "claims/pipe.yaml: is not a regular file (a folder, pipe or device). Hint: remove it",
        "4 problem(s) in 4 claim file(s).",
    ]
    assert "hunter2" not in "\n".join(lines)


def test_unreadable_file(project, capsys, monkeypatch):
    project.write("sample-claim.yaml", claim_yaml())
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("sample-claim.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    _, lines = check(project, capsys, "--skip-history")
    assert lines[0] == f"{PATH}: cannot be read: Permission denied. Hint: check its permissions"


def test_backup_and_hidden_files_are_ignored(project, capsys):
    project.write("sample-claim.yaml", claim_yaml())
    project.write("sample-claim.yaml~", "not: [valid")
    project.write(".sample-claim.yaml.swp", "\x00")
    project.write("#sample-claim.yaml#", "junk")
    assert check(project, capsys, "--skip-history") == (0, [])


def test_null_means_no_value_and_words_stay_words(project, capsys):
    from factcheck.load import load_claims, load_rating_scale

    path = project.write(
        "sample-claim.yaml", claim_yaml(title="null").replace("role: President of Ukraine", "role: No")
    )
    loaded = load_claims([path], load_rating_scale(project.root / "data" / "ratings.yaml"))
    assert loaded.problems == []
    [claim] = loaded.claims
    assert claim.title is None and claim.headline == claim.claim
    assert claim.claimant.role == "No"


def test_claimant_pages_never_overwrite_listings_or_merge(project, capsys):
    registry = project.root / "data" / "claimants.yaml"
    text = registry.read_text(encoding="utf-8")
    registry.write_text(text + "index:\n  name: Index\n  kind: person\n  description: A person.\n", encoding="utf-8")
    project.write("first.yaml", claim_yaml("first"))
    _, lines = check(project, capsys, "--skip-history")
    assert (
        lines[0]
        == f"data/claimants.yaml:{text.count(chr(10)) + 1}: index: 'index' is reserved for the claimants' own pages"
    )
    registry.write_text(text + "lin-jian-2:\n  name: 林剑\n  kind: person\n  description: Another.\n", encoding="utf-8")
    project.write("second.yaml", claim_yaml("second").replace("volodymyr-zelensky", "lin-jian"))
    project.write("third.yaml", claim_yaml("third").replace("volodymyr-zelensky", "lin-jian-2"))
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    site = project.root / "site" / "claims" / "claimants"
    assert Page.load(site / "index.html").find_all("h1")[0].text == "Claimants"
    assert Page.load(site / "lin-jian" / "index.html").find_all("h1")[0].text == "Claims by Lin Jian"
    assert Page.load(site / "lin-jian-2" / "index.html").find_all("h1")[0].text == "Claims by 林剑"


def test_reserved_topic_in_the_data_file(project, capsys):
    topics = project.root / "data" / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "index: Everything\n", encoding="utf-8")
    project.write("sample-claim.yaml", claim_yaml())
    _, lines = check(project, capsys, "--skip-history")
    assert lines[0] == "data/topics.yaml:13: index: 'index' is reserved for the topics' own pages"


def test_data_file_errors_name_file_and_line(project, capsys):
    ratings = project.root / "data" / "ratings.yaml"
    text = ratings.read_text(encoding="utf-8")
    project.write("sample-claim.yaml", claim_yaml())
    ratings.write_text(text.replace("value: 7", "value: seven"), "utf-8")
    assert check(project, capsys, "--skip-history")[1][0] == (
        "data/ratings.yaml:14: ratings[0].value: input should be a valid integer, unable to parse string as an "
        "integer, got 'seven'"
    )
    ratings.write_text(text.replace("  - key: mostly-true", '  - key: "true"', 1), "utf-8")
    assert (
        check(project, capsys, "--skip-history")[1][0]
        == "data/ratings.yaml:18: ratings[1].key: 'true' is defined twice"
    )
    ratings.write_text(text + "best: 9\n", "utf-8")
    assert (
        check(project, capsys, "--skip-history")[1][0]
        == "data/ratings.yaml:61: best: duplicate key (first set on line 8)"
    )


# The generated folder


def test_generated_folder_that_is_a_link_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me", encoding="utf-8")
    (project.root / "docs" / "claims").symlink_to(outside, target_is_directory=True)
    project.write("sample-claim.yaml", claim_yaml())
    result = project.cli("build")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{project.root}/docs/claims: is a symbolic link; a build never writes through links. Hint: the folder is "
        "generated: delete it (`make clean`) and build again"
    )
    assert [p.name for p in outside.iterdir()] == ["precious.txt"]
    assert project.mkdocs_build().returncode != 0
    assert [p.name for p in outside.iterdir()] == ["precious.txt"]


def test_images_folder_that_is_a_link_is_refused(project, tmp_path):
    """Preview images are drawn into .cache/factcheck/previews/, a generated folder too: old images are deleted
    there, so a link out of the repository on the way to it is refused like one in docs/claims/."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.png").write_bytes(b"keep me")
    (project.root / ".cache").symlink_to(outside, target_is_directory=True)
    project.write("sample-claim.yaml", claim_yaml())
    for result in (project.cli("build"), project.mkdocs_build()):
        assert result.returncode != 0
        assert f"{project.root}/.cache: is a symbolic link; a build never writes through links." in result.stderr
    assert [p.name for p in outside.iterdir()] == ["precious.png"]
    assert not (project.root / "docs" / "claims").exists()  # nothing written before the folders were checked


def test_generated_file_that_is_a_link_is_refused(project, tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    project.write("sample-claim.yaml", claim_yaml())
    assert project.cli("build").returncode == 0
    page = project.root / "docs" / "claims" / "sample-claim.md"
    page.unlink()
    page.symlink_to(target)
    result = project.cli("build")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"{page}: is a symbolic link; a build never writes through links. Hint: the folder is generated: delete it "
        "(`make clean`) and build again"
    )
    assert target.read_text(encoding="utf-8") == "keep me"


def test_configuration_that_would_delete_claims_is_refused(project):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "docs_dir: .\n", encoding="utf-8")
    project.write("sample-claim.yaml", claim_yaml())
    result = project.cli("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Config value 'docs_dir': The 'docs_dir' should not be the parent directory")
    assert (project.root / "claims" / "sample-claim.yaml").exists()


def test_the_generated_folder_never_holds_claim_files(project):
    """Whatever the engine's own checks allow, the writer refuses a folder that holds what it must not delete."""
    from factcheck.write import UnsafeOutput, sync

    project.write("sample-claim.yaml", claim_yaml())
    claims = project.root / "claims"
    with pytest.raises(UnsafeOutput) as refused:
        sync(claims, [("x.md", "x")], root=project.root, protected=[claims])
    assert str(refused.value) == (
        f"{claims}: the generated folder would hold {claims}, and a build deletes every file in it that it did not "
        "generate. Hint: set docs_dir in mkdocs.yml to a folder of its own, such as docs"
    )
    with pytest.raises(UnsafeOutput, match="must be inside"):
        sync(project.root.parent / "elsewhere", [("x.md", "x")], root=project.root, protected=[claims])
    assert sorted(p.name for p in claims.iterdir()) == ["sample-claim.yaml"]


# Published addresses


def git(project: Project, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}  # fmt: skip
    subprocess.run(["git", *args], cwd=project.root, check=True, capture_output=True, env=env)


def published(project: Project) -> None:
    git(project, "init", "-q")
    git(project, "add", "claims", "data")
    git(project, "commit", "-qm", "published")


def test_removing_an_alias_topic_or_claimant_page_is_refused(project, capsys):
    project.monolingual()  # the language files would also be told that the claimant's id is gone
    project.write("first.yaml", claim_yaml("first", aliases="[old-first]", topics="[diplomacy]"))
    published(project)
    registry = project.root / "data" / "claimants.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace("volodymyr-zelensky:", "volodymyr-zelenskyy:"), encoding="utf-8"
    )
    project.write("first.yaml", claim_yaml("first").replace("volodymyr-zelensky", "volodymyr-zelenskyy"))
    code, lines = check(project, capsys)
    assert code == 1
    assert lines == [
        "claims/first.yaml: /claims/claimants/volodymyr-zelensky/ was published and would no longer exist. Hint: add "
        "it to data/redirects.yaml with the address that replaces it",
        "claims/first.yaml: /claims/topics/diplomacy/ was published and would no longer exist. Hint: add it to "
        "data/redirects.yaml with the address that replaces it",
        "claims/first.yaml: the alias 'old-first' was removed, which would break /claims/old-first/. Hint: keep it in "
        "`aliases`",
        "3 problem(s) in 1 claim file(s).",
    ]
    (project.root / "data" / "redirects.yaml").write_text(
        "claims/claimants/volodymyr-zelensky/: claims/claimants/volodymyr-zelenskyy/\n"
        "claims/topics/diplomacy/: claims/topics/\n",
        encoding="utf-8",
    )
    project.write("first.yaml", claim_yaml("first", aliases="[old-first]").replace("zelensky", "zelenskyy"))
    assert check(project, capsys) == (0, [])
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    moved = Page.load(project.root / "site/claims/claimants/volodymyr-zelensky/index.html")
    assert moved.find_all("a")[0].attrs["href"] == "/claims/claimants/volodymyr-zelenskyy/"


def test_redirects_must_lead_somewhere(project, capsys):
    project.write("first.yaml", claim_yaml("first"))
    (project.root / "data" / "redirects.yaml").write_text(
        "claims/topics/gone/: claims/topics/nowhere/\nclaims/topics/foreign-fighters/: claims/\nclaims/x: claims/\n",
        encoding="utf-8",
    )
    _code, lines = check(project, capsys, "--skip-history")
    assert lines == [
        "data/redirects.yaml:3: claims/x: 'claims/x' must be a topic or claimant page's address, e.g. "
        "'claims/claimants/lin-jian/'",
        "1 problem(s) in 1 claim file(s).",
    ]
    (project.root / "data" / "redirects.yaml").write_text(
        "claims/topics/gone/: claims/topics/nowhere/\nclaims/topics/foreign-fighters/: claims/\n", encoding="utf-8"
    )
    _, lines = check(project, capsys, "--skip-history")
    assert lines == [
        "data/redirects.yaml: claims/topics/foreign-fighters/: a page has this address again. Hint: remove "
        "the redirect",
        "data/redirects.yaml: claims/topics/gone/: 'claims/topics/nowhere/' is not a page of the site. Hint: use an "
        "address such as claims/topics/diplomacy/",
        "2 problem(s) in 1 claim file(s).",
    ]


def test_a_base_that_does_not_resolve_is_an_error(project, capsys):
    project.write("first.yaml", claim_yaml("first"))
    published(project)
    code, lines = check(project, capsys, "--base", "origin/no-such-branch")
    assert code == 1
    assert lines[0] == (
        "--base: 'origin/no-such-branch' is not a git revision. Hint: fetch it (e.g. `git fetch origin main`), or pass "
        "--skip-history to check without comparing (CI never does)"
    )


def test_without_git_the_comparison_is_an_error(project, capsys, monkeypatch):
    project.write("first.yaml", claim_yaml("first"))
    monkeypatch.setenv("PATH", str(project.root / "no-bin"))
    code, lines = check(project, capsys)
    assert code == 1
    assert lines[0] == (
        "--base: git is not installed, so published URLs cannot be checked. Hint: pass --skip-history to check "
        "without comparing (CI never does)"
    )
    assert check(project, capsys, "--skip-history")[0] == 0


# What is accepted builds, and stays inert


def test_accepted_unusual_text_builds_everywhere(project):
    """Characters `check` accepts must build every output (lxml refuses some that YAML allows: none get through)."""
    text = "Emoji 👩‍👩‍👧 CJK 俘虏 Cyrillic полон Arabic \u200fمرحبا\u200f combining é tab\tand \ufeff BOM \ufffd"
    project.write("sample-claim.yaml", claim_yaml(summary=f'"{text}"', title=f'"{text}"'))
    result = project.mkdocs_build()
    assert result.returncode == 0, result.stderr
    page = Page.load(project.root / "site/claims/sample-claim/index.html")
    assert "俘虏" in page.find_all("h1")[0].text
    assert live_payloads(page) == []
    feed = (project.root / "site/claims/feed.xml").read_text(encoding="utf-8")
    assert "俘虏" in feed


def test_front_matter_keeps_every_character(project):
    """Even a character the loader refuses would not break the page's front matter (defence in depth)."""
    from mkdocs.utils.meta import get_data

    from factcheck.render import front_matter_value

    everything = "".join(chr(code) for code in range(0x2100) if not 0xD800 <= code <= 0xDFFF) + "\U0001f600\U0010ffff"
    _, meta = get_data(f"---\ntitle: {front_matter_value(everything)}\nbody: html\n---\nText\n")
    assert meta["body"] == "html"
    assert meta["title"] == html.escape(" ".join(everything.split()))
