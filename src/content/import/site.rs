//! `site.yaml` for an import into a folder that has none: from the
//! sheet's title block (the rows above the header, where the classic
//! register keeps its name, organisation, date of creation and
//! responsible person), overridden by `--title` and `--organization`.

use super::columns::{self, FieldPath, Reading, Value, normalise_header};
use super::emit;
use super::read::{Cell, Row};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::schema::Field as S;
use chrono::NaiveDate;
use std::path::Path;

/// The register's header as the sheet gives it.
#[derive(Debug, Default, PartialEq)]
pub struct SiteInfo {
    pub title: Option<String>,
    pub organization: Option<String>,
    pub created: Option<NaiveDate>,
    pub responsible: Option<String>,
}

#[derive(Clone, Copy)]
enum Label {
    Title,
    Organization,
    Created,
    Responsible,
}

fn label(text: &str) -> Option<Label> {
    let n = normalise_header(text);
    Some(match n.as_str() {
        "title" | "registertitle" | "registername" | "nameofregister" => Label::Title,
        "organisation" | "organization" | "company" | "organisationname" | "organizationname"
        | "companyname" | "entity" => Label::Organization,
        "dateofcreation" | "created" | "creationdate" | "datecreated" | "createdon" => {
            Label::Created
        }
        "responsibleperson" | "responsible" | "registerowner" | "documentowner"
        | "maintainedby" | "owner" | "preparedby" => Label::Responsible,
        _ => return None,
    })
}

/// Whether a title-block cell holds only characters content text may
/// hold; one that does not is left out with a warning at `pos`.
fn safe_text(text: &str, file: &Path, pos: Pos, diags: &mut Diagnostics) -> bool {
    let Some(c) = text
        .chars()
        .find(|c| crate::content::yaml::is_unsafe_text_char(*c))
    else {
        return true;
    };
    let (what, hint) = crate::content::yaml::unsafe_char_problem(c);
    diags
        .warning(
            file,
            pos,
            format!("cell holds {what}; not read into site.yaml"),
        )
        .hint(hint);
    false
}

/// Reads the rows above the header: `Label: value` in one cell, or a
/// label cell and the next filled cell; the first row holding one text
/// alone is the title.
pub fn from_title_block(
    rows: &[Row],
    how: &Reading,
    file: &Path,
    diags: &mut Diagnostics,
) -> SiteInfo {
    let mut info = SiteInfo::default();
    for row in rows {
        let cells: Vec<(usize, &Cell, String)> = row
            .cells
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let t = columns::cell_text(c).ok().flatten()?;
                let t = t.trim().to_string();
                let column = row.first_column + i as u32;
                let readable = safe_text(&t, file, Pos::new(row.number, column), diags);
                (readable && !t.is_empty() && !columns::is_placeholder(&t)).then_some((i, c, t))
            })
            .collect();
        let mut i = 0;
        while i < cells.len() {
            let (index, _, text) = &cells[i];
            let inline = text
                .split_once(':')
                .filter(|(_, v)| !v.trim().is_empty())
                .and_then(|(l, v)| Some((label(l)?, v.trim().to_string())));
            if let Some((l, value)) = inline {
                set(
                    &mut info,
                    l,
                    &Cell::Text(value.clone()),
                    &value,
                    how,
                    row,
                    *index,
                    file,
                    diags,
                );
            } else if let Some(l) = label(text.trim_end_matches(':')) {
                if let Some((vi, cell, value)) = cells.get(i + 1) {
                    set(&mut info, l, cell, value, how, row, *vi, file, diags);
                    i += 1;
                }
            } else if cells.len() == 1 && info.title.is_none() {
                info.title = Some(text.clone());
            }
            i += 1;
        }
    }
    info
}

#[allow(clippy::too_many_arguments)]
fn set(
    info: &mut SiteInfo,
    l: Label,
    cell: &Cell,
    text: &str,
    how: &Reading,
    row: &Row,
    index: usize,
    file: &Path,
    diags: &mut Diagnostics,
) {
    match l {
        Label::Title => info.title = Some(text.to_string()),
        Label::Organization => info.organization = Some(text.to_string()),
        Label::Responsible => info.responsible = Some(text.to_string()),
        Label::Created => {
            match columns::convert(FieldPath::entry(S::Identified), cell, Some(text), how) {
                Ok(Some(Value::Date(d))) => info.created = Some(d),
                Ok(_) => {}
                Err((message, hint)) => {
                    diags
                        .warning(
                            file,
                            Pos::new(row.number, row.column(index)),
                            format!("date of creation left out of site.yaml: {message}"),
                        )
                        .hint(hint);
                }
            }
        }
    }
}

/// The title when neither the sheet nor `--title` gives one.
pub const DEFAULT_TITLE: &str = "Continual Improvement Register";

/// The text of `site.yaml`.
pub fn site_yaml(info: &SiteInfo, source: &Path) -> String {
    let mut y = format!(
        "# Written by isms-site import from {}\n",
        source
            .file_name()
            .map(|n| n.to_string_lossy().replace(['\n', '\r'], " "))
            .unwrap_or_default()
    );
    emit::field(
        &mut y,
        0,
        "title",
        info.title.as_deref().unwrap_or(DEFAULT_TITLE),
    );
    if let Some(o) = &info.organization {
        emit::field(&mut y, 0, "organization", o);
    }
    if info.created.is_some() || info.responsible.is_some() {
        y.push_str("register:\n");
        if let Some(d) = info.created {
            y.push_str(&format!("  created: {d}\n"));
        }
        if let Some(r) = &info.responsible {
            emit::field(&mut y, 2, "responsible", r);
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::import::DateFormat;

    fn row(number: u32, cells: &[&str]) -> Row {
        Row {
            number,
            first_column: 1,
            cells: cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(c.to_string())
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn the_classic_title_block_gives_the_register_header() {
        let rows = [
            row(1, &["Acme Ltd — Continual Improvement Register", "", ""]),
            row(2, &["Organisation:", "Acme Ltd", ""]),
            row(3, &["Date of Creation:", "", "10/01/2025"]),
            row(4, &["Responsible Person: ISMS Manager"]),
            row(5, &["Last updated:", "[Insert Date]"]),
        ];
        let how = Reading {
            date_format: DateFormat::Dmy,
            own_export: false,
            statuses: &[],
        };
        let mut diags = Diagnostics::default();
        let info = from_title_block(&rows, &how, Path::new("r.csv"), &mut diags);
        assert!(diags.is_empty());
        assert_eq!(
            info,
            SiteInfo {
                title: Some("Acme Ltd — Continual Improvement Register".into()),
                organization: Some("Acme Ltd".into()),
                created: NaiveDate::from_ymd_opt(2025, 1, 10),
                responsible: Some("ISMS Manager".into()),
            }
        );
        assert_eq!(
            site_yaml(&info, Path::new("dir/r.csv")),
            "# Written by isms-site import from r.csv\ntitle: Acme Ltd — Continual Improvement Register\norganization: Acme Ltd\nregister:\n  created: 2025-01-10\n  responsible: ISMS Manager\n"
        );
    }
}
