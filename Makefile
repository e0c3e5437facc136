VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: demo lab test install install-dev clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

# --no-compile: byte-compiling matplotlib and numba at install was half of a
# clean clone's `make demo`; Python compiles what it imports, when it imports it.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q --no-compile -e '.[plot,docs]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	$(PY) -m actlab.demo

lab: install
	$(PIP) install -q -e '.[plot,lab,docs]'
	$(PY) -m actlab.demo --all

test: install-dev
	$(PY) -m pytest -n auto --dist loadgroup -q

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
