//! Index pages that group entries: owners, statuses, priorities, sources,
//! controls and tags — a list of terms and one page per term.

use super::*;

/// A term's members split the way its page shows them.
struct TermLists {
    overdue: Vec<usize>,
    /// Open and not overdue, nearest target first.
    open: Vec<usize>,
    /// Latest completion first.
    completed: Vec<usize>,
}

fn term_lists(site: &RenderContext, members: &[usize]) -> TermLists {
    let entries = &site.reg.entries;
    let mut overdue: Vec<usize> = members
        .iter()
        .copied()
        .filter(|i| site.facts[*i].overdue)
        .collect();
    // Same order as the dashboard's overdue list: longest overdue first.
    let rank: HashMap<usize, usize> = site
        .rollups
        .overdue
        .iter()
        .enumerate()
        .map(|(r, i)| (*i, r))
        .collect();
    overdue.sort_by_key(|i| rank.get(i).copied().unwrap_or(usize::MAX));
    let mut open: Vec<usize> = members
        .iter()
        .copied()
        .filter(|i| entries[*i].status.is_open() && !site.facts[*i].overdue)
        .collect();
    // No target last.
    open.sort_by(|a, b| {
        let key = |i: &usize| (entries[*i].target.is_none(), entries[*i].target);
        key(a)
            .cmp(&key(b))
            .then_with(|| natural_cmp(&entries[*a].id, &entries[*b].id))
    });
    let mut completed: Vec<usize> = members
        .iter()
        .copied()
        .filter(|i| entries[*i].status == Status::Completed)
        .collect();
    rollup::latest_completed_first(entries, &mut completed);
    TermLists {
        overdue,
        open,
        completed,
    }
}

/// One way of grouping entries (owner, status, …): an index page listing
/// the terms and one page per term.
struct Taxonomy {
    dir: &'static str,
    title: &'static str,
    singular: &'static str,
    /// Term name, slug, entry indices; in display order.
    terms: Vec<(String, String, Vec<usize>)>,
    group: fn(&str) -> String,
    /// The register's filter for this grouping (see register.js).
    param: &'static str,
    /// The filter's value for a term (its name, its slug), `None` when the
    /// register cannot filter by it.
    filter_value: fn(&str, &str) -> Option<String>,
    /// Terms with most overdue, then open entries first (owners, tags,
    /// controls); otherwise in the order given.
    by_urgency: bool,
}

fn by_slug(_: &str, slug: &str) -> Option<String> {
    Some(slug.to_string())
}

/// Owners filter by name; entries without one cannot be filtered for.
fn by_owner_name(name: &str, _: &str) -> Option<String> {
    (name != rollup::UNASSIGNED).then(|| name.to_string())
}

impl Taxonomy {
    /// The register filtered to `term` and `extra`, once per key.
    fn query(&self, name: &str, slug: &str, extra: &[(&str, &str)]) -> Option<String> {
        let value = (self.filter_value)(name, slug)?;
        let mut q: Vec<(&str, &str)> = vec![(self.param, &value)];
        for (k, v) in extra {
            if !q.iter().any(|(qk, _)| qk == k) {
                q.push((k, v));
            }
        }
        Some(register_query(&q))
    }
}

fn no_group(_: &str) -> String {
    String::new()
}

/// Annex A controls by theme (A.5–A.8), clauses by number, per ISO/IEC
/// 27001:2022's structure: the catalogue key of the group's heading
/// (`controls-group-clause-10`), which also orders the groups.
pub(super) fn control_group(name: &str) -> String {
    let n = name.trim();
    let upper = n.to_ascii_uppercase();
    if let Some(rest) = upper
        .strip_prefix("A.")
        .or_else(|| upper.strip_prefix("A "))
    {
        return match rest.split('.').next() {
            Some(theme @ ("5" | "6" | "7" | "8")) => format!("controls-group-annex-a-{theme}"),
            _ => "controls-group-annex-a-other".into(),
        };
    }
    match n.split('.').next().unwrap_or("") {
        clause @ ("4" | "5" | "6" | "7" | "8" | "9" | "10") => {
            format!("controls-group-clause-{clause}")
        }
        _ => "controls-group-other".into(),
    }
}

/// Clauses first, then Annex A themes, then the rest, by number.
fn group_order(key: &str) -> (u8, String) {
    let rank = if key.starts_with("controls-group-clause-") {
        0
    } else if key == "controls-group-annex-a-other" {
        2
    } else if key.starts_with("controls-group-annex-a-") {
        1
    } else {
        3
    };
    let num: String = key
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (rank, format!("{:>4}", num))
}

/// A group's heading in the site's language ("" for no group).
fn heading(site: &RenderContext, key: &str) -> String {
    if key.is_empty() {
        return String::new();
    }
    site.i18n.t(key).to_string()
}

fn taxonomies(site: &RenderContext) -> Vec<Taxonomy> {
    let entries = &site.reg.entries;
    let by_enum = |keys: Vec<(&'static str, &'static str)>, of: &dyn Fn(&Entry) -> &'static str| {
        keys.into_iter()
            .map(|(slug, label)| {
                (
                    label.to_string(),
                    slug.to_string(),
                    (0..entries.len())
                        .filter(|i| of(&entries[*i]) == slug)
                        .collect(),
                )
            })
            .collect::<Vec<(String, String, Vec<usize>)>>()
    };
    vec![
        Taxonomy {
            dir: "owners",
            title: site.i18n.t("taxonomy-owners"),
            singular: site.i18n.t("col-owner-short"),
            terms: terms_by(entries, &site.owner_slugs, |e| vec![owner_name(e)]),
            group: no_group,
            param: "owner",
            filter_value: by_owner_name,
            by_urgency: true,
        },
        Taxonomy {
            dir: "status",
            title: site.i18n.t("taxonomy-statuses"),
            singular: site.i18n.t("col-status"),
            terms: by_enum(
                Status::ALL
                    .iter()
                    .map(|s| (s.slug(), site.i18n.label(*s)))
                    .collect(),
                &|e| e.status.slug(),
            ),
            group: no_group,
            param: "status",
            filter_value: by_slug,
            by_urgency: false,
        },
        Taxonomy {
            dir: "priority",
            title: site.i18n.t("taxonomy-priorities"),
            singular: site.i18n.t("col-priority"),
            terms: by_enum(
                Priority::ALL
                    .iter()
                    .map(|s| (s.slug(), site.i18n.label(*s)))
                    .collect(),
                &|e| e.priority.slug(),
            ),
            group: no_group,
            param: "priority",
            filter_value: by_slug,
            by_urgency: false,
        },
        Taxonomy {
            dir: "source",
            title: site.i18n.t("taxonomy-sources"),
            singular: site.i18n.t("col-source"),
            terms: by_enum(
                Source::ALL
                    .iter()
                    .map(|s| (s.slug(), site.i18n.label(*s)))
                    .collect(),
                &|e| e.source.map(|s| s.slug()).unwrap_or(""),
            ),
            group: no_group,
            param: "source",
            filter_value: by_slug,
            by_urgency: false,
        },
        Taxonomy {
            dir: "controls",
            title: site.i18n.t("controls-and-clauses"),
            singular: site.i18n.t("col-control"),
            terms: with_catalogue(
                terms_by(entries, &site.control_slugs, |e| e.controls.clone()),
                site,
            ),
            group: control_group,
            param: "control",
            filter_value: by_slug,
            by_urgency: true,
        },
        Taxonomy {
            dir: "tags",
            title: site.i18n.t("nav-tags"),
            singular: site.i18n.t("col-tag"),
            terms: terms_by(entries, &site.tag_slugs, |e| e.tags.clone()),
            group: no_group,
            param: "tag",
            filter_value: by_slug,
            by_urgency: true,
        },
    ]
}

/// The control catalogue, on the controls taxonomy only.
fn catalogue<'a>(site: &'a RenderContext, tax: &Taxonomy) -> Option<&'a [Control]> {
    (tax.dir == "controls")
        .then_some(site.reg.controls.as_deref())
        .flatten()
}

/// The controls in use plus every catalogued control no entry names yet:
/// the catalogue is the organisation's whole Statement of Applicability.
fn with_catalogue(
    mut terms: Vec<(String, String, Vec<usize>)>,
    site: &RenderContext,
) -> Vec<(String, String, Vec<usize>)> {
    for c in site.reg.controls.iter().flatten() {
        if !terms.iter().any(|(name, _, _)| *name == c.id) {
            terms.push((c.id.clone(), site.control_slugs[&c.id].clone(), Vec::new()));
        }
    }
    terms.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    terms
}

/// Entries grouped by free-text names (owners, controls, tags), each term
/// with its slug, in natural order. One pass over the entries.
fn terms_by(
    entries: &[Entry],
    slugs: &HashMap<String, String>,
    names_of: impl Fn(&Entry) -> Vec<String>,
) -> Vec<(String, String, Vec<usize>)> {
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for name in names_of(e) {
            let list = members.entry(name).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    let mut terms: Vec<_> = members
        .into_iter()
        .map(|(name, list)| {
            let slug = slugs.get(&name).cloned().unwrap_or_else(|| slugify(&name));
            (name, slug, list)
        })
        .collect();
    terms.sort_by(|a, b| natural_cmp(&a.0, &b.0));
    terms
}

/// The index page of one taxonomy: every term with its open, overdue and
/// total counts (one row per term, however many entries).
fn render_index(site: &RenderContext, theme: &Theme, out: &Out, tax: &Taxonomy) -> Result<()> {
    let mut groups: BTreeMap<(u8, String), GroupView> = BTreeMap::new();
    for (name, slug, members) in &tax.terms {
        let key = (tax.group)(name);
        let g = groups
            .entry(group_order(&key))
            .or_insert_with(|| GroupView {
                heading: heading(site, &key),
                terms: Vec::new(),
            });
        g.terms.push(TermView {
            name: name.clone(),
            url: term_url(tax.dir, slug),
            count: members.len(),
            open: members
                .iter()
                .filter(|i| site.reg.entries[**i].status.is_open())
                .count(),
            overdue: members.iter().filter(|i| site.facts[**i].overdue).count(),
            completed: members
                .iter()
                .filter(|i| site.reg.entries[**i].status == Status::Completed)
                .count(),
            title: catalogue(site, tax)
                .and_then(|_| site.reg.control(name))
                .map(|c| c.title.clone()),
            applicable: catalogue(site, tax)
                .and_then(|_| site.reg.control(name))
                .and_then(|c| c.applicable),
        });
    }
    let mut groups: Vec<GroupView> = groups.into_values().collect();
    if tax.by_urgency {
        for g in &mut groups {
            // Stable: ties keep natural name order.
            g.terms
                .sort_by_key(|t| std::cmp::Reverse((t.overdue, t.open)));
        }
    }
    let c = TaxonomyPage {
        title: tax.title,
        singular: tax.singular,
        groups,
        catalogue: catalogue(site, tax).is_some(),
    };
    let frame = Frame {
        root: "../",
        section: tax.dir,
    };
    let path = format!("{}/index.html", tax.dir);
    write_page(site, theme, out, &path, "taxonomy.html", frame, &c)
}

/// One term's page: its counts, then its overdue, open and completed
/// entries, each list bounded with a link into the filtered register.
fn render_term(
    site: &RenderContext,
    theme: &Theme,
    out: &Out,
    tax: &Taxonomy,
    (name, slug, members): &(String, String, Vec<usize>),
) -> Result<()> {
    let lists = term_lists(site, members);
    let completed = Status::Completed.slug();
    // Owners subscribe to their due dates (see calendar.rs).
    let calendar = tax.dir == "owners";
    let control = catalogue(site, tax).and_then(|_| site.reg.control(name));
    let c = TermPage {
        title: tax.title,
        singular: tax.singular,
        index_url: format!("{}/index.html", tax.dir),
        name,
        group: heading(site, &(tax.group)(name)),
        total: members.len(),
        all_url: tax.query(name, slug, &[]),
        overdue: bounded_rows(
            site,
            &lists.overdue,
            tax.query(name, slug, &[("overdue", "1")]),
        ),
        open: bounded_rows(site, &lists.open, None),
        completed: bounded_rows(
            site,
            &lists.completed,
            tax.query(name, slug, &[("status", completed)]),
        ),
        calendar,
        webcal: calendar
            .then(|| {
                let rel = format!("owners/{}/calendar.ics", encode_segment(slug));
                crate::output::urls::subscribe_url(site.reg, &rel)
            })
            .flatten(),
        effectiveness_due: if calendar {
            site.rollups
                .effectiveness_due
                .iter()
                .filter(|d| members.binary_search(&d.entry).is_ok())
                .take(LIST_MAX)
                .map(|d| due_view(site, d))
                .collect()
        } else {
            Vec::new()
        },
        term_title: control.map(|c| c.title.clone()),
        applicable: control.and_then(|c| c.applicable),
        justification: control.and_then(|c| c.justification.clone()),
    };
    let frame = Frame {
        root: "../../",
        section: tax.dir,
    };
    let path = format!("{}/{slug}/index.html", tax.dir);
    write_page(site, theme, out, &path, "term.html", frame, &c)
}

pub(super) fn render_taxonomies(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let mut count = 0;
    for tax in taxonomies(site) {
        render_index(site, theme, out, &tax)?;
        tax.terms
            .par_iter()
            .map(|term| render_term(site, theme, out, &tax, term))
            .collect::<Result<Vec<()>>>()?;
        count += 1 + tax.terms.len();
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_group_by_annex_theme_and_clause() {
        let en = Catalogue::english();
        let group = |name: &str| en.t(&control_group(name));
        assert!(group("A.5.15").contains("theme 5"));
        assert!(group("A.8.8").contains("Technological"));
        assert!(group("10.2").contains("Clause 10"));
        assert!(group("6.1.3").contains("Planning"));
        assert_eq!(group("PCI DSS 11.3"), "Other references");
        assert_eq!(group("A.9.1"), "Annex A — other");
        assert!(group_order(&control_group("10.2")) < group_order(&control_group("A.5.1")));
        assert!(group_order(&control_group("A.8.1")) < group_order(&control_group("A.9")));
    }
}
