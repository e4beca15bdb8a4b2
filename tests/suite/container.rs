//! The container image (`Dockerfile`): built with Docker or Podman, it
//! builds a register folder mounted as /site, as a non-root user, with
//! the default theme from the binary. Ignored without an engine; `.ci/run`
//! runs it when `docker info` (or `podman info`) works and says so when
//! it skips it.

use crate::tools;

use std::process::Command;
use tools::{AS_OF, copy_dir, fresh_tmp_dir, output_text, root_dir};

/// The first engine whose daemon (or service) answers.
fn engine() -> Option<&'static str> {
    ["docker", "podman"]
        .into_iter()
        .find(|e| tools::runs(e, &["info"]))
}

fn run(engine: &str, args: &[&str]) -> String {
    let o = Command::new(engine)
        .args(args)
        .output()
        .expect("engine runs");
    assert!(
        o.status.success(),
        "{engine} {args:?}:\n{}",
        output_text(&o)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// This process's user and group, for `--user` (see docs/container.md).
fn uid_gid() -> String {
    let id = |flag: &str| run("id", &[flag]).trim().to_string();
    format!("{}:{}", id("-u"), id("-g"))
}

#[test]
#[ignore = "needs Docker or Podman (a running daemon)"]
fn container_image_builds_the_demo_as_a_non_root_user() {
    // Run without an engine, this fails rather than passing unseen;
    // .ci/run skips it by name then, and says so.
    let engine = engine().expect(
        "needs Docker or Podman with a running daemon: `docker info` and `podman info` failed",
    );
    let tag = format!("isms-site-test:{}", std::process::id());
    let root = root_dir();
    run(
        engine,
        &[
            "build",
            "--build-arg",
            "ISMS_SITE_COMMIT=0123456789ab",
            "-t",
            &tag,
            root.to_str().unwrap(),
        ],
    );
    let version = run(engine, &["run", "--rm", &tag, "--version"]);
    let user = run(
        engine,
        &["image", "inspect", "-f", "{{.Config.User}}", &tag],
    );
    let size = run(engine, &["image", "inspect", "-f", "{{.Size}}", &tag]);

    let dir = fresh_tmp_dir("container-");
    copy_dir(&root.join("content"), &dir.join("content"));
    let mount = format!("{}:/site", dir.display());
    let built = Command::new(engine)
        .args(["run", "--rm", "--user", &uid_gid(), "-v", &mount, &tag])
        .args(["build", "--as-of", AS_OF])
        .output()
        .unwrap();
    let _ = Command::new(engine).args(["rmi", "-f", &tag]).output();

    assert!(built.status.success(), "{}", output_text(&built));
    assert_eq!(
        version.trim(),
        format!(
            "isms-site {} (commit 0123456789ab)",
            env!("CARGO_PKG_VERSION")
        )
    );
    let user = user.trim();
    assert!(
        !user.is_empty() && !user.starts_with("0") && user != "root",
        "runs as `{user}`"
    );
    for page in ["index.html", "register/index.html", "style.css"] {
        assert!(dir.join("output").join(page).is_file(), "no output/{page}");
    }
    let mb = size.trim().parse::<u64>().unwrap() / 1_000_000;
    eprintln!("image size: {mb} MB");
    assert!(mb < 40, "the image is {mb} MB");
}
