//! `isms-site import`: a spreadsheet register into one YAML file per entry.

use super::print_human;
use crate::content::import::{self, Imported};
use crate::content::stdio::errln;
use crate::model::diag::{Diagnostics, Pos, shown};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub(super) struct Args {
    /// The spreadsheet: .csv (UTF-8; `,`, `;` or tab separated), .xlsx, or a register.json
    /// that isms-site wrote
    #[arg(value_name = "FILE")]
    pub(super) file: PathBuf,
    /// Content folder whose register/ receives the entries
    #[arg(long, value_name = "DIR", default_value = "content")]
    pub(super) content: PathBuf,
    /// Sheet to read from a workbook [default: the first]
    #[arg(long, value_name = "NAME")]
    pub(super) sheet: Option<String>,
    /// Read a column as a field, e.g. --map "Risk rating=priority"; the field may be
    /// `extra` (custom column) or `ignore`. Repeatable.
    #[arg(long = "map", value_name = "COLUMN=field", value_parser = import::parse_map)]
    pub(super) maps: Vec<(String, import::Target)>,
    /// How to read dates such as 03/04/2025. By default a date in the sheet that can only be read
    /// one way (30/06/2025 is day-first) decides for the whole sheet, and the import says so
    #[arg(long, value_enum, default_value_t = DateFormat::Iso)]
    pub(super) date_format: DateFormat,
    /// Import the good rows and report the bad ones as warnings
    #[arg(long)]
    pub(super) skip_bad_rows: bool,
    /// Replace existing entry files named after an imported id
    #[arg(long)]
    pub(super) force: bool,
    /// Read a status word as a status, e.g. --map-status "On Hold=planned". Repeatable
    #[arg(long = "map-status", value_name = "WORD=status", value_parser = import::parse_status_map)]
    pub(super) status_maps: Vec<(String, crate::model::Status)>,
    /// The register's title for a new site.yaml [default: the sheet's title block]
    #[arg(long, value_name = "TEXT")]
    pub(super) title: Option<String>,
    /// The organisation for a new site.yaml [default: the sheet's title block]
    #[arg(long, value_name = "NAME")]
    pub(super) organization: Option<String>,
}

/// `--date-format`: the command line's names for [`import::DateFormat`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(super) enum DateFormat {
    /// YYYY-MM-DD (and YYYY/MM/DD) and Excel serials; day/month dates in the order a date in
    /// the sheet decides, if one does
    Iso,
    /// Day first: 31/01/2025, 31.01.2025
    Dmy,
    /// Month first: 01/31/2025
    Mdy,
}

impl From<DateFormat> for import::DateFormat {
    fn from(f: DateFormat) -> Self {
        match f {
            DateFormat::Iso => import::DateFormat::Iso,
            DateFormat::Dmy => import::DateFormat::Dmy,
            DateFormat::Mdy => import::DateFormat::Mdy,
        }
    }
}

pub(super) fn run(args: Args) -> i32 {
    let opts = import::Options {
        file: args.file,
        content: args.content,
        sheet: args.sheet,
        maps: args.maps,
        date_format: args.date_format.into(),
        skip_bad_rows: args.skip_bad_rows,
        force: args.force,
        status_maps: args.status_maps,
        title: args.title,
        organization: args.organization,
    };
    let (imported, mut diags) = import::import(&opts);
    let written = imported.and_then(|i| write(&opts.content, i, &mut diags));
    print_human(&diags);
    let Some((imported, written, site)) = written else {
        errln!("import failed; nothing was written");
        return 1;
    };
    if let Some(line) = &imported.date_order {
        errln!("{line}");
    }
    if let Some(line) = imported.sheet_limits {
        errln!("{line}");
    }
    errln!(
        "imported {written} entries from {} into {}{}",
        shown(&opts.file),
        shown(&imported.register),
        match imported.skipped_rows {
            0 => String::new(),
            n => format!("; {n} rows skipped"),
        }
    );
    if let Some(site) = &site {
        errln!(
            "wrote {}; build with `isms-site build --content {}`",
            shown(site),
            shown(&opts.content)
        );
    }
    0
}

/// Writes what the import checked: the entries all or none (staged in a
/// hidden folder inside the content folder, which the loader ignores,
/// then renamed into `register/`), then `site.yaml` where there is none.
/// Gives the count written and the `site.yaml` written, if any.
fn write(
    content: &Path,
    imported: Imported,
    diags: &mut Diagnostics,
) -> Option<(Imported, usize, Option<PathBuf>)> {
    let staged = match Stage::new(content, imported.files()) {
        Ok(s) => s,
        Err(e) => {
            diags
                .error(
                    content,
                    Pos::START,
                    format!("cannot prepare the import: {e}"),
                )
                .hint("check that the content folder is writable");
            return None;
        }
    };
    match staged.commit(&imported.register, imported.file_names()) {
        Ok(written) => {
            let site = imported
                .site
                .as_ref()
                .and_then(|(path, text)| write_site(path, text, diags));
            Some((imported, written, site))
        }
        Err(e) => {
            diags
                .error(
                    &imported.register,
                    Pos::START,
                    format!("cannot write the entries: {e}"),
                )
                .hint("nothing was left half-written; check that the folder is writable");
            None
        }
    }
}

/// Writes `site.yaml` only where there is none (never over an author's).
fn write_site(path: &Path, text: &str, diags: &mut Diagnostics) -> Option<PathBuf> {
    use std::io::Write;
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => Some(path.to_path_buf()),
        Err(e) => {
            diags
                .warning(path, Pos::START, format!("site.yaml not written: {e}"))
                .hint("create it with at least `title: <your register's name>` before `isms-site build`");
            None
        }
    }
}

/// The staging folder, removed when dropped.
struct Stage {
    dir: PathBuf,
    /// The content folder did not exist before: remove it again on failure.
    created_content: Option<PathBuf>,
}

impl Stage {
    /// Writes every file into the staging folder's `register/`.
    fn new<'a>(
        content: &Path,
        files: impl Iterator<Item = (&'a str, String)>,
    ) -> io::Result<Stage> {
        let created_content = (!content.exists()).then(|| content.to_path_buf());
        let dir = content.join(format!(".isms-import-{}", std::process::id()));
        let stage = Stage {
            dir,
            created_content,
        };
        if stage.dir.exists() {
            fs::remove_dir_all(&stage.dir)?;
        }
        fs::create_dir_all(stage.dir.join("register"))?;
        for (name, yaml) in files {
            fs::write(stage.dir.join("register").join(name), yaml)?;
        }
        Ok(stage)
    }

    /// Renames the staged `files` into `register`. If one rename fails,
    /// the files this import added are removed again.
    fn commit<'a>(
        mut self,
        register: &Path,
        names: impl Iterator<Item = &'a str>,
    ) -> io::Result<usize> {
        fs::create_dir_all(register)?;
        let mut added: Vec<PathBuf> = Vec::new();
        let mut count = 0;
        for name in names {
            count += 1;
            let to = register.join(name);
            let existed = to.exists();
            if let Err(e) = fs::rename(self.dir.join("register").join(name), &to) {
                for a in &added {
                    let _ = fs::remove_file(a);
                }
                return Err(e);
            }
            if !existed {
                added.push(to);
            }
        }
        self.created_content = None;
        Ok(count)
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
        if let Some(content) = &self.created_content {
            // Only if empty: never remove anything but our own folders.
            let _ = fs::remove_dir(content.join("register"));
            let _ = fs::remove_dir(content);
        }
    }
}
