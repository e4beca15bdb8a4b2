//! `isms-site init [DIR]`: a new content folder that builds as it is, with
//! `site.yaml` and one example of each kind whose comments show every
//! field. It writes into an empty or missing folder only, so it can never
//! replace an author's file.

use super::new;
use crate::model::diag::{shown, terminal_safe};
use crate::model::json_schema;
use chrono::NaiveDate;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub(super) struct Args {
    /// The content folder to create; it must be missing or empty
    #[arg(value_name = "DIR", default_value = "content")]
    pub(super) dir: PathBuf,
    /// The register's title, written to site.yaml
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Continual Improvement Register"
    )]
    pub(super) title: String,
    /// The date the examples carry [default: $SOURCE_DATE_EPOCH, else the local date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_as_of)]
    pub(super) as_of: Option<NaiveDate>,
}

const EXAMPLE_DESCRIPTION: &str = "\
An example entry, written by `isms-site init`: replace it with your first
real finding, or delete this file once the register has entries of its own.

Access rights to the finance share were last reviewed a year ago; two
leavers still had access.";

/// The files of a new content folder, relative to it, and their text.
fn files(title: &str, today: NaiveDate) -> Vec<(String, String)> {
    let entries = ["CI-001".to_string()];
    vec![
        ("site.yaml".into(), site_text(title, today)),
        (
            "register/CI-001.yaml".into(),
            // The example is a complete open action: `check` warns about
            // one without owner or target.
            new::entry_template(
                "CI-001",
                "Example: review access rights to the finance share",
                today,
                EXAMPLE_DESCRIPTION,
            )
            .replacen("# owner: ", "owner: ", 1)
            .replacen("# target: ", "target: ", 1),
        ),
        (
            "plans/example-plan.md".into(),
            new::plan_template(
                "Example plan: quarterly access reviews",
                &entries,
                today,
                "Every share's access rights are reviewed each quarter, and no leaver keeps access \
                 for more than a week: we will know from the review records.",
            ),
        ),
        (
            format!("reviews/{}-example-review.md", today.format("%Y-%m")),
            new::review_text("Example management review", &entries, today),
        ),
    ]
}

fn site_text(title: &str, today: NaiveDate) -> String {
    format!(
        "{modeline}\
         # The register's settings; only `title` is required.\n\
         title: {title}\n\
         # organization: Example Ltd\n\
         # description: Outcomes of our ISMS improvement work  # Markdown\n\
         register:\n  \
           created: {today}  # \"Date of Creation\"\n  \
           # responsible: ISMS Manager  # \"Responsible Person\"\n\
         # base_url: https://isms.intranet.example/register/  # only feeds and the sitemap need it\n",
        title = serde_json::to_string(title).unwrap_or_else(|_| "\"\"".into()),
        modeline = json_schema::modeline(json_schema::CONTENT_DIR, json_schema::SITE_SCHEMA),
    )
}

/// Writes the folder; refuses one that holds anything at all.
pub fn create(dir: &Path, title: &str, today: NaiveDate) -> Result<Vec<PathBuf>, String> {
    if title.trim().is_empty() {
        return Err("the title is empty; give one with --title".into());
    }
    new::check_title(title)?;
    match fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "{} is not empty; init writes a new content folder only where nothing would be replaced (choose a new folder, e.g. `isms-site init my-register`)",
                    dir.display()
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(format!("{} is a file, not a folder", dir.display()));
        }
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    }
    let mut written = Vec::new();
    for (rel, text) in files(title.trim(), today) {
        let path = dir.join(rel);
        new::write_new(&path, &text)?;
        written.push(path);
    }
    fs::create_dir_all(dir.join("evidence")).map_err(|e| format!("{}: {e}", dir.display()))?;
    written.extend(super::schema::write(&dir.join(json_schema::CONTENT_DIR))?);
    Ok(written)
}

pub(super) fn run(args: &Args, today: NaiveDate) -> i32 {
    match create(&args.dir, &args.title, today) {
        Ok(paths) => {
            let listed: String = paths.iter().map(|p| format!("{}\n", shown(p))).collect();
            let printed = super::print_bytes(listed.as_bytes());
            let content = shown(&args.dir);
            crate::content::stdio::errln!(
                "created {content} with one example of each kind; build it with `isms-site build --content {content}`"
            );
            printed
        }
        Err(e) => {
            crate::content::stdio::errln!("error: {}", terminal_safe(&e));
            1
        }
    }
}
