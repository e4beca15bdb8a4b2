# isms-site : textes de l'interface, français.
# Chaque ligne peut être remplacée dans content/translations/fr.ftl
# (voir docs/user-guide.md, Langue).

## Formats
number-decimal-separator = {","}
date-long = { $day } { $month } { $year }
date-month-year = { $month } { $year }
date-day-month-year = { $day } { $month } { $year }
date-month-short-year = { $month } { $year }
month-long-1 = janvier
month-long-2 = février
month-long-3 = mars
month-long-4 = avril
month-long-5 = mai
month-long-6 = juin
month-long-7 = juillet
month-long-8 = août
month-long-9 = septembre
month-long-10 = octobre
month-long-11 = novembre
month-long-12 = décembre
month-short-1 = janv.
month-short-2 = févr.
month-short-3 = mars
month-short-4 = avr.
month-short-5 = mai
month-short-6 = juin
month-short-7 = juil.
month-short-8 = août
month-short-9 = sept.
month-short-10 = oct.
month-short-11 = nov.
month-short-12 = déc.
sentence-end = .
days-ago = { $count ->
    [one] il y a { $count } jour
   *[other] il y a { $count } jours
}

## Names of the values written in YAML
status-not-started = Non commencé
status-planned = Planifié
status-in-progress = En cours
status-completed = Terminé
status-cancelled = Annulé
level-high = Élevée
level-medium = Moyenne
level-low = Faible
source-internal-audit = Audit interne
source-external-audit = Audit externe
source-incident = Incident
source-nonconformity = Non-conformité
source-management-review = Revue de direction
source-risk-assessment = Appréciation des risques
source-feedback = Retour d’information
source-monitoring = Surveillance
source-other = Autre
entry-type-improvement = Amélioration
entry-type-corrective-action = Action corrective
entry-type-preventive-action = Action préventive
effectiveness-result-effective = Efficace
effectiveness-result-partially-effective = Partiellement efficace
effectiveness-result-not-effective = Non efficace
severity-major = Majeure
severity-minor = Mineure
severity-observation = Observation
direction-increase = Plus élevé est meilleur
direction-decrease = Plus bas est meilleur
review-kind-management-review = Revue de direction
review-kind-internal-audit = Audit interne
review-kind-external-audit = Audit externe
review-kind-progress-review = Point d’avancement
audience-public = public
audience-internal = interne
audience-restricted = restreint
finding-state-open = Ouverte
finding-state-reopened = Rouverte
finding-state-awaiting-verification = En attente de vérification
finding-state-closed = Close
decision-state-done = Réalisée
decision-state-open = Ouverte
decision-state-overdue = En retard
decision-state-untracked = Non suivie dans le registre

## Every page (base.html)
feed-title = Modifications du registre
skip-to-content = Aller au contenu
nav-main = Navigation principale
nav-dashboard = Tableau de bord
nav-register = Registre
nav-plans = Plans
nav-reviews = Revues
nav-nonconformities = Non-conformités
nav-objectives = Objectifs
nav-risks = Risques
nav-owners = Responsables
nav-controls = Mesures
nav-tags = Étiquettes
search-label = Rechercher
search-placeholder = Entrées, plans, revues
search-go = OK
footer-figures-as-of = Chiffres au
footer-for-audience = pour le public { $audience }
footer-content = contenu
footer-data = Données :
footer-status = Statut :
footer-priority = Priorité :
footer-source = Origine :
footer-index = index

## Shared parts (partials/)
entries = Entrées
col-title = Opportunité d’amélioration
col-status = Statut
col-priority = Priorité
col-owner = Responsable
col-target = Échéance
col-items = Éléments
overdue-days-short = En retard de { $count } j
no-entries = Aucune entrée.
n-of-total-shown = { $shown } sur { $total } affichés
all-n-what = les { $total } ({ $what })
all-n = tous les { $total }
restricted-stubs = { $count ->
    [one] { $count } entrée est affichée sous forme masquée pour ce public ; les totaux l’incluent.
   *[other] { $count } entrées sont affichées sous forme masquée pour ce public ; les totaux les incluent.
}
chart-numbers-behind = Les chiffres de « { $title } »
revisions = Historique des modifications
last-updated = Dernière mise à jour
earlier-revisions = { $count ->
    [one] Et { $count } modification antérieure.
   *[other] Et { $count } modifications antérieures.
}
pack-identified-in-period = { $count } identifiées pendant la période :

## Dashboard (index.html)
this-period = période en cours
date-to = au
date-on = le
since-the = depuis la
since-register-began-no-review = depuis la création du registre (aucune revue de direction antérieure)
period-closed-by-before = période close par
period-closed-by-after = {""}
summary-for-management = Synthèse pour la direction
card-completed-in-period = terminées pendant la période
nothing-completed-in-period = Rien n’a été terminé pendant la période.
last-completion = Dernière clôture :
outcomes = résultats
all-completed = toutes les actions terminées
card-overdue = en retard
unassigned = non attribuée
days-late = { $count ->
    [one] { $count } jour de retard
   *[other] { $count } jours de retard
}
most-overdue = Le plus en retard :
n-overdue-of-open = { $overdue } en retard sur { $open } ouvertes
all-n-overdue = les { $total } en retard
nothing-overdue = Rien n’est en retard.
open-nonconformities = Non-conformités ouvertes
nc-open-major = majeures ouvertes
nc-open-minor = mineures ouvertes
n-with-no-follow-up = { $count } sans suite
none-recorded = Aucune enregistrée.
before-next-review = Avant la prochaine revue, le
n-actions-due = { $count ->
    [one] { $count } action à échéance
   *[other] { $count } actions à échéance
}
n-milestones = { $count ->
    [one] { $count } jalon
   *[other] { $count } jalons
}
n-effectiveness-reviews = { $count ->
    [one] { $count } vérification d’efficacité
   *[other] { $count } vérifications d’efficacité
}
review-was-due-days-ago = { $count ->
    [one] (la revue était prévue il y a { $count } jour)
   *[other] (la revue était prévue il y a { $count } jours)
}
due = échéance
next-review-estimated = Estimation : la dernière revue de direction plus l’intervalle habituel de { $days } jours.
next-review-set = Fixée dans site.yaml.
next-review = Prochaine revue
no-review-yet = Aucune revue de direction enregistrée et aucune date
no-review-yet-set = fixée.
trend-heading = Tendance : { $direction }
trend-better = amélioration
trend-same = stable
trend-worse = dégradation
trend-open = Ouvertes
trend-overdue = en retard
trend-since-review = depuis la { $review }
trend-since-began = depuis la création du registre
trend-charts = graphiques de tendance
found-effective = jugées efficaces
effectiveness-summary = { $effective } sur { $reviewed } vérifiées ; { $unreviewed } sur { $completed } terminées pas encore vérifiées.
n-effectiveness-reviews-due = { $count ->
    [one] { $count } vérification d’efficacité à faire, { $overdue } en retard
   *[other] { $count } vérifications d’efficacité à faire, { $overdue } en retard
}
overdue-actions = Actions en retard
what-overdue = en retard
what-not-effective = non efficaces
what-completed = terminées
what-open = ouvertes
targets-extended = Échéances reportées à plusieurs reprises
extended-times = reportée { $count } fois
originally = initialement
now = désormais
plus-days = { $count ->
    [one] +{ $count } jour
   *[other] +{ $count } jours
}
most-extended-first = les plus reportées d’abord.
overdue-plan-milestones = Jalons de plans en retard
longest-overdue-first = les plus en retard d’abord
all-overdue-milestones = les { $total } jalons en retard dans les plans
not-effective-unfollowed = Actions jugées non efficaces, sans suite
every-not-effective-followed = Chaque action jugée non efficace a une suite.
who-owns-open-work = Qui porte les actions ouvertes
work-by-owner = Actions ouvertes et en retard par responsable
col-owner-short = Responsable
col-open = Ouvertes
col-overdue = En retard
owners-shown = { $shown } sur { $total } responsables ayant des actions ouvertes, les plus en retard d’abord
all-n-owners = les { $total } responsables
no-open-work = Aucune action ouverte.
completed-in-period-outcomes = Terminées pendant la période — résultats
latest-completed-before-period = Dernières terminées, avant cette période — résultats
completed-on = terminée le
n-of-completed-in-period-shown = { $shown } sur { $total } terminées pendant la période affichées
all-n-completed = les { $total } terminées
nothing-completed-yet = Rien n’est encore terminé.
trends-and-prioritisation = Tendances et priorisation
unrated-items = { $count ->
    [one] Bénéfice × effort : non évalué : { $count } élément ouvert.
   *[other] Bénéfice × effort : non évalués : { $count } éléments ouverts.
}
more-figures = Autres indicateurs
completed-on-time = terminées dans les délais
on-time-detail = { $part } sur { $of } avec échéance, par rapport à l’échéance initiale ;
against-moved-targets = par rapport aux échéances reportées
items-in-register = éléments dans le registre
open-lower = ouverts
median-days-to-complete = jours pour terminer (médiane)
median-age-open = âge des éléments ouverts en jours (médiane)
oldest = le plus ancien : { $days }
reviewed-for-effectiveness = des actions terminées vérifiées quant à leur efficacité
kpis-met-missed = indicateurs atteints, { $missed } manqués
kpis-tile-detail = sur { $total } ; { $no_data } pas encore mesurés, { $no_target } sans cible
n-of-m = { $part } sur { $of }
effectiveness-reviews-due = Vérifications d’efficacité à faire
overdue-lower = en retard
earliest-due-first = échéance la plus proche d’abord.
rollups = Synthèses
by-status = Par statut
by-priority = Par priorité
by-type = Par type
by-source = Par origine
most-addressed-controls = Mesures les plus concernées
col-type = Type
col-source = Origine
col-control = Mesure
about-register = À propos de ce registre
date-of-creation = Date de création
responsible-person = Personne responsable
calendar-intro = Toutes les échéances ouvertes et tous les jalons dans un calendrier :
download-calendar = télécharger calendar.ics
or = ou
subscribe-mail-client = s’abonner dans votre messagerie
calendar-owners = ; la page de chaque responsable a son propre calendrier.

## Register (register.html)
improvement-register = Registre d’amélioration
n-entries = { $count ->
    [one] { $count } entrée
   *[other] { $count } entrées
}
register-page-of = par identifiant ; la page { $page } sur { $pages } montre { $first }–{ $last }
other-pages = autres pages
download-as = Télécharger en
filter-register = Filtrer le registre
filter-text = Texte
col-tag = Étiquette
col-risk = Risque
filter-all = Tous
overdue-only = En retard seulement
filter-clear = Effacer
sort-by = Trier par
register-entries-range = Entrées { $first } à { $last } sur { $total }
all-register-entries = Toutes les entrées du registre
col-description = Description
col-identified = Identifiée le
col-outcome = Résultats
register-pages = Pages du registre
previous = Précédente
next = Suivante

## An entry (entry.html)
breadcrumb = Fil d’Ariane
overdue-colon = En retard :
overdue-banner = { $count ->
    [one] l’échéance du { $target } est dépassée depuis { $count } jour et l’élément est toujours « { $status } ».
   *[other] l’échéance du { $target } est dépassée depuis { $count } jours et l’élément est toujours « { $status } ».
}
target-completion = Échéance
action-owner = Responsable de l’action
n-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
age = Âge
n-days-open = { $count ->
    [one] ouverte depuis { $count } jour
   *[other] ouverte depuis { $count } jours
}
benefit = Bénéfice
effort = Effort
controls-and-clauses = Mesures et articles
risks-treated = Risques traités
reference = Référence
severity = Gravité
requirement = Exigence
raised = Constatée le
by-person = par { $person }
findings-this-entry-serves = { $count ->
    [one] Constat traité par cette entrée
   *[other] Constats traités par cette entrée
}
no-follow-up = sans suite
raised-lower = constaté le
closed-lower = clos le
chain-colon = Chaîne :
correction = Correction
root-cause = Cause racine
resources = Ressources
effectiveness-review = Vérification de l’efficacité
reviewed-lower = vérifiée le
due-capital = À faire pour le
nobody-recorded-effectiveness = personne n’a encore consigné si cette action a fonctionné.
related-entries = Entrées liées
follows-up = Fait suite à
followed-up-by = Suivie par
related-colon = Liée :
lessons-learned = Enseignements tirés
history = Historique
identified-lower = identifiée
target-set-to = échéance fixée au
status-timeline = Chronologie des statuts (pour le registre à des dates passées)
from = Depuis
kpis = Indicateurs clés de performance
kpi-unit = unité
kpi-baseline = référence
kpi-target = cible
kpi-latest = dernière valeur
target-met = cible atteinte
target-not-yet-met = cible pas encore atteinte
evidence = Preuves
external = externe
plans-and-reviews = Plans et revues
no-plan-or-review = Aucun plan ni aucune revue ne mentionne encore cette entrée.
improvement-plans = Plans d’amélioration
discussed-in-reviews = Examinée lors des revues

## Plans and reviews
updated = Mis à jour
approved = Approuvé
not-recorded = non consigné
milestones-reached = Jalons atteints
milestones = Jalons
percent-reached = { $percent } % atteints
milestone = Jalon
done = Atteint
state = État
done-late = Atteint en retard
entries-in-plan = Entrées du registre dans ce plan
plan = Plan
overdue-milestones = Jalons en retard
no-plans-yet = Aucun plan pour l’instant.
reviews-intro = Revues de direction, audits et points d’avancement, du plus récent au plus ancien.
input-pack-next = Éléments d’entrée de la prochaine revue de direction
input-pack-what = 9.3.2 : ce qui a changé depuis la dernière, d’après le registre
date = Date
review = Revue
kind = Type
no-reviews-yet = Aucune revue pour l’instant.
attendees = Participants
input-pack = Éléments d’entrée
inputs-from-register = Éléments d’entrée issus du registre (9.3.2)
notes = Notes
decisions-heading = Décisions et suites données ({ $count })
what-became-by = Suites données au
owner-person = responsable : { $person }
entries-discussed = Entrées examinées
as-they-stood-on = Telles qu’au
each-page-as-of = la page de chaque entrée la montre au
now-capital = Aujourd’hui
status-on = Statut au { $date }
target-on = Échéance au { $date }
and-n-more = Et { $count } autres :
continual-improvement = Amélioration continue
register-as-it-stood = Le registre tel qu’au
computed-from-history = calculé à partir de l’historique de chaque entrée.
items-by-status-on = Éléments par statut au { $date } ({ $open } ouverts)
since-previous-review = depuis la revue précédente
up-to-this-review = jusqu’à cette revue
completed-since-previous = Terminées depuis la revue précédente
latest-completions-shown = Les plus récemment terminées sont affichées.
overdue-on = en retard au { $date }
overdue-on-review-date = En retard à la date de la revue
longest-overdue-on-shown = Les plus en retard au { $date } sont affichées.

## Owners, controls, tags, sources
taxonomy-owners = Responsables
taxonomy-statuses = Statuts
taxonomy-priorities = Priorités
taxonomy-sources = Origines
not-given = Non précisée
not-yet-identified = Pas encore identifiée
controls-group-annex-a-5 = Annexe A, thème 5 — Mesures organisationnelles
controls-group-annex-a-6 = Annexe A, thème 6 — Mesures liées aux personnes
controls-group-annex-a-7 = Annexe A, thème 7 — Mesures physiques
controls-group-annex-a-8 = Annexe A, thème 8 — Mesures technologiques
controls-group-annex-a-other = Annexe A — autres
controls-group-clause-4 = Article 4 — Contexte de l’organisation
controls-group-clause-5 = Article 5 — Leadership
controls-group-clause-6 = Article 6 — Planification
controls-group-clause-7 = Article 7 — Support
controls-group-clause-8 = Article 8 — Fonctionnement
controls-group-clause-9 = Article 9 — Évaluation des performances
controls-group-clause-10 = Article 10 — Amélioration
controls-group-other = Autres références
col-heading-title = Intitulé
applicable = Applicable
not-applicable = Non applicable
all-items = Tous les éléments
yes = Oui
no = Non
none-yet = Aucun pour l’instant.
entries-in-all = entrées au total
all-entries-of-in-register = les { $total } entrées de { $name } dans le registre
due-dates-of-as-calendar = Échéances de { $name } dans un calendrier :
open-nearest-first = Ouvertes, échéance la plus proche d’abord
recently-completed = Terminées récemment

## Nonconformities
n-findings-not-closed = { $count ->
    [one] { $count } constat ; { $open } non clos
   *[other] { $count } constats ; { $open } non clos
}
nc-explain-1 = Un constat par référence : constaté à nouveau, il reste un seul constat. Son état suit sa chaîne — les entrées qui le portent et toutes celles qui leur font suite :
nc-state-open = ouvert
nc-explain-open = tant que l’une d’elles est ouverte ;
nc-state-reopened = rouvert
nc-explain-reopened = quand la dernière vérification d’efficacité a jugé une action non efficace (signalé « sans suite » tant que rien n’y fait suite) ;
nc-state-awaiting-verification = en attente de vérification
nc-explain-awaiting = quand la dernière action est terminée mais pas encore vérifiée ;
nc-state-closed = clos
nc-explain-closed = quand cette vérification l’a jugée efficace. Les jours ouverts courent du jour du constat à la vérification qui l’a clos, ou jusqu’au
n-not-closed-of = { $open } non clos sur { $total }
severity-nonconformities = Non-conformités : { $severity }
finding = Constat
days-open = Jours ouverts
chain = Chaîne
effectiveness = Efficacité
raised-n-times = constaté { $count } fois
recorded = Consignée
missing = Manquante
not-reviewed = Non vérifiée

## Management review input pack
pack-period-intro = Éléments d’entrée de l’article 9.3.2 de l’ISO/IEC 27001:2022 issus du registre, pour la période
since = depuis
after = après le
up-to-and-including = jusqu’au
as-of-date-of-site = date de référence de ce site
every-entry-as-it-stood = Chaque entrée est présentée telle qu’au
changes-as-data = Les modifications sous forme de données :
pack-a = a) État d’avancement des actions décidées lors des revues précédentes
decided-at = Décidé lors de
no-decisions = Aucune décision consignée lors des revues précédentes
front-matter = en-tête
pack-b = b) Modifications au cours de la période
changes-after-up-to = Modifications après le { $from_ } jusqu’au { $to }
new-entries = Nouvelles entrées
status-changes = Changements de statut
target-dates-moved = Échéances reportées
effectiveness-reviews = Vérifications d’efficacité
all-in-changes-json = toutes dans changes.json.
pack-c = c) Performances en matière de sécurité de l’information
nc-and-corrective-actions = Non-conformités et actions correctives
pack-findings-summary = { $new } constatées pendant la période, { $closed } closes et { $reopened } rouvertes par une vérification d’efficacité pendant la période ; { $open } non closes au { $date }.
state-on = État au { $date }
new-lower = nouveau
monitoring-results = Résultats de la surveillance et de la mesure
kpis-fulfilment = Réalisation des objectifs, selon les indicateurs : { $met } sur { $total } indicateurs avec cible l’atteignent
kpis-miss = { $count } la manquent
kpis-no-target = { $count } n’ont pas de cible
kpis-short = Indicateurs
entry = Entrée
kpi = Indicateur
latest = Dernière valeur
result = Résultat
before-the-period = avant la période
none-lower = aucune
kpi-met = Atteinte
kpi-missed = Manquée
kpi-no-target = Pas de cible
no-kpi-measured-by = Aucun indicateur mesuré au { $date }.
audit-results = Résultats d’audit
no-audit-in-period = Aucun audit pendant la période.
no-audit-entries = Aucune entrée issue d’un audit identifiée pendant la période.
pack-d = d) Retours d’information des parties intéressées
no-feedback-entries = Aucune entrée issue de retours identifiée pendant la période.
pack-e = e) Résultats de l’appréciation des risques et état du plan de traitement des risques
no-risk-entries = Aucune entrée issue de l’appréciation des risques identifiée pendant la période.
pack-f = f) Opportunités d’amélioration continue
no-improvement-entries = Aucune entrée d’amélioration identifiée pendant la période.

## Objectives and KPIs (objectives.html; the sparklines' text)
objectives-title = Objectifs et indicateurs
kpi-counts = { $total ->
    [one] { $total } indicateur
   *[other] { $total } indicateurs
} : { $met } atteints, { $missed } manqués, { $no_target } sans cible, { $no_data } pas encore mesurés
n-objectives = { $count ->
    [one] { $count } objectif
   *[other] { $count } objectifs
}
objectives-explain-before = La dernière mesure de chaque indicateur au plus tard le
objectives-explain-after = comparée à sa cible, dans le sens que l’indicateur considère comme meilleur. Un indicateur qu’aucun objectif ne nomme figure sous « Autres indicateurs ».
objective-met-missed-of = { $met } atteints, { $missed } manqués sur { $total }
objective-owner = Responsable : { $owner }
objective-target = Cible : { $target }
kpis-of = Indicateurs de { $title }
kpi-standing = Situation
kpi-trend = Tendance
kpi-measured-on = le
too-few-measurements = trop peu de mesures
no-kpi-for-objective = Aucun indicateur ne mesure encore cet objectif.
other-kpis-more = { $count ->
    [one] Un autre indicateur figure sur la page de son entrée ; les exports contiennent tous les indicateurs :
   *[other] { $count } autres indicateurs figurent sur les pages de leurs entrées ; les exports contiennent tous les indicateurs :
}
other-kpis = Autres indicateurs
standing-met = Atteint
standing-missed = Manqué
standing-no-target = Pas de cible
standing-no-data = Pas de mesure
spark-point = { $value } le { $date }
spark-label = Tendance de { $name } : { $values }{ $target ->
    [none] {""}
   *[other] ; cible { $target }
}

## Risks (risks.html)
risks-summary = { $risks ->
    [one] { $risks } risque
   *[other] { $risks } risques
} dans le catalogue des risques ; { $treated ->
    [one] { $treated } entrée du registre en traite
   *[other] { $treated } entrées du registre en traitent
} un ou plusieurs.
risks-explain = Chaque risque avec les entrées du registre qui le traitent (traitement des risques, ISO/IEC 27001 6.1.3) ; chaque page d’entrée renvoie ici.
risk-owner = Propriétaire du risque
risk-level = Niveau
risk-treatment = Traitement
no-entry-treats-risk = Aucune entrée du registre ne traite encore ce risque.
risks-uncatalogued = Cités par des entrées, absents du catalogue

## Group site (group_base.html, group_index.html, group_register.html)
group-dashboard = Tableau de bord du groupe
combined-register = Registre commun
group-view-as-of = Vue de groupe au
group-made-from = , établie à partir du fichier publié par chaque registre :
group-summary = { $registers ->
    [one] { $registers } registre
   *[other] { $registers } registres
}, { $entries ->
    [one] { $entries } entrée
   *[other] { $entries } entrées
} ; chiffres au
group-own-period = , chacun pour sa propre période de revue de direction.
group-not-all-as-of = Tous les registres ne sont pas au
group-differing-explain = Leurs chiffres sont à leur propre date (marquée ci-dessous), et les totaux additionnent des chiffres de jours différents.
group-total = Total du groupe
group-nc-open = non-conformités majeures ouvertes, { $minor } mineures, { $observation } observations
group-nc-states = { $open } ouvertes, { $reopened } rouvertes, { $awaiting } en attente de vérification, { $closed } closes
group-effective-detail = { $effective } sur { $reviewed } revues ; { $completed } terminées
of-total = sur { $total }
group-compared = Registres comparés
group-col-register = Registre
group-col-as-of = Date
group-col-completed = Terminées pendant la période
group-col-nc-open = NC ouvertes (majeures / mineures / obs.)
group-col-nc-states = États des NC (ouvertes / rouvertes / en attente / closes)
group-col-effective = Efficaces
group-col-kpis = Indicateurs atteints / manqués
group-other-date = autre date
group-total-row = Total
group-mixed-dates = dates différentes
group-combined-link = Le registre commun →
group-entries-of-registers = { $total ->
    [one] { $total } entrée
   *[other] { $total } entrées
} de { $registers ->
    [one] { $registers } registre
   *[other] { $registers } registres
}
group-page-of = la page { $page } sur { $pages } montre { $first }–{ $last }
group-links-own = Chaque entrée renvoie à la page de son propre registre.
group-filter = Filtrer le registre commun
group-entries-range = Entrées { $first } à { $last } sur { $total }
group-pages = Pages du registre commun

## Feed
feed-subtitle = Modifications du registre : nouvelles entrées, changements de statut, clôtures, revues

## Charts
chart-date = Date
chart-month = Mois
chart-value = Valeur
chart-all-open = Toutes les ouvertes
chart-open-by-status = Éléments ouverts par statut au fil du temps
chart-open-by-status-desc = Graphique linéaire du nombre d’éléments ouverts du registre à chaque fin de mois, par statut.
chart-open-items = Éléments ouverts
chart-opened-completed = Ouverts et terminés par mois
chart-opened = Ouverts
chart-opened-completed-desc = Histogramme des éléments identifiés et des éléments terminés chaque mois.
chart-overdue = Éléments en retard au fil du temps
chart-overdue-at-month-end = En retard en fin de mois
chart-overdue-desc = Graphique linéaire du nombre d’éléments ouverts dont l’échéance est dépassée à chaque fin de mois.
chart-overdue-items = Éléments en retard
chart-priority-status = Éléments par priorité et statut
chart-priority-status-desc = Histogramme groupé des éléments du registre par priorité, une barre par statut.
chart-benefit-effort = Éléments ouverts par bénéfice et effort
chart-benefit-effort-corner = Bénéfice \ Effort
chart-high-effort = Effort élevé
chart-medium-effort = Effort moyen
chart-low-effort = Effort faible
chart-high-benefit = Bénéfice élevé
chart-medium-benefit = Bénéfice moyen
chart-low-benefit = Bénéfice faible
chart-benefit-effort-desc = Grille des éléments ouverts par bénéfice attendu (lignes) et effort (colonnes) ; bénéfice élevé et effort faible en haut à droite. { $count } éléments ouverts n’ont pas d’évaluation du bénéfice ou de l’effort.
chart-effort-axis = Effort (ressources nécessaires)
chart-measured = Mesuré
chart-baseline = Référence
chart-target = Cible
chart-kpi-desc = Graphique linéaire de { $count } mesures de { $name } ; { $direction }{ $baseline ->
    [none] {""}
   *[other] , référence { $baseline }
}{ $target ->
    [none] {""}
   *[other] , cible { $target }
}.

## Feed and calendars
feed-new = Nouveau : { $id } { $title } ({ $status })
feed-completed = Terminé : { $id } { $title }
feed-identified = { $type } identifiée, priorité { $priority }.
feed-completed-summary = Terminé.
feed-status-changed = Statut passé à « { $status } ».
feed-entries-discussed = { $count ->
    [one] { $count } entrée examinée.
   *[other] { $count } entrées examinées.
}
calendar-due = échéance
calendar-due-dates = échéances
calendar-target-description = Échéance de l’entrée { $id } du registre.
    Statut : { $status }. Priorité : { $priority }. Responsable : { $owner }.
calendar-effectiveness-due = vérification d’efficacité à faire
calendar-effectiveness-description = Vérifier si l’entrée { $id } du registre a fonctionné : elle a été terminée le { $completed } et aucune vérification d’efficacité n’est consignée (ISO/IEC 27001 10.2 d). Responsable : { $owner }.
calendar-milestone-description = Jalon du plan « { $plan } » pour { $entries }.
calendar-plan-owner = Responsable du plan : { $owner }.
calendar-milestone-summary = Jalon à échéance : { $milestone } ({ $plan })

## Scripts (static/search.js, static/register.js): %n, %m, %d stand for numbers, %q for the query
js-search-failed = L’index de recherche n’a pas pu être chargé.
js-search-loading = Chargement de l’index de recherche…
js-no-matches-for = Aucun résultat pour « %q ».
js-first-of-matches = Les %n premiers résultats sur %m ; ajoutez des mots pour affiner.
js-matches-one = %n résultat ; flèche vers le bas pour y accéder.
js-matches-other = %n résultats ; flèche vers le bas pour y accéder.
js-no-matches = Aucun résultat.
js-overdue = En retard
js-extended = reportée %n fois
js-show-more = Afficher %n de plus (%d sur %m affichées)
js-page-shown = %n sur %m affichées (cette page) ; un filtre ou un tri porte sur toutes
js-shown = %n sur %m affichées
js-loading-all = Chargement des %n entrées…
js-register-failed = Les données du registre n’ont pas pu être chargées.

date-not-recorded = date non enregistrée
approval-unchanged = texte approuvé inchangé
revision = révision
approval-changed = modifié depuis l’approbation du { $date } ({ $count ->
    [one] { $count } commit
   *[other] { $count } commits
}
approval-uncommitted = et des modifications pas encore validées
approved-revision = révision approuvée
approval-unknown = le texte approuvé ne peut pas être vérifié :
approval-diff-summary = Modifications depuis la révision approuvée { $revision }
approval-fields-changed = Champs modifiés : { $fields }.
task-done = Fait
task-not-done = À faire
