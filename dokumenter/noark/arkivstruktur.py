"""arkivstruktur.xml: arkiv → arkivdel → klassifikasjonssystem → klasse → saksmappe →
journalpost → dokumentbeskrivelse → dokumentobjekt, skrevet fortløpende etter Noark 5 v5.0
(`skjema/noark5/arkivstruktur.xsd`; rekkefølgen på elementene er skjemaets).

Bare arkivformatet (PDF) er med som dokumentobjekt; produksjonsformatet (DOCX) avleveres ikke.
Hvert dokumentobjekt peker på `dokumenter/<sjekksum>.pdf`, som `filer` legger i uttrekket.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from dokumenter.models import Arkivdel, Dokumentbeskrivelse, Dokumentobjekt, Klasse
from dokumenter.noark import kodeverk as kv
from dokumenter.noark.utvalg import IKKE_AVSLUTTET, Grunnlag, Mappe, Post
from dokumenter.noark.xml import NS, Tekstfil, dato, felt, felter, tekst, tid

AS = NS["arkivstruktur"]
KONVERTERT_AV = "LibreOffice (PDF/A-2b), i dokumenter"


def dokumentfil(do: Dokumentobjekt) -> str:
    """Stien til filen i uttrekket; samme innhold er én fil, uansett hvor mange som viser dit."""
    return f"dokumenter/{do.sjekksum}.{do.filtype}"


class Teller:
    def __init__(self) -> None:
        self.antall = {"mappe": 0, "registrering": 0, "dokumentbeskrivelse": 0, "dokumentobjekt": 0}


def skriv(
    f: Tekstfil,
    g: Grunnlag,
    arkivnavn: str,
    arkivskaper: str,
    enhet: str,
    klassifikasjon: tuple[str, str],
    mapper: Iterator[Mappe],
    dokument: Callable[[Dokumentobjekt], None],
    arkivdeler: list[int],
) -> Teller:
    """Skriv hele filen. `dokument` kalles for hvert dokumentobjekt (filen legges i uttrekket),
    `arkivdeler` er arkivdelene som skal med, i rekkefølge."""
    teller = Teller()
    f.skriv(
        f'<arkiv xmlns="{AS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{AS} arkivstruktur.xsd">',
        felter(
            ("systemID", g.arkiv.system_id),
            ("tittel", arkivnavn),
            ("arkivstatus", "Opprettet"),
            ("opprettetDato", tid(g.arkiv.opprettet)),
            ("opprettetAv", kv.SYSTEMET),
            ("avsluttetDato", tid(g.sluttid)),
            ("avsluttetAv", IKKE_AVSLUTTET),
        ),
        "<arkivskaper>",
        felter(("arkivskaperID", arkivskaper), ("arkivskaperNavn", arkivnavn)),
        "</arkivskaper>\n",
    )
    neste = next(mapper, None)
    for arkivdel_id in arkivdeler:
        arkivdel = g.arkivdeler[arkivdel_id]
        f.skriv(_arkivdel_start(g, arkivdel))
        if neste is not None and neste.mappe.arkivdel_id == arkivdel_id:
            f.skriv(_klassifikasjonssystem(arkivdel, klassifikasjon))
            klasse_id = None
            while neste is not None and neste.mappe.arkivdel_id == arkivdel_id:
                if neste.mappe.klasse_id != klasse_id:
                    if klasse_id is not None:
                        f.skriv("</klasse>\n")
                    klasse_id = neste.mappe.klasse_id
                    f.skriv(_klasse(g.klasser[klasse_id]))
                _mappe(f, g, enhet, neste, dokument, teller)
                neste = next(mapper, None)
            f.skriv("</klasse>\n</klassifikasjonssystem>\n")
        f.skriv("</arkivdel>\n")
    f.skriv("</arkiv>\n")
    return teller


def _arkivdel_start(g: Grunnlag, a: Arkivdel) -> str:
    return "<arkivdel>" + felter(
        ("systemID", a.system_id),
        ("tittel", a.tittel),
        ("arkivdelstatus", a.status),
        ("opprettetDato", tid(a.opprettet)),
        ("opprettetAv", kv.SYSTEMET),
        ("avsluttetDato", tid(g.sluttid)),
        ("avsluttetAv", IKKE_AVSLUTTET),
        ("arkivperiodeStartDato", dato(min(g.start, a.periode_start))),
        ("arkivperiodeSluttDato", dato(g.slutt)),
    )


def _klassifikasjonssystem(a: Arkivdel, klassifikasjon: tuple[str, str]) -> str:
    tittel, type_ = klassifikasjon
    return (
        "\n<klassifikasjonssystem>"
        + felter(
            ("systemID", a.klassifikasjonssystem_id),
            ("klassifikasjonstype", type_ or None),
            ("tittel", tittel),
            ("opprettetDato", tid(a.opprettet)),
            ("opprettetAv", kv.SYSTEMET),
        )
        + "\n"
    )


def _klasse(k: Klasse) -> str:
    return "<klasse>" + felter(
        ("systemID", k.system_id),
        ("klasseID", k.klasse_id),
        ("tittel", k.tittel),
        ("opprettetDato", tid(k.opprettet)),
        ("opprettetAv", kv.SYSTEMET),
    )


def _skjerming(metadata: tuple[str, ...], dokument: bool = False) -> str:
    return (
        "<skjerming>"
        + felt("tilgangsrestriksjon", kv.UNNTATT[1])
        + felt("skjermingshjemmel", kv.SKJERMINGSHJEMMEL)
        + "".join(felt("skjermingMetadata", m) for m in metadata)
        + (felt("skjermingDokument", kv.SKJERMING_DOKUMENT) if dokument else "")
        + "</skjerming>"
    )


def _kassasjon(m: Mappe) -> str:
    if m.mappe.kassasjonsvedtak != kv.KASSERES[1] or m.kassasjonsdato is None:
        return ""  # «Bevares»: skjemaets kassasjon krever kassasjonsdato, som ikke finnes da
    return (
        "<kassasjon>"
        + felter(
            ("kassasjonsvedtak", m.mappe.kassasjonsvedtak),
            ("kassasjonshjemmel", m.mappe.kassasjonshjemmel or None),
            ("bevaringstid", m.mappe.bevaringstid or 0),
            ("kassasjonsdato", dato(m.kassasjonsdato)),
        )
        + "</kassasjon>"
    )


def _mappe(
    f: Tekstfil,
    g: Grunnlag,
    enhet: str,
    m: Mappe,
    dokument: Callable[[Dokumentobjekt], None],
    teller: Teller,
) -> None:
    r = m.mappe
    partnavn, orgnr, kontakt = g.parter.get(r.part_id, ("", "", ""))
    f.skriv(
        '<mappe xsi:type="saksmappe">',
        felter(
            ("systemID", r.system_id),
            ("mappeID", f"{r.saksaar}/{r.sakssekvensnummer}"),
            ("tittel", r.tittel),
            ("offentligTittel", r.offentlig_tittel if m.skjermet else None),
            ("opprettetDato", tid(r.opprettet)),
            ("opprettetAv", g.navn(r.opprettet_av_id)),
            ("avsluttetDato", tid(m.avsluttet)),
            ("avsluttetAv", m.avsluttet_av),
        ),
        "<part>",
        felter(
            ("partID", orgnr or None),
            ("partNavn", partnavn),
            ("partRolle", "Avtalepart" if r.avtale_id or not r.plan_nummer else "Institusjon"),
            ("kontaktperson", kontakt or None),
        ),
        "</part>",
        _kassasjon(m),
        _skjerming(kv.SKJERMING_MAPPE) if m.skjermet else "",
        "\n",
    )
    teller.antall["mappe"] += 1
    for post in m.poster:
        _registrering(f, g, m, post, dokument, teller)
    f.skriv(
        felter(
            ("saksaar", r.saksaar),
            ("sakssekvensnummer", r.sakssekvensnummer),
            ("saksdato", dato(r.opprettet.date())),
            ("administrativEnhet", enhet),
            ("saksansvarlig", m.saksansvarlig),
            ("saksstatus", m.saksstatus),
        ),
        "</mappe>\n",
    )


def _registrering(
    f: Tekstfil,
    g: Grunnlag,
    m: Mappe,
    post: Post,
    dokument: Callable[[Dokumentobjekt], None],
    teller: Teller,
) -> None:
    # Den varme veien (én gang per journalpost): f-strenger, og escaping bare av tekst som
    # kommer fra brukerne (titler og navn); systemID, tall, datoer og koder er trygge.
    jp = post.jp
    opprettet, av = tid(jp.opprettet), tekst(g.navn(jp.opprettet_av_id))
    deler = [
        (
            f'<registrering xsi:type="journalpost"><systemID>{jp.system_id}</systemID>'
            f"<opprettetDato>{opprettet}</opprettetDato><opprettetAv>{av}</opprettetAv>"
            f"<arkivertDato>{opprettet}</arkivertDato><arkivertAv>{av}</arkivertAv>"
        )
    ]
    if jp.arkivdel_id != m.mappe.arkivdel_id:
        deler.append(felt("referanseArkivdel", g.arkivdeler[jp.arkivdel_id].system_id))
    if post.skjermet:
        metadata = kv.SKJERMING_REGISTRERING[jp.korrespondanseparttype]
        deler.append(_skjerming((kv.SKJERMING_TITTEL_REGISTRERING, metadata)))
    for db, objekter in post.dokumenter:
        deler.append(_dokumentbeskrivelse(g, m, post, db))
        for do in objekter:
            dokument(do)
            deler.append(_dokumentobjekt(g, do))
            teller.antall["dokumentobjekt"] += 1
        deler.append("</dokumentbeskrivelse>")
        teller.antall["dokumentbeskrivelse"] += 1
    offentlig = felt("offentligTittel", jp.offentlig_tittel) if post.skjermet else ""
    kontakt = felt("kontaktperson", jp.kontaktperson) if jp.kontaktperson else ""
    dato_ = (
        f"<mottattDato>{opprettet}</mottattDato>"
        if jp.journalposttype == "I"
        else f"<sendtDato>{opprettet}</sendtDato>"
        if jp.journalposttype == "U"
        else ""
    )
    deler.append(
        f"<tittel>{tekst(jp.tittel)}</tittel>{offentlig}<korrespondansepart>"
        f"<korrespondanseparttype>{jp.korrespondanseparttype}</korrespondanseparttype>"
        f"<korrespondansepartNavn>{tekst(jp.korrespondansepart)}</korrespondansepartNavn>"
        f"{kontakt}</korrespondansepart><journalaar>{jp.journalaar}</journalaar>"
        f"<journalsekvensnummer>{jp.journalsekvensnummer}</journalsekvensnummer>"
        f"<journalpostnummer>{jp.journalpostnummer}</journalpostnummer>"
        f"<journalposttype>{kv.JOURNALPOSTTYPER[jp.journalposttype]}</journalposttype>"
        f"<journalstatus>{tekst(jp.journalstatus)}</journalstatus>"
        f"<journaldato>{dato(jp.journaldato)}</journaldato>"
        f"<dokumentetsDato>{dato(jp.dokumentets_dato)}</dokumentetsDato>{dato_}"
        "</registrering>\n"
    )
    f.skriv(*deler)
    teller.antall["registrering"] += 1


def _dokumentbeskrivelse(g: Grunnlag, m: Mappe, post: Post, db: Dokumentbeskrivelse) -> str:
    opprettet, av = tid(db.opprettet), tekst(g.navn(db.opprettet_av_id))
    kassert = ""
    if db.kassert is not None:
        kassert = (
            "<kassasjon>"
            + felter(
                ("kassasjonsvedtak", kv.KASSERES[1]),
                ("kassasjonshjemmel", m.mappe.kassasjonshjemmel or None),
                ("bevaringstid", m.mappe.bevaringstid or 0),
                ("kassasjonsdato", dato(m.kassasjonsdato or db.kassert.date())),
            )
            + "</kassasjon><utfoertKassasjon>"
            + felter(("kassertDato", tid(db.kassert)), ("kassertAv", db.kassert_av))
            + "</utfoertKassasjon>"
        )
    skjerming = (
        _skjerming(("Skjerming tittel dokumentbeskrivelse",), dokument=True)
        if post.skjermet
        else ""
    )
    return (
        f"<dokumentbeskrivelse><systemID>{db.system_id}</systemID>"
        f"<dokumenttype>{tekst(db.dokumenttype)}</dokumenttype>"
        f"<dokumentstatus>{kv.DOKUMENTSTATUS[1]}</dokumentstatus>"
        f"<tittel>{tekst(db.tittel)}</tittel><opprettetDato>{opprettet}</opprettetDato>"
        f"<opprettetAv>{av}</opprettetAv>"
        f"<tilknyttetRegistreringSom>{kv.HOVEDDOKUMENT[1]}</tilknyttetRegistreringSom>"
        f"<dokumentnummer>{db.dokumentnummer}</dokumentnummer>"
        f"<tilknyttetDato>{opprettet}</tilknyttetDato><tilknyttetAv>{av}</tilknyttetAv>"
        f"{kassert}{skjerming}"
    )


def _dokumentobjekt(g: Grunnlag, do: Dokumentobjekt) -> str:
    opprettet = tid(do.opprettet)
    konvertering = ""
    if do.konvertert:
        konvertering = (
            f"<konvertering><konvertertDato>{opprettet}</konvertertDato>"
            f"<konvertertAv>{KONVERTERT_AV}</konvertertAv>"
            f"<konvertertFraFormat>{kv.DOCX[0]}</konvertertFraFormat>"
            f"<konvertertTilFormat>{do.format}</konvertertTilFormat>"
            "<konverteringsverktoey>LibreOffice</konverteringsverktoey></konvertering>"
        )
    detaljer = felt("formatDetaljer", do.format_detaljer) if do.format_detaljer else ""
    return (
        f"<dokumentobjekt><systemID>{do.system_id}</systemID>"
        f"<versjonsnummer>{do.versjonsnummer}</versjonsnummer>"
        f"<variantformat>{tekst(do.variantformat)}</variantformat>"
        f"<format>{tekst(do.format)}</format>{detaljer}"
        f"<opprettetDato>{opprettet}</opprettetDato>"
        f"<opprettetAv>{tekst(g.navn(do.opprettet_av_id))}</opprettetAv>"
        f"<referanseDokumentfil>{dokumentfil(do)}</referanseDokumentfil>"
        f"<sjekksum>{do.sjekksum}</sjekksum>"
        f"<sjekksumAlgoritme>{kv.SJEKKSUMALGORITME}</sjekksumAlgoritme>"
        f"<filstoerrelse>{do.filstoerrelse}</filstoerrelse>{konvertering}</dokumentobjekt>"
    )
