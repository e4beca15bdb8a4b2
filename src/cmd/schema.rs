//! `isms-site schema [-o DIR]`: writes the JSON Schemas of the content
//! files (see [`crate::model::json_schema`]) where editors find them. The
//! files `init`, `new` and `import` write name `content/.schema/` on their
//! first line, so the default is that folder.

use crate::model::diag::{shown, terminal_safe};
use crate::model::json_schema;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub(super) struct Args {
    /// The folder to write the schemas into (created if missing)
    #[arg(long, short, value_name = "DIR", default_value = "content/.schema")]
    pub(super) output: PathBuf,
}

/// How every schema file isms-site writes starts: a file that does not is
/// someone else's, and is not replaced.
const OURS: &str = "{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\"";

/// Writes every schema into `dir`, replacing only schema files of ours;
/// returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, String> {
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = Vec::new();
    for (name, text) in json_schema::files() {
        let path = dir.join(name);
        match fs::symlink_metadata(&path) {
            Ok(meta) if !meta.is_file() => {
                return Err(format!(
                    "{} is not a plain file; not replaced (remove it, or choose another folder with -o)",
                    path.display()
                ));
            }
            Ok(_) => {
                let old = fs::read_to_string(&path).unwrap_or_default();
                if !old.starts_with(OURS) {
                    return Err(format!(
                        "{} exists and is not a schema isms-site wrote; not replaced (remove it, or choose another folder with -o)",
                        path.display()
                    ));
                }
            }
            Err(_) => {}
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

pub(super) fn run(args: &Args) -> i32 {
    match write(&args.output) {
        Ok(paths) => {
            let listed: String = paths.iter().map(|p| format!("{}\n", shown(p))).collect();
            super::print_bytes(listed.as_bytes())
        }
        Err(e) => {
            crate::content::stdio::errln!("error: {}", terminal_safe(&e));
            1
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_schema_starts_as_ours() {
        for (name, text) in crate::model::json_schema::files() {
            assert!(text.starts_with(super::OURS), "{name}");
        }
    }
}
