"""The command line: `check`, `new`, `translate`, `build`, `schema`, `archive` and `links` (run as
`python scripts/build_claims.py ...`)."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from factcheck import evidence, history, pipeline
from factcheck.load import (
    claim_files,
    display_path,
    is_translation,
    load_claimants,
    load_languages,
    load_rating_scale,
)
from factcheck.model import Translation, claim_json_schema, slugify, text_version
from factcheck.outputs import Export
from factcheck.render import TEMPLATES
from factcheck.site import ROOT, SettingsError, Site, load_site
from factcheck.write import UnsafeOutput

MAX_ID_WORDS = 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build_claims.py", description=__doc__)
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="the site's mkdocs.yml")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate claim files; exit 1 if any has a problem")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: all of claims/)")
    check.add_argument("--base", default="HEAD", help="git revision of the published site (default: HEAD)")
    check.add_argument(
        "--skip-history", action="store_true", help="do not compare with --base (published URLs are not protected)"
    )
    new = commands.add_parser("new", help="scaffold claims/<id>.yaml and print its path")
    new.add_argument("claim", help="the claim, as it was said")
    new.add_argument("--claimant", required=True, help="who made it: their id in data/claimants.yaml")
    new.add_argument("--id", help="the claim's id (default: made from the claim text)")
    translate = commands.add_parser(
        "translate",
        help="scaffold claims/<id>.<language>.yaml to translate a claim, or say whether an existing translation "
        "is up to date with its original (and the version to write once it is)",
    )
    translate.add_argument("id", help="the claim's id")
    translate.add_argument("language", help="a language of data/languages/, e.g. uk")
    commands.add_parser("build", help="render claims into docs/claims/ (MkDocs runs this itself)")
    schema = commands.add_parser("schema", help="write the JSON Schemas in schema/ from the model")
    schema.add_argument("--check", action="store_true", help="only report whether they are up to date")
    archive = commands.add_parser(
        "archive",
        help="write the Wayback Machine's snapshot of each source without archive_url into its claim file; "
        "exit 1 if a lookup failed, 2 (nothing changed) if the archive cannot be reached",
    )
    archive.add_argument("--save", action="store_true", help="request a snapshot where there is none (Save Page Now)")
    links = commands.add_parser(
        "links", help="check every source, archive and appearance address; exit 1 if one is dead or moved, "
        "2 if none answered (offline)",
    )  # fmt: skip
    links.add_argument("--host-delay", type=float, default=1.0, help="seconds between requests to one host (1)")
    for command in (archive, links):
        _add_http_options(command)
    args = parser.parse_args(argv)
    try:
        site = load_site(args.config)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 1
    run = {"check": _check, "new": _new, "build": _build, "schema": _schema, "archive": _archive, "links": _links,
           "translate": _translate}  # fmt: skip
    return run[args.command](site, args)


def _add_http_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each answer (20)")
    command.add_argument("--retries", type=int, default=2, help="retries after no answer, 429 or 5xx (2)")
    command.add_argument("--backoff", type=float, default=2.0, help="seconds before the first retry, then doubled")
    command.add_argument("--workers", type=int, default=4, help="requests in flight at once (4)")
    command.add_argument(
        "--wayback-api", default=evidence.WAYBACK_API,
        help="the availability API (default: $FACTCHECK_WAYBACK_API or the Wayback Machine's)",
    )  # fmt: skip
    command.add_argument(
        "--wayback-save", default=evidence.WAYBACK_SAVE,
        help="Save Page Now, the address is appended (default: $FACTCHECK_WAYBACK_SAVE or the Wayback Machine's)",
    )  # fmt: skip


def _http(args: argparse.Namespace) -> evidence.Http:
    return evidence.Http(
        timeout=args.timeout, retries=max(0, args.retries), backoff=args.backoff, workers=max(1, args.workers),
        host_delay=getattr(args, "host_delay", 0.0), auth=os.environ.get("ARCHIVE_ORG_AUTH", ""),
    )  # fmt: skip


def _archive(site: Site, args: argparse.Namespace) -> int:
    report, unreadable = evidence.archive(site.claims_dir, _http(args), args.save, args.wayback_api, args.wayback_save)
    for problem in unreadable:
        print(f"{problem} (skipped; run `check`)", file=sys.stderr)
    if report.offline:
        hint = "check the connection and run `archive` again"
        print(f"{report.offline}. Hint: {hint}", file=sys.stderr)
        return evidence.ARCHIVE_OFFLINE
    print("\n".join(report.lines(args.save)))
    return evidence.ARCHIVE_SOME_FAILED if report.failed else evidence.ARCHIVE_OK


def _links(site: Site, args: argparse.Namespace) -> int:
    report = evidence.check_links(site.claims_dir, _http(args), args.wayback_api)
    for problem in report.problems:
        print(f"{problem} (skipped; run `check`)", file=sys.stderr)
    if report.offline:
        print(f"{report.offline}. Offline? Hint: check the connection", file=sys.stderr)
        return evidence.LINKS_OFFLINE
    print("\n".join([*report.lines, f"{report.checked} addresses checked, {len(report.lines)} dead or moved."]))
    return evidence.LINKS_BROKEN if report.lines else evidence.LINKS_OK


def _check(site: Site, args: argparse.Namespace) -> int:
    loaded = pipeline.check(site, args.paths or None, base=None if args.skip_history else args.base)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in loaded.problems:
        print(problem, file=sys.stderr)
    files = claim_files(args.paths or [site.claims_dir])
    translations = sum(map(is_translation, files))
    count = f"{len(files) - translations} claim file(s)"
    count += f" and {translations} translation(s)" if translations else ""
    if loaded.problems:
        print(f"{len(loaded.problems)} problem(s) in {count}.", file=sys.stderr)
        return 1
    print(f"{count} OK.")
    return 0


def _new(site: Site, args: argparse.Namespace) -> int:
    claim_id = args.id or "-".join(slugify(args.claim).split("-")[:MAX_ID_WORDS])
    path = site.claims_dir / f"{claim_id}.yaml"
    taken = {p.stem for p in site.claims_dir.glob("*.yaml")}
    if claim_id in taken or path.exists():
        print(
            f"{path}: a claim with the id '{claim_id}' exists already. Hint: pass --id to choose another",
            file=sys.stderr,
        )
        return 1
    claimants = sorted(load_claimants(site.data_dir / "claimants.yaml"))
    if args.claimant not in claimants:
        close = difflib.get_close_matches(args.claimant, claimants, n=3)
        hint = f"did you mean {' or '.join(close)}?" if close else "add them to data/claimants.yaml first"
        print(f"--claimant: '{args.claimant}' is not in data/claimants.yaml. Hint: {hint}", file=sys.stderr)
        print(f"Claimants: {', '.join(claimants)}", file=sys.stderr)
        return 1
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
    text = env.get_template("new-claim.yaml.j2").render(
        id=claim_id, claim=args.claim, claimant=args.claimant, today=dt.date.today().isoformat(),
        ratings=", ".join(load_rating_scale(site.data_dir / "ratings.yaml").by_key),
    )  # fmt: skip
    site.claims_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(display_path(path))
    _warn_if_checked_already(site, args.claim)
    return 0


def _translate(site: Site, args: argparse.Namespace) -> int:
    original_path = site.claims_dir / f"{args.id}.yaml"
    path = site.claims_dir / f"{args.id}.{args.language}.yaml"
    languages = sorted(load_languages(site.data_dir / "languages"))
    if args.language not in languages:
        hint = f"use one of {', '.join(languages)}, or add data/languages/{args.language}.yaml (see CONTRIBUTING.md)"
        print(f"{args.language}: not a language of this site. Hint: {hint}", file=sys.stderr)
        return 1
    loaded = pipeline.check(site, [original_path], base=None) if original_path.exists() else None
    if not loaded or not loaded.claims:
        print(
            f"{display_path(original_path)}: no valid claim with the id '{args.id}'. Hint: run check", file=sys.stderr
        )
        return 1
    original = loaded.claims[0]
    version = text_version(original)
    if path.exists():
        translation = pipeline.check(site, [path], base=None).translations.get(args.id, {}).get(args.language)
        made_from = translation.original_version if translation else "unknown (the file has problems: run check)"
        state = "up to date" if made_from == version else f"made from version {made_from}"
        print(f"{display_path(path)}: {state}; the original's text is version {version}.")
        if made_from != version:
            print(f"Hint: update the translation to match the original, then set original_version: {version}")
        return 0
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["comment"] = lambda value: "\n".join(f"# {line}" for line in (value or "").splitlines())
    text = env.get_template("new-translation.yaml.j2").render(claim=original, version=version, language=args.language)
    path.write_text(text, encoding="utf-8")
    print(display_path(path))
    return 0


def _warn_if_checked_already(site: Site, claim: str) -> None:
    """Say at once when the claim reads like one already checked: updating that one may be the better course."""
    loaded = pipeline.check(site, base=None)
    words = {c.id: history.words_of(c.claim) for c in loaded.claims} | {"": history.words_of(claim)}
    for _, other, overlap in history.similar_pairs(words, [""]):
        print(
            f"warning: this claim looks like the claim in {display_path(loaded.files[other])} ({overlap:.0%} of "
            "words shared). Hint: if it is the same claim, update that fact-check instead",
            file=sys.stderr,
        )


def _build(site: Site, args: argparse.Namespace) -> int:
    try:
        result = pipeline.build(site, images_in_docs=True)  # for any engine: everything in the docs folder
    except (pipeline.InvalidClaims, UnsafeOutput) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{result.claims} claims rendered into {site.out_dir}: {result.report}.")
    return 0


def schema_texts(site: Site) -> dict[str, str]:
    scale = load_rating_scale(site.data_dir / "ratings.yaml")
    schemas = {"claim.schema.json": claim_json_schema(scale), "claims-export.schema.json": Export.model_json_schema(),
               "translation.schema.json": Translation.model_json_schema()}  # fmt: skip
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}


def _schema(site: Site, args: argparse.Namespace) -> int:
    stale = []
    for name, text in schema_texts(site).items():
        path = site.root / "schema" / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(f"out of date: {', '.join(map(str, stale))}. Hint: run `build_claims.py schema`", file=sys.stderr)
        return 1
    print("schemas up to date." if not stale else f"wrote {', '.join(map(str, stale))}.")
    return 0
