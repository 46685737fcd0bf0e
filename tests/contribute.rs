//! Contributing: `zirkel new` writes entries that pass `check` and build, `zirkel
//! init` starts a collection that builds at once, and entries show the date of their
//! last change from git.

mod common;

use clap::Parser;
use common::*;

fn ok(out: &std::process::Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "exit {:?}: {err}", out.status.code());
    err
}

#[test]
fn new_entry_passes_check_and_builds() {
    let f = Fixture::new("basic");
    let out = f.cli(&[
        "new",
        "Sprachcafé im Dorf",
        "--district",
        "Goslar",
        "--district",
        "15085",
        "--field",
        "wohnen",
        "--outcome",
        "gemischt",
        "--summary",
        "Ein Café: Deutsch üben beim Kuchen.",
    ]);
    let err = ok(&out);
    assert!(
        err.contains("content/praxis/wohnen/sprachcafe-im-dorf.md"),
        "{err}"
    );
    let text = std::fs::read_to_string(f.root.join("content/praxis/wohnen/sprachcafe-im-dorf.md"))
        .unwrap();
    assert!(text.contains("district: [\"03153\", \"15085\"]"), "{text}");
    assert!(
        text.contains("# gelungen | gemischt | gescheitert"),
        "allowed values as comments"
    );
    for s in [
        "## Ausgangslage",
        "## Vorgehen",
        "## Ergebnis",
        "## Stolpersteine",
        "## Übertragbarkeit",
    ] {
        assert!(text.contains(s));
    }
    let check = f.cli(&["check"]);
    let err = ok(&check);
    assert!(
        !err.contains("sprachcafe-im-dorf"),
        "no warning for the new entry: {err}"
    );
    ok(&f.cli(&["build"]));
    let doc = f.page("praxis/sprachcafe-im-dorf.html");
    assert_eq!(texts(&doc, "h1"), ["Sprachcafé im Dorf"]);
}

#[test]
fn new_never_overwrites_and_refuses_a_taken_slug() {
    let f = Fixture::new("basic");
    let args = [
        "new",
        "Mietpaten",
        "--district",
        "03153",
        "--field",
        "arbeit",
        "--outcome",
        "gelungen",
        "--summary",
        "S",
    ];
    let out = f.cli(&args);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Z0109"));
    assert!(!f.root.join("content/praxis/arbeit/mietpaten.md").exists());
}

#[test]
fn new_reports_bad_values_like_check_and_writes_nothing() {
    let f = Fixture::new("basic");
    let out = f.cli(&[
        "new",
        "Neu",
        "--district",
        "Coburg",
        "--field",
        "wohnen",
        "--outcome",
        "gut",
        "--summary",
        "S",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Z0206") && err.contains("\"09463\""), "{err}");
    assert!(err.contains("Z0204") && err.contains("gut"), "{err}");
    assert!(!f.root.join("content/praxis/wohnen/neu.md").exists());
}

#[test]
fn new_without_a_terminal_names_the_missing_values() {
    let f = Fixture::new("basic");
    let out = f.cli(&["new", "Neu", "--district", "03153"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--field") && err.contains("--outcome") && err.contains("--summary"),
        "{err}"
    );
}

#[test]
fn init_creates_a_collection_that_builds_with_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("neue-sammlung");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zirkel"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    ok(&out);
    let build = std::process::Command::new(env!("CARGO_BIN_EXE_zirkel"))
        .args(["build"])
        .current_dir(&target)
        .output()
        .unwrap();
    let err = ok(&build);
    assert!(err.contains("1 Einträge"), "{err}");
    assert!(target.join("site/seiten/ueber.html").is_file());
    // A second init writes nothing.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_zirkel"))
        .args(["init", target.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// Every `run:`/script line of a CI template that calls zirkel is a command the CLI accepts.
fn zirkel_commands(node: &zirkel::yaml::Node, out: &mut Vec<String>) {
    use zirkel::yaml::Kind;
    match &node.kind {
        Kind::Scalar { text, .. } => {
            for line in text.lines() {
                let l = line.trim();
                if l.starts_with("zirkel ") {
                    out.push(l.to_string());
                }
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| zirkel_commands(i, out)),
        Kind::Map(pairs) => pairs.iter().for_each(|(_, v)| zirkel_commands(v, out)),
    }
}

#[test]
fn ci_templates_are_valid_yaml_and_call_real_commands() {
    for (name, text) in zirkel::scaffold::collection_files() {
        if !name.ends_with(".yml") {
            continue;
        }
        let node = zirkel::yaml::parse(text, 0)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"))
            .unwrap();
        let mut cmds = Vec::new();
        zirkel_commands(&node, &mut cmds);
        assert!(
            cmds.iter().any(|c| c.starts_with("zirkel check")),
            "{name}: {cmds:?}"
        );
        assert!(
            cmds.iter().any(|c| c.starts_with("zirkel build")),
            "{name}: {cmds:?}"
        );
        for c in cmds {
            let argv: Vec<&str> = c.split_whitespace().collect();
            zirkel::cli::Cli::try_parse_from(&argv)
                .unwrap_or_else(|e| panic!("{name}: `{c}` is no zirkel command: {e}"));
        }
    }
}

fn git(root: &std::path::Path, date: &str, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(root)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.org")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.org")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn entries_show_the_date_of_their_last_commit() {
    let f = Fixture::new("basic");
    git(&f.root, "2021-03-04T10:00:00+01:00", &["init", "-q"]);
    git(&f.root, "2021-03-04T10:00:00+01:00", &["add", "-A"]);
    git(
        &f.root,
        "2021-03-04T10:00:00+01:00",
        &["commit", "-q", "-m", "Erste Fassung"],
    );
    let p = f.root.join("content/praxis/wohnen/mietpaten.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("Text.", "Mehr Text.")).unwrap();
    git(
        &f.root,
        "2022-07-08T12:00:00+02:00",
        &["commit", "-q", "-am", "Mietpaten ergänzt"],
    );
    f.built();
    let last_changed = |slug: &str| -> Vec<String> {
        let doc = f.page(&format!("praxis/{slug}.html"));
        doc.select(&sel(".facts dd time"))
            .filter_map(|t| t.value().attr("datetime").map(str::to_string))
            .collect()
    };
    assert!(last_changed("mietpaten").contains(&"2022-07-08".to_string()));
    assert!(last_changed("wohnungswahl").contains(&"2021-03-04".to_string()));
    let doc = f.page("praxis/mietpaten.html");
    assert!(texts(&doc, ".facts dt").contains(&"Zuletzt geändert".to_string()));
    // The history link comes from the URL template in zirkel.yaml.
    let dd = doc
        .select(&sel(".facts dd a[href*=commits]"))
        .next()
        .expect("history link");
    assert_eq!(
        dd.value().attr("href"),
        Some("https://git.example.org/praxis/-/commits/main/content/praxis/wohnen/mietpaten.md")
    );
}

#[test]
fn without_git_the_last_change_is_left_out() {
    let f = Fixture::new("basic");
    f.built();
    let doc = f.page("praxis/mietpaten.html");
    assert!(!texts(&doc, ".facts dt").contains(&"Zuletzt geändert".to_string()));
}

#[test]
fn new_with_an_empty_district_reports_it_instead_of_panicking() {
    let f = Fixture::new("basic");
    let out = f.cli(&[
        "new",
        "Neu",
        "--district",
        "",
        "--field",
        "wohnen",
        "--outcome",
        "gelungen",
        "--summary",
        "S",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Z0210"));
}
