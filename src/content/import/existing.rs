//! The entries `register/` already holds, so that an import never writes
//! over one unless `--force` (and then only over the entry's own file).

use crate::content::files::is_ignored_name;
use crate::content::yaml::{Kind, Node};
use std::collections::HashMap;
use std::fs;
use std::path::Path;

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
