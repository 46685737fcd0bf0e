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
            eprintln!(
                "{}",
                cat.format(
                    key,
                    &[
                        ("entries", checked.entries.to_string()),
                        ("errors", checked.errors().to_string()),
                        ("warnings", checked.warnings().to_string()),
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
