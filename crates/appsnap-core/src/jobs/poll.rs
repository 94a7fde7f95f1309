//! The calls a run makes, batched: one `DescribeInvocationResults` per region and command
//! covers every invocation in flight (newest first, paged only until all are seen), one
//! `DescribeSnapshotGroups` per 10 groups, one `DescribeSnapshots` per 100 snapshots.
//! Throttling and transient errors are retried by the client; what still fails is
//! returned and the caller polls again later with a longer interval.

use std::collections::{BTreeMap, HashMap, HashSet};

use acs_openapi::actions::cloud_assistant::{
    DescribeInvocationResultsRequest, InvocationResult, InvokeCommandRequest, RunCommandRequest,
    StopInvocationRequest,
};
use acs_openapi::actions::snapshots::{
    DescribeSnapshotGroupsRequest, DescribeSnapshotsRequest, SnapshotGroup,
};
use acs_openapi::{AcsError, Client};
use futures::StreamExt;

use super::discover::plugin_script;
use super::types::{RunRecord, Trigger};
use crate::error::AppError;

/// DescribeSnapshotGroups `SnapshotGroupId.N`: 1–10 (alibaba-api.md §3.15).
pub const GROUP_BATCH: usize = 10;
/// DescribeSnapshots `SnapshotIds`: ≤100 (§3.16).
pub const SNAPSHOT_BATCH: usize = 100;

/// Per-instance statuses that end an invocation (§3.10).
pub fn is_final_invocation(status: &str) -> bool {
    !matches!(
        status,
        "Pending" | "Running" | "Stopping" | "Scheduled" | ""
    )
}

/// Sends the run's invocation with its ClientToken: `(command id, invoke id)`. The
/// cloud's own error is returned so the caller can tell a transient one (sent again
/// later with the same token) from a refusal.
pub async fn invoke(
    client: &Client,
    run: &RunRecord,
    timeout: u32,
) -> Result<(String, String), AcsError> {
    let region = &run.plan.region_id;
    let instances = vec![run.plan.instance_id.clone()];
    match &run.plan.trigger {
        Trigger::PublicCommand {
            command_id, name, ..
        } => {
            let parameters = run
                .plan
                .parameters
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            let r = client
                .invoke_command(
                    region,
                    &InvokeCommandRequest {
                        // Public commands run by name (§3.7).
                        command_id: name.clone(),
                        instance_ids: instances,
                        parameters: Some(parameters),
                        timeout: Some(timeout),
                        client_token: Some(run.client_token.clone()),
                        ..InvokeCommandRequest::default()
                    },
                )
                .await?;
            let id = known(r.invoke_id, "InvokeCommand", "InvokeId", &r.request_id)?;
            Ok((command_id.clone(), id))
        }
        Trigger::Plugin { command_type } => {
            let r = client
                .run_command(
                    region,
                    &RunCommandRequest {
                        command_type: command_type.clone(),
                        command_content: plugin_script(command_type, &run.plan.parameters),
                        instance_ids: instances,
                        name: Some(format!("AppSnap-{}", run.job_id)),
                        timeout: Some(timeout),
                        client_token: Some(run.client_token.clone()),
                        ..RunCommandRequest::default()
                    },
                )
                .await?;
            let id = known(r.invoke_id, "RunCommand", "InvokeId", &r.request_id)?;
            let command = known(r.command_id, "RunCommand", "CommandId", &r.request_id)?;
            Ok((command, id))
        }
    }
}

/// A reply without the id it exists to give cannot be polled: refused as malformed
/// (not transient, so it is not sent again).
fn known(id: String, action: &str, field: &str, request_id: &str) -> Result<String, AcsError> {
    match id.is_empty() {
        false => Ok(id),
        true => Err(AcsError::Unparseable {
            action: action.to_owned(),
            http_status: 200,
            request_id: Some(request_id.to_owned()).filter(|r| !r.is_empty()),
            message: format!("the reply has no {field}"),
        }),
    }
}

/// The results of these invocations of one command (plain-text output), by invoke id.
pub async fn results(
    client: &Client,
    region: &str,
    command_id: &str,
    wanted: &HashSet<String>,
) -> Result<HashMap<String, InvocationResult>, AppError> {
    let req = DescribeInvocationResultsRequest {
        command_id: Some(command_id.to_owned()),
        content_encoding: Some("PlainText".into()),
        max_results: Some(50),
        ..DescribeInvocationResultsRequest::default()
    };
    let mut found = HashMap::new();
    let mut stream = Box::pin(client.describe_invocation_results_stream(region, req));
    while let Some(item) = stream.next().await {
        let r = item?;
        if wanted.contains(&r.invoke_id) {
            found.insert(r.invoke_id.clone(), r);
            if found.len() == wanted.len() {
                break;
            }
        }
    }
    Ok(found)
}

/// Groups by id, 10 a call.
pub async fn groups(
    client: &Client,
    region: &str,
    ids: &[String],
) -> Result<Vec<SnapshotGroup>, AppError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(GROUP_BATCH) {
        let r = client
            .describe_snapshot_groups(
                region,
                &DescribeSnapshotGroupsRequest {
                    snapshot_group_ids: chunk.to_vec(),
                    max_results: Some(100),
                    ..DescribeSnapshotGroupsRequest::default()
                },
            )
            .await?;
        out.extend(r.snapshot_groups.snapshot_group);
    }
    Ok(out)
}

/// The instance's newest group of this name created at or after `since` (ISO time).
pub async fn group_by_name(
    client: &Client,
    region: &str,
    instance_id: &str,
    name: &str,
    since: &str,
) -> Result<Option<SnapshotGroup>, AppError> {
    let r = client
        .describe_snapshot_groups(
            region,
            &DescribeSnapshotGroupsRequest {
                instance_id: Some(instance_id.to_owned()),
                name: Some(name.to_owned()),
                max_results: Some(100),
                ..DescribeSnapshotGroupsRequest::default()
            },
        )
        .await?;
    Ok(r.snapshot_groups
        .snapshot_group
        .into_iter()
        .filter(|g| g.creation_time.as_str() >= since)
        .max_by(|a, b| a.creation_time.cmp(&b.creation_time)))
}

/// Each snapshot's tags as DescribeSnapshots reports them (`TagKey`/`TagValue`).
pub async fn snapshot_tags(
    client: &Client,
    region: &str,
    ids: &[String],
) -> Result<HashMap<String, BTreeMap<String, String>>, AppError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(SNAPSHOT_BATCH) {
        let r = client
            .describe_snapshots(
                region,
                &DescribeSnapshotsRequest {
                    snapshot_ids: chunk.to_vec(),
                    max_results: Some(100),
                    ..DescribeSnapshotsRequest::default()
                },
            )
            .await?;
        for s in r.snapshots.snapshot {
            let tags = s
                .tags
                .tag
                .into_iter()
                .map(|t| (t.tag_key, t.tag_value))
                .collect();
            out.insert(s.snapshot_id, tags);
        }
    }
    Ok(out)
}

/// `StopInvocation` (§3.12) for one instance of an invocation.
pub async fn stop(
    client: &Client,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
) -> Result<(), AppError> {
    client
        .stop_invocation(
            region,
            &StopInvocationRequest {
                invoke_id: invoke_id.to_owned(),
                instance_ids: vec![instance_id.to_owned()],
            },
        )
        .await?;
    Ok(())
}

/// The instance's status in one invocation (`DescribeInvocationResults` by invoke id),
/// `None` while the cloud does not list it.
pub async fn invocation_status(
    client: &Client,
    region: &str,
    invoke_id: &str,
    instance_id: &str,
) -> Result<Option<String>, AppError> {
    let r = client
        .describe_invocation_results(
            region,
            &DescribeInvocationResultsRequest {
                invoke_id: Some(invoke_id.to_owned()),
                instance_id: Some(instance_id.to_owned()),
                ..DescribeInvocationResultsRequest::default()
            },
        )
        .await?;
    Ok(r.invocation
        .invocation_results
        .invocation_result
        .into_iter()
        .find(|x| x.instance_id == instance_id)
        .map(|x| x.invocation_status))
}
