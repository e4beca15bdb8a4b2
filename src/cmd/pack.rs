//! `isms-site pack`: the site as of a day, or one finding's chain, as one
//! zip for an auditor.

use super::{Git, parse_as_of, parse_audience, print_human};
use crate::model::Enumerated;
use crate::model::Visibility;
use crate::model::diag::shown;
use crate::output::pack::Scope;
use crate::site::pack::{self, Options};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(clap::Args)]
pub(super) struct Args {
    /// Content folder (site.yaml, register/, plans/, reviews/, evidence/)
    #[arg(long, value_name = "DIR", default_value = "content")]
    content: PathBuf,
    /// The day the pack shows: the register as it stood at its end (and, in
    /// git, the content as committed on or before it)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: NaiveDate,
    /// Who the pack is for: public, internal or restricted
    #[arg(long, value_name = "AUDIENCE", default_value = "internal", value_parser = parse_audience)]
    audience: Visibility,
    /// Only this entry's chain: the entries it follows up and that follow
    /// it up, their plans, reviews, controls and evidence
    #[arg(long, value_name = "ID", conflicts_with = "nonconformity")]
    entry: Option<String>,
    /// Only this finding's chain (its `ref`): its entries, their plans,
    /// reviews, controls and evidence
    #[arg(long, value_name = "REF")]
    nonconformity: Option<String>,
    /// The zip file to write (replaced only if it is a pack)
    #[arg(long, short, value_name = "FILE.zip")]
    output: PathBuf,
    /// Theme folder whose templates/ and static/ override the built-in theme file by file
    /// [default: themes/default if it exists]
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
    #[command(flatten)]
    git: Git,
}

pub(super) fn run(args: Args) -> i32 {
    let scope = match (args.entry, args.nonconformity) {
        (Some(id), _) => Scope::Entry(id),
        (None, Some(r)) => Scope::Nonconformity(r),
        (None, None) => Scope::Site,
    };
    let opts = Options {
        content: args.content,
        theme: super::default_theme(args.theme),
        as_of: args.as_of,
        audience: args.audience,
        git: args.git.history(),
        scope,
        output: args.output,
    };
    let (report, diags) = pack::pack(&opts);
    print_human(&diags);
    match report {
        Some(r) => {
            let from = match &r.commit {
                Some(c) => format!("commit {}", &c[..c.len().min(12)]),
                None => "the content folder as it is".to_string(),
            };
            crate::content::stdio::errln!(
                "packed {} files ({}) as of {} for the {} audience, from {from}, into {}",
                r.files,
                opts.scope.describe(),
                opts.as_of,
                opts.audience.slug(),
                shown(&opts.output)
            );
            0
        }
        None => {
            crate::content::stdio::errln!("pack failed; {} not written", shown(&opts.output));
            1
        }
    }
}
