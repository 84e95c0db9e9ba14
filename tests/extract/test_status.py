"""Status words, read as a table: what a vendor writes -> the RULES.md status."""

from __future__ import annotations

import pytest

from slipwatch.extract.model import AT_RISK, CANCELLED, DELAYED, DELIVERED, PLANNED
from slipwatch.extract.status import cell_status, read_status


@pytest.mark.parametrize("text, status", [
    # delivered: a done thing, in any tense that reports it
    ("The style guide was delivered this morning.", DELIVERED),
    ("Release 2.3 shipped on Monday.", DELIVERED),
    ("Firmware handed over to your QA team yesterday.", DELIVERED),
    ("Migration scripts deployed to staging.", DELIVERED),
    ("UAT signed off today.", DELIVERED),
    ("Die Schnittstelle wurde gestern geliefert.", DELIVERED),
    ("Le rapport a été livré vendredi.", DELIVERED),
    ("Los planos fueron entregados ayer.", DELIVERED),
    ("Os arquivos foram enviados hoje.", DELIVERED),
    ("Il prototipo è stato consegnato lunedì.", DELIVERED),
    ("Moduł został wdrożony wczoraj.", DELIVERED),
    ("Paczki wyjechały rano do Gdańska.", DELIVERED),
    ("De handleiding is gisteren opgeleverd.", DELIVERED),
    ("Kataloglar dün teslim edildi.", DELIVERED),
    ("Dokumen sudah dikirim kemarin.", DELIVERED),
    ("The renders are up on the portal since noon.", DELIVERED),
    ("De handleiding zal vrijdag worden opgeleverd.", PLANNED),
    ("Dokumen akan dikirim hari Jumat.", PLANNED),
    ("De oplevering is uitgesteld tot maandag.", DELAYED),
    ("Teslimat 20 Kasım'a ertelendi.", DELAYED),
    ("Pengiriman diundur ke Senin.", DELAYED),
    ("De API-koppeling is in gevaar.", AT_RISK),
    ("Entegrasyon risk altında.", AT_RISK),
    ("Integrasi berisiko terlambat.", AT_RISK),
    ("De kiosk-app is geannuleerd.", CANCELLED),
    ("Mobil uygulama iptal edildi.", CANCELLED),
    ("Fitur ekspor dibatalkan.", CANCELLED),
    # ... but not when it is still to come, or only partly there
    ("The report will be delivered on Friday.", PLANNED),
    ("Docs to be shipped once the API is done.", PLANNED),
    ("Der Bericht wird am Freitag geliefert.", PLANNED),
    ("QA is 75% complete.", PLANNED),
    # delayed: the date moved later
    ("The beta slips to 14 Dec.", DELAYED),
    ("Go-live pushed to January.", DELAYED),
    ("Revised ETA for the API: 20 Nov.", DELAYED),
    ("Data load will now be on the 9th.", DELAYED),
    ("We need three more days for the import.", DELAYED),
    ("Die Abnahme ist auf den 12.12. verschoben.", DELAYED),
    ("La livraison est décalée au 4 décembre.", DELAYED),
    ("La entrega se retrasa al lunes.", DELAYED),
    ("A entrega foi adiada para sexta.", DELAYED),
    ("La consegna slitta a venerdì.", DELAYED),
    ("Odbiór jest opóźniony do piątku.", DELAYED),
    # at risk: may slip, no new date
    ("The pen test is at risk.", AT_RISK),
    ("Blocked on your VPN access.", AT_RISK),
    ("We might not make Friday.", AT_RISK),
    ("We can't promise the 15th.", AT_RISK),
    ("The cutover may slip.", AT_RISK),
    ("Der Termin ist gefährdet.", AT_RISK),
    ("La fecha está en riesgo.", AT_RISK),
    # cancelled
    ("The kiosk app was descoped.", CANCELLED),
    ("Loyalty module on hold indefinitely.", CANCELLED),
    ("Phase 3 cancelled by the steering group.", CANCELLED),
    ("Das Modul wurde gestrichen.", CANCELLED),
    ("La fonctionnalité est annulée.", CANCELLED),
    # a release tagged or out; a person out of office is no delivery
    ("21.1.0-rc1 is tagged.", DELIVERED),
    ("2.4.0-rc2 tagged and pushed, binaries on the releases page.", DELIVERED),
    ("Firmware 2.4.0-rc2 is out.", DELIVERED),
    ("Maria is out until Monday.", PLANNED),
    # German "Termine" (dates) is not French "terminé"
    ("Nachbestellung Faltschachtel – neue Termine", PLANNED),
    ("Il termine la maquette lundi.", PLANNED),
    ("The beta has been pushed to Friday.", DELAYED),
    # a writer who calls an item off or warns it can be late, in plain words
    ("Sorry, the walnut shelf (planned for 22.10.) we must cancel.", CANCELLED),
    ("The lacquer is still not here, so the bedside tables can be late.", AT_RISK),
    # planned: everything else
    ("Handover docs by Friday.", PLANNED),
    ("Push notifications: in progress, target next week.", PLANNED),
    ("No delay expected on the API.", PLANNED),
])
def test_status_words(text: str, status: str) -> None:
    assert read_status(text).status == status


@pytest.mark.parametrize("text, status", [
    # status cues that are registry data (slipwatch/lang/<code>.json, "status")
    ("Krabice jsme přijali 28. září, vše v pořádku.", DELIVERED),
    ("Felhasználói dokumentáció: okt. 29-én feltöltöttük.", DELIVERED),
    ("Traducerea a fost livrată pe 10 martie.", DELIVERED),
    ("Bản dịch đã giao ngày 10 tháng 3.", DELIVERED),
    ("翻訳リソースは6月19日に納品いたしました。", DELIVERED),
    ("试产批已交付。", DELIVERED),
    ("베타 빌드 일정이 연기되었습니다.", DELAYED),
    ("リリースは延期します。", DELAYED),
    ("发布会取消了。", CANCELLED),
    # a release announced
    ("Kestrel 6.0 is now available.", DELIVERED),
    ("Caju 5.5.0 (rc2) já está disponível.", DELIVERED),
    ("La versione 2.1 è disponibile.", DELIVERED),
])
def test_status_words_from_the_language_registry(text: str, status: str) -> None:
    assert read_status(text).status == status


@pytest.mark.parametrize("text, earlier", [
    ("The audit was pulled in to Monday.", True),
    ("Ex-works moved up from 21 Dec to 18 Dec.", True),
    ("Die Lieferung wurde vorgezogen.", True),
    ("La entrega se ha adelantado.", True),
    ("The audit slips to Monday.", False),
])
def test_moves_earlier_are_told_apart(text: str, earlier: bool) -> None:
    assert read_status(text).earlier is earlier


@pytest.mark.parametrize("text, reported", [
    ("Search is done.", True),          # a fact: datable on the day it is told
    ("complete – all tests green", True),
    ("Every batch contains files uploaded to SFTP.", False),  # a description
])
def test_deliveries_reported_as_facts(text: str, reported: bool) -> None:
    assert read_status(text).reported is reported


@pytest.mark.parametrize("cell, status", [
    ("Done", DELIVERED), ("Completed on 14-Oct", DELIVERED), ("100%", DELIVERED), ("100 %", DELIVERED),
    ("Green – signed off today", DELIVERED),
    ("Stuck", AT_RISK), ("Blocked", AT_RISK), ("Amber – depends on ERP vendor", AT_RISK), ("At Risk", AT_RISK),
    ("Delayed", DELAYED), ("Revised", DELAYED),
    # a cell leads with its status; what its explanation tells of other things does not count
    ("Delayed – comparator lot arrived late", DELAYED), ("Done (was late)", DELIVERED),
    # the colours of a RAG column in the registry's languages
    ("Oranžová", AT_RISK), ("Červená", AT_RISK), ("Zelená", PLANNED), ("Sarı", AT_RISK), ("Orange", AT_RISK),
    ("黄色", AT_RISK), ("Żółty", AT_RISK),
    # a shipping schedule's kind of date: what happened, not the estimate
    ("Actual", DELIVERED), ("(A)", DELIVERED),
    ("Descoped", CANCELLED), ("Cancelado / Cancelled", CANCELLED), ("On hold", CANCELLED),
    ("Working on it", PLANNED), ("In Progress", PLANNED), ("Not started", PLANNED), ("Green", PLANNED),
    ("On track", PLANNED), ("Adelantado / Moved earlier", PLANNED),
    ("60%", None), ("", None),
])
def test_status_cells(cell: str, status: str | None) -> None:
    assert cell_status(cell) == status


@pytest.mark.parametrize("text, status", [
    # a reason clause speaks of something else
    ("Moved to 8 Jan because the returns policy is still being finalised.", PLANNED),
    ("The install slips to Friday, as the crane was delivered late.", DELAYED),
    # a delivery word before a deadline is a commitment, not a report
    ("Dry run done by Thursday 17:00 CET.", PLANNED),
    ("All assets completed before 20 Nov.", PLANNED),
    ("Completed by Jane on Oct 30.", DELIVERED),
    ("The manual was completed by 5 Nov.", DELIVERED),
    # the future words govern their whole clause, however long
    ("The cloud images follow on Thursday, once the last round of testing in the public clouds is done.", PLANNED),
    # "being" keeps it in progress
    ("The spec is being finalised this week.", PLANNED),
    # Romanian
    ("Livrat pe 03.12.2026", DELIVERED),
    ("Amânat pentru ianuarie", DELAYED),
])
def test_reasons_deadlines_and_progress(text, status):
    assert read_status(text).status == status


@pytest.mark.parametrize("cell, status", [
    ("Blue", DELIVERED),          # BRAG: blue is complete
    ("Livrat / Delivered", DELIVERED),
    ("Grey", None),               # greyed out says nothing by itself
])
def test_more_status_cells(cell, status):
    assert cell_status(cell) == status


@pytest.mark.parametrize("text, status", [
    # a date that holds outranks the slip its sentence mentions
    ("Final CSR v1.0, signed - 30 April 2027, unchanged; we absorb the slip in the QC window.", PLANNED),
    # registry words match without their accents and with any ending after a "*"
    ("Livraison annulee par le client.", CANCELLED),
    ("Teslimat gecikti.", DELAYED),
    # " … " spans the words a separable verb puts between its parts
    ("De draaidag schuift een week op.", DELAYED),
    ("De 6-seconden bumpers laten we vallen.", CANCELLED),
    # "extended" is a delay only when a date is extended, not extended support
    ("Trellis 4.2 LTS reaches the end of extended support on April 30.", PLANNED),
    ("The deadline was extended to 12 May.", DELAYED),
    # "ready for pick-up on Thursday" is no delivery yet, "a du retard" no new date
    ("Ławki (produkcja seryjna): gotowe do odbioru w czwartek o 17:00 CET.", PLANNED),
    ("Le fournisseur de doublure a du retard, la date du 30 octobre est compromise.", AT_RISK),
    # a check mark says done; a suspended light fixture is no suspended item
    ("Joint silicone comptoir : repris le 4 juin ✓", DELIVERED),
    ("Luminaire suspendu n°3 : la pose passe du 12/06 au 26/06.", PLANNED),  # a move: the dates tell its way
    ("A használatbavételi engedélyt augusztus 28-án megkaptuk.", DELIVERED),
    # a negation in any of its spellings keeps a delivery word from reporting one
    ("We couldn't have done it without you.", PLANNED),
])
def test_registry_cue_words(text: str, status: str) -> None:
    assert read_status(text).status == status
