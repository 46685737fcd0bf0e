//! The incremental rebuild of `zirkel serve` against full builds: after every step of
//! a random sequence of edits, additions, deletions, renames and broken files, the
//! pages the preview holds equal a fresh full build of the same files byte for byte,
//! and a step a full build rejects is rejected by the rebuild too.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use zirkel::rebuild::Preview;
use zirkel::site::{self, BuildOptions};
use zirkel::watch::Change;

/// Pages and theme assets (the files a rebuild writes itself; the files made from the
/// whole collection follow in the background and are covered by the serve test).
fn page_files(dir: &Path) -> Vec<String> {
    files(dir)
        .into_iter()
        .filter(|p| p.ends_with(".html") || p.starts_with("static/"))
        .collect()
}

fn entries(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content/praxis"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(root).unwrap().to_path_buf())
        .collect();
    out.sort();
    out
}

/// Replaces the front-matter line starting with `key:` (the first one).
fn set_line(text: &str, key: &str, value: &str) -> String {
    let mut done = false;
    text.lines()
        .map(|l| {
            if !done && l.starts_with(&format!("{key}:")) {
                done = true;
                format!("{key}: {value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// One random change to the collection; returns the changed paths (relative).
fn mutate(f: &Fixture, rng: &mut Rng, step: usize) -> Vec<PathBuf> {
    let all = entries(&f.root);
    let pick = all[rng.below(all.len())].clone();
    let text = std::fs::read_to_string(f.root.join(&pick)).unwrap();
    let fields = [
        "unterbringung-wohnen",
        "sprache-bildung",
        "ausbildung-arbeit",
        "kommunale-koordination",
    ];
    let write = |rel: &Path, t: String| {
        std::fs::write(f.root.join(rel), t).unwrap();
        vec![rel.to_path_buf()]
    };
    match rng.below(10) {
        0 => write(&pick, format!("{text}\nEin neuer Absatz {step}.\n")),
        1 => write(
            &pick,
            set_line(
                &text,
                "tags",
                &format!("[Neu{}, Einzug, Sprache]", step % 3),
            ),
        ),
        2 => write(
            &pick,
            set_line(&text, "field", fields[rng.below(fields.len())]),
        ),
        3 => write(
            &pick,
            set_line(
                &text,
                "started",
                &format!("20{:02}-0{}", 10 + step % 9, 1 + step % 9),
            ),
        ),
        4 => write(
            &pick,
            set_line(&text, "title", &format!("\"Umbenannt {step}\"")),
        ),
        5 => {
            let new = pick.with_file_name(format!("neu-{step}.md"));
            write(&new, set_line(&text, "title", &format!("\"Kopie {step}\"")))
        }
        6 => {
            std::fs::remove_file(f.root.join(&pick)).unwrap();
            vec![pick]
        }
        7 => {
            let to =
                PathBuf::from("content/praxis/sprache-bildung").join(format!("umzug-{step}.md"));
            std::fs::rename(f.root.join(&pick), f.root.join(&to)).unwrap();
            vec![pick, to]
        }
        8 => write(&pick, text.replacen("outcome:", "outcome: [kaputt", 1)),
        _ => write(&pick, set_line(&text, "district", "[Prignitz, Uckermark]")),
    }
}

/// A preview of the fixture into its output folder; background reports are ignored.
fn preview_of(f: &Fixture) -> Preview {
    Preview::new(
        BuildOptions {
            root: f.root.clone(),
            output: f.out(),
            today: Some(TODAY),
        },
        Arc::new(|_| {}),
    )
}

#[test]
fn every_incremental_rebuild_equals_a_full_build() {
    let f = Fixture::shipped();
    let fresh = f.root.parent().unwrap().join("frisch");
    let mut preview = preview_of(&f);
    preview.rebuild(&[]).expect("the shipped collection builds");
    let mut rng = Rng::new(7);
    let (mut compared, mut rejected) = (0, 0);
    for step in 0..40 {
        let before: Vec<(String, Vec<u8>)> = files(&f.root.join("content"))
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(f.root.join("content").join(&p)).unwrap();
                (format!("content/{p}"), bytes)
            })
            .collect();
        let changed = mutate(&f, &mut rng, step);
        let changes: Vec<Change> = changed.into_iter().map(Change::Content).collect();
        let incremental = preview.rebuild(&changes);
        let full = site::build(
            &BuildOptions {
                root: f.root.clone(),
                output: fresh.clone(),
                today: Some(TODAY),
            },
            &site::Silent,
        );
        match (&incremental, &full) {
            (Ok(_), Ok(_)) => {
                compared += 1;
                let (served, built) = (page_files(&f.out()), page_files(&fresh));
                assert_eq!(served, built, "step {step}: the same pages");
                for p in &served {
                    assert!(
                        std::fs::read(f.out().join(p)).unwrap()
                            == std::fs::read(fresh.join(p)).unwrap(),
                        "step {step}: {p} differs from a full build"
                    );
                }
            }
            (Err(a), Err(b)) => {
                rejected += 1;
                let codes = |d: &Vec<zirkel::diagnostic::Diagnostic>| {
                    d.iter()
                        .map(|d| (d.code, d.file.clone(), d.line))
                        .collect::<Vec<_>>()
                };
                assert_eq!(codes(a), codes(b), "step {step}: the same diagnostics");
                // Back to the state before the step, as a `git checkout` would.
                std::fs::remove_dir_all(f.root.join("content")).unwrap();
                for (rel, bytes) in &before {
                    f.write(rel, bytes);
                }
                preview
                    .rebuild(&[Change::Content("content".into())])
                    .expect("the restored collection builds again");
            }
            (a, b) => panic!(
                "step {step}: rebuild {} but full build {}",
                if a.is_ok() { "succeeded" } else { "failed" },
                if b.is_ok() { "succeeded" } else { "failed" }
            ),
        }
    }
    assert!(
        compared >= 20 && rejected >= 1,
        "{compared} compared, {rejected} rejected"
    );
}

#[test]
fn a_folder_renamed_at_once_is_found_by_walking_again() {
    let f = Fixture::shipped();
    let mut preview = preview_of(&f);
    preview.rebuild(&[]).unwrap();
    std::fs::rename(
        f.root.join("content/praxis/sprache-bildung"),
        f.root.join("content/praxis/sprache"),
    )
    .unwrap();
    // Watchers report the folder, not the files inside it.
    let r = preview
        .rebuild(&[
            Change::Content("content/praxis/sprache-bildung".into()),
            Change::Content("content/praxis/sprache".into()),
        ])
        .unwrap();
    assert_eq!(r.entries, entries(&f.root).len());
    let page = f.out().join("praxis");
    assert_eq!(
        std::fs::read_dir(&page).unwrap().count(),
        entries(&f.root).len(),
        "one page per entry, none lost or left behind"
    );
}

#[test]
fn a_deleted_output_folder_is_written_again_whole() {
    let f = Fixture::shipped();
    let mut preview = preview_of(&f);
    preview.rebuild(&[]).unwrap();
    let before = page_files(&f.out());
    std::fs::remove_dir_all(f.out()).unwrap();
    let entry = entries(&f.root)[0].clone();
    let text = std::fs::read_to_string(f.root.join(&entry)).unwrap();
    std::fs::write(f.root.join(&entry), format!("{text}\nNoch ein Satz.\n")).unwrap();
    preview.rebuild(&[Change::Content(entry)]).unwrap();
    assert_eq!(
        page_files(&f.out()),
        before,
        "every page is back, not only the edited one"
    );
}
