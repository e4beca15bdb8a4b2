//! `isms-site completions <SHELL>`: a completion script for the shell,
//! generated from the same clap definitions as the commands themselves.

use clap::CommandFactory;
use clap_complete::Shell;

pub(super) fn run(shell: Shell) -> i32 {
    let mut cmd = super::Cli::command();
    let mut script = Vec::new();
    // Into memory first: clap_complete panics when its writer fails, and
    // stdout fails on a closed pipe (`… | head`).
    clap_complete::generate(shell, &mut cmd, "isms-site", &mut script);
    super::print_bytes(&script)
}
