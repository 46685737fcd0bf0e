//! Git history: the date each content file last changed, from one `git log` pass over
//! the whole collection (never one process per file). Without git, or outside a
//! repository, the history is empty and pages simply leave those parts out.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::content::CONTENT_DIR;
use crate::validate::{parse_date, Date};

/// Last change per file, by path relative to the collection root.
#[derive(Debug, Default, Clone)]
pub struct History {
    changed: HashMap<PathBuf, Date>,
}

impl History {
    /// Reads the history of `root/content`; empty when git is unavailable.
    pub fn read(root: &Path) -> History {
        let output = Command::new("git")
            .arg("-C")
            .arg(root)
            .args([
                "-c",
                "core.quotePath=false",
                "log",
                "--relative",
                "--no-renames",
                "--name-only",
                "--format=%x1e%cs",
                "--",
                CONTENT_DIR,
            ])
            .stderr(std::process::Stdio::null())
            .output();
        match output {
            Ok(o) if o.status.success() => History::parse(&String::from_utf8_lossy(&o.stdout)),
            _ => History::default(),
        }
    }

    /// Parses `git log --name-only --format=%x1e%cs` output, newest commit first:
    /// the first date seen for a file is its last change.
    pub fn parse(log: &str) -> History {
        let mut changed = HashMap::new();
        for commit in log.split('\u{1e}').filter(|c| !c.trim().is_empty()) {
            let mut lines = commit.lines();
            let Some(date) = lines.next().and_then(|d| parse_date(d.trim(), true)) else {
                continue;
            };
            for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
                changed.entry(PathBuf::from(file)).or_insert(date);
            }
        }
        History { changed }
    }

    pub fn last_changed(&self, path: &Path) -> Option<Date> {
        self.changed.get(path).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.changed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins_per_file() {
        let log =
            "\u{1e}2024-03-02\n\ncontent/a.md\n\u{1e}2023-01-05\n\ncontent/a.md\ncontent/b.md\n";
        let h = History::parse(log);
        assert_eq!(
            h.last_changed(Path::new("content/a.md")).unwrap().iso(),
            "2024-03-02"
        );
        assert_eq!(
            h.last_changed(Path::new("content/b.md")).unwrap().iso(),
            "2023-01-05"
        );
        assert!(h.last_changed(Path::new("content/c.md")).is_none());
    }

    #[test]
    fn outside_a_repository_the_history_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(History::read(dir.path()).is_empty());
    }
}
