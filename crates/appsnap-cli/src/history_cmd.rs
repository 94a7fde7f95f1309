//! `appsnap jobs list|show|export|rollbacks|resume`: job history read from appsnap.db (no
//! cloud call, no credentials needed, except `resume`). The global `--region` filters by region
//! here. A corrupt database is moved aside and named on stderr.

use std::process::ExitCode;

use appsnap_core::history::{self, day_start_ms, History, HistoryFilter, HistoryRow, PageRequest};
use appsnap_core::jobs::{JobReport, ResultConsistency, RunStatus};
use appsnap_core::rollback::{RollbackLog, RollbackRecord};
use appsnap_core::AppError;
use clap::{Args, Subcommand, ValueEnum};

use crate::cloud_cmd::{print_json, GlobalOptions};
use crate::output::{table, Output};
use crate::report::fail;

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Instance-runs of every job, newest first, filtered.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// Runs per page (1–1000).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One job with every instance's result.
    Show {
        /// The job id (`job-…`).
        job: String,
    },
    /// The filtered runs as CSV (UTF-8 with BOM) or JSON, with IDs, options, exit codes,
    /// classification, explanation and script hashes; never a secret.
    Export {
        #[arg(long, value_enum)]
        format: FormatArg,
        #[command(flatten)]
        filter: FilterArgs,
        /// Write here instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
    /// Every recorded rollback, newest first: instance, snapshot group, status, what was
    /// stopped and started, the ResetDisks request ID.
    Rollbacks {
        /// Only this instance's.
        #[arg(long = "instance", value_name = "ID")]
        instance: Option<String>,
    },
    /// Finish every job a stopped appsnap left unfinished, from history.
    Resume,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only this instance.
    #[arg(long = "instance", value_name = "ID")]
    instance: Option<String>,
    /// application, filesystem, crash or failed.
    #[arg(long)]
    consistency: Option<String>,
    /// queued, invoking, running, snapshotting, succeeded, failed, cancelled or stuck.
    #[arg(long)]
    status: Option<String>,
    /// Jobs started on or after this day (yyyy-MM-dd, UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Jobs started before this day (yyyy-MM-dd, UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Text anywhere in the run's record (ids, explanation, …).
    #[arg(long)]
    text: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Csv,
    Json,
}

pub async fn run(cmd: JobsCommand, opts: &GlobalOptions) -> ExitCode {
    if let JobsCommand::Resume = cmd {
        return crate::snapshot_cmd::resume(opts).await;
    }
    match local(cmd, opts) {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

fn local(cmd: JobsCommand, opts: &GlobalOptions) -> Result<ExitCode, AppError> {
    let store = History::in_data_dir()?;
    if let Some(aside) = &store.moved_aside {
        eprintln!(
            "appsnap: warning: appsnap.db could not be read and was moved to {}; history \
             starts empty",
            aside.display()
        );
    }
    match cmd {
        JobsCommand::List {
            filter,
            offset,
            limit,
        } => {
            let filter = filter.parse(opts)?;
            let page = store.list(&filter, PageRequest { offset, limit })?;
            match opts.output {
                Output::Json => print_json(to_json(&page)?),
                Output::Table => {
                    println!("{}", render(&page.rows));
                    eprintln!(
                        "appsnap: {} of {} run(s) from {offset}",
                        page.rows.len(),
                        page.total
                    );
                }
            }
        }
        JobsCommand::Show { job } => {
            let detail = store.job(&job)?;
            match opts.output {
                Output::Json => print_json(to_json(&detail)?),
                Output::Table => println!(
                    "{}",
                    crate::snapshot_cmd::render(&JobReport {
                        job_id: detail.job_id,
                        results: detail.results,
                    })
                ),
            }
        }
        JobsCommand::Export {
            format,
            filter,
            out,
        } => {
            let runs = store.export(&filter.parse(opts)?)?;
            let text = match format {
                FormatArg::Csv => history::csv(&runs)?,
                FormatArg::Json => history::json(&runs)?,
            };
            match out {
                Some(path) => {
                    std::fs::write(&path, text).map_err(|e| {
                        AppError::invalid_input(format!("cannot write {}: {e}", path.display()))
                    })?;
                    eprintln!(
                        "appsnap: {} run(s) written to {}",
                        runs.len(),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
        JobsCommand::Rollbacks { instance } => {
            let records = RollbackLog::in_data_dir()?.list(instance.as_deref())?;
            match opts.output {
                Output::Json => print_json(to_json(&records)?),
                Output::Table => {
                    println!("{}", render_rollbacks(&records));
                    eprintln!("appsnap: {} rollback(s)", records.len());
                }
            }
        }
        JobsCommand::Resume => unreachable!("resume needs the cloud; routed in run"),
    }
    Ok(ExitCode::SUCCESS)
}

impl FilterArgs {
    fn parse(&self, opts: &GlobalOptions) -> Result<HistoryFilter, AppError> {
        Ok(HistoryFilter {
            instance_id: self.instance.clone(),
            region_id: opts.region.clone(),
            consistency: self
                .consistency
                .as_deref()
                .map(|c| named::<ResultConsistency>(c, "consistency"))
                .transpose()?,
            status: self
                .status
                .as_deref()
                .map(|s| named::<RunStatus>(s, "status"))
                .transpose()?,
            since_ms: self.since.as_deref().map(day_start_ms).transpose()?,
            until_ms: self.until.as_deref().map(day_start_ms).transpose()?,
            text: self.text.clone(),
        })
    }
}

/// A value by its JSON name (`succeeded`, `application`), as the filters are documented.
fn named<T: serde::de::DeserializeOwned>(s: &str, what: &str) -> Result<T, AppError> {
    serde_json::from_value(serde_json::Value::String(s.to_lowercase()))
        .map_err(|_| AppError::invalid_input(format!("'{s}' is not a {what} (see --help)")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v).map_err(|e| AppError::internal(format!("does not serialise: {e}")))
}

fn wire<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn render(rows: &[HistoryRow]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                history::iso_utc(r.created_ms),
                r.job_id.clone(),
                r.instance_id.clone(),
                r.region_id.clone(),
                wire(&r.status),
                r.consistency.map(|c| wire(&c)).unwrap_or_default(),
                r.exit_code.map(|c| c.to_string()).unwrap_or_default(),
                r.snapshot_group_id.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "STARTED",
            "JOB",
            "INSTANCE",
            "REGION",
            "STATUS",
            "CONSISTENCY",
            "EXIT",
            "GROUP",
        ],
        &cells,
    )
}

fn render_rollbacks(records: &[RollbackRecord]) -> String {
    let cells: Vec<Vec<String>> = records
        .iter()
        .map(|r| {
            let did = [(r.stopped, "stopped"), (r.started, "started")];
            let did: Vec<&str> = did.iter().filter(|(d, _)| *d).map(|(_, w)| *w).collect();
            vec![
                history::iso_utc(r.created_ms),
                r.rollback_id.clone(),
                r.plan.instance_id.clone(),
                r.plan.snapshot_group_id.clone(),
                r.plan.disks.len().to_string(),
                wire(&r.status),
                did.join(","),
                r.request_id.clone().unwrap_or_default(),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "STARTED", "ROLLBACK", "INSTANCE", "GROUP", "DISKS", "STATUS", "DID", "REQUEST",
            "ERROR",
        ],
        &cells,
    )
}
