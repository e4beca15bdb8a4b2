# isms-site interface strings: English (the fallback for every language).
# Copy this file to content/translations/<language>.ftl to add a language,
# or copy single lines to change a label (see docs/user-guide.md, Language).
# Syntax: https://projectfluent.org/fluent/guide/ — `{ $count -> ... }`
# picks the plural form by the language's CLDR rules.

## Formats
number-decimal-separator = {"."}
# `date_format: long`
date-long = { $day } { $month } { $year }
# Chart axes
date-month-year = { $month } { $year }
date-day-month-year = { $day } { $month } { $year }
date-month-short-year = { $month } { $year }
month-long-1 = January
month-long-2 = February
month-long-3 = March
month-long-4 = April
month-long-5 = May
month-long-6 = June
month-long-7 = July
month-long-8 = August
month-long-9 = September
month-long-10 = October
month-long-11 = November
month-long-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
sentence-end = .
days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}

## Names of the values written in YAML (the YAML keeps the English slug)
status-not-started = Not started
status-planned = Planned
status-in-progress = In progress
status-completed = Completed
status-cancelled = Cancelled
level-high = High
level-medium = Medium
level-low = Low
source-internal-audit = Internal audit
source-external-audit = External audit
source-incident = Incident
source-nonconformity = Nonconformity
source-management-review = Management review
source-risk-assessment = Risk assessment
source-feedback = Feedback
source-monitoring = Monitoring
source-other = Other
entry-type-improvement = Improvement
entry-type-corrective-action = Corrective action
entry-type-preventive-action = Preventive action
effectiveness-result-effective = Effective
effectiveness-result-partially-effective = Partially effective
effectiveness-result-not-effective = Not effective
severity-major = Major
severity-minor = Minor
severity-observation = Observation
direction-increase = Higher is better
direction-decrease = Lower is better
review-kind-management-review = Management review
review-kind-internal-audit = Internal audit
review-kind-external-audit = External audit
review-kind-progress-review = Progress review
audience-public = public
audience-internal = internal
audience-restricted = restricted
finding-state-open = Open
finding-state-reopened = Reopened
finding-state-awaiting-verification = Awaiting verification
finding-state-closed = Closed
decision-state-done = Done
decision-state-open = Open
decision-state-overdue = Overdue
decision-state-untracked = Not tracked in the register

## Every page (base.html)
feed-title = Register changes
skip-to-content = Skip to content
nav-main = Main
nav-dashboard = Dashboard
nav-register = Register
nav-plans = Plans
nav-reviews = Reviews
nav-nonconformities = Nonconformities
nav-objectives = Objectives
nav-risks = Risks
nav-owners = Owners
nav-controls = Controls
nav-tags = Tags
search-label = Search
search-placeholder = Entries, plans, reviews
search-go = Go
footer-figures-as-of = Figures as of
footer-for-audience = for the { $audience } audience
footer-content = content
footer-data = Data:
footer-status = Status
footer-priority = Priority
footer-source = Source
footer-index = index

## Shared parts (partials/)
entries = Entries
col-title = Improvement opportunity
col-status = Status
col-priority = Priority
col-owner = Owner
col-target = Target
col-items = Items
overdue-days-short = Overdue { $count } d
no-entries = No entries.
n-of-total-shown = { $shown } of { $total } shown
all-n-what = all { $total } { $what }
all-n = all { $total }
restricted-stubs = { $count ->
    [one] { $count } entry is shown as restricted stubs for this audience; counts include them.
   *[other] { $count } entries are shown as restricted stubs for this audience; counts include them.
}
chart-numbers-behind = The numbers behind “{ $title }”
revisions = Revisions
last-updated = Last updated
earlier-revisions = { $count ->
    [one] And { $count } earlier revision.
   *[other] And { $count } earlier revisions.
}
pack-identified-in-period = { $count } identified in the period:

## Dashboard (index.html)
this-period = this period
date-to = to
date-on = on
since-the = since the
since-register-began-no-review = since the register began (no earlier management review)
period-closed-by-before = the period the
period-closed-by-after = closed
summary-for-management = Summary for management
card-completed-in-period = completed in the period
nothing-completed-in-period = Nothing completed in the period.
last-completion = The last completion:
outcomes = outcomes
all-completed = all completed
card-overdue = overdue
unassigned = unassigned
days-late = { $count ->
    [one] { $count } day late
   *[other] { $count } days late
}
most-overdue = Most overdue:
n-overdue-of-open = { $overdue } overdue of { $open } open
all-n-overdue = all { $total } overdue
nothing-overdue = Nothing is overdue.
open-nonconformities = Open nonconformities
nc-open-major = open major
nc-open-minor = open minor
n-with-no-follow-up = { $count } with no follow-up
none-recorded = None recorded.
before-next-review = Before the next review,
n-actions-due = { $count ->
    [one] { $count } action due
   *[other] { $count } actions due
}
n-milestones = { $count ->
    [one] { $count } milestone
   *[other] { $count } milestones
}
n-effectiveness-reviews = { $count ->
    [one] { $count } effectiveness review
   *[other] { $count } effectiveness reviews
}
review-was-due-days-ago = (the review was due { $count } days ago)
due = due
next-review-estimated = Estimated: the last management review plus the usual { $days } days.
next-review-set = Set in site.yaml.
next-review = Next review
no-review-yet = No management review recorded yet, and no
no-review-yet-set = set.
trend-heading = Trend: { $direction }
trend-better = better
trend-same = same
trend-worse = worse
trend-open = Open
trend-overdue = overdue
trend-since-review = since the { $review }
trend-since-began = since the register began
trend-charts = trend charts
found-effective = found effective
effectiveness-summary = { $effective } of { $reviewed } reviewed; { $unreviewed } of { $completed } completed not yet reviewed.
n-effectiveness-reviews-due = { $count ->
    [one] { $count } effectiveness review due, { $overdue } overdue
   *[other] { $count } effectiveness reviews due, { $overdue } overdue
}
overdue-actions = Overdue actions
what-overdue = overdue
what-not-effective = not effective
what-completed = completed
what-open = open
targets-extended = Targets extended repeatedly
extended-times = extended { $count }×
originally = originally
now = now
plus-days = +{ $count } days
most-extended-first = most extended first.
overdue-plan-milestones = Overdue plan milestones
longest-overdue-first = longest overdue first
all-overdue-milestones = all { $total } overdue milestones in the plans
not-effective-unfollowed = Actions found not effective, with no follow-up
every-not-effective-followed = Every action found not effective has a follow-up.
who-owns-open-work = Who owns the open work
work-by-owner = Open and overdue work by owner
col-owner-short = Owner
col-open = Open
col-overdue = Overdue
owners-shown = { $shown } of { $total } owners with open work shown, most overdue first
all-n-owners = all { $total } owners
no-open-work = No open work.
completed-in-period-outcomes = Completed in the period — outcomes
latest-completed-before-period = Latest completed, before this period — outcomes
completed-on = completed
n-of-completed-in-period-shown = { $shown } of { $total } completed in the period shown
all-n-completed = all { $total } completed
nothing-completed-yet = Nothing completed yet.
trends-and-prioritisation = Trends and prioritisation
unrated-items = { $count ->
    [one] Benefit × effort: unrated: { $count } open item.
   *[other] Benefit × effort: unrated: { $count } open items.
}
more-figures = More figures
completed-on-time = completed on time
on-time-detail = { $part } of { $of } with a target, against the original target;
against-moved-targets = against moved targets
items-in-register = items in the register
open-lower = open
median-days-to-complete = median days to complete
median-age-open = median age of open items (days)
oldest = oldest { $days }
reviewed-for-effectiveness = of completed actions reviewed for effectiveness
kpis-met-missed = KPIs met, { $missed } missed
kpis-tile-detail = of { $total }; { $no_data } not yet measured, { $no_target } without a target
n-of-m = { $part } of { $of }
effectiveness-reviews-due = Effectiveness reviews due
overdue-lower = overdue
earliest-due-first = earliest due first.
rollups = Rollups
by-status = By status
by-priority = By priority
by-type = By type
by-source = By source
most-addressed-controls = Most addressed controls
col-type = Type
col-source = Source
col-control = Control
about-register = About this register
date-of-creation = Date of creation
responsible-person = Responsible person
calendar-intro = Every open target date and plan milestone as a calendar:
download-calendar = download calendar.ics
or = or
subscribe-mail-client = subscribe in your mail client
calendar-owners = ; each owner’s page has a calendar of their own.

## Register (register.html)
improvement-register = Improvement register
n-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}
register-page-of = in order of id; page { $page } of { $pages } shows { $first }–{ $last }
other-pages = other pages
download-as = Download as
filter-register = Filter the register
filter-text = Text
col-tag = Tag
col-risk = Risk
filter-all = All
overdue-only = Overdue only
filter-clear = Clear
sort-by = Sort by
register-entries-range = Register entries { $first } to { $last } of { $total }
all-register-entries = All register entries
col-description = Description
col-identified = Identified
col-outcome = Results / outcomes
register-pages = Register pages
previous = Previous
next = Next

## An entry (entry.html)
breadcrumb = Breadcrumb
overdue-colon = Overdue:
overdue-banner = { $count ->
    [one] the target date { $target } passed { $count } day ago and the item is still { $status }.
   *[other] the target date { $target } passed { $count } days ago and the item is still { $status }.
}
target-completion = Target completion
action-owner = Action owner
n-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
age = Age
n-days-open = { $count ->
    [one] { $count } day open
   *[other] { $count } days open
}
benefit = Benefit
effort = Effort
controls-and-clauses = Controls and clauses
risks-treated = Risks treated
reference = Reference
severity = Severity
requirement = Requirement
raised = Raised
by-person = by { $person }
findings-this-entry-serves = { $count ->
    [one] Finding this entry serves
   *[other] Findings this entry serves
}
no-follow-up = no follow-up
raised-lower = raised
closed-lower = closed
chain-colon = Chain:
correction = Correction
root-cause = Root cause
resources = Resources
effectiveness-review = Effectiveness review
reviewed-lower = reviewed
due-capital = Due
nobody-recorded-effectiveness = nobody has yet recorded whether this action worked.
related-entries = Related entries
follows-up = Follows up
followed-up-by = Followed up by
related-colon = Related:
lessons-learned = Lessons learned
history = History
identified-lower = identified
target-set-to = target set to
status-timeline = Status timeline (used for the register as it stood on past dates)
from = From
kpis = Key performance indicators
kpi-unit = unit
kpi-baseline = baseline
kpi-target = target
kpi-latest = latest
target-met = target met
target-not-yet-met = target not yet met
evidence = Evidence
external = external
plans-and-reviews = Plans and reviews
no-plan-or-review = No plan or review refers to this entry yet.
improvement-plans = Improvement plans
discussed-in-reviews = Discussed in reviews

## Plans and reviews (plan.html, plans.html, review.html, reviews.html)
updated = Updated
approved = Approved
not-recorded = not recorded
milestones-reached = Milestones reached
milestones = Milestones
percent-reached = { $percent } % reached
milestone = Milestone
done = Done
state = State
done-late = Done late
entries-in-plan = Register entries in this plan
plan = Plan
overdue-milestones = Overdue milestones
no-plans-yet = No plans yet.
reviews-intro = Management reviews, audits and progress reviews, newest first.
input-pack-next = Input pack for the next management review
input-pack-what = 9.3.2: what changed since the last one, from the register
date = Date
review = Review
kind = Kind
no-reviews-yet = No reviews yet.
attendees = Attendees
input-pack = Input pack
inputs-from-register = Inputs from the register (9.3.2)
notes = Notes
decisions-heading = Decisions and what became of them ({ $count })
what-became-by = What became of them by
owner-person = owner { $person }
entries-discussed = Entries discussed
as-they-stood-on = As they stood on
each-page-as-of = each entry’s page shows it as of
now-capital = Now
status-on = Status on { $date }
target-on = Target on { $date }
and-n-more = And { $count } more:
continual-improvement = Continual improvement
register-as-it-stood = The register as it stood on
computed-from-history = computed from each entry’s history.
items-by-status-on = Items by status on { $date } ({ $open } open)
since-previous-review = since the previous review
up-to-this-review = up to this review
completed-since-previous = Completed since the previous review
latest-completions-shown = The latest completions are shown.
overdue-on = overdue on { $date }
overdue-on-review-date = Overdue on the review date
longest-overdue-on-shown = The longest overdue on { $date } are shown.

## Owners, controls, tags, sources (taxonomy.html, term.html)
taxonomy-owners = Owners
taxonomy-statuses = Statuses
taxonomy-priorities = Priorities
taxonomy-sources = Sources
not-given = Not given
not-yet-identified = Not yet identified
controls-group-annex-a-5 = Annex A theme 5 — Organizational controls
controls-group-annex-a-6 = Annex A theme 6 — People controls
controls-group-annex-a-7 = Annex A theme 7 — Physical controls
controls-group-annex-a-8 = Annex A theme 8 — Technological controls
controls-group-annex-a-other = Annex A — other
controls-group-clause-4 = Clause 4 — Context of the organization
controls-group-clause-5 = Clause 5 — Leadership
controls-group-clause-6 = Clause 6 — Planning
controls-group-clause-7 = Clause 7 — Support
controls-group-clause-8 = Clause 8 — Operation
controls-group-clause-9 = Clause 9 — Performance evaluation
controls-group-clause-10 = Clause 10 — Improvement
controls-group-other = Other references
col-heading-title = Title
applicable = Applicable
not-applicable = Not applicable
all-items = All items
yes = Yes
no = No
none-yet = None yet.
entries-in-all = entries in all
all-entries-of-in-register = all { $total } entries of { $name } in the register
due-dates-of-as-calendar = Due dates of { $name } as a calendar:
open-nearest-first = Open, nearest target first
recently-completed = Recently completed

## Nonconformities (nonconformities.html)
n-findings-not-closed = { $count ->
    [one] { $count } finding; { $open } not closed
   *[other] { $count } findings; { $open } not closed
}
nc-explain-1 = One finding per reference: raised again, it stays one finding. Its state follows its chain — the entries carrying it and every entry that follows them up:
nc-state-open = open
nc-explain-open = while any of them is open;
nc-state-reopened = reopened
nc-explain-reopened = when the latest effectiveness review found an action not effective (flagged “no follow-up” when nothing follows it up);
nc-state-awaiting-verification = awaiting verification
nc-explain-awaiting = when the last action is completed and not yet reviewed;
nc-state-closed = closed
nc-explain-closed = when that review found it effective. Days open count from the day it was raised to the review that closed it, or to
n-not-closed-of = { $open } not closed of { $total }
severity-nonconformities = { $severity } nonconformities
finding = Finding
days-open = Days open
chain = Chain
effectiveness = Effectiveness
raised-n-times = raised { $count } times
recorded = Recorded
missing = Missing
not-reviewed = Not reviewed

## Management review input pack (review_input.html)
pack-period-intro = Inputs of ISO/IEC 27001:2022 clause 9.3.2 from the register, for the period
since = since
after = after
up-to-and-including = up to and including
as-of-date-of-site = the as-of date of this site
every-entry-as-it-stood = Every entry is shown as it stood on
changes-as-data = The changes as data:
pack-a = a) Status of actions from previous reviews
decided-at = Decided at
no-decisions = No decisions recorded in earlier reviews
front-matter = front matter
pack-b = b) Changes in the period
changes-after-up-to = Changes after { $from_ } up to { $to }
new-entries = New entries
status-changes = Status changes
target-dates-moved = Target dates moved
effectiveness-reviews = Effectiveness reviews
all-in-changes-json = all in changes.json.
pack-c = c) Information security performance
nc-and-corrective-actions = Nonconformities and corrective actions
pack-findings-summary = { $new } raised in the period, { $closed } closed and { $reopened } reopened by an effectiveness review in the period; { $open } not closed on { $date }.
state-on = State on { $date }
new-lower = new
monitoring-results = Monitoring and measurement results
kpis-fulfilment = Fulfilment of objectives, where KPIs say so: { $met } of { $total } KPIs with a target meet it
kpis-miss = { $count } miss it
kpis-no-target = { $count } have no target
kpis-short = KPIs
entry = Entry
kpi = KPI
latest = Latest
result = Result
before-the-period = before the period
none-lower = none
kpi-met = Met
kpi-missed = Missed
kpi-no-target = No target
no-kpi-measured-by = No KPI measured by { $date }.
audit-results = Audit results
no-audit-in-period = No audit held in the period.
no-audit-entries = No entries from audits identified in the period.
pack-d = d) Feedback from interested parties
no-feedback-entries = No entries from feedback identified in the period.
pack-e = e) Results of risk assessment and status of risk treatment
no-risk-entries = No entries from risk assessment identified in the period.
pack-f = f) Opportunities for continual improvement
no-improvement-entries = No improvement entries identified in the period.

## Objectives and KPIs (objectives.html; the sparklines' text)
objectives-title = Objectives and KPIs
kpi-counts = { $total ->
    [one] { $total } KPI
   *[other] { $total } KPIs
}: { $met } met, { $missed } missed, { $no_target } without a target, { $no_data } not yet measured
n-objectives = { $count ->
    [one] { $count } objective
   *[other] { $count } objectives
}
objectives-explain-before = Each KPI’s latest measurement on or before
objectives-explain-after = against its target, in the direction the KPI counts as better. A KPI that no objective names is listed under “Other KPIs”.
objective-met-missed-of = { $met } met, { $missed } missed of { $total }
objective-owner = Owner: { $owner }
objective-target = Target: { $target }
kpis-of = KPIs of { $title }
kpi-standing = Standing
kpi-trend = Trend
kpi-measured-on = on
too-few-measurements = too few measurements
no-kpi-for-objective = No KPI measures this objective yet.
other-kpis-more = { $count ->
    [one] One more KPI is on its entry’s page; the exports carry every KPI:
   *[other] { $count } more KPIs are on their entries’ pages; the exports carry every KPI:
}
other-kpis = Other KPIs
standing-met = Met
standing-missed = Missed
standing-no-target = No target
standing-no-data = No data
spark-point = { $value } on { $date }
spark-label = Trend of { $name }: { $values }{ $target ->
    [none] {""}
   *[other] ; target { $target }
}

## Risks (risks.html)
risks-summary = { $risks ->
    [one] { $risks } risk
   *[other] { $risks } risks
} in the risk catalogue; { $treated ->
    [one] { $treated } register entry treats
   *[other] { $treated } register entries treat
} one or more of them.
risks-explain = Each risk with the register entries that treat it (risk treatment, ISO/IEC 27001 6.1.3); each entry page links back here.
risk-owner = Owner
risk-level = Level
risk-treatment = Treatment
no-entry-treats-risk = No register entry treats this risk yet.
risks-uncatalogued = Named by entries, not in the catalogue

## Group site (group_base.html, group_index.html, group_register.html)
group-dashboard = Group dashboard
combined-register = Combined register
group-view-as-of = Group view as of
group-made-from = , made from each register’s published
group-summary = { $registers ->
    [one] { $registers } register
   *[other] { $registers } registers
}, { $entries ->
    [one] { $entries } entry
   *[other] { $entries } entries
}; figures as of
group-own-period = , each for its own management-review period.
group-not-all-as-of = Not all registers are as of
group-differing-explain = Their figures are as of their own date (marked below), and the totals add figures of different days.
group-total = Group total
group-nc-open = open major, { $minor } minor, { $observation } observation nonconformities
group-nc-states = { $open } open, { $reopened } reopened, { $awaiting } awaiting verification, { $closed } closed
group-effective-detail = { $effective } of { $reviewed } reviewed; { $completed } completed
of-total = of { $total }
group-compared = Registers compared
group-col-register = Register
group-col-as-of = As of
group-col-completed = Completed in period
group-col-nc-open = Open NCs (major / minor / obs.)
group-col-nc-states = NC states (open / reopened / awaiting / closed)
group-col-effective = Effective
group-col-kpis = KPIs met / missed
group-other-date = other date
group-total-row = Total
group-mixed-dates = mixed dates
group-combined-link = The combined register →
group-entries-of-registers = { $total ->
    [one] { $total } entry
   *[other] { $total } entries
} of { $registers ->
    [one] { $registers } register
   *[other] { $registers } registers
}
group-page-of = page { $page } of { $pages } shows { $first }–{ $last }
group-links-own = Each entry links to its register’s own page.
group-filter = Filter the combined register
group-entries-range = Entries { $first } to { $last } of { $total }
group-pages = Combined register pages

## Feed (feed.xml)
feed-subtitle = Register changes: new entries, status changes, completions, reviews

## Charts (src/output/chart)
chart-date = Date
chart-month = Month
chart-value = Value
chart-all-open = All open
chart-open-by-status = Open items by status over time
chart-open-by-status-desc = Line chart of the number of open register items at each month end, by status.
chart-open-items = Open items
chart-opened-completed = Opened and completed per month
chart-opened = Opened
chart-opened-completed-desc = Bar chart of items identified and items completed in each month.
chart-overdue = Overdue items over time
chart-overdue-at-month-end = Overdue at month end
chart-overdue-desc = Line chart of the number of open items past their target date at each month end.
chart-overdue-items = Overdue items
chart-priority-status = Items by priority and status
chart-priority-status-desc = Grouped bar chart of register items per priority, one bar per status.
chart-benefit-effort = Open items by benefit and effort
chart-benefit-effort-corner = Benefit \ Effort
chart-high-effort = High effort
chart-medium-effort = Medium effort
chart-low-effort = Low effort
chart-high-benefit = High benefit
chart-medium-benefit = Medium benefit
chart-low-benefit = Low benefit
chart-benefit-effort-desc = Grid of open items by expected benefit (rows) and effort (columns); high benefit with low effort is the top right. { $count } open items have no benefit or effort rating.
chart-effort-axis = Effort (resources needed)
chart-measured = Measured
chart-baseline = Baseline
chart-target = Target
chart-kpi-desc = Line chart of { $count } measurements of { $name }; { $direction }{ $baseline ->
    [none] {""}
   *[other] , baseline { $baseline }
}{ $target ->
    [none] {""}
   *[other] , target { $target }
}.

## Feed (feed.xml) and calendars (calendar.ics)
feed-new = New: { $id } { $title } ({ $status })
feed-completed = Completed: { $id } { $title }
feed-identified = { $type } identified, priority { $priority }.
feed-completed-summary = Completed.
feed-status-changed = Status changed to { $status }.
feed-entries-discussed = { $count ->
    [one] { $count } entry discussed.
   *[other] { $count } entries discussed.
}
calendar-due = due
calendar-due-dates = due dates
calendar-target-description = Target date of register entry { $id }.
    Status: { $status }. Priority: { $priority }. Owner: { $owner }.
calendar-effectiveness-due = effectiveness review due
calendar-effectiveness-description = Review whether register entry { $id } worked: it was completed on { $completed }, and no effectiveness review is recorded (ISO/IEC 27001 10.2 d). Owner: { $owner }.
calendar-milestone-description = Milestone of the plan "{ $plan }" for { $entries }.
calendar-plan-owner = Plan owner: { $owner }.
calendar-milestone-summary = Milestone due: { $milestone } ({ $plan })

## Scripts (static/search.js, static/register.js): %n, %m, %d stand for numbers, %q for the query
js-search-failed = The search index could not be loaded.
js-search-loading = Loading the search index…
js-no-matches-for = No matches for “%q”.
js-first-of-matches = First %n of %m matches; type more words to narrow them.
js-matches-one = %n match; press the down arrow to reach them.
js-matches-other = %n matches; press the down arrow to reach them.
js-no-matches = No matches.
js-overdue = Overdue
js-extended = extended %n×
js-show-more = Show %n more (%d of %m drawn)
js-page-shown = %n of %m shown (this page); a filter or a sort covers all
js-shown = %n of %m shown
js-loading-all = Loading all %n entries…
js-register-failed = The register data could not be loaded.

# Completed on a date nobody recorded (`completed: unknown`).
date-not-recorded = date not recorded
# Approvals bound to the text approved.
approval-unchanged = approved text unchanged
revision = revision
approval-changed = changed since approval on { $date } ({ $count ->
    [one] { $count } commit
   *[other] { $count } commits
}
approval-uncommitted = and changes not yet committed
approved-revision = approved revision
approval-unknown = the approved text cannot be checked:
approval-diff-summary = What changed since the approved revision { $revision }
approval-fields-changed = Fields changed: { $fields }.
# The accessible names of a Markdown task list's boxes.
task-done = Done
task-not-done = Not done
