"""The long fuzz run: mutated claim files through `check` and, when accepted, through a full `mkdocs build --strict`.

    .venv/bin/python scripts/fuzz.py [--cases 10000] [--seed 1] [--batch 250]

Each case is checked in a child process limited to 1 GB of memory and 10 s, so a crash, a hang or a runaway
allocation is counted instead of stopping the run. Accepted files are built in batches with the real configuration;
every built claim page is then searched for anything live from the data. It prints the figures the README reports:
tracebacks, crashes, hangs, live payloads, and files that pass `check` but fail the build (all must be 0).
The mutations are in tests/fuzzing.py, shared with the property-based tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import Project  # noqa: E402
from fuzzing import EVALUATED, MARKER, mutate  # noqa: E402
from pages import Page, live_payloads  # noqa: E402

from factcheck.pipeline import SiteData, read_data  # noqa: E402
from factcheck.site import load_site  # noqa: E402

KEPT = ROOT / "artifacts" / "fuzz"  # git-ignored
MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 10


def check_in_child(path: Path, data: SiteData) -> tuple[str, str]:
    """('accepted' | 'refused' | 'unnamed' | 'traceback' | 'crash' | 'hang', detail), from a limited child process."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limits, the check, one line of JSON back
        os.close(reader)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        signal.alarm(TIME_LIMIT)
        try:
            loaded = data.load([path], today=dt.date(2026, 1, 1))  # as `check` reads a file
            unnamed = [str(p) for p in loaded.problems if not p.path.endswith(path.name)]
            verdict = ("unnamed", unnamed[0]) if unnamed else ("refused" if loaded.problems else "accepted", "")
        except BaseException as error:  # exactly what this counts
            verdict = ("traceback", f"{type(error).__name__}: {error}"[:300])
        os.write(writer, json.dumps(verdict).encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        output = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        kind = "hang" if os.WTERMSIG(status) == signal.SIGALRM else "crash"
        return kind, f"signal {os.WTERMSIG(status)}"
    return tuple(json.loads(output)) if output else ("crash", f"exit {os.WEXITSTATUS(status)}")


def build(project: Project, site_dir: Path) -> bool:
    shutil.rmtree(site_dir, ignore_errors=True)
    return project.mkdocs_build(site_dir).returncode == 0


def failing_files(project: Project, files: list[Path], site_dir: Path) -> list[Path]:
    """Of a batch that did not build, the files that fail on their own (halving the batch)."""
    if len(files) == 1:
        return files
    half = len(files) // 2
    found = []
    for part in (files[:half], files[half:]):
        keep = {path.name for path in part}
        for path in files:
            (project.root / "claims" / path.name).unlink(missing_ok=True)
            if path.name in keep:
                shutil.copy(path, project.root / "claims" / path.name)
        if not build(project, site_dir):
            found += failing_files(project, part, site_dir)
    return found


def live_on_pages(site_dir: Path, ids: list[str]) -> list[str]:
    found = []
    for claim_id in ids:
        html = (site_dir / "claims" / claim_id / "index.html").read_text(encoding="utf-8")
        page = Page()
        page.feed(html)
        page.close()
        found += [f"{claim_id}: {payload}" for payload in live_payloads(page, MARKER)]
        if EVALUATED in html or "factcheck/mkdocs_hook.py" in html:
            found.append(f"{claim_id}: evaluated or included")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=250, help="accepted files built together")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    counts = dict.fromkeys(["accepted", "refused", "unnamed", "traceback", "crash", "hang"], 0)
    examples: dict[str, list[str]] = {}
    live: list[str] = []
    build_failures: list[str] = []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as temporary:
        cases = Path(temporary) / "cases"
        cases.mkdir()
        project = Project(Path(temporary) / "project")
        data = read_data(load_site(project.root / "mkdocs.yml"))
        site_dir = Path(temporary) / "site"
        batch: list[Path] = []

        def build_batch() -> None:
            for path in project.root.joinpath("claims").iterdir():
                path.unlink()
            for path in batch:
                shutil.copy(path, project.root / "claims" / path.name)
            if build(project, site_dir):
                live.extend(live_on_pages(site_dir, [path.stem for path in batch]))
            else:
                build_failures.extend(str(path) for path in failing_files(project, batch, site_dir))
            batch.clear()

        for number in range(args.cases):
            path = cases / f"case-{number}.yaml"
            path.write_bytes(mutate(rng, f"case-{number}").encode("utf-8", "surrogatepass"))
            kind, detail = check_in_child(path, data)
            counts[kind] += 1
            if kind not in {"accepted", "refused"}:
                examples.setdefault(kind, []).append(f"{path.name}: {detail}")
                if len(examples[kind]) <= 3:  # kept for a regression test
                    KEPT.mkdir(parents=True, exist_ok=True)
                    shutil.copy(path, KEPT / f"{kind}-{path.name}")
            if kind == "accepted":
                batch.append(path)
                if len(batch) >= args.batch:
                    build_batch()
        if batch:
            build_batch()
    seconds = time.perf_counter() - start
    print(
        f"{args.cases} cases in {seconds:.0f} s (seed {args.seed}): " + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
    print(f"live payloads on built pages: {len(live)}; accepted by check but failed the build: {len(build_failures)}")
    for kind, found in examples.items():
        print(f"{kind}: " + "; ".join(found[:3]))
    for line in (live + build_failures)[:10]:
        print(line)
    bad = counts["unnamed"] + counts["traceback"] + counts["crash"] + counts["hang"] + len(live) + len(build_failures)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
