//! Plans (milestones, progress) and reviews (notes, and the register as it
//! stood on the review date).

use super::*;
use crate::compute::{asof, sweep, timeline};

fn milestone_views(p: &Plan, as_of: NaiveDate) -> Vec<MilestoneView> {
    p.milestones
        .iter()
        .map(|m| MilestoneView {
            title: m.title.clone(),
            due: m.due.map(iso),
            done: m.done.map(iso),
            state: match (m.due, m.done) {
                (Some(due), Some(done)) if done > due => "late",
                (_, Some(_)) => "done",
                (Some(due), None) if due < as_of => "overdue",
                _ => "open",
            },
        })
        .collect()
}

pub(super) fn render_plans(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let as_of = site.rollups.as_of;
    let results: Vec<Result<PlanSummary>> = site
        .reg
        .plans
        .par_iter()
        .enumerate()
        .map(|(pi, p)| {
            let milestones = milestone_views(p, as_of);
            let (done, overdue) = milestone_counts(&milestones);
            let total = milestones.len();
            if !(site.keeps_plan(pi) && out.keep(&plan_page_path(p))?) {
                write_plan_page(site, theme, out, (pi, p), milestones)?;
            }
            Ok(PlanSummary {
                title: p.title.clone(),
                url: plan_url(&p.slug),
                owner: p.owner.clone(),
                updated: p.updated.map(iso),
                milestones_total: total,
                milestones_done: done,
                milestones_overdue: overdue,
                entries: site.named(&p.entries).len(),
            })
        })
        .collect();
    let summaries = results.into_iter().collect::<Result<Vec<_>>>()?;
    let count = summaries.len() + 1;
    let c = PlansPage { plans: summaries };
    let frame = Frame {
        root: "../",
        section: "plans",
    };
    let html = render_page(theme, "plans.html", frame, &c)?;
    out.write("plans/index.html", html.as_bytes())?;
    Ok(count)
}

/// How many of `milestones` are done (late or not), and how many overdue.
fn milestone_counts(milestones: &[MilestoneView]) -> (usize, usize) {
    let done = milestones
        .iter()
        .filter(|m| matches!(m.state, "done" | "late"))
        .count();
    let overdue = milestones.iter().filter(|m| m.state == "overdue").count();
    (done, overdue)
}

/// Where plan `p`'s page is written.
fn plan_page_path(p: &Plan) -> String {
    format!("plans/{}/index.html", p.slug)
}

/// Plan `p`'s page (`pi` its index), with its `milestones` as of the
/// as-of date.
fn write_plan_page(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    (pi, p): (usize, &Plan),
    milestones: Vec<MilestoneView>,
) -> Result<()> {
    let (done, _) = milestone_counts(&milestones);
    let c = PlanPage {
        plan: PlanHead {
            title: &p.title,
            owner: p.owner.as_deref(),
            updated: p.updated.map(iso),
            approved: approval_view(&p.approved),
        },
        body_html: &site.plan_md[pi].html,
        milestones_done: done,
        progress: if milestones.is_empty() {
            0
        } else {
            done * 100 / milestones.len()
        },
        milestones,
        rows: SharedValue(site.rows_of(&site.named(&p.entries))),
        revisions: revisions_view(&p.revisions),
    };
    let frame = Frame {
        root: ITEM_ROOT,
        section: "plans",
    };
    let html = render_page(theme, "plan.html", frame, &c)?;
    out.write(&plan_page_path(p), html.as_bytes())
}

/// The pages of the plans `only` (indices into the register's plans),
/// and no other file: the live preview serves them before the rest.
pub(super) fn render_plan_pages(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    only: &[usize],
) -> Result<usize> {
    let plans = &site.reg.plans;
    only.iter()
        .filter_map(|&pi| plans.get(pi).map(|p| (pi, p)))
        .map(|(pi, p)| {
            let milestones = milestone_views(p, site.rollups.as_of);
            write_plan_page(site, theme, out, (pi, p), milestones).map(|()| 1)
        })
        .sum()
}

/// The "Continual improvement" section of a review, as of its date, from
/// its figures `snap` ([`sweep::review_days`] computes every review's in
/// one pass). Its lists are bounded (see [`LIST_MAX`]) with their counts:
/// a review on a large register would otherwise list thousands of
/// entries, and the site would grow with reviews × entries.
fn review_figures(
    site: &RenderContext,
    review: &Review,
    previous: Option<&Review>,
    snap: &sweep::ReviewDay,
) -> ImprovementView {
    let since = previous.map(|p| p.date);
    let entries = &site.reg.entries;
    // Overdue as of the review day, not as of the build; longest first.
    let late = |i: usize| {
        timeline::target_on(&entries[i], review.date).map(|t| (review.date - t).num_days())
    };
    let overdue_rows = snap.overdue.iter().map(|&i| {
        site.row_with(
            i,
            [
                ("overdue", Value::from(true)),
                ("days_overdue", Value::from(late(i))),
            ],
        )
    });
    let completed = snap.completed_since.iter().map(|i| site.row_value(*i));
    let by_status = count_views(&snap.by_status, |s| (site.i18n.label(*s).into(), None));
    ImprovementView {
        date: iso(review.date),
        since: since.map(iso),
        by_status,
        open: snap.open,
        // Latest first: what the meeting would talk about.
        completed_since: bounded_values(completed, snap.completed_since_count, None),
        overdue: bounded_values(overdue_rows, snap.overdue_count, None),
    }
}

/// For each review, the last review of its kind listed and held before
/// it, by position (whose date its "since" figures start from).
fn previous_of_kind(reviews: &[Review]) -> Vec<Option<usize>> {
    (0..reviews.len())
        .map(|ri| {
            let r = &reviews[ri];
            (0..ri)
                .rev()
                .find(|&p| reviews[p].kind == r.kind && reviews[p].date < r.date)
        })
        .collect()
}

/// Entry `i`'s row as it stood on `day`: status, target, completion,
/// overdue and age from the entry as of that day (see
/// [`asof::entry_on`]), with its status as of the build beside it
/// (`status_now`) for the link to its page.
fn row_on(site: &RenderContext, i: usize, day: NaiveDate) -> Value {
    let now = &site.reg.entries[i];
    let date = |d: Option<NaiveDate>| d.map(iso).map(Value::from).unwrap_or(Value::none());
    let then = asof::entry_on(now, day);
    let f = then.as_ref().map(|e| rollup::entry_facts(e, day));
    let (status, label) = match &then {
        Some(e) => (e.status.slug(), site.i18n.label(e.status)),
        None => ("not-identified", site.i18n.t("not-yet-identified")),
    };
    site.row_with(
        i,
        [
            ("status", Value::from(status)),
            ("status_label", Value::from(label)),
            ("target", date(then.as_ref().and_then(|e| e.target))),
            ("completed", date(then.as_ref().and_then(|e| e.completed))),
            (
                "overdue",
                Value::from(f.as_ref().is_some_and(|f| f.overdue)),
            ),
            (
                "days_overdue",
                Value::from(f.as_ref().and_then(|f| f.days_overdue)),
            ),
            ("age_days", Value::from(f.as_ref().and_then(|f| f.age_days))),
            ("status_now", Value::from(now.status.slug())),
            ("status_now_label", Value::from(site.i18n.label(now.status))),
        ],
    )
}

/// The entries a review discussed: the first [`LIST_MAX`] as rows as they
/// stood on the review's date, the rest as links by id, so each stays one
/// click away from its review.
fn discussed(site: &RenderContext, review: &Review) -> DiscussedView {
    let idx = site.named(&review.entries);
    let rest: Vec<IdLink> = idx
        .iter()
        .skip(LIST_MAX)
        .map(|&i| {
            let e = &site.reg.entries[i];
            IdLink {
                id: e.id.clone(),
                url: entry_url(&e.id),
            }
        })
        .collect();
    let rows: Vec<Value> = idx
        .iter()
        .take(LIST_MAX)
        .map(|&i| row_on(site, i, review.date))
        .collect();
    DiscussedView {
        rows: SharedValue(Value::from(rows)),
        total: idx.len(),
        rest,
    }
}

pub(super) fn render_reviews(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let reviews = &site.reg.reviews;
    let previous = previous_of_kind(reviews);
    let days: Vec<(NaiveDate, Option<NaiveDate>)> = reviews
        .iter()
        .zip(&previous)
        .map(|(r, p)| (r.date, p.map(|p| reviews[p].date)))
        .collect();
    // Every review's figures in one sweep, read in parallel below.
    let figures = sweep::review_days(site.reg, site.facts, &days, LIST_MAX);
    let results: Vec<Result<DatedLink>> = reviews
        .par_iter()
        .enumerate()
        .map(|(ri, r)| {
            const ROOT: &str = ITEM_ROOT;
            let previous = previous[ri].map(|p| &reviews[p]);
            let c = ReviewPage {
                review: ReviewHead {
                    title: &r.title,
                    date: iso(r.date),
                    kind: site.i18n.label(r.kind),
                    previous: previous.map(|p| p.title.as_str()),
                    previous_url: previous.map(|p| review_url(&p.slug)),
                    approved: approval_view(&r.approved),
                },
                attendees: &r.attendees,
                body_html: &site.review_md[ri].html,
                discussed: discussed(site, r),
                ci: review_figures(site, r, previous, &figures[ri]),
                decisions: review_input::own_decisions(site.reg, &site.i18n, r, site.rollups.as_of),
                input_url: (r.kind == ReviewKind::ManagementReview)
                    .then(|| format!("reviews/{}/input/index.html", encode_segment(&r.slug))),
                revisions: revisions_view(&r.revisions),
            };
            let frame = Frame {
                root: ROOT,
                section: "reviews",
            };
            let path = format!("reviews/{}/index.html", r.slug);
            write_page(site, theme, out, &path, "review.html", frame, &c)?;
            Ok(DatedLink {
                title: r.title.clone(),
                url: review_url(&r.slug),
                date: Some(iso(r.date)),
            })
        })
        .collect();
    let mut list = results.into_iter().collect::<Result<Vec<_>>>()?;
    list.reverse(); // newest first
    let kinds: Vec<&str> = reviews
        .iter()
        .rev()
        .map(|r| site.i18n.label(r.kind))
        .collect();
    let count = list.len() + 1;
    let c = ReviewsPage {
        reviews: list,
        kinds,
    };
    let frame = Frame {
        root: "../",
        section: "reviews",
    };
    let html = render_page(theme, "reviews.html", frame, &c)?;
    out.write("reviews/index.html", html.as_bytes())?;
    Ok(count)
}

fn approval_view(a: &Option<Approval>) -> Option<ApprovalView<'_>> {
    let a = a.as_ref()?;
    let mut view = ApprovalView {
        by: &a.by,
        date: iso(a.date),
        ..ApprovalView::default()
    };
    match &a.since {
        None => {}
        Some(TextSince::Unchanged { revision }) => {
            view.text = Some("unchanged");
            view.revision = Some(revision);
        }
        Some(TextSince::Changed {
            revision,
            commits,
            uncommitted,
            fields,
            diff,
        }) => {
            view.text = Some("changed");
            view.revision = Some(revision);
            view.commits = *commits;
            view.uncommitted = *uncommitted;
            view.fields = fields.iter().map(String::as_str).collect();
            view.diff = diff.iter().map(diff_line_view).collect();
        }
        Some(TextSince::Unknown(why)) => {
            view.text = Some("unknown");
            view.note = Some(why);
        }
    }
    Some(view)
}

fn diff_line_view(l: &DiffLine) -> DiffLineView<'_> {
    DiffLineView {
        kind: match l.kind {
            DiffKind::Same => "same",
            DiffKind::Removed => "removed",
            DiffKind::Added => "added",
            DiffKind::Gap => "gap",
        },
        marker: l.kind.marker(),
        text: &l.text,
    }
}
