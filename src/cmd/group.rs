//! `isms-site group`: one site over several published registers.

use super::{parse_as_of, parse_audience, print_human};
use crate::model::Visibility;
use crate::model::diag::shown;
use crate::site::group::{self, Options};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// Published site folders (as `isms-site build` wrote them) or their register.json files
    #[arg(required = true, value_name = "SITE")]
    sources: Vec<PathBuf>,
    /// Where the group site is written; replaced as a whole on success only
    #[arg(long, short, value_name = "DIR", default_value = "group")]
    output: PathBuf,
    /// Theme folder whose templates/ and static/ override the built-in theme file by file
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
    /// The group site's heading
    #[arg(long, default_value = "Group view")]
    title: String,
    /// Who the group site is for: public, internal or restricted. A register
    /// built for a narrower audience is refused
    #[arg(long, value_name = "AUDIENCE", default_value = "internal", value_parser = parse_audience)]
    audience: Visibility,
    /// The date the registers are compared on; a register as of another day
    /// is flagged [default: the latest register's as-of date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,
}

pub(super) fn run(args: Args) -> i32 {
    let opts = Options {
        sources: args.sources,
        output: args.output,
        theme: super::default_theme(args.theme),
        title: args.title,
        audience: args.audience,
        as_of: args.as_of,
    };
    let (report, diags) = group::build(&opts);
    print_human(&diags);
    match report {
        Some(r) => {
            crate::content::stdio::errln!(
                "built a group of {} registers ({} entries), {} files into {} as of {}",
                r.registers,
                r.entries,
                r.files,
                shown(&opts.output),
                r.as_of
            );
            0
        }
        None => {
            crate::content::stdio::errln!(
                "group build failed; {} left unchanged",
                shown(&opts.output)
            );
            1
        }
    }
}
