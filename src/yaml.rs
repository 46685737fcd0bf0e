//! YAML parsing into a tree that remembers where every key and value stands.
//!
//! All YAML in zirkel (configuration and front matter) goes through this module, so
//! switching the parser is a one-file change. We use `saphyr-parser` because
//! diagnostics must point at the offending key or value (line and column), which
//! serde-based YAML crates do not expose for values.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Nesting deeper than this is refused: front matter never needs it and deep
/// nesting is a classic way to exhaust the stack.
const MAX_DEPTH: usize = 32;

/// A position in the source text: 1-based line, 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A parsed YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A scalar with its text and whether it was quoted (a quoted scalar is always
    /// a string, a plain one may be a number, boolean or null).
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    /// Key-value pairs in source order; duplicate keys are kept so validation can
    /// report them.
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// What went wrong while reading YAML.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlError {
    #[error("syntax: {message}")]
    Syntax { pos: Pos, message: String },
    #[error("anchors and aliases are not supported")]
    Alias { pos: Pos },
    #[error("nesting deeper than {MAX_DEPTH} levels")]
    TooDeep { pos: Pos },
    #[error("mapping keys must be plain text")]
    ComplexKey { pos: Pos },
    #[error("more than one YAML document")]
    MultipleDocuments { pos: Pos },
}

impl YamlError {
    pub fn pos(&self) -> Pos {
        match self {
            YamlError::Syntax { pos, .. }
            | YamlError::Alias { pos }
            | YamlError::TooDeep { pos }
            | YamlError::ComplexKey { pos }
            | YamlError::MultipleDocuments { pos } => *pos,
        }
    }
}

impl Node {
    /// The scalar's text if this is a plain or quoted scalar.
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// True for an empty plain scalar, `~` or `null`: YAML's ways of writing "nothing".
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, quoted: false }
            if text.is_empty() || text == "~" || text == "null" || text == "Null" || text == "NULL")
    }

    /// The catalogue key naming the node's kind, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } if self.is_null() => "words.kind_empty",
            Kind::Scalar { .. } => "words.kind_text",
            Kind::Seq(_) => "words.kind_list",
            Kind::Map(_) => "words.kind_map",
        }
    }
}

fn pos_of(span: &Span, line_offset: usize) -> Pos {
    Pos {
        line: span.start.line() + line_offset,
        col: span.start.col() + 1,
    }
}

/// Parses one YAML document. `line_offset` is added to every line so positions
/// refer to the whole file when the YAML is only part of it (front matter).
/// An empty document yields `None`.
pub fn parse(src: &str, line_offset: usize) -> Result<Option<Node>, YamlError> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Node> = None;
    let mut documents = 0;
    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| YamlError::Syntax {
            pos: Pos {
                line: e.marker().line() + line_offset,
                col: e.marker().col() + 1,
            },
            message: e.info().to_string(),
        })?;
        let pos = pos_of(&span, line_offset);
        let node = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(YamlError::MultipleDocuments { pos });
                }
                continue;
            }
            Event::Alias(_) => return Err(YamlError::Alias { pos }),
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                return Err(YamlError::Alias { pos })
            }
            Event::Scalar(text, style, _, _) => Node {
                pos,
                kind: Kind::Scalar {
                    text: text.into_owned(),
                    quoted: !matches!(style, ScalarStyle::Plain),
                },
            },
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError::TooDeep { pos });
                }
                let is_map = matches!(event, Event::MappingStart(..));
                stack.push(Frame {
                    pos,
                    items: Vec::new(),
                    is_map,
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = stack.pop() else { continue };
                frame.finish()?
            }
            _ => continue,
        };
        match stack.last_mut() {
            Some(frame) => frame.items.push(node),
            None => root = Some(node),
        }
    }
    Ok(root)
}

struct Frame {
    pos: Pos,
    items: Vec<Node>,
    is_map: bool,
}

impl Frame {
    fn finish(self) -> Result<Node, YamlError> {
        if !self.is_map {
            return Ok(Node {
                pos: self.pos,
                kind: Kind::Seq(self.items),
            });
        }
        let mut pairs = Vec::with_capacity(self.items.len() / 2);
        let mut it = self.items.into_iter();
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            let Kind::Scalar { text, .. } = k.kind else {
                return Err(YamlError::ComplexKey { pos: k.pos });
            };
            pairs.push((
                Key {
                    name: text,
                    pos: k.pos,
                },
                v,
            ));
        }
        Ok(Node {
            pos: self.pos,
            kind: Kind::Map(pairs),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(n: &Node) -> &Vec<(Key, Node)> {
        match &n.kind {
            Kind::Map(m) => m,
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn keys_and_values_carry_one_based_lines_and_columns() {
        let n = parse("title: Hallo\ndistrict: \"03153\"\ntags: [a, b]\n", 0)
            .unwrap()
            .unwrap();
        let m = map(&n);
        assert_eq!(m[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(m[0].1.pos, Pos { line: 1, col: 8 });
        assert_eq!(m[1].1.as_scalar(), Some("03153"));
        assert!(matches!(m[1].1.kind, Kind::Scalar { quoted: true, .. }));
        let Kind::Seq(items) = &m[2].1.kind else {
            panic!()
        };
        assert_eq!(items[1].pos, Pos { line: 3, col: 11 });
    }

    #[test]
    fn line_offset_shifts_positions_to_the_whole_file() {
        let n = parse("a: 1\nb: 2\n", 1).unwrap().unwrap();
        assert_eq!(map(&n)[1].0.pos.line, 3);
    }

    #[test]
    fn unquoted_leading_zero_number_keeps_its_text() {
        let n = parse("district: 03153\n", 0).unwrap().unwrap();
        assert_eq!(map(&n)[0].1.as_scalar(), Some("03153"));
    }

    #[test]
    fn syntax_error_reports_position() {
        let e = parse("a: [1, 2\nb: 3\n", 0).unwrap_err();
        assert!(matches!(e, YamlError::Syntax { .. }));
        assert!(e.pos().line >= 1);
    }

    #[test]
    fn aliases_are_refused() {
        let e = parse("a: &x [1]\nb: *x\n", 0).unwrap_err();
        assert!(matches!(e, YamlError::Alias { .. }));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = format!("a: {}{}", "[".repeat(100), "]".repeat(100));
        assert!(matches!(parse(&src, 0), Err(YamlError::TooDeep { .. })));
    }

    #[test]
    fn empty_document_is_none() {
        assert_eq!(parse("", 0).unwrap(), None);
        assert_eq!(parse("# only a comment\n", 0).unwrap(), None);
    }
}
