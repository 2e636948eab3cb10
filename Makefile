# The two commands: `make demo` (set up, build, run an extraction on bundled data) and
# `make test` (set up, build, run every test). Both are idempotent.
VENV := .venv
PYTHON := $(VENV)/bin/python
SETUP_STAMP := $(VENV)/.parafeat-requirements
JOBS ?= 2

.PHONY: all setup cpp python demo test test-cpp test-python test-asan lint bench clean

all: cpp python

setup:
	@bash scripts/setup.sh

cpp: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

python: setup
	@echo "building the parafeat Python package into $(VENV)"
	@$(PYTHON) -m pip install --no-build-isolation --no-deps -q .

demo: python
	@$(PYTHON) scripts/demo.py

test: test-cpp test-python

test-cpp: cpp
	@ctest --preset release -j $(JOBS)

test-python: python
	@$(PYTHON) -m pytest

# C++ suites, then the Python suites of the native engine, under AddressSanitizer +
# UndefinedBehaviorSanitizer.
test-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)
	@ctest --preset asan -j $(JOBS)
	@bash scripts/pytest-asan.sh build/asan

# clang-format and clang-tidy over the C++ sources (uses the release build's compile commands).
lint: cpp
	@bash scripts/lint.sh build/release

bench: python
	@$(PYTHON) -m parafeat bench text-hashing

clean:
	rm -rf build
