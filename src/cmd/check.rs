//! `zirkel check`: validates everything a build would and writes nothing.

use std::path::Path;

use crate::cli::{print_human, to_github, to_json, Format};
use crate::i18n::Catalogue;
use crate::site;
use crate::validate;

/// Exit codes: 0 clean (warnings allowed), 1 errors in content, 2 when the
/// configuration itself is missing or unusable.
pub fn run(root: &Path, format: Format, cat: &Catalogue) -> i32 {
    let checked = site::check(root, Some(validate::today()), &site::Silent);
    match format {
        Format::Human => {
            print_human(root, &checked.diagnostics, cat);
            let key = if checked.errors() > 0 {
                "cli.check_failed"
            } else {
                "cli.check_ok"
            };
            // "1 Eintrag", "2 Einträge": the count with its noun in the right number.
            let counted = |what: &str, n: usize| {
                let form = if n == 1 { "one" } else { "many" };
                cat.format(&format!("cli.{what}_{form}"), &[("n", n.to_string())])
            };
            eprintln!(
                "{}",
                cat.format(
                    key,
                    &[
                        ("entries", counted("entries", checked.entries)),
                        ("errors", counted("errors", checked.errors())),
                        ("warnings", counted("warnings", checked.warnings())),
                    ]
                )
            );
        }
        Format::Json => println!("{}", to_json(&checked.diagnostics, cat)),
        Format::Github => print!("{}", to_github(&checked.diagnostics, cat)),
    }
    if checked
        .diagnostics
        .iter()
        .any(|d| d.is_error() && d.file_is(crate::config::FILE_NAME))
    {
        2
    } else {
        i32::from(checked.errors() > 0)
    }
}
