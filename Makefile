# warraq: set-up, build and test. Every install step of the project lives here.
#   make dist   install everything, then build the sample book into dist/
#   make test   install everything, then run the test suite (all of it)
#   make test-fast   the same without the tests marked slow (the edit-test loop)
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: HarfBuzz subsetting (WeasyPrint is >10x slower without it), Pango for
# WeasyPrint, poppler for looking at PDF pages, libgs-common for the CMYK ICC profile of the
# PDF/X output intent; Chromium, for the test that opens a library's index.html (through
# Playwright, which drives this Chromium and downloads no browser of its own); the fonts
# of Chinese, Japanese and Korean, math and symbols/emoji (warraq/fonts.py reads them by
# path); Java (for EPUBCheck) unless one is there.
APT_PACKAGES := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils libgs-common \
                chromium fonts-noto-cjk fonts-stix fonts-symbola
JAVA_PACKAGE := default-jre-headless

.PHONY: setup system venv dist test test-fast clean

setup: system venv

system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v java >/dev/null 2>&1 || missing="$$missing $(JAVA_PACKAGE)"; \
	if [ -n "$$missing" ]; then \
	  echo "apt: installing$$missing"; \
	  $(SUDO) apt-get -o DPkg::Lock::Timeout=600 update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

dist: setup
	$(PY) build.py

# The tests start many Python processes (a worker per core, the command-line tests'
# builds): their bytecode is kept under .venv/, even where PYTHONDONTWRITEBYTECODE is set,
# or each process compiles warraq and the tests again (collection: 10 s -> 6 s).
TEST_ENV := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(abspath $(VENV))/pycache

test: setup
	$(TEST_ENV) $(PY) -m pytest

test-fast: setup
	$(TEST_ENV) $(PY) -m pytest -m "not slow"

clean:
	rm -rf dist .pytest_cache
