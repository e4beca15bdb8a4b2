//! Index pages that group entries: owners, statuses, priorities, sources,
//! controls and tags — a list of terms and one page per term.

use super::*;

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
    open: usize,
    overdue: usize,
}

#[derive(Serialize)]
struct GroupView {
    heading: String,
    terms: Vec<TermView>,
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
}

fn no_group(_: &str) -> String {
    String::new()
}

/// Annex A controls by theme (A.5–A.8), clauses by number, per ISO/IEC
/// 27001:2022's structure.
pub(super) fn control_group(name: &str) -> String {
    let n = name.trim();
    let upper = n.to_ascii_uppercase();
    if let Some(rest) = upper
        .strip_prefix("A.")
        .or_else(|| upper.strip_prefix("A "))
    {
        return match rest.split('.').next() {
            Some("5") => "Annex A theme 5 — Organizational controls",
            Some("6") => "Annex A theme 6 — People controls",
            Some("7") => "Annex A theme 7 — Physical controls",
            Some("8") => "Annex A theme 8 — Technological controls",
            _ => "Annex A — other",
        }
        .to_string();
    }
    let clause = n.split('.').next().unwrap_or("");
    match clause {
        "4" => "Clause 4 — Context of the organization",
        "5" => "Clause 5 — Leadership",
        "6" => "Clause 6 — Planning",
        "7" => "Clause 7 — Support",
        "8" => "Clause 8 — Operation",
        "9" => "Clause 9 — Performance evaluation",
        "10" => "Clause 10 — Improvement",
        _ => "Other references",
    }
    .to_string()
}

fn group_order(heading: &str) -> (u8, String) {
    let rank = if heading.starts_with("Annex A theme") {
        1
    } else if heading.starts_with("Annex") {
        2
    } else if heading.starts_with("Clause") {
        0
    } else {
        3
    };
    let num: String = heading
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    (rank, format!("{:>4}", num))
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
            title: "Owners",
            singular: "Owner",
            terms: terms_by(entries, &site.owner_slugs, |e| vec![owner_name(e)]),
            group: no_group,
        },
        Taxonomy {
            dir: "status",
            title: "Statuses",
            singular: "Status",
            terms: by_enum(
                Status::ALL.iter().map(|s| (s.slug(), s.label())).collect(),
                &|e| e.status.slug(),
            ),
            group: no_group,
        },
        Taxonomy {
            dir: "priority",
            title: "Priorities",
            singular: "Priority",
            terms: by_enum(
                Priority::ALL
                    .iter()
                    .map(|s| (s.slug(), s.label()))
                    .collect(),
                &|e| e.priority.slug(),
            ),
            group: no_group,
        },
        Taxonomy {
            dir: "source",
            title: "Sources",
            singular: "Source",
            terms: by_enum(
                Source::ALL.iter().map(|s| (s.slug(), s.label())).collect(),
                &|e| e.source.map(|s| s.slug()).unwrap_or(""),
            ),
            group: no_group,
        },
        Taxonomy {
            dir: "controls",
            title: "Controls and clauses",
            singular: "Control",
            terms: terms_by(entries, &site.control_slugs, |e| e.controls.clone()),
            group: control_group,
        },
        Taxonomy {
            dir: "tags",
            title: "Tags",
            singular: "Tag",
            terms: terms_by(entries, &site.tag_slugs, |e| e.tags.clone()),
            group: no_group,
        },
    ]
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

pub(super) fn render_taxonomies(site: &RenderContext, theme: &Theme, out: &Out) -> Result<usize> {
    let mut count = 0;
    for tax in taxonomies(site) {
        let mut groups: BTreeMap<(u8, String), GroupView> = BTreeMap::new();
        for (name, slug, members) in &tax.terms {
            let heading = (tax.group)(name);
            let g = groups
                .entry(group_order(&heading))
                .or_insert_with(|| GroupView {
                    heading: heading.clone(),
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
            });
        }
        let groups: Vec<GroupView> = groups.into_values().collect();
        let mut c = Context::new();
        c.insert("title", tax.title);
        c.insert("singular", tax.singular);
        c.insert("groups", &groups);
        let html = page(theme, "taxonomy.html", "../", tax.dir, c)?;
        out.write(&format!("{}/index.html", tax.dir), html.as_bytes())?;
        count += 1;
        let pages: Vec<Result<()>> = tax
            .terms
            .par_iter()
            .map(|(name, slug, members)| {
                let mut c = Context::new();
                c.insert("title", tax.title);
                c.insert("singular", tax.singular);
                c.insert("index_url", &format!("{}/index.html", tax.dir));
                c.insert("name", name);
                c.insert("group", &(tax.group)(name));
                c.insert_value("rows", site.rows_of(members));
                // Owners subscribe to their due dates (see calendar.rs).
                let calendar = tax.dir == "owners";
                c.insert("calendar", &calendar);
                c.insert(
                    "webcal",
                    &calendar
                        .then(|| {
                            let rel = format!("owners/{}/calendar.ics", encode_segment(slug));
                            crate::output::urls::subscribe_url(site.reg, &rel)
                        })
                        .flatten(),
                );
                let html = page(theme, "term.html", "../../", tax.dir, c)?;
                out.write(&format!("{}/{slug}/index.html", tax.dir), html.as_bytes())
            })
            .collect();
        for p in pages {
            p?;
        }
        count += tax.terms.len();
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_group_by_annex_theme_and_clause() {
        assert!(control_group("A.5.15").contains("theme 5"));
        assert!(control_group("A.8.8").contains("Technological"));
        assert!(control_group("10.2").contains("Clause 10"));
        assert!(control_group("6.1.3").contains("Planning"));
        assert_eq!(control_group("PCI DSS 11.3"), "Other references");
    }
}
