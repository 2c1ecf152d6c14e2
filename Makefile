# One task runner for people and CI. `make demo` and `make test` are the two
# set-up commands in the README: each installs what it needs first.
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: setup system demo test lint typecheck unit bench docs-check

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

unit: setup system
	$(UV) run pytest

test: lint typecheck unit

bench: setup
	$(UV) run python -m benchmarks
