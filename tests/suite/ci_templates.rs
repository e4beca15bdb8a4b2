//! The CI templates in docs/ci/ run as they are written, every step, as the
//! runner would run them: GitHub Actions' steps one after another, GitLab
//! CI's jobs stage by stage with each job's `before_script` and `script`
//! in one shell. The checkout is a git clone of a register repository with
//! the depth the template asks for (GitHub's default is one commit), so a
//! template that leaves the clone shallow gets the shallow-clone warning
//! here as it would there. Steps that are GitHub's own actions are played
//! by the test: checkout (the clone), cache (the binary under test as a
//! cache hit for the commit the template looked up), and the artifact
//! uploads (their files must exist). A fake `cargo` that fails is first on
//! PATH: with the cache hit, no step may compile.
//!
//! `a_cold_cache_installs_isms_site_with_the_templates_own_step` runs the
//! install step for real (minutes: it builds the dist profile).

use crate::tools;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tools::{AS_OF, BIN, copy_dir, fresh_tmp_dir, output_text, root_dir};

fn template(name: &str) -> Value {
    let path = root_dir().join("docs/ci").join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name} is not YAML: {e}"))
}

/// Runs `git args…` in `dir` with fixed names and dates and no user
/// configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ann Author")
        .env("GIT_AUTHOR_EMAIL", "ann@example.org")
        .env("GIT_COMMITTER_NAME", "Ann Author")
        .env("GIT_COMMITTER_EMAIL", "ann@example.org")
        .env("GIT_AUTHOR_DATE", "2026-01-05T10:00:00+00:00")
        .env("GIT_COMMITTER_DATE", "2026-01-05T10:00:00+00:00")
        .output()
        .expect("git runs (tests/ci_templates.rs needs git)");
    assert!(o.status.success(), "git {args:?}: {}", output_text(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The places one run works in: the register's repository (two commits,
/// the demo register as `content/`), a stand-in for isms-site's
/// repository that the templates look the commit up in, and HOME.
struct World {
    base: PathBuf,
    register_repo: PathBuf,
    tool_repo: PathBuf,
    home: PathBuf,
}

impl World {
    fn new(prefix: &str, break_register: bool) -> World {
        let base = fresh_tmp_dir(prefix);
        let register_repo = base.join("register-repo");
        copy_dir(&root_dir().join("content"), &register_repo.join("content"));
        git(&register_repo, &["init", "-q", "-b", "main"]);
        git(&register_repo, &["add", "-A"]);
        git(&register_repo, &["commit", "-q", "-m", "The register"]);
        let site_yaml = register_repo.join("content/site.yaml");
        let mut text = fs::read_to_string(&site_yaml).unwrap();
        if break_register {
            text.push_str("titel: a misspelt field\n");
        } else {
            text.push_str("# reviewed\n");
        }
        fs::write(&site_yaml, text).unwrap();
        git(&register_repo, &["commit", "-q", "-am", "A second commit"]);
        let tool_repo = base.join("isms-site-repo");
        fs::create_dir_all(&tool_repo).unwrap();
        fs::write(tool_repo.join("README.md"), "isms-site\n").unwrap();
        git(&tool_repo, &["init", "-q", "-b", "main"]);
        git(&tool_repo, &["add", "-A"]);
        git(&tool_repo, &["commit", "-q", "-m", "isms-site"]);
        let home = base.join("home");
        fs::create_dir_all(&home).unwrap();
        World {
            base,
            register_repo,
            tool_repo,
            home,
        }
    }

    /// isms-site's repository as a URL, as `ISMS_SITE_GIT` names it (cargo
    /// takes URLs only).
    fn tool_url(&self) -> String {
        format!("file://{}", self.tool_repo.display())
    }

    /// The commit the templates install: HEAD of isms-site's repository.
    fn tool_rev(&self) -> String {
        git(&self.tool_repo, &["rev-parse", "HEAD"])
            .trim()
            .to_string()
    }

    /// A clone of the register repository, `depth` commits deep (all of
    /// them for `None`), as the runner's checkout.
    fn checkout(&self, name: &str, depth: Option<u64>) -> PathBuf {
        let dir = self.base.join(name);
        let url = format!("file://{}", self.register_repo.display());
        let mut args = vec!["clone".to_string(), "-q".to_string()];
        if let Some(d) = depth {
            args.extend(["--depth".to_string(), d.to_string()]);
        }
        args.extend([url, dir.display().to_string()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        git(&self.base, &args);
        dir
    }

    /// PATH for a step: a fake `cargo` that fails first (nothing may
    /// compile when the cache hits), then `extra`, then the system's.
    fn path(&self, extra: &[PathBuf], real_cargo: bool) -> std::ffi::OsString {
        let fake = self.base.join("fake-bin");
        fs::create_dir_all(&fake).unwrap();
        let cargo = fake.join("cargo");
        fs::write(
            &cargo,
            "#!/bin/sh\necho \"cargo $* ran, but the cache held isms-site\" >&2\nexit 99\n",
        )
        .unwrap();
        make_executable(&cargo);
        let mut dirs: Vec<PathBuf> = extra.to_vec();
        if !real_cargo {
            dirs.insert(0, fake);
        }
        dirs.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(dirs).unwrap()
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Copies the binary under test to `dir/isms-site`, as a restored cache.
fn restore_cached_binary(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::copy(BIN, dir.join("isms-site")).unwrap();
    make_executable(&dir.join("isms-site"));
}

/// "Today" fixed at [`AS_OF`] through SOURCE_DATE_EPOCH, noon UTC.
fn source_date_epoch() -> String {
    chrono::NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
        .to_string()
}

/// Where rustup keeps the toolchains, since the steps run with a HOME of
/// their own (a runner has them installed).
fn rustup_home() -> Option<PathBuf> {
    std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".rustup")))
}

/// Runs a script as the runners do: bash with `-e` and `pipefail`.
fn bash(
    dir: &Path,
    script: &str,
    env: &BTreeMap<String, String>,
    path: &std::ffi::OsStr,
) -> Output {
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env_clear()
        .envs(rustup_home().map(|h| ("RUSTUP_HOME", h)))
        .envs(env)
        .env("PATH", path)
        .env("SOURCE_DATE_EPOCH", source_date_epoch())
        .output()
        .expect("bash runs")
}

/// What a run did: each step or job by name, whether it ran and passed.
#[derive(Debug, Default)]
struct Log {
    steps: Vec<(String, Result<(), String>)>,
}

impl Log {
    fn failed(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|(_, r)| r.is_err())
            .map(|(n, _)| n.as_str())
            .collect()
    }

    fn record(&mut self, name: &str, o: &Output) -> bool {
        let ok = o.status.success();
        let result = if ok { Ok(()) } else { Err(output_text(o)) };
        self.steps.push((name.to_string(), result));
        ok
    }
}

// ---------------------------------------------------------------- GitHub

/// Replaces each `${{ expression }}` in `text` by its value: `env.X`,
/// `runner.os`, `steps.ID.outputs.NAME`.
fn github_expand(
    text: &str,
    env: &BTreeMap<String, String>,
    outputs: &BTreeMap<String, String>,
) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}").expect("a closed ${{ … }}") + at;
        let expr = rest[at + 3..end].trim();
        let value = if let Some(name) = expr.strip_prefix("env.") {
            env.get(name).cloned()
        } else if expr == "runner.os" {
            Some("Linux".to_string())
        } else {
            outputs.get(expr).cloned()
        };
        out.push_str(&value.unwrap_or_else(|| panic!("unknown expression `{expr}` in `{text}`")));
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// Whether a step's `if:` holds on a push to main, with the cache hit.
fn github_if(condition: Option<&str>, outputs: &BTreeMap<String, String>, failed: bool) -> bool {
    let Some(c) = condition else {
        return !failed;
    };
    match c.trim() {
        "always()" => true,
        "github.event_name != 'pull_request'" => !failed,
        "steps.cache.outputs.cache-hit != 'true'" => {
            !failed
                && outputs
                    .get("steps.cache.outputs.cache-hit")
                    .map(String::as_str)
                    != Some("true")
        }
        other => panic!("github-actions.yml: the test does not know the condition `{other}`"),
    }
}

/// Runs the job of github-actions.yml that builds the site, step by step,
/// on a push to main; `cache_hit` says whether the cache held isms-site.
fn run_github(world: &World, cache_hit: bool) -> (Log, PathBuf) {
    let yaml = template("github-actions.yml");
    let mut env: BTreeMap<String, String> = yaml["env"]
        .as_object()
        .expect("a top-level env")
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().expect("env values are text").to_string(),
            )
        })
        .collect();
    let git_url = env
        .get_mut("ISMS_SITE_GIT")
        .expect("ISMS_SITE_GIT names isms-site's repository");
    *git_url = world.tool_url();
    env.insert("HOME".into(), world.home.display().to_string());
    env.insert("GITHUB_EVENT_NAME".into(), "push".into());
    let cargo_bin = world.home.join(".cargo/bin");
    let path = world.path(std::slice::from_ref(&cargo_bin), !cache_hit);

    let steps = yaml["jobs"]["site"]["steps"]
        .as_array()
        .expect("jobs.site.steps");
    let mut outputs = BTreeMap::new();
    let mut log = Log::default();
    let mut dir = None::<PathBuf>;
    let mut failed = false;
    for (i, step) in steps.iter().enumerate() {
        let name = step["name"]
            .as_str()
            .map(str::to_string)
            .or_else(|| step["uses"].as_str().map(str::to_string))
            .unwrap_or_else(|| format!("step {i}"));
        if !github_if(step["if"].as_str(), &outputs, failed) {
            continue;
        }
        if let Some(action) = step["uses"].as_str() {
            let action = action.split('@').next().unwrap();
            match action {
                "actions/checkout" => {
                    let depth = step["with"]["fetch-depth"].as_u64().unwrap_or(1);
                    dir = Some(world.checkout("checkout", (depth != 0).then_some(depth)));
                    log.steps.push((name, Ok(())));
                }
                "actions/cache" => {
                    let key = github_expand(step["with"]["key"].as_str().unwrap(), &env, &outputs);
                    assert!(
                        key.contains(&world.tool_rev()),
                        "the cache key names the commit it holds: {key}"
                    );
                    let cached = step["with"]["path"].as_str().unwrap();
                    assert_eq!(
                        cached, "~/.cargo/bin/isms-site",
                        "what cargo install writes"
                    );
                    if cache_hit {
                        restore_cached_binary(&cargo_bin);
                    }
                    outputs.insert(
                        format!("steps.{}.outputs.cache-hit", step["id"].as_str().unwrap()),
                        cache_hit.to_string(),
                    );
                    log.steps.push((name, Ok(())));
                }
                "actions/upload-artifact" | "actions/upload-pages-artifact" => {
                    let what = dir
                        .as_ref()
                        .unwrap()
                        .join(step["with"]["path"].as_str().unwrap());
                    let result = if what.exists() {
                        Ok(())
                    } else {
                        Err(format!("{} is missing", what.display()))
                    };
                    log.steps.push((name, result));
                }
                other => panic!("github-actions.yml: the test cannot play the action {other}"),
            }
            continue;
        }
        let run = step["run"]
            .as_str()
            .expect("a step runs a script or an action");
        let script = github_expand(run, &env, &outputs);
        let here = dir.clone().expect("the checkout comes first");
        let output_file = world.base.join(format!("github-output-{i}"));
        fs::write(&output_file, "").unwrap();
        let mut step_env = env.clone();
        step_env.insert("GITHUB_OUTPUT".into(), output_file.display().to_string());
        let o = bash(&here, &script, &step_env, &path);
        if !log.record(&name, &o) {
            failed = true;
        }
        if let Some(id) = step["id"].as_str() {
            for line in fs::read_to_string(&output_file).unwrap().lines() {
                if let Some((k, v)) = line.split_once('=') {
                    outputs.insert(format!("steps.{id}.outputs.{k}"), v.to_string());
                }
            }
        }
    }
    (log, dir.expect("a checkout step"))
}

// ---------------------------------------------------------------- GitLab

/// The text items of a YAML list.
fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Runs gitlab-ci.yml's jobs stage by stage on the default branch, each in
/// a fresh checkout, with the cache restored when `cache_hit`.
fn run_gitlab(world: &World, cache_hit: bool) -> (Log, Vec<PathBuf>) {
    let yaml = template("gitlab-ci.yml");
    let variables = yaml["variables"].as_object().expect("variables");
    let depth = match variables.get("GIT_DEPTH").and_then(Value::as_u64) {
        Some(0) => None,
        Some(d) => Some(d),
        // GitLab's default for new projects.
        None => Some(20),
    };
    let mut prelude = String::new();
    for (k, v) in variables {
        let mut value = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if k == "ISMS_SITE_GIT" {
            value = world.tool_url();
        }
        prelude.push_str(&format!("export {k}=\"{value}\"\n"));
    }
    let default_before = strings(&yaml["default"]["before_script"]);
    let cache_paths = strings(&yaml["default"]["cache"]["paths"]);
    let top = yaml.as_object().unwrap();
    let mut log = Log::default();
    let mut dirs = Vec::new();
    for stage in strings(&yaml["stages"]) {
        for (job_name, job) in top
            .iter()
            .filter(|(_, j)| j["stage"].as_str() == Some(&stage))
        {
            let rules = job["rules"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            for rule in rules {
                assert_eq!(
                    rule["if"].as_str(),
                    Some("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"),
                    "gitlab-ci.yml: the test plays the default branch only"
                );
            }
            let dir = world.checkout(job_name, depth);
            if cache_hit {
                assert!(
                    cache_paths.contains(&".cargo/bin/".to_string()),
                    "{cache_paths:?}"
                );
                restore_cached_binary(&dir.join(".cargo/bin"));
                fs::write(dir.join(".cargo/isms-site.rev"), world.tool_rev() + "\n").unwrap();
            }
            let before = job
                .get("before_script")
                .map(strings)
                .unwrap_or_else(|| default_before.clone());
            let lines: Vec<String> = before.into_iter().chain(strings(&job["script"])).collect();
            let script = format!(
                "export CI_PROJECT_DIR=\"$PWD\" CI_COMMIT_BRANCH=main CI_DEFAULT_BRANCH=main\n{prelude}{}",
                lines.join("\n")
            );
            let mut env = BTreeMap::new();
            env.insert("HOME".to_string(), world.home.display().to_string());
            let o = bash(&dir, &script, &env, &world.path(&[], !cache_hit));
            let ok = log.record(job_name, &o);
            let artifacts = &job["artifacts"];
            if ok || artifacts["when"].as_str() == Some("always") {
                for p in strings(&artifacts["paths"]) {
                    assert!(dir.join(&p).exists(), "{job_name}: artifact {p} is missing");
                }
            }
            dirs.push(dir);
            if !ok {
                return (log, dirs);
            }
        }
    }
    (log, dirs)
}

/// The problems a check.json holds.
fn problems(file: &Path) -> Vec<Value> {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", file.display()))
}

#[test]
fn the_github_template_runs_every_step_and_publishes_the_demo() {
    let world = World::new("ci-github-", false);
    let (log, dir) = run_github(&world, true);
    assert!(log.failed().is_empty(), "{log:#?}");
    let ran: Vec<&str> = log.steps.iter().map(|(n, _)| n.as_str()).collect();
    for step in [
        "actions/checkout@v4",
        "Which isms-site",
        "Cache isms-site",
        "Check the register",
        "Problems found by the check",
        "Build the site",
        "Upload the site for Pages",
    ] {
        assert!(ran.contains(&step), "{step} did not run: {ran:?}");
    }
    // The cache hit skipped the install step.
    assert!(!ran.contains(&"Install isms-site"), "{ran:?}");
    let found = problems(&dir.join("check.json"));
    assert!(found.iter().all(|p| p["severity"] != "error"), "{found:?}");
    // fetch-depth: 0 gives the whole history: no shallow-clone warning,
    // so `check --strict` passes on a clean register.
    assert!(
        !found
            .iter()
            .any(|p| p["message"].as_str().unwrap_or("").contains("shallow")),
        "{found:?}"
    );
    assert!(dir.join("output/index.html").is_file());
    assert!(dir.join("output/register/index.html").is_file());
}

#[test]
fn the_gitlab_template_runs_every_job_and_publishes_the_demo() {
    let world = World::new("ci-gitlab-", false);
    let (log, dirs) = run_gitlab(&world, true);
    assert!(log.failed().is_empty(), "{log:#?}");
    let jobs: Vec<&str> = log.steps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(jobs, ["check", "pages"]);
    let found = problems(&dirs[0].join("check.json"));
    assert!(found.iter().all(|p| p["severity"] != "error"), "{found:?}");
    assert!(
        !found
            .iter()
            .any(|p| p["message"].as_str().unwrap_or("").contains("shallow")),
        "{found:?}"
    );
    assert!(dirs[1].join("public/index.html").is_file());
}

#[test]
fn each_templates_gate_stops_a_broken_register_before_the_build() {
    let world = World::new("ci-broken-github-", true);
    let (log, dir) = run_github(&world, true);
    assert_eq!(log.failed(), ["Check the register"], "{log:#?}");
    let ran: Vec<&str> = log.steps.iter().map(|(n, _)| n.as_str()).collect();
    assert!(ran.contains(&"Problems found by the check"), "{ran:?}");
    assert!(!ran.contains(&"Build the site"), "{ran:?}");
    assert!(!dir.join("output").exists());
    let found = problems(&dir.join("check.json"));
    assert!(
        found
            .iter()
            .any(|p| p["message"].as_str().unwrap_or("").contains("titel")),
        "{found:?}"
    );

    let world = World::new("ci-broken-gitlab-", true);
    let (log, dirs) = run_gitlab(&world, true);
    assert_eq!(log.failed(), ["check"], "{log:#?}");
    assert_eq!(dirs.len(), 1, "the pages job must not run");
    let found = problems(&dirs[0].join("check.json"));
    assert!(
        found
            .iter()
            .any(|p| p["message"].as_str().unwrap_or("").contains("titel")),
        "{found:?}"
    );
}

#[test]
fn a_shallow_checkout_is_what_fetch_depth_0_prevents() {
    // The same register cloned one commit deep, as actions/checkout does
    // by default: check warns, and the hint is fetch-depth: 0.
    let world = World::new("ci-shallow-", false);
    let dir = world.checkout("shallow", Some(1));
    let o = Command::new(BIN)
        .args(["check", "--strict", "--as-of", AS_OF])
        .current_dir(&dir)
        .output()
        .unwrap();
    let text = output_text(&o);
    assert!(text.contains("shallow clone"), "{text}");
    assert!(text.contains("fetch-depth: 0"), "{text}");
    let yaml = template("github-actions.yml");
    let checkout = yaml["jobs"]["site"]["steps"][0].clone();
    assert_eq!(
        checkout["with"]["fetch-depth"].as_u64(),
        Some(0),
        "{checkout:?}"
    );
    assert_eq!(
        template("gitlab-ci.yml")["variables"]["GIT_DEPTH"].as_u64(),
        Some(0)
    );
}

#[test]
#[ignore = "builds the dist profile"]
fn a_cold_cache_installs_isms_site_with_the_templates_own_step() {
    // isms-site's repository is a clone of this checkout's committed HEAD;
    // the template's own install line compiles it with the real cargo.
    let mut world = World::new("ci-cold-", false);
    let clone = world.base.join("isms-site-clone");
    let url = format!("file://{}", root_dir().display());
    git(&world.base, &["clone", "-q", &url, clone.to_str().unwrap()]);
    world.tool_repo = clone;
    let (log, dir) = run_github(&world, false);
    assert!(log.failed().is_empty(), "{log:#?}");
    assert!(world.home.join(".cargo/bin/isms-site").is_file());
    assert!(dir.join("output/index.html").is_file());
}
