//! The handbook cannot drift from the code: every field the content reader
//! accepts is in `docs/user-guide.md`, and every option of every command is
//! in `docs/commands.md` (and nothing there that `--help` does not list).
//!
//! Both lists come from the built binary, as a user would see them: the
//! fields from `check`'s own "known fields are: …" hint for an unknown
//! field, the options from `--help`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
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
        "objectives.yaml",
        format!("- {{id: O-1, title: t, {ODD}: 1}}\n"),
    );
    write("risks.yaml", format!("- {{id: R-1, title: t, {ODD}: 1}}\n"));
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
        "objective",
        "risk",
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

/// What the bash completion script offers for `words` (the last one being
/// completed), as bash would ask it.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let script = stdout_of(&["completions", "bash"]);
    let line = words.join(" ");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cur = words.last().unwrap();
    let prev = words[words.len() - 2];
    let probe = format!(
        "{script}\nCOMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT={}\n\
         _isms__site isms-site '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
        quoted.join(" "),
        words.len() - 1,
        line.len()
    );
    let o = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &probe])
        .output()
        .expect("bash runs");
    assert!(o.status.success(), "{o:?}");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_bash_completion_script_completes_options_of_a_subcommand() {
    // clap_complete 4.6 alone completes only command names here.
    assert_eq!(
        bash_completes(&["isms-site", "check", "--st"]),
        ["--strict"]
    );
    assert_eq!(
        bash_completes(&["isms-site", "import", "--skip"]),
        ["--skip-bad-rows"]
    );
    assert_eq!(
        bash_completes(&["isms-site", "check", "--format", ""]),
        ["human", "json"]
    );
}

// ------------------------------------------------------- pasted commands

/// A fenced block of commands in a document: its `sh` lines, or the
/// `$ `-prompted lines of a transcript.
#[derive(Debug)]
struct Block {
    /// `docs/user-guide.md:733`, where the fence opens.
    place: String,
    commands: Vec<String>,
}

/// The documents a user reads: README.md and docs/*.md.
fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![(
        "README.md".to_string(),
        fs::read_to_string(root.join("README.md")).unwrap(),
    )];
    let mut names: Vec<_> = fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    names.sort();
    for n in names {
        docs.push((format!("docs/{n}"), doc(&n)));
    }
    docs
}

/// Every block of commands in `text`: ```sh blocks (each line not a
/// comment), and untyped or `text` blocks whose lines start with `$ `.
fn command_blocks(name: &str, text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, Vec<String>)> = None;
    for (i, line) in text.lines().enumerate() {
        let fence = line.trim_start();
        if let Some(lang) = fence.strip_prefix("```") {
            match open.take() {
                None => open = Some((i + 1, lang.trim().to_string(), Vec::new())),
                Some((at, lang, lines)) => {
                    let prompted = lines.iter().any(|l| l.starts_with("$ "));
                    let commands: Vec<String> = match lang.as_str() {
                        "sh" if prompted => prompted_lines(&lines),
                        "sh" => lines
                            .iter()
                            .map(|l| l.trim().to_string())
                            .filter(|l| !l.is_empty() && !l.starts_with('#'))
                            .collect(),
                        "" | "text" if prompted => prompted_lines(&lines),
                        _ => Vec::new(),
                    };
                    if !commands.is_empty() {
                        blocks.push(Block {
                            place: format!("{name}:{at}"),
                            commands,
                        });
                    }
                }
            }
        } else if let Some((_, _, lines)) = open.as_mut() {
            lines.push(line.to_string());
        }
    }
    blocks
}

fn prompted_lines(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("$ "))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Commands the docs show that this test does not run, each with where
/// it is tested instead or why it cannot run here. A new command in the
/// docs is either run below or added here on purpose.
const NOT_RUN: &[(&str, &str)] = &[
    (
        "unzip -q nc-2025-03.zip -d nc-2025-03",
        "needs unzip: tests/suite/pack.rs unpacks the same pack with the zip crate and checks every file",
    ),
    (
        "cd nc-2025-03 && sha256sum -c --quiet SHA256SUMS",
        "needs the unzipped pack: tests/suite/pack.rs checks every line of its SHA256SUMS and runs `verify` on it",
    ),
    (
        "base=https://github.com/your-org/isms-site/releases/download version=vX.Y.Z target=x86_64-unknown-linux-musl",
        "names the organisation's release: tests/release.rs makes and checks the same archive",
    ),
    (
        "curl -fLO \"$base/$version/isms-site-$version-$target.tar.gz\" -fLO \"$base/$version/isms-site-$version-$target.tar.gz.sha256\"",
        "downloads a published release: tests/release.rs makes and checks the same archive",
    ),
    (
        "shasum -a 256 -c \"isms-site-$version-$target.tar.gz.sha256\"",
        "needs a published release: tests/release.rs runs this check on the archive it makes",
    ),
    (
        "tar -xzf \"isms-site-$version-$target.tar.gz\"",
        "needs a published release: tests/release.rs unpacks the archive it makes",
    ),
    (
        "mkdir -p ~/.local/bin && cp \"isms-site-$version-$target/isms-site\" ~/.local/bin/",
        "needs a published release: tests/release.rs runs the binary it unpacks",
    ),
    (
        "cargo run --release -- build     # builds the demo register in content/ into output/",
        "compiles the release profile (minutes); the debug binary runs the same `build` below",
    ),
    (
        "cargo test                       # runs the tests",
        "is this test suite",
    ),
    (
        "cargo install --locked --path . --profile dist",
        "compiles the dist profile: tests/release.rs (ignored: builds the dist profile)",
    ),
    (
        "cargo install --locked --profile dist --git https://git.example.org/isms-site isms-site",
        "needs the organisation's server; the CI templates' install step is this line (tests/ci_templates.rs)",
    ),
    (
        "docker build --build-arg ISMS_SITE_COMMIT=\"$(git rev-parse --short=12 HEAD)\" -t isms-site .",
        "needs a container engine: tests/container.rs",
    ),
    (
        "docker run --rm --user \"$(id -u):$(id -g)\" -v \"$PWD:/site\" isms-site build",
        "needs a container engine: tests/container.rs",
    ),
    (
        "TMPDIR=/dev/shm scripts/bench.sh 1000 10000 50000   # output on tmpfs",
        "a benchmark of minutes (maintainers)",
    ),
    (
        "TMPDIR=/tmp scripts/bench.sh 1000 10000             # output on the disk",
        "a benchmark of minutes (maintainers)",
    ),
    (
        "RUNS=5 RUNS_LARGE=3 scripts/bench.sh                # runs per size (median)",
        "a benchmark of minutes (maintainers)",
    ),
    (
        "TMPDIR=/dev/shm scripts/bench-hugo.sh 10000   # on tmpfs",
        "needs Hugo (Debian's `hugo`, 0.111.3); a benchmark of minutes (maintainers)",
    ),
    (
        "TMPDIR=/tmp scripts/bench-hugo.sh 10000       # on the disk",
        "needs Hugo (Debian's `hugo`, 0.111.3); a benchmark of minutes (maintainers)",
    ),
    (
        "cargo deny --locked check licenses bans sources",
        "run by .ci/run (needs cargo-deny)",
    ),
    (
        "cargo deny --locked check advisories",
        "needs GitHub's RustSec database: docs/ci/isms-site-repo.yml",
    ),
    (
        "curl -sI https://intranet.example/isms/register.csv | grep -i content-type",
        "needs the reader's web server: tests/publishing.rs checks the same headers",
    ),
    (
        "curl -sI https://intranet.example/isms/search-index.json | grep -i cross-origin-resource-policy   # same-origin",
        "needs the reader's web server: tests/browser/cross-origin.test.js checks a page on another origin gets nothing",
    ),
    (
        "curl -sI https://intranet.example/isms/calendar.ics | grep -i content-type",
        "needs the reader's web server: tests/publishing.rs checks the same headers",
    ),
    (
        "curl -sI https://intranet.example/isms/evidence/some-file.pdf | grep -i content-security-policy",
        "needs the reader's web server: tests/publishing.rs checks the same headers",
    ),
    (
        "curl -s -o /dev/null -w '%{http_code}\\n' https://intranet.example/isms/.isms-site-manifest   # 403 or 404",
        "needs the reader's web server: tests/publishing.rs checks the same headers",
    ),
    (
        "ssh-keygen -Y sign -f ~/.ssh/id_ed25519 -n file < output/SHA256SUMS > SHA256SUMS.sig",
        "needs the team's SSH key; OpenSSH's own signature over the SHA256SUMS that tests/verify.rs checks",
    ),
    (
        "ssh-keygen -Y verify -f allowed_signers -I isms@example.org -n file -s SHA256SUMS.sig < output/SHA256SUMS",
        "needs the team's SSH key and allowed_signers; OpenSSH's own check",
    ),
    (
        "minisign -S -s isms.key -m output/SHA256SUMS -x SHA256SUMS.minisig",
        "needs minisign and the team's key",
    ),
    (
        "minisign -V -p isms.pub -m output/SHA256SUMS -x SHA256SUMS.minisig",
        "needs minisign and the team's key",
    ),
];

/// Whether `line` runs isms-site or sets up for it (`mkdir`, `cd`), as
/// opposed to a tool this test does not run.
fn runs_here(line: &str) -> bool {
    line.split("&&").all(|part| {
        let first = part.split_whitespace().next().unwrap_or("");
        matches!(first, "isms-site" | "mkdir" | "cd")
    })
}

/// `serve` and `watch` run until Ctrl-C: the line is run with `--help`
/// after its options instead, so clap checks every option and value it
/// names and exits.
fn pastable(line: &str) -> String {
    let (command, _comment) = line.split_once(" #").unwrap_or((line, ""));
    let words: Vec<&str> = command.split_whitespace().collect();
    if matches!(words.get(1), Some(&"serve") | Some(&"watch")) {
        format!("{} --help", command.trim_end())
    } else {
        line.to_string()
    }
}

/// The spreadsheet a user brings to the import transcript: a title
/// block, the classic columns, a Department column of their own, and
/// day-first dates.
const USERS_SPREADSHEET: &str = "\
Continual Improvement Register,,,,,,,,,\r
Organisation:,Acme Ltd,,,,,,,,\r
,,,,,,,,,\r
#,Improvement Opportunity,Description,Identification Date,Status,Priority,Action Owner,Target Completion Date,Results/Outcomes,Department\r
1,Backups are never test-restored,Restores untested,15/01/2025,Open,H,IT Ops,30/06/2025,,IT\r
2,Visitors are not escorted,Seen at reception,03/02/2025,WIP,M,Facilities,31/03/2025,,Facilities\r
";

/// The exit status a line's comment promises, `# … (exit 1)`, else 0.
fn expected_status(line: &str) -> i32 {
    line.split_once(" #")
        .and_then(|(_, comment)| comment.split_once("(exit ")?.1.split_once(')'))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or(0)
}

/// A fresh folder and HOME for a block starting with `first`: a block that
/// starts a register (`init`, `import`) starts in an empty folder holding
/// the user's spreadsheet; any other in a folder with a copy of the demo
/// register as `content/`. Returns the folder (kept alive by the
/// TempDir), the work folder, HOME and PATH (this build's isms-site
/// first).
fn scratch(first: &str) -> (tempfile::TempDir, PathBuf, PathBuf, std::ffi::OsString) {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let work = tmp.path().join("work");
    fs::create_dir_all(&home).unwrap();
    fs::create_dir_all(&work).unwrap();
    if first.starts_with("isms-site init") || first.starts_with("isms-site import") {
        fs::write(work.join("register.csv"), USERS_SPREADSHEET).unwrap();
    } else {
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
            &work.join("content"),
        );
    }
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = std::env::join_paths([
        bin_dir.to_path_buf(),
        "/usr/local/bin".into(),
        "/usr/bin".into(),
        "/bin".into(),
    ])
    .unwrap();
    (tmp, work, home, path)
}

/// Runs one block in a fresh folder and HOME (see [`scratch`]), line
/// after line, stopping at the first failure; a `cd` holds for the lines
/// after it.
fn run_block(block: &Block) -> Result<(), String> {
    let (_tmp, work, home, path) = scratch(&block.commands[0]);
    for line in &block.commands {
        eprintln!("{}: {}", block.place, pastable(line));
        let o = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(pastable(line))
            .current_dir(&work)
            .env_clear()
            .env("HOME", &home)
            .env("PATH", &path)
            .env("SOURCE_DATE_EPOCH", "1795780800") // 2026-11-27, noon UTC
            .output()
            .unwrap();
        if o.status.code() != Some(expected_status(line)) {
            return Err(format!(
                "{}: `{line}` failed ({}):\n{}{}",
                block.place,
                o.status,
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        // A line may `cd`: the next runs where it left off.
        if let Some(dir) = line.strip_prefix("cd ") {
            let dir = work.join(dir.split_whitespace().next().unwrap());
            if dir.is_dir() {
                return run_rest(block, line, &dir, &home, &path);
            }
        }
    }
    Ok(())
}

/// The lines of `block` after `after`, run from `dir` (after a `cd`).
fn run_rest(
    block: &Block,
    after: &str,
    dir: &Path,
    home: &Path,
    path: &std::ffi::OsStr,
) -> Result<(), String> {
    let rest = block.commands.iter().skip_while(|l| *l != after).skip(1);
    for line in rest {
        let o = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(pastable(line))
            .current_dir(dir)
            .env_clear()
            .env("HOME", home)
            .env("PATH", path)
            .env("SOURCE_DATE_EPOCH", "1795780800")
            .output()
            .unwrap();
        if o.status.code() != Some(expected_status(line)) {
            return Err(format!(
                "{}: `{line}` failed:\n{}",
                block.place,
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    Ok(())
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn every_command_in_the_docs_runs_as_pasted() {
    let mut failures = Vec::new();
    let mut skipped = BTreeSet::new();
    let mut ran = 0;
    for (name, text) in documents() {
        for block in command_blocks(&name, &text) {
            let (here, elsewhere): (Vec<String>, Vec<String>) =
                block.commands.iter().cloned().partition(|l| runs_here(l));
            skipped.extend(elsewhere);
            if here.is_empty() {
                continue;
            }
            ran += here.len();
            let block = Block {
                place: block.place,
                commands: here,
            };
            if let Err(e) = run_block(&block) {
                failures.push(e);
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let listed: BTreeSet<String> = NOT_RUN.iter().map(|(l, _)| l.to_string()).collect();
    assert_eq!(
        skipped, listed,
        "commands in the docs that this test does not run must be listed in NOT_RUN, with why"
    );
    assert!(ran >= 25, "only {ran} commands found: is the parser right?");
}

/// The `#anchor` GitHub gives a heading: lower case, spaces to `-`,
/// punctuation but `-` and `_` dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a document's headings (outside code blocks).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut found = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            found.insert(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

/// Every `](target)` in `text` that is not a web address.
fn local_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = &rest[..end];
        if !target.contains("://") && !target.starts_with("mailto:") {
            links.push(target.to_string());
        }
        rest = &rest[end..];
    }
    links
}

#[test]
fn every_link_between_the_docs_reaches_its_file_and_heading() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut broken = Vec::new();
    for (name, text) in documents() {
        let dir = root.join(&name).parent().unwrap().to_path_buf();
        for link in local_links(&text) {
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                root.join(&name)
            } else {
                dir.join(file)
            };
            if !target.exists() {
                broken.push(format!("{name}: `{link}`: no file {}", target.display()));
                continue;
            }
            if !fragment.is_empty() {
                let text = fs::read_to_string(&target).unwrap_or_default();
                if !anchors(&text).contains(fragment) {
                    broken.push(format!("{name}: `{link}`: no heading #{fragment}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

/// Every `cargo install` with arguments in the docs, the CI templates and
/// the scripts, with the line it is on, that lacks `--locked`: without
/// it cargo builds newer dependencies than the ones Cargo.lock pins, which
/// the tests never ran.
fn unlocked_installs(name: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("cargo install") {
            rest = &rest[at + "cargo install".len()..];
            let args = rest.split('`').next().unwrap_or("");
            if !args.trim().is_empty() && !args.contains("--locked") {
                found.push(format!("{name}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    found
}

#[test]
fn every_cargo_install_is_locked() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = documents();
    for dir in ["docs/ci", "scripts", ".ci"] {
        for e in fs::read_dir(root.join(dir)).unwrap() {
            let path = e.unwrap().path();
            let name = path.strip_prefix(root).unwrap().display().to_string();
            files.push((name, fs::read_to_string(&path).unwrap_or_default()));
        }
    }
    files.push((
        "Dockerfile".into(),
        fs::read_to_string(root.join("Dockerfile")).unwrap(),
    ));
    let found: Vec<String> = files
        .iter()
        .flat_map(|(name, text)| unlocked_installs(name, text))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The transcripts in the docs (`$ command` and the output below it),
/// each command with the output it shows.
fn transcripts(name: &str, text: &str) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let mut in_code = false;
    let mut current: Option<(String, String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            found.extend(current.take());
            continue;
        }
        if !in_code {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            found.extend(current.take());
            current = Some((
                format!("{name}:{}", i + 1),
                command.trim().to_string(),
                String::new(),
            ));
        } else if let Some((_, _, output)) = current.as_mut() {
            output.push_str(line);
            output.push('\n');
        }
    }
    found
}

/// The commit a `--version` line names, which differs by build.
fn without_commit(text: &str) -> String {
    match text
        .find("(commit ")
        .or_else(|| text.find("(unknown commit)"))
    {
        Some(at) => {
            let end = text[at..].find(')').map_or(text.len(), |e| at + e + 1);
            format!("{}(commit …){}", &text[..at], &text[end..])
        }
        None => text.to_string(),
    }
}

#[test]
fn every_transcript_in_the_docs_prints_what_it_shows() {
    let mut wrong = Vec::new();
    let mut seen = 0;
    for (name, text) in documents() {
        for (place, command, shown) in transcripts(&name, &text) {
            seen += 1;
            let (_tmp, work, home, path) = scratch(&command);
            let o = Command::new("bash")
                .args(["--noprofile", "--norc", "-c", &command])
                .current_dir(&work)
                .env_clear()
                .env("HOME", &home)
                .env("PATH", &path)
                .env("SOURCE_DATE_EPOCH", "1795780800")
                .output()
                .unwrap();
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            if without_commit(&printed) != without_commit(&shown) {
                wrong.push(format!(
                    "{place}: `{command}` prints\n{printed}\nbut the docs show\n{shown}"
                ));
            }
        }
    }
    assert!(seen >= 2, "only {seen} transcripts found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
