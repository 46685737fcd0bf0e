//! The command line: arguments (clap derive, doc comments are the help text),
//! validated into typed options, and the rendering of diagnostics for people
//! (rustc style, German) and machines (JSON, GitHub annotations).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

use crate::diagnostic::{Diagnostic, Severity};
use crate::i18n::Catalogue;

/// zirkel – Praxis-Sammlungen der Landkreise als statische Website.
#[derive(Debug, Parser)]
#[command(name = "zirkel", version, about, long_about = None)]
pub struct Cli {
    /// Ordner der Sammlung (der mit zirkel.yaml); Vorgabe: aktueller Ordner.
    #[arg(long, global = true, value_name = "ORDNER")]
    pub root: Option<PathBuf>,
    /// Sprache der Meldungen (de, en); Vorgabe: aus LANG, sonst Deutsch.
    #[arg(long, global = true, value_name = "SPRACHE", value_parser = ["de", "en"])]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Prüft, erzeugt und schreibt die Website (atomar: bei Fehlern bleibt die alte Ausgabe).
    Build {
        /// Ausgabeordner; Vorgabe: site/ in der Sammlung.
        #[arg(long, short, value_name = "ORDNER")]
        output: Option<PathBuf>,
    },
    /// Prüft alles, was ein Build prüfen würde, und schreibt nichts.
    Check {
        /// Ausgabeformat der Meldungen.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Baut, zeigt die Website unter http://127.0.0.1:1111/ und baut bei jeder Änderung neu.
    Serve {
        /// Port; ist er belegt, der nächste freie.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Adresse, an die der Server bindet.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Öffnet die Vorschau im Browser.
        #[arg(long)]
        open: bool,
        /// Ausgabeordner; Vorgabe: site/ in der Sammlung.
        #[arg(long, short, value_name = "ORDNER")]
        output: Option<PathBuf>,
    },
    /// Durchsucht die Sammlung mit derselben Rangfolge wie die Suche der Website.
    Search {
        /// Suchwörter: alle müssen vorkommen, das letzte auch als Wortanfang.
        #[arg(required = true, num_args = 1.., value_name = "SUCHE")]
        query: Vec<String>,
        #[command(flatten)]
        filters: crate::cmd::search::RawFilters,
        /// Höchstens so viele Treffer zeigen.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Ausgabe als JSON: results, facets, total.
        #[arg(long)]
        json: bool,
        /// Zeigt je Treffer, welches Suchwort welchen Begriff gefunden hat und wie
        /// (exakt, Stammform, Wortanfang, Wortteile, Synonym, Korrektur).
        #[arg(long)]
        explain: bool,
    },
    /// Legt einen neuen Eintrag aus der Vorlage an (fragt fehlende Angaben im Terminal ab).
    New {
        /// Titel des Eintrags; der Dateiname wird daraus gebildet.
        title: Option<String>,
        /// Kreis: AGS-Schlüssel oder eindeutiger Name; mehrfach für gemeinsame Projekte.
        #[arg(long)]
        district: Vec<String>,
        /// Handlungsfeld (Kurzname aus zirkel.yaml).
        #[arg(long)]
        field: Option<String>,
        /// Ergebnis (Kurzname aus zirkel.yaml).
        #[arg(long)]
        outcome: Option<String>,
        /// Zusammenfassung in einem Satz.
        #[arg(long)]
        summary: Option<String>,
    },
    /// Legt eine neue Sammlung an: Konfiguration, Beispiel-Eintrag, Über-Seite, CI-Vorlagen.
    Init {
        /// Ordner der neuen Sammlung.
        dir: PathBuf,
    },
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Für Menschen: Datei:Zeile:Spalte, die Zeile mit Markierung, Hinweis.
    Human,
    /// Ein JSON-Objekt mit allen Meldungen.
    Json,
    /// Annotationen für GitHub Actions.
    Github,
}

/// Runs the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = Cli::parse();
    let root = cli.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let lang = cli
        .lang
        .as_deref()
        .unwrap_or_else(|| Catalogue::language_from_env());
    let cat = Catalogue::for_language(lang);
    match cli.command {
        Command::Build { output } => crate::cmd::build::run(&root, output, cat),
        Command::Check { format } => crate::cmd::check::run(&root, format, cat),
        Command::New {
            title,
            district,
            field,
            outcome,
            summary,
        } => {
            let args = crate::cmd::new::NewArgs {
                title,
                districts: district,
                field,
                outcome,
                summary,
            };
            crate::cmd::new::run(&root, args, cat)
        }
        Command::Init { dir } => crate::cmd::init::run(&dir, cat),
        Command::Search {
            query,
            filters,
            limit,
            json,
            explain,
        } => {
            let args = crate::cmd::search::SearchArgs {
                query: query.join(" "),
                filters,
                limit,
                json,
                explain,
            };
            crate::cmd::search::run(&root, args, cat)
        }
        Command::Serve {
            port,
            bind,
            open,
            output,
        } => {
            let opts = crate::cmd::serve::ServeOptions {
                output: output.unwrap_or_else(|| root.join("site")),
                root,
                bind,
                port,
                open,
            };
            crate::cmd::serve::run(opts, cat)
        }
    }
}

/// Prints diagnostics for people on stderr, rustc style, with the source line.
pub fn print_human(root: &Path, diags: &[Diagnostic], cat: &Catalogue) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    let config = term::Config::default();
    for d in diags {
        let source = if d.line > 0 {
            shorten_lines(&std::fs::read_to_string(root.join(&d.file)).unwrap_or_default())
        } else {
            String::new()
        };
        let name = d.file.display().to_string();
        let file = SimpleFile::new(name, source.as_str());
        let mut diag = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        }
        .with_code(d.code)
        .with_message(d.message(cat));
        if let Some(range) = byte_range(&source, d.line, d.col) {
            diag = diag.with_labels(vec![cs::Label::primary((), range)]);
        } else {
            diag = diag.with_notes(vec![format!("--> {}", file.name())]);
        }
        if let Some(help) = d.help(cat) {
            diag = diag.with_notes(vec![format!("{}: {help}", cat.get("cli.help"))]);
        }
        if term::emit_to_io_write(&mut out, &config, &file, &diag).is_err() {
            // Fall back to a plain line if the source does not match the position.
            let _ = writeln!(out, "{}: {}", file.name(), d.message(cat));
        }
    }
}

/// Longest source line shown in a diagnostic; the rest is cut, so a 1 MB line does
/// not make printing a warning take seconds.
const SHOWN_LINE: usize = 240;

/// The source with every line cut to `SHOWN_LINE` characters (positions before the
/// cut stay where they are).
fn shorten_lines(src: &str) -> String {
    let mut out = String::with_capacity(src.len().min(1 << 20));
    for line in src.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        match body.char_indices().nth(SHOWN_LINE) {
            Some((cut, _)) => {
                out.push_str(&body[..cut]);
                out.push_str(" …");
                out.push_str(&line[body.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The byte range of the token at a 1-based line and column (up to the next
/// space, comma or bracket), or `None` for whole-file diagnostics.
pub fn byte_range(src: &str, line: usize, col: usize) -> Option<std::ops::Range<usize>> {
    if line == 0 {
        return None;
    }
    let start_of_line = src
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum::<usize>();
    let text = src.get(start_of_line..)?.lines().next()?;
    let start = text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let rest = &text[start..];
    let len = if rest.starts_with('"') || rest.starts_with('\'') {
        let q = rest.chars().next().unwrap_or('"');
        rest[1..].find(q).map(|i| i + 2).unwrap_or(rest.len())
    } else {
        rest.find([',', ']', '}', '#']).unwrap_or(rest.len())
    };
    let len = rest[..len].trim_end().len().max(1).min(rest.len().max(1));
    Some(start_of_line + start..(start_of_line + start + len).min(src.len()))
}

/// The JSON form: `{"diagnostics": [...], "errors": N, "warnings": N}`.
pub fn to_json(diags: &[Diagnostic], cat: &Catalogue) -> serde_json::Value {
    let list: Vec<serde_json::Value> = diags
        .iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity,
                "file": d.file.to_string_lossy().replace('\\', "/"),
                "line": d.line,
                "column": d.col,
                "code": d.code,
                "message": d.message(cat),
                "help": d.help(cat),
            })
        })
        .collect();
    let errors = diags.iter().filter(|d| d.is_error()).count();
    serde_json::json!({"diagnostics": list, "errors": errors, "warnings": diags.len() - errors})
}

/// GitHub workflow commands, one line per diagnostic.
pub fn to_github(diags: &[Diagnostic], cat: &Catalogue) -> String {
    let esc = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let mut out = String::new();
    for d in diags {
        let kind = if d.is_error() { "error" } else { "warning" };
        let mut msg = format!("{} {}", d.code, d.message(cat));
        if let Some(h) = d.help(cat) {
            msg.push_str(&format!(" – {h}"));
        }
        out.push_str(&format!(
            "::{kind} file={},line={},col={},title={}::{}\n",
            d.file
                .to_string_lossy()
                .replace(',', "%2C")
                .replace(':', "%3A"),
            d.line.max(1),
            d.col.max(1),
            d.code,
            esc(&msg)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_range_underlines_the_value() {
        let src = "---\ndistrict: \"99999\"\n---\n";
        let r = byte_range(src, 2, 11).unwrap();
        assert_eq!(&src[r], "\"99999\"");
        let src = "tags: [a, bb]\n";
        let r = byte_range(src, 1, 11).unwrap();
        assert_eq!(&src[r], "bb");
    }
}
