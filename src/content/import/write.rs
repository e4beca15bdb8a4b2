//! Writing the imported entries: never over an existing entry unless
//! `--force`, and never half. Files are staged in a hidden folder inside
//! the content folder (the loader ignores names starting with `.`),
//! checked there with the project's loader, then renamed into `register/`.

use super::Prepared;
use crate::content::files::is_ignored_name;
use crate::content::yaml::{Kind, Node};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The ids the register already declares, and in which file.
#[derive(Default)]
pub struct Existing {
    /// Lower-cased id → file name in `register/`.
    ids: HashMap<String, String>,
    /// Lower-cased file stem → file name.
    stems: HashMap<String, String>,
    /// File name → how many ids it declares.
    per_file: HashMap<String, usize>,
}

fn declared_ids(node: &Node, stem: &str) -> Vec<String> {
    let id_of = |n: &Node| match &n.kind {
        Kind::Map(pairs) => pairs
            .iter()
            .find(|(k, _)| k.scalar_text().as_deref() == Some("id"))
            .and_then(|(_, v)| v.scalar_text()),
        _ => None,
    };
    match &node.kind {
        Kind::Seq(items) if items.len() == 1 => {
            vec![id_of(&items[0]).unwrap_or_else(|| stem.to_string())]
        }
        Kind::Seq(items) => items.iter().filter_map(id_of).collect(),
        _ => vec![id_of(node).unwrap_or_else(|| stem.to_string())],
    }
}

/// Reads what `register/` declares; a file that does not parse still
/// claims its file name.
pub fn existing_ids(register: &Path) -> Existing {
    let mut out = Existing::default();
    let Ok(read) = fs::read_dir(register) else {
        return out;
    };
    for e in read.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        if is_ignored_name(&name) || !matches!(ext, "yaml" | "yml") {
            continue;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ids = fs::read_to_string(&path)
            .ok()
            .and_then(|t| crate::content::yaml::parse(&t, 0).ok())
            .map(|n| declared_ids(&n, &stem))
            .unwrap_or_else(|| vec![stem.clone()]);
        out.per_file.insert(name.clone(), ids.len());
        for id in ids {
            out.ids.entry(id.to_lowercase()).or_insert(name.clone());
        }
        out.stems.insert(stem.to_lowercase(), name);
    }
    out
}

impl Existing {
    /// The file to write `id` to: `Ok(None)` a new `<id>.yaml`,
    /// `Ok(Some(name))` the entry's own file (with `force`), `Err(name)`
    /// the file that is in the way.
    pub fn check(&self, id: &str, force: bool) -> Result<Option<String>, String> {
        let key = id.to_lowercase();
        let by_id = self.ids.get(&key);
        let by_stem = self.stems.get(&key);
        match (by_id, by_stem) {
            (None, None) => Ok(None),
            (Some(file), _) if !self.is_own_file(id, file) => Err(file.clone()),
            (_, Some(file)) if force => Ok(Some(file.clone())),
            (Some(file), _) | (None, Some(file)) => Err(file.clone()),
        }
    }

    /// A file named after `id` that declares that one entry only.
    pub fn is_own_file(&self, id: &str, file: &str) -> bool {
        let stem = Path::new(file)
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase());
        stem.as_deref() == Some(&id.to_lowercase()) && self.per_file.get(file) == Some(&1)
    }
}

/// The staging folder, removed when dropped.
pub struct Stage {
    pub dir: PathBuf,
    /// The content folder did not exist before: remove it again on failure.
    created_content: Option<PathBuf>,
}

impl Stage {
    /// Writes every prepared file, with a minimal `site.yaml`, so that the
    /// loader can check them as a content folder of their own.
    pub fn new(content: &Path, prepared: &[Prepared]) -> io::Result<Stage> {
        let created_content = (!content.exists()).then(|| content.to_path_buf());
        let dir = content.join(format!(".isms-import-{}", std::process::id()));
        let stage = Stage {
            dir,
            created_content,
        };
        if stage.dir.exists() {
            fs::remove_dir_all(&stage.dir)?;
        }
        fs::create_dir_all(stage.dir.join("register"))?;
        fs::write(stage.dir.join("site.yaml"), "title: import check\n")?;
        for p in prepared {
            fs::write(stage.dir.join("register").join(&p.file_name), &p.yaml)?;
        }
        Ok(stage)
    }

    /// Renames the staged files of `prepared` into `register`. If one
    /// rename fails, the files this import added are removed again.
    pub fn commit(mut self, register: &Path, prepared: &[Prepared]) -> io::Result<usize> {
        fs::create_dir_all(register)?;
        let mut added: Vec<PathBuf> = Vec::new();
        for p in prepared {
            let to = register.join(&p.file_name);
            let existed = to.exists();
            if let Err(e) = fs::rename(self.dir.join("register").join(&p.file_name), &to) {
                for a in &added {
                    let _ = fs::remove_file(a);
                }
                return Err(e);
            }
            if !existed {
                added.push(to);
            }
        }
        self.created_content = None;
        Ok(prepared.len())
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
        if let Some(content) = &self.created_content {
            // Only if empty: never remove anything but our own folders.
            let _ = fs::remove_dir(content.join("register"));
            let _ = fs::remove_dir(content);
        }
    }
}
