# Two commands on a fresh machine with Python 3.11+ and make:  `make site`  and  `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check lint bench bench-size bench-languages schema golden browser clean

site: $(VENV)/.deps  ## Build the whole site into site/
	$(BIN)/mkdocs build --strict
	@echo "The site is in $(CURDIR)/site/: serve it with any static web server (python3 -m http.server -d site), or run 'make serve' for a live preview."

serve: $(VENV)/.deps  ## Live preview at http://127.0.0.1:8000/ (only edited claims are re-rendered)
	$(BIN)/mkdocs serve --dirty

check: $(VENV)/.deps  ## Validate every claim file
	$(BIN)/python scripts/build_claims.py check

test: $(VENV)/.dev-deps browser  ## Every check: lint, schemas, claims, unit, build and browser tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/build_claims.py schema --check
	$(BIN)/python scripts/build_claims.py check
	$(BIN)/python -m pytest

bench: $(VENV)/.deps  ## Build synthetic sites of 1,000 and 10,000 claims and print the figures
	$(BIN)/python scripts/bench.py --repeat 3

bench-size: $(VENV)/.deps  ## Build a synthetic site of 25,000 claims and print its size (no comparison build)
	$(BIN)/python scripts/bench.py --sizes 25000 --size-only

bench-languages: $(VENV)/.deps  ## Build 10,000 claims, each also in Ukrainian, Chinese and Russian, and compare with bare Material
	$(BIN)/python scripts/bench.py --sizes 10000 --languages uk zh ru

schema: $(VENV)/.deps  ## Regenerate schema/*.json from the model
	$(BIN)/python scripts/build_claims.py schema

golden: $(VENV)/.dev-deps  ## Regenerate tests/golden/expected/ after an intended change to the generated pages
	$(BIN)/python scripts/golden.py

$(VENV)/.deps: requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-deps: $(VENV)/.deps requirements-dev.txt constraints.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

clean:
	rm -rf site docs/claims docs/*/claims .cache artifacts .pytest_cache
