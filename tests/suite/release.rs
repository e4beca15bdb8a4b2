//! The release workflow template (docs/ci/release-github.yml) names every
//! target users download, and its own Build and Package steps, run here for
//! the host target (the only Rust target this machine has), give an archive
//! whose checksum verifies and whose binary builds the demo register.

use crate::tools;

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use tools::{AS_OF, fresh_tmp_dir, output_text, root_dir};

fn workflow() -> Value {
    let path = root_dir().join("docs/ci/release-github.yml");
    let text = fs::read_to_string(&path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("release-github.yml: {e}"))
}

/// The Build and Package steps' scripts.
fn step(yaml: &Value, name: &str) -> String {
    yaml["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no `{name}` step"))
        .to_string()
}

#[test]
fn the_release_workflow_builds_every_target_with_checksums() {
    let yaml = workflow();
    let matrix = yaml["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .expect("a matrix of targets");
    let targets: BTreeSet<&str> = matrix.iter().filter_map(|m| m["target"].as_str()).collect();
    let want: BTreeSet<&str> = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ]
    .into();
    assert_eq!(targets, want);
    for m in matrix {
        let (target, os) = (m["target"].as_str().unwrap(), m["os"].as_str().unwrap());
        let family = if target.contains("linux") {
            "ubuntu"
        } else if target.contains("apple") {
            "macos"
        } else {
            "windows"
        };
        assert!(os.starts_with(family), "{target} runs on {os}");
        assert_eq!(m["exe"] == ".exe", target.contains("windows"), "{target}");
    }
    let build = step(&yaml, "Build");
    assert!(
        build.contains("--locked") && build.contains("--profile dist"),
        "{build}"
    );
    let package = step(&yaml, "Package");
    assert!(package.contains("shasum -a 256"), "{package}");
    let publish = yaml["jobs"]["release"]["steps"].to_string();
    assert!(publish.contains("SHA256SUMS"), "{publish}");
}

#[test]
#[ignore = "builds the dist profile"]
fn the_release_steps_build_a_host_binary_that_builds_the_demo() {
    let base = fresh_tmp_dir("release-");
    // The runner's checkout: a clone of this repository's HEAD.
    let src = base.join("src");
    let o = Command::new("git")
        .args(["clone", "-q", "--no-local"])
        .arg(root_dir())
        .arg(&src)
        .output()
        .expect("git runs");
    assert!(o.status.success(), "{}", output_text(&o));
    let yaml = workflow();
    let target = "x86_64-unknown-linux-gnu";
    for name in ["Build", "Package"] {
        let o = Command::new("bash")
            .args([
                "--noprofile",
                "--norc",
                "-eo",
                "pipefail",
                "-c",
                &step(&yaml, name),
            ])
            .current_dir(&src)
            .env_remove("CARGO_TARGET_DIR")
            .env("TARGET", target)
            .env("BUILD", "cargo")
            .env("EXE", "")
            .env("GITHUB_REF_NAME", "v0.1.0-test")
            .output()
            .unwrap();
        assert!(o.status.success(), "{name}: {}", output_text(&o));
    }
    let dist = src.join("dist");
    let archive = format!("isms-site-v0.1.0-test-{target}.tar.gz");
    let o = Command::new("shasum")
        .args(["-a", "256", "-c", &format!("{archive}.sha256")])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(o.status.success(), "checksum: {}", output_text(&o));
    let o = Command::new("tar")
        .args(["-xzf", &archive])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    let bin = dist.join(format!("isms-site-v0.1.0-test-{target}/isms-site"));
    let size = fs::metadata(&bin).unwrap().len();
    eprintln!(
        "release binary: {} bytes ({:.1} MiB)",
        size,
        size as f64 / 1048576.0
    );
    let site = base.join("site");
    let o = Command::new(&bin)
        .args(["build", "--as-of", AS_OF, "--content"])
        .arg(root_dir().join("content"))
        .arg("--output")
        .arg(&site)
        .current_dir(&base)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", output_text(&o));
    assert!(Path::new(&site).join("index.html").is_file());
}
