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
    if shell == Shell::Bash {
        script = fix_bash_dispatch(&script);
    }
    super::print_bytes(&script)
}

/// clap_complete's bash script (4.6) names a subcommand's branch
/// `isms__subcmd__site__subcmd__check` but looks it up as
/// `isms__site__subcmd__check` when the binary's name has a hyphen, so
/// bash completed command names only, never their options. Renaming the
/// branches to the name looked up makes options complete; on a fixed
/// clap_complete the pattern no longer occurs and nothing changes.
fn fix_bash_dispatch(script: &[u8]) -> Vec<u8> {
    String::from_utf8_lossy(script)
        .replace("isms__subcmd__site__", "isms__site__")
        .into_bytes()
}
