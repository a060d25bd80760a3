"""Regenerate tests/golden/expected/ from the sample claims in tests/golden/claims/ (`make golden`).

Run it after an intended change to what the build generates, and review the difference in git before committing.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the sample site lives with the tests

from sample_site import EXPECTED, build_sample


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        files = build_sample(Path(temporary) / "project")
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for relative, content in files.items():
        (EXPECTED / relative).parent.mkdir(parents=True, exist_ok=True)
        (EXPECTED / relative).write_bytes(content)
    print(f"wrote {len(files)} files into {EXPECTED.relative_to(Path.cwd())}; review them with `git diff`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
