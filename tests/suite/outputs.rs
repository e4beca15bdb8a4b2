//! The outputs listed in `output::all()` are everything a build writes, and
//! a preview can leave out what it does not show.

use chrono::NaiveDate;
use isms_site::model::Visibility;
use isms_site::output::sink::Out;
use isms_site::output::{Selection, all};
use isms_site::site::build;
use std::collections::BTreeSet;
use std::path::Path;

fn written(which: Selection) -> BTreeSet<String> {
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let (prepared, diags) = build::prepare_build(
        &content,
        None,
        as_of,
        Visibility::Internal,
        isms_site::content::git::GitHistory::Off,
        None,
    );
    let (computed, mut theme) = prepared.unwrap_or_else(|| panic!("{}", diags.render_human(false)));
    let out = Out::memory();
    let n = build::render_selected(&computed, &mut theme, &out, which).unwrap();
    let files: BTreeSet<String> = out.into_files().into_keys().collect();
    assert_eq!(n, files.len(), "the count reported is the files written");
    files
}

#[test]
fn a_preview_skips_the_exports_and_keeps_the_pages() {
    let full = written(Selection::All);
    let preview = written(Selection::Preview);
    for export in [
        "register.csv",
        "register.json",
        "calendar.ics",
        "oscal/poam.json",
        "build.json",
        "SHA256SUMS",
        // Read only when a reader types: written after the pages are
        // served (issue 27).
        "search-index.js",
    ] {
        assert!(full.contains(export), "{export} in a build");
        assert!(!preview.contains(export), "{export} not in a preview");
    }
    // The register page's rows come with the pages: it shows a save at once.
    for page in ["index.html", "register/index.html", "register-rows.js"] {
        assert!(preview.contains(page), "{page} in a preview");
    }
    assert!(preview.is_subset(&full));
}

#[test]
fn outputs_have_distinct_names() {
    let names: BTreeSet<&str> = all().iter().map(|o| o.name()).collect();
    assert_eq!(names.len(), all().len());
}
