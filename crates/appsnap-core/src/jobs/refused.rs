//! A group the mandate refused: the run required application-consistent and its group
//! came back file-system-consistent, so the run failed with its group left in the cloud.
//! The group is deleted only when the user asks (the results view's button, `appsnap
//! snapshot delete-group`), and only such a group: any other is refused before a call.
//!
//! DeleteSnapshotGroup takes no ClientToken (§3.18) and the client does not retry it. A
//! call whose reply was lost may have deleted the group: asked again, the cloud answers
//! `InvalidSnapshotGroupId.NotFound`, and a look-up that finds no such group records it
//! as deleted.

use acs_openapi::actions::snapshots::DescribeSnapshotGroupsRequest;
use acs_openapi::Client;

use super::history::JobStore;
use super::types::{Finding, FindingSource, ResultConsistency, RunResult, RunStatus};
use crate::error::{AppError, ErrorCode};

/// Whether the run's group is one the mandate refused: failed by the mandate, with a
/// group whose every disk snapshot is file-system-consistent, not deleted yet.
pub fn refused_group(r: &RunResult) -> Option<&str> {
    let by_mandate = r.status == RunStatus::Failed
        && r.consistency == Some(ResultConsistency::Failed)
        && r.explanation
            .iter()
            .any(|f| f.source == FindingSource::Mandate);
    let filesystem = !r.disks.is_empty()
        && r.disks
            .iter()
            .all(|d| d.consistency == ResultConsistency::Filesystem);
    match (
        by_mandate && filesystem && !r.group_deleted,
        &r.snapshot_group_id,
    ) {
        (true, Some(id)) => Some(id),
        _ => None,
    }
}

/// A snapshot group id as the cloud makes them (`ssg-` then letters and digits);
/// anything else is refused before history or the cloud is asked.
pub fn check_group_id(id: &str) -> Result<(), AppError> {
    let ok = id.strip_prefix("ssg-").is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    match ok {
        true => Ok(()),
        false => Err(AppError::invalid_input(format!(
            "'{id}' is not a snapshot group id (ssg- followed by letters and digits)"
        ))),
    }
}

/// Deletes the group `snapshot_group_id` that the mandate refused in some job of history,
/// and records it in that run; the run as it is now. Asking again for a deleted group
/// answers the same run without a call.
pub async fn delete_refused_group(
    client: &Client,
    store: &JobStore,
    snapshot_group_id: &str,
) -> Result<RunResult, AppError> {
    check_group_id(snapshot_group_id)?;
    let mut run = store.run_with_group(snapshot_group_id)?.ok_or_else(|| {
        AppError::new(
            ErrorCode::NotFound,
            format!("no run in history made snapshot group {snapshot_group_id}"),
        )
    })?;
    if run.result.group_deleted {
        return Ok(run.result);
    }
    if refused_group(&run.result).is_none() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "snapshot group {snapshot_group_id} was not refused by the mandate (run of {} in {}): only a file-system-consistent group of a run that required application consistency is deleted here",
                run.result.instance_id, run.job_id
            ),
        ));
    }
    let region = run.result.region_id.clone();
    let removed = match client
        .delete_snapshot_group(&region, snapshot_group_id)
        .await
    {
        Ok(r) => r.operation_progress_set.operation_progress.len(),
        Err(e) => {
            let e = AppError::from(e);
            if e.code != ErrorCode::NotFound || exists(client, &region, snapshot_group_id).await? {
                return Err(e);
            }
            run.result.disks.len()
        }
    };
    run.result.group_deleted = true;
    run.result.explanation.push(Finding {
        source: FindingSource::SnapshotGroup,
        finding: format!(
            "snapshot group {snapshot_group_id} was deleted on request, with its {removed} disk snapshots"
        ),
    });
    store.save_run(&run)?;
    Ok(run.result)
}

async fn exists(client: &Client, region: &str, id: &str) -> Result<bool, AppError> {
    let r = client
        .describe_snapshot_groups(
            region,
            &DescribeSnapshotGroupsRequest {
                snapshot_group_ids: vec![id.to_owned()],
                ..DescribeSnapshotGroupsRequest::default()
            },
        )
        .await?;
    Ok(r.snapshot_groups
        .snapshot_group
        .iter()
        .any(|g| g.snapshot_group_id == id))
}

#[cfg(test)]
mod tests {
    use super::check_group_id;

    #[test]
    fn group_ids_are_checked() {
        assert!(check_group_id("ssg-bp67acfmxazb4p1").is_ok());
        for bad in ["", "ssg-", "s-bp1", "ssg-a b", "ssg-../x", "SSG-abc"] {
            let e = check_group_id(bad).unwrap_err();
            assert_eq!(e.code, crate::ErrorCode::InvalidInput, "{bad}");
        }
    }
}
