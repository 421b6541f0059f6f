//! Everything written to stderr: diagnostics (in colour on a terminal unless
//! `NO_COLOR` is set to something non-empty) and the progress line, which
//! share one lock so that a warning never lands in the middle of the bar;
//! and [`print()`], a command's whole answer on stdout. This file imports no
//! other file of the command.

use std::fmt::Display;
use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;

/// `--color WHEN`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set or `TERM` is `dumb`.
    #[default]
    Auto,
    Always,
    Never,
}

/// Writes to stdout, ignoring a closed pipe; the exit status 0.
pub fn print(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    0
}

/// `NO_COLOR` set to something non-empty (no-color.org).
/// Whether what goes to stdout is coloured: `always`, `never`, or (auto)
/// on a terminal unless NO_COLOR is set or TERM=dumb.
pub fn stdout_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && !no_color()
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";

/// What the progress line currently looks like on the terminal.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bar {
    /// Nothing drawn.
    Hidden,
    /// A progress line is on screen (no newline after it).
    Drawn,
    /// The run is over: never draw again.
    Closed,
}

pub struct Term {
    color: bool,
    tty: bool,
    /// `TERM=dumb`: a terminal that takes no escape sequences.
    dumb: bool,
    bar: Mutex<Bar>,
}

impl Term {
    pub fn new() -> Term {
        let tty = io::stderr().is_terminal();
        let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
        let mut term = Term {
            color: false,
            tty,
            dumb,
            bar: Mutex::new(Bar::Hidden),
        };
        term.set_color(ColorChoice::Auto);
        term
    }

    /// `--color`: `auto` colours a terminal unless `NO_COLOR` is set (to
    /// anything non-empty) or `TERM` is `dumb`.
    pub fn set_color(&mut self, choice: ColorChoice) {
        self.color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => self.tty && !self.dumb && !no_color(),
        };
    }

    /// Whether stderr is a terminal that can show the progress line (not
    /// `TERM=dumb`).
    pub fn can_draw(&self) -> bool {
        self.tty && !self.dumb
    }

    fn paint(&self, code: &str, text: impl Display) -> String {
        if self.color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// Writes `text` to stderr, first wiping the progress line if it is drawn.
    fn write(&self, text: &str) {
        let mut bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        let mut err = io::stderr().lock();
        if *bar == Bar::Drawn {
            let _ = err.write_all(b"\r\x1b[2K");
            *bar = Bar::Hidden;
        }
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
    }

    /// `oktaql: MESSAGE` for errors.
    pub fn error(&self, msg: impl Display) {
        self.write(&format!("{} {msg}\n", self.paint(RED, "oktaql:")));
    }

    /// A command-line mistake: the message, then `usage`: the lines with
    /// the command's usage and a pointer to its `--help`.
    pub fn usage_error(&self, usage: impl Display, msg: impl Display) {
        self.write(&format!("{} {msg}\n{usage}", self.paint(RED, "oktaql:")));
    }

    /// A filter (or path) that does not parse: `what` (a prefix naming it,
    /// or nothing), the message, then the caret diagram with the carets in
    /// red, and the suggestion for a common slip if there is one.
    pub fn parse_error(&self, what: &str, err: &oktaql::ParseError) {
        let caret = err.caret();
        let help = err
            .help()
            .map(|h| format!("{} {h}\n", self.paint(BOLD, "help:")))
            .unwrap_or_default();
        self.write(&format!(
            "{} {what}{}\n{}\n{}\n{help}",
            self.paint(RED, "oktaql:"),
            err.message(),
            caret.line(),
            self.paint(RED, caret.underline())
        ));
    }

    /// A `help:` line after an error.
    pub fn help(&self, msg: impl Display) {
        self.write(&format!("{} {msg}\n", self.paint(BOLD, "help:")));
    }

    /// `SOURCE:LINE: MESSAGE` for a bad line that was skipped.
    pub fn warn_at(&self, source: &str, line: u64, msg: impl Display) {
        self.write(&format!(
            "{} {msg}\n",
            self.paint(BOLD, format_args!("{source}:{line}:"))
        ));
    }

    /// `oktaql: SOURCE:LINE: MESSAGE` for a bad line under `--strict`.
    pub fn error_at(&self, source: &str, line: u64, msg: impl Display) {
        self.write(&format!(
            "{} {} {msg}\n",
            self.paint(RED, "oktaql:"),
            self.paint(BOLD, format_args!("{source}:{line}:"))
        ));
    }

    /// `warning: MESSAGE`.
    pub fn warning(&self, msg: impl Display) {
        self.write(&format!("{} {msg}\n", self.paint(YELLOW, "warning:")));
    }

    /// Text as it is (a finding), wiping the progress line first.
    pub fn raw(&self, text: &str) {
        self.write(text);
    }

    /// `note: MESSAGE`, the empty-answer notes.
    pub fn plain_note(&self, msg: impl Display) {
        self.write(&format!("{} {msg}\n", self.paint(YELLOW, "note:")));
    }

    /// `oktaql: MESSAGE` for a note worth seeing that is not an error.
    pub fn note(&self, msg: impl Display) {
        self.write(&format!("{} {msg}\n", self.paint(YELLOW, "oktaql:")));
    }

    /// Draws the progress line (if the run is not over).
    pub fn draw_bar(&self, line: &str) {
        let mut bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if *bar == Bar::Closed {
            return;
        }
        let mut err = io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        *bar = Bar::Drawn;
    }

    /// Wipes the progress line and stops it from being drawn again.
    pub fn close_bar(&self) {
        let mut bar = self.bar.lock().unwrap_or_else(|e| e.into_inner());
        if *bar == Bar::Drawn {
            let mut err = io::stderr().lock();
            let _ = err.write_all(b"\r\x1b[2K");
            let _ = err.flush();
        }
        *bar = Bar::Closed;
    }
}
