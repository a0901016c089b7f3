# LibreOffice + uno-miljøet for den varme PDF/A-konvertereren (dokumenter/konvertering.py).
#
# unoserver trenger LibreOffice sin `uno`-modul, og den finnes bare for Debians /usr/bin/python3
# (pakken python3-uno). Derfor et eget miljø med --system-site-packages; hovedmiljøet snakker
# bare XML-RPC med serveren. apt kjøres bare når noe mangler; ellers gjør målet ingen nettverkskall
# utover pip. Krever root (eller sudo) første gang på en ny maskin.

UNO_MK := $(lastword $(MAKEFILE_LIST))
UNO_VENV ?= .venv-uno
UNOSERVER_VERSJON := 3.7
UNO_APT_PAKKER := libreoffice-writer-nogui python3-uno python3-venv \
	fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2
UNO_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(UNO_VENV)/.ok: $(UNO_MK)
	@mangler=""; \
	command -v soffice >/dev/null 2>&1 || mangler="soffice"; \
	/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || mangler="$$mangler uno"; \
	/usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1 || mangler="$$mangler venv"; \
	for p in $(UNO_APT_PAKKER); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed \
	    || mangler="$$mangler $$p"; \
	done; \
	if [ -n "$$mangler" ]; then \
	  echo "Installerer LibreOffice-pakker med apt (mangler:$$mangler) ..."; \
	  $(UNO_SUDO) apt-get update -q && \
	  $(UNO_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $(UNO_APT_PAKKER) || exit 1; \
	fi
	rm -rf $(UNO_VENV)
	/usr/bin/python3 -m venv --system-site-packages $(UNO_VENV)
	$(UNO_VENV)/bin/python -m pip install -q --disable-pip-version-check \
		unoserver==$(UNOSERVER_VERSJON)
	$(UNO_VENV)/bin/python -c 'import uno, unoserver.server'
	touch $@
