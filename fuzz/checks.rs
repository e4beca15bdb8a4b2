//! What each fuzz target asserts about one input, shared by the targets in
//! `fuzz_targets/` and by `tests/suite/fuzz_regressions.rs`, which replays saved
//! inputs on every `cargo test`. Each function panics on a bug.

use chrono::NaiveDate;
use isms_site::content::yaml::differential;
use isms_site::content::{InMemory, is_valid_id, load, read_register_text, split_front_matter};
use isms_site::model::Visibility;
use isms_site::model::diag::Diagnostics;
use isms_site::output::sink::Out;
use isms_site::output::theme::{self, Theme};
use isms_site::site::build::{compute_figures, render_into};
use std::cell::RefCell;
use std::collections::HashSet;
use std::path::Path;

/// The register-entry loader: whatever it accepts is a valid entry.
pub fn register_entry(text: &str) {
    let evidence: HashSet<String> = ["report.pdf".to_string()].into();
    let mut diags = Diagnostics::default();
    let path = Path::new("register/CI-001.yaml");
    let (entries, ids) = read_register_text(path, text, &evidence, &mut diags);
    if !diags.has_errors() {
        assert!(entries.len() <= ids.len(), "an entry without a declared id");
        for e in &entries {
            assert!(is_valid_id(&e.id), "accepted invalid id {:?}", e.id);
            assert!(!e.title.trim().is_empty(), "accepted an empty title");
        }
    }
}

/// The front-matter splitter returns the file's own text; the same text
/// loads as a plan and a review with a register only when error-free.
pub fn front_matter(text: &str) {
    if let Some((yaml, offset, body)) = split_front_matter(text) {
        assert_eq!(offset, 1);
        assert!(text.starts_with("---"));
        assert!(text.ends_with(body));
        let start = text.find('\n').map_or(text.len(), |i| i + 1);
        assert_eq!(text.get(start..start + yaml.len()), Some(yaml));
        assert!(start + yaml.len() + body.len() <= text.len());
    }
    let files = [
        ("site.yaml", "title: Fuzz\n"),
        (
            "register/CI-001.yaml",
            "title: t\nidentified: 2025-01-01\nstatus: planned\npriority: low\n",
        ),
        ("plans/plan.md", text),
        ("reviews/review.md", text),
    ];
    let (register, diags) = load(&InMemory::new(Path::new("content"), files), None);
    assert_eq!(register.is_some(), !diags.has_errors());
}

const SITE: &str = "title: Fuzz <register> & co\nbase_url: https://isms.example/r/\n";
const PLAN: &str = "---\ntitle: Plan\nentries: [CI-001]\nowner: Ops\nmilestones:\n  - title: First\n    due: 2026-02-01\n  - title: Done\n    due: 2026-01-01\n    done: 2025-12-30\n---\n# Plan\n";

thread_local! {
    static THEME: RefCell<Theme> = RefCell::new(
        theme::load(None, &mut Diagnostics::default()).expect("built-in theme"),
    );
}

/// One entry file in a minimal content set, loaded, computed and rendered
/// into memory: accepted content always renders, with a page per entry.
pub fn whole_site(text: &str) {
    let files = [
        ("site.yaml", SITE),
        ("register/CI-001.yaml", text),
        ("plans/plan.md", PLAN),
    ];
    let as_of = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let (register, diags) = load(&InMemory::new(Path::new("content"), files), None);
    let (computed, _) = compute_figures(register, diags, as_of, Visibility::Restricted);
    let Some(computed) = computed else { return };
    let out = Out::memory();
    THEME.with(|t| {
        let n = render_into(&computed, &mut t.borrow_mut(), &out)
            .unwrap_or_else(|e| panic!("valid content failed to render: {e}"));
        assert!(n > 0);
    });
    let files = out.into_files();
    assert!(files.contains_key("index.html") && files.contains_key("calendar.ics"));
    for e in &computed.register.entries {
        let page = format!("register/{}/index.html", e.id);
        assert!(files.contains_key(&page), "no page {page}");
    }
}

/// The event reader against serde-saphyr, the reference: on any text, the
/// same accept/reject and the same tree (see `isms_site::yaml::differential`).
pub fn yaml_differential(text: &str) {
    if let Err(difference) = differential::check(text) {
        panic!("YAML readers differ: {difference}\nfor {text:?}");
    }
}
