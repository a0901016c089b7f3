# Bokmålsordboka for delingen av sammensatte ord i søket (arkiv/sok/ordliste.py).
#
# Debians hunspell-no (nb_NO.dic/.aff, spell-norwegian, GPL-2) hentes med apt bare når ordboka
# mangler; så bygges den kompakte ordlisten i build/ordliste/ (ikke i git). Appen bygger den
# også selv ved første bruk, men da betaler første indeksering for det (om lag 3 s).
# Krever root (eller sudo) første gang på en ny maskin.

ORDLISTE_MK := $(lastword $(MAKEFILE_LIST))
ORDBOK := /usr/share/hunspell/nb_NO.dic
ORDLISTE_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

mk/.ordliste.ok: $(ORDLISTE_MK) arkiv/sok/ordliste.py $(BIN)/.ok
	@if [ ! -f $(ORDBOK) ]; then \
	  echo "Installerer bokmålsordboka med apt (fant ingen $(ORDBOK)) ..."; \
	  $(ORDLISTE_SUDO) apt-get update -q && \
	  $(ORDLISTE_SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends hunspell-no || exit 1; \
	fi
	$(BIN)/python -m arkiv.sok.ordliste
	touch $@
