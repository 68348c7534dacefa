# Two commands for a fresh Debian/Ubuntu machine (see README):
#   make demo   installs everything (virtual environment, the package, a Chromium) and audits
#               the embedded demo platform;
#   make test   installs the same and runs the whole test suite (unit + end-to-end).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test install browser lint typecheck bench clean

demo: install browser
	$(BIN)/auditor demo

test: install browser
	$(BIN)/python -m pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Never downloads a browser: uses AUDITOR_BROWSER, Playwright's own Chromium or the system one;
# as root on Debian/Ubuntu installs the distribution's chromium, otherwise says what to install.
browser:
	@if [ -n "$$AUDITOR_BROWSER" ] && [ -x "$$AUDITOR_BROWSER" ]; then \
	  echo "browser: $$AUDITOR_BROWSER"; \
	elif $(BIN)/python -c "from auditor.browser import find_browser; print('browser:', find_browser().path)" 2>/dev/null; then \
	  :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "no Chromium found: installing Debian's chromium and chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  $(BIN)/python -c "from auditor.browser import find_browser; print('browser:', find_browser().path)"; \
	else \
	  echo "no Chromium found. Install one, then run make again:"; \
	  echo "  Debian/Ubuntu: sudo apt-get install chromium chromium-driver"; \
	  echo "  Fedora: sudo dnf install chromium   macOS: brew install --cask chromium"; \
	  echo "  or point AUDITOR_BROWSER at a Chrome/Chromium executable"; \
	  exit 1; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install browser
	$(BIN)/python benchmarks/bench_demo.py

clean:
	rm -rf $(VENV) audit-results build dist *.egg-info
