//! zirkel: a static-site generator for cross-district knowledge sharing.
//!
//! Data flows one way: files (`content`) → typed entries (`validate`) → a validated
//! collection with its relations (`collection`) → pages (`render`, `markdown`,
//! `theme`) and data exports (`export`) → output written atomically (`site`).
//! `cli` and `cmd` turn arguments into calls of `site`.

pub mod analyze;
pub mod cli;
pub mod cmd;
pub mod collection;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod districts;
pub mod export;
pub mod history;
pub mod i18n;
pub mod index;
pub mod markdown;
pub mod rebuild;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search_export;
pub mod serve;
pub mod site;
pub mod theme;
pub mod thesaurus;
pub mod validate;
pub mod watch;
pub mod yaml;
