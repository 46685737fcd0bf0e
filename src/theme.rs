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
                t.assets
                    .push((name.to_string(), shipped(name, src.as_bytes().to_vec())));
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
        let bytes = shipped(name, bytes);
        match self.assets.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = bytes,
            None => self.assets.push((name.to_string(), bytes)),
        }
    }
}

/// An asset as the site ships it. The search runtime loads on a visitor's first
/// query, so its scripts go out without comment lines and indentation (the
/// sources keep them for readers); everything else is copied as it is.
fn shipped(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    if !(name.starts_with("search/") && name.ends_with(".js")) {
        return bytes;
    }
    match String::from_utf8(bytes) {
        Ok(src) => compact_script(&src).into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// `src` without lines that are only a comment (`// …`, or a block comment
/// starting a line, up to its end), and each line that stays squeezed: without
/// spaces it does not need and without a comment after its code. Lines
/// stay lines, so automatic semicolon insertion reads the script as before.
pub fn compact_script(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut in_block = false;
    for line in src.lines() {
        let mut rest = line.trim_start();
        if in_block || rest.starts_with("/*") {
            match rest.find("*/") {
                Some(end) => {
                    in_block = false;
                    rest = rest[end + 2..].trim_start();
                }
                None => {
                    in_block = true;
                    continue;
                }
            }
        }
        if rest.is_empty() || rest.starts_with("//") {
            continue;
        }
        out.push_str(&squeeze(rest));
        out.push('\n');
    }
    out
}

/// A line of script without the spaces it does not need and without a comment after
/// its code. Strings and regular expressions are copied as they are. A space stays
/// between two word characters, in `+ +` and `- -`, and after a number before `.`.
/// Lines are read one by one and a template literal is copied up to its next
/// backtick, so a literal spanning lines, or one nested in another's `${…}`, would
/// lose spaces: a theme's search scripts should have neither.
fn squeeze(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let (mut i, mut space) = (0, false);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == ' ' || c == '\t' {
            space = true;
            i += 1;
            continue;
        }
        if c == '/' && next == Some('/') {
            break;
        }
        if c == '/' && next == Some('*') {
            match (i + 2..chars.len().saturating_sub(1))
                .find(|&j| chars[j] == '*' && chars[j + 1] == '/')
            {
                Some(end) => {
                    i = end + 2;
                    space = true;
                    continue;
                }
                None => break,
            }
        }
        if std::mem::take(&mut space) {
            if let Some(p) = out.chars().last() {
                if word_char(p) && word_char(c)
                    || p == c && (c == '+' || c == '-')
                    || p.is_ascii_digit() && c == '.'
                {
                    out.push(' ');
                }
            }
        }
        i = match c {
            '\'' | '"' | '`' => copy_literal(&chars, i, &mut out, c),
            '/' if starts_regex(&out) => copy_literal(&chars, i, &mut out, '/'),
            _ => {
                out.push(c);
                i + 1
            }
        };
    }
    out
}

/// A character of a name, keyword or number (any non-ASCII one counts: a name may
/// hold one, and a space before or after it is kept either way).
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$' || !c.is_ascii()
}

/// Whether a `/` after `code` opens a regular expression rather than dividing: after
/// an operator, an opening bracket or a keyword such as `return`, not after a value.
fn starts_regex(code: &str) -> bool {
    let Some(last) = code.chars().last() else {
        return true;
    };
    if matches!(last, ')' | ']' | '\'' | '"' | '`') {
        return false;
    }
    if !word_char(last) {
        return true;
    }
    let word = &code[code.trim_end_matches(word_char).len()..];
    matches!(
        word,
        "return"
            | "typeof"
            | "case"
            | "do"
            | "else"
            | "in"
            | "of"
            | "new"
            | "delete"
            | "void"
            | "throw"
            | "instanceof"
            | "yield"
            | "await"
    )
}

/// Copies the string or regular expression opening at `chars[start]` (closed by
/// `close`, with backslash escapes; a `/` inside a regular expression's `[…]` does not
/// close it) and returns the index after it.
fn copy_literal(chars: &[char], start: usize, out: &mut String, close: char) -> usize {
    out.push(chars[start]);
    let (mut i, mut class) = (start + 1, false);
    while i < chars.len() {
        let c = chars[i];
        out.push(c);
        i += 1;
        match c {
            '\\' => {
                if let Some(&e) = chars.get(i) {
                    out.push(e);
                    i += 1;
                }
            }
            '[' if close == '/' => class = true,
            ']' if close == '/' => class = false,
            _ if c == close && !class => break,
            _ => {}
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_search_scripts_lose_comments_and_spaces_but_keep_lines_strings_and_regexes() {
        let src = "/* head\n * more */\n(function () {\n  // why\n  var a = '//x'; // keep\n  /* one */ b();\n})();\n";
        assert_eq!(
            compact_script(src),
            "(function(){\nvar a='//x';\nb();\n})();\n"
        );
        assert_eq!(shipped("style.css", b"  /* a */".to_vec()), b"  /* a */");
        // Strings keep their spaces and comment marks, escaped quotes included.
        assert_eq!(
            squeeze(r#"f('a // b', "c \" d" + 'e\' f');"#),
            r#"f('a // b',"c \" d"+'e\' f');"#
        );
        // A regular expression after an operator, bracket or keyword, with `/` and
        // spaces in a class; division after a value.
        assert_eq!(squeeze("x = a / 2 + (b) / c[0] / 3;"), "x=a/2+(b)/c[0]/3;");
        assert_eq!(
            squeeze("if (/[a /]b/g.test(s)) return / x/.exec(t);"),
            "if(/[a /]b/g.test(s))return/ x/.exec(t);"
        );
        assert_eq!(
            squeeze("s.replace(/[&<>\"']/g, function (c) { return c; });"),
            "s.replace(/[&<>\"']/g,function(c){return c;});"
        );
        // Spaces that change the meaning stay.
        assert_eq!(
            squeeze("a - -b + +c, i++ + 1, 1 .x, typeof y === 'z'"),
            "a- -b+ +c,i++ +1,1 .x,typeof y==='z'"
        );
        assert_eq!(squeeze("var ä = ö in ü; x /* c */ y"), "var ä=ö in ü;x y");
    }

    #[test]
    fn the_first_query_runtime_ships_within_its_budget() {
        // Issue 3: analyzer, engine and page script together at most 20 KB.
        let t = Theme::builtin();
        let size: usize = ["search/analyzer.js", "search/engine.js", "search/ui.js"]
            .iter()
            .map(|n| {
                t.assets
                    .iter()
                    .find(|(a, _)| a == n)
                    .map_or(0, |a| a.1.len())
            })
            .sum();
        assert!(size > 10_000 && size <= 20_000, "{size} bytes");
    }
}
