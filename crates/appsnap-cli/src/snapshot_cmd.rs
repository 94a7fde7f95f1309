//! `appsnap snapshot create|retry|delete-group` and `appsnap jobs resume` (history_cmd.rs routes it): core's jobs engine, the
//! instances found by an inventory of every region (an unknown id is refused before any
//! snapshot call), history in appsnap.db, one line per state change on stderr, the
//! result on stdout. Exit 0 when every instance met the mandate, 4 when some did not,
//! 1 on error.

use std::process::ExitCode;

use appsnap_core::fleet::{inventory, Assessed, InventoryOptions};
use appsnap_core::jobs::{self, JobEvent, JobReport, JobStore, Mandate, SnapshotOptions};
use appsnap_core::progress::{CancellationToken, Reporter};
use appsnap_core::settings::{AppSettings, SettingsStore};
use appsnap_core::AppError;
use clap::{Args, Subcommand, ValueEnum};

use crate::cloud_cmd::{open_session, print_json, GlobalOptions};
use crate::output::{table, Output};
use crate::report::fail;

/// Some instance did not meet the mandate.
const EXIT_MANDATE: u8 = 4;

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Create an application-consistent snapshot group on each instance.
    Create(CreateArgs),
    /// Run again, in the same job, only the instances that did not meet the mandate.
    Retry {
        /// The job id `create` printed.
        job: String,
    },
    /// Delete a snapshot group the mandate refused (it came back file-system-consistent
    /// from a run that required application consistency); any other group is refused.
    DeleteGroup {
        /// The group's id (`ssg-…`), as the result names it.
        #[arg(long = "group", value_name = "ssg-ID")]
        group: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MandateArg {
    Require,
    Allow,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// An instance id; repeat for several.
    #[arg(long = "instance", value_name = "ID", required = true, action = clap::ArgAction::Append)]
    pub instances: Vec<String>,
    /// Snapshot group name [default: AppSnap-<job id>].
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub description: Option<String>,
    #[arg(long, value_name = "N")]
    pub retention_days: Option<u32>,
    #[arg(long)]
    pub instant_access: bool,
    #[arg(long, value_name = "N", requires = "instant_access")]
    pub instant_access_days: Option<u32>,
    /// Windows: VSS without application writers (file-system-consistent at most).
    #[arg(long)]
    pub no_writers: bool,
    /// Linux: no file-system freeze and thaw.
    #[arg(long)]
    pub no_fs_freeze: bool,
    /// Freeze timeout in seconds [default: the command's, 30].
    #[arg(long, value_name = "S")]
    pub timeout: Option<u32>,
    /// A disk to leave out; repeat for several.
    #[arg(long = "exclude-disk", value_name = "ID", action = clap::ArgAction::Append)]
    pub exclude_disks: Vec<String>,
    #[arg(long, value_enum, default_value = "allow")]
    pub mandate: MandateArg,
    /// Invocations in flight per region [default: settings.json's, 10].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<u32>,
    /// Wait for every instance's final result (the run always finishes in this process).
    #[arg(long)]
    pub wait: bool,
}

pub async fn snapshot(cmd: SnapshotCommand, opts: &GlobalOptions) -> ExitCode {
    match cmd {
        SnapshotCommand::Create(args) => create(&args, opts).await,
        SnapshotCommand::Retry { job } => {
            with_store(opts, |client, store, reporter| async move {
                let tuning = settings()?.tuning();
                jobs::retry_failed(&client, &store, &job, &tuning, &reporter)
                    .await
                    .map(|r| vec![r])
            })
            .await
        }
        SnapshotCommand::DeleteGroup { group } => delete_group(&group, opts).await,
    }
}

/// Deletes a refused group and prints the run as history now holds it.
async fn delete_group(group: &str, opts: &GlobalOptions) -> ExitCode {
    if let Err(e) = jobs::check_group_id(group) {
        return fail(&e);
    }
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let store = match JobStore::in_data_dir() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    match jobs::delete_refused_group(&session.client, &store, group).await {
        Ok(run) => {
            match opts.output {
                Output::Json => print_json(serde_json::to_value(&run).expect("a run serialises")),
                Output::Table => println!(
                    "snapshot group {group} of {} ({}) deleted",
                    run.instance_id, run.region_id
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

/// `appsnap jobs resume`: every unfinished job finished from history.
pub async fn resume(opts: &GlobalOptions) -> ExitCode {
    with_store(opts, |client, store, reporter| async move {
        let tuning = settings()?.tuning();
        jobs::resume_all(&client, &store, &tuning, &reporter).await
    })
    .await
}

async fn create(args: &CreateArgs, opts: &GlobalOptions) -> ExitCode {
    let options = SnapshotOptions {
        name: args.name.clone(),
        description: args.description.clone(),
        retention_days: args.retention_days,
        instant_access: args.instant_access.then_some(true),
        instant_access_days: args.instant_access_days,
        include_writers: !args.no_writers,
        fs_freeze: !args.no_fs_freeze,
        freeze_timeout_secs: args.timeout,
        exclude_disk_ids: args.exclude_disks.clone(),
        mandate: match args.mandate {
            MandateArg::Require => Mandate::Require,
            MandateArg::Allow => Mandate::Allow,
        },
    };
    // Options first: bad input is refused before any call.
    if let Err(e) = jobs::validate(&options) {
        return fail(&e);
    }
    let settings = match settings() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let store = match JobStore::in_data_dir() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let chosen = match find(&session.client, &args.instances).await {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let job_id = jobs::new_job_id();
    let mut plan = match jobs::plan(
        &session.client,
        &job_id,
        &chosen,
        &options,
        args.concurrency.unwrap_or(settings.concurrency),
        &settings.command_pattern,
    )
    .await
    {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let profile = session
        .settings
        .profile
        .clone()
        .unwrap_or_else(|| "default".into());
    if let Err(e) = jobs::note_scripts(&store, &profile, &mut plan) {
        return fail(&e);
    }
    if plan.experimental {
        eprintln!("appsnap: warning: no public app-consistent command found in some region; using the in-guest plugin (experimental)");
    }
    for r in &plan.runs {
        for w in &r.warnings {
            eprintln!("appsnap: warning: {}: {w}", r.instance_id);
        }
    }
    eprintln!("appsnap: job {job_id}");
    let report = jobs::run(
        &session.client,
        &store,
        &profile,
        &job_id,
        &plan,
        &settings.tuning(),
        &progress(),
    )
    .await;
    finish(opts.output, report.map(|r| vec![r]))
}

/// The job defaults the desktop's Settings saved (flags win); an unreadable file is an error.
fn settings() -> Result<AppSettings, AppError> {
    SettingsStore::in_config_dir()?.load()
}

/// The instances by id from an inventory of every region; unknown ids are an error.
async fn find(client: &acs_openapi::Client, ids: &[String]) -> Result<Vec<Assessed>, AppError> {
    let inv = inventory(client, &InventoryOptions::default(), &Reporter::silent()).await?;
    let mut unknown = Vec::new();
    let mut out = Vec::new();
    for id in ids {
        match inv.instances.iter().find(|a| &a.instance.instance_id == id) {
            Some(a) => out.push(a.clone()),
            None => unknown.push(id.clone()),
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::invalid_input(format!(
            "no such instance in any region: {}",
            unknown.join(", ")
        )));
    }
    Ok(out)
}

async fn with_store<F, Fut>(opts: &GlobalOptions, work: F) -> ExitCode
where
    F: FnOnce(acs_openapi::Client, JobStore, Reporter<JobEvent>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<JobReport>, AppError>>,
{
    let session = match open_session(opts) {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let store = match JobStore::in_data_dir() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    finish(opts.output, work(session.client, store, progress()).await)
}

fn progress() -> Reporter<JobEvent> {
    Reporter::new(
        |e: JobEvent| {
            if let JobEvent::ScriptsPushed {
                instance_id,
                detail,
                ..
            } = &e
            {
                eprintln!("appsnap: {instance_id}: {detail}");
            }
            if let JobEvent::RunChanged {
                instance_id,
                status,
                invoke_id,
                ..
            } = &e
            {
                eprintln!(
                    "appsnap: {instance_id}: {}{}",
                    status.name(),
                    invoke_id
                        .as_deref()
                        .map(|i| format!(" ({i})"))
                        .unwrap_or_default()
                );
            }
        },
        CancellationToken::new(),
    )
}

fn finish(output: Output, reports: Result<Vec<JobReport>, AppError>) -> ExitCode {
    let reports = match reports {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    for report in &reports {
        match output {
            Output::Json => print_json(serde_json::to_value(report).expect("a report serialises")),
            Output::Table => println!("{}", render(report)),
        }
    }
    match reports.iter().all(JobReport::all_met) {
        true => ExitCode::SUCCESS,
        false => ExitCode::from(EXIT_MANDATE),
    }
}

/// An enum's name as the JSON output spells it.
fn json_name(v: impl serde::Serialize) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) fn render(r: &JobReport) -> String {
    let rows: Vec<Vec<String>> = r
        .results
        .iter()
        .map(|x| {
            vec![
                x.instance_id.clone(),
                x.region_id.clone(),
                x.status.name().to_owned(),
                x.consistency.map(json_name).unwrap_or_default(),
                // "available": usable now, the copy still running (rollback waits for it).
                match (&x.snapshot_group_id, x.group_state) {
                    (Some(id), Some(state)) => format!("{id} ({})", json_name(state)),
                    (id, _) => id.clone().unwrap_or_default(),
                },
                x.explanation
                    .iter()
                    .map(|f| f.finding.clone())
                    .collect::<Vec<_>>()
                    .join(" | "),
            ]
        })
        .collect();
    format!(
        "job {}\n{}",
        r.job_id,
        table(
            &[
                "INSTANCE",
                "REGION",
                "STATUS",
                "CONSISTENCY",
                "GROUP",
                "WHY"
            ],
            &rows
        )
    )
}

#[cfg(test)]
mod tests {
    use appsnap_core::jobs::{GroupState, JobReport, ResultConsistency, RunResult, RunStatus};

    #[test]
    fn the_table_says_whether_the_group_is_still_being_copied() {
        let done = RunResult {
            instance_id: "i-1".into(),
            region_id: "cn-hangzhou".into(),
            command_id: Some("c-1".into()),
            invoke_id: Some("t-1".into()),
            exit_code: Some(0),
            snapshot_group_id: Some("ssg-1".into()),
            group_state: Some(GroupState::Available),
            consistency: Some(ResultConsistency::Application),
            disks: Vec::new(),
            explanation: Vec::new(),
            status: RunStatus::Succeeded,
            output: None,
            group_deleted: false,
        };
        let none = RunResult {
            instance_id: "i-2".into(),
            snapshot_group_id: None,
            group_state: None,
            consistency: None,
            status: RunStatus::Failed,
            ..done.clone()
        };
        let text = super::render(&JobReport {
            job_id: "job-1".into(),
            results: vec![done, none],
        });
        let rows: Vec<&str> = text.lines().collect();
        let row = |id: &str| *rows.iter().find(|l| l.starts_with(id)).unwrap();
        assert!(row("i-1").contains("ssg-1 (available)"), "{text}");
        assert!(row("i-1").contains("application"), "{text}");
        assert!(!row("i-2").contains("ssg-"), "{text}");
    }
}
