#!/usr/bin/env python3
"""Command-line entry point: check, scaffold and build fact-checks. See `--help` and CONTRIBUTING.md."""

import sys

from factcheck.cli import main

if __name__ == "__main__":
    sys.exit(main())
