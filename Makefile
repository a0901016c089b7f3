# `make run` og `make test` installerer det som mangler, og ingenting mer.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DOKUMENTER_INSTANS ?= $(CURDIR)/instance

.PHONY: run test lint bench clean-instance

run: $(BIN)/.ok .venv-uno/.ok mk/.ordliste.ok
	$(BIN)/dokumenter init
	$(BIN)/dokumenter demo
	@echo "Appen kjører på http://127.0.0.1:$${PORT:-5000} (Ctrl+C stopper)."
	DOKUMENTER_DEMO=1 $(BIN)/python -m web

test: $(BIN)/.ok .venv-uno/.ok mk/.chromium.ok mk/.postgres.ok mk/.ordliste.ok
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/dokumenter maler sjekk
	$(BIN)/pytest

lint: $(BIN)/.ok
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Rask utgave med små størrelser; fulle størrelser og tallene står i README «Ytelse». En liste
# med kommandoer: nye benchmarker legges til som egne linjer.
bench: $(BIN)/.ok .venv-uno/.ok
	$(BIN)/python bench/generate.py
	$(BIN)/python -m bench.web --avtaler 200 --brukere 1,5 --sekunder 15 --mappe bench/ut/web

clean-instance:
	rm -rf instance

# Python-miljøet med låste versjoner (pyproject.toml). python3-venv hentes med apt om det mangler.
$(BIN)/.ok: pyproject.toml
	$(PY) -c 'import ensurepip' 2>/dev/null || $(MAKE) -s apt PAKKER=python3-venv
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

# Debians chromium for nettlesertestene (Playwright styrer den; ingen nedlasting av egen nettleser).
mk/.chromium.ok:
	command -v chromium >/dev/null || $(MAKE) -s apt PAKKER=chromium
	touch $@

include mk/uno.mk
include mk/postgres.mk
include mk/ordliste.mk

# Felles apt-steg (kjøres bare når noe mangler): oppdaterer pakkelisten og installerer PAKKER.
apt:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(PAKKER)
