//! Bad input: every kind of problem DESIGN.md names gets a diagnostic with file, line
//! and message; all problems are reported together; nothing panics; a failed build
//! leaves the previous output byte for byte as it was.

mod common;

use common::*;
use zirkel::diagnostic::Diagnostic;

/// Checks the fixture with one extra file and returns that file's diagnostics.
fn problems_of(rel: &str, text: impl AsRef<[u8]>) -> Vec<Diagnostic> {
    let f = Fixture::new("basic");
    f.write(rel, text);
    let checked = f.check();
    checked
        .diagnostics
        .into_iter()
        .filter(|d| d.file_is(rel))
        .collect()
}

/// The single error of a file with one problem.
fn error_of(rel: &str, text: impl AsRef<[u8]>) -> Diagnostic {
    let errors: Vec<Diagnostic> = problems_of(rel, text)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert_eq!(
        errors.len(),
        1,
        "{:#?}",
        errors
            .iter()
            .map(|d| (d.code, d.line, d.message_de()))
            .collect::<Vec<_>>()
    );
    errors.into_iter().next().unwrap()
}

const P: &str = "content/praxis/wohnen/neu.md";

/// The diagnostics with `code` of a check of the fixture.
fn with_code(f: &Fixture, code: &str) -> Vec<Diagnostic> {
    f.check()
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

fn entry(extra: &str) -> String {
    format!("{ENTRY_HEAD}{extra}---\n{SECTIONS}")
}

#[test]
fn broken_yaml_points_at_the_line() {
    let d = error_of(P, "---\ntitle: T\ntags: [a, b\nfield: wohnen\n---\n");
    assert_eq!(d.code, "Z0103");
    assert!((3..=5).contains(&d.line), "line {}", d.line);
    assert!(d.message_de().starts_with("YAML-Syntaxfehler"));
}

#[test]
fn missing_closing_fence() {
    let d = error_of(P, "---\ntitle: T\ndistrict: Goslar\n\n## Ausgangslage\n");
    assert_eq!((d.code, d.line), ("Z0102", 1));
    assert!(d.message_de().contains("zweite Zeile --- fehlt"));
}

#[test]
fn missing_front_matter_and_empty_file() {
    assert_eq!(error_of(P, "# Nur Text\n").code, "Z0101");
    assert_eq!(error_of(P, "").code, "Z0101");
}

#[test]
fn invalid_utf8_names_the_line() {
    let mut bytes = entry("").into_bytes();
    bytes.extend_from_slice(b"\nkaputt: \xff\xfe\n");
    let d = error_of(P, bytes);
    assert_eq!(d.code, "Z0003");
    assert_eq!(d.line, 14);
}

#[test]
fn binary_file_with_md_extension() {
    let png: Vec<u8> = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0x00,
    ];
    assert_eq!(error_of(P, png).code, "Z0003");
}

#[test]
fn a_50_mb_file_is_refused_without_reading_it() {
    let f = Fixture::new("basic");
    let path = f.root.join(P);
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let d: Vec<_> = f
        .check()
        .diagnostics
        .into_iter()
        .filter(|d| d.file_is(P))
        .collect();
    assert_eq!(d[0].code, "Z0004");
    assert!(d[0].message_de().contains("zu groß"));
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let f = Fixture::new("basic");
    std::os::unix::fs::symlink("..", f.root.join("content/praxis/schleife")).unwrap();
    let d = with_code(&f, "Z0005");
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0]
        .message_de()
        .contains("Ordner kann nicht durchsucht werden"));
    assert!(d[0].file.to_string_lossy().contains("schleife"));
}

#[test]
fn duplicate_slugs_across_folders() {
    let f = Fixture::new("basic");
    f.write("content/praxis/arbeit/mietpaten.md", entry(""));
    let d = with_code(&f, "Z0109");
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].file,
        std::path::Path::new("content/praxis/wohnen/mietpaten.md")
    );
    assert!(d[0]
        .message_de()
        .contains("content/praxis/arbeit/mietpaten.md"));
}

#[test]
fn unknown_district_gets_did_you_mean() {
    let d = error_of(P, entry("").replace("\"03153\"", "Goslr"));
    assert_eq!((d.code, d.line, d.col), ("Z0205", 3, 11));
    assert!(d.help_de().unwrap().contains("Goslar (\"03153\")"));
}

#[test]
fn unknown_district_key_is_reported() {
    let d = error_of(P, entry("").replace("03153", "99999"));
    assert_eq!((d.code, d.line), ("Z0205", 3));
}

#[test]
fn ambiguous_district_lists_the_keys() {
    let d = error_of(P, entry("").replace("\"03153\"", "Coburg"));
    assert_eq!((d.code, d.line, d.col), ("Z0206", 3, 11));
    let help = d.help_de().unwrap();
    assert!(
        help.contains("\"09463\"") && help.contains("\"09473\""),
        "{help}"
    );
}

#[test]
fn district_in_a_list_is_located_exactly() {
    let d = error_of(P, entry("").replace("\"03153\"", "[\"03153\", Harzz]"));
    assert_eq!((d.code, d.line, d.col), ("Z0205", 3, 21));
}

#[test]
fn unknown_key_gets_did_you_mean() {
    let d = error_of(P, entry("outcom: gelungen\n"));
    assert_eq!((d.code, d.line, d.col), ("Z0202", 7, 1));
    assert!(d.help_de().unwrap().contains("outcome"));
}

#[test]
fn missing_required_key() {
    let d = error_of(P, entry("").replace("summary: S\n", ""));
    assert_eq!(d.code, "Z0201");
    assert!(d.message_de().contains("»summary«"));
}

#[test]
fn value_outside_the_vocabulary_lists_allowed_values() {
    let d = error_of(
        P,
        entry("").replace("outcome: gelungen", "outcome: gelungn"),
    );
    assert_eq!((d.code, d.line, d.col), ("Z0204", 5, 10));
    let help = d.help_de().unwrap();
    assert!(
        help.contains("Meinten Sie »gelungen«?") && help.contains("gescheitert"),
        "{help}"
    );
}

#[test]
fn unknown_target_group_in_a_list() {
    let d = error_of(P, entry("target_groups: [familien, senioren]\n"));
    assert_eq!((d.code, d.line, d.col), ("Z0204", 7, 27));
}

#[test]
fn invalid_dates() {
    let d = error_of(P, entry("started: 2016-13\n"));
    assert_eq!((d.code, d.line), ("Z0207", 7));
    let d = error_of(P, entry("last_reviewed: 12.05.2017\n"));
    assert_eq!((d.code, d.line, d.col), ("Z0207", 7, 16));
    assert!(d.help_de().unwrap().contains("last_reviewed: 2017-05-12"));
}

#[test]
fn invalid_email() {
    let d = error_of(
        P,
        entry("contact:\n  role: Amt\n  email: amt(at)example.org\n"),
    );
    assert_eq!((d.code, d.line, d.col), ("Z0208", 9, 10));
}

#[test]
fn invalid_source_url() {
    let d = error_of(
        P,
        entry("sources:\n  - title: Studie\n    url: javascript:alert(1)\n"),
    );
    assert_eq!((d.code, d.line, d.col), ("Z0209", 9, 10));
}

#[test]
fn reach_must_be_a_whole_number() {
    let d = error_of(P, entry("reach: etwa 100\n"));
    assert_eq!((d.code, d.line), ("Z0211", 7));
}

#[test]
fn wrong_type() {
    let d = error_of(P, entry("").replace("title: T", "title:\n  de: T"));
    assert_eq!(d.code, "Z0203");
    assert!(d.message_de().contains("»title« muss ein Text sein"));
}

#[test]
fn duplicate_key_is_not_silently_overwritten() {
    let d = error_of(P, entry("summary: Noch einmal\n"));
    assert_eq!((d.code, d.line), ("Z0107", 7));
}

#[test]
fn yaml_alias_bomb_is_refused() {
    let d = error_of(P, entry("tags: &a [x, x]\nactors: *a\n"));
    assert_eq!(d.code, "Z0104");
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("tags: {}x{}\n", "[".repeat(200), "]".repeat(200));
    let d = error_of(P, entry(&deep));
    assert_eq!(d.code, "Z0105");
}

#[test]
fn file_name_that_is_no_slug_gets_a_suggestion() {
    let d = error_of("content/praxis/Übergänge Wohnen.md", entry(""));
    assert_eq!(d.code, "Z0108");
    assert!(d.help_de().unwrap().contains("uebergaenge-wohnen.md"));
}

#[test]
fn plain_page_with_entry_keys() {
    let d = error_of(
        "content/seiten/neu.md",
        "---\ntitle: Seite\nfield: wohnen\n---\nText\n",
    );
    assert_eq!((d.code, d.line), ("Z0213", 3));
}

#[test]
fn config_errors_point_into_zirkel_yaml() {
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write("zirkel.yaml", cfg.replace("description:", "descripton:"));
    let d = f.check().diagnostics;
    assert_eq!((d[0].code, d[0].line), ("Z0401", 2));
    assert!(d[0].help_de().unwrap().contains("description"));
}

#[test]
fn bad_synonym_groups_are_reported_with_file_line_and_what_to_write() {
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    let lines = cfg.lines().count();
    f.write(
        "zirkel.yaml",
        format!("{cfg}search:\n  synonyms:\n    - [ABH, Ausländerbehörde]\n    - [Kita]\n    - [Kita, \"für die\"]\n"),
    );
    let d = f.check().diagnostics;
    let got: Vec<_> = d
        .iter()
        .map(|d| (d.file.display().to_string(), d.code, d.line))
        .collect();
    assert_eq!(
        got,
        [
            ("zirkel.yaml".to_string(), "Z0411", lines + 4),
            ("zirkel.yaml".to_string(), "Z0412", lines + 5),
        ]
    );
    let text = String::from_utf8_lossy(&f.cli(&["check"]).stderr).to_string();
    assert!(
        text.contains("Eine Synonymgruppe braucht mindestens zwei Wörter oder Wendungen"),
        "{text}"
    );
    assert!(
        text.contains("»für die« enthält kein Wort, nach dem gesucht wird"),
        "{text}"
    );
}

#[test]
fn check_summary_says_one_entry_and_one_error_in_the_singular() {
    // Regression: `zirkel check` on a new collection said "1 Einträge geprüft".
    let f = Fixture::new("basic");
    std::fs::remove_dir_all(f.root.join("content/praxis")).unwrap();
    f.write(P, entry(""));
    let said = |f: &Fixture| String::from_utf8_lossy(&f.cli(&["check"]).stderr).to_string();
    let text = said(&f);
    assert!(
        text.contains("Keine Fehler: 1 Eintrag geprüft, 0 Warnungen."),
        "{text}"
    );
    f.write("content/praxis/wohnen/zwei.md", entry("reach: viele\n"));
    let text = said(&f);
    assert!(text.contains("1 Fehler, 0 Warnungen."), "{text}");
}

#[test]
fn missing_configuration() {
    let f = Fixture::new("basic");
    f.remove("zirkel.yaml");
    let d = f.check().diagnostics;
    assert_eq!(d[0].code, "Z0001");
}

#[test]
fn all_problems_of_all_files_are_reported_together() {
    let f = Fixture::new("basic");
    f.write(
        "content/praxis/a.md",
        entry("").replace("\"03153\"", "Coburg"),
    );
    f.write("content/praxis/b.md", entry("reach: viele\n"));
    f.write("content/praxis/c.md", "---\ntitle: [\n---\n");
    f.write(
        "content/praxis/d.md",
        entry("outcom: x\nstarted: gestern\n"),
    );
    let checked = f.check();
    let codes: Vec<(String, &str)> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.display().to_string(), d.code))
        .collect();
    for expected in [
        ("content/praxis/a.md", "Z0206"),
        ("content/praxis/b.md", "Z0211"),
        ("content/praxis/c.md", "Z0103"),
        ("content/praxis/d.md", "Z0202"),
        ("content/praxis/d.md", "Z0207"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_string(), expected.1)),
            "{expected:?} not in {codes:?}"
        );
    }
}

#[test]
fn warnings_do_not_fail_the_build() {
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write("zirkel.yaml", format!("{cfg}review_after_months: 6\n"));
    f.write(
        P,
        format!("{ENTRY_HEAD}last_reviewed: 2016-01-10\n---\n## Ausgangslage\n"),
    );
    let report = f.built();
    let codes: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.file_is(P))
        .map(|d| d.code)
        .collect();
    assert!(codes.contains(&"Z0302"), "overdue review: {codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "Z0301").count(),
        4,
        "missing sections: {codes:?}"
    );
    assert!(f.out().join("praxis/neu.html").is_file());
}

/// Every file under the output with its bytes.
fn snapshot(f: &Fixture) -> Vec<(String, Vec<u8>)> {
    files(&f.out())
        .into_iter()
        .map(|p| (p.clone(), std::fs::read(f.out().join(&p)).unwrap()))
        .collect()
}

#[test]
fn failed_build_leaves_the_previous_output_byte_identical() {
    let f = Fixture::new("basic");
    f.built();
    let before = snapshot(&f);
    f.write("content/praxis/wohnen/mietpaten.md", "---\ntitle: kaputt\n");
    let out = f.cli(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Z0102") && stderr.contains("content/praxis/wohnen/mietpaten.md"),
        "{stderr}"
    );
    assert!(
        stderr.contains("vorherige Ausgabe bleibt unverändert"),
        "{stderr}"
    );
    assert!(
        before == snapshot(&f),
        "output changed after a failed build"
    );
    // Neither beside the output nor beside the search index in the cache.
    let leftovers: Vec<_> = [f.root.clone(), f.root.join(".zirkel-cache")]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).unwrap())
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains("zirkel-tmp") || name.contains("zirkel-old")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary folders left behind: {leftovers:?}"
    );
}

#[test]
fn leftovers_of_an_interrupted_build_are_cleaned_up_and_the_output_kept() {
    let f = Fixture::new("basic");
    f.built();
    // An interrupted build leaves its half-written folder beside the output.
    f.write(".site.zirkel-tmp-999999999/index.html", "halb");
    // A staging folder of a process that still runs (PID 1 always does) is another
    // build's work in progress and stays.
    let running = ".site.zirkel-tmp-1".to_string();
    f.write(&format!("{running}/index.html"), "läuft");
    f.built();
    assert!(!f.root.join(".site.zirkel-tmp-999999999").exists());
    assert!(f.root.join(&running).join("index.html").is_file());
    assert!(f.out().join("index.html").is_file());
}

#[test]
fn a_folder_zirkel_did_not_write_is_never_replaced() {
    let f = Fixture::new("basic");
    f.write("site/brief.txt", "wichtig");
    let err = f.build().unwrap_err();
    assert_eq!(err[0].code, "Z0407");
    assert_eq!(
        std::fs::read_to_string(f.out().join("brief.txt")).unwrap(),
        "wichtig"
    );
    let into_content = zirkel::site::build(
        &zirkel::site::BuildOptions {
            root: f.root.clone(),
            output: f.root.join("content/out"),
            today: None,
        },
        &zirkel::site::Silent,
    );
    assert_eq!(into_content.unwrap_err()[0].code, "Z0407");
}

#[test]
fn check_exit_codes_and_machine_formats() {
    let f = Fixture::new("basic");
    assert_eq!(f.cli(&["check"]).status.code(), Some(0));
    f.write(P, entry("").replace("\"03153\"", "Coburg"));
    let out = f.cli(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"], 1);
    let d = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(d["file"], P);
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(11))
    );
    assert_eq!(d["code"], "Z0206");
    let gh = String::from_utf8(f.cli(&["check", "--format", "github"]).stdout).unwrap();
    assert!(
        gh.contains(&format!("::error file={P},line=3,col=11,title=Z0206::")),
        "{gh}"
    );
    let human = String::from_utf8(f.cli(&["check"]).stderr).unwrap();
    assert!(
        human.contains("error[Z0206]") && human.contains("district: Coburg"),
        "{human}"
    );
    assert!(
        human.contains(&format!("┌─ {P}:3:11")),
        "file:line:col in the human format: {human}"
    );
    assert!(human.contains("^^^^^^"), "the value is underlined: {human}");
}

/// A small deterministic generator, so the mutation test needs no extra crate.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn no_input_panics_mutated_entries() {
    let base = std::fs::read("tests/fixtures/basic/content/praxis/wohnen/wohnungswahl.md").unwrap();
    let cfg = zirkel::config::Config::parse(
        &std::fs::read_to_string("tests/fixtures/basic/zirkel.yaml").unwrap(),
    )
    .unwrap();
    let rules = zirkel::validate::Rules {
        config: &cfg,
        districts: zirkel::districts::Districts::official(),
        today: Some(TODAY),
    };
    let specials: &[&[u8]] = &[
        b"---\n",
        b":",
        b"[",
        b"]",
        b"{",
        b"\"",
        b"&a ",
        b"*a",
        b"\t",
        b"\xff",
        b"- ",
        b"<script>",
        b"\n",
    ];
    let mut rng = Lcg(7);
    for _ in 0..3000 {
        let mut bytes = base.clone();
        for _ in 0..(1 + rng.next() % 4) {
            let at = (rng.next() as usize) % bytes.len();
            match rng.next() % 3 {
                0 => {
                    bytes.remove(at);
                }
                1 => {
                    let s = specials[(rng.next() as usize) % specials.len()];
                    bytes.splice(at..at, s.iter().copied());
                }
                _ => bytes[at] = rng.next() as u8,
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Ok(doc) =
            zirkel::content::parse_doc(std::path::Path::new("content/praxis/x.md"), &text)
        {
            let _ = zirkel::markdown::to_html(&doc.body, &|_| None, zirkel::markdown::TASK_LABELS);
            let _ = zirkel::validate::validate(vec![doc], &rules);
        }
    }
}

#[test]
fn every_diagnostic_code_is_documented() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/DIAGNOSTICS.md")).unwrap();
    for code in zirkel::diagnostic::ALL_CODES {
        assert!(
            doc.contains(&format!("| {code} |")),
            "{code} missing in DIAGNOSTICS.md"
        );
    }
}

fn z0204(json: &serde_json::Value) -> &serde_json::Value {
    json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "Z0204")
        .expect("Z0204 reported")
}

#[test]
fn messages_are_english_with_lang_en_or_an_english_lang() {
    let f = Fixture::new("basic");
    f.write(
        P,
        entry("").replace("outcome: gelungen", "outcome: gelungn"),
    );
    let out = f.cli(&["--lang", "en", "check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = z0204(&json);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("is not an allowed value"),
        "{d}"
    );
    assert!(
        d["help"].as_str().unwrap().starts_with("Did you mean"),
        "{d}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zirkel"))
        .args(["check", "--format", "json"])
        .current_dir(&f.root)
        .env("LANG", "en_GB.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(z0204(&json)["help"]
        .as_str()
        .unwrap()
        .starts_with("Did you mean"));
    let german = f.cli(&["--lang", "de", "check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&german.stdout).unwrap();
    assert!(z0204(&json)["help"]
        .as_str()
        .unwrap()
        .starts_with("Meinten Sie"));
}

#[test]
fn check_exits_2_when_the_configuration_is_unusable() {
    let f = Fixture::new("basic");
    f.write("zirkel.yaml", "title: [\n");
    assert_eq!(f.cli(&["check"]).status.code(), Some(2));
    f.remove("zirkel.yaml");
    assert_eq!(f.cli(&["check"]).status.code(), Some(2));
    assert_eq!(
        f.cli(&["check", "--format", "yaml"]).status.code(),
        Some(2),
        "bad invocation"
    );
}

#[test]
fn broken_link_to_another_entry_names_the_line() {
    let d = error_of(P, format!("{ENTRY_HEAD}---\n{SECTIONS}\nSiehe [Mietpaten](mietpatn.md) und [Jobmesse](../arbeit/jobmesse.md).\n"));
    assert_eq!((d.code, d.line, d.col), ("Z0214", 14, 7));
    assert!(d.help_de().unwrap().contains("Meinten Sie »mietpaten«?"));
}

#[test]
fn the_largest_entry_size_is_configurable() {
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write("zirkel.yaml", format!("{cfg}max_entry_kb: 2\n"));
    f.write(P, entry(&format!("resources: \"{}\"\n", "x".repeat(3000))));
    let d: Vec<_> = f
        .check()
        .diagnostics
        .into_iter()
        .filter(|d| d.file_is(P))
        .collect();
    assert_eq!(d[0].code, "Z0004");
    assert!(
        d[0].message_de().contains("höchstens 2048"),
        "{}",
        d[0].message_de()
    );
    f.write(P, entry(""));
    assert!(f
        .check()
        .diagnostics
        .iter()
        .all(|d| !d.file_is(P) || !d.is_error()));
}

#[test]
fn an_empty_district_is_an_error_not_a_dropped_entry() {
    // Regression (review): `district: ""` used to drop the entry without a word.
    for value in ["\"\"", "\"  \"", "[\"\"]", "[~]", "[]"] {
        let d = error_of(P, entry("").replace("\"03153\"", value));
        assert_eq!((d.code, d.line), ("Z0210", 3), "district: {value}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_replaced_behind_the_link() {
    // Regression (review): the link itself was renamed and the target emptied.
    let f = Fixture::new("basic");
    let www = f.root.join("www");
    let first = zirkel::site::build(
        &zirkel::site::BuildOptions {
            root: f.root.clone(),
            output: www.clone(),
            today: None,
        },
        &zirkel::site::Silent,
    );
    assert!(first.is_ok());
    std::os::unix::fs::symlink(&www, f.out()).unwrap();
    f.write(
        "content/praxis/wohnen/neu.md",
        entry("").replace("title: T", "title: Neu hinter dem Link"),
    );
    f.built();
    assert!(
        f.out().symlink_metadata().unwrap().file_type().is_symlink(),
        "the link stays a link"
    );
    assert!(
        www.join("praxis/neu.html").is_file(),
        "the target holds the new site"
    );
    assert!(www.join("index.html").is_file());
}

#[test]
fn check_compiles_the_theme_like_build_does() {
    // Regression (review): a broken template passed `check` and failed only `build`.
    let f = Fixture::new("basic");
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{{ kaputt(}}{% endblock main %}",
    );
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Z0406"));
    let f = Fixture::new("basic");
    let cfg = std::fs::read_to_string(f.root.join("zirkel.yaml")).unwrap();
    f.write("zirkel.yaml", format!("{cfg}theme: gibt-es-nicht\n"));
    assert!(f.check().diagnostics.iter().any(|d| d.code == "Z0404"));
}

#[test]
fn links_to_drafts_are_reported_because_drafts_are_not_published() {
    let d = error_of(
        P,
        format!("{ENTRY_HEAD}---\n{SECTIONS}\n[Entwurf](entwurf.md)\n"),
    );
    assert_eq!(d.code, "Z0214");
}

#[test]
fn an_entry_and_a_page_cannot_share_a_slug() {
    let f = Fixture::new("basic");
    f.write("content/praxis/impressum.md", entry(""));
    let d = with_code(&f, "Z0109");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].file,
        std::path::Path::new("content/seiten/impressum.md")
    );
}

/// Regression: a collection whose `.zirkel-cache` cannot be written (a read-only
/// checkout) failed to build at all. The site is built, search included; a warning
/// names the cache.
#[test]
fn an_unwritable_search_cache_warns_and_the_site_is_built_with_search() {
    let f = Fixture::new("basic");
    f.write(".zirkel-cache", "kein Ordner");
    let report = f.built();
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "Z0409")
        .expect("a Z0409 warning");
    assert!(!warning.is_error());
    assert!(
        warning.message_de().contains("Suchindex"),
        "{}",
        warning.message_de()
    );
    assert!(f.out().join("suche/meta.js").exists());
    assert!(f.out().join("suche/index.html").exists());
}
