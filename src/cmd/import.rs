//! `isms-site import`: a spreadsheet register into one YAML file per entry.

use super::print_human;
use crate::content::import;
use crate::model::diag::shown;
use std::path::PathBuf;

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
    let (report, diags) = import::import(&opts);
    print_human(&diags);
    match report {
        Some(r) => {
            if let Some(line) = &r.date_order {
                crate::content::stdio::errln!("{line}");
            }
            crate::content::stdio::errln!(
                "imported {} entries from {} into {}{}",
                r.written,
                shown(&opts.file),
                shown(&r.register),
                match r.skipped_rows {
                    0 => String::new(),
                    n => format!("; {n} rows skipped"),
                }
            );
            if let Some(site) = &r.site {
                crate::content::stdio::errln!(
                    "wrote {}; build with `isms-site build --content {}`",
                    shown(site),
                    shown(&opts.content)
                );
            }
            0
        }
        None => {
            crate::content::stdio::errln!("import failed; nothing was written");
            1
        }
    }
}
