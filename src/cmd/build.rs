//! `zirkel build`: validates, renders and writes the site atomically, with a
//! progress bar on a terminal for builds that take longer than a second.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::print_human;
use crate::i18n::Catalogue;
use crate::site::{self, BuildOptions, Progress};
use crate::validate;

/// A progress bar that stays hidden during the first second, so quick builds print
/// only their summary line.
struct Bar {
    cat: &'static Catalogue,
    bar: ProgressBar,
    started: Instant,
    shown: Mutex<bool>,
    enabled: bool,
}

impl Bar {
    fn new(cat: &'static Catalogue) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg:>16} [{bar:30}] {pos}/{len}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        Bar {
            cat,
            bar,
            started: Instant::now(),
            shown: Mutex::new(false),
            enabled: std::io::stderr().is_terminal(),
        }
    }

    fn maybe_show(&self) {
        if !self.enabled || self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        if let Ok(mut shown) = self.shown.lock() {
            if !*shown {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *shown = true;
            }
        }
    }
}

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        self.bar
            .set_message(self.cat.get(&format!("cli.progress_{name}")).to_string());
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.maybe_show();
    }

    fn inc(&self, n: u64) {
        self.bar.inc(n);
        self.maybe_show();
    }
}

pub fn run(root: &Path, output: Option<PathBuf>, cat: &'static Catalogue) -> i32 {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: output.unwrap_or_else(|| root.join("site")),
        today: Some(validate::today()),
    };
    let bar = Bar::new(cat);
    let result = site::build(&opts, &bar);
    bar.bar.finish_and_clear();
    match result {
        Ok(report) => {
            print_human(root, &report.diagnostics, cat);
            eprintln!(
                "{}",
                cat.format(
                    "cli.summary",
                    &[
                        ("entries", report.entries.to_string()),
                        ("pages", report.pages.to_string()),
                        ("warnings", report.diagnostics.len().to_string()),
                        ("time", format!("{:.2} s", report.elapsed.as_secs_f64())),
                    ]
                )
            );
            eprintln!(
                "{}",
                cat.format(
                    "cli.summary_written",
                    &[("path", opts.output.display().to_string())]
                )
            );
            0
        }
        Err(diags) => {
            print_human(root, &diags, cat);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{}",
                cat.format(
                    "cli.build_failed",
                    &[
                        ("errors", errors.to_string()),
                        ("warnings", (diags.len() - errors).to_string())
                    ]
                )
            );
            1
        }
    }
}
