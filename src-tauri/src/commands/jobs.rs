//! Snapshot jobs: the dialog's plan (pre-flight per instance, nothing sent but reads), the
//! run and "retry failed" as tasks streaming `JobEvent`s, and a job's stored report (the
//! results view after a reload or a restart). Instances come from the stored inventory,
//! as the picker assessed them; options are checked here before core sends anything.
//! The command name pattern and polling come from Settings (read on each job); the
//! dialog passes the concurrency Settings gave it.

use appsnap_core::fleet::Assessed;
use appsnap_core::jobs::{
    self, JobEvent, JobPlan, JobReport, JobStore, RunResult, SnapshotOptions,
};
use appsnap_core::progress::Reporter;
use appsnap_core::settings::AppSettings;
use appsnap_core::{AppError, ErrorCode};

use crate::cloud;
use crate::state::AppState;

/// Checks options and instances and discovers the trigger per region: what each instance
/// will get and why. The group name shown for a default name is a preview's.
pub async fn snapshot_plan(
    state: &AppState,
    options: SnapshotOptions,
    instance_ids: Vec<String>,
    concurrency: u32,
) -> Result<JobPlan, AppError> {
    jobs::validate(&options)?;
    let settings = settings(state).await?;
    let chosen = chosen(state, &instance_ids).await?;
    let session = cloud::session(state).await?;
    let job_id = jobs::new_job_id();
    let mut plan = jobs::plan(
        &session.client,
        &job_id,
        &chosen,
        &options,
        concurrency,
        &settings.command_pattern,
    )
    .await?;
    let store = JobStore::in_data_dir()?;
    jobs::note_scripts(&store, &state.current_profile.name(), &mut plan)?;
    Ok(plan)
}

/// Plans again (the cloud may have changed since the dialog opened) and runs the job; the
/// first event, `jobStarted`, carries the new job's id.
pub async fn snapshot_run(
    state: &AppState,
    reporter: Reporter<JobEvent>,
    options: SnapshotOptions,
    instance_ids: Vec<String>,
    concurrency: u32,
) -> Result<JobReport, AppError> {
    jobs::validate(&options)?;
    let settings = settings(state).await?;
    let chosen = chosen(state, &instance_ids).await?;
    let session = cloud::session(state).await?;
    let job_id = jobs::new_job_id();
    let mut plan = jobs::plan(
        &session.client,
        &job_id,
        &chosen,
        &options,
        concurrency,
        &settings.command_pattern,
    )
    .await?;
    let store = JobStore::in_data_dir()?;
    let profile = state.current_profile.name();
    jobs::note_scripts(&store, &profile, &mut plan)?;
    jobs::run(
        &session.client,
        &store,
        &profile,
        &job_id,
        &plan,
        &settings.tuning(),
        &reporter,
    )
    .await
}

/// Runs again, in the same job, the instances that did not meet the mandate.
pub async fn snapshot_retry(
    state: &AppState,
    reporter: Reporter<JobEvent>,
    job_id: String,
) -> Result<JobReport, AppError> {
    check_job_id(&job_id)?;
    let settings = settings(state).await?;
    let session = cloud::session(state).await?;
    let store = JobStore::in_data_dir()?;
    jobs::retry_failed(
        &session.client,
        &store,
        &job_id,
        &settings.tuning(),
        &reporter,
    )
    .await
}

/// The job as history holds it now (live while it runs: history is written as it happens).
pub async fn job_report(_state: &AppState, job_id: String) -> Result<JobReport, AppError> {
    check_job_id(&job_id)?;
    blocking(move || {
        let store = JobStore::in_data_dir()?;
        if store.job(&job_id)?.is_none() {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("no job {job_id} in history"),
            ));
        }
        store.report(&job_id)
    })
    .await
}

/// The saved settings; an unreadable file refuses the job (its error says how to fix it).
async fn settings(state: &AppState) -> Result<AppSettings, AppError> {
    let store = state.settings.clone();
    blocking(move || store.load()).await
}

/// Deletes a snapshot group the mandate refused (the results view's button, confirmed
/// there); the run as history now holds it. Any other group is refused by core.
pub async fn snapshot_delete_group(
    state: &AppState,
    snapshot_group_id: String,
) -> Result<RunResult, AppError> {
    jobs::check_group_id(&snapshot_group_id)?;
    let session = cloud::session(state).await?;
    let store = JobStore::in_data_dir()?;
    jobs::delete_refused_group(&session.client, &store, &snapshot_group_id).await
}

/// The instances by id from the picker's stored inventory; unknown ids are refused.
async fn chosen(state: &AppState, ids: &[String]) -> Result<Vec<Assessed>, AppError> {
    if ids.is_empty() {
        return Err(AppError::invalid_input("no instance was chosen"));
    }
    let stored = super::fleet_cached(state).await?.ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            "there is no inventory of this profile yet; refresh the instances first",
        )
    })?;
    let mut unknown = Vec::new();
    let mut out = Vec::new();
    for id in ids {
        match stored
            .inventory
            .instances
            .iter()
            .find(|a| &a.instance.instance_id == id)
        {
            Some(a) => out.push(a.clone()),
            None => unknown.push(id.as_str()),
        }
    }
    if !unknown.is_empty() {
        return Err(AppError::invalid_input(format!(
            "not in the stored inventory: {}",
            unknown.join(", ")
        )));
    }
    Ok(out)
}

/// A job id as `new_job_id` makes them: `job-` and 12 hex digits.
fn check_job_id(id: &str) -> Result<(), AppError> {
    let ok = id
        .strip_prefix("job-")
        .is_some_and(|h| h.len() == 12 && h.bytes().all(|b| b.is_ascii_hexdigit()));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "'{id}' is not a job id (job- and 12 hex digits)"
        )))
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("the store's work stopped: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::check_job_id;

    #[test]
    fn job_ids_are_checked() {
        assert!(check_job_id("job-0123456789ab").is_ok());
        for bad in [
            "",
            "job-",
            "job-0123456789a",
            "job-0123456789abz",
            "../etc",
            "JOB-0123456789ab",
        ] {
            let e = check_job_id(bad).unwrap_err();
            assert_eq!(e.code, appsnap_core::ErrorCode::InvalidInput, "{bad}");
        }
    }
}
