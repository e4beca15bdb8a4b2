//! Revision history from git (issue 16, point 6), on repositories made
//! here with the `git` command line: each commit's author, committer and
//! dates are fixed, so every run makes the same history. A missing `git`
//! fails these tests (every CI machine has it); nothing is skipped.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;
use tools::{AS_OF, BIN, copy_dir, fresh_tmp_dir, git_as, output_text, root_dir};

fn git(dir: &Path, args: &[&str]) {
    git_as(dir, "Nobody <nobody@example.org>", "2026-01-01", args);
}

fn commit(dir: &Path, author: &str, date: &str, message: &str) {
    git_as(dir, author, date, &["add", "-A"]);
    git_as(dir, author, date, &["commit", "-q", "-m", message]);
}

const ALICE: &str = "Alice Auditor <alice@example.org>";
const BOB: &str = "Bob Builder <bob@example.org>";
const CAROL: &str = "Carol Checker <carol@example.org>";
const DAVE: &str = "Dave Developer <dave@example.org>";

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn entry(id: &str, title: &str) -> String {
    format!("id: {id}\ntitle: {title}\nidentified: 2025-01-10\nstatus: planned\npriority: medium\n")
}

const TWO_ENTRIES: &str = "- id: CI-010\n  title: First of two\n  identified: 2025-01-11\n  status: planned\n  priority: low\n- id: CI-011\n  title: Second of two\n  identified: 2025-01-12\n  status: planned\n  priority: low\n";

const PLAN: &str = "---\ntitle: Hardening plan\nentries: [CI-001]\nowner: CISO\n---\nThe plan.\n";
const REVIEW: &str = "---\ntitle: Review one\ndate: 2025-02-01\nkind: management-review\nentries: [CI-001]\n---\nNotes.\n";

/// A repository whose content folder is `isms/content` (a subfolder, as
/// in a monorepo), with this history, oldest first:
///
/// 1. 2026-01-05 Alice: everything added
/// 2. 2026-02-10 Bob: CI-001 changed, message with markup
/// 3. 2026-03-15 Carol: the plan and the review changed
/// 4. 2026-03-18 Dave, on a branch: the two-entry file changed
/// 5. 2026-03-20 Carol: a file outside the content folder changed
/// 6. 2026-03-25 Carol: the branch merged (no conflict)
/// 7. 2026-12-01 Bob: CI-001 changed again, after the as-of date
///
/// Returns the repository and its content folder.
fn repository(name: &str) -> (PathBuf, PathBuf) {
    let repo = fresh_tmp_dir(name).join("repo");
    let content = repo.join("isms/content");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&content.join("site.yaml"), "title: Git history test\n");
    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "Patch faster"),
    );
    write(&content.join("register/pair.yaml"), TWO_ENTRIES);
    write(&content.join("plans/hardening.md"), PLAN);
    write(&content.join("reviews/2025-review.md"), REVIEW);
    write(&repo.join("README.md"), "A repository.\n");
    commit(
        &repo,
        ALICE,
        "2026-01-05",
        "Add the register\n\nWith a body.",
    );

    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "Patch critical systems faster"),
    );
    commit(
        &repo,
        BOB,
        "2026-02-10",
        "Retitle CI-001 <b>now</b> & \"then\"",
    );

    write(
        &content.join("plans/hardening.md"),
        &PLAN.replace("The plan.", "The plan, approved."),
    );
    write(
        &content.join("reviews/2025-review.md"),
        &REVIEW.replace("Notes.", "Notes and actions."),
    );
    commit(
        &repo,
        CAROL,
        "2026-03-15",
        "Approve the plan and the minutes",
    );

    git(&repo, &["checkout", "-q", "-b", "fix"]);
    write(
        &content.join("register/pair.yaml"),
        &TWO_ENTRIES.replace("First of two", "First of the pair"),
    );
    commit(&repo, DAVE, "2026-03-18", "Rename the first of the pair");
    git(&repo, &["checkout", "-q", "main"]);

    write(&repo.join("README.md"), "A repository, changed.\n");
    commit(
        &repo,
        CAROL,
        "2026-03-20",
        "Unrelated change outside the content",
    );
    git_as(
        &repo,
        CAROL,
        "2026-03-25",
        &["merge", "-q", "--no-ff", "-m", "Merge branch fix", "fix"],
    );

    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "Patch critical systems within a week"),
    );
    commit(&repo, BOB, "2026-12-01", "Change made after the as-of date");
    (repo, content)
}

/// Runs `isms-site ARGS… --content CONTENT`, expecting success; returns stderr.
fn run(content: &Path, args: &[&str]) -> String {
    let o = Command::new(BIN)
        .env_remove("SOURCE_DATE_EPOCH")
        .args(args)
        .arg("--content")
        .arg(content)
        .output()
        .expect("run isms-site");
    assert!(o.status.success(), "{args:?}: {}", output_text(&o));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Builds `content` into `out` as of [`AS_OF`] with the built-in theme,
/// with `extra` arguments; returns stderr.
fn build(content: &Path, out: &Path, extra: &[&str]) -> String {
    let theme = root_dir().join("themes/default");
    build_with(content, out, AS_OF, &theme, extra)
}

/// Builds `content` into `out` as of `as_of` with `theme`; returns stderr.
fn build_with(content: &Path, out: &Path, as_of: &str, theme: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "build",
        "--as-of",
        as_of,
        "--output",
        out.to_str().unwrap(),
        "--theme",
        theme.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(content, &args)
}

fn page(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The revision lines of a page, as text: `date — author: summary`.
fn revisions(html: &str) -> Vec<String> {
    let Some(start) = html.find("<h2 id=\"revisions-h\">") else {
        return Vec::new();
    };
    let section = &html[start..html[start..].find("</section>").unwrap() + start];
    section
        .split("<li>")
        .skip(1)
        .map(|li| {
            let li = li.split("</li>").next().unwrap();
            let mut text = String::new();
            let mut in_tag = false;
            for c in li.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            unescape(&text)
        })
        .collect()
}

/// HTML text as a reader sees it.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

fn assert_same_site(a: &Path, b: &Path, what: &str) {
    let (fa, fb) = (tools::site_files(a), tools::site_files(b));
    assert_eq!(
        fa.keys().collect::<Vec<_>>(),
        fb.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    for (rel, bytes) in &fa {
        assert!(bytes == &fb[rel], "{what}: {rel} differs");
    }
}

#[test]
fn pages_list_their_revisions_newest_first_without_emails() {
    let (repo, content) = repository("git-pages-");
    let out = repo.parent().unwrap().join("site");
    build(&content, &out, &[]);

    let e = page(&out, "register/CI-001/index.html");
    assert_eq!(
        revisions(&e),
        [
            "2026-02-10 — Bob Builder: Retitle CI-001 <b>now</b> & \"then\"",
            "2026-01-05 — Alice Auditor: Add the register",
        ]
    );
    // The message is text, not markup.
    assert!(
        e.contains("Retitle CI-001 &lt;b&gt;now&lt;/b&gt; &amp; &quot;then&quot;"),
        "{e}"
    );
    assert!(
        e.contains("Last updated <time datetime=\"2026-02-10\">"),
        "{e}"
    );
    assert!(!e.contains("Change made after the as-of date"));

    let plan = page(&out, "plans/hardening/index.html");
    assert_eq!(
        revisions(&plan),
        [
            "2026-03-15 — Carol Checker: Approve the plan and the minutes",
            "2026-01-05 — Alice Auditor: Add the register",
        ]
    );
    let review = page(&out, "reviews/2025-review/index.html");
    assert_eq!(revisions(&review), revisions(&plan));

    // Both entries of one file have the file's revisions; the merge that
    // brought Dave's change in is not listed again.
    for id in ["CI-010", "CI-011"] {
        assert_eq!(
            revisions(&page(&out, &format!("register/{id}/index.html"))),
            [
                "2026-03-18 — Dave Developer: Rename the first of the pair",
                "2026-01-05 — Alice Auditor: Add the register",
            ],
            "{id}"
        );
    }

    // The dashboard's "Last updated" is the newest revision (the register's
    // own dates are all in 2025).
    let index = page(&out, "index.html");
    assert!(
        index.contains("<dt>Last updated</dt><dd><time datetime=\"2026-03-18\">"),
        "{index}"
    );

    for (rel, bytes) in tools::site_files(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("example.org"),
            "{rel} shows an e-mail address"
        );
        assert!(!text.contains("Unrelated change"), "{rel}");
        assert!(!text.contains("Merge branch"), "{rel}");
    }
}

#[test]
fn a_later_as_of_date_shows_later_revisions() {
    let (repo, content) = repository("git-asof-");
    let out = repo.parent().unwrap().join("site");
    let theme = root_dir().join("themes/default");
    build_with(&content, &out, "2026-12-31", &theme, &[]);
    let e = page(&out, "register/CI-001/index.html");
    assert_eq!(
        revisions(&e)[0],
        "2026-12-01 — Bob Builder: Change made after the as-of date"
    );
}

#[test]
fn no_git_and_outside_a_repository_show_nothing_and_agree() {
    let (repo, content) = repository("git-off-");
    let base = repo.parent().unwrap();
    let with_git = base.join("with-git");
    let no_git = base.join("no-git");
    build(&content, &with_git, &[]);
    build(&content, &no_git, &["--no-git"]);
    assert!(!revisions(&page(&with_git, "register/CI-001/index.html")).is_empty());
    for (rel, bytes) in tools::site_files(&no_git) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("revisions-h"), "{rel} lists revisions");
        assert!(!text.contains("Alice Auditor"), "{rel}");
    }

    // The same content where no repository is above it.
    let outside = tempfile::tempdir().unwrap();
    let not_a_repo = Command::new("git")
        .current_dir(outside.path())
        .args(["rev-parse", "--git-dir"])
        .output()
        .expect("git");
    assert!(
        !not_a_repo.status.success(),
        "the temporary folder {} is inside a git repository",
        outside.path().display()
    );
    let copy = outside.path().join("content");
    copy_dir(&content, &copy);
    let plain = outside.path().join("site");
    let stderr = build(&copy, &plain, &[]);
    assert!(!stderr.contains("revision"), "{stderr}");
    assert_same_site(&plain, &no_git, "outside a repository and --no-git");
}

#[test]
fn builds_of_the_same_commit_are_byte_identical() {
    let (repo, content) = repository("git-same-");
    let base = repo.parent().unwrap();
    build(&content, &base.join("one"), &[]);
    build(&content, &base.join("two"), &[]);
    assert_same_site(&base.join("one"), &base.join("two"), "two builds");
}

#[test]
fn a_shallow_clone_builds_and_says_what_is_missing() {
    let (repo, _) = repository("git-shallow-");
    let base = repo.parent().unwrap();
    let url = format!("file://{}", repo.display());
    let clone = base.join("clone");
    git(
        base,
        &["clone", "-q", "--depth", "2", &url, clone.to_str().unwrap()],
    );
    let content = clone.join("isms/content");
    let out = base.join("site");
    let theme = root_dir().join("themes/default");
    let stderr = build_with(&content, &out, "2026-12-31", &theme, &[]);
    assert!(stderr.contains("shallow clone"), "{stderr}");
    // The hint is the cure CI needs (the whole history), not --no-git.
    assert!(stderr.contains("`fetch-depth: 0`"), "{stderr}");
    assert!(!stderr.contains("pass --no-git"), "{stderr}");
    // Of the two commits fetched, the newer is shown; the older one's
    // parents are missing, so what it changed is unknown.
    assert_eq!(
        revisions(&page(&out, "register/CI-001/index.html")),
        ["2026-12-01 — Bob Builder: Change made after the as-of date"]
    );
    assert!(revisions(&page(&out, "plans/hardening/index.html")).is_empty());

    let checked = run(&content, &["check", "--as-of", AS_OF]);
    assert!(checked.contains("shallow clone"), "{checked}");
    let unchecked = run(&content, &["check", "--as-of", AS_OF, "--no-git"]);
    assert!(!unchecked.contains("shallow clone"), "{unchecked}");

    let one = base.join("clone1");
    git(
        base,
        &["clone", "-q", "--depth", "1", &url, one.to_str().unwrap()],
    );
    build(&one.join("isms/content"), &base.join("site1"), &[]);
}

/// The live preview keeps the history between rebuilds and reads it again
/// once HEAD moves.
#[test]
fn the_kept_history_follows_new_commits() {
    use isms_site::content::git::{Memo, read};
    use isms_site::model::diag::Diagnostics;
    let (repo, content) = repository("git-memo-");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let memo = Memo::default();
    let file = content.join("register/CI-001.yaml");
    let mut diags = Diagnostics::default();
    let first = read(&content, as_of, Some(&memo), &mut diags).of(&content, &file);
    assert_eq!(first.newest.len(), 3);
    assert_eq!(
        read(&content, as_of, Some(&memo), &mut diags).of(&content, &file),
        first
    );
    write(&file, &entry("CI-001", "Patch everything"));
    commit(&repo, DAVE, "2026-12-02", "One more change");
    let again = read(&content, as_of, Some(&memo), &mut diags).of(&content, &file);
    assert_eq!(again.newest.len(), 4);
    assert_eq!(again.newest[0].summary, "One more change");
    assert_eq!(again.newest[0].author, "Dave Developer");
    assert!(diags.is_empty(), "{diags:?}");
}

/// A theme moves or replaces the list by redefining the `revisions` block.
#[test]
fn a_theme_can_override_the_revisions_block() {
    let (repo, content) = repository("git-theme-");
    let base = repo.parent().unwrap();
    write(
        &base.join("theme/templates/entry.html"),
        "{% extends \"builtin/entry.html\" %}{% block revisions %}<p id=\"changed\">Changed {{ revisions.last_updated }} by {{ revisions.list[0].author }}</p>{% endblock revisions %}",
    );
    let out = base.join("site");
    build_with(&content, &out, AS_OF, &base.join("theme"), &[]);
    let e = page(&out, "register/CI-001/index.html");
    assert!(
        e.contains("<p id=\"changed\">Changed 2026-02-10 by Bob Builder</p>"),
        "{e}"
    );
    assert!(!e.contains("revisions-h"));
    assert!(page(&out, "plans/hardening/index.html").contains("revisions-h"));
}

/// Commit messages are free text about an entry: an audience that may not
/// see the entry's history does not see its revisions either.
#[test]
fn revisions_follow_the_history_fields_audience() {
    let (repo, content) = repository("git-audience-");
    let base = repo.parent().unwrap();
    write(
        &content.join("site.yaml"),
        "title: Git history test\nvisibility:\n  fields:\n    history: restricted\n",
    );
    let built = |audience: &str| {
        let out = base.join(format!("site-{audience}"));
        build(&content, &out, &["--audience", audience]);
        out
    };
    let internal = built("internal");
    for (rel, bytes) in tools::site_files(&internal) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Retitle CI-001"), "{rel}");
    }
    // Plans and reviews have no history field: theirs stay.
    assert!(!revisions(&page(&internal, "plans/hardening/index.html")).is_empty());
    let restricted = built("restricted");
    assert!(page(&restricted, "register/CI-001/index.html").contains("Retitle CI-001"));
}

/// Runs `isms-site ARGS… --content CONTENT` with `env` set, under a 2 GiB
/// address-space limit (`ulimit -v`: a read without a bound fails the
/// test instead of the machine), with no user or system git
/// configuration unless `env` gives one; returns the output.
fn run_bounded(content: &Path, args: &[&str], env: &[(&str, &Path)]) -> std::process::Output {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(args)
        .arg("--content")
        .arg(content)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run isms-site")
}

/// `check`s `content` as of [`AS_OF`] under [`run_bounded`], expecting
/// success; returns stderr.
fn check_bounded(content: &Path) -> String {
    let o = run_bounded(content, &["check", "--as-of", AS_OF], &[]);
    assert!(o.status.success(), "{}", output_text(&o));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small repository: `register/CI-001.yaml` committed, then changed in
/// each of `changes` further commits (one a day from 2026-01-02, message
/// `Change N`). Returns the repository (its content folder is
/// `content/`).
fn small_repository(name: &str, changes: usize) -> PathBuf {
    let repo = fresh_tmp_dir(name).join("repo");
    let content = repo.join("content");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "gc.auto", "0"]);
    write(&content.join("site.yaml"), "title: Small\n");
    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "First"),
    );
    commit(&repo, ALICE, "2026-01-01", "Add the register");
    for n in 1..=changes {
        write(
            &content.join("register/CI-001.yaml"),
            &entry("CI-001", &format!("Version {n}")),
        );
        commit(
            &repo,
            BOB,
            &format!("2026-01-{:02}", n + 1),
            &format!("Change {n}"),
        );
    }
    repo
}

/// The output of `git args…` in `dir`.
fn git_out(dir: &Path, args: &[&str]) -> String {
    let o = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .expect("git");
    assert!(o.status.success(), "git {args:?}: {}", output_text(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// The loose file of object `id`.
fn loose(repo: &Path, id: &str) -> PathBuf {
    repo.join(".git/objects").join(&id[..2]).join(&id[2..])
}

/// Issue 22, point 2: a commit message is about a file, and a register
/// file can hold a restricted entry beside a public one. The public
/// entry's page shows the file's revisions as dates only; the restricted
/// build shows them whole.
#[test]
fn a_restricted_entrys_commit_messages_stay_off_its_public_siblings_page() {
    let repo = fresh_tmp_dir("git-shared-").join("repo");
    let content = repo.join("content");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&content.join("site.yaml"), "title: Shared file\n");
    let pair = |secret: &str| {
        format!(
            "- id: CI-010\n  title: Public neighbour\n  identified: 2025-01-11\n  status: planned\n  priority: low\n  visibility: public\n- id: CI-011\n  title: {secret}\n  identified: 2025-01-12\n  status: planned\n  priority: low\n  visibility: restricted\n"
        )
    };
    write(&content.join("register/pair.yaml"), &pair("Quiet work"));
    write(
        &content.join("register/CI-001.yaml"),
        &format!("{}visibility: public\n", entry("CI-001", "Alone")),
    );
    commit(&repo, ALICE, "2026-01-05", "Add the register");
    write(&content.join("register/pair.yaml"), &pair("Quieter work"));
    commit(
        &repo,
        CAROL,
        "2026-02-10",
        "Retitle CI-011 after the SECRET-MERGER talks",
    );
    write(
        &content.join("register/CI-001.yaml"),
        &format!("{}visibility: public\n", entry("CI-001", "Alone, changed")),
    );
    commit(&repo, BOB, "2026-02-11", "Retitle CI-001");
    let built = |audience: &str| {
        let out = repo.parent().unwrap().join(format!("site-{audience}"));
        build(&content, &out, &["--audience", audience]);
        out
    };
    let public = built("public");
    assert_eq!(
        revisions(&page(&public, "register/CI-010/index.html")),
        ["2026-02-10", "2026-01-05"],
        "dates only"
    );
    for (rel, bytes) in tools::site_files(&public) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("SECRET-MERGER"), "{rel} shows the message");
    }
    // A file of its own keeps its messages.
    assert_eq!(
        revisions(&page(&public, "register/CI-001/index.html")),
        [
            "2026-02-11 — Bob Builder: Retitle CI-001",
            "2026-01-05 — Alice Auditor: Add the register"
        ]
    );
    let restricted = built("restricted");
    assert_eq!(
        revisions(&page(&restricted, "register/CI-010/index.html"))[0],
        "2026-02-10 — Carol Checker: Retitle CI-011 after the SECRET-MERGER talks"
    );
}

/// Gives `repo` to uid 4242, as git sees a repository someone else
/// created; false (and says so) when not root, where that cannot be done.
fn give_to_another_user(repo: &Path) -> bool {
    let probe = repo.parent().unwrap().join("probe");
    fs::write(&probe, "").unwrap();
    use std::os::unix::fs::MetadataExt;
    if fs::metadata(&probe).unwrap().uid() != 0 {
        eprintln!("not root: the repository cannot be given to another user here");
        return false;
    }
    let o = Command::new("chown")
        .args(["-R", "4242:4242"])
        .arg(repo)
        .output()
        .expect("chown");
    assert!(o.status.success(), "{}", output_text(&o));
    true
}

/// Issue 22, point 4: git refuses a repository owned by another user
/// ("dubious ownership") unless `safe.directory` names it, since whoever
/// could create a `.git` in a shared parent folder would choose the
/// revisions shown; so does the build. As root, the repository really is
/// given to another user; otherwise the same decision is made through
/// [`read_with`]'s stand-in for another owner (gix's own check, which
/// `safe.directory` is part of).
#[test]
fn a_repository_owned_by_another_user_is_not_read() {
    use isms_site::content::git::{Trust, read_with};
    use isms_site::model::diag::Diagnostics;
    let repo = small_repository("git-owner-", 1);
    let content = repo.join("content");
    let file = content.join("register/CI-001.yaml");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();

    // The stand-in: the same repository, taken to be someone else's.
    let mut diags = Diagnostics::default();
    let (history, _) = read_with(&content, as_of, None, Trust::Other, &mut diags);
    assert!(history.of(&content, &file).newest.is_empty());
    let said = format!("{diags:?}");
    assert!(said.contains("dubious ownership"), "{said}");
    let mut diags = Diagnostics::default();
    let (history, _) = read_with(&content, as_of, None, Trust::Owner, &mut diags);
    assert_eq!(history.of(&content, &file).newest.len(), 2, "{diags:?}");

    if !give_to_another_user(&repo) {
        eprintln!("the decision was checked through read_with's stand-in above");
        return;
    }
    let o = Command::new("git")
        .current_dir(&repo)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["log", "--oneline"])
        .output()
        .expect("git");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("dubious ownership"),
        "git itself should refuse it: {}",
        output_text(&o)
    );
    let out = repo.parent().unwrap().join("site");
    let theme = root_dir().join("themes/default");
    let args = [
        "build",
        "--as-of",
        AS_OF,
        "--output",
        out.to_str().unwrap(),
        "--theme",
        theme.to_str().unwrap(),
    ];
    let o = run_bounded(&content, &args, &[]);
    assert!(o.status.success(), "{}", output_text(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("dubious ownership"), "{stderr}");
    assert!(revisions(&page(&out, "register/CI-001/index.html")).is_empty());

    // Named by safe.directory in the user's configuration: read.
    let config = repo.parent().unwrap().join("gitconfig");
    fs::write(
        &config,
        format!("[safe]\n\tdirectory = {}\n", repo.display()),
    )
    .unwrap();
    let o = run_bounded(&content, &args, &[("GIT_CONFIG_GLOBAL", &config)]);
    assert!(o.status.success(), "{}", output_text(&o));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("ownership"), "{stderr}");
    assert_eq!(
        revisions(&page(&out, "register/CI-001/index.html")).len(),
        2
    );
}

/// Issue 22, point 7: a commit's size is read from its header before the
/// commit is; one over the limit (a message of hundreds of megabytes
/// packs into one or two) is skipped with a warning, and the build goes
/// on with the revisions after it.
#[test]
fn an_oversized_commit_is_skipped_with_a_warning() {
    let repo = small_repository("git-huge-commit-", 0);
    let content = repo.join("content");
    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "Huge"),
    );
    let message = repo.parent().unwrap().join("message");
    let mut text = "A long message\n\n".to_string();
    while text.len() <= 2 << 20 {
        text.push_str("padding padding padding padding padding padding padding\n");
    }
    fs::write(&message, text).unwrap();
    git_as(&repo, BOB, "2026-01-02", &["add", "-A"]);
    git_as(
        &repo,
        BOB,
        "2026-01-02",
        &["commit", "-q", "-F", message.to_str().unwrap()],
    );
    for n in [3, 4] {
        write(
            &content.join("register/CI-001.yaml"),
            &entry("CI-001", &format!("Later {n}")),
        );
        commit(
            &repo,
            CAROL,
            &format!("2026-01-0{n}"),
            &format!("Change {n}"),
        );
    }
    let out = repo.parent().unwrap().join("site");
    let stderr = build(&content, &out, &[]);
    assert!(stderr.contains("over the size limit"), "{stderr}");
    assert!(stderr.contains("a commit of"), "{stderr}");
    // The newest commit is listed; the one whose parent is too large to
    // read, the large one and those before it are not.
    assert_eq!(
        revisions(&page(&out, "register/CI-001/index.html")),
        ["2026-01-04 — Carol Checker: Change 4"]
    );
}

/// Issue 22, point 7: seven bytes changed in a pack make an object claim
/// a terabyte. Its size is read from its header and refused before any
/// memory is set aside for it (the old reader aborted on the allocation).
#[test]
fn a_pack_entry_claiming_a_huge_size_is_refused_before_it_is_read() {
    let repo = small_repository("git-pack-size-", 2);
    git(&repo, &["gc", "-q"]);
    let head = git_out(&repo, &["rev-parse", "HEAD"]);
    let pack_dir = repo.join(".git/objects/pack");
    let idx = fs::read_dir(&pack_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "idx"))
        .expect("a pack index");
    let listing = Command::new("git")
        .arg("show-index")
        .stdin(fs::File::open(&idx).unwrap())
        .output()
        .expect("git show-index");
    let listing = String::from_utf8_lossy(&listing.stdout);
    let offset: usize = listing
        .lines()
        .find(|l| l.contains(&head))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|o| o.parse().ok())
        .expect("HEAD's offset in the pack");
    let pack = idx.with_extension("pack");
    let mut bytes = fs::read(&pack).unwrap();
    assert_eq!(
        (bytes[offset] >> 4) & 7,
        1,
        "HEAD is stored whole, as a commit"
    );
    // Type commit, size 2^40, in seven bytes.
    let size: u64 = 1 << 40;
    let mut header = vec![0x80 | (1 << 4) | (size & 0xf) as u8];
    let mut rest = size >> 4;
    for i in 0..6 {
        let more = if i < 5 { 0x80 } else { 0 };
        header.push(more | (rest & 0x7f) as u8);
        rest >>= 7;
    }
    bytes[offset..offset + 7].copy_from_slice(&header);
    let mut perms = fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    fs::set_permissions(&pack, perms).unwrap();
    fs::write(&pack, bytes).unwrap();
    let stderr = check_bounded(&repo.join("content"));
    assert!(stderr.contains("over the size limit"), "{stderr}");
    assert!(stderr.contains("1099511627776 bytes"), "{stderr}");
}

/// Issue 22, point 7: `objects/info/alternates` is read whole, and so
/// would a link to `/dev/zero` be, without end. Files of the git folder
/// that are not regular files, and alternates that are not folders, are
/// refused with a warning.
#[test]
fn alternates_and_git_files_that_are_not_what_git_writes_are_refused() {
    let repo = small_repository("git-alternates-", 1);
    let content = repo.join("content");
    let info = repo.join(".git/objects/info");
    fs::create_dir_all(&info).unwrap();
    let alternates = info.join("alternates");

    std::os::unix::fs::symlink("/dev/zero", &alternates).unwrap();
    let stderr = check_bounded(&content);
    assert!(stderr.contains("is not a regular file"), "{stderr}");

    fs::remove_file(&alternates).unwrap();
    fs::write(&alternates, "/dev/zero\n").unwrap();
    let stderr = check_bounded(&content);
    assert!(stderr.contains("which is not a folder"), "{stderr}");

    fs::remove_file(&alternates).unwrap();
    let head = repo.join(".git/refs/heads/main");
    fs::remove_file(&head).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &head).unwrap();
    let stderr = check_bounded(&content);
    assert!(stderr.contains("is not a regular file"), "{stderr}");
}

/// Issue 22, point 8: the walk's cost follows the commits, not the width
/// of the repository's root folder: each root tree is read once (as a
/// commit's, then from the cache as its child's parent's), and a commit
/// that leaves the content folder's tree alone opens nothing below it.
#[test]
fn the_walk_reads_each_root_tree_once_however_wide_the_root() {
    use isms_site::content::git::{Trust, read_with};
    use isms_site::model::diag::Diagnostics;
    let repo = small_repository("git-wide-", 0);
    for i in 0..400 {
        write(&repo.join(format!("file-{i:04}.txt")), "x\n");
    }
    commit(&repo, ALICE, "2026-01-02", "A wide root");
    let (commits, changing) = (30, 10);
    for n in 0..commits {
        write(
            &repo.join(format!("file-{:04}.txt", n * 13)),
            &format!("{n}\n"),
        );
        if n % 3 == 0 {
            write(
                &repo.join("content/register/CI-001.yaml"),
                &entry("CI-001", &format!("Version {n}")),
            );
        }
        commit(&repo, BOB, "2026-01-03", &format!("Change {n}"));
    }
    let content = repo.join("content");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut diags = Diagnostics::default();
    let (history, stats) = read_with(&content, as_of, None, Trust::Owner, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let all = commits + 2;
    assert_eq!(
        history
            .of(&content, &content.join("register/CI-001.yaml"))
            .newest
            .len(),
        changing + 1
    );
    assert_eq!(stats.commits_read, all, "each commit read once");
    // A root tree per commit; for each commit that changed the content
    // folder, its content tree and two versions of register/.
    let bound = all + 3 * (changing + 1);
    assert!(
        stats.trees_read <= bound,
        "{} trees read for {all} commits (at most {bound})",
        stats.trees_read
    );
}

/// Issue 22, point 13: "no commit yet" is only an unborn HEAD. Every
/// other damage that keeps the history from being read is a warning (the
/// user guide promises one), never a silent page without revisions, and
/// never a failed build.
#[test]
fn damaged_repositories_say_so_and_build_without_revisions() {
    type Damage = fn(&Path);
    let shapes: [(&str, Damage); 11] = [
        ("truncated commit", |r| {
            let head = git_out(r, &["rev-parse", "HEAD"]);
            let f = fs::OpenOptions::new()
                .write(true)
                .open(loose(r, &head))
                .unwrap();
            f.set_len(10).unwrap();
        }),
        ("missing tree", |r| {
            let tree = git_out(r, &["rev-parse", "HEAD^{tree}"]);
            fs::remove_file(loose(r, &tree)).unwrap();
        }),
        ("missing parent", |r| {
            let parent = git_out(r, &["rev-parse", "HEAD~1"]);
            fs::remove_file(loose(r, &parent)).unwrap();
        }),
        ("garbage in HEAD", |r| {
            fs::write(r.join(".git/HEAD"), "garbage\n").unwrap();
        }),
        ("HEAD missing", |r| {
            fs::remove_file(r.join(".git/HEAD")).unwrap();
        }),
        ("garbage in the branch", |r| {
            fs::write(r.join(".git/refs/heads/main"), "not a commit id\n").unwrap();
        }),
        ("branch names a missing commit", |r| {
            fs::write(
                r.join(".git/refs/heads/main"),
                "0123456789abcdef0123456789abcdef01234567\n",
            )
            .unwrap();
        }),
        ("branch names a blob", |r| {
            let blob = git_out(r, &["rev-parse", "HEAD:content/site.yaml"]);
            fs::write(r.join(".git/refs/heads/main"), format!("{blob}\n")).unwrap();
        }),
        ("objects folder missing", |r| {
            fs::rename(r.join(".git/objects"), r.join(".git/objects-gone")).unwrap();
        }),
        ("truncated pack index", |r| {
            git(r, &["gc", "-q"]);
            for e in fs::read_dir(r.join(".git/objects/pack")).unwrap().flatten() {
                if e.path().extension().is_some_and(|x| x == "idx") {
                    let f = fs::OpenOptions::new().write(true).open(e.path()).unwrap();
                    f.set_len(100).unwrap();
                }
            }
        }),
        ("zeroed pack", |r| {
            git(r, &["gc", "-q"]);
            for e in fs::read_dir(r.join(".git/objects/pack")).unwrap().flatten() {
                if e.path().extension().is_some_and(|x| x == "pack") {
                    let len = fs::metadata(e.path()).unwrap().len();
                    fs::write(e.path(), vec![0u8; len as usize]).unwrap();
                }
            }
        }),
    ];
    let mut silent = Vec::new();
    for (name, damage) in shapes {
        let repo = small_repository(&format!("git-damage-{}-", name.replace(' ', "-")), 2);
        damage(&repo);
        let stderr = check_bounded(&repo.join("content"));
        // Every warning about git carries this hint.
        if !stderr.contains("pages are built without it") {
            silent.push(format!("{name}: {stderr}"));
        }
    }
    assert!(silent.is_empty(), "no warning for: {silent:#?}");

    // An unborn HEAD is a repository without commits yet: nothing to say.
    let repo = fresh_tmp_dir("git-unborn-").join("repo");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&repo.join("content/site.yaml"), "title: Unborn\n");
    write(
        &repo.join("content/register/CI-001.yaml"),
        &entry("CI-001", "New"),
    );
    let stderr = check_bounded(&repo.join("content"));
    assert!(!stderr.contains("pages are built without it"), "{stderr}");
}

/// A repository for approvals bound to their text (issue 26, item 2):
///
/// 1. 2026-01-05: a plan to be edited, a plan left alone, a review whose
///    `revision` names no commit
/// 2. 2026-01-10: a change to the register only (not the commit approved:
///    it did not touch the plans)
/// 3. 2026-02-01: the approvals recorded (dated 2026-01-20): the
///    `approved` field is not a change of the approved text
/// 4. 2026-03-10: the first plan's text changed, with markup in it, and
///    an `owner` added
fn approvals_repository(name: &str) -> PathBuf {
    let repo = fresh_tmp_dir(name).join("repo");
    let content = repo.join("content");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&content.join("site.yaml"), "title: Approvals\n");
    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "Patch faster"),
    );
    let plan = |title: &str, approved: &str, body: &str| {
        format!(
            "---\ntitle: {title}\nentries: [CI-001]\n{approved}---\nFirst line.\n{body}\nLast line.\n"
        )
    };
    let approved = "approved: {by: CISO, date: 2026-01-20}\n";
    let review = "---\ntitle: Review one\ndate: 2026-01-20\nentries: [CI-001]\napproved:\n  by: CEO\n  date: 2026-01-20\n  revision: deadbeef1\n---\nNotes.\n";
    write(
        &content.join("plans/edited.md"),
        &plan("Edited", "", "The plan."),
    );
    write(
        &content.join("plans/steady.md"),
        &plan("Steady", "", "Stays."),
    );
    write(&content.join("reviews/2026-01-20-review.md"), review);
    commit(&repo, ALICE, "2026-01-05", "Add the register");
    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "Patch sooner"),
    );
    commit(&repo, DAVE, "2026-01-10", "A change to no plan");
    write(
        &content.join("plans/edited.md"),
        &plan("Edited", approved, "The plan."),
    );
    write(
        &content.join("plans/steady.md"),
        &plan("Steady", approved, "Stays."),
    );
    commit(&repo, BOB, "2026-02-01", "Record the approvals");
    write(
        &content.join("plans/edited.md"),
        &plan(
            "Edited",
            &format!("{approved}owner: Operations\n"),
            "The plan, <b>widened</b> & changed.",
        ),
    );
    commit(&repo, CAROL, "2026-03-10", "Widen the plan");
    content
}

#[test]
fn an_approved_plan_edited_after_its_approval_says_so_on_its_page_and_in_check() {
    let content = approvals_repository("approval-changed");
    let out = content.parent().unwrap().parent().unwrap().join("out");
    build(&content, &out, &[]);
    let edited = page(&out, "plans/edited/index.html");
    assert!(
        edited.contains("changed since approval on 2026-01-20 (1 commit)"),
        "{edited}"
    );
    // The changed lines, escaped; the approval itself is no change.
    assert!(edited.contains("<span class=\"diff-removed\">-The plan.</span>"));
    assert!(
        edited.contains(
            "<span class=\"diff-added\">+The plan, &lt;b&gt;widened&lt;/b&gt; &amp; changed.</span>"
        ),
        "{edited}"
    );
    assert!(!edited.contains("<b>widened"));
    assert!(!edited.contains("+approved"));
    // A front-matter field that changed is named, its value not shown.
    assert!(edited.contains("Fields changed: owner."), "{edited}");
    assert!(!edited.contains("+owner"));
    // The approved revision is the last commit that touched the file on
    // or before the approval (the first), not the newest one then.
    let first = git_out(
        content.parent().unwrap(),
        &["rev-list", "--max-parents=0", "HEAD"],
    );
    assert!(
        edited.contains(&format!("approved revision <code>{}</code>", &first[..7])),
        "{first}: {edited}"
    );
    let steady = page(&out, "plans/steady/index.html");
    assert!(steady.contains("approved text unchanged"), "{steady}");
    assert!(!steady.contains("diff-added"));

    let check = run(&content, &["check", "--as-of", AS_OF]);
    let edited_warnings: Vec<&str> = check
        .lines()
        .filter(|l| l.contains("its text changed since its approval"))
        .collect();
    assert_eq!(edited_warnings.len(), 1, "{check}");
    assert!(
        edited_warnings[0].contains("plans/edited.md:4:11:")
            && edited_warnings[0].contains("by CISO on 2026-01-20")
            && edited_warnings[0].contains("1 commit since"),
        "{check}"
    );
    assert!(!check.contains("approvals cannot be checked"), "{check}");
}

#[test]
fn an_approval_as_of_a_day_before_the_edit_is_unchanged() {
    let content = approvals_repository("approval-as-of");
    let out = content.parent().unwrap().parent().unwrap().join("out");
    let theme = root_dir().join("themes/default");
    build_with(&content, &out, "2026-02-15", &theme, &[]);
    let edited = page(&out, "plans/edited/index.html");
    assert!(edited.contains("approved text unchanged"), "{edited}");
    assert!(!edited.contains("widened"));
}

#[test]
fn a_revision_naming_no_commit_is_a_warning_at_the_field() {
    let content = approvals_repository("approval-unknown");
    let check = run(&content, &["check", "--as-of", AS_OF]);
    let line = check
        .lines()
        .find(|l| l.contains("deadbeef1"))
        .unwrap_or_else(|| panic!("{check}"));
    assert!(
        line.contains("reviews/2026-01-20-review.md:8:13:")
            && line.contains("names no commit in the history of HEAD"),
        "{line}"
    );
    let out = content.parent().unwrap().parent().unwrap().join("out");
    build(&content, &out, &[]);
    let review = page(&out, "reviews/2026-01-20-review/index.html");
    assert!(
        review.contains(
            "the approved text cannot be checked: the revision deadbeef1 names no commit"
        ),
        "{review}"
    );
}

#[test]
fn outside_git_check_says_once_that_approvals_cannot_be_checked() {
    let content = approvals_repository("approval-no-git");
    // Where no repository is above it (the test folder is in this one).
    let outside = tempfile::tempdir().unwrap();
    let copy = outside.path().join("content");
    copy_dir(&content, &copy);
    let check = run(&copy, &["check", "--as-of", AS_OF]);
    assert_eq!(
        check.matches("approvals cannot be checked").count(),
        1,
        "{check}"
    );
    assert!(!check.contains("its text changed"), "{check}");
    // With --no-git nothing is said: the author asked for no git.
    let quiet = run(&copy, &["check", "--as-of", AS_OF, "--no-git"]);
    assert!(!quiet.contains("approvals cannot be checked"), "{quiet}");
}

#[test]
fn an_approved_text_for_a_stricter_audience_is_not_shown_in_the_diff() {
    let repo = fresh_tmp_dir("approval-stricter").join("repo");
    let content = repo.join("content");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    write(&content.join("site.yaml"), "title: Approvals\n");
    write(
        &content.join("register/CI-001.yaml"),
        &format!("{}visibility: public\n", entry("CI-001", "Patch faster")),
    );
    let plan = |visibility: &str, body: &str| {
        format!(
            "---\ntitle: Opened\nentries: [CI-001]\nvisibility: {visibility}\napproved: {{by: CISO, date: 2026-01-20}}\n---\n{body}\n"
        )
    };
    write(
        &content.join("plans/opened.md"),
        &plan("internal", "INTERNAL-ONLY wording."),
    );
    commit(&repo, ALICE, "2026-01-05", "An internal plan");
    write(
        &content.join("plans/opened.md"),
        &plan("public", "Public wording."),
    );
    commit(&repo, BOB, "2026-02-01", "Published to everyone");
    let out = repo.parent().unwrap().join("out");
    build(&content, &out, &["--audience", "public"]);
    let page = page(&out, "plans/opened/index.html");
    assert!(
        page.contains("changed since approval on 2026-01-20 (1 commit)"),
        "{page}"
    );
    assert!(page.contains("Fields changed: visibility."), "{page}");
    assert!(!page.contains("INTERNAL-ONLY"), "{page}");
    assert!(!page.contains("diff-removed"), "{page}");
}

/// A plan's words as of a past day come from git only when git itself
/// would open the repository: given to another user, the build shows the
/// current words (and says why), never text from a repository someone
/// else could have planted.
#[test]
fn past_words_are_not_read_from_a_repository_owned_by_another_user() {
    let repo = fresh_tmp_dir("git-owner-words-").join("repo");
    let content = repo.join("content");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    git(&repo, &["config", "gc.auto", "0"]);
    write(&content.join("site.yaml"), "title: Small\n");
    write(
        &content.join("register/CI-001.yaml"),
        &entry("CI-001", "First"),
    );
    let plan = content.join("plans/hardening.md");
    write(
        &plan,
        &PLAN.replace("The plan.", "Words of the second of January."),
    );
    commit(&repo, ALICE, "2026-01-02", "Add the plan");
    write(
        &plan,
        &PLAN.replace("The plan.", "Words of the third of January."),
    );
    commit(&repo, BOB, "2026-01-03", "Reword the plan");
    let out = repo.parent().unwrap().join("site");
    let theme = root_dir().join("themes/default");
    let args = [
        "build",
        "--as-of",
        "2026-01-02",
        "--output",
        out.to_str().unwrap(),
        "--theme",
        theme.to_str().unwrap(),
    ];
    let o = run_bounded(&content, &args, &[]);
    assert!(o.status.success(), "{}", output_text(&o));
    let words = || page(&out, "plans/hardening/index.html");
    assert!(
        words().contains("Words of the second of January."),
        "read from git while ours"
    );

    if !give_to_another_user(&repo) {
        return;
    }
    let o = run_bounded(&content, &args, &[]);
    assert!(o.status.success(), "{}", output_text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("dubious ownership"));
    let text = words();
    assert!(text.contains("Words of the third of January."), "{text}");
    assert!(!text.contains("second of January"), "{text}");
}

/// Issue 27: a build over its previous output reuses it only for the same
/// git HEAD: a new commit that changes no file in the work tree still
/// changes what the site records (`build.json`), and the rebuild over the
/// old output gives exactly what a build into a new folder gives.
#[test]
fn a_rebuild_after_a_new_commit_equals_a_build_from_nothing() {
    let (repo, content) = repository("git-rebuild-");
    let base = repo.parent().unwrap();
    let out = base.join("site");
    build(&content, &out, &[]);
    git(
        &repo,
        &["commit", "-q", "--allow-empty", "-m", "nothing changed"],
    );
    build(&content, &out, &[]);
    build(&content, &base.join("fresh"), &[]);
    assert_same_site(&out, &base.join("fresh"), "a rebuild after an empty commit");
}
