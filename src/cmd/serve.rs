//! `zirkel serve`: builds, serves the output on loopback, watches `content/`, the
//! collection's `themes/` and `zirkel.yaml`, rebuilds once per burst of changes and
//! reloads the browser; a broken edit shows its diagnostics over the last good site.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::cli::{print_human, to_json};
use crate::diagnostic::Diagnostic;
use crate::i18n::Catalogue;
use crate::rebuild::{self, Followup, Preview};
use crate::serve::{self, Live};
use crate::site::BuildOptions;
use crate::validate;
use crate::watch::{classify, Change, Debouncer};

/// How long files must be quiet before a rebuild (one file changed / several), and
/// the longest a burst can delay it.
const QUIET_ONE: Duration = Duration::from_millis(10);
const QUIET_MANY: Duration = Duration::from_millis(60);
const MAX_DELAY: Duration = Duration::from_millis(1500);

/// Typed options of `zirkel serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

fn build(
    preview: &mut Preview,
    changes: &[Change],
    root: &Path,
    cat: &Catalogue,
    live: &Live,
) -> bool {
    preview.set_today(Some(validate::today()));
    match preview.rebuild(changes) {
        Ok(report) => {
            print_human(root, &report.diagnostics, cat);
            eprintln!(
                "{}",
                cat.format(
                    "cli.serve_rebuilt",
                    &[
                        ("entries", report.entries.to_string()),
                        ("pages", report.rendered.to_string()),
                        ("ms", report.elapsed.as_millis().to_string())
                    ]
                )
            );
            live.built();
            true
        }
        Err(diags) => {
            print_human(root, &diags, cat);
            eprintln!("{}", cat.get("cli.serve_failed"));
            live.failed(failure_report(&diags, cat));
            false
        }
    }
}

/// Prints what the background part of a rebuild did.
fn followup_printer(root: PathBuf, cat: &'static Catalogue) -> rebuild::Report {
    Arc::new(move |f| match f {
        Followup::Done { changed, elapsed } => eprintln!(
            "{}",
            cat.format(
                "cli.serve_derived",
                &[
                    ("files", changed.to_string()),
                    ("ms", elapsed.as_millis().to_string())
                ]
            )
        ),
        Followup::Failed(diags) => {
            eprintln!("{}", cat.get("cli.serve_derived_failed"));
            print_human(&root, &diags, cat);
        }
    })
}

/// The JSON the browser overlay shows.
pub fn failure_report(diags: &[Diagnostic], cat: &Catalogue) -> String {
    serde_json::json!({
        "title": cat.get("cli.overlay_title"),
        "note": cat.get("cli.overlay_note"),
        "close": cat.get("cli.overlay_close"),
        "diagnostics": to_json(diags, cat)["diagnostics"],
    })
    .to_string()
}

/// Watches the collection: notify's native watcher, or polling when the system's
/// limit on watches is reached.
fn watch(
    root: &Path,
    tx: std::sync::mpsc::Sender<notify::Result<notify::Event>>,
    cat: &Catalogue,
) -> Option<Box<dyn Watcher>> {
    let dirs: Vec<(PathBuf, RecursiveMode)> = vec![
        (root.to_path_buf(), RecursiveMode::NonRecursive),
        (
            root.join(crate::content::CONTENT_DIR),
            RecursiveMode::Recursive,
        ),
        (root.join("themes"), RecursiveMode::Recursive),
    ];
    let add = |w: &mut dyn Watcher| -> notify::Result<()> {
        for (d, mode) in &dirs {
            if d.is_dir() {
                w.watch(d, *mode)?;
            }
        }
        Ok(())
    };
    let native = notify::recommended_watcher(tx.clone()).and_then(|mut w| add(&mut w).map(|()| w));
    match native {
        Ok(w) => Some(Box::new(w)),
        Err(e) => {
            if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
                eprintln!("{}", cat.get("cli.serve_watch_limit"));
            } else {
                eprintln!(
                    "{}",
                    cat.format("cli.serve_watch_error", &[("reason", e.to_string())])
                );
            }
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            let mut poll = notify::PollWatcher::new(tx, config).ok()?;
            add(&mut poll).ok()?;
            Some(Box::new(poll))
        }
    }
}

pub fn run(opts: ServeOptions, cat: &'static Catalogue) -> i32 {
    // Watch before the first build and before the address is printed: a change made
    // the moment the preview is announced must not be missed.
    let (tx, rx) = channel();
    let Some(_watcher) = watch(&opts.root, tx, cat) else {
        return 2;
    };
    let live = Live::new(serve::start_generation());
    let mut preview = Preview::new(
        BuildOptions {
            root: opts.root.clone(),
            output: opts.output.clone(),
            today: Some(validate::today()),
        },
        followup_printer(opts.root.clone(), cat),
    );
    build(&mut preview, &[], &opts.root, cat, &live);
    let server = match serve::bind(&opts.bind, opts.port) {
        Ok(s) => s,
        Err(reason) => {
            eprintln!(
                "{}",
                cat.format("cli.serve_bind_failed", &[("reason", reason)])
            );
            return 2;
        }
    };
    let addr = server.server_addr().to_string();
    let url = format!("http://{addr}/");
    eprintln!(
        "{}",
        cat.format("cli.serve_listening", &[("url", url.clone())])
    );
    {
        let (out, live) = (opts.output.clone(), live.clone());
        std::thread::spawn(move || serve::run(server, out, live));
    }
    if opts.open {
        open_browser(&url);
    }
    watch_loop(&opts, cat, &live, &rx, &mut preview);
    0
}

fn watch_loop(
    opts: &ServeOptions,
    cat: &Catalogue,
    live: &Arc<Live>,
    rx: &Receiver<notify::Result<notify::Event>>,
    preview: &mut Preview,
) {
    let root = std::path::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let output = std::path::absolute(&opts.output).unwrap_or_else(|_| opts.output.clone());
    let mut debouncer = Debouncer::new(QUIET_ONE, QUIET_MANY, MAX_DELAY);
    loop {
        let wait = debouncer.wait(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(Ok(event)) if !crate::watch::is_change(&event.kind) && !event.need_rescan() => {}
            Ok(Ok(event)) => {
                let now = Instant::now();
                if event.need_rescan() {
                    debouncer.push(Change::Rescan, now);
                }
                let removal = crate::watch::is_removal(&event.kind);
                for p in &event.paths {
                    let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                    match classify(&root, &output, &abs) {
                        Some(c) if removal => debouncer.push_removal(c, now),
                        Some(c) => debouncer.push(c, now),
                        None => {}
                    }
                }
            }
            Ok(Err(e)) => eprintln!(
                "{}",
                cat.format("cli.serve_watch_error", &[("reason", e.to_string())])
            ),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if debouncer.ready(Instant::now()) {
            let changes = debouncer.take();
            build(preview, &changes, &opts.root, cat, live);
        }
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", url]
    } else {
        vec!["xdg-open", url]
    };
    // Opening a browser is a convenience; the address is printed either way.
    let _spawned = std::process::Command::new(cmd[0]).args(&cmd[1..]).spawn();
}
