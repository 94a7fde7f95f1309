//! The rollback's writes: the plan read again and compared with the one confirmed, the
//! instance stopped (only when confirmed), ResetDisks (10 disks a call, the documented
//! limit), optionally started again; recorded before the reset and at its end.

use std::time::Instant;

use acs_openapi::actions::ecs_instances::DescribeInstancesRequest;
use acs_openapi::Client;

use super::plan::plan;
use super::record::RollbackLog;
use super::types::{
    RollbackEvent, RollbackOptions, RollbackPlan, RollbackRecord, RollbackStatus, RollbackTuning,
};
use crate::error::{AppError, ErrorCode};
use crate::fleet::now_ms;
use crate::progress::Reporter;

/// `Disk.N` goes from 1 to 10 in one ResetDisks call (alibaba-api.md §3.18).
const DISKS_PER_CALL: usize = 10;

/// Runs a confirmed plan; refuses when the cloud no longer matches what was confirmed.
/// Cancellation is honoured before the stop and before the reset, never inside one.
pub async fn rollback(
    client: &Client,
    log: &RollbackLog,
    profile: &str,
    confirmed: &RollbackPlan,
    options: RollbackOptions,
    tuning: &RollbackTuning,
    reporter: &Reporter<RollbackEvent>,
) -> Result<RollbackRecord, AppError> {
    let region = confirmed.region_id.as_str();
    let id = confirmed.instance_id.as_str();
    let fresh = plan(client, region, id, &confirmed.snapshot_group_id).await?;
    if fresh.disks != confirmed.disks {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "the disks of {id} or of group {} changed since the plan was shown; \
                 review the new plan",
                confirmed.snapshot_group_id
            ),
        ));
    }
    let mut stopped = false;
    match fresh.instance_status.as_str() {
        "Stopped" => {}
        "Running" | "Stopping" if !options.stop => {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!(
                    "instance {id} is {}; a rollback needs it stopped — stop it, or confirm \
                     that AppSnap may stop it",
                    fresh.instance_status
                ),
            ))
        }
        "Running" => {
            reporter.checkpoint()?;
            reporter.emit(RollbackEvent::Stopping);
            client.stop_instance(region, id, false).await?;
            stopped = true;
            wait_for(client, region, id, "Stopped", tuning).await?;
            reporter.emit(RollbackEvent::Stopped);
        }
        "Stopping" => {
            reporter.emit(RollbackEvent::Stopping);
            wait_for(client, region, id, "Stopped", tuning).await?;
            reporter.emit(RollbackEvent::Stopped);
        }
        other => {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!("instance {id} is {other}; try again once it is Running or Stopped"),
            ))
        }
    }
    let mut record = RollbackRecord {
        rollback_id: format!("rb-{}", &acs_openapi::actions::new_client_token()[..8]),
        created_ms: now_ms(),
        profile: profile.to_owned(),
        plan: fresh,
        options,
        status: RollbackStatus::Resetting,
        stopped,
        started: false,
        request_id: None,
        error: None,
    };
    reporter.checkpoint()?;
    log.save(&record)?;
    match reset_and_start(client, &mut record, tuning, reporter).await {
        Ok(()) => {
            record.status = RollbackStatus::Succeeded;
            log.save(&record)?;
            Ok(record)
        }
        Err(e) => {
            record.status = RollbackStatus::Failed;
            record.error = Some(e.message.clone());
            log.save(&record)?;
            Err(e)
        }
    }
}

async fn reset_and_start(
    client: &Client,
    record: &mut RollbackRecord,
    tuning: &RollbackTuning,
    reporter: &Reporter<RollbackEvent>,
) -> Result<(), AppError> {
    let region = record.plan.region_id.clone();
    let id = record.plan.instance_id.clone();
    let pairs: Vec<(String, String)> = record
        .plan
        .disks
        .iter()
        .map(|d| (d.disk_id.clone(), d.snapshot_id.clone()))
        .collect();
    for chunk in pairs.chunks(DISKS_PER_CALL) {
        reporter.emit(RollbackEvent::Resetting {
            disk_ids: chunk.iter().map(|(d, _)| d.clone()).collect(),
        });
        let reply = client.reset_disks(&region, chunk, false).await?;
        record.request_id = Some(reply.request_id.clone());
        let failed: Vec<String> = reply
            .operation_progress_set
            .operation_progress
            .iter()
            .filter(|p| p.operation_status != "Success")
            .map(|p| {
                let disk = p
                    .related_item_set
                    .related_item
                    .iter()
                    .find(|i| i.name == "DiskId")
                    .map_or("a disk", |i| i.value.as_str());
                format!("{disk}: {} {}", p.error_code, p.error_msg)
            })
            .collect();
        if !failed.is_empty() {
            return Err(AppError::new(
                ErrorCode::Cloud,
                format!("ResetDisks failed for {}", failed.join("; ")),
            )
            .with_request_id(reply.request_id));
        }
    }
    reporter.emit(RollbackEvent::Reset);
    if record.options.start_after {
        reporter.emit(RollbackEvent::Starting);
        client.start_instance(&region, &id).await?;
        wait_for(client, &region, &id, "Running", tuning).await?;
        record.started = true;
        reporter.emit(RollbackEvent::Started);
    }
    Ok(())
}

async fn wait_for(
    client: &Client,
    region: &str,
    id: &str,
    want: &str,
    tuning: &RollbackTuning,
) -> Result<(), AppError> {
    let start = Instant::now();
    loop {
        let status = client
            .describe_instances(
                region,
                &DescribeInstancesRequest {
                    instance_ids: vec![id.to_owned()],
                    ..DescribeInstancesRequest::default()
                },
            )
            .await?
            .instances
            .instance
            .into_iter()
            .next()
            .map(|i| i.status)
            .unwrap_or_default();
        if status == want {
            return Ok(());
        }
        if start.elapsed() >= tuning.wait {
            return Err(AppError::new(
                ErrorCode::Cloud,
                format!(
                    "instance {id} is still {status} after {} s, not {want}; nothing more was done",
                    tuning.wait.as_secs()
                ),
            ));
        }
        tokio::time::sleep(tuning.poll).await;
    }
}
