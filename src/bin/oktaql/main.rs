//! `oktaql`: filter Okta System Log events with the Okta filter language.
//!
//! The language, the matching, dates, keywords and paths are all the
//! library's; this binary reads inputs, runs the matching on all cores and
//! prints the results in input order.
//!
//! This file only runs what args.rs chose: each command is its own file
//! (filter.rs, check.rs, url.rs, sql.rs), sharing the option groups of
//! opts.rs; no file of the command imports this one.

#![forbid(unsafe_code)]

mod args;
mod check;
mod filter;
mod hits;
mod input;
mod notes;
mod opts;
mod output;
mod pipeline;
mod progress;
mod rules;
mod run;
mod sql;
mod style;
mod url;
mod walk;

use std::process::ExitCode;

use crate::args::Command;
use crate::style::Term;

fn main() -> ExitCode {
    ExitCode::from(real_main())
}

fn real_main() -> u8 {
    let mut term = Term::new();
    let command = match args::parse(lexopt::Parser::from_env()) {
        Ok(c) => c,
        Err(args::Error::Usage(usage, e)) => {
            term.usage_error(usage, e);
            return 2;
        }
    };
    match command {
        Command::Filter(a) => {
            term.set_color(a.color);
            filter::run(&a, &term)
        }
        Command::Check(a) => check::run(&a, &term),
        Command::Url(a) => url::run(&a, &term),
        Command::Sql(a) => sql::run(&a, &term),
        Command::Rules(a) => {
            term.set_color(a.color);
            rules::run(&a, &term)
        }
        Command::Help(text) => style::print(text),
        Command::Version => style::print(&format!("oktaql {}\n", env!("CARGO_PKG_VERSION"))),
    }
}
