//! `appsnap rollback --instance ID --group ssg-… [--start] [--yes]`: core's rollback.
//! The plan is printed first; without `--yes` the user types the instance id to confirm
//! (which also allows stopping it); with no terminal to ask on, it refuses. The global
//! `--region` names the instance's region, else each region is asked.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use appsnap_core::progress::Reporter;
use appsnap_core::rollback::{
    self, describe, RollbackLog, RollbackOptions, RollbackRecord, RollbackTuning,
};
use appsnap_core::{AppError, ErrorCode};
use clap::Args;

use crate::cloud_cmd::{open_session, print_json, GlobalOptions};
use crate::output::Output;
use crate::report::fail;

#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// The instance whose disks are overwritten.
    #[arg(long = "instance", value_name = "ID")]
    instance: String,
    /// The snapshot group to restore (`ssg-…`), one of this instance's.
    #[arg(long, value_name = "ID")]
    group: String,
    /// Start the instance again after the reset.
    #[arg(long)]
    start: bool,
    /// Do it without asking (stopping the instance if it runs).
    #[arg(long)]
    yes: bool,
}

pub async fn run(args: &RollbackArgs, opts: &GlobalOptions) -> ExitCode {
    match go(args, opts).await {
        Ok(record) => {
            match opts.output {
                Output::Json => {
                    print_json(serde_json::to_value(&record).expect("a rollback record serialises"))
                }
                Output::Table => println!(
                    "rolled back {} to {} ({} disk(s)){}",
                    record.plan.instance_id,
                    record.plan.snapshot_group_id,
                    record.plan.disks.len(),
                    if record.started {
                        "; started again"
                    } else {
                        ""
                    }
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

async fn go(args: &RollbackArgs, opts: &GlobalOptions) -> Result<RollbackRecord, AppError> {
    let session = open_session(opts)?;
    let client = &session.client;
    let region = match &opts.region {
        Some(r) => r.clone(),
        None => rollback::locate(client, &args.instance).await?,
    };
    let plan = rollback::plan(client, &region, &args.instance, &args.group).await?;
    for line in describe(&plan) {
        eprintln!("{line}");
    }
    if !args.yes {
        confirm(&plan.instance_id)?;
    }
    let log = RollbackLog::in_data_dir()?;
    let profile = session
        .settings
        .profile
        .clone()
        .unwrap_or_else(|| "default".into());
    rollback::rollback(
        client,
        &log,
        &profile,
        &plan,
        RollbackOptions {
            stop: true,
            start_after: args.start,
        },
        &RollbackTuning::default(),
        &Reporter::silent(),
    )
    .await
}

/// The user types the instance id; anything else (or no terminal) refuses.
fn confirm(instance_id: &str) -> Result<(), AppError> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(AppError::new(
            ErrorCode::Cancelled,
            "no terminal to confirm the rollback on; nothing was changed — read the plan \
             above and pass --yes to go ahead",
        ));
    }
    eprint!("Type the instance id ({instance_id}) to overwrite these disks: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| AppError::internal(format!("cannot read the answer: {e}")))?;
    if answer.trim() == instance_id {
        Ok(())
    } else {
        Err(AppError::new(
            ErrorCode::Cancelled,
            "the answer did not match the instance id; nothing was changed",
        ))
    }
}
