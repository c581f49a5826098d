# The two commands of README.md are `make serve` and `make test`; both set up .venv first.
# The other targets are described in CONTRIBUTING.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CUDA_PYTHON ?= 3.12   # the Python of the GPU machine that `make cuda-wheels` prepares for

# Material for MkDocs prints an end-of-life banner on every build.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test benchmark lighthouse cuda-pass cuda-wheels update-outputs notebook

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# axe-core for the accessibility test (package.json); Lighthouse is a dev dependency, installed
# by `make lighthouse` only. Without npm the browser tests that need it are skipped, saying so.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --omit=dev --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility test will be skipped (apt-get install npm)"; fi

# A full rebuild at every change, not `--dirty`: a dirty rebuild renders only the edited page, so
# its navigation names every other page "None", Material's search index gets each page's entries
# again on top of the old ones (448 instead of 113), and an edited snippet rebuilds no page. The
# build keeps what did not change under .cache/, so a full rebuild takes about two seconds
# (tests/serve_rebuild.py).
serve: $(VENV)/installed
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

# On every core (pytest-xdist); each page's examples stay together in one worker.
test: $(VENV)/installed node_modules/.installed
	$(BIN)/pytest -n auto --dist loadgroup

benchmark: $(VENV)/installed
	$(BIN)/python tests/benchmark.py

# Lighthouse is a dev dependency in package.json: a full `npm ci`, then the median of 3 runs.
lighthouse: $(VENV)/installed
	npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python tests/lighthouse.py

cuda-pass: $(VENV)/installed
	$(BIN)/python tests/cuda_pass.py

# Wheels of the test dependencies (torch excluded), for a GPU machine that cannot reach an index.
cuda-wheels: $(VENV)/installed
	$(BIN)/python tests/cuda_pass.py --requirements > $(VENV)/cuda-requirements.txt
	$(BIN)/python tests/cuda_pass.py --requirements-no-deps > $(VENV)/cuda-requirements-no-deps.txt
	$(BIN)/pip download --quiet --dest wheelhouse --only-binary=:all: --python-version $(strip $(CUDA_PYTHON)) \
	  --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 --platform any \
	  -r $(VENV)/cuda-requirements.txt
	# entmax needs only torch, which the GPU machine has: no second torch in the wheelhouse.
	$(BIN)/pip download --quiet --dest wheelhouse --only-binary=:all: --no-deps -r $(VENV)/cuda-requirements-no-deps.txt

# Rewrite the expected output of every pycon example that differs to what it prints on cpu.
update-outputs: $(VENV)/installed
	$(BIN)/pytest docs --update-outputs

# Rebuild docs/explore.ipynb and docs/explore.zh.ipynb from snippets/notebooks/explore.py and
# explore.zh.py, each with the outputs of a CPU run.
notebook: $(VENV)/installed
	$(BIN)/python tests/notebook_page.py
