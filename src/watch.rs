//! Watch logic as pure functions: which file events matter and what kind of change
//! they are, and a debouncer that turns a burst of events (an editor's atomic save,
//! a `git checkout` of hundreds of files) into one rebuild. No timers inside: the
//! caller passes the current instant, so tests need no sleeping.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::FILE_NAME;
use crate::content::{is_ignored, CONTENT_DIR};

/// What a file event means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// An entry or page under `content/` (created, changed, removed or renamed).
    Content(PathBuf),
    /// A template or asset of the collection's theme.
    Theme(PathBuf),
    /// `zirkel.yaml`.
    Config,
    /// The watcher lost events: everything must be looked at again.
    Rescan,
}

/// Classifies an event path (absolute or relative to `root`); `None` for files that
/// never affect the site (editor swap and backup files, hidden files, the output).
pub fn classify(root: &Path, output: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    if path.starts_with(output) || rel.starts_with(output.strip_prefix(root).unwrap_or(output)) {
        return None;
    }
    let name = rel.file_name()?.to_str()?;
    // Vim probes a directory with a file named 4913 before saving.
    if rel
        .components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
        || name == "4913"
    {
        return None;
    }
    if rel == Path::new(FILE_NAME) {
        return Some(Change::Config);
    }
    if rel.starts_with(CONTENT_DIR) {
        return Some(Change::Content(rel.to_path_buf()));
    }
    if rel.starts_with("themes") {
        return Some(Change::Theme(rel.to_path_buf()));
    }
    None
}

/// Whether an event removes a file or moves it away (as editors do with the old
/// version before writing the new one).
pub fn is_removal(kind: &notify::EventKind) -> bool {
    use notify::event::{ModifyKind, RenameMode};
    matches!(
        kind,
        notify::EventKind::Remove(_)
            | notify::EventKind::Modify(ModifyKind::Name(RenameMode::From))
    )
}

/// Whether an event kind can change the site: reading a file (which the build
/// itself does) cannot.
pub fn is_change(kind: &notify::EventKind) -> bool {
    !matches!(kind, notify::EventKind::Access(_))
}

/// Collects changes until the files have been quiet for a moment, or at most `max`
/// after the first change, so one save gives one rebuild and an endless stream of
/// writes still gets rebuilt now and then. The moment is short (`quiet_one`) while
/// a single file changed — an editor's save is over within a millisecond or two, and
/// the contributor waits for the preview — and longer (`quiet_many`) once several
/// files change, as in a `git checkout`, so a burst is rebuilt once.
#[derive(Debug)]
pub struct Debouncer {
    quiet_one: Duration,
    quiet_many: Duration,
    max: Duration,
    first: Option<Instant>,
    last: Option<Instant>,
    pending: Vec<Change>,
    /// A file disappeared: more is likely to follow (an editor that moves the old
    /// version aside before writing the new one), so wait as for a burst.
    settling: bool,
}

impl Debouncer {
    pub fn new(quiet_one: Duration, quiet_many: Duration, max: Duration) -> Debouncer {
        Debouncer {
            quiet_one,
            quiet_many,
            max,
            first: None,
            last: None,
            pending: Vec::new(),
            settling: false,
        }
    }

    pub fn push(&mut self, change: Change, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
        if !self.pending.contains(&change) {
            self.pending.push(change);
        }
    }

    /// Like `push`, for a change that removed or moved away a file.
    pub fn push_removal(&mut self, change: Change, now: Instant) {
        self.settling = true;
        self.push(change, now);
    }

    fn quiet(&self) -> Duration {
        if self.pending.len() > 1 || self.settling {
            self.quiet_many
        } else {
            self.quiet_one
        }
    }

    /// True when pending changes should be rebuilt now.
    pub fn ready(&self, now: Instant) -> bool {
        match (self.first, self.last) {
            (Some(first), Some(last)) => {
                now.duration_since(last) >= self.quiet() || now.duration_since(first) >= self.max
            }
            _ => false,
        }
    }

    /// How long the caller may wait for more events before asking `ready` again.
    pub fn wait(&self, now: Instant) -> Duration {
        match (self.first, self.last) {
            (Some(first), Some(last)) => {
                let by_quiet = (last + self.quiet()).saturating_duration_since(now);
                let by_max = (first + self.max).saturating_duration_since(now);
                by_quiet.min(by_max)
            }
            _ => Duration::from_secs(3600),
        }
    }

    /// The changes of the burst; the debouncer is empty afterwards.
    pub fn take(&mut self) -> Vec<Change> {
        self.first = None;
        self.last = None;
        self.settling = false;
        std::mem::take(&mut self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(p: &str) -> Option<Change> {
        classify(Path::new("/s"), Path::new("/s/site"), Path::new(p))
    }

    #[test]
    fn events_are_classified_by_where_they_happen() {
        assert_eq!(
            c("/s/content/praxis/a.md"),
            Some(Change::Content("content/praxis/a.md".into()))
        );
        assert_eq!(c("/s/zirkel.yaml"), Some(Change::Config));
        assert_eq!(
            c("/s/themes/default/templates/base.html"),
            Some(Change::Theme("themes/default/templates/base.html".into()))
        );
        assert_eq!(
            c("/s/site/index.html"),
            None,
            "the output never triggers a build"
        );
        assert_eq!(c("/s/README.md"), None);
    }

    #[test]
    fn editor_temporary_files_are_ignored() {
        for p in [
            "/s/content/.a.md.swp",
            "/s/content/a.md~",
            "/s/content/4913",
            "/s/content/.#a.md",
            "/s/content/#a.md#",
            "/s/content/.git/index",
            "/s/.site.zirkel-tmp-12/index.html",
        ] {
            assert_eq!(c(p), None, "{p}");
        }
    }

    #[test]
    fn a_burst_becomes_one_rebuild_after_a_quiet_moment() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut d = Debouncer::new(
            Duration::from_millis(5),
            Duration::from_millis(50),
            Duration::from_millis(1000),
        );
        assert!(!d.ready(t0));
        for i in 0..300 {
            d.push(
                Change::Content(format!("content/{i}.md").into()),
                ms(i / 10),
            );
            assert!(!d.ready(ms(i / 10)));
        }
        assert!(!d.ready(ms(60)));
        assert_eq!(d.wait(ms(60)), Duration::from_millis(19));
        assert!(d.ready(ms(79)));
        assert_eq!(d.take().len(), 300);
        assert!(!d.ready(ms(200)));
    }

    #[test]
    fn a_never_ending_stream_is_still_rebuilt_after_max() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(
            Duration::from_millis(50),
            Duration::from_millis(50),
            Duration::from_millis(500),
        );
        for i in 0..100u64 {
            let now = t0 + Duration::from_millis(i * 10);
            d.push(Change::Config, now);
            if d.ready(now) {
                assert!(i * 10 >= 500);
                return;
            }
        }
        panic!("never ready");
    }

    #[test]
    fn reading_files_is_no_change() {
        use notify::event::{AccessKind, CreateKind, ModifyKind};
        assert!(!is_change(&notify::EventKind::Access(AccessKind::Any)));
        assert!(is_change(&notify::EventKind::Create(CreateKind::File)));
        assert!(is_change(&notify::EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn repeated_events_for_one_file_count_once() {
        let t0 = Instant::now();
        let mut d = Debouncer::new(
            Duration::from_millis(5),
            Duration::from_millis(50),
            Duration::from_secs(1),
        );
        for _ in 0..5 {
            d.push(Change::Content("content/a.md".into()), t0);
        }
        // Still one file: the short quiet moment applies.
        assert!(d.ready(t0 + Duration::from_millis(5)));
        assert_eq!(d.take(), [Change::Content("content/a.md".into())]);
    }

    /// What `serve` uses: 10 ms after one file, 60 ms after several, 1 s at most.
    fn editor_debouncer() -> Debouncer {
        Debouncer::new(
            Duration::from_millis(10),
            Duration::from_millis(60),
            Duration::from_secs(1),
        )
    }

    #[test]
    fn a_file_moved_away_waits_for_its_new_version() {
        use notify::event::{ModifyKind, RemoveKind, RenameMode};
        assert!(is_removal(&notify::EventKind::Remove(RemoveKind::File)));
        assert!(is_removal(&notify::EventKind::Modify(ModifyKind::Name(
            RenameMode::From
        ))));
        // The rename that completes an atomic save is not a removal.
        assert!(!is_removal(&notify::EventKind::Modify(ModifyKind::Name(
            RenameMode::Both
        ))));
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut d = editor_debouncer();
        d.push_removal(Change::Content("content/a.md".into()), t0);
        assert!(!d.ready(ms(20)), "the new version may still be written");
        assert!(d.ready(ms(60)));
        d.take();
        d.push(Change::Content("content/a.md".into()), ms(100));
        assert!(d.ready(ms(110)), "a plain save afterwards is quick again");
    }

    #[test]
    fn a_single_save_is_rebuilt_sooner_than_a_burst() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut d = editor_debouncer();
        d.push(Change::Content("content/a.md".into()), t0);
        assert_eq!(d.wait(t0), Duration::from_millis(10));
        d.push(Change::Content("content/b.md".into()), ms(4));
        assert!(!d.ready(ms(14)), "a second file makes it a burst");
        assert_eq!(d.wait(ms(14)), Duration::from_millis(50));
        assert!(d.ready(ms(64)));
    }
}
