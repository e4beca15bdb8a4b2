# isms-site: Oberflächentexte, Deutsch.
# Einzelne Zeilen lassen sich in content/translations/de.ftl überschreiben
# (siehe docs/user-guide.md, Sprache).

## Formats
number-decimal-separator = {","}
date-long = { $day }. { $month } { $year }
date-month-year = { $month } { $year }
date-day-month-year = { $day }. { $month } { $year }
date-month-short-year = { $month } { $year }
month-long-1 = Januar
month-long-2 = Februar
month-long-3 = März
month-long-4 = April
month-long-5 = Mai
month-long-6 = Juni
month-long-7 = Juli
month-long-8 = August
month-long-9 = September
month-long-10 = Oktober
month-long-11 = November
month-long-12 = Dezember
month-short-1 = Jan.
month-short-2 = Feb.
month-short-3 = März
month-short-4 = Apr.
month-short-5 = Mai
month-short-6 = Juni
month-short-7 = Juli
month-short-8 = Aug.
month-short-9 = Sept.
month-short-10 = Okt.
month-short-11 = Nov.
month-short-12 = Dez.
sentence-end = .
days-ago = { $count ->
    [one] vor { $count } Tag
   *[other] vor { $count } Tagen
}

## Names of the values written in YAML
status-not-started = Nicht begonnen
status-planned = Geplant
status-in-progress = In Bearbeitung
status-completed = Abgeschlossen
status-cancelled = Abgebrochen
level-high = Hoch
level-medium = Mittel
level-low = Niedrig
source-internal-audit = Internes Audit
source-external-audit = Externes Audit
source-incident = Sicherheitsvorfall
source-nonconformity = Nichtkonformität
source-management-review = Managementbewertung
source-risk-assessment = Risikobeurteilung
source-feedback = Rückmeldung
source-monitoring = Überwachung
source-other = Sonstiges
entry-type-improvement = Verbesserung
entry-type-corrective-action = Korrekturmaßnahme
entry-type-preventive-action = Vorbeugungsmaßnahme
effectiveness-result-effective = Wirksam
effectiveness-result-partially-effective = Teilweise wirksam
effectiveness-result-not-effective = Nicht wirksam
severity-major = Schwerwiegend
severity-minor = Geringfügig
severity-observation = Beobachtung
direction-increase = Höher ist besser
direction-decrease = Niedriger ist besser
review-kind-management-review = Managementbewertung
review-kind-internal-audit = Internes Audit
review-kind-external-audit = Externes Audit
review-kind-progress-review = Fortschrittsbesprechung
audience-public = öffentlich
audience-internal = intern
audience-restricted = vertraulich
finding-state-open = Offen
finding-state-reopened = Wieder geöffnet
finding-state-awaiting-verification = Wirksamkeit ungeprüft
finding-state-closed = Geschlossen
decision-state-done = Erledigt
decision-state-open = Offen
decision-state-overdue = Überfällig
decision-state-untracked = Nicht im Register verfolgt

## Every page (base.html)
feed-title = Änderungen im Register
skip-to-content = Zum Inhalt springen
nav-main = Hauptnavigation
nav-dashboard = Übersicht
nav-register = Register
nav-plans = Pläne
nav-reviews = Bewertungen
nav-nonconformities = Nichtkonformitäten
nav-objectives = Ziele
nav-risks = Risiken
nav-owners = Verantwortliche
nav-controls = Maßnahmen
nav-tags = Schlagwörter
search-label = Suche
search-placeholder = Einträge, Pläne, Bewertungen
search-go = Los
footer-figures-as-of = Zahlen zum
footer-for-audience = für den Leserkreis „{ $audience }“
footer-content = Inhaltsstand
footer-data = Daten:
footer-status = Status:
footer-priority = Priorität:
footer-source = Quelle:
footer-index = Übersicht

## Shared parts (partials/)
entries = Einträge
col-title = Verbesserungsmöglichkeit
col-status = Status
col-priority = Priorität
col-owner = Verantwortlich
col-target = Zieltermin
col-items = Anzahl
overdue-days-short = { $count } T. überfällig
no-entries = Keine Einträge.
n-of-total-shown = { $shown } von { $total } angezeigt
all-n-what = alle { $total } ({ $what })
all-n = alle { $total }
restricted-stubs = { $count ->
    [one] { $count } Eintrag wird für diesen Leserkreis nur als vertraulicher Platzhalter gezeigt; die Zahlen schließen ihn ein.
   *[other] { $count } Einträge werden für diesen Leserkreis nur als vertrauliche Platzhalter gezeigt; die Zahlen schließen sie ein.
}
chart-numbers-behind = Die Zahlen zu „{ $title }“
revisions = Änderungsverlauf
last-updated = Zuletzt geändert
earlier-revisions = { $count ->
    [one] Dazu { $count } frühere Änderung.
   *[other] Dazu { $count } frühere Änderungen.
}
pack-identified-in-period = { $count } im Zeitraum erfasst:

## Dashboard (index.html)
this-period = dieser Zeitraum
date-to = bis
date-on = am
since-the = seit
since-register-began-no-review = seit Beginn des Registers (noch keine Managementbewertung)
period-closed-by-before = Zeitraum abgeschlossen durch
period-closed-by-after = {""}
summary-for-management = Zusammenfassung für die Leitung
card-completed-in-period = im Zeitraum abgeschlossen
nothing-completed-in-period = Im Zeitraum wurde nichts abgeschlossen.
last-completion = Zuletzt abgeschlossen:
outcomes = Ergebnisse
all-completed = alle abgeschlossenen
card-overdue = überfällig
unassigned = nicht zugewiesen
days-late = { $count ->
    [one] { $count } Tag verspätet
   *[other] { $count } Tage verspätet
}
most-overdue = Am meisten überfällig:
n-overdue-of-open = { $overdue } überfällig von { $open } offenen
all-n-overdue = alle { $total } überfälligen
nothing-overdue = Nichts ist überfällig.
open-nonconformities = Offene Nichtkonformitäten
nc-open-major = offen, schwerwiegend
nc-open-minor = offen, geringfügig
n-with-no-follow-up = { $count } ohne Folgemaßnahme
none-recorded = Keine erfasst.
before-next-review = Bis zur nächsten Bewertung am
n-actions-due = { $count ->
    [one] { $count } Maßnahme fällig
   *[other] { $count } Maßnahmen fällig
}
n-milestones = { $count ->
    [one] { $count } Meilenstein
   *[other] { $count } Meilensteine
}
n-effectiveness-reviews = { $count ->
    [one] { $count } Wirksamkeitsprüfung
   *[other] { $count } Wirksamkeitsprüfungen
}
review-was-due-days-ago = { $count ->
    [one] (die Bewertung war vor { $count } Tag fällig)
   *[other] (die Bewertung war vor { $count } Tagen fällig)
}
due = fällig
next-review-estimated = Geschätzt: die letzte Managementbewertung zuzüglich des üblichen Abstands von { $days } Tagen.
next-review-set = In site.yaml festgelegt.
next-review = Nächste Bewertung
no-review-yet = Noch keine Managementbewertung erfasst und kein
no-review-yet-set = festgelegt.
trend-heading = Entwicklung: { $direction }
trend-better = besser
trend-same = unverändert
trend-worse = schlechter
trend-open = Offen
trend-overdue = überfällig
trend-since-review = seit { $review }
trend-since-began = seit Beginn des Registers
trend-charts = Diagramme zur Entwicklung
found-effective = als wirksam bewertet
effectiveness-summary = { $effective } von { $reviewed } geprüften; { $unreviewed } von { $completed } abgeschlossenen noch nicht geprüft.
n-effectiveness-reviews-due = { $count ->
    [one] { $count } Wirksamkeitsprüfung fällig, { $overdue } überfällig
   *[other] { $count } Wirksamkeitsprüfungen fällig, { $overdue } überfällig
}
overdue-actions = Überfällige Maßnahmen
what-overdue = überfällig
what-not-effective = nicht wirksam
what-completed = abgeschlossen
what-open = offen
targets-extended = Wiederholt verschobene Zieltermine
extended-times = { $count }× verschoben
originally = ursprünglich
now = jetzt
plus-days = { $count ->
    [one] +{ $count } Tag
   *[other] +{ $count } Tage
}
most-extended-first = am häufigsten verschobene zuerst.
overdue-plan-milestones = Überfällige Meilensteine der Pläne
longest-overdue-first = am längsten überfällige zuerst
all-overdue-milestones = alle { $total } überfälligen Meilensteine in den Plänen
not-effective-unfollowed = Als nicht wirksam bewertete Maßnahmen ohne Folgemaßnahme
every-not-effective-followed = Jede als nicht wirksam bewertete Maßnahme hat eine Folgemaßnahme.
who-owns-open-work = Wer die offenen Maßnahmen verantwortet
work-by-owner = Offene und überfällige Maßnahmen je Verantwortlichem
col-owner-short = Verantwortlich
col-open = Offen
col-overdue = Überfällig
owners-shown = { $shown } von { $total } Verantwortlichen mit offenen Maßnahmen angezeigt, am meisten überfällige zuerst
all-n-owners = alle { $total } Verantwortlichen
no-open-work = Keine offenen Maßnahmen.
completed-in-period-outcomes = Im Zeitraum abgeschlossen — Ergebnisse
latest-completed-before-period = Zuletzt abgeschlossen, vor diesem Zeitraum — Ergebnisse
completed-on = abgeschlossen am
n-of-completed-in-period-shown = { $shown } von { $total } im Zeitraum abgeschlossenen angezeigt
all-n-completed = alle { $total } abgeschlossenen
nothing-completed-yet = Noch nichts abgeschlossen.
trends-and-prioritisation = Entwicklung und Priorisierung
unrated-items = { $count ->
    [one] Nutzen × Aufwand: nicht bewertet: { $count } offener Eintrag.
   *[other] Nutzen × Aufwand: nicht bewertet: { $count } offene Einträge.
}
more-figures = Weitere Kennzahlen
completed-on-time = termingerecht abgeschlossen
on-time-detail = { $part } von { $of } mit Zieltermin, gemessen am ursprünglichen Termin;
against-moved-targets = gemessen an verschobenen Terminen
items-in-register = Einträge im Register
open-lower = offen
median-days-to-complete = Tage bis zum Abschluss (Median)
median-age-open = Alter offener Einträge in Tagen (Median)
oldest = ältester { $days }
reviewed-for-effectiveness = der abgeschlossenen Maßnahmen auf Wirksamkeit geprüft
kpis-met-missed = Kennzahlen erfüllt, { $missed } verfehlt
kpis-tile-detail = von { $total }; { $no_data } noch nicht gemessen, { $no_target } ohne Zielwert
n-of-m = { $part } von { $of }
effectiveness-reviews-due = Fällige Wirksamkeitsprüfungen
overdue-lower = überfällig
earliest-due-first = früheste Fälligkeit zuerst.
rollups = Auswertungen
by-status = Nach Status
by-priority = Nach Priorität
by-type = Nach Art
by-source = Nach Quelle
most-addressed-controls = Am häufigsten betroffene Maßnahmen
col-type = Art
col-source = Quelle
col-control = Maßnahme
about-register = Über dieses Register
date-of-creation = Angelegt am
responsible-person = Verantwortliche Person
calendar-intro = Alle offenen Zieltermine und Meilensteine als Kalender:
download-calendar = calendar.ics herunterladen
or = oder
subscribe-mail-client = im E-Mail-Programm abonnieren
calendar-owners = ; jede Seite eines Verantwortlichen hat einen eigenen Kalender.

## Register (register.html)
improvement-register = Verbesserungsregister
n-entries = { $count ->
    [one] { $count } Eintrag
   *[other] { $count } Einträge
}
register-page-of = nach Kennung geordnet; Seite { $page } von { $pages } zeigt { $first }–{ $last }
other-pages = weitere Seiten
download-as = Herunterladen als
filter-register = Register filtern
filter-text = Text
col-tag = Schlagwort
col-risk = Risiko
filter-all = Alle
overdue-only = Nur überfällige
filter-clear = Zurücksetzen
sort-by = Sortieren nach
register-entries-range = Registereinträge { $first } bis { $last } von { $total }
all-register-entries = Alle Registereinträge
col-description = Beschreibung
col-identified = Erfasst
col-outcome = Ergebnisse
register-pages = Seiten des Registers
previous = Zurück
next = Weiter

## An entry (entry.html)
breadcrumb = Pfad
overdue-colon = Überfällig:
overdue-banner = { $count ->
    [one] Der Zieltermin { $target } ist seit { $count } Tag verstrichen, und der Eintrag ist weiterhin „{ $status }“.
   *[other] Der Zieltermin { $target } ist seit { $count } Tagen verstrichen, und der Eintrag ist weiterhin „{ $status }“.
}
target-completion = Zieltermin
action-owner = Maßnahmenverantwortlich
n-days = { $count ->
    [one] { $count } Tag
   *[other] { $count } Tage
}
age = Alter
n-days-open = { $count ->
    [one] seit { $count } Tag offen
   *[other] seit { $count } Tagen offen
}
benefit = Nutzen
effort = Aufwand
controls-and-clauses = Maßnahmen und Normabschnitte
risks-treated = Behandelte Risiken
reference = Referenz
severity = Schweregrad
requirement = Anforderung
raised = Festgestellt
by-person = von { $person }
findings-this-entry-serves = { $count ->
    [one] Feststellung, zu der dieser Eintrag gehört
   *[other] Feststellungen, zu denen dieser Eintrag gehört
}
no-follow-up = keine Folgemaßnahme
raised-lower = festgestellt am
closed-lower = geschlossen am
chain-colon = Kette:
correction = Korrektur
root-cause = Ursache
resources = Ressourcen
effectiveness-review = Wirksamkeitsprüfung
reviewed-lower = geprüft am
due-capital = Fällig am
nobody-recorded-effectiveness = Noch niemand hat festgehalten, ob diese Maßnahme gewirkt hat.
related-entries = Zugehörige Einträge
follows-up = Folgemaßnahme zu
followed-up-by = Folgemaßnahme:
related-colon = Verwandt:
lessons-learned = Erkenntnisse
history = Verlauf
identified-lower = erfasst
target-set-to = Zieltermin geändert auf
status-timeline = Statusverlauf (für das Register zu früheren Stichtagen)
from = Ab
kpis = Kennzahlen (KPIs)
kpi-unit = Einheit
kpi-baseline = Ausgangswert
kpi-target = Zielwert
kpi-latest = zuletzt
target-met = Ziel erreicht
target-not-yet-met = Ziel noch nicht erreicht
evidence = Nachweise
external = extern
plans-and-reviews = Pläne und Bewertungen
no-plan-or-review = Noch kein Plan und keine Bewertung verweist auf diesen Eintrag.
improvement-plans = Verbesserungspläne
discussed-in-reviews = Besprochen in Bewertungen

## Plans and reviews
updated = Aktualisiert
approved = Freigegeben
not-recorded = nicht erfasst
milestones-reached = Erreichte Meilensteine
milestones = Meilensteine
percent-reached = { $percent } % erreicht
milestone = Meilenstein
done = Erledigt
state = Stand
done-late = Verspätet erledigt
entries-in-plan = Registereinträge in diesem Plan
plan = Plan
overdue-milestones = Überfällige Meilensteine
no-plans-yet = Noch keine Pläne.
reviews-intro = Managementbewertungen, Audits und Fortschrittsbesprechungen, neueste zuerst.
input-pack-next = Eingaben für die nächste Managementbewertung
input-pack-what = 9.3.2: was sich seit der letzten geändert hat, aus dem Register
date = Datum
review = Bewertung
kind = Art
no-reviews-yet = Noch keine Bewertungen.
attendees = Teilnehmende
input-pack = Eingaben
inputs-from-register = Eingaben aus dem Register (9.3.2)
notes = Notizen
decisions-heading = Beschlüsse und was aus ihnen wurde ({ $count })
what-became-by = Stand der Umsetzung am
owner-person = verantwortlich: { $person }
entries-discussed = Besprochene Einträge
as-they-stood-on = Stand am
each-page-as-of = die Seite jedes Eintrags zeigt den Stand vom
now-capital = Heute
status-on = Status am { $date }
target-on = Zieltermin am { $date }
and-n-more = Dazu { $count } weitere:
continual-improvement = Fortlaufende Verbesserung
register-as-it-stood = Das Register mit Stand vom
computed-from-history = berechnet aus dem Verlauf jedes Eintrags.
items-by-status-on = Einträge nach Status am { $date } ({ $open } offen)
since-previous-review = seit der vorigen Bewertung
up-to-this-review = bis zu dieser Bewertung
completed-since-previous = Seit der vorigen Bewertung abgeschlossen
latest-completions-shown = Die zuletzt abgeschlossenen werden gezeigt.
overdue-on = überfällig am { $date }
overdue-on-review-date = Überfällig am Tag der Bewertung
longest-overdue-on-shown = Die am { $date } am längsten überfälligen werden gezeigt.

## Owners, controls, tags, sources
taxonomy-owners = Verantwortliche
taxonomy-statuses = Status
taxonomy-priorities = Prioritäten
taxonomy-sources = Quellen
not-given = Nicht angegeben
not-yet-identified = Noch nicht erfasst
controls-group-annex-a-5 = Anhang A, Thema 5 — Organisatorische Maßnahmen
controls-group-annex-a-6 = Anhang A, Thema 6 — Personenbezogene Maßnahmen
controls-group-annex-a-7 = Anhang A, Thema 7 — Physische Maßnahmen
controls-group-annex-a-8 = Anhang A, Thema 8 — Technologische Maßnahmen
controls-group-annex-a-other = Anhang A — Sonstige
controls-group-clause-4 = Abschnitt 4 — Kontext der Organisation
controls-group-clause-5 = Abschnitt 5 — Führung
controls-group-clause-6 = Abschnitt 6 — Planung
controls-group-clause-7 = Abschnitt 7 — Unterstützung
controls-group-clause-8 = Abschnitt 8 — Betrieb
controls-group-clause-9 = Abschnitt 9 — Bewertung der Leistung
controls-group-clause-10 = Abschnitt 10 — Verbesserung
controls-group-other = Weitere Verweise
col-heading-title = Bezeichnung
applicable = Anwendbar
not-applicable = Nicht anwendbar
all-items = Alle Einträge
yes = Ja
no = Nein
none-yet = Noch keine.
entries-in-all = Einträge insgesamt
all-entries-of-in-register = alle { $total } Einträge zu { $name } im Register
due-dates-of-as-calendar = Termine von { $name } als Kalender:
open-nearest-first = Offen, nächster Zieltermin zuerst
recently-completed = Zuletzt abgeschlossen

## Nonconformities
n-findings-not-closed = { $count ->
    [one] { $count } Feststellung; { $open } nicht geschlossen
   *[other] { $count } Feststellungen; { $open } nicht geschlossen
}
nc-explain-1 = Eine Feststellung je Referenz: Wird sie erneut festgestellt, bleibt es eine Feststellung. Ihr Stand folgt ihrer Kette — den Einträgen, die sie tragen, und allen Folgemaßnahmen dazu:
nc-state-open = offen
nc-explain-open = solange einer davon offen ist;
nc-state-reopened = wieder geöffnet
nc-explain-reopened = wenn die letzte Wirksamkeitsprüfung eine Maßnahme als nicht wirksam bewertet hat (markiert mit „keine Folgemaßnahme“, solange keine folgt);
nc-state-awaiting-verification = Wirksamkeit ungeprüft
nc-explain-awaiting = wenn die letzte Maßnahme abgeschlossen, aber noch nicht geprüft ist;
nc-state-closed = geschlossen
nc-explain-closed = wenn diese Prüfung sie als wirksam bewertet hat. Die offenen Tage zählen vom Tag der Feststellung bis zur schließenden Prüfung oder bis zum
n-not-closed-of = { $open } von { $total } nicht geschlossen
severity-nonconformities = Nichtkonformitäten: { $severity }
finding = Feststellung
days-open = Tage offen
chain = Kette
effectiveness = Wirksamkeit
raised-n-times = { $count }-mal festgestellt
recorded = Erfasst
missing = Fehlt
not-reviewed = Nicht geprüft

## Management review input pack
pack-period-intro = Eingaben nach ISO/IEC 27001:2022 Abschnitt 9.3.2 aus dem Register, für den Zeitraum
since = seit
after = nach dem
up-to-and-including = bis einschließlich
as-of-date-of-site = dem Stichtag dieser Website
every-entry-as-it-stood = Jeder Eintrag zeigt seinen Stand am
changes-as-data = Die Änderungen als Daten:
pack-a = a) Stand der Maßnahmen aus früheren Managementbewertungen
decided-at = Beschlossen in
no-decisions = In früheren Bewertungen sind keine Beschlüsse erfasst
front-matter = Kopfdaten
pack-b = b) Veränderungen im Zeitraum
changes-after-up-to = Änderungen nach dem { $from_ } bis zum { $to }
new-entries = Neue Einträge
status-changes = Statusänderungen
target-dates-moved = Verschobene Zieltermine
effectiveness-reviews = Wirksamkeitsprüfungen
all-in-changes-json = alle in changes.json.
pack-c = c) Informationssicherheitsleistung
nc-and-corrective-actions = Nichtkonformitäten und Korrekturmaßnahmen
pack-findings-summary = { $new } im Zeitraum festgestellt, { $closed } geschlossen und { $reopened } durch eine Wirksamkeitsprüfung im Zeitraum wieder geöffnet; { $open } am { $date } nicht geschlossen.
state-on = Stand am { $date }
new-lower = neu
monitoring-results = Ergebnisse von Überwachung und Messung
kpis-fulfilment = Erfüllung der Ziele, soweit KPIs sie messen: { $met } von { $total } KPIs mit Zielwert erreichen ihn
kpis-miss = { $count } verfehlen ihn
kpis-no-target = { $count } haben keinen Zielwert
kpis-short = KPIs
entry = Eintrag
kpi = KPI
latest = Letzter Wert
result = Ergebnis
before-the-period = vor dem Zeitraum
none-lower = keiner
kpi-met = Erreicht
kpi-missed = Verfehlt
kpi-no-target = Kein Zielwert
no-kpi-measured-by = Bis zum { $date } keine KPI gemessen.
audit-results = Auditergebnisse
no-audit-in-period = Im Zeitraum fand kein Audit statt.
no-audit-entries = Keine Einträge aus Audits im Zeitraum erfasst.
pack-d = d) Rückmeldungen interessierter Parteien
no-feedback-entries = Keine Einträge aus Rückmeldungen im Zeitraum erfasst.
pack-e = e) Ergebnisse der Risikobeurteilung und Stand der Risikobehandlung
no-risk-entries = Keine Einträge aus der Risikobeurteilung im Zeitraum erfasst.
pack-f = f) Möglichkeiten zur fortlaufenden Verbesserung
no-improvement-entries = Keine Verbesserungseinträge im Zeitraum erfasst.

## Objectives and KPIs (objectives.html; the sparklines' text)
objectives-title = Ziele und Kennzahlen
kpi-counts = { $total ->
    [one] { $total } Kennzahl
   *[other] { $total } Kennzahlen
}: { $met } erfüllt, { $missed } verfehlt, { $no_target } ohne Zielwert, { $no_data } noch nicht gemessen
n-objectives = { $count ->
    [one] { $count } Ziel
   *[other] { $count } Ziele
}
objectives-explain-before = Der letzte Messwert jeder Kennzahl bis zum
objectives-explain-after = im Vergleich mit ihrem Zielwert, in der Richtung, die für die Kennzahl als besser gilt. Kennzahlen, die kein Ziel nennt, stehen unter „Weitere Kennzahlen“.
objective-met-missed-of = { $met } erfüllt, { $missed } verfehlt von { $total }
objective-owner = Verantwortlich: { $owner }
objective-target = Zielvorgabe: { $target }
kpis-of = Kennzahlen zu { $title }
kpi-standing = Stand
kpi-trend = Verlauf
kpi-measured-on = am
too-few-measurements = zu wenige Messwerte
no-kpi-for-objective = Noch keine Kennzahl misst dieses Ziel.
other-kpis-more = { $count ->
    [one] Eine weitere Kennzahl steht auf der Seite ihres Eintrags; die Exporte enthalten alle Kennzahlen:
   *[other] { $count } weitere Kennzahlen stehen auf den Seiten ihrer Einträge; die Exporte enthalten alle Kennzahlen:
}
other-kpis = Weitere Kennzahlen
standing-met = Erfüllt
standing-missed = Verfehlt
standing-no-target = Kein Zielwert
standing-no-data = Keine Messwerte
spark-point = { $value } am { $date }
spark-label = Verlauf von { $name }: { $values }{ $target ->
    [none] {""}
   *[other] ; Zielwert { $target }
}

## Risks (risks.html)
risks-summary = { $risks ->
    [one] { $risks } Risiko
   *[other] { $risks } Risiken
} im Risikokatalog; { $treated ->
    [one] { $treated } Registereintrag behandelt
   *[other] { $treated } Registereinträge behandeln
} eines oder mehrere davon.
risks-explain = Jedes Risiko mit den Registereinträgen, die es behandeln (Risikobehandlung, ISO/IEC 27001 6.1.3); jede Eintragsseite verweist hierher zurück.
risk-owner = Risikoeigentümer
risk-level = Risikostufe
risk-treatment = Behandlung
no-entry-treats-risk = Noch kein Registereintrag behandelt dieses Risiko.
risks-uncatalogued = Von Einträgen genannt, nicht im Katalog

## Group site (group_base.html, group_index.html, group_register.html)
group-dashboard = Gruppenübersicht
combined-register = Gemeinsames Register
group-view-as-of = Gruppenansicht zum
group-made-from = , erstellt aus der jeweils veröffentlichten
group-summary = { $registers ->
    [one] { $registers } Register
   *[other] { $registers } Register
}, { $entries ->
    [one] { $entries } Eintrag
   *[other] { $entries } Einträge
}; Zahlen zum
group-own-period = , jeweils für den eigenen Zeitraum der Managementbewertung.
group-not-all-as-of = Nicht alle Register haben den Stand
group-differing-explain = Ihre Zahlen gelten zu ihrem eigenen Datum (unten markiert), und die Summen addieren Zahlen verschiedener Tage.
group-total = Gruppe gesamt
group-nc-open = offen schwerwiegende, { $minor } geringfügige, { $observation } Beobachtungen (Nichtkonformitäten)
group-nc-states = { $open } offen, { $reopened } wieder geöffnet, { $awaiting } Wirksamkeit ungeprüft, { $closed } geschlossen
group-effective-detail = { $effective } von { $reviewed } bewertet; { $completed } abgeschlossen
of-total = von { $total }
group-compared = Register im Vergleich
group-col-register = Register
group-col-as-of = Stand
group-col-completed = Im Zeitraum abgeschlossen
group-col-nc-open = Offene NK (schwerw. / geringf. / Beob.)
group-col-nc-states = NK-Status (offen / wieder geöffnet / ungeprüft / geschlossen)
group-col-effective = Wirksam
group-col-kpis = Kennzahlen erfüllt / verfehlt
group-other-date = anderes Datum
group-total-row = Gesamt
group-mixed-dates = verschiedene Daten
group-combined-link = Zum gemeinsamen Register →
group-entries-of-registers = { $total ->
    [one] { $total } Eintrag
   *[other] { $total } Einträge
} aus { $registers ->
    [one] { $registers } Register
   *[other] { $registers } Registern
}
group-page-of = Seite { $page } von { $pages } zeigt { $first }–{ $last }
group-links-own = Jeder Eintrag verweist auf die Seite seines eigenen Registers.
group-filter = Gemeinsames Register filtern
group-entries-range = Einträge { $first } bis { $last } von { $total }
group-pages = Seiten des gemeinsamen Registers

## Feed
feed-subtitle = Änderungen im Register: neue Einträge, Statusänderungen, Abschlüsse, Bewertungen

## Charts
chart-date = Datum
chart-month = Monat
chart-value = Wert
chart-all-open = Alle offenen
chart-open-by-status = Offene Einträge nach Status im Zeitverlauf
chart-open-by-status-desc = Liniendiagramm der Zahl offener Registereinträge am Monatsende, nach Status.
chart-open-items = Offene Einträge
chart-opened-completed = Erfasst und abgeschlossen je Monat
chart-opened = Erfasst
chart-opened-completed-desc = Balkendiagramm der in jedem Monat erfassten und abgeschlossenen Einträge.
chart-overdue = Überfällige Einträge im Zeitverlauf
chart-overdue-at-month-end = Überfällig am Monatsende
chart-overdue-desc = Liniendiagramm der Zahl offener Einträge mit verstrichenem Zieltermin am Monatsende.
chart-overdue-items = Überfällige Einträge
chart-priority-status = Einträge nach Priorität und Status
chart-priority-status-desc = Gruppiertes Balkendiagramm der Registereinträge je Priorität, ein Balken je Status.
chart-benefit-effort = Offene Einträge nach Nutzen und Aufwand
chart-benefit-effort-corner = Nutzen \ Aufwand
chart-high-effort = Hoher Aufwand
chart-medium-effort = Mittlerer Aufwand
chart-low-effort = Niedriger Aufwand
chart-high-benefit = Hoher Nutzen
chart-medium-benefit = Mittlerer Nutzen
chart-low-benefit = Niedriger Nutzen
chart-benefit-effort-desc = Raster der offenen Einträge nach erwartetem Nutzen (Zeilen) und Aufwand (Spalten); hoher Nutzen bei niedrigem Aufwand steht oben rechts. { $count } offene Einträge haben keine Bewertung von Nutzen oder Aufwand.
chart-effort-axis = Aufwand (benötigte Ressourcen)
chart-measured = Gemessen
chart-baseline = Ausgangswert
chart-target = Zielwert
chart-kpi-desc = Liniendiagramm von { $count } Messungen von { $name }; { $direction }{ $baseline ->
    [none] {""}
   *[other] , Ausgangswert { $baseline }
}{ $target ->
    [none] {""}
   *[other] , Zielwert { $target }
}.

## Feed and calendars
feed-new = Neu: { $id } { $title } ({ $status })
feed-completed = Abgeschlossen: { $id } { $title }
feed-identified = { $type } erfasst, Priorität { $priority }.
feed-completed-summary = Abgeschlossen.
feed-status-changed = Status geändert auf „{ $status }“.
feed-entries-discussed = { $count ->
    [one] { $count } Eintrag besprochen.
   *[other] { $count } Einträge besprochen.
}
calendar-due = fällig
calendar-due-dates = Termine
calendar-target-description = Zieltermin des Registereintrags { $id }.
    Status: { $status }. Priorität: { $priority }. Verantwortlich: { $owner }.
calendar-effectiveness-due = Wirksamkeitsprüfung fällig
calendar-effectiveness-description = Prüfen, ob Registereintrag { $id } gewirkt hat: Er wurde am { $completed } abgeschlossen, und es ist keine Wirksamkeitsprüfung erfasst (ISO/IEC 27001 10.2 d). Verantwortlich: { $owner }.
calendar-milestone-description = Meilenstein des Plans „{ $plan }“ für { $entries }.
calendar-plan-owner = Planverantwortlich: { $owner }.
calendar-milestone-summary = Meilenstein fällig: { $milestone } ({ $plan })

## Scripts (static/search.js, static/register.js): %n, %m, %d stand for numbers, %q for the query
js-search-failed = Der Suchindex konnte nicht geladen werden.
js-search-loading = Der Suchindex wird geladen …
js-no-matches-for = Keine Treffer für „%q“.
js-first-of-matches = Die ersten %n von %m Treffern; weitere Wörter grenzen sie ein.
js-matches-one = %n Treffer; mit der Pfeiltaste nach unten erreichbar.
js-matches-other = %n Treffer; mit der Pfeiltaste nach unten erreichbar.
js-no-matches = Keine Treffer.
js-overdue = Überfällig
js-extended = %n× verschoben
js-show-more = %n weitere zeigen (%d von %m gezeigt)
js-page-shown = %n von %m angezeigt (diese Seite); ein Filter oder eine Sortierung umfasst alle
js-shown = %n von %m angezeigt
js-loading-all = Alle %n Einträge werden geladen …
js-register-failed = Die Registerdaten konnten nicht geladen werden.

date-not-recorded = Datum nicht erfasst
approval-unchanged = freigegebener Text unverändert
revision = Revision
approval-changed = seit der Freigabe am { $date } geändert ({ $count ->
    [one] { $count } Commit
   *[other] { $count } Commits
}
approval-uncommitted = und noch nicht committete Änderungen
approved-revision = freigegebene Revision
approval-unknown = der freigegebene Text lässt sich nicht prüfen:
approval-diff-summary = Änderungen seit der freigegebenen Revision { $revision }
approval-fields-changed = Geänderte Felder: { $fields }.
task-done = Erledigt
task-not-done = Offen
