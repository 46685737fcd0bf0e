//! `zirkel new "Titel" --district … --field …`: writes a new entry from the template,
//! asking for missing values on a terminal and never overwriting a file.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use crate::cli::print_human;
use crate::config::Config;
use crate::content::{self, slugify};
use crate::diagnostic::Diagnostic;
use crate::districts::Districts;
use crate::i18n::Catalogue;
use crate::scaffold::{self, NewEntry};
use crate::validate::{self, Rules};
use crate::yaml::Pos;

/// Values given on the command line; `None` is asked for on a terminal.
#[derive(Debug, Clone, Default)]
pub struct NewArgs {
    pub title: Option<String>,
    pub districts: Vec<String>,
    pub field: Option<String>,
    pub outcome: Option<String>,
    pub summary: Option<String>,
}

/// Asks for a value on the terminal; `None` when input ended.
fn ask(cat: &Catalogue, key: &str, hint: &str) -> Option<String> {
    let mut err = std::io::stderr();
    let prompt = cat.format(
        "cli.new_ask",
        &[("key", key.to_string()), ("hint", hint.to_string())],
    );
    write!(err, "{prompt} ").ok()?;
    err.flush().ok()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).ok()?;
    let v = line.trim().to_string();
    (!v.is_empty()).then_some(v)
}

pub fn run(root: &Path, mut args: NewArgs, cat: &Catalogue) -> i32 {
    let config = match Config::from_root(root) {
        Ok(c) => c,
        Err(d) => {
            print_human(root, &d, cat);
            return 2;
        }
    };
    let interactive = std::io::stdin().is_terminal();
    let list = |t: &[crate::config::Term]| {
        t.iter()
            .map(|t| t.slug.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wanted: [(&str, bool, String); 5] = [
        ("title", args.title.is_none(), String::new()),
        (
            "district",
            args.districts.is_empty(),
            cat.get("scaffold.district").to_string(),
        ),
        ("field", args.field.is_none(), list(&config.fields)),
        ("outcome", args.outcome.is_none(), list(&config.outcomes)),
        (
            "summary",
            args.summary.is_none(),
            cat.get("scaffold.summary").to_string(),
        ),
    ];
    let mut missing = Vec::new();
    for (key, absent, hint) in wanted {
        if !absent {
            continue;
        }
        let answer = if interactive {
            ask(cat, key, &hint)
        } else {
            None
        };
        match (key, answer) {
            ("title", Some(v)) => args.title = Some(v),
            ("district", Some(v)) => {
                args.districts = v.split(',').map(|s| s.trim().to_string()).collect()
            }
            ("field", Some(v)) => args.field = Some(v),
            ("outcome", Some(v)) => args.outcome = Some(v),
            ("summary", Some(v)) => args.summary = Some(v),
            _ => missing.push(format!("--{key}")),
        }
    }
    if !missing.is_empty() {
        eprintln!(
            "{}",
            cat.format("cli.new_missing", &[("flags", missing.join(", "))])
        );
        return 2;
    }
    match create(root, &config, &args, cat, validate::today()) {
        Ok(path) => {
            eprintln!(
                "{}",
                cat.format("cli.new_written", &[("path", path.display().to_string())])
            );
            0
        }
        Err(diags) => {
            print_human(root, &diags, cat);
            1
        }
    }
}

/// Writes the new entry and returns its path (relative to `root`). The file is
/// validated with the rules of `zirkel check` before it is written, the slug must be
/// new in the collection and an existing file is never replaced.
pub fn create(
    root: &Path,
    config: &Config,
    args: &NewArgs,
    cat: &Catalogue,
    today: validate::Date,
) -> Result<std::path::PathBuf, Vec<Diagnostic>> {
    let title = args.title.clone().unwrap_or_default();
    let field = args.field.clone().unwrap_or_default();
    let slug = slugify(&title);
    let slug = if slug.is_empty() {
        "eintrag".to_string()
    } else {
        slug
    };
    let rel = scaffold::entry_path(if field.is_empty() { "eintrag" } else { &field }, &slug);
    let districts = Districts::official();
    // First pass: the values as given, so every problem is reported like `check` does.
    let mut entry = NewEntry {
        title,
        districts: Vec::new(),
        field,
        outcome: args.outcome.clone().unwrap_or_default(),
        summary: args.summary.clone().unwrap_or_default(),
        today,
        example: false,
    };
    let rules = Rules {
        config,
        districts,
        today: None,
    };
    let mut draft = scaffold::entry_file(&entry, config, cat);
    let given = args
        .districts
        .iter()
        .map(|d| scaffold::quote(d))
        .collect::<Vec<_>>()
        .join(", ");
    draft = draft.replacen("district: []", &format!("district: [{given}]"), 1);
    let doc = content::parse_doc(&rel, &draft).map_err(|d| vec![d])?;
    let checked = validate::validate(vec![doc], &rules);
    let errors: Vec<Diagnostic> = checked
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(valid) = checked.entries.first() else {
        // Validation reported no error yet kept no entry: never expected, but not a panic.
        return Err(vec![
            Diagnostic::error("Z0210", &rel, Pos::default()).arg("key", "district")
        ]);
    };
    let ags = &valid.districts;
    entry.districts = ags.iter().filter_map(|a| districts.by_ags(a)).collect();
    let text = scaffold::entry_file(&entry, config, cat);
    // The slug must be new in the whole collection, not only in this folder.
    let (existing, _) = content::discover(root);
    if let Some(other) = existing
        .iter()
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(slug.as_str()))
    {
        return Err(vec![Diagnostic::error("Z0109", &rel, Pos::default())
            .arg("slug", &slug)
            .arg("other", other.display().to_string())]);
    }
    let full = root.join(&rel);
    let write = || -> std::io::Result<()> {
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)?;
        f.write_all(text.as_bytes())
    };
    write().map_err(|e| {
        vec![Diagnostic::error("Z0408", &rel, Pos::default()).arg("reason", e.to_string())]
    })?;
    Ok(rel)
}
