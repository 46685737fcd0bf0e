//! Test harness: copies a fixture collection from `tests/fixtures/` into a temporary
//! folder, changes files in it, builds or checks it through the library or the real
//! binary, and reads the output with an HTML parser.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use scraper::{Html, Selector};
use zirkel::diagnostic::Diagnostic;
use zirkel::site::{self, BuildOptions, BuildReport, Checked};
use zirkel::validate::Date;

pub struct Fixture {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
}

/// A fixed "today" so review warnings do not depend on the clock.
pub const TODAY: Date = Date {
    year: 2018,
    month: 1,
    day: 1,
};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Fixture {
    /// A copy of `tests/fixtures/<name>`.
    pub fn new(name: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join(name);
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            &root,
        );
        Fixture { _dir: dir, root }
    }

    /// A copy of the shipped example collection (config and content).
    pub fn shipped() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("shipped");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        copy_dir(&src.join("content"), &root.join("content"));
        std::fs::copy(src.join("zirkel.yaml"), root.join("zirkel.yaml")).unwrap();
        Fixture { _dir: dir, root }
    }

    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    pub fn out(&self) -> PathBuf {
        self.root.join("site")
    }

    pub fn build(&self) -> Result<BuildReport, Vec<Diagnostic>> {
        site::build(
            &BuildOptions {
                root: self.root.clone(),
                output: self.out(),
                today: Some(TODAY),
            },
            &site::Silent,
        )
    }

    pub fn built(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(d) => panic!(
                "build failed: {:#?}",
                d.iter()
                    .map(|d| (d.file.clone(), d.line, d.message_de()))
                    .collect::<Vec<_>>()
            ),
        }
    }

    pub fn check(&self) -> Checked {
        site::check(&self.root, Some(TODAY), &site::Silent)
    }

    /// Runs the real binary in the collection's folder.
    pub fn cli(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_zirkel"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    pub fn page(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Texts of all elements matching `css` inside `<main>`.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    let main = doc.select(&sel("main")).next().expect("page has <main>");
    main.select(&sel(css)).map(|e| words(e.text())).collect()
}

/// Text nodes joined by single spaces.
fn words<'a>(text: impl Iterator<Item = &'a str>) -> String {
    text.flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of `<main>`, whitespace collapsed.
pub fn main_text(doc: &Html) -> String {
    words(
        doc.select(&sel("main"))
            .next()
            .expect("page has <main>")
            .text(),
    )
}

/// Every file under `dir`, relative, with `/` separators.
pub fn files(dir: &Path) -> Vec<String> {
    walk(dir, dir)
}

fn walk(base: &Path, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(base, &p));
        } else {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
    out.sort();
    out
}

/// Checks every internal link and asset reference of every HTML page under `dir`:
/// the target file exists and, for `#fragment`s, carries that id. Returns problems.
pub fn broken_links(dir: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let pages: Vec<String> = files(dir)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let refs = sel("a[href], link[href], script[src], img[src], iframe[src], source[src]");
    for page in &pages {
        let doc = Html::parse_document(&std::fs::read_to_string(dir.join(page)).unwrap());
        let base = Path::new(page)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for el in doc.select(&refs) {
            let v = el.value();
            let target = v.attr("href").or(v.attr("src")).unwrap();
            if target.contains(':') && !target.starts_with('#') {
                continue; // an external link (https:, mailto:): navigation, not part of the site
            }
            if target.starts_with('/') {
                problems.push(format!(
                    "{page}: root-absolute link {target} breaks under a sub-path"
                ));
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let path = path.split('?').next().unwrap();
            let file = if path.is_empty() {
                PathBuf::from(page)
            } else {
                normalize(&base.join(path))
            };
            let full = dir.join(&file);
            if !full.is_file() {
                problems.push(format!("{page}: {target} -> missing {}", file.display()));
                continue;
            }
            if let (Some(f), true) = (fragment, file.extension().is_some_and(|e| e == "html")) {
                let t = Html::parse_document(&std::fs::read_to_string(&full).unwrap());
                let id_sel = Selector::parse(&format!("[id=\"{f}\"]")).unwrap();
                if t.select(&id_sel).next().is_none() {
                    problems.push(format!("{page}: {target} -> no id {f}"));
                }
            }
        }
    }
    problems
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub const ENTRY_HEAD: &str =
    "---\ntitle: T\ndistrict: \"03153\"\nfield: wohnen\noutcome: gelungen\nsummary: S\n";
pub const SECTIONS: &str =
    "## Ausgangslage\n## Vorgehen\n## Ergebnis\n## Stolpersteine\n## Übertragbarkeit\n";

/// A deterministic pseudo-random sequence (xorshift), so generated collections are
/// the same on every machine.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every word of the shipped entries, in order: real German integration vocabulary
/// with its real frequencies, for generated collections.
pub fn shipped_words() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut words = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let body = text.splitn(3, "---").nth(2).unwrap_or("");
            words.extend(
                body.split(|c: char| !c.is_alphabetic())
                    .filter(|w| w.chars().count() >= 3)
                    .map(str::to_string),
            );
        }
    }
    words
}

impl Fixture {
    /// A generated collection of `n` entries with the shipped configuration, words of
    /// the shipped entries and districts from the official list.
    pub fn generated(n: usize, seed: u64) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("generated");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir_all(root.join("content/praxis")).unwrap();
        std::fs::copy(src.join("zirkel.yaml"), root.join("zirkel.yaml")).unwrap();
        let words = shipped_words();
        let ags: Vec<String> = zirkel::districts::Districts::official()
            .all()
            .iter()
            .map(|d| d.ags.clone())
            .collect();
        let fields = [
            "unterbringung-wohnen",
            "sprache-bildung",
            "ausbildung-arbeit",
            "kommunale-koordination",
            "ehrenamt-zivilgesellschaft",
            "perspektiven-gefluechtete",
        ];
        let outcomes = ["gelungen", "gemischt", "gescheitert"];
        let groups = [
            "umf",
            "traumatisierte",
            "frauen",
            "junge-maenner",
            "familien",
        ];
        let actors = [
            "Landkreis",
            "Jobcenter",
            "Volkshochschule",
            "Ehrenamt",
            "Ausländerbehörde",
        ];
        let mut rng = Rng::new(seed);
        for i in 0..n {
            let text = |rng: &mut Rng, k: usize| {
                (0..k)
                    .map(|_| rng.pick(&words).clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let k = 3 + rng.below(5);
            let title = text(&mut rng, k);
            let k = 12 + rng.below(18);
            let summary = text(&mut rng, k);
            let mut districts = vec![format!("\"{}\"", rng.pick(&ags))];
            if rng.below(10) == 0 {
                districts.push(format!("\"{}\"", rng.pick(&ags)));
            }
            districts.dedup();
            let mut tg: Vec<&str> = groups
                .iter()
                .copied()
                .filter(|_| rng.below(4) == 0)
                .collect();
            tg.dedup();
            let participation = match rng.below(7) {
                k @ 0..=4 => format!("participation: {}\n", zirkel::validate::PARTICIPATION[k]),
                _ => String::new(),
            };
            let mut body = String::new();
            for sec in ["Ausgangslage", "Vorgehen", "Ergebnis"] {
                body.push_str(&format!("\n## {sec}\n\n"));
                for _ in 0..1 + rng.below(2) {
                    let k = 20 + rng.below(50);
                    body.push_str(&text(&mut rng, k));
                    body.push_str(".\n\n");
                }
            }
            let k = 1 + rng.below(3);
            let tags = text(&mut rng, k).replace(' ', ", ");
            let doc = format!(
                "---\ntitle: \"{title}\"\ndistrict: [{}]\nfield: {}\noutcome: {}\nsummary: \"{summary}.\"\nstarted: {}\ntarget_groups: [{}]\nactors: [{}]\ntags: [{tags}]\n{participation}---\n{body}",
                districts.join(", "),
                rng.pick(&fields),
                rng.pick(&outcomes),
                2014 + rng.below(10),
                tg.join(", "),
                rng.pick(&actors),
            );
            std::fs::write(root.join(format!("content/praxis/eintrag-{i:05}.md")), doc).unwrap();
        }
        Fixture { _dir: dir, root }
    }
}

/// Runs `node` with `args` in the repository root and returns what it printed;
/// fails the test when it fails. Needs Node on the PATH (CI installs Node 20).
pub fn node(args: &[&str]) -> String {
    let out = std::process::Command::new("node")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("node must be installed to run the search tests");
    assert!(
        out.status.success(),
        "node {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
