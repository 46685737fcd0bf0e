//! `zirkel init DIR`: starts a new collection that builds at once with the built-in
//! theme: configuration, one example entry, an about page and CI templates for
//! GitLab and GitHub. Existing files are never replaced.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::districts::Districts;
use crate::i18n::Catalogue;
use crate::scaffold::{self, NewEntry};
use crate::validate;

/// Why `init` wrote nothing or not everything.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// These files exist already; nothing was written.
    #[error("files exist")]
    Exists(Vec<PathBuf>),
    /// Writing failed; `written` lists what was written before.
    #[error("{path}: {reason}")]
    Io {
        path: PathBuf,
        reason: String,
        written: Vec<PathBuf>,
    },
}

/// Writes the files of a new collection into `dir`; returns the paths written.
pub fn create(
    dir: &Path,
    cat: &Catalogue,
    today: validate::Date,
) -> Result<Vec<PathBuf>, InitError> {
    let config = Config::parse(include_str!("../../scaffold/zirkel.yaml"))
        .expect("scaffold configuration is valid");
    let goslar = Districts::official().by_ags("03153").into_iter().collect();
    let example = NewEntry {
        title: cat.get("scaffold.example_title").to_string(),
        districts: goslar,
        field: "unterbringung-wohnen".into(),
        outcome: "gelungen".into(),
        summary: cat.get("scaffold.example_summary").to_string(),
        today,
        example: true,
    };
    let example_path =
        scaffold::entry_path(&example.field, &crate::content::slugify(&example.title));
    let mut files: Vec<(PathBuf, String)> = scaffold::collection_files()
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect();
    files.push((example_path, scaffold::entry_file(&example, &config, cat)));
    let existing: Vec<PathBuf> = files
        .iter()
        .map(|(p, _)| p.clone())
        .filter(|p| dir.join(p).exists())
        .collect();
    if !existing.is_empty() {
        return Err(InitError::Exists(existing));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let full = dir.join(&rel);
        let result = full
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&full, text));
        if let Err(e) = result {
            return Err(InitError::Io {
                path: dir.join(rel),
                reason: e.to_string(),
                written,
            });
        }
        written.push(rel);
    }
    Ok(written)
}

pub fn run(dir: &Path, cat: &Catalogue) -> i32 {
    match create(dir, cat, validate::today()) {
        Ok(files) => {
            for f in &files {
                eprintln!("  {}", dir.join(f).display());
            }
            eprintln!(
                "{}",
                cat.format("cli.init_done", &[("dir", dir.display().to_string())])
            );
            0
        }
        Err(InitError::Exists(paths)) => {
            let list = paths
                .iter()
                .map(|p| dir.join(p).display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            eprintln!("{}", cat.format("cli.init_exists", &[("files", list)]));
            2
        }
        Err(InitError::Io {
            path,
            reason,
            written,
        }) => {
            let list = written
                .iter()
                .map(|p| dir.join(p).display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            eprintln!(
                "{}",
                cat.format(
                    "cli.init_failed",
                    &[
                        ("path", path.display().to_string()),
                        ("reason", reason),
                        ("written", list)
                    ]
                )
            );
            1
        }
    }
}
