//! `oktaql rules -r PATH [OPTIONS] [FILE|DIR...]`: a catalogue of rules over
//! the events, in one pass. Loading, the rule formats and matching are the
//! library's (`oktaql::rules`); this file parses the options, reports what
//! the loader found, and runs the filtering command's pipeline with the
//! rule set (run.rs) and the rules' output (hits.rs).

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::PathBuf;

use lexopt::prelude::*;
use lexopt::Parser;
use oktaql::rules::{Engine, Level, LoadOptions, ProblemKind, RuleSet};

use crate::hits::{Mode, RulesView};
use crate::opts::{
    color, number, EventInput, InputOption, Narrowing, Parsed, Usage, Window, WindowOption,
};
use crate::output::Format;
use crate::run;
use crate::style::{self, ColorChoice, Term};

pub const HELP: &str = r#"oktaql rules: run a catalogue of detection rules over events, in one pass.

Usage: oktaql rules -r PATH [-r PATH...] [OPTIONS] [FILE|DIR...]

Loads every rule from the rule files and directories named by -r (a
directory is walked as input directories are: sorted, hidden names skipped
unless --hidden; only its .yml and .yaml files are read), then reads the
events once, as the filtering command reads them (FILEs, directories,
standard input; every shape and compression), and prints each event that at
least one rule selects.

Rule formats (one rule per YAML document; a file may hold several, `---`):
  oktaql's own     title, id, level (informational, low, medium, high,
                   critical), filter (Okta's filter language), and optionally
                   ignore_case: true, keywords: WORDS (as -k), description...
  Okta's           github.com/okta/customer-detections: title, id, and the
                   filter in detection.okta_systemlog.OIE (or Classic)
  Sigma            detection with a condition, logsource.product: okta
                   (SigmaHQ's rules for Okta run as written); Sigma filters
                   (filter: rules, selection, condition) tune the rules
                   they name

Nothing is skipped in silence: every rule that is not loaded is named on
stderr before events are read, as PATH:LINE: rule not loaded: REASON, with
the rewrite that would load it where there is one; each loaded rule's filter
is checked as `oktaql check` checks a filter, its findings printed as
warnings at their line and column in the rule file; then one summary line.

Output:
  piped, or --format json
                    one JSON line per selected event, in input order:
                    {"rules":[{"id":..,"title":..,"level":..},...],"event":EVENT}
                    (the rules in load order; EVENT as the filtering command
                    prints it)
  --format tsv|csv  a timeline: one row per selected event and rule: published,
                    level, rule.title, rule.id, eventType, actor.alternateId,
                    client.ipAddress, outcome.result, displayMessage, uuid
  -c, --count       every loaded rule with its number of selected events (zero
                    included) and the first and last `published` of those: a
                    table, most severe and most frequent first; --format json
                    (one object per rule, in load order: id, title, level,
                    path, count, first, last), tsv or csv (those columns)
  on a terminal     the count table, then the hits, one line each, levels
                    coloured

Options:
  -r, --rules PATH       a rule file or a directory of them (repeatable; at
                         least one)
      --engine ENGINE    which filter of Okta's format to read: oie (the
                         default) or classic
      --level LEVEL      only rules of this level and above (rules without a
                         level are left out)
      --status STATUS    only rules with this status (repeatable: stable,
                         test, experimental...; rules without one are left
                         out)
      --placeholder NAME=VALUE[,VALUE...]
                         the values of a Sigma placeholder %NAME% (repeatable)
      --placeholders FILE
                         a YAML file of placeholders: NAME: [VALUE, ...]
                         (at the top level or under vars:)
      --explain          print what each loaded rule means and exit: its
                         format, its filter, for a Sigma rule its detection
                         and the equivalent Okta filter where there is one
                         (--format json: one JSON object per rule)
      --rule ID          only this rule (repeatable)
      --exclude ID       not this rule (repeatable)
  -c, --count            the count of each rule, as above
      --format FORMAT    json, tsv or csv, as above
  -i, --ignore-case      every rule compares strings ignoring case
  -m, --max-count N      stop after N selected events
      --since T          only events whose `published` is at or after T
      --until T          only events whose `published` is before T
  -H, --with-filename    print each JSON line after its input's name and `:`
      --no-filename      never print input names
  -q, --quiet            print nothing on stdout and stop at the first
                         selected event: the exit status says
      --hidden           hidden files and directories too (rules and events)
  -L, --follow           follow symbolic links found in event directories
      --strict           any rule not loaded, or any warning, is exit status 2
                         before events are read; and stop at the first bad
                         line, as the filtering command does
      --color WHEN       auto, always or never
  -h, --help             print this help

Exit status: 0 if some event was selected, 1 if none, 2 on an error (no rule
loaded, an invalid option, an input that cannot be read, --strict).

Examples:
  # Okta's catalogue over a month of exports, one pass
  oktaql rules -r customer-detections/ exports/2025-03/

  # how often each rule fired, for a script
  oktaql rules -r rules/ -c --format json exports/

  # a timeline of the high and critical hits
  oktaql rules -r rules/ --level high --format tsv exports/ > timeline.tsv
"#;

pub const USAGE: Usage = Usage {
    command: "oktaql rules",
    synopsis: "-r PATH [-r PATH...] [OPTIONS] [FILE|DIR...]",
};

#[derive(Debug, Default)]
pub struct Args {
    pub rules: Vec<OsString>,
    pub input: EventInput,
    pub engine: Engine,
    pub level: Option<Level>,
    pub only: Vec<String>,
    pub exclude: Vec<String>,
    pub status: Vec<String>,
    pub placeholders: Vec<(String, Vec<String>)>,
    pub placeholder_files: Vec<OsString>,
    pub explain: bool,
    pub count: bool,
    pub format: Option<Format>,
    pub ignore_case: bool,
    pub max_count: Option<u64>,
    pub window: Window,
    pub with_filename: Option<bool>,
    pub quiet: bool,
    pub color: ColorChoice,
}

pub fn parse(mut p: Parser) -> Result<Parsed<Args>, lexopt::Error> {
    let mut a = Args::default();
    while let Some(arg) = p.next()? {
        if let Some(opt) = WindowOption::of(&arg) {
            a.window.set(opt, &mut p)?;
            continue;
        }
        if let Some(opt) = InputOption::of(&arg) {
            a.input.set(opt, &mut p)?;
            continue;
        }
        match arg {
            Short('r') | Long("rules") => a.rules.push(p.value()?),
            Long("engine") => {
                a.engine = p.value()?.parse_with(|s| match s {
                    "oie" | "OIE" => Ok(Engine::Oie),
                    "classic" | "Classic" => Ok(Engine::Classic),
                    _ => Err("expected oie or classic"),
                })?
            }
            Long("level") => {
                a.level = Some(p.value()?.parse_with(|s| s.parse::<Level>())?);
            }
            Long("rule") => a.only.push(p.value()?.string()?),
            Long("status") => a.status.push(p.value()?.string()?),
            Long("placeholder") => {
                let v = p.value()?.string()?;
                let Some((name, values)) = v.split_once('=') else {
                    return Err(format!("--placeholder {v}: expected NAME=VALUE[,VALUE...]").into());
                };
                let name = name.trim_matches('%');
                if name.is_empty() {
                    return Err(format!("--placeholder {v}: the name is empty").into());
                }
                a.placeholders.push((
                    name.to_owned(),
                    values.split(',').map(str::to_owned).collect(),
                ));
            }
            Long("placeholders") => a.placeholder_files.push(p.value()?),
            Long("explain") => a.explain = true,
            Long("exclude") => a.exclude.push(p.value()?.string()?),
            Short('c') | Long("count") => a.count = true,
            Long("format") => {
                a.format = Some(p.value()?.parse_with(|s| match s {
                    "json" => Ok(Format::Json),
                    "tsv" => Ok(Format::Tsv),
                    "csv" => Ok(Format::Csv),
                    _ => Err("expected json, tsv or csv"),
                })?)
            }
            Short('i') | Long("ignore-case") => a.ignore_case = true,
            Short('m') | Long("max-count") => a.max_count = Some(number(&mut p, "-m/--max-count")?),
            Short('H') | Long("with-filename") => a.with_filename = Some(true),
            Long("no-filename") => a.with_filename = Some(false),
            Short('q') | Long("quiet") | Long("silent") => a.quiet = true,
            Long("color") | Long("colour") => a.color = color(&mut p)?,
            Short('h') | Long("help") => return Ok(Parsed::Help(HELP)),
            Value(v) => a.input.files.push(v),
            _ => return Err(arg.unexpected()),
        }
    }
    if a.rules.is_empty() {
        return Err("no rules: name a rule file or directory with -r/--rules PATH".into());
    }
    if a.window.keywords.is_some() {
        return Err("-k/--keyword is a rule's own option here (keywords: in the rule file)".into());
    }
    if a.with_filename == Some(true)
        && (a.count || matches!(a.format, Some(Format::Tsv | Format::Csv)))
    {
        return Err("-H/--with-filename prints JSON lines: not with -c or --format tsv|csv".into());
    }
    Ok(Parsed::Run(a))
}

/// Loads the rule set, names on stderr every rule not loaded and every
/// warning, then the summary line; `Err` (after saying why) when nothing
/// loaded, or under `strict` when anything did not load cleanly.
pub fn load(
    paths: &[OsString],
    options: LoadOptions,
    strict: bool,
    term: &Term,
) -> Result<RuleSet, ()> {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let (set, problems) = RuleSet::load(&paths, options);
    let mut warnings = 0;
    for p in &problems {
        if matches!(p.kind, ProblemKind::Warning { .. }) {
            warnings += 1;
        }
        term.raw(&format!("{p}\n"));
    }
    let summary = set.summary();
    term.note(summary);
    if !summary.unknown_ids.is_empty() {
        for id in &summary.unknown_ids {
            term.error(format_args!(
                "--rule/--exclude {id}: no loaded rule has this id"
            ));
        }
        return Err(());
    }
    if strict && (summary.not_loaded > 0 || warnings > 0) {
        let s = if warnings == 1 { "" } else { "s" };
        term.error(format_args!(
            "--strict: {} not loaded, {warnings} warning{s}; no event read",
            summary.not_loaded
        ));
        return Err(());
    }
    if set.is_empty() {
        if summary.deselected > 0 {
            term.error("no rule left: --level, --rule and --exclude leave out every loaded rule");
        } else {
            term.error("no rule loaded: nothing to run");
        }
        return Err(());
    }
    Ok(set)
}

pub fn run(a: &Args, term: &Term) -> u8 {
    let Ok(Narrowing { since, until, .. }) = a.window.check(term) else {
        return 2;
    };
    let mut options = LoadOptions::new()
        .engine(a.engine)
        .ignore_case(a.ignore_case)
        .since(since)
        .until(until)
        .hidden(a.input.walk.hidden)
        .min_level(a.level)
        .only(a.only.clone())
        .exclude(a.exclude.clone())
        .status(a.status.clone());
    for f in &a.placeholder_files {
        let shown = PathBuf::from(f).display().to_string();
        let loaded = std::fs::read_to_string(f)
            .map_err(|e| e.to_string())
            .and_then(|text| options.clone().placeholder_file(&text));
        match loaded {
            Ok(o) => options = o,
            Err(e) => {
                term.error(format_args!("--placeholders {shown}: {e}"));
                return 2;
            }
        }
    }
    for (name, values) in &a.placeholders {
        options = options.placeholder(name, values.clone());
    }
    // Without the window: what --since/--until leave out for want of a
    // date-time is counted among the events some rule would select.
    let open = options.clone().since(None).until(None);
    let Ok(set) = load(&a.rules, options, a.input.strict, term) else {
        return 2;
    };
    if a.explain {
        let json = a.format == Some(Format::Json);
        let mut out = String::new();
        for r in set.rules() {
            if json {
                out.push_str(&r.explain_json().to_string());
            } else {
                out.push_str(&r.explain());
            }
            out.push('\n');
        }
        return style::print(&out);
    }
    let on_terminal = std::io::stdout().is_terminal();
    let mode = if a.count {
        Mode::Count(a.format)
    } else {
        match a.format {
            Some(Format::Json) => Mode::Json,
            Some(f) => Mode::Timeline(f),
            None if on_terminal && !a.quiet => Mode::Terminal {
                color: style::stdout_color(a.color),
            },
            None => Mode::Json,
        }
    };
    // Events left out by --since/--until for want of a date-time are
    // counted and noted, as the filtering command does.
    let window = (since.is_some() || until.is_some())
        .then(|| {
            let paths: Vec<PathBuf> = a.rules.iter().map(PathBuf::from).collect();
            run::Window::new(run::Open::Rules(Box::new(RuleSet::load(&paths, open).0)))
        })
        .flatten();
    // For each rule that selects nothing, the paths no event has.
    let notes = (!a.quiet).then(|| crate::notes::Notes::for_rules(&set));
    let view = RulesView::new(&set, mode);
    let with_filename = a.with_filename.unwrap_or(false) && mode == Mode::Json;
    let cfg = run::Config {
        matcher: run::Matcher::Rules(&view),
        count: false,
        max_count: if a.quiet {
            Some(a.max_count.unwrap_or(1).min(1))
        } else {
            a.max_count
        },
        strict: a.input.strict,
        fields: None,
        count_by: None,
        with_filename,
        files_with_matches: false,
        shape: run::Shape::Lines,
        window: window.as_ref(),
        json_array: false,
        quiet: a.quiet,
        notes: notes.as_ref(),
    };
    run::run_input(&cfg, &a.input, term)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<Args, String> {
        match parse(lexopt::Parser::from_args(args.iter().copied())) {
            Ok(Parsed::Run(a)) => Ok(a),
            Ok(_) => Err("help".into()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn options() {
        let a = parsed(&[
            "-r", "a.yml", "--rules", "dir", "--level", "high", "--rule", "x", "ev.json",
        ])
        .unwrap();
        assert_eq!(a.rules, [OsString::from("a.yml"), OsString::from("dir")]);
        assert_eq!(a.level, Some(Level::High));
        assert_eq!(a.only, ["x"]);
        assert_eq!(a.input.files, [OsString::from("ev.json")]);
        assert!(parsed(&["ev.json"]).unwrap_err().contains("-r/--rules"));
        assert!(parsed(&["-r", "a", "--level", "severe"])
            .unwrap_err()
            .contains("severe"));
        assert!(parsed(&["-r", "a", "--engine", "x"])
            .unwrap_err()
            .contains("oie or classic"));
        assert!(parsed(&["-r", "a", "-k", "w"])
            .unwrap_err()
            .contains("keywords"));
        assert!(parsed(&["-r", "a", "-H", "-c"]).is_err());
    }
}
