//! The handbook cannot drift from the code: every field the content reader
//! accepts is in `docs/user-guide.md`, and every option of every command is
//! in `docs/commands.md` (and nothing there that `--help` does not list).
//!
//! Both lists come from the built binary, as a user would see them: the
//! fields from `check`'s own "known fields are: …" hint for an unknown
//! field, the options from `--help`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_isms-site");

fn doc(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A field name close to no real one, so the reader's hint lists all the
/// known fields instead of suggesting the nearest.
const ODD: &str = "qqqqqqqqqq";

/// Content with [`ODD`] in every mapping the reader checks for unknown
/// fields: site.yaml and its register header and visibility, an entry and
/// each of its nested records, a plan and its milestone, a review.
fn probe_content(dir: &Path) {
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        format!(
            "title: T\n{ODD}: 1\nregister: {{created: 2025-01-01, {ODD}: 1}}\nvisibility: {{{ODD}: 1}}\n"
        ),
    );
    write(
        "register/X-1.yaml",
        format!(
            "title: t\nidentified: 2025-01-01\nstatus: completed\npriority: low\ncompleted: 2025-02-01\n{ODD}: 1\n\
             history: [{{date: 2025-01-02, {ODD}: 1}}]\n\
             effectiveness: {{date: 2025-03-01, result: effective, {ODD}: 1}}\n\
             kpis: [{{name: k, direction: increase, {ODD}: 1, measurements: [{{date: 2025-01-01, value: 1, {ODD}: 1}}]}}]\n\
             links: [{{title: a, url: 'https://x.example/', {ODD}: 1}}]\n\
             nonconformity: {{ref: N, severity: minor, raised: 2025-01-01, {ODD}: 1}}\n"
        ),
    );
    write(
        "plans/p.md",
        format!(
            "---\ntitle: p\nentries: [X-1]\n{ODD}: 1\nmilestones: [{{title: m, due: 2025-05-01, {ODD}: 1}}]\n\
             approved: {{by: a, date: 2025-01-01, {ODD}: 1}}\n---\nText\n"
        ),
    );
    write(
        "controls.yaml",
        format!("- {{id: A.1, title: t, {ODD}: 1}}\n"),
    );
    write(
        "reviews/r.md",
        format!("---\ntitle: r\ndate: 2025-06-01\nentries: [X-1]\n{ODD}: 1\n---\nText\n"),
    );
}

/// What the reader accepts, by the kind of mapping it names in its
/// message ("register entry", "milestone", …), read from `check`.
fn accepted_fields() -> BTreeMap<String, Vec<String>> {
    let tmp = tempfile::tempdir().unwrap();
    probe_content(tmp.path());
    let o = Command::new(BIN)
        .args([
            "check",
            "--as-of",
            "2026-01-01",
            "--format",
            "json",
            "--content",
        ])
        .arg(tmp.path())
        .output()
        .unwrap();
    let problems: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("check --format json: {e}\n{o:?}"));
    let prefix = format!("unknown field `{ODD}` in ");
    let mut fields = BTreeMap::new();
    for p in &problems {
        let message = p["message"].as_str().unwrap_or_default();
        let Some(what) = message.strip_prefix(&prefix) else {
            continue;
        };
        let hint = p["hint"].as_str().unwrap_or_default();
        let list = hint
            .strip_prefix("known fields are: ")
            .unwrap_or_else(|| panic!("{what}: no list of known fields in the hint `{hint}`"));
        let names = list.split(", ").map(str::to_string).collect();
        fields.insert(what.to_string(), names);
    }
    fields
}

#[test]
fn every_field_the_reader_accepts_is_in_the_user_guide() {
    let fields = accepted_fields();
    // The probe reached every kind of mapping, so the list below is whole.
    for what in [
        "site.yaml",
        "register header",
        "visibility settings",
        "register entry",
        "history record",
        "effectiveness review",
        "KPI",
        "measurement",
        "link",
        "plan front matter",
        "milestone",
        "review front matter",
        "nonconformity",
        "approval",
        "control",
    ] {
        assert!(
            fields.contains_key(what),
            "the probe found no field list for {what}: {fields:?}"
        );
    }
    let guide = doc("user-guide.md");
    let missing: BTreeSet<String> = fields
        .iter()
        .flat_map(|(what, names)| names.iter().map(move |n| (what, n)))
        .filter(|(_, name)| !guide.contains(&format!("`{name}`")))
        .map(|(what, name)| format!("`{name}` ({what})"))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/user-guide.md does not mention these fields the reader accepts: {missing:?}"
    );
}

/// Long options (`--as-of`) that a `--help` text defines: the first one
/// on each option line.
fn help_options(help: &str) -> BTreeSet<String> {
    help.lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'))
        .filter_map(|l| long_options(l).into_iter().next())
        .collect()
}

/// Every `--word` in `text`.
fn long_options(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("--") {
        let word: String = rest[at + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if word.starts_with(|c: char| c.is_ascii_alphabetic()) {
            found.push(format!("--{word}"));
        }
        rest = &rest[at + 2 + word.len()..];
    }
    found
}

fn help_of(args: &[&str]) -> String {
    let o = Command::new(BIN).args(args).arg("--help").output().unwrap();
    assert!(o.status.success(), "{args:?} --help: {o:?}");
    String::from_utf8(o.stdout).unwrap()
}

/// The subcommands the top-level `--help` lists under "Commands:".
fn subcommands() -> Vec<String> {
    let help = help_of(&[]);
    let list = help
        .split_once("Commands:\n")
        .expect("a Commands: section")
        .1;
    list.lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The sections of docs/commands.md, by command: the text under each
/// `## isms-site <command>` heading, up to the next `## ` heading.
fn doc_sections(text: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    for part in text.split("\n## ").skip(1) {
        let (heading, body) = part.split_once('\n').unwrap_or((part, ""));
        if let Some(command) = heading.trim().strip_prefix("isms-site ") {
            sections.insert(command.trim_matches('`').to_string(), body.to_string());
        }
    }
    sections
}

#[test]
fn the_command_reference_lists_exactly_the_options_of_each_command() {
    let commands = subcommands();
    assert!(
        commands.len() >= 6,
        "too few subcommands found: {commands:?}"
    );
    let sections = doc_sections(&doc("commands.md"));
    let documented: BTreeSet<&String> = sections.keys().collect();
    let real: BTreeSet<&String> = commands.iter().collect();
    assert_eq!(
        documented, real,
        "docs/commands.md needs one `## isms-site <command>` section per subcommand"
    );
    let mut problems = Vec::new();
    for command in &commands {
        let options = help_options(&help_of(&[command]));
        assert!(options.contains("--help"), "{command}: {options:?}");
        let section = &sections[command];
        let in_doc: BTreeSet<String> = long_options(section).into_iter().collect();
        for o in options.difference(&in_doc) {
            problems.push(format!("{command}: `{o}` is in --help but not in the docs"));
        }
        for o in in_doc.difference(&options) {
            problems.push(format!("{command}: `{o}` is in the docs but not in --help"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs the binary with `args` and returns its stdout, failing on a
/// non-zero exit.
fn stdout_of(args: &[&str]) -> String {
    let o = Command::new(BIN).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {o:?}");
    String::from_utf8(o.stdout).unwrap()
}

/// The man page's section for each command (`.SH "ISMS-SITE BUILD"` up to
/// the next `.SH`), with roff's `\-` read as `-`.
fn man_sections(page: &str) -> BTreeMap<String, String> {
    let page = page.replace("\\-", "-");
    let mut sections = BTreeMap::new();
    for part in page.split("\n.SH ").skip(1) {
        let (heading, body) = part.split_once('\n').unwrap_or((part, ""));
        if let Some(command) = heading.trim_matches('"').strip_prefix("ISMS-SITE ") {
            sections.insert(command.to_lowercase(), body.to_string());
        }
    }
    sections
}

#[test]
fn the_man_page_has_every_command_with_exactly_its_options() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH isms-site 1"), "no title line:\n{page}");
    let sections = man_sections(&page);
    let commands = subcommands();
    let documented: BTreeSet<&String> = sections.keys().collect();
    assert_eq!(
        documented,
        commands.iter().collect(),
        "one man page section per subcommand"
    );
    for command in &commands {
        let options = help_options(&help_of(&[command]));
        let in_page: BTreeSet<String> = long_options(&sections[command]).into_iter().collect();
        assert_eq!(
            in_page, options,
            "{command}: man page options against --help"
        );
    }
}

/// How each shell's script offers a subcommand, and whether it offers a
/// long option.
type Offers = (&'static str, fn(&str) -> String, fn(&str, &str) -> bool);
const SHELLS: &[Offers] = &[
    (
        "bash",
        |c| format!("isms__site,{c})"),
        |s, o| s.contains(&format!(" {o} ")),
    ),
    (
        "zsh",
        |c| format!("'{c}:"),
        |s, o| {
            // Repeatable options are `'*--entry=[…]'`.
            s.contains(&format!("'{o}")) || s.contains(&format!("'*{o}"))
        },
    ),
    (
        "fish",
        |c| format!("-a \"{c}\""),
        |s, o| s.contains(&format!(" -l {} ", &o[2..])),
    ),
    (
        "powershell",
        |c| format!("::new('{c}', '{c}'"),
        |s, o| s.contains(&format!("'{o}'")),
    ),
    (
        "elvish",
        |c| format!("cand {c} "),
        |s, o| s.contains(&format!("cand {o} ")),
    ),
];

#[test]
fn every_completion_script_offers_every_command_and_option() {
    let commands = subcommands();
    let mut problems = Vec::new();
    for (shell, command_pattern, offers_option) in SHELLS {
        let script = stdout_of(&["completions", shell]);
        for command in &commands {
            if !script.contains(&command_pattern(command)) {
                problems.push(format!("{shell}: no `{command}`"));
            }
            for option in help_options(&help_of(&[command])) {
                if !offers_option(&script, &option) {
                    problems.push(format!("{shell}: no `{option}` ({command})"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_bash_completion_script_loads_and_completes_a_subcommand() {
    let script = stdout_of(&["completions", "bash"]);
    // Loads the script, then asks it what follows `isms-site ch`.
    let probe = format!(
        "{script}\nCOMP_WORDS=(isms-site ch); COMP_CWORD=1; COMP_LINE='isms-site ch'; COMP_POINT=12\n\
         _isms__site isms-site ch isms-site\nprintf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &probe])
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "{o:?}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "check", "{o:?}");
}
