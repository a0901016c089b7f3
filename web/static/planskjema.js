// Planskjemaene med JavaScript (uten virker de også, med knappene «Vis avtaler for valgt
// institusjon» og «Flere rader», som viser skjemaet på nytt fra tjeneren):
// - «Ny plan»: avtalelisten følger institusjonen som er valgt, uten å laste siden på nytt.
// - «Innhold»: rader i tiltak og fremdriftsplan legges til («Legg til rad») og fjernes («Fjern»).
// Tjeneren sjekker alt uansett (avtalen hører til institusjonen, datoene er ekte datoer).
"use strict";

function avtalerForInstitusjon() {
  const part = document.getElementById("part_id");
  const avtale = document.getElementById("avtale_id");
  const alle = document.getElementById("alle-avtaler");
  if (!part || !avtale || !alle) return;
  const oppdater = () => {
    const valgt = avtale.value;
    for (const o of [...avtale.options]) if (o.value) o.remove();
    for (const o of alle.content.querySelectorAll("option")) {
      if (o.dataset.part === part.value) {
        const ny = o.cloneNode(true);
        ny.selected = ny.value === valgt;
        avtale.append(ny);
      }
    }
  };
  part.addEventListener("change", oppdater);
  oppdater();
  // Knappen trengs bare uten JavaScript. Fjernes (ikke skjules), så Enter i et felt fortsatt
  // sender skjemaet med «Opprett plan».
  document.querySelectorAll("button.vis-avtaler").forEach((b) => b.remove());
}

function nummerer(tabell, felt) {
  tabell.querySelectorAll("tbody tr[data-rad]").forEach((rad, i) => {
    const nr = i + 1;
    rad.querySelectorAll("input, select").forEach((el) => {
      const kolonne = el.name.split("-").pop();
      el.name = el.id = `${felt}-${nr}-${kolonne}`;
      const etikett = el.getAttribute("aria-label") || "";
      el.setAttribute("aria-label", etikett.replace(/rad \d+$/, `rad ${nr}`));
    });
    const fjern = rad.querySelector("button.fjern-rad");
    if (fjern) fjern.querySelector(".skjult").textContent = ` rad ${nr}`;
  });
}

function fjernknapp(rad, tabell, felt) {
  const knapp = document.createElement("button");
  knapp.type = "button";
  knapp.className = "fjern-rad";
  knapp.append("Fjern");
  const skjult = document.createElement("span");
  skjult.className = "skjult";
  knapp.append(skjult);
  knapp.addEventListener("click", () => {
    const rader = tabell.querySelectorAll("tbody tr[data-rad]");
    if (rader.length === 1) {
      tom(rad); // den siste raden tømmes i stedet for å fjernes
    } else {
      const neste = rad.nextElementSibling || rad.previousElementSibling;
      rad.remove();
      nummerer(tabell, felt);
      (neste.querySelector("input") || tabell).focus();
    }
  });
  rad.querySelector("td.radknapp").append(knapp);
}

function tom(rad) {
  rad.querySelectorAll("input").forEach((el) => {
    el.value = "";
    el.removeAttribute("aria-invalid");
    if (el.classList.contains("dato")) el.type = "date";
  });
  rad.querySelectorAll("select").forEach((el) => (el.selectedIndex = 0));
  rad.querySelectorAll(".feiltekst").forEach((el) => el.remove());
  rad.querySelectorAll(".har-feil").forEach((el) => el.classList.remove("har-feil"));
}

function redigerbareRader() {
  document.querySelectorAll("fieldset[data-rader]").forEach((boks) => {
    const felt = boks.dataset.rader;
    const tabell = boks.querySelector("table.radtabell");
    tabell.querySelectorAll("tbody tr[data-rad]").forEach((rad) => fjernknapp(rad, tabell, felt));
    nummerer(tabell, felt);
    const legg = document.createElement("button");
    legg.type = "button";
    legg.className = "legg-til-rad";
    legg.textContent = "Legg til rad";
    legg.addEventListener("click", () => {
      const rader = tabell.querySelectorAll("tbody tr[data-rad]");
      const ny = rader[rader.length - 1].cloneNode(true);
      tom(ny);
      ny.querySelector("td.radknapp").replaceChildren();
      tabell.tBodies[0].append(ny);
      fjernknapp(ny, tabell, felt);
      nummerer(tabell, felt);
      ny.querySelector("input").focus();
    });
    const flere = boks.querySelector("button.flere-rader");
    if (flere) flere.replaceWith(legg);
    else boks.append(legg);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  avtalerForInstitusjon();
  redigerbareRader();
});
