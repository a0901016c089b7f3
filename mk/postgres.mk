# PostgreSQL for testene som kjører mot begge databasene (tests/stotte/postgres.py starter en
# kastbar klynge på 127.0.0.1 og en ledig port, som systembrukeren postgres).
#
# Debians postgresql-pakke hentes med apt bare når initdb mangler; ellers gjør målet ingenting.
# Pakken oppretter (og starter, der init-systemet tillater det) en standardklynge på port 5432.
# Den brukes ikke, og testklyngen kolliderer ikke med den. Krever root (eller sudo) første gang.

POSTGRES_MK := $(lastword $(MAKEFILE_LIST))
POSTGRES_INITDB := /usr/lib/postgresql/*/bin/initdb
POSTGRES_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

mk/.postgres.ok: $(POSTGRES_MK)
	@if ! ls $(POSTGRES_INITDB) >/dev/null 2>&1; then \
	  echo "Installerer PostgreSQL med apt (fant ingen $(POSTGRES_INITDB)) ..."; \
	  $(POSTGRES_SUDO) apt-get update -q && \
	  $(POSTGRES_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends postgresql || exit 1; \
	fi
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null
	touch $@
