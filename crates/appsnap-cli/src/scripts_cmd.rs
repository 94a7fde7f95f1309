//! `appsnap scripts list|show|validate|push|test`: the freeze/thaw template library, local
//! validation of script files, and on instances a push (SendFile, read back, recorded in
//! appsnap.db) or a test run (freeze then thaw without a snapshot). Exit 0 only when
//! every file is sendable / every instance verified / every test passed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use appsnap_core::fleet::{now_ms, FleetStore};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::ram::InstanceRef;
use appsnap_core::scripts::{
    prepare, push, render, templates, test_run, validate_script, PushReport, ScriptsEvent,
    ScriptsTuning, Severity, TestRun, TestVerdict, DEFAULT_FREEZE_TIMEOUT_SECONDS,
};
use appsnap_core::AppError;
use clap::{Args, Subcommand};
use serde_json::json;

use crate::cloud_cmd::{open_session, print_json, GlobalOptions};
use crate::output::{table, Output};
use crate::ram_cmd::instance_ref;
use crate::report::{fail, usage};

#[derive(Debug, Subcommand)]
pub enum ScriptsCommand {
    /// The templates: what each holds and for how long.
    List,
    /// A template rendered exactly as it would be pushed.
    Show {
        name: String,
        /// A template parameter, `K=V`; repeat for several.
        #[arg(long = "param", value_name = "K=V")]
        params: Vec<String>,
    },
    /// Checks script files as a push would (size, UTF-8, shebang, LF, NUL, placeholders).
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Sends a freeze/thaw pair to instances (root, 0700) and reads it back.
    Push(PushArgs),
    /// Runs the freeze then the thaw script on instances, without a snapshot.
    Test {
        /// `ID` (in --region) or `REGION:ID`; repeat for several.
        #[arg(long = "instance", value_name = "[REGION:]ID", required = true)]
        instances: Vec<String>,
        /// The freeze timeout each script is held to, in seconds.
        #[arg(long, default_value_t = DEFAULT_FREEZE_TIMEOUT_SECONDS)]
        timeout: u32,
    },
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// A template of `scripts list`.
    #[arg(long, conflicts_with_all = ["freeze", "thaw"], required_unless_present_all = ["freeze", "thaw"])]
    template: Option<String>,
    /// A template parameter, `K=V`; repeat for several.
    #[arg(long = "param", value_name = "K=V", requires = "template")]
    params: Vec<String>,
    /// Your own freeze script (with --thaw).
    #[arg(long, requires = "thaw")]
    freeze: Option<PathBuf>,
    /// Your own thaw script (with --freeze).
    #[arg(long, requires = "freeze")]
    thaw: Option<PathBuf>,
    /// `ID` (in --region) or `REGION:ID`; repeat for several.
    #[arg(long = "instance", value_name = "[REGION:]ID", required = true)]
    instances: Vec<String>,
    /// The freeze timeout the template's watchdog is bounded by, in seconds.
    #[arg(long, default_value_t = DEFAULT_FREEZE_TIMEOUT_SECONDS)]
    timeout: u32,
}

pub async fn run(cmd: ScriptsCommand, opts: &GlobalOptions) -> ExitCode {
    match cmd {
        ScriptsCommand::List => list(opts.output),
        ScriptsCommand::Show { name, params } => show(&name, &params, opts.output),
        ScriptsCommand::Validate { files } => validate(&files, opts.output),
        ScriptsCommand::Push(args) => push_cmd(&args, opts).await,
        ScriptsCommand::Test { instances, timeout } => test_cmd(&instances, timeout, opts).await,
    }
}

fn list(output: Output) -> ExitCode {
    let all = templates();
    match output {
        Output::Json => print_json(serde_json::to_value(&all).unwrap_or_default()),
        Output::Table => {
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|t| vec![t.name.clone(), t.title.clone(), t.holds_for.clone()])
                .collect();
            println!("{}", table(&["NAME", "TITLE", "HOLDS FOR"], &rows));
        }
    }
    ExitCode::SUCCESS
}

fn show(name: &str, params: &[String], output: Output) -> ExitCode {
    let params = match parse_params(params) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let r = match render(name, &params, DEFAULT_FREEZE_TIMEOUT_SECONDS) {
        Ok(r) => r,
        Err(e) => return usage(&e),
    };
    for w in &r.warnings {
        eprintln!("appsnap: warning: {}", w.message);
    }
    match output {
        Output::Json => print_json(json!({
            "name": r.name, "freeze": r.freeze, "thaw": r.thaw, "params": r.params,
        })),
        Output::Table => {
            println!("# --- freeze script ({}) ---\n{}", SCRIPT_PATH[0], r.freeze);
            println!("# --- thaw script ({}) ---\n{}", SCRIPT_PATH[1], r.thaw);
        }
    }
    ExitCode::SUCCESS
}

const SCRIPT_PATH: [&str; 2] = appsnap_core::fleet::SCRIPT_PATHS;

fn validate(files: &[PathBuf], output: Output) -> ExitCode {
    let mut all_ok = true;
    let mut results = Vec::new();
    for f in files {
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                return usage(&AppError::invalid_input(format!(
                    "{} cannot be read: {e}",
                    f.display()
                )))
            }
        };
        let v = validate_script(&bytes);
        all_ok &= v.sendable;
        results.push((f.display().to_string(), v));
    }
    match output {
        Output::Json => print_json(json!(results
            .iter()
            .map(|(file, v)| json!({"file": file, "sendable": v.sendable, "problems": v.problems}))
            .collect::<Vec<_>>())),
        Output::Table => {
            for (file, v) in &results {
                println!("{file}: {}", if v.sendable { "ok" } else { "refused" });
                for p in &v.problems {
                    let sev = match p.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    let line = p.line.map_or(String::new(), |l| format!(" line {l}"));
                    println!("  {sev} {}{line}: {}", p.code.name(), p.message);
                }
            }
        }
    }
    if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

async fn push_cmd(args: &PushArgs, opts: &GlobalOptions) -> ExitCode {
    // Everything is checked before the session opens: a refused pair sends nothing.
    let (source, freeze, thaw) = match pair(args) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let scripts = match prepare(&freeze, &thaw) {
        Ok(s) => s,
        Err(e) => return usage(&e),
    };
    for w in scripts.warnings() {
        eprintln!("appsnap: warning: {}", w.message);
    }
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let targets = match targets(&args.instances, session.settings.region.as_deref()) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let report = match push(
        &session.client,
        &targets,
        &scripts,
        &source,
        &ScriptsTuning::default(),
        &progress(),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    record(&session.settings.profile, &report);
    match opts.output {
        Output::Json => print_json(serde_json::to_value(&report).unwrap_or_default()),
        Output::Table => println!("{}", push_table(&report)),
    }
    if report.instances.iter().all(|i| i.verified) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// (source, freeze bytes, thaw bytes) from a template or two files.
fn pair(args: &PushArgs) -> Result<(String, Vec<u8>, Vec<u8>), AppError> {
    if let Some(name) = &args.template {
        let r = render(name, &parse_params(&args.params)?, args.timeout)?;
        return Ok((r.name, r.freeze.into_bytes(), r.thaw.into_bytes()));
    }
    let read = |p: &Option<PathBuf>| -> Result<Vec<u8>, AppError> {
        let p = p
            .as_ref()
            .ok_or_else(|| AppError::invalid_input("give --template, or --freeze and --thaw"))?;
        std::fs::read(p)
            .map_err(|e| AppError::invalid_input(format!("{} cannot be read: {e}", p.display())))
    };
    Ok(("custom".to_owned(), read(&args.freeze)?, read(&args.thaw)?))
}

/// Keeps what was pushed for the drift check; a store that cannot be used is a warning.
fn record(profile: &Option<String>, report: &PushReport) {
    let name = profile.as_deref().unwrap_or("default");
    let saved = FleetStore::in_data_dir().and_then(|mut s| s.record_push(name, report, now_ms()));
    if let Err(e) = saved {
        eprintln!("appsnap: warning: the push was not recorded: {}", e.message);
    }
}

/// Keeps the verdicts for the picker's prediction (a failing freeze script means
/// file-system consistency only); a store that cannot be used is a warning.
fn record_tests(profile: &Option<String>, runs: &[TestRun]) {
    let name = profile.as_deref().unwrap_or("default");
    let saved =
        FleetStore::in_data_dir().and_then(|mut s| s.record_test_runs(name, runs, now_ms()));
    if let Err(e) = saved {
        eprintln!(
            "appsnap: warning: the test run was not recorded: {}",
            e.message
        );
    }
}

fn push_table(report: &PushReport) -> String {
    let mut rows = Vec::new();
    for i in &report.instances {
        for f in &i.files {
            let result = if !f.written {
                format!(
                    "not written: {} {}",
                    f.send_status,
                    [f.error_code.as_deref(), f.error_info.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": ")
                )
            } else if let Some(why) = &i.verify_error {
                format!("unverified: {why}")
            } else if f.mismatches.is_empty() && i.verified {
                "verified".to_owned()
            } else {
                let m: Vec<&str> = f.mismatches.iter().map(|m| m.name()).collect();
                format!("mismatch: {}", m.join(", "))
            };
            rows.push(vec![
                i.instance_id.clone(),
                f.path.clone(),
                f.sha256.clone(),
                result.trim_end().to_owned(),
            ]);
        }
    }
    table(&["INSTANCE", "PATH", "SHA256", "RESULT"], &rows)
}

async fn test_cmd(instances: &[String], timeout: u32, opts: &GlobalOptions) -> ExitCode {
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let targets = match targets(instances, session.settings.region.as_deref()) {
        Ok(t) => t,
        Err(e) => return usage(&e),
    };
    let runs = match test_run(
        &session.client,
        &targets,
        timeout,
        &ScriptsTuning::default(),
        &progress(),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    record_tests(&session.settings.profile, &runs);
    match opts.output {
        Output::Json => print_json(serde_json::to_value(&runs).unwrap_or_default()),
        Output::Table => println!("{}", test_table(&runs)),
    }
    if runs.iter().all(|r| r.verdict == TestVerdict::Passed) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn test_table(runs: &[TestRun]) -> String {
    let mut out = Vec::new();
    for r in runs {
        out.push(format!(
            "{} ({}): {}",
            r.instance_id,
            r.region_id,
            r.verdict.name()
        ));
        if let Some(why) = &r.error {
            out.push(format!("  {why}"));
        }
        for (label, s) in [("freeze", &r.freeze), ("thaw", &r.thaw)] {
            if let Some(s) = s {
                out.push(format!(
                    "  {label} {}: exit {}, {} ms{}",
                    s.path,
                    s.exit_code,
                    s.duration_ms,
                    if s.timed_out { ", timed out" } else { "" }
                ));
                for l in s.output.lines() {
                    out.push(format!("    | {l}"));
                }
            }
        }
        if let Some(w) = r.freeze_window_ms {
            out.push(format!(
                "  freeze window {w} ms (+{} ms for the snapshot) of {} s",
                r.snapshot_allowance_ms, r.timeout_seconds
            ));
        }
    }
    out.join("\n")
}

fn targets(specs: &[String], region: Option<&str>) -> Result<Vec<InstanceRef>, AppError> {
    specs.iter().map(|s| instance_ref(s, region)).collect()
}

fn parse_params(list: &[String]) -> Result<BTreeMap<String, String>, AppError> {
    let mut out = BTreeMap::new();
    for p in list {
        let (k, v) = p.split_once('=').ok_or_else(|| {
            AppError::invalid_input(format!("--param {p}: write it as NAME=VALUE"))
        })?;
        if out.insert(k.to_owned(), v.to_owned()).is_some() {
            return Err(AppError::invalid_input(format!("--param {k} given twice")));
        }
    }
    Ok(out)
}

/// Per-instance progress on stderr.
fn progress() -> Reporter<ScriptsEvent> {
    Reporter::new(
        |e: ScriptsEvent| match e {
            ScriptsEvent::FileDone {
                instance_id,
                role,
                status,
            } => eprintln!(
                "{instance_id}: {} script {status}",
                role.name().to_lowercase()
            ),
            ScriptsEvent::Verified {
                instance_id,
                verified,
            } => eprintln!(
                "{instance_id}: {}",
                if verified { "verified" } else { "not verified" }
            ),
            _ => {}
        },
        CancellationToken::new(),
    )
}
