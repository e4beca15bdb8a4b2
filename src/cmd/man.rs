//! `isms-site man`: the manual page, isms-site(1), in roff, generated from
//! the clap definitions so it can never disagree with `--help`.
//!
//! One page holds every command: each subcommand's description, synopsis,
//! arguments and options follow the top-level command's under a section
//! of its own.

use clap::CommandFactory;
use clap_mangen::Man;
use std::io::Write;

pub(super) fn run() -> i32 {
    match page() {
        Ok(roff) => super::print_bytes(&roff),
        Err(e) => {
            crate::content::stdio::errln!("error: could not write the manual page: {e}");
            1
        }
    }
}

/// The whole page: clap_mangen's sections for the top-level command,
/// except its list of subcommands, which names one page per command
/// (isms-site-build(1), …) that we do not ship; a section per command
/// instead.
fn page() -> std::io::Result<Vec<u8>> {
    let mut cli = super::Cli::command();
    cli.build();
    let man = Man::new(cli.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        command_section(sub, &mut out)?;
    }
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// `.SH "ISMS-SITE BUILD"`: the command's about and synopsis as
/// paragraphs, then its arguments and options as clap_mangen renders them
/// for a page of its own, under a subsection.
fn command_section(sub: &clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let name = format!("isms-site {}", sub.get_name()).to_uppercase();
    writeln!(out, ".SH \"{name}\"")?;
    let man = Man::new(sub.clone());
    let mut part = Vec::new();
    man.render_description_section(&mut part)?;
    out.extend_from_slice(&reshaped(&part, false));
    writeln!(out, ".PP")?;
    part.clear();
    man.render_synopsis_section(&mut part)?;
    out.extend_from_slice(&reshaped(&part, false));
    part.clear();
    man.render_options_section(&mut part)?;
    out.extend_from_slice(&reshaped(&part, true));
    Ok(())
}

/// A rendered section without the string definitions roff repeats before
/// every section (the page's title already made them), and its `.SH` line
/// dropped, or turned into `.SS` when `keep_heading`.
fn reshaped(section: &[u8], keep_heading: bool) -> Vec<u8> {
    let text = String::from_utf8_lossy(section);
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq") {
            continue;
        }
        match line.strip_prefix(".SH ") {
            Some(_) if !keep_heading => continue,
            Some(title) => out.push_str(&format!(".SS {title}")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.into_bytes()
}
