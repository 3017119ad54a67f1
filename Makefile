# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo check test lint bench browser node aws-samples lambda-package loader docs screenshots schema clean

# Both distributions from this checkout, editable: the plugin (with its dev extra) and the
# signer (lambda/), which the plugin's [signer] extra names at the same version. The signer's
# dependencies at exactly the versions `sam build` ships (lambda/requirements.txt).
$(STAMP): pyproject.toml lambda/pyproject.toml lambda/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools warns of same-named folders in the working directory on editable installs: a notice, not a problem.
	PYTHONWARNINGS='ignore:Editable installation' $(BIN)/python -m pip install --quiet -e ./lambda -e '.[dev]' -c lambda/requirements.txt
	@touch $@

# Browser tests drive Debian's Chromium; install it when missing and we are allowed to.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: browser tests will be skipped (apt-get install chromium)"; fi; }

# Peers the tests run that nobody here wrote (an OpenID provider, axe-core), from the npm registry.
NODE_STAMP := tests/node/node_modules/.installed
$(NODE_STAMP): tests/node/package.json tests/node/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20+ (apt-get install nodejs npm)"; exit 1; }
	cd tests/node && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The loader's minifier and type checker (terser and typescript, pinned): pages load
# loader.min.js, made from loader.js; `tsc --checkJs` checks the source's JSDoc types.
LOADER_TOOLS := tools/loader/node_modules/.installed
$(LOADER_TOOLS): tools/loader/package.json tools/loader/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js 20+ (apt-get install nodejs npm)"; exit 1; }
	cd tools/loader && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

node: $(NODE_STAMP) $(LOADER_TOOLS)

# After editing mkdocs_intercom/assets/loader.js: regenerate the file pages load.
loader: $(LOADER_TOOLS)
	node tools/loader/minify.mjs > mkdocs_intercom/assets/loader.min.js

# Lambda events AWS wrote (the SAM CLI's sample events), read by the tests from its wheel.
AWS_SAMPLES := tests/aws-samples/.downloaded
$(AWS_SAMPLES): $(STAMP)
	$(BIN)/python -m pip download --quiet --no-deps --dest tests/aws-samples aws-sam-cli==1.170.0
	@touch $@

aws-samples: $(AWS_SAMPLES)

# What `sam build` installs for the function (lambda/requirements.txt) and the Powertools layer
# beside it, installed once here so that tests/deploy/test_package.py installs nothing.
LAMBDA_PACKAGE := .lambda-package/.installed
$(LAMBDA_PACKAGE): lambda/requirements.txt template.yaml $(STAMP)
	rm -rf .lambda-package
	$(BIN)/python -m tests.support.package .lambda-package
	@touch $@

lambda-package: $(LAMBDA_PACKAGE)

lint: $(STAMP) $(LOADER_TOOLS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	tools/loader/node_modules/.bin/tsc -p tools/loader/tsconfig.json

# The loader's machine first (node's own test runner, no browser), then everything else. A
# prerequisite missing under `make test` fails its tests; a bare `pytest` skips them instead.
test: lint browser node aws-samples lambda-package
	node --test tests/loader/
	MKDOCS_INTERCOM_PREREQUISITES=required $(BIN)/python -m pytest

# `make bench cold warm`: the named sections only (bench/__main__.py lists them).
bench: $(STAMP) browser
	$(BIN)/python -m bench $(filter-out bench,$(MAKECMDGOALS))

ifneq ($(filter bench,$(MAKECMDGOALS)),)
$(filter-out bench,$(MAKECMDGOALS)):
	@:
endif

# What the demo needs and nothing else: the plugin, the signer and mkdocs-material (the `demo`
# extra), at the versions `sam build` ships. One line per step, and pip's own line per package.
DEMO_STAMP := $(VENV)/.demo-installed
$(DEMO_STAMP): pyproject.toml lambda/pyproject.toml lambda/requirements.txt
	@echo "==> [1/3] a virtual environment in $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "==> [2/3] the demo's packages: the plugin, the signer, mkdocs-material"
	PYTHONWARNINGS='ignore:Editable installation' $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e ./lambda -e '.[demo]' -c lambda/requirements.txt
	@touch $@

demo: $(DEMO_STAMP)
	@echo "==> [3/3] building the demo site and serving it"
	$(BIN)/mkdocs-intercom demo $(DEMO_ARGS)

# Check the demo that `make demo` is running (from another terminal): one command, every line.
check: $(DEMO_STAMP)
	$(BIN)/mkdocs-intercom demo --check

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

# Regenerate what the docs derive from the code and the running demo.
screenshots: $(STAMP) browser
	$(BIN)/python docs/screenshots.py

schema: $(STAMP)
	$(BIN)/python -c "import json; from mkdocs_intercom.reference import json_schema; print(json.dumps(json_schema(), indent=2, ensure_ascii=False))" > docs/schema.json

clean:
	rm -rf $(VENV) site build .demo bench/.work tests/node/node_modules tools/loader/node_modules tests/aws-samples .lambda-package
