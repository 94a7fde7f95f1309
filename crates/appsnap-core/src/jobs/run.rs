//! A job from plan to report: history written first, regions driven in parallel (each
//! with its own concurrency limit), continue on error; `retry_failed` re-sends only the
//! runs that did not meet the mandate with a new ClientToken in the same job; `resume`
//! finishes what a crashed process left, from history, sending nothing twice.

use acs_openapi::Client;
use futures::future::try_join_all;

use super::drive::{drive, Ctx};
use super::history::JobStore;
use super::repush::repush;
use super::types::{
    JobEvent, JobPlan, JobReport, JobTuning, Mandate, RunRecord, RunResult, RunStatus,
    SnapshotOptions,
};
use crate::error::AppError;
use crate::progress::Reporter;

/// The plugin's default freeze timeout (GUEST_SCRIPTS.md; HBR's default, §4.3).
const DEFAULT_FREEZE_TIMEOUT: u64 = 30;

/// Records the job and runs it to its end (or until cancelled).
pub async fn run(
    client: &Client,
    store: &JobStore,
    profile: &str,
    job_id: &str,
    plan: &JobPlan,
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<JobReport, AppError> {
    let runs = store.create(job_id, profile, plan)?;
    reporter.emit(JobEvent::JobStarted {
        job_id: job_id.to_owned(),
        instances: runs.len() as u32,
    });
    push_then_drive(
        client,
        store,
        job_id,
        profile,
        &plan.options,
        plan.concurrency,
        runs,
        tuning,
        reporter,
    )
    .await
}

/// Finishes an unfinished job from history: runs in flight are polled, a run whose
/// invocation was being sent is sent again with its recorded token (the cloud answers
/// with the same invocation), queued runs are sent, after their scripts are pushed
/// again when the crash came before that step.
pub async fn resume(
    client: &Client,
    store: &JobStore,
    job_id: &str,
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<JobReport, AppError> {
    let job = store.job(job_id)?.ok_or_else(|| {
        AppError::new(
            crate::ErrorCode::NotFound,
            format!("no job {job_id} in history"),
        )
    })?;
    let runs = store.runs(job_id)?;
    push_then_drive(
        client,
        store,
        job_id,
        &job.profile,
        &job.options,
        job.concurrency,
        runs,
        tuning,
        reporter,
    )
    .await
}

/// Every unfinished job in history, oldest first.
pub async fn resume_all(
    client: &Client,
    store: &JobStore,
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<Vec<JobReport>, AppError> {
    let mut out = Vec::new();
    for id in store.unfinished()? {
        out.push(resume(client, store, &id, tuning, reporter).await?);
    }
    Ok(out)
}

/// Runs again, in the same job, only the instances that did not meet the mandate; each
/// gets a new attempt and a new ClientToken.
pub async fn retry_failed(
    client: &Client,
    store: &JobStore,
    job_id: &str,
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<JobReport, AppError> {
    let job = store.job(job_id)?.ok_or_else(|| {
        AppError::new(
            crate::ErrorCode::NotFound,
            format!("no job {job_id} in history"),
        )
    })?;
    let mut runs = store.runs(job_id)?;
    if runs.iter().any(|r| !r.result.status.is_final()) {
        return Err(AppError::new(
            crate::ErrorCode::Conflict,
            format!("job {job_id} is still running; resume it before retrying"),
        ));
    }
    for r in runs
        .iter_mut()
        .filter(|r| r.result.status != RunStatus::Succeeded)
    {
        r.attempt += 1;
        r.client_token = acs_openapi::actions::new_client_token();
        r.invoked_ms = None;
        r.started_at = None;
        r.error_code = None;
        r.output = None;
        r.scripts_pushed = None;
        r.result = RunResult {
            status: RunStatus::Queued,
            command_id: None,
            invoke_id: None,
            exit_code: None,
            snapshot_group_id: None,
            group_state: None,
            consistency: None,
            disks: Vec::new(),
            explanation: Vec::new(),
            output: None,
            group_deleted: false,
            ..r.result.clone()
        };
        store.save_run(r)?;
    }
    store.set_finished(job_id, false)?;
    push_then_drive(
        client,
        store,
        job_id,
        &job.profile,
        &job.options,
        job.concurrency,
        runs,
        tuning,
        reporter,
    )
    .await
}

/// Pushes the recorded scripts for the queued Linux runs not pushed yet (the first run,
/// a resume after a crash before that step, a retry after a reboot emptied /tmp), then
/// drives every region to its end.
#[allow(clippy::too_many_arguments)]
async fn push_then_drive(
    client: &Client,
    store: &JobStore,
    job_id: &str,
    profile: &str,
    options: &SnapshotOptions,
    concurrency: u32,
    mut runs: Vec<RunRecord>,
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<JobReport, AppError> {
    repush(client, store, profile, options, &mut runs, tuning, reporter).await?;
    let freeze = options
        .freeze_timeout_secs
        .map_or(DEFAULT_FREEZE_TIMEOUT, u64::from);
    drive_all(
        client,
        store,
        job_id,
        runs,
        options.mandate,
        concurrency,
        freeze,
        tuning,
        reporter,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn drive_all(
    client: &Client,
    store: &JobStore,
    job_id: &str,
    runs: Vec<RunRecord>,
    mandate: Mandate,
    concurrency: u32,
    freeze_timeout_secs: u64,
    tuning: &JobTuning,
    reporter: &Reporter<JobEvent>,
) -> Result<JobReport, AppError> {
    let ctx = Ctx {
        client,
        store,
        reporter,
        tuning,
        mandate,
        concurrency: concurrency.max(1) as usize,
        freeze_timeout_secs,
    };
    let mut regions: Vec<(String, Vec<RunRecord>)> = Vec::new();
    for r in runs {
        match regions.iter_mut().find(|(id, _)| *id == r.plan.region_id) {
            Some((_, list)) => list.push(r),
            None => regions.push((r.plan.region_id.clone(), vec![r])),
        }
    }
    try_join_all(regions.into_iter().map(|(_, list)| drive(&ctx, list))).await?;
    let report = store.report(job_id)?;
    let done = report.results.iter().all(|r| r.status.is_final());
    store.set_finished(job_id, done)?;
    if done {
        reporter.emit(JobEvent::JobFinished {
            job_id: job_id.to_owned(),
            all_met: report.all_met(),
        });
    }
    Ok(report)
}
