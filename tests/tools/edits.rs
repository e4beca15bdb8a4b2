//! Random single-file edits of a copy of the demo content that reach
//! across pages: what one entry's page shows of another (titles, status,
//! `related`, `follows_up`, nonconformity chains, the plans and reviews
//! naming it), entries added and removed, and site-wide files. The
//! incremental rebuild tests (`serve.rs`, `publishing.rs`) compare the
//! site after each edit with one built from nothing: a dependency the
//! pages' dependency map (`src/output/pages/deps.rs`) misses fails them.

use std::fs;
use std::path::{Path, PathBuf};

/// A random source for the edits: `next(n)` is in `0..n`.
pub fn xorshift(seed: u64) -> impl FnMut(usize) -> usize {
    let mut rng = isms_site::model::rng::XorShift::new(seed);
    move |n: usize| rng.below(n)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The register's one-entry files (`CI-001.yaml`…): their id is their name.
fn entry_files(content: &Path) -> Vec<PathBuf> {
    files_in(&content.join("register"))
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("CI-"))
        .collect()
}

fn id_of(file: &Path) -> String {
    file.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Whether any file of the content other than `file` names `id`.
fn named_elsewhere(content: &Path, file: &Path, id: &str) -> bool {
    ["register", "plans", "reviews"]
        .iter()
        .flat_map(|d| files_in(&content.join(d)))
        .chain([content.join("objectives.yaml")])
        .filter(|p| p != file && p.is_file())
        .any(|p| fs::read_to_string(p).unwrap().contains(id))
}

/// Makes one random edit of one file of `content` (a copy of the demo
/// content) and says what it did. Every edit leaves the content valid.
pub fn cross_page_edit(
    content: &Path,
    next: &mut impl FnMut(usize) -> usize,
    step: usize,
) -> String {
    let entries = entry_files(content);
    let file = entries[next(entries.len())].clone();
    let other = id_of(&entries[next(entries.len())]);
    let text = fs::read_to_string(&file).unwrap();
    let name = id_of(&file);
    let save = |t: String| fs::write(&file, t).unwrap();
    let set = |from: &str, to: &str| -> bool {
        let found = text.contains(from);
        if found {
            save(text.replacen(from, to, 1));
        }
        found
    };
    match next(14) {
        0 => {
            set("title: ", &format!("title: Retitled {step} "));
            format!("retitled {name}")
        }
        // Not where history records give the status: they would disagree.
        1 if !text.contains("\ncompleted:")
            && !text.contains(" status: ")
            && !text.contains("status: completed") =>
        {
            let done = "status: completed\ncompleted: unknown\n# was: ";
            set("\nstatus: ", &format!("\n{done}"));
            format!("completed {name}")
        }
        2 => {
            set("\ntarget: ", "\ntarget: 2026-12-24\n# was: ");
            format!("moved the target of {name}")
        }
        3 => {
            set("\nowner: ", &format!("\nowner: Owner {step}\n# was: "));
            format!("gave {name} another owner")
        }
        4 | 5 => {
            let key = if next(2) == 0 {
                "related"
            } else {
                "follows_up"
            };
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| !l.starts_with(&format!("{key}:")))
                .collect();
            if kept.len() < text.lines().count() {
                save(kept.join("\n") + "\n");
                format!("removed {key} from {name}")
            } else if other != name {
                save(format!("{text}\n{key}: [{other}]\n"));
                format!("{name} now names {other} in {key}")
            } else {
                "nothing".into()
            }
        }
        6 => {
            let found = set("  ref: NC-", &format!("  ref: NC-X{step}-"));
            format!("changed the nonconformity of {name} ({found})")
        }
        7 if !named_elsewhere(content, &file, &name) => {
            fs::remove_file(&file).unwrap();
            format!("removed {name}")
        }
        8 => {
            let new = content.join(format!("register/CI-9{step:03}.yaml"));
            let copy = text.replacen("title: ", &format!("title: Copy {step} of "), 1);
            fs::write(&new, copy).unwrap();
            format!("added a copy of {name}")
        }
        9 => edit_plan(content, next, step, &other),
        10 => {
            let reviews = files_in(&content.join("reviews"));
            let review = &reviews[next(reviews.len())];
            let t = fs::read_to_string(review).unwrap();
            fs::write(
                review,
                t.replacen("title: ", &format!("title: Held {step} "), 1),
            )
            .unwrap();
            format!("retitled {}", review.display())
        }
        11 => {
            let site = content.join("site.yaml");
            let t = fs::read_to_string(&site).unwrap();
            let t = t.replacen("title: ", &format!("title: Register {step} of "), 1);
            fs::write(&site, t).unwrap();
            "retitled the site".into()
        }
        12 => {
            set("priority: ", "priority: low\n# was: ");
            format!("lowered the priority of {name}")
        }
        _ => {
            // Saved again unchanged: only the modification time moves.
            save(text.clone());
            format!("saved {name} unchanged")
        }
    }
}

/// Retitles a plan, or changes the entries it names (adds `id`, or drops
/// its first).
fn edit_plan(
    content: &Path,
    next: &mut impl FnMut(usize) -> usize,
    step: usize,
    id: &str,
) -> String {
    let plans = files_in(&content.join("plans"));
    let plan = &plans[next(plans.len())];
    let t = fs::read_to_string(plan).unwrap();
    let (t, did) = match next(3) {
        0 => (
            t.replacen("title: ", &format!("title: Plan {step} "), 1),
            "retitled",
        ),
        1 => (
            t.replacen("entries: [", &format!("entries: [{id}, "), 1),
            "added an entry to",
        ),
        _ => {
            // The first of two or more entries named, on the list's line.
            let line = t
                .lines()
                .find(|l| l.starts_with("entries: [") && l.contains(", "));
            match line {
                Some(l) => {
                    let rest = l.split_once(", ").unwrap().1;
                    (
                        t.replacen(l, &format!("entries: [{rest}"), 1),
                        "dropped an entry from",
                    )
                }
                None => (t, "kept"),
            }
        }
    };
    fs::write(plan, t).unwrap();
    format!("{did} {}", plan.display())
}
