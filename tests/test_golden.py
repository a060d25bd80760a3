"""The sample site generates exactly the checked-in expected output (tests/golden/expected/).

A failure shows the first difference; if the change was intended, run `make golden` and review `git diff`.
"""

from __future__ import annotations

import difflib
import gzip

from sample_site import EXPECTED, build_sample, tree


def readable(name: str, content: bytes) -> str:
    return (gzip.decompress(content) if name.endswith(".gz") else content).decode("utf-8", "replace")


def test_sample_site_matches_the_expected_output(tmp_path):
    built, expected = build_sample(tmp_path / "project"), tree(EXPECTED)
    assert sorted(built) == sorted(expected), "files added or removed: run `make golden` if this was intended"
    for name, content in built.items():
        if content != expected[name]:
            diff = difflib.unified_diff(
                readable(name, expected[name]).splitlines(),
                readable(name, content).splitlines(),
                f"expected/{name}", f"built/{name}", lineterm="", n=1,
            )  # fmt: skip
            raise AssertionError("\n".join(list(diff)[:40]) + "\n\nIf this change was intended, run `make golden`.")
