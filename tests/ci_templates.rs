//! The CI templates in docs/ci/ run as they are written: the isms-site
//! lines of each (GitHub Actions `run:` steps, GitLab CI `script:` and
//! `before_script:` lists) are read from the YAML and run here, in the
//! order CI runs them and with a shell, on a copy of the demo register with
//! the binary under test first on PATH. The gate stops a broken register
//! before anything is built; a good one builds the site the publish step
//! copies. Editing a template's commands changes what this test runs.

mod tools;

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tools::{AS_OF, BIN, copy_dir, fresh_tmp_dir, output_text, root_dir};

const TEMPLATES: &[&str] = &["github-actions.yml", "gitlab-ci.yml"];

/// The template's shell lines that run isms-site, in the order CI runs
/// them. GitHub Actions: the steps of the one job that runs isms-site.
/// GitLab CI: job by job in the order of `stages`, each job's
/// `before_script` (its own or the default's) and then its `script`.
fn isms_site_lines(template: &str) -> Vec<String> {
    let path = root_dir().join("docs/ci").join(template);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let yaml: Value =
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{template} is not YAML: {e}"));
    let scripts = if yaml.get("jobs").is_some() {
        github_scripts(template, &yaml)
    } else {
        gitlab_scripts(template, &yaml)
    };
    scripts
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .filter(|l| l.starts_with("isms-site "))
        .map(str::to_string)
        .collect()
}

/// The `run:` scripts of the job whose steps run isms-site.
fn github_scripts(template: &str, yaml: &Value) -> Vec<String> {
    let jobs = yaml["jobs"].as_object().expect("jobs is a mapping");
    let runs: Vec<Vec<String>> = jobs
        .values()
        .map(|job| {
            let steps = job["steps"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            steps
                .iter()
                .filter_map(|s| s["run"].as_str().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .filter(|runs| runs.iter().any(|r| r.contains("isms-site ")))
        .collect();
    assert_eq!(runs.len(), 1, "{template}: isms-site runs in one job only");
    runs.into_iter().next().unwrap()
}

/// The jobs' `before_script` and `script` lines, stage by stage.
fn gitlab_scripts(template: &str, yaml: &Value) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let stages = strings(&yaml["stages"]);
    assert!(!stages.is_empty(), "{template}: no stages");
    let top = yaml.as_object().expect("a mapping");
    let mut scripts = Vec::new();
    for stage in &stages {
        for job in top.values().filter(|j| j["stage"].as_str() == Some(stage)) {
            let before = job
                .get("before_script")
                .unwrap_or(&yaml["default"]["before_script"]);
            scripts.extend(strings(before));
            scripts.extend(strings(&job["script"]));
        }
    }
    scripts
}

/// A folder holding a copy of the demo register as `content/`, as a
/// register repository's checkout does.
fn checkout(name: &str) -> PathBuf {
    let dir = fresh_tmp_dir(name);
    copy_dir(&root_dir().join("content"), &dir.join("content"));
    dir
}

/// Runs `line` with `sh` in `dir`, with this build's isms-site first on
/// PATH and "today" fixed at [`AS_OF`] through SOURCE_DATE_EPOCH.
fn run_line(dir: &Path, line: &str) -> Output {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let noon = chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    Command::new("sh")
        .args(["-ec", line])
        .current_dir(dir)
        .env("PATH", path)
        .env("SOURCE_DATE_EPOCH", noon.to_string())
        .output()
        .expect("sh runs")
}

/// The folder a `build` line writes: its `--output`, else `output`.
fn output_of(build_line: &str) -> &str {
    let words: Vec<&str> = build_line.split_whitespace().collect();
    words
        .iter()
        .position(|w| *w == "--output")
        .and_then(|i| words.get(i + 1).copied())
        .unwrap_or("output")
}

/// The problems the gate reported: the file its line redirects to (the
/// job's artifact), else what it printed.
fn gate_report(dir: &Path, line: &str, o: &Output) -> Vec<Value> {
    let json = match line.split_once('>') {
        Some((_, file)) => fs::read_to_string(dir.join(file.trim())).unwrap(),
        None => String::from_utf8_lossy(&o.stdout).into_owned(),
    };
    serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("`{line}` wrote no JSON list: {e}\n{json}"))
}

/// The gate and the build, which every template must have in this order.
fn gate_and_build(template: &str, lines: &[String]) -> (usize, usize) {
    let gate = lines
        .iter()
        .position(|l| l.starts_with("isms-site check") && l.contains("--format json"))
        .unwrap_or_else(|| panic!("{template}: no `isms-site check --format json`: {lines:?}"));
    let build = lines
        .iter()
        .position(|l| l.starts_with("isms-site build"))
        .unwrap_or_else(|| panic!("{template}: no `isms-site build`: {lines:?}"));
    assert!(
        gate < build,
        "{template}: the check must come before the build"
    );
    (gate, build)
}

/// A template's isms-site lines, where its gate and build are among
/// them, and a fresh checkout of the demo to run them in.
struct Run {
    lines: Vec<String>,
    gate: usize,
    build: usize,
    dir: PathBuf,
}

fn prepare(template: &str, prefix: &str) -> Run {
    let lines = isms_site_lines(template);
    let (gate, build) = gate_and_build(template, &lines);
    let dir = checkout(prefix);
    Run {
        lines,
        gate,
        build,
        dir,
    }
}

#[test]
fn each_template_checks_then_builds_the_demo() {
    for template in TEMPLATES {
        let run = prepare(template, "ci-good-");
        let (lines, dir) = (&run.lines, &run.dir);
        for line in lines {
            let o = run_line(dir, line);
            assert!(
                o.status.success(),
                "{template}: `{line}` failed:\n{}",
                output_text(&o)
            );
        }
        let o = run_line(dir, &lines[run.gate]);
        let errors: Vec<Value> = gate_report(dir, &lines[run.gate], &o)
            .into_iter()
            .filter(|p| p["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{template}: {errors:?}");
        let site = dir.join(output_of(&lines[run.build]));
        assert!(
            site.join("index.html").is_file(),
            "{template}: no {}/index.html",
            site.display()
        );
        assert!(site.join("register/index.html").is_file(), "{template}");
    }
}

#[test]
fn each_templates_gate_stops_a_broken_register_before_the_build() {
    for template in TEMPLATES {
        let run = prepare(template, "ci-broken-");
        let (lines, dir) = (&run.lines, &run.dir);
        let site_yaml = dir.join("content/site.yaml");
        let mut text = fs::read_to_string(&site_yaml).unwrap();
        text.push_str("titel: a misspelt field\n");
        fs::write(&site_yaml, text).unwrap();
        // As CI does: the first failing line ends the job.
        let failed = lines
            .iter()
            .position(|line| !run_line(dir, line).status.success());
        assert_eq!(
            failed,
            Some(run.gate),
            "{template}: the gate must be what fails"
        );
        assert!(
            !dir.join(output_of(&lines[run.build])).exists(),
            "{template}: nothing may be built"
        );
        // The gate's report names the problem for the job's log or artifact.
        let o = run_line(dir, &lines[run.gate]);
        assert_eq!(o.status.code(), Some(1), "{}", output_text(&o));
        let problems = gate_report(dir, &lines[run.gate], &o);
        let messages: Vec<&str> = problems
            .iter()
            .filter_map(|p| p["message"].as_str())
            .collect();
        assert!(
            messages.iter().any(|m| m.contains("titel")),
            "{template}: {problems:?}"
        );
    }
}
