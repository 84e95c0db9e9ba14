# The two commands of the README. Each creates or refreshes .venv itself.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test train clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/slipwatch run --config config/demo.toml

test: $(STAMP)
	sh tests/system-deps.sh
	$(VENV)/bin/python -m pytest

# The learned extraction decisions (extract/learned.py) and name choice (extract/naming.py) from the
# labelled mails into extract/model.json and extract/names.json.
train: $(STAMP)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[train]'
	$(VENV)/bin/python -m slipwatch.extract.training

clean:
	rm -rf $(VENV) var
