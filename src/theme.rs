//! The theme: templates and static assets. The default theme is compiled into the
//! binary; a collection's `themes/<name>/` overrides any file of it, file by file.

use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;
use crate::yaml::Pos;

macro_rules! builtin {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/", $name)))),*]
    };
}

/// Files of the built-in theme, by path inside the theme folder.
const BUILTIN: &[(&str, &str)] = builtin!(
    "templates/base.html",
    "templates/macros.html",
    "templates/cards.html",
    "templates/card.html",
    "templates/index.html",
    "templates/entry.html",
    "templates/listing.html",
    "templates/district.html",
    "templates/districts.html",
    "templates/fields.html",
    "templates/tags.html",
    "templates/matrix.html",
    "templates/page.html",
    "templates/404.html",
    "templates/submit.html",
    "templates/search.html",
    "static/submit.js",
    "static/search/analyzer.js",
    "static/search/engine.js",
    "static/search/facets.js",
    "static/search/correct.js",
    "static/search/filters.js",
    "static/search/ui.js",
    "static/style.css",
);

/// A theme's files after overrides: templates by name, assets by path under `static/`.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<(String, String)>,
    pub assets: Vec<(String, Vec<u8>)>,
}

impl Theme {
    /// The built-in theme with the collection's `themes/<name>/` laid over it.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::builtin();
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name == "default" {
                return Ok(theme);
            }
            return Err(vec![Diagnostic::error(
                "Z0404",
                "zirkel.yaml",
                Pos::default(),
            )
            .arg("theme", name)]);
        }
        let mut diags = Vec::new();
        for item in WalkDir::new(&dir).follow_links(true).sort_by_file_name() {
            let e = match item {
                Ok(e) => e,
                Err(err) => {
                    let at = err
                        .path()
                        .unwrap_or(&dir)
                        .strip_prefix(root)
                        .unwrap_or(&dir)
                        .to_path_buf();
                    diags.push(
                        Diagnostic::error("Z0005", at, Pos::default())
                            .arg("reason", err.to_string()),
                    );
                    continue;
                }
            };
            if !e.file_type().is_file()
                || crate::content::is_ignored(&e.file_name().to_string_lossy())
            {
                continue;
            }
            let rel = e.path().strip_prefix(&dir).unwrap_or(e.path());
            let rel_str = rel.to_string_lossy().replace('\\', "/");
            let shown = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_path_buf();
            let bytes = match std::fs::read(e.path()) {
                Ok(b) => b,
                Err(err) => {
                    diags.push(
                        Diagnostic::error("Z0002", shown, Pos::default())
                            .arg("reason", err.to_string()),
                    );
                    continue;
                }
            };
            if let Some(t) = rel_str.strip_prefix("templates/") {
                match String::from_utf8(bytes) {
                    Ok(src) => theme.set_template(t, src),
                    Err(_) => diags.push(Diagnostic::error("Z0003", shown, Pos::default())),
                }
            } else if let Some(a) = rel_str.strip_prefix("static/") {
                theme.set_asset(a, bytes);
            }
        }
        if diags.is_empty() {
            Ok(theme)
        } else {
            Err(diags)
        }
    }

    pub fn builtin() -> Theme {
        let mut t = Theme::default();
        for (path, src) in BUILTIN {
            if let Some(name) = path.strip_prefix("templates/") {
                t.templates.push((name.to_string(), src.to_string()));
            } else if let Some(name) = path.strip_prefix("static/") {
                t.assets.push((name.to_string(), src.as_bytes().to_vec()));
            }
        }
        t
    }

    fn set_template(&mut self, name: &str, src: String) {
        match self.templates.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = src,
            None => self.templates.push((name.to_string(), src)),
        }
    }

    fn set_asset(&mut self, name: &str, bytes: Vec<u8>) {
        match self.assets.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = bytes,
            None => self.assets.push((name.to_string(), bytes)),
        }
    }
}
