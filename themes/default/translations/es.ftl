# isms-site: textos de la interfaz, español.
# Cada línea puede sustituirse en content/translations/es.ftl
# (véase docs/user-guide.md, Idioma).

## Formats
number-decimal-separator = {","}
date-long = { $day } de { $month } de { $year }
date-month-year = { $month } { $year }
date-day-month-year = { $day } { $month } { $year }
date-month-short-year = { $month } { $year }
month-long-1 = enero
month-long-2 = febrero
month-long-3 = marzo
month-long-4 = abril
month-long-5 = mayo
month-long-6 = junio
month-long-7 = julio
month-long-8 = agosto
month-long-9 = septiembre
month-long-10 = octubre
month-long-11 = noviembre
month-long-12 = diciembre
month-short-1 = ene
month-short-2 = feb
month-short-3 = mar
month-short-4 = abr
month-short-5 = may
month-short-6 = jun
month-short-7 = jul
month-short-8 = ago
month-short-9 = sept
month-short-10 = oct
month-short-11 = nov
month-short-12 = dic
sentence-end = .
days-ago = { $count ->
    [one] hace { $count } día
   *[other] hace { $count } días
}

## Names of the values written in YAML
status-not-started = Sin iniciar
status-planned = Planificada
status-in-progress = En curso
status-completed = Completada
status-cancelled = Cancelada
level-high = Alta
level-medium = Media
level-low = Baja
source-internal-audit = Auditoría interna
source-external-audit = Auditoría externa
source-incident = Incidente
source-nonconformity = No conformidad
source-management-review = Revisión por la dirección
source-risk-assessment = Apreciación de riesgos
source-feedback = Comentarios recibidos
source-monitoring = Seguimiento
source-other = Otra
entry-type-improvement = Mejora
entry-type-corrective-action = Acción correctiva
entry-type-preventive-action = Acción preventiva
effectiveness-result-effective = Eficaz
effectiveness-result-partially-effective = Parcialmente eficaz
effectiveness-result-not-effective = No eficaz
severity-major = Mayor
severity-minor = Menor
severity-observation = Observación
direction-increase = Cuanto más alto, mejor
direction-decrease = Cuanto más bajo, mejor
review-kind-management-review = Revisión por la dirección
review-kind-internal-audit = Auditoría interna
review-kind-external-audit = Auditoría externa
review-kind-progress-review = Revisión de avance
audience-public = público
audience-internal = interno
audience-restricted = restringido
finding-state-open = Abierto
finding-state-reopened = Reabierto
finding-state-awaiting-verification = Pendiente de verificación
finding-state-closed = Cerrado
decision-state-done = Cumplida
decision-state-open = Abierta
decision-state-overdue = Vencida
decision-state-untracked = Sin seguimiento en el registro

## Every page (base.html)
feed-title = Cambios en el registro
skip-to-content = Saltar al contenido
nav-main = Navegación principal
nav-dashboard = Panel
nav-register = Registro
nav-plans = Planes
nav-reviews = Revisiones
nav-nonconformities = No conformidades
nav-objectives = Objetivos
nav-risks = Riesgos
nav-owners = Responsables
nav-controls = Controles
nav-tags = Etiquetas
search-label = Buscar
search-placeholder = Entradas, planes, revisiones
search-go = Ir
footer-figures-as-of = Cifras a
footer-for-audience = para el público { $audience }
footer-content = contenido
footer-data = Datos:
footer-status = Estado:
footer-priority = Prioridad:
footer-source = Origen:
footer-index = índice

## Shared parts (partials/)
entries = Entradas
col-title = Oportunidad de mejora
col-status = Estado
col-priority = Prioridad
col-owner = Responsable
col-target = Fecha objetivo
col-items = Elementos
overdue-days-short = Vencida { $count } d
no-entries = No hay entradas.
n-of-total-shown = { $shown } de { $total } mostradas
all-n-what = las { $total } ({ $what })
all-n = las { $total }
restricted-stubs = { $count ->
    [one] { $count } entrada se muestra como resumen restringido para este público; los recuentos la incluyen.
   *[other] { $count } entradas se muestran como resúmenes restringidos para este público; los recuentos las incluyen.
}
chart-numbers-behind = Los datos de «{ $title }»
revisions = Historial de cambios
last-updated = Última actualización
earlier-revisions = { $count ->
    [one] Y { $count } cambio anterior.
   *[other] Y { $count } cambios anteriores.
}
pack-identified-in-period = { $count } identificadas en el período:

## Dashboard (index.html)
this-period = este período
date-to = a
date-on = el
since-the = desde la
since-register-began-no-review = desde el inicio del registro (sin revisión por la dirección anterior)
period-closed-by-before = período cerrado por
period-closed-by-after = {""}
summary-for-management = Resumen para la dirección
card-completed-in-period = completadas en el período
nothing-completed-in-period = No se completó nada en el período.
last-completion = Última completada:
outcomes = resultados
all-completed = todas las completadas
card-overdue = vencidas
unassigned = sin asignar
days-late = { $count ->
    [one] { $count } día de retraso
   *[other] { $count } días de retraso
}
most-overdue = Con más vencidas:
n-overdue-of-open = { $overdue } vencidas de { $open } abiertas
all-n-overdue = las { $total } vencidas
nothing-overdue = No hay nada vencido.
open-nonconformities = No conformidades abiertas
nc-open-major = mayores abiertas
nc-open-minor = menores abiertas
n-with-no-follow-up = { $count } sin seguimiento
none-recorded = Ninguna registrada.
before-next-review = Antes de la próxima revisión, el
n-actions-due = { $count ->
    [one] { $count } acción que vence
   *[other] { $count } acciones que vencen
}
n-milestones = { $count ->
    [one] { $count } hito
   *[other] { $count } hitos
}
n-effectiveness-reviews = { $count ->
    [one] { $count } revisión de eficacia
   *[other] { $count } revisiones de eficacia
}
review-was-due-days-ago = { $count ->
    [one] (la revisión debía hacerse hace { $count } día)
   *[other] (la revisión debía hacerse hace { $count } días)
}
due = vence
next-review-estimated = Estimada: la última revisión por la dirección más el intervalo habitual de { $days } días.
next-review-set = Fijada en site.yaml.
next-review = Próxima revisión
no-review-yet = Aún no hay ninguna revisión por la dirección registrada ni
no-review-yet-set = fijada.
trend-heading = Tendencia: { $direction }
trend-better = mejora
trend-same = sin cambios
trend-worse = empeora
trend-open = Abiertas
trend-overdue = vencidas
trend-since-review = desde la { $review }
trend-since-began = desde el inicio del registro
trend-charts = gráficos de tendencia
found-effective = consideradas eficaces
effectiveness-summary = { $effective } de { $reviewed } revisadas; { $unreviewed } de { $completed } completadas aún sin revisar.
n-effectiveness-reviews-due = { $count ->
    [one] { $count } revisión de eficacia pendiente, { $overdue } vencidas
   *[other] { $count } revisiones de eficacia pendientes, { $overdue } vencidas
}
overdue-actions = Acciones vencidas
what-overdue = vencidas
what-not-effective = no eficaces
what-completed = completadas
what-open = abiertas
targets-extended = Fechas objetivo aplazadas varias veces
extended-times = aplazada { $count } veces
originally = originalmente
now = ahora
plus-days = { $count ->
    [one] +{ $count } día
   *[other] +{ $count } días
}
most-extended-first = las más aplazadas primero.
overdue-plan-milestones = Hitos de planes vencidos
longest-overdue-first = las más vencidas primero
all-overdue-milestones = los { $total } hitos vencidos de los planes
not-effective-unfollowed = Acciones consideradas no eficaces, sin seguimiento
every-not-effective-followed = Toda acción considerada no eficaz tiene seguimiento.
who-owns-open-work = Quién tiene el trabajo abierto
work-by-owner = Trabajo abierto y vencido por responsable
col-owner-short = Responsable
col-open = Abiertas
col-overdue = Vencidas
owners-shown = { $shown } de { $total } responsables con trabajo abierto mostrados, primero los que más vencidas tienen
all-n-owners = los { $total } responsables
no-open-work = No hay trabajo abierto.
completed-in-period-outcomes = Completadas en el período — resultados
latest-completed-before-period = Últimas completadas, antes de este período — resultados
completed-on = completada el
n-of-completed-in-period-shown = { $shown } de { $total } completadas en el período mostradas
all-n-completed = las { $total } completadas
nothing-completed-yet = Aún no se ha completado nada.
trends-and-prioritisation = Tendencias y priorización
unrated-items = { $count ->
    [one] Beneficio × esfuerzo: sin valorar: { $count } elemento abierto.
   *[other] Beneficio × esfuerzo: sin valorar: { $count } elementos abiertos.
}
more-figures = Más cifras
completed-on-time = completadas a tiempo
on-time-detail = { $part } de { $of } con fecha objetivo, respecto a la fecha original;
against-moved-targets = respecto a las fechas aplazadas
items-in-register = elementos en el registro
open-lower = abiertos
median-days-to-complete = días hasta completar (mediana)
median-age-open = antigüedad de los elementos abiertos en días (mediana)
oldest = el más antiguo: { $days }
reviewed-for-effectiveness = de las acciones completadas con la eficacia revisada
kpis-met-missed = indicadores cumplidos, { $missed } no cumplidos
kpis-tile-detail = de { $total }; { $no_data } aún sin medir, { $no_target } sin meta
n-of-m = { $part } de { $of }
effectiveness-reviews-due = Revisiones de eficacia pendientes
overdue-lower = vencida
earliest-due-first = primero las que vencen antes.
rollups = Resúmenes
by-status = Por estado
by-priority = Por prioridad
by-type = Por tipo
by-source = Por origen
most-addressed-controls = Controles más tratados
col-type = Tipo
col-source = Origen
col-control = Control
about-register = Acerca de este registro
date-of-creation = Fecha de creación
responsible-person = Persona responsable
calendar-intro = Todas las fechas objetivo abiertas y los hitos de los planes como calendario:
download-calendar = descargar calendar.ics
or = o
subscribe-mail-client = suscribirse en su programa de correo
calendar-owners = ; la página de cada responsable tiene su propio calendario.

## Register (register.html)
improvement-register = Registro de mejoras
n-entries = { $count ->
    [one] { $count } entrada
   *[other] { $count } entradas
}
register-page-of = por identificador; la página { $page } de { $pages } muestra { $first }–{ $last }
other-pages = otras páginas
download-as = Descargar en
filter-register = Filtrar el registro
filter-text = Texto
col-tag = Etiqueta
col-risk = Riesgo
filter-all = Todas
overdue-only = Solo vencidas
filter-clear = Borrar
sort-by = Ordenar por
register-entries-range = Entradas { $first } a { $last } de { $total }
all-register-entries = Todas las entradas del registro
col-description = Descripción
col-identified = Identificada
col-outcome = Resultados
register-pages = Páginas del registro
previous = Anterior
next = Siguiente

## An entry (entry.html)
breadcrumb = Ruta de navegación
overdue-colon = Vencida:
overdue-banner = { $count ->
    [one] la fecha objetivo { $target } pasó hace { $count } día y el elemento sigue «{ $status }».
   *[other] la fecha objetivo { $target } pasó hace { $count } días y el elemento sigue «{ $status }».
}
target-completion = Fecha objetivo
action-owner = Responsable de la acción
n-days = { $count ->
    [one] { $count } día
   *[other] { $count } días
}
age = Antigüedad
n-days-open = { $count ->
    [one] abierta desde hace { $count } día
   *[other] abierta desde hace { $count } días
}
benefit = Beneficio
effort = Esfuerzo
controls-and-clauses = Controles y apartados
risks-treated = Riesgos tratados
reference = Referencia
severity = Gravedad
requirement = Requisito
raised = Detectada
by-person = por { $person }
findings-this-entry-serves = { $count ->
    [one] Hallazgo al que responde esta entrada
   *[other] Hallazgos a los que responde esta entrada
}
no-follow-up = sin seguimiento
raised-lower = detectado el
closed-lower = cerrado el
chain-colon = Cadena:
correction = Corrección
root-cause = Causa raíz
resources = Recursos
effectiveness-review = Revisión de la eficacia
reviewed-lower = revisada el
due-capital = Vence el
nobody-recorded-effectiveness = nadie ha registrado aún si esta acción funcionó.
related-entries = Entradas relacionadas
follows-up = Da seguimiento a
followed-up-by = Con seguimiento en
related-colon = Relacionada:
lessons-learned = Lecciones aprendidas
history = Historial
identified-lower = identificada
target-set-to = fecha objetivo cambiada a
status-timeline = Cronología de estados (para el registro en fechas pasadas)
from = Desde
kpis = Indicadores clave de desempeño
kpi-unit = unidad
kpi-baseline = valor de referencia
kpi-target = meta
kpi-latest = último valor
target-met = meta alcanzada
target-not-yet-met = meta aún no alcanzada
evidence = Evidencias
external = externo
plans-and-reviews = Planes y revisiones
no-plan-or-review = Ningún plan ni revisión menciona aún esta entrada.
improvement-plans = Planes de mejora
discussed-in-reviews = Tratada en revisiones

## Plans and reviews
updated = Actualizado
approved = Aprobado
not-recorded = no registrado
milestones-reached = Hitos alcanzados
milestones = Hitos
percent-reached = { $percent } % alcanzado
milestone = Hito
done = Alcanzado
state = Situación
done-late = Alcanzado con retraso
entries-in-plan = Entradas del registro en este plan
plan = Plan
overdue-milestones = Hitos vencidos
no-plans-yet = Aún no hay planes.
reviews-intro = Revisiones por la dirección, auditorías y revisiones de avance, de la más reciente a la más antigua.
input-pack-next = Entradas para la próxima revisión por la dirección
input-pack-what = 9.3.2: qué ha cambiado desde la última, según el registro
date = Fecha
review = Revisión
kind = Tipo
no-reviews-yet = Aún no hay revisiones.
attendees = Asistentes
input-pack = Entradas para la revisión
inputs-from-register = Entradas del registro (9.3.2)
notes = Notas
decisions-heading = Decisiones y qué fue de ellas ({ $count })
what-became-by = Qué fue de ellas a
owner-person = responsable: { $person }
entries-discussed = Entradas tratadas
as-they-stood-on = Tal como estaban el
each-page-as-of = la página de cada entrada la muestra a
now-capital = Ahora
status-on = Estado el { $date }
target-on = Fecha objetivo el { $date }
and-n-more = Y { $count } más:
continual-improvement = Mejora continua
register-as-it-stood = El registro tal como estaba el
computed-from-history = calculado a partir del historial de cada entrada.
items-by-status-on = Elementos por estado el { $date } ({ $open } abiertos)
since-previous-review = desde la revisión anterior
up-to-this-review = hasta esta revisión
completed-since-previous = Completadas desde la revisión anterior
latest-completions-shown = Se muestran las últimas completadas.
overdue-on = vencidas el { $date }
overdue-on-review-date = Vencidas en la fecha de la revisión
longest-overdue-on-shown = Se muestran las más vencidas el { $date }.

## Owners, controls, tags, sources
taxonomy-owners = Responsables
taxonomy-statuses = Estados
taxonomy-priorities = Prioridades
taxonomy-sources = Orígenes
not-given = Sin indicar
not-yet-identified = Aún no identificada
controls-group-annex-a-5 = Anexo A, tema 5 — Controles organizacionales
controls-group-annex-a-6 = Anexo A, tema 6 — Controles de personas
controls-group-annex-a-7 = Anexo A, tema 7 — Controles físicos
controls-group-annex-a-8 = Anexo A, tema 8 — Controles tecnológicos
controls-group-annex-a-other = Anexo A — otros
controls-group-clause-4 = Apartado 4 — Contexto de la organización
controls-group-clause-5 = Apartado 5 — Liderazgo
controls-group-clause-6 = Apartado 6 — Planificación
controls-group-clause-7 = Apartado 7 — Apoyo
controls-group-clause-8 = Apartado 8 — Operación
controls-group-clause-9 = Apartado 9 — Evaluación del desempeño
controls-group-clause-10 = Apartado 10 — Mejora
controls-group-other = Otras referencias
col-heading-title = Título
applicable = Aplicable
not-applicable = No aplicable
all-items = Todos los elementos
yes = Sí
no = No
none-yet = Aún no hay ninguno.
entries-in-all = entradas en total
all-entries-of-in-register = las { $total } entradas de { $name } en el registro
due-dates-of-as-calendar = Fechas de { $name } como calendario:
open-nearest-first = Abiertas, primero la fecha objetivo más próxima
recently-completed = Completadas recientemente

## Nonconformities
n-findings-not-closed = { $count ->
    [one] { $count } hallazgo; { $open } sin cerrar
   *[other] { $count } hallazgos; { $open } sin cerrar
}
nc-explain-1 = Un hallazgo por referencia: si se detecta de nuevo, sigue siendo un solo hallazgo. Su situación sigue a su cadena — las entradas que lo recogen y todas las que les dan seguimiento:
nc-state-open = abierto
nc-explain-open = mientras alguna de ellas esté abierta;
nc-state-reopened = reabierto
nc-explain-reopened = cuando la última revisión de eficacia consideró una acción no eficaz (marcado «sin seguimiento» mientras nada le dé seguimiento);
nc-state-awaiting-verification = pendiente de verificación
nc-explain-awaiting = cuando la última acción está completada pero aún sin revisar;
nc-state-closed = cerrado
nc-explain-closed = cuando esa revisión la consideró eficaz. Los días abiertos cuentan desde el día de la detección hasta la revisión que lo cerró, o hasta el
n-not-closed-of = { $open } sin cerrar de { $total }
severity-nonconformities = No conformidades: { $severity }
finding = Hallazgo
days-open = Días abierto
chain = Cadena
effectiveness = Eficacia
raised-n-times = detectado { $count } veces
recorded = Registrada
missing = Falta
not-reviewed = Sin revisar

## Management review input pack
pack-period-intro = Entradas del apartado 9.3.2 de la ISO/IEC 27001:2022 a partir del registro, para el período
since = desde
after = después del
up-to-and-including = hasta el
as-of-date-of-site = fecha de referencia de este sitio
every-entry-as-it-stood = Cada entrada se muestra tal como estaba el
changes-as-data = Los cambios como datos:
pack-a = a) Estado de las acciones de revisiones previas
decided-at = Decidido en
no-decisions = No hay decisiones registradas en revisiones anteriores
front-matter = encabezado
pack-b = b) Cambios en el período
changes-after-up-to = Cambios después del { $from_ } hasta el { $to }
new-entries = Nuevas entradas
status-changes = Cambios de estado
target-dates-moved = Fechas objetivo aplazadas
effectiveness-reviews = Revisiones de eficacia
all-in-changes-json = todas en changes.json.
pack-c = c) Desempeño de la seguridad de la información
nc-and-corrective-actions = No conformidades y acciones correctivas
pack-findings-summary = { $new } detectados en el período, { $closed } cerrados y { $reopened } reabiertos por una revisión de eficacia en el período; { $open } sin cerrar el { $date }.
state-on = Situación el { $date }
new-lower = nuevo
monitoring-results = Resultados de seguimiento y medición
kpis-fulfilment = Cumplimiento de los objetivos, según los indicadores: { $met } de { $total } indicadores con meta la alcanzan
kpis-miss = { $count } no la alcanzan
kpis-no-target = { $count } no tienen meta
kpis-short = Indicadores
entry = Entrada
kpi = Indicador
latest = Último valor
result = Resultado
before-the-period = antes del período
none-lower = ninguna
kpi-met = Alcanzada
kpi-missed = No alcanzada
kpi-no-target = Sin meta
no-kpi-measured-by = Ningún indicador medido a { $date }.
audit-results = Resultados de auditoría
no-audit-in-period = No hubo auditorías en el período.
no-audit-entries = No se identificaron entradas de auditorías en el período.
pack-d = d) Retroalimentación de las partes interesadas
no-feedback-entries = No se identificaron entradas de comentarios en el período.
pack-e = e) Resultados de la apreciación de riesgos y estado del plan de tratamiento de riesgos
no-risk-entries = No se identificaron entradas de la apreciación de riesgos en el período.
pack-f = f) Oportunidades de mejora continua
no-improvement-entries = No se identificaron entradas de mejora en el período.

## Objectives and KPIs (objectives.html; the sparklines' text)
objectives-title = Objetivos e indicadores
kpi-counts = { $total ->
    [one] { $total } indicador
   *[other] { $total } indicadores
}: { $met } cumplidos, { $missed } no cumplidos, { $no_target } sin meta, { $no_data } aún sin medir
n-objectives = { $count ->
    [one] { $count } objetivo
   *[other] { $count } objetivos
}
objectives-explain-before = La última medición de cada indicador hasta el
objectives-explain-after = frente a su meta, en el sentido que el indicador considera mejor. Un indicador que ningún objetivo nombra aparece en «Otros indicadores».
objective-met-missed-of = { $met } cumplidos, { $missed } no cumplidos de { $total }
objective-owner = Responsable: { $owner }
objective-target = Meta: { $target }
kpis-of = Indicadores de { $title }
kpi-standing = Situación
kpi-trend = Tendencia
kpi-measured-on = el
too-few-measurements = muy pocas mediciones
no-kpi-for-objective = Ningún indicador mide todavía este objetivo.
other-kpis-more = { $count ->
    [one] Un indicador más está en la página de su entrada; las exportaciones contienen todos los indicadores:
   *[other] { $count } indicadores más están en las páginas de sus entradas; las exportaciones contienen todos los indicadores:
}
other-kpis = Otros indicadores
standing-met = Cumplido
standing-missed = No cumplido
standing-no-target = Sin meta
standing-no-data = Sin mediciones
spark-point = { $value } el { $date }
spark-label = Tendencia de { $name }: { $values }{ $target ->
    [none] {""}
   *[other] ; meta { $target }
}

## Risks (risks.html)
risks-summary = { $risks ->
    [one] { $risks } riesgo
   *[other] { $risks } riesgos
} en el catálogo de riesgos; { $treated ->
    [one] { $treated } entrada del registro trata
   *[other] { $treated } entradas del registro tratan
} uno o varios de ellos.
risks-explain = Cada riesgo con las entradas del registro que lo tratan (tratamiento de riesgos, ISO/IEC 27001 6.1.3); cada página de entrada enlaza de vuelta aquí.
risk-owner = Propietario del riesgo
risk-level = Nivel
risk-treatment = Tratamiento
no-entry-treats-risk = Ninguna entrada del registro trata todavía este riesgo.
risks-uncatalogued = Nombrados por entradas, no están en el catálogo

## Group site (group_base.html, group_index.html, group_register.html)
group-dashboard = Panel del grupo
combined-register = Registro conjunto
group-view-as-of = Vista de grupo a
group-made-from = , elaborada a partir del archivo publicado por cada registro:
group-summary = { $registers ->
    [one] { $registers } registro
   *[other] { $registers } registros
}, { $entries ->
    [one] { $entries } entrada
   *[other] { $entries } entradas
}; cifras a
group-own-period = , cada uno para su propio período de revisión por la dirección.
group-not-all-as-of = No todos los registros están a
group-differing-explain = Sus cifras son a su propia fecha (marcada abajo), y los totales suman cifras de días distintos.
group-total = Total del grupo
group-nc-open = no conformidades mayores abiertas, { $minor } menores, { $observation } observaciones
group-nc-states = { $open } abiertas, { $reopened } reabiertas, { $awaiting } pendientes de verificación, { $closed } cerradas
group-effective-detail = { $effective } de { $reviewed } revisadas; { $completed } completadas
of-total = de { $total }
group-compared = Registros comparados
group-col-register = Registro
group-col-as-of = Fecha
group-col-completed = Completadas en el período
group-col-nc-open = NC abiertas (mayores / menores / obs.)
group-col-nc-states = Estados de NC (abiertas / reabiertas / pendientes / cerradas)
group-col-effective = Eficaces
group-col-kpis = Indicadores cumplidos / no cumplidos
group-other-date = otra fecha
group-total-row = Total
group-mixed-dates = fechas distintas
group-combined-link = El registro conjunto →
group-entries-of-registers = { $total ->
    [one] { $total } entrada
   *[other] { $total } entradas
} de { $registers ->
    [one] { $registers } registro
   *[other] { $registers } registros
}
group-page-of = la página { $page } de { $pages } muestra { $first }–{ $last }
group-links-own = Cada entrada enlaza con la página de su propio registro.
group-filter = Filtrar el registro conjunto
group-entries-range = Entradas { $first } a { $last } de { $total }
group-pages = Páginas del registro conjunto

## Feed
feed-subtitle = Cambios en el registro: nuevas entradas, cambios de estado, cierres, revisiones

## Charts
chart-date = Fecha
chart-month = Mes
chart-value = Valor
chart-all-open = Todas las abiertas
chart-open-by-status = Elementos abiertos por estado a lo largo del tiempo
chart-open-by-status-desc = Gráfico de líneas del número de elementos abiertos del registro al final de cada mes, por estado.
chart-open-items = Elementos abiertos
chart-opened-completed = Abiertos y completados por mes
chart-opened = Abiertos
chart-opened-completed-desc = Gráfico de barras de los elementos identificados y completados cada mes.
chart-overdue = Elementos vencidos a lo largo del tiempo
chart-overdue-at-month-end = Vencidos a fin de mes
chart-overdue-desc = Gráfico de líneas del número de elementos abiertos con la fecha objetivo pasada al final de cada mes.
chart-overdue-items = Elementos vencidos
chart-priority-status = Elementos por prioridad y estado
chart-priority-status-desc = Gráfico de barras agrupadas de los elementos del registro por prioridad, una barra por estado.
chart-benefit-effort = Elementos abiertos por beneficio y esfuerzo
chart-benefit-effort-corner = Beneficio \ Esfuerzo
chart-high-effort = Esfuerzo alto
chart-medium-effort = Esfuerzo medio
chart-low-effort = Esfuerzo bajo
chart-high-benefit = Beneficio alto
chart-medium-benefit = Beneficio medio
chart-low-benefit = Beneficio bajo
chart-benefit-effort-desc = Cuadrícula de los elementos abiertos por beneficio esperado (filas) y esfuerzo (columnas); beneficio alto con esfuerzo bajo está arriba a la derecha. { $count } elementos abiertos no tienen valoración de beneficio ni de esfuerzo.
chart-effort-axis = Esfuerzo (recursos necesarios)
chart-measured = Medido
chart-baseline = Referencia
chart-target = Meta
chart-kpi-desc = Gráfico de líneas de { $count } mediciones de { $name }; { $direction }{ $baseline ->
    [none] {""}
   *[other] , referencia { $baseline }
}{ $target ->
    [none] {""}
   *[other] , meta { $target }
}.

## Feed and calendars
feed-new = Nueva: { $id } { $title } ({ $status })
feed-completed = Completada: { $id } { $title }
feed-identified = { $type } identificada, prioridad { $priority }.
feed-completed-summary = Completada.
feed-status-changed = Estado cambiado a «{ $status }».
feed-entries-discussed = { $count ->
    [one] { $count } entrada tratada.
   *[other] { $count } entradas tratadas.
}
calendar-due = vence
calendar-due-dates = fechas
calendar-target-description = Fecha objetivo de la entrada { $id } del registro.
    Estado: { $status }. Prioridad: { $priority }. Responsable: { $owner }.
calendar-effectiveness-due = revisión de eficacia pendiente
calendar-effectiveness-description = Revisar si la entrada { $id } del registro funcionó: se completó el { $completed } y no hay ninguna revisión de eficacia registrada (ISO/IEC 27001 10.2 d). Responsable: { $owner }.
calendar-milestone-description = Hito del plan «{ $plan }» para { $entries }.
calendar-plan-owner = Responsable del plan: { $owner }.
calendar-milestone-summary = Hito que vence: { $milestone } ({ $plan })

## Scripts (static/search.js, static/register.js): %n, %m, %d stand for numbers, %q for the query
js-search-failed = No se pudo cargar el índice de búsqueda.
js-search-loading = Cargando el índice de búsqueda…
js-no-matches-for = No hay resultados para «%q».
js-first-of-matches = Los primeros %n de %m resultados; escriba más palabras para acotarlos.
js-matches-one = %n resultado; pulse la flecha abajo para llegar a él.
js-matches-other = %n resultados; pulse la flecha abajo para llegar a ellos.
js-no-matches = No hay resultados.
js-overdue = Vencida
js-extended = aplazada %n veces
js-show-more = Mostrar %n más (%d de %m mostradas)
js-page-shown = %n de %m mostradas (esta página); un filtro u orden abarca todas
js-shown = %n de %m mostradas
js-loading-all = Cargando las %n entradas…
js-register-failed = No se pudieron cargar los datos del registro.

date-not-recorded = fecha no registrada
approval-unchanged = texto aprobado sin cambios
revision = revisión
approval-changed = modificado desde la aprobación del { $date } ({ $count ->
    [one] { $count } commit
   *[other] { $count } commits
}
approval-uncommitted = y cambios aún sin confirmar
approved-revision = revisión aprobada
approval-unknown = no se puede comprobar el texto aprobado:
approval-diff-summary = Cambios desde la revisión aprobada { $revision }
approval-fields-changed = Campos modificados: { $fields }.
task-done = Hecho
task-not-done = Pendiente
