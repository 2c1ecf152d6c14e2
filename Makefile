# One task runner for people and CI. `make demo` and `make test` are the two
# set-up commands in the README: each installs what it needs first.
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: setup system demo test lint typecheck unit coverage bench docs-check mutation

setup:
	@python3 -m uv --version >/dev/null 2>&1 || command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet "uv==$(UV_VERSION)"
	@$(UV) sync --frozen --all-extras --quiet

# Debian packages for PDF rendering and its checks (fonts, pdftoppm).
system:
	@bash scripts/system-deps.sh

demo: setup system
	$(UV) run placehealth demo

lint: setup
	$(UV) run ruff check .
	$(UV) run ruff format --check .

typecheck: setup
	$(UV) run mypy

# The suite runs in parallel (pytest-xdist, docs/testing.md): a worker per core, each
# test file on one worker so a module's fixtures are built once. WORKERS=1: one process.
WORKERS ?= auto
PARALLEL = -n $(WORKERS) --dist loadfile

unit: setup system
	$(UV) run pytest $(PARALLEL)

# The suite with line and branch coverage of src/ (the CLI run as a subprocess included),
# printed at the end; below the floor in pyproject.toml ([tool.coverage.report]) it fails.
# The site's tests also run on a real PostgreSQL, started here where this machine can
# (scripts/test-postgres.sh); where it cannot they say so, and under CI=true they fail.
coverage: setup system
	@eval "$$(bash scripts/test-postgres.sh || true)"; \
	$(UV) run pytest $(PARALLEL) --cov --cov-report=term

test: lint typecheck coverage

bench: setup
	$(UV) run python -m benchmarks

# Mutation testing of the statistics and SPC rules (docs/testing.md), one part at a
# time, each mutant run against only the tests that reach the function it changes.
# Parts are modules (spc.xmr) or functions (spc.xmr.x__icons); pick them with
# `make mutation MUTATE="spc.groups stats.isr"`. The score of each part is printed,
# then the total for spc/ and for stats/ over the parts run. The default, every SPC
# rule and its wiring (rebase, fix-after, trial limits, targets) and the rate, limit,
# quantile, ISR and transformed-SII rules, takes about an hour on 2 loaded cores.
MUTATE ?= spc.xmr spc.groups stats.rates.x_rate stats.confidence.x_poisson_limits \
	stats.quantiles.x_quantiles stats.isr.x_isr stats.sii.x__about_midpoint
mutation: setup
	@mkdir -p mutants
	@for part in $(MUTATE); do \
		start=$$(date +%s); \
		PLACEHEALTH_SHARED="$(CURDIR)/../shared" $(UV) run mutmut run --max-children 2 \
			"placehealth.$$part*" > mutants/run-$$part.log 2>&1 || true; \
		echo "placehealth.$$part: $$(( $$(date +%s) - start )) s (log: mutants/run-$$part.log)"; \
	done
	@$(UV) run python tests/mutation_score.py $(addprefix placehealth.,$(MUTATE))
