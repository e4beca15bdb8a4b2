//! The JSON Schemas (`isms-site schema`, the site's `schema/`) agree with
//! the content: every demo file and every file `init`, `new` and `import`
//! write validates against them with a real JSON Schema validator, and
//! what `check` refuses the schemas refuse too, for a set of bad entries.
//! The docs' field reference is the schema's.

use isms_site::model::json_schema;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::tools;
use tools::{AS_OF, BIN, copy_dir, fresh_tmp_dir, output_text, root_dir};

/// Every schema, by file name, compiled.
fn validators() -> BTreeMap<&'static str, jsonschema::Validator> {
    json_schema::files()
        .into_iter()
        .map(|(name, text)| {
            let schema: Value = serde_json::from_str(&text).unwrap();
            let v = jsonschema::validator_for(&schema)
                .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"));
            (name, v)
        })
        .collect()
}

/// A YAML text as JSON, as yaml-language-server reads it (YAML 1.2: dates
/// stay strings).
fn json_of(yaml: &str) -> Value {
    serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"))
}

/// The YAML between a Markdown file's `---` lines.
fn front_matter(md: &str) -> &str {
    let rest = md.strip_prefix("---\n").expect("front matter");
    &rest[..rest.find("\n---").expect("end of front matter")]
}

/// The problems `schema` finds in `yaml`, as text.
fn problems(v: &jsonschema::Validator, yaml: &str) -> Vec<String> {
    let doc = json_of(yaml);
    v.iter_errors(&doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Which schema a content file is checked against, and the YAML to check.
fn schema_of(rel: &str, text: &str) -> Option<(&'static str, String)> {
    let (schema, yaml) = if rel.starts_with("register/") {
        ("register.schema.json", text)
    } else if rel.starts_with("plans/") {
        ("plan.schema.json", front_matter(text))
    } else if rel.starts_with("reviews/") {
        ("review.schema.json", front_matter(text))
    } else if rel == "site.yaml" {
        ("site.schema.json", text)
    } else if rel == "controls.yaml" {
        ("controls.schema.json", text)
    } else if rel == "objectives.yaml" {
        ("objectives.schema.json", text)
    } else if rel == "risks.yaml" {
        ("risks.schema.json", text)
    } else {
        return None;
    };
    Some((schema, yaml.to_string()))
}

/// Every content file under `dir` (hidden ones left out, as the loader
/// does) with its `/`-separated path.
fn content_files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "evidence" {
            continue;
        }
        let rel = format!("{prefix}{name}");
        if e.file_type().unwrap().is_dir() {
            content_files(&e.path(), &format!("{rel}/"), out);
        } else {
            out.push((rel, e.path()));
        }
    }
}

/// Validates every content file of `dir`; returns how many were checked.
fn assert_valid_folder(dir: &Path) -> usize {
    let validators = validators();
    let mut files = Vec::new();
    content_files(dir, "", &mut files);
    let mut checked = 0;
    for (rel, path) in files {
        let text = fs::read_to_string(&path).unwrap();
        let Some((schema, yaml)) = schema_of(&rel, &text) else {
            continue;
        };
        let found = problems(&validators[schema], &yaml);
        assert!(found.is_empty(), "{rel} against {schema}: {found:#?}");
        checked += 1;
    }
    checked
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run isms-site")
}

#[test]
fn every_demo_file_validates_against_its_schema() {
    let checked = assert_valid_folder(&root_dir().join("content"));
    assert!(checked > 40, "only {checked} demo files checked");
}

#[test]
fn files_init_new_and_import_write_validate_and_name_their_schema() {
    let dir = fresh_tmp_dir("schema-written");
    let ok = |o: Output| assert!(o.status.success(), "{}", output_text(&o));
    ok(run(&dir, &["init", "content", "--as-of", AS_OF]));
    ok(run(
        &dir,
        &["new", "entry", "Patch SLA: 14 days", "--as-of", AS_OF],
    ));
    ok(run(
        &dir,
        &["new", "plan", "Patching plan", "--as-of", AS_OF],
    ));
    ok(run(&dir, &["new", "review", "Q4 review", "--as-of", AS_OF]));
    fs::write(
        dir.join("sheet.csv"),
        "#,Improvement Opportunity,Description,Identification Date,Status,Priority,Action Owner,Lessons Learned,NC Ref,NC Severity,NC Raised\n\
         7,Encrypt laptops,All of them,2026-01-05,In Progress,H,IT,Start early,NC-1,minor,2026-01-02\n",
    )
    .unwrap();
    let o = run(&dir, &["import", "sheet.csv", "--content", "content"]);
    ok(o);
    let content = dir.join("content");
    let imported = fs::read_to_string(content.join("register/CI-007.yaml")).unwrap();
    let checked = assert_valid_folder(&content);
    assert_eq!(checked, 8, "site.yaml, 3 entries, 2 plans, 2 reviews");
    // Every register file and site.yaml point editors at the schemas init wrote.
    for (rel, line) in [
        (
            "register/CI-001.yaml",
            "$schema=../.schema/register.schema.json",
        ),
        (
            "register/CI-002.yaml",
            "$schema=../.schema/register.schema.json",
        ),
        ("site.yaml", "$schema=.schema/site.schema.json"),
    ] {
        let text = fs::read_to_string(content.join(rel)).unwrap();
        let first = text.lines().next().unwrap();
        assert_eq!(first, format!("# yaml-language-server: {line}"), "{rel}");
    }
    assert!(
        imported.starts_with("# yaml-language-server: $schema=../.schema/register.schema.json\n"),
        "{imported}"
    );
    for (name, text) in json_schema::files() {
        let written = fs::read_to_string(content.join(".schema").join(name)).unwrap();
        assert_eq!(written, text, "{name}");
    }
    ok(run(&dir, &["check", "--as-of", AS_OF]));
}

#[test]
fn schema_command_writes_what_every_build_publishes() {
    let dir = fresh_tmp_dir("schema-command");
    let o = run(&dir, &["schema", "-o", "schemas"]);
    assert!(o.status.success(), "{}", output_text(&o));
    let site = tools::build_site("schema-site", &root_dir().join("content"));
    let sums = fs::read_to_string(site.join("SHA256SUMS")).unwrap();
    for (name, text) in json_schema::files() {
        assert_eq!(
            fs::read_to_string(dir.join("schemas").join(name)).unwrap(),
            text
        );
        assert_eq!(
            fs::read_to_string(site.join("schema").join(name)).unwrap(),
            text
        );
        assert!(
            sums.contains(&format!("  schema/{name}\n")),
            "{name} not in SHA256SUMS"
        );
    }
    // Run again: it replaces its own files, never someone else's.
    assert!(run(&dir, &["schema", "-o", "schemas"]).status.success());
    fs::write(dir.join("schemas/site.schema.json"), "my notes").unwrap();
    let o = run(&dir, &["schema", "-o", "schemas"]);
    assert!(!o.status.success());
    assert!(output_text(&o).contains("is not a schema isms-site wrote"));
    assert_eq!(
        fs::read_to_string(dir.join("schemas/site.schema.json")).unwrap(),
        "my notes"
    );
}

/// A valid entry to spoil, one field at a time.
const GOOD: &str = "\
title: Encrypt laptops
identified: 2026-01-05
status: completed
completed: 2026-02-01
priority: high
owner: IT
controls: [A.8.1]
effectiveness: {date: 2026-03-01, result: effective}
kpis:
  - name: Encrypted
    direction: increase
    measurements: [{date: 2026-01-05, value: 60}]
links:
  - {title: Policy, url: \"https://intranet.example/policy\"}
nonconformity: {ref: NC-1, severity: minor, raised: 2026-01-02}
extra: {Department: IT}
";

/// Bad entries (what `GOOD` becomes), each refused by both `check` and the
/// register schema.
fn bad_entries() -> Vec<(&'static str, String)> {
    let swap = |from: &str, to: &str| {
        assert!(GOOD.contains(from), "{from}");
        GOOD.replacen(from, to, 1)
    };
    vec![
        ("misspelt field", swap("owner: IT", "ownr: IT")),
        (
            "invalid status",
            swap("status: completed", "status: finished"),
        ),
        (
            "date not a date",
            swap("identified: 2026-01-05", "identified: 5 Jan 2026"),
        ),
        ("missing title", swap("title: Encrypt laptops\n", "")),
        ("missing priority", swap("priority: high\n", "")),
        ("bad id", format!("id: ../x\n{GOOD}")),
        (
            "unknown nonconformity key",
            swap("severity: minor,", "severity: minor, sev: 1,"),
        ),
        (
            "invalid severity",
            swap("severity: minor", "severity: grave"),
        ),
        (
            "effectiveness without a result",
            swap("result: effective", "by: QA"),
        ),
        (
            "KPI without a direction",
            swap("    direction: increase\n", ""),
        ),
        ("KPI value not a number", swap("value: 60", "value: [60]")),
        (
            "link to no scheme",
            swap("https://intranet.example/policy", "ftp://x"),
        ),
        (
            "link without a title",
            swap("{title: Policy, url:", "{url:"),
        ),
        ("history not a list", format!("{GOOD}history: yesterday\n")),
        (
            "extra column holding a list",
            swap("{Department: IT}", "{Department: [IT, HR]}"),
        ),
        (
            "controls as a mapping",
            swap("controls: [A.8.1]", "controls: {A: 1}"),
        ),
        (
            "list of entries without ids",
            format!("- {}\n- {}", indent(GOOD), indent(GOOD)),
        ),
        ("type not a type", format!("{GOOD}type: fix\n")),
        (
            "visibility not an audience",
            format!("{GOOD}visibility: secret\n"),
        ),
    ]
}

/// An entry as an item of a YAML list.
fn indent(entry: &str) -> String {
    entry.trim_end().replace('\n', "\n  ")
}

#[test]
fn check_and_the_schema_refuse_the_same_bad_entries() {
    let dir = fresh_tmp_dir("schema-agree");
    let content = dir.join("content");
    fs::create_dir_all(content.join("register")).unwrap();
    fs::write(content.join("site.yaml"), "title: Agreement\n").unwrap();
    let v = &validators()["register.schema.json"];
    let file = content.join("register/CI-001.yaml");
    let check = |text: &str| {
        fs::write(&file, text).unwrap();
        run(&dir, &["check", "--as-of", AS_OF])
    };
    let o = check(GOOD);
    assert!(o.status.success(), "the good entry: {}", output_text(&o));
    assert_eq!(problems(v, GOOD), Vec::<String>::new());
    for (what, text) in bad_entries() {
        let o = check(&text);
        assert!(
            !o.status.success(),
            "check accepts the {what}:\n{text}\n{}",
            output_text(&o)
        );
        assert!(
            !problems(v, &text).is_empty(),
            "the schema accepts the {what} that check refuses:\n{text}"
        );
    }
}

/// The catalogues too: `objectives.yaml` and `risks.yaml` as the demo has
/// them pass both; each mistake below fails both.
#[test]
fn check_and_the_schema_refuse_the_same_bad_catalogues() {
    let dir = fresh_tmp_dir("schema-catalogues");
    let content = dir.join("content");
    copy_dir(&root_dir().join("content"), &content);
    let validators = validators();
    for (file, schema) in [
        ("objectives.yaml", "objectives.schema.json"),
        ("risks.yaml", "risks.schema.json"),
    ] {
        let path = content.join(file);
        let good = fs::read_to_string(&path).unwrap();
        assert_eq!(
            problems(&validators[schema], &good),
            Vec::<String>::new(),
            "{file}"
        );
        let first_title = good.lines().find(|l| l.starts_with("  title: ")).unwrap();
        let bad = [
            (
                "a misspelt field",
                good.replacen("  title: ", "  titel: ", 1),
            ),
            (
                "a missing title",
                good.replacen(&format!("{first_title}\n"), "", 1),
            ),
            ("a name for a record", format!("- A name alone\n{good}")),
        ];
        for (what, text) in bad {
            assert_ne!(text, good, "{file}: {what}");
            fs::write(&path, &text).unwrap();
            let o = run(&dir, &["check", "--as-of", AS_OF]);
            assert!(
                !o.status.success(),
                "check accepts {file} with {what}:\n{}",
                output_text(&o)
            );
            assert!(
                !problems(&validators[schema], &text).is_empty(),
                "{schema} accepts {file} with {what}, which check refuses"
            );
        }
        fs::write(&path, &good).unwrap();
    }
}

#[test]
fn docs_field_reference_is_the_schemas() {
    let guide = fs::read_to_string(root_dir().join("docs/user-guide.md")).unwrap();
    let table = isms_site::model::schema::field_reference();
    assert!(
        guide.contains(&table),
        "docs/user-guide.md's field table differs from the schema; paste this under \"A register entry\":\n{table}"
    );
}

/// yaml-language-server, as VS Code's YAML extension runs it, flags a
/// misspelt field and an invalid status in a copy of the demo through the
/// `# yaml-language-server: $schema=` line and the schemas `isms-site
/// schema` writes.
#[test]
#[ignore = "needs Node"]
fn yaml_language_server_flags_mistakes_as_authors_type() {
    let browser = root_dir().join("tests/browser");
    let server = browser.join("node_modules/yaml-language-server/bin/yaml-language-server");
    let mut missing = Vec::new();
    if !tools::runs("node", &["--version"]) {
        missing.push("node (Debian: nodejs)".to_string());
    }
    if !server.exists() {
        missing.push("yaml-language-server (npm ci --prefix tests/browser)".to_string());
    }
    tools::require_tools(
        "yaml_language_server_flags_mistakes_as_authors_type",
        &missing,
    );

    let dir = fresh_tmp_dir("schema-yls");
    let content = dir.join("content");
    copy_dir(&root_dir().join("content"), &content);
    let o = run(&dir, &["schema"]);
    assert!(o.status.success(), "{}", output_text(&o));
    let entry = content.join("register/CI-001.yaml");
    let text = fs::read_to_string(&entry).unwrap();
    let spoilt =
        text.replacen("\nowner:", "\nownr:", 1)
            .replacen("\nstatus: ", "\nstatus: finishd # ", 1);
    assert_ne!(spoilt, text);
    fs::write(
        &entry,
        format!("# yaml-language-server: $schema=../.schema/register.schema.json\n{spoilt}"),
    )
    .unwrap();
    let o = Command::new("node")
        .arg(browser.join("yaml-ls.js"))
        .arg(&server)
        .arg(&entry)
        .output()
        .expect("run node");
    let said = output_text(&o);
    assert!(o.status.success(), "{said}");
    let diagnostics: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    let messages: Vec<String> = diagnostics
        .iter()
        .map(|d| format!("{}:{}", d["range"]["start"]["line"], d["message"]))
        .collect();
    let line_of = |needle: &str| {
        fs::read_to_string(&entry)
            .unwrap()
            .lines()
            .position(|l| l.starts_with(needle))
            .unwrap()
    };
    let flagged = |needle: &str, says: &str| {
        let line = line_of(needle);
        messages
            .iter()
            .any(|m| m.starts_with(&format!("{line}:")) && m.contains(says))
    };
    assert!(
        flagged("ownr:", "not allowed"),
        "misspelt field not flagged: {messages:#?}"
    );
    assert!(
        flagged("status:", "not-started"),
        "invalid status not flagged: {messages:#?}"
    );
}
