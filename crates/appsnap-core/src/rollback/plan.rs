//! The rollback's plan: the group, the instance and its current disks read (nothing
//! written), each bad case refused with its reason, and the plan in plain words.

use std::collections::BTreeMap;

use acs_openapi::actions::ecs_instances::{DescribeDisksRequest, DescribeInstancesRequest};
use acs_openapi::actions::snapshots::DescribeSnapshotGroupsRequest;
use acs_openapi::Client;
use futures::TryStreamExt;

use super::types::{RollbackDisk, RollbackPlan, RollbackRequest};
use crate::error::{AppError, ErrorCode};
use crate::jobs::{disk_consistency, ResultConsistency};

/// The region an instance lives in, by asking each region (when the caller has none).
pub async fn locate(client: &Client, instance_id: &str) -> Result<String, AppError> {
    check_id(instance_id, "i-", "instance")?;
    let home = client
        .region()
        .unwrap_or(crate::inventory::HOME_REGION)
        .to_owned();
    for region in client.describe_regions(&home).await?.regions.region {
        let found = client
            .describe_instances(
                &region.region_id,
                &DescribeInstancesRequest {
                    instance_ids: vec![instance_id.to_owned()],
                    ..DescribeInstancesRequest::default()
                },
            )
            .await?;
        if !found.instances.instance.is_empty() {
            return Ok(region.region_id);
        }
    }
    Err(AppError::new(
        ErrorCode::NotFound,
        format!("no instance {instance_id} in any region"),
    ))
}

/// Reads the group, the instance and its disks; refuses what cannot be restored safely.
pub async fn plan(
    client: &Client,
    region: &str,
    instance_id: &str,
    group_id: &str,
) -> Result<RollbackPlan, AppError> {
    check_id(instance_id, "i-", "instance")?;
    check_id(group_id, "ssg-", "snapshot group")?;
    let group = client
        .describe_snapshot_groups(
            region,
            &DescribeSnapshotGroupsRequest {
                snapshot_group_ids: vec![group_id.to_owned()],
                ..DescribeSnapshotGroupsRequest::default()
            },
        )
        .await?
        .snapshot_groups
        .snapshot_group
        .into_iter()
        .find(|g| g.snapshot_group_id == group_id)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("no snapshot group {group_id} in {region} (deleted, or another region)"),
            )
        })?;
    if group.instance_id != instance_id {
        return Err(AppError::invalid_input(format!(
            "snapshot group {group_id} belongs to instance {}, not {instance_id}; a rollback \
             only restores an instance from its own group",
            group.instance_id
        )));
    }
    if group.status != "accomplished" {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "snapshot group {group_id} is {}, not accomplished; only a complete group \
                 can be restored",
                group.status
            ),
        ));
    }
    if group.snapshots.snapshot.is_empty() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!("snapshot group {group_id} holds no snapshot; nothing to restore"),
        ));
    }
    let instance = client
        .describe_instances(
            region,
            &DescribeInstancesRequest {
                instance_ids: vec![instance_id.to_owned()],
                ..DescribeInstancesRequest::default()
            },
        )
        .await?
        .instances
        .instance
        .into_iter()
        .find(|i| i.instance_id == instance_id)
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::NotFound,
                format!("no instance {instance_id} in {region}"),
            )
        })?;
    let current: BTreeMap<String, acs_openapi::actions::ecs_instances::Disk> = client
        .describe_disks_stream(
            region,
            DescribeDisksRequest {
                instance_id: Some(instance_id.to_owned()),
                ..DescribeDisksRequest::default()
            },
        )
        .try_collect::<Vec<_>>()
        .await?
        .into_iter()
        .map(|d| (d.disk_id.clone(), d))
        .collect();
    let missing: Vec<&str> = group
        .snapshots
        .snapshot
        .iter()
        .filter(|s| !current.contains_key(&s.source_disk_id))
        .map(|s| s.source_disk_id.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "disk {} of snapshot group {group_id} no longer exists on instance \
                 {instance_id} (released or detached); nothing was reset",
                missing.join(", ")
            ),
        ));
    }
    let disks: Vec<RollbackDisk> = group
        .snapshots
        .snapshot
        .iter()
        .map(|s| {
            let d = &current[&s.source_disk_id];
            RollbackDisk {
                disk_id: d.disk_id.clone(),
                disk_name: d.disk_name.clone(),
                disk_type: d.disk_type.clone(),
                size_gib: d.size,
                device: d.device.clone(),
                snapshot_id: s.snapshot_id.clone(),
            }
        })
        .collect();
    let consistency = group
        .snapshots
        .snapshot
        .iter()
        .map(|s| {
            let tags: BTreeMap<String, String> = s
                .tags
                .tag
                .iter()
                .map(|t| (t.key.clone(), t.value.clone()))
                .collect();
            disk_consistency(&tags)
        })
        // The group is only as consistent as its least consistent disk.
        .min_by_key(|c| match c {
            ResultConsistency::Application => 3,
            ResultConsistency::Filesystem => 2,
            ResultConsistency::Crash => 1,
            ResultConsistency::Failed => 0,
        })
        .unwrap_or(ResultConsistency::Crash);
    Ok(RollbackPlan {
        instance_id: instance_id.to_owned(),
        instance_name: instance.instance_name,
        region_id: region.to_owned(),
        needs_stop: instance.status != "Stopped",
        instance_status: instance.status,
        snapshot_group_id: group_id.to_owned(),
        group_name: group.name,
        group_created: group.creation_time,
        consistency,
        disks,
    })
}

/// The plan in plain words, one line each, for the CLI's prompt and the dialog.
pub fn describe(p: &RollbackPlan) -> Vec<String> {
    let consistency = match p.consistency {
        ResultConsistency::Application => "application-consistent",
        ResultConsistency::Filesystem => "file-system-consistent",
        ResultConsistency::Crash | ResultConsistency::Failed => "crash-consistent",
    };
    let name = if p.instance_name.is_empty() {
        String::new()
    } else {
        format!(" ({})", p.instance_name)
    };
    let mut lines = vec![format!(
        "Roll back instance {}{name} in {} to snapshot group {}{}, taken {}, {consistency}.",
        p.instance_id,
        p.region_id,
        p.snapshot_group_id,
        if p.group_name.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", p.group_name)
        },
        p.group_created
    )];
    lines.push(format!(
        "Everything written to these {} disk(s) since then is lost:",
        p.disks.len()
    ));
    for d in &p.disks {
        lines.push(format!(
            "  {} {} ({} disk, {} GiB{}) ← snapshot {}",
            d.disk_id,
            d.disk_name,
            d.disk_type,
            d.size_gib,
            if d.device.is_empty() {
                String::new()
            } else {
                format!(", {}", d.device)
            },
            d.snapshot_id
        ));
    }
    lines.push(if p.needs_stop {
        format!(
            "The instance is {} and will be stopped first.",
            p.instance_status
        )
    } else {
        "The instance is stopped.".to_owned()
    });
    lines
}

/// What the user types to confirm: the instance's name, or its ID when it has none.
pub fn confirmation_word(plan: &RollbackPlan) -> &str {
    if plan.instance_name.trim().is_empty() {
        &plan.instance_id
    } else {
        &plan.instance_name
    }
}

/// A front end's request, checked before any cloud call: the ids well formed, the typed
/// word exactly the instance's, and a running instance only with "stop it" confirmed.
pub fn check_request(req: &RollbackRequest) -> Result<(), AppError> {
    let p = &req.plan;
    check_id(&p.instance_id, "i-", "instance")?;
    check_id(&p.snapshot_group_id, "ssg-", "snapshot group")?;
    if p.disks.is_empty() {
        return Err(AppError::invalid_input(
            "the plan names no disk; read the plan again",
        ));
    }
    let word = confirmation_word(p);
    if req.confirmation.trim() != word {
        return Err(AppError::new(
            ErrorCode::Cancelled,
            format!("the confirmation did not match '{word}'; nothing was changed"),
        ));
    }
    if p.needs_stop && !req.options.stop {
        return Err(AppError::new(
            ErrorCode::Conflict,
            format!(
                "instance {} is {}; a rollback needs it stopped — confirm that AppSnap may \
                 stop it",
                p.instance_id, p.instance_status
            ),
        ));
    }
    Ok(())
}

fn check_id(id: &str, prefix: &str, what: &str) -> Result<(), AppError> {
    let ok = id.len() > prefix.len()
        && id.starts_with(prefix)
        && id[prefix.len()..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "'{id}' is not a {what} id (it starts with {prefix})"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollback::{RollbackOptions, RollbackRequest};

    fn request(name: &str, typed: &str, running: bool, stop: bool) -> RollbackRequest {
        RollbackRequest {
            plan: RollbackPlan {
                instance_id: "i-web1".into(),
                instance_name: name.into(),
                region_id: "cn-hangzhou".into(),
                instance_status: if running { "Running" } else { "Stopped" }.into(),
                snapshot_group_id: "ssg-1".into(),
                group_name: String::new(),
                group_created: "2026-12-02T06:00:00Z".into(),
                consistency: ResultConsistency::Application,
                disks: vec![RollbackDisk {
                    disk_id: "d-1".into(),
                    disk_name: String::new(),
                    disk_type: "system".into(),
                    size_gib: 40,
                    device: "/dev/xvda".into(),
                    snapshot_id: "s-1".into(),
                }],
                needs_stop: running,
            },
            options: RollbackOptions {
                stop,
                start_after: false,
            },
            confirmation: typed.into(),
        }
    }

    #[test]
    fn the_typed_word_is_the_name_or_else_the_id() {
        assert!(check_request(&request("web", "web", false, false)).is_ok());
        assert!(check_request(&request("", "i-web1", false, false)).is_ok());
        for (name, typed) in [("web", "i-web1"), ("web", "Web"), ("", "web"), ("web", "")] {
            let e = check_request(&request(name, typed, false, false)).unwrap_err();
            assert_eq!(e.code, ErrorCode::Cancelled, "{name}/{typed}");
        }
    }

    #[test]
    fn a_running_instance_needs_stop_confirmed_and_ids_are_checked() {
        let e = check_request(&request("web", "web", true, false)).unwrap_err();
        assert_eq!(e.code, ErrorCode::Conflict);
        assert!(check_request(&request("web", "web", true, true)).is_ok());
        let mut bad = request("web", "web", false, false);
        bad.plan.snapshot_group_id = "../x".into();
        assert_eq!(
            check_request(&bad).unwrap_err().code,
            ErrorCode::InvalidInput
        );
        let mut empty = request("web", "web", false, false);
        empty.plan.disks.clear();
        assert_eq!(
            check_request(&empty).unwrap_err().code,
            ErrorCode::InvalidInput
        );
    }
}
