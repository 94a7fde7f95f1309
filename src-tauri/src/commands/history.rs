//! The History screen: filtered pages of every instance-run, an export written to a file,
//! and rollback from a run's snapshot group (its plan read first; the run a task whose
//! steps are events). History is read from `appsnap.db`; no cloud call but the rollback's.

use appsnap_core::fleet::now_ms;
use appsnap_core::history::{
    export_to_file, exports_dir, ExportFile, ExportFormat, History, HistoryFilter, HistoryPage,
    PageRequest,
};
use appsnap_core::progress::Reporter;
use appsnap_core::rollback::{
    self, RollbackEvent, RollbackLog, RollbackPlan, RollbackRecord, RollbackRequest, RollbackTuning,
};
use appsnap_core::AppError;

use crate::cloud;
use crate::state::AppState;

/// Longer search text than this is refused rather than sent to SQLite.
const MAX_TEXT: usize = 200;

pub async fn history_list(
    _state: &AppState,
    filter: HistoryFilter,
    page: PageRequest,
) -> Result<HistoryPage, AppError> {
    check_filter(&filter)?;
    blocking(move || History::in_data_dir()?.list(&filter, page)).await
}

/// Writes the filtered runs as CSV (UTF-8 with BOM) or JSON into Downloads (else the data
/// folder's `exports/`); answers the file's path and how many runs it holds.
pub async fn history_export(
    _state: &AppState,
    filter: HistoryFilter,
    format: ExportFormat,
) -> Result<ExportFile, AppError> {
    check_filter(&filter)?;
    blocking(move || {
        let history = History::in_data_dir()?;
        export_to_file(&history, &filter, format, &exports_dir()?, now_ms())
    })
    .await
}

/// What a rollback of the instance to the group would overwrite; reads only, and refuses
/// another instance's group, a group not accomplished and disks that no longer exist.
pub async fn rollback_plan(
    state: &AppState,
    instance_id: String,
    region_id: String,
    group_id: String,
) -> Result<RollbackPlan, AppError> {
    check_region(&region_id)?;
    let session = cloud::session(state).await?;
    rollback::plan(&session.client, &region_id, &instance_id, &group_id).await
}

/// Every recorded rollback, newest first (History lists them beside the runs).
pub async fn rollback_list(_state: &AppState) -> Result<Vec<RollbackRecord>, AppError> {
    blocking(|| RollbackLog::in_data_dir()?.list(None)).await
}

/// Runs the plan the user confirmed (typed word, stop and start choices checked first).
pub async fn rollback_run(
    state: &AppState,
    reporter: Reporter<RollbackEvent>,
    request: RollbackRequest,
) -> Result<RollbackRecord, AppError> {
    rollback::check_request(&request)?;
    check_region(&request.plan.region_id)?;
    let session = cloud::session(state).await?;
    let log = RollbackLog::in_data_dir()?;
    rollback::rollback(
        &session.client,
        &log,
        &state.current_profile.name(),
        &request.plan,
        request.options,
        &RollbackTuning::default(),
        &reporter,
    )
    .await
}

fn check_filter(f: &HistoryFilter) -> Result<(), AppError> {
    if f.text
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TEXT)
    {
        return Err(AppError::invalid_input(format!(
            "the search text is longer than {MAX_TEXT} characters"
        )));
    }
    if let Some(r) = f.region_id.as_deref().filter(|r| !r.trim().is_empty()) {
        check_region(r)?;
    }
    Ok(())
}

/// A region id as the cloud spells them (`cn-hangzhou`, `ap-southeast-1`).
fn check_region(id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "'{id}' is not a region id (like cn-hangzhou)"
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
    use super::*;
    use appsnap_core::ErrorCode;

    #[test]
    fn filters_and_regions_are_checked() {
        assert!(check_region("cn-hangzhou").is_ok());
        for bad in ["", "CN", "cn_hangzhou", "../x"] {
            assert_eq!(
                check_region(bad).unwrap_err().code,
                ErrorCode::InvalidInput,
                "{bad}"
            );
        }
        let long = HistoryFilter {
            text: Some("x".repeat(MAX_TEXT + 1)),
            ..HistoryFilter::default()
        };
        assert_eq!(
            check_filter(&long).unwrap_err().code,
            ErrorCode::InvalidInput
        );
        let blank_region = HistoryFilter {
            region_id: Some(" ".into()),
            ..HistoryFilter::default()
        };
        assert!(check_filter(&blank_region).is_ok());
    }
}
