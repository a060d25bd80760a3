"""The project keeps itself honest: generated schemas match the model, verdict colours stay readable."""

from __future__ import annotations

import re

from conftest import REPO

from factcheck.cli import schema_texts
from factcheck.load import load_rating_scale
from factcheck.site import load_site


def test_published_json_schemas_match_the_model():
    for name, text in schema_texts(load_site(REPO / "mkdocs.yml")).items():
        assert (REPO / "schema" / name).read_text(encoding="utf-8") == text, f"run `make schema` ({name})"


def contrast(colour: str, other: str = "#ffffff") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(colour), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_verdict_badges_meet_wcag_aa_with_white_text():
    for rating in load_rating_scale(REPO / "data" / "ratings.yaml").ratings:
        assert contrast(rating.colour) >= 4.5, rating.key


def test_every_rating_has_a_distinct_label_and_icon():
    ratings = load_rating_scale(REPO / "data" / "ratings.yaml").ratings
    assert len({r.label for r in ratings}) == len({r.icon for r in ratings}) == len(ratings)


def test_contributing_lists_the_rules_check_enforces(real_site):
    """CONTRIBUTING.md's list of the site's rules is the include the build makes from data/rules.yaml."""
    generated = (REPO / "docs" / "claims" / "includes" / "site-rules.md").read_text(encoding="utf-8")
    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = text.split("a test keeps them equal -->\n", 1)[1].split("<!-- /rules -->", 1)[0]
    assert block == generated, "run `make site` and copy docs/claims/includes/site-rules.md into CONTRIBUTING.md"
    assert '--8<-- "site-rules.md"' in (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")


def test_contributing_describes_every_key_of_the_format():
    """Its table of keys names every top-level key the model has, and no other."""
    from factcheck.model import Claim

    text = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("| Key | What to write |", 1)[1].split("\n\n", 1)[0]
    described = {
        key for cell in re.findall(r"^\| ([^|]+) \|", table, re.MULTILINE) for key in re.findall(r"`(\w+)`", cell)
    }
    assert described == set(Claim.model_fields)


def test_the_benchmark_sites_synthetic_claims_pass_check(tmp_path):
    """`make bench` times builds of synthetic claims: they must be claims `check` accepts, or it times nothing."""
    import importlib.util

    from factcheck import pipeline

    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    project = bench.make_project(tmp_path, 30)
    loaded = pipeline.check(load_site(project / "mkdocs.yml"), base=None)
    assert [str(problem) for problem in loaded.problems] == [] and len(loaded.claims) == 30
