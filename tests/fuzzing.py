"""Hostile claim files for the property-based test (tests/test_fuzz.py) and the long fuzz run (scripts/fuzz.py).

A case is a valid claim file mutated: text values replaced by payloads that would be live markup if any output
interpreted them, YAML features a claim file must not use, characters that break front matter, feeds or editors,
and random edits of the file's bytes. Every payload carries MARKER, so a built page can be searched for it.
"""

from __future__ import annotations

import random

from conftest import claim_yaml

MARKER = "alert"
EVALUATED = "evaluated"  # what the Jinja payload would print if a template evaluated it
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](javascript:alert(1)){: onmouseover=alert(1) }",
    "{: onclick=alert(1) }",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '"><iframe src="javascript:alert(1)">',
    "{{ 'evalu' ~ 'ated' }} {% raw %}",
    '--8<-- "mkdocs.yml"',
    '!!! danger "alert"',
    "---\ntitle: alert\n---",
    "```\n<script>alert(1)</script>\n```",
    "~~~ alert",
    "*[HTML]: alert",
    "<!-- alert",
    "]]><script>alert(1)</script>",
    '=HYPERLINK("javascript:alert(1)")',
]
CHARACTERS = [
    "\x00", "\x01", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\u202e", "\u2066", "\ufeff",
    "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\u200d", "\u200f", "\t", "\r", "\\x01", "\\ud800", "\\U0010ffff",
    "林剑", "Лін Цзянь", "👩‍👩‍👧", "é", "\u0301",
]  # fmt: skip
YAML_SPECIALS = [
    "&a ", "*a", "!!bool ", "!!binary ", "!!python/object:os.system ", "<<: ", "---\n", "...\n", "[", "]", "{", "}",
    ": ", "- ", "? ", "|", ">", "#", "%YAML 1.1\n", "\t", "'", '"', "null", "~", "1743000000", "2025-04-08T10:00:00",
    "yes", "No", "0x1F", ".inf", "2025-02-30",
]  # fmt: skip
TEXT_FIELDS = ["title", "claim", "summary", "analysis"]


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar on one line."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def mutate(rng: random.Random, claim_id: str = "sample-claim") -> str:
    """One hostile claim file: a valid one with a few mutations of the kinds above."""
    text = claim_yaml(claim_id)
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.45:  # a payload in a text field, sometimes with odd characters mixed in
            payload = rng.choice(PAYLOADS)
            if rng.random() < 0.5:
                payload = payload[: rng.randint(0, len(payload))] + rng.choice(CHARACTERS) + payload
            text = claim_yaml(claim_id, **{rng.choice(TEXT_FIELDS): quoted(payload)}) if rng.random() < 0.5 else (
                text.replace("Volodymyr Zelensky", quoted(payload), 1)
            )  # fmt: skip
        elif kind < 0.75:  # a YAML feature or a scalar YAML would read as something other than text
            position = rng.randint(0, len(text))
            text = text[:position] + rng.choice(YAML_SPECIALS) + text[position:]
        elif kind < 0.9:  # a character inserted anywhere
            position = rng.randint(0, len(text))
            text = text[:position] + rng.choice(CHARACTERS) + text[position:]
        else:  # a random edit
            position = rng.randint(0, max(0, len(text) - 1))
            text = text[:position] + text[position + rng.randint(1, 20) :]
    return text
