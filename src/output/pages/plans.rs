//! Plans (milestones, progress) and reviews (notes, and the register as it
//! stood on the review date).

use super::*;

#[derive(Serialize)]
struct MilestoneView {
    title: String,
    due: Option<String>,
    done: Option<String>,
    /// done, late (done after due), overdue, open
    state: &'static str,
}

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

#[derive(Serialize)]
struct PlanSummary {
    title: String,
    url: String,
    owner: Option<String>,
    updated: Option<String>,
    milestones_total: usize,
    milestones_done: usize,
    milestones_overdue: usize,
    entries: usize,
}

pub(super) fn render_plans(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let as_of = site.rollups.as_of;
    let results: Vec<Result<PlanSummary>> = site
        .reg
        .plans
        .par_iter()
        .enumerate()
        .map(|(pi, p)| {
            const ROOT: &str = ITEM_ROOT;
            let milestones = milestone_views(p, as_of);
            let done = milestones
                .iter()
                .filter(|m| matches!(m.state, "done" | "late"))
                .count();
            let overdue = milestones.iter().filter(|m| m.state == "overdue").count();
            let rows = site.named(&p.entries);
            let mut c = Context::new();
            c.insert(
                "plan",
                &BTreeMap::from([
                    ("title", Some(p.title.clone())),
                    ("owner", p.owner.clone()),
                    ("updated", p.updated.map(iso)),
                ]),
            );
            c.insert("body_html", &site.plan_md[pi].html);
            c.insert("milestones", &milestones);
            c.insert("milestones_done", &done);
            c.insert(
                "progress",
                &if milestones.is_empty() {
                    0
                } else {
                    done * 100 / milestones.len()
                },
            );
            c.insert_value("rows", site.rows_of(&rows));
            let html = page(theme, "plan.html", ROOT, "plans", c)?;
            out.write(&format!("plans/{}/index.html", p.slug), html.as_bytes())?;
            Ok(PlanSummary {
                title: p.title.clone(),
                url: plan_url(&p.slug),
                owner: p.owner.clone(),
                updated: p.updated.map(iso),
                milestones_total: milestones.len(),
                milestones_done: done,
                milestones_overdue: overdue,
                entries: rows.len(),
            })
        })
        .collect();
    let summaries = results.into_iter().collect::<Result<Vec<_>>>()?;
    let mut c = Context::new();
    c.insert("plans", &summaries);
    let html = page(theme, "plans.html", "../", "plans", c)?;
    out.write("plans/index.html", html.as_bytes())?;
    Ok(summaries.len() + 1)
}

/// The "Continual improvement" section of a review, as of its date. Its
/// lists are bounded (see [`LIST_MAX`]) with their counts: a review on a
/// large register would otherwise list thousands of entries, and the
/// site would grow with reviews × entries.
fn review_figures(site: &RenderContext, review: &Review, previous: Option<&Review>) -> Value {
    let snap = rollup::snapshot(site.reg, site.facts, review.date);
    let since = previous.map(|p| p.date);
    let entries = &site.reg.entries;
    let mut completed_since: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            rollup::status_on(&site.facts[i].timeline, review.date) == Some(Status::Completed)
                && entries[i]
                    .completed
                    .is_some_and(|c| c <= review.date && since.is_none_or(|s| c > s))
        })
        .collect();
    // Latest first: what the meeting would talk about.
    rollup::latest_completed_first(entries, &mut completed_since);
    // Overdue as of the review day, not as of the build; longest first.
    let late = |i: usize| entries[i].target.map(|t| (review.date - t).num_days());
    let mut overdue = snap.overdue.clone();
    overdue.sort_by(|a, b| {
        late(*b)
            .cmp(&late(*a))
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
    let overdue_rows = overdue.iter().map(|&i| {
        site.row_with(
            i,
            [
                ("overdue", Value::from(true)),
                ("days_overdue", Value::from(late(i))),
            ],
        )
    });
    let by_status = count_views(&snap.by_status, |s| (s.label().into(), None));
    Value::from(Map::from_iter([
        (Key::from("date"), Value::from(iso(review.date))),
        (Key::from("since"), Value::from(since.map(iso))),
        (Key::from("by_status"), Value::from_serializable(&by_status)),
        (Key::from("open"), Value::from(snap.open)),
        (
            Key::from("completed_since"),
            bounded_rows(site, &completed_since, None),
        ),
        (
            Key::from("overdue"),
            bounded_values(overdue_rows, overdue.len(), None),
        ),
    ]))
}

/// The entries a review discussed: the first [`LIST_MAX`] as rows, the
/// rest as links by id, so each stays one click away from its review.
fn discussed(site: &RenderContext, review: &Review) -> Value {
    let idx = site.named(&review.entries);
    let rest: Vec<Value> = idx
        .iter()
        .skip(LIST_MAX)
        .map(|&i| {
            let e = &site.reg.entries[i];
            Value::from(Map::from_iter([
                (Key::from("id"), Value::from(e.id.clone())),
                (Key::from("url"), Value::from(entry_url(&e.id))),
            ]))
        })
        .collect();
    Value::from(Map::from_iter([
        (
            Key::from("rows"),
            site.rows_of(&idx[..idx.len().min(LIST_MAX)]),
        ),
        (Key::from("total"), Value::from(idx.len())),
        (Key::from("rest"), Value::from(rest)),
    ]))
}

pub(super) fn render_reviews(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let reviews = &site.reg.reviews;
    let results: Vec<Result<DatedLink>> = reviews
        .par_iter()
        .enumerate()
        .map(|(ri, r)| {
            const ROOT: &str = ITEM_ROOT;
            let previous = reviews[..ri]
                .iter()
                .rev()
                .find(|p| p.kind == r.kind && p.date < r.date);
            let mut c = Context::new();
            c.insert(
                "review",
                &BTreeMap::from([
                    ("title", Some(r.title.clone())),
                    ("date", Some(iso(r.date))),
                    ("kind", Some(r.kind.label().to_string())),
                    ("previous", previous.map(|p| p.title.clone())),
                    ("previous_url", previous.map(|p| review_url(&p.slug))),
                ]),
            );
            c.insert("attendees", &r.attendees);
            c.insert("body_html", &site.review_md[ri].html);
            c.insert_value("discussed", discussed(site, r));
            c.insert_value("ci", review_figures(site, r, previous));
            let html = page(theme, "review.html", ROOT, "reviews", c)?;
            out.write(&format!("reviews/{}/index.html", r.slug), html.as_bytes())?;
            Ok(DatedLink {
                title: r.title.clone(),
                url: review_url(&r.slug),
                date: Some(iso(r.date)),
            })
        })
        .collect();
    let mut list = results.into_iter().collect::<Result<Vec<_>>>()?;
    list.reverse(); // newest first
    let kinds: Vec<&str> = reviews.iter().rev().map(|r| r.kind.label()).collect();
    let mut c = Context::new();
    c.insert("reviews", &list);
    c.insert("kinds", &kinds);
    let html = page(theme, "reviews.html", "../", "reviews", c)?;
    out.write("reviews/index.html", html.as_bytes())?;
    Ok(list.len() + 1)
}
