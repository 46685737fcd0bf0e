//! One file per subcommand: each turns typed options into library calls and
//! prints what happened.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod search;
pub mod serve;
