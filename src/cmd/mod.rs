//! The command line (a contract: see the content-format spec).
//!
//! Exit status: 0 success, 1 content errors, 2 usage errors (clap's own).

mod build;
mod check;
mod completions;
mod group;
mod import;
mod init;
mod man;
pub mod new;
mod pack;
mod schema;
pub mod serve;
mod verify;
pub mod watch;

use crate::content::git::GitHistory;
use crate::model::Enumerated;
use crate::model::Visibility;
use crate::model::diag::Diagnostics;
use crate::site::build::Options;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(
    name = "isms-site",
    version = env!("ISMS_SITE_VERSION"),
    about = "Publish an ISMS continual-improvement register as a static site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct Common {
    /// Content folder (site.yaml, register/, plans/, reviews/, evidence/)
    #[arg(long, value_name = "DIR", default_value = "content", value_parser = content_folder())]
    content: PathBuf,
    /// "Today": the register as it stood at the end of this day [default: $SOURCE_DATE_EPOCH, else the local date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,
}

/// Where a site goes and how it looks: shared by build, watch and serve.
#[derive(clap::Args)]
struct Publish {
    /// Where the site is written; replaced as a whole on success only
    #[arg(long, value_name = "DIR", default_value = "output")]
    output: PathBuf,
    /// Theme folder whose templates/ and static/ override the built-in theme file by file
    /// [default: themes/default if it exists]
    #[arg(long, value_name = "DIR")]
    theme: Option<PathBuf>,
    /// Who the site is for: public, internal or restricted. Only items (and
    /// fields) at or below this audience are published
    #[arg(long, value_name = "AUDIENCE", default_value = "internal", value_parser = parse_audience)]
    audience: Visibility,
}

/// Whether pages list revisions from git: shared by build, check, watch
/// and serve.
#[derive(clap::Args)]
struct Git {
    /// Do not read the revision history of the content folder from git
    /// (pages then list no revisions)
    #[arg(long)]
    no_git: bool,
}

impl Git {
    fn history(&self) -> GitHistory {
        if self.no_git {
            GitHistory::Off
        } else {
            GitHistory::Read
        }
    }
}

impl Publish {
    fn theme(&self) -> Option<PathBuf> {
        default_theme(self.theme.clone())
    }
}

/// `--theme`, else `themes/default` if it exists, else the built-in theme.
fn default_theme(given: Option<PathBuf>) -> Option<PathBuf> {
    given.or_else(|| Some(PathBuf::from("themes/default")).filter(|p| p.is_dir()))
}

#[derive(Subcommand)]
enum Command {
    /// Validate the content, then publish the site
    Build {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        publish: Publish,
        #[command(flatten)]
        git: Git,
    },
    /// Validate only: print every problem, and warnings such as overdue items
    Check {
        #[command(flatten)]
        common: Common,
        /// human: `path:line:column: message` lines and a hint on stderr;
        /// json: an array of problems on stdout
        #[arg(long, value_enum, default_value_t = check::Format::Human)]
        format: check::Format,
        /// Treat warnings as errors: exit 1 when there is any (for authors' CI)
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        git: Git,
    },
    /// Build, then rebuild whenever the content or theme changes (no server)
    Watch {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        publish: Publish,
        #[command(flatten)]
        git: Git,
    },
    /// Build, watch and serve a live preview that reloads open pages on change
    Serve {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        publish: Publish,
        /// Port to listen on [default: 1111, or the next free one]
        #[arg(long, short)]
        port: Option<u16>,
        /// Address to listen on; other machines can connect only if it is not loopback
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
        /// Also answer requests addressed to NAME (repeat for more). Only
        /// localhost, 127.0.0.1, [::1] and the --bind address are answered
        /// otherwise, so that no web page can read the preview by pointing
        /// a name of its own at this machine (DNS rebinding)
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_hosts: Vec<String>,
        #[command(flatten)]
        git: Git,
    },
    /// Write a new register entry, plan or review, ready to edit, and print its path
    New {
        /// What to write
        #[arg(value_enum)]
        kind: new::Kind,
        /// Its title
        title: String,
        /// Content folder (site.yaml, register/, plans/, reviews/, evidence/)
        #[arg(long, value_name = "DIR", default_value = "content")]
        content: PathBuf,
        /// The date the new file records: an entry's `identified`, a plan's
        /// `updated`, a review's `date` and file name [default:
        /// $SOURCE_DATE_EPOCH, else the local date]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
        as_of: Option<NaiveDate>,
        /// A register id the new plan or review names (repeat for more)
        /// [plans default to the newest entry]
        #[arg(long = "entry", value_name = "ID")]
        entries: Vec<String>,
    },
    /// Build one group site from several published registers: figures per register and in
    /// total, and a combined register linking to each register's entry pages
    Group(group::Args),
    /// Turn a spreadsheet register (CSV or XLSX) into one YAML file per entry in register/
    Import(import::Args),
    /// Start a register: a content folder with site.yaml and one commented
    /// example entry, plan and review, ready to build
    Init(init::Args),
    /// Write the JSON Schemas of the content files, for editors that
    /// validate YAML as you type (VS Code's YAML extension and others)
    Schema(schema::Args),
    /// Check a copy of a built site against its SHA256SUMS: changed, missing and extra files
    /// (exit 1 on any); with --content, also build the content again and compare byte for byte
    Verify(verify::Args),
    /// Write an auditor pack: the site as of a day, or one finding's or entry's chain, as one
    /// zip with SHA256SUMS and build.json that opens from file:// once unzipped
    Pack(pack::Args),
    /// Print the completion script for SHELL (where it goes: docs/commands.md)
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, isms-site(1), in roff: isms-site man > isms-site.1
    Man,
}

/// `--content` as given, its `.` components and trailing separators left
/// out ([`tidy_folder`]).
fn content_folder() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PathBufValueParser::new().map(|p: PathBuf| tidy_folder(&p))
}

/// `folder` without its `.` components and trailing separators:
/// `./content/` is `content`, `.` and `./` are `.`. A build takes the
/// parses it kept of files whose bytes are unchanged only under the
/// same spelling of their path (messages name files as spelt), so a
/// build given `./content` after one given `content` parsed every file
/// again. A path to another place (`..`, a link, an absolute path) is
/// left as it is: telling those apart needs the file system.
fn tidy_folder(folder: &Path) -> PathBuf {
    if folder.as_os_str().is_empty() {
        return PathBuf::new();
    }
    let tidy: PathBuf = folder
        .components()
        .filter(|c| *c != std::path::Component::CurDir)
        .collect();
    match tidy.as_os_str().is_empty() {
        true => PathBuf::from("."),
        false => tidy,
    }
}

fn parse_audience(s: &str) -> Result<Visibility, String> {
    Visibility::from_text(s)
        .ok_or_else(|| format!("`{s}` is not an audience: use public, internal or restricted"))
}

fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    crate::content::yaml::parse_date(s)
        .ok_or_else(|| format!("`{s}` is not a date in YYYY-MM-DD form"))
}

/// `--as-of`, else `SOURCE_DATE_EPOCH` (reproducible builds), else today.
fn resolve_as_of(given: Option<NaiveDate>) -> Result<NaiveDate, String> {
    if let Some(d) = given {
        return Ok(d);
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        return epoch_date(&epoch);
    }
    Ok(chrono::Local::now().date_naive())
}

/// The day `SOURCE_DATE_EPOCH` names, within the dates content can hold
/// (four-digit years, 0000-01-01 to 9999-12-31): a date past chrono's range would
/// overflow date arithmetic, and a value in milliseconds (year 57971) is a
/// mistake, not a date.
fn epoch_date(epoch: &str) -> Result<NaiveDate, String> {
    let shown = crate::model::diag::terminal_safe(epoch);
    let secs: i64 = epoch
        .trim()
        .parse()
        .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: `{shown}`"))?;
    let date = chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive());
    let year = |d: &NaiveDate| chrono::Datelike::year(d);
    match date {
        Some(d) if (FIRST_DATE..=LAST_DATE).contains(&d) => Ok(d),
        Some(d) if d < FIRST_DATE => Err(format!(
            "SOURCE_DATE_EPOCH `{shown}` is the year {}, before {FIRST_DATE}, the first date isms-site handles",
            year(&d)
        )),
        Some(d) => Err(format!(
            "SOURCE_DATE_EPOCH `{shown}` is the year {}, after {LAST_DATE}, the last date isms-site handles",
            year(&d)
        )),
        None => Err(format!(
            "SOURCE_DATE_EPOCH `{shown}` is out of range: after {LAST_DATE}, the last date isms-site handles"
        )),
    }
}

/// The first and last "today": dates in content (and `--as-of`) have
/// four-digit years.
const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(0, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

pub fn main() -> i32 {
    build::survive_file_size_limit();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build {
            common,
            publish,
            git,
        } => {
            let Some(opts) = build_options(common, &publish, &git) else {
                return 2;
            };
            build::run(&opts)
        }
        Command::Check {
            common,
            format,
            strict,
            git,
        } => {
            let Some(as_of) = as_of_or_report(common.as_of) else {
                return 2;
            };
            check::run(&common.content, as_of, format, strict, git.history())
        }
        Command::Watch {
            common,
            publish,
            git,
        } => {
            let Some(opts) = build_options(common, &publish, &git) else {
                return 2;
            };
            watch::run(&opts)
        }
        Command::Serve {
            common,
            publish,
            port,
            bind,
            open,
            allow_hosts,
            git,
        } => {
            let theme = publish.theme();
            if placement_or_report(&common.content, theme.as_deref(), &publish.output).is_none() {
                return 2;
            }
            serve::run(
                serve::Options {
                    content: common.content,
                    output: publish.output.clone(),
                    theme,
                    audience: publish.audience,
                    as_of: common.as_of,
                    bind,
                    port,
                    open,
                    allow_hosts,
                    git: git.history(),
                },
                || resolve_as_of(None),
            )
        }
        Command::New {
            kind,
            title,
            content,
            as_of,
            entries,
        } => {
            let Some(today) = as_of_or_report(as_of) else {
                return 2;
            };
            new::run(&new::Request {
                content: &content,
                kind,
                title: &title,
                today,
                entries: &entries,
            })
        }
        Command::Group(args) => group::run(args),
        Command::Import(args) => import::run(args),
        Command::Init(args) => {
            let Some(today) = as_of_or_report(args.as_of) else {
                return 2;
            };
            init::run(&args, today)
        }
        Command::Schema(args) => schema::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Pack(args) => pack::run(args),
        Command::Completions { shell } => completions::run(shell),
        Command::Man => man::run(),
    }
}

fn build_options(common: Common, publish: &Publish, git: &Git) -> Option<Options> {
    placement_or_report(&common.content, publish.theme().as_deref(), &publish.output)?;
    Some(Options {
        as_of: as_of_or_report(common.as_of)?,
        content: common.content,
        output: publish.output.clone(),
        theme: publish.theme(),
        audience: publish.audience,
        git: git.history(),
    })
}

/// An output folder that is, holds or is inside the content or theme
/// folder is a usage error: said before anything is read, with no file
/// position.
fn placement_or_report(
    content: &std::path::Path,
    theme: Option<&std::path::Path>,
    output: &std::path::Path,
) -> Option<()> {
    match crate::site::publish::check_placement(content, theme, output) {
        Ok(()) => Some(()),
        Err(r) => {
            crate::content::stdio::errln!(
                "error: {}\n  hint: {}",
                crate::model::diag::terminal_safe(&r.message),
                r.hint
            );
            None
        }
    }
}

fn as_of_or_report(given: Option<NaiveDate>) -> Option<NaiveDate> {
    match resolve_as_of(given) {
        Ok(d) => Some(d),
        Err(e) => {
            crate::content::stdio::errln!("error: {e}\n  hint: {EPOCH_HINT}");
            None
        }
    }
}

/// What to do about a `SOURCE_DATE_EPOCH` that names no usable date.
const EPOCH_HINT: &str = "SOURCE_DATE_EPOCH counts seconds since 1970-01-01 UTC (not milliseconds), as `date +%s` prints them; fix or unset it, or pass --as-of YYYY-MM-DD";

/// Writes generated text to stdout: 0, also when the reader closed the
/// pipe (`… | head`, see [`crate::content::stdio`]), or 1 with a message when stdout
/// is otherwise unwritable, e.g. full (never a panic, unlike `print!`).
fn print_bytes(bytes: &[u8]) -> i32 {
    match crate::content::stdio::out(bytes) {
        Ok(()) => 0,
        Err(e) => {
            crate::content::stdio::errln!("error: could not write to stdout: {e}");
            1
        }
    }
}

pub(super) fn print_human(diags: &Diagnostics) {
    if !diags.is_empty() {
        crate::content::stdio::err(&diags.render_human(false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `./content`, `content/` and `content` are one spelling, so that a
    /// build takes the parses the last one kept whichever was typed.
    #[test]
    fn a_content_folder_is_spelt_one_way() {
        let tidy = |s: &str| tidy_folder(Path::new(s));
        assert_eq!(tidy("./content"), PathBuf::from("content"));
        assert_eq!(tidy("content/"), PathBuf::from("content"));
        assert_eq!(
            tidy("./content//register/./"),
            PathBuf::from("content/register")
        );
        assert_eq!(tidy("."), PathBuf::from("."));
        assert_eq!(tidy("./"), PathBuf::from("."));
        assert_eq!(
            tidy("/srv/./isms/content/"),
            PathBuf::from("/srv/isms/content")
        );
        assert_eq!(tidy("../content"), PathBuf::from("../content"));
        assert_eq!(tidy(""), PathBuf::new());
        let cli = Cli::try_parse_from(["isms-site", "build", "--content", "./demo/"]).unwrap();
        let Command::Build { common, .. } = cli.command else {
            panic!("not a build");
        };
        assert_eq!(common.content, PathBuf::from("demo"));
    }
}
