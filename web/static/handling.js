/* Lange handlinger: et skjema med data-lang-handling="Lager utkastet …" låser knappen når det
   sendes (ingen dobbel innsending) og viser teksten med en spinner i en status som leses opp
   (aria-live="polite"). Uten JavaScript sendes skjemaet som før. Ingen innebygde skript (CSP). */
(function () {
  "use strict";

  function statusFor(skjema) {
    var status = skjema.querySelector(".handling-status");
    if (!status) {
      // Statusen finnes før teksten settes inn, så skjermlesere oppdager endringen.
      status = document.createElement("span");
      status.className = "handling-status";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      var knapp = skjema.querySelector("button[type=submit], button:not([type]), input[type=submit]");
      if (knapp) {
        knapp.insertAdjacentElement("afterend", status);
      } else {
        skjema.appendChild(status);
      }
    }
    return status;
  }

  function knapper(skjema) {
    return skjema.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
  }

  function nullstill(skjema) {
    delete skjema.dataset.sendt;
    knapper(skjema).forEach(function (k) {
      k.disabled = false;
      k.removeAttribute("aria-disabled");
    });
    statusFor(skjema).textContent = "";
  }

  function sendes(hendelse) {
    var skjema = hendelse.target;
    if (skjema.dataset.sendt) {
      hendelse.preventDefault(); // allerede sendt: ingen dobbel innsending
      return;
    }
    if (hendelse.defaultPrevented) {
      return;
    }
    skjema.dataset.sendt = "1";
    var status = statusFor(skjema);
    var spinner = document.createElement("span");
    spinner.className = "spinner";
    spinner.setAttribute("aria-hidden", "true");
    status.textContent = "";
    status.appendChild(spinner);
    status.appendChild(document.createTextNode(skjema.dataset.langHandling));
    // Låses etter at nettleseren har tatt med knappens navn og verdi i innsendingen.
    window.setTimeout(function () {
      knapper(skjema).forEach(function (k) {
        k.disabled = true;
        k.setAttribute("aria-disabled", "true");
      });
    }, 0);
  }

  function start() {
    document.querySelectorAll("form[data-lang-handling]").forEach(function (skjema) {
      statusFor(skjema);
      skjema.addEventListener("submit", sendes);
    });
  }

  // Tilbake-knappen kan vise siden fra nettleserens buffer med knappen låst: lås den opp.
  window.addEventListener("pageshow", function (h) {
    if (h.persisted) {
      document.querySelectorAll("form[data-lang-handling]").forEach(nullstill);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
