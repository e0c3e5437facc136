VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip

.PHONY: demo lab test install install-dev clean

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e '.[plot,docs]'
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
