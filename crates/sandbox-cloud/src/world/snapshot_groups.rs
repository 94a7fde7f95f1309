//! Creating a snapshot-consistent group and its snapshots (crash-consistent by itself), for
//! CreateSnapshotGroup and the in-guest plugin alike.

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::world::model::snapshot::{
    valid_group_name, GroupRequest, Snapshot, SnapshotGroup, SNAPSHOT_MS,
};
use crate::world::model::status::InstanceStatus;
use crate::world::model::tags::Tags;
use crate::world::World;

/// Create a snapshot-consistent group and its snapshots (crash-consistent by itself).
pub fn create_group(
    world: &mut World,
    account: &str,
    region_id: &str,
    req: &GroupRequest,
    now: SimTime,
) -> ApiResult<String> {
    let limit = world.config.snapshot_group_disk_limit;
    if !req.name.is_empty() && !valid_group_name(&req.name) {
        return Err(ApiError::group_name_invalid());
    }
    if !req.disk_ids.is_empty() && !req.exclude_disk_ids.is_empty() {
        return Err(ApiError::invalid_plain(
            "DiskId.N and ExcludeDiskId.N are mutually exclusive.",
        ));
    }
    let region = world.region_mut(account, region_id)?;
    let disk_ids: Vec<String> = match &req.instance_id {
        Some(iid) => {
            let inst = region
                .instances
                .get(iid)
                .ok_or_else(|| ApiError::instance_not_found(iid))?;
            if !matches!(
                inst.status,
                InstanceStatus::Running | InstanceStatus::Stopped
            ) {
                return Err(ApiError::incorrect_instance_status(400));
            }
            let attached: Vec<String> = region.disks_of(iid).iter().map(|d| d.id.clone()).collect();
            for d in req.disk_ids.iter().chain(req.exclude_disk_ids.iter()) {
                if !attached.contains(d) {
                    return Err(ApiError::disk_not_found(d));
                }
            }
            if req.disk_ids.is_empty() {
                attached
                    .into_iter()
                    .filter(|d| !req.exclude_disk_ids.contains(d))
                    .collect()
            } else {
                req.disk_ids.clone()
            }
        }
        None => {
            if req.disk_ids.is_empty() {
                return Err(ApiError::missing("DiskId.N"));
            }
            req.disk_ids.clone()
        }
    };
    if disk_ids.is_empty() {
        return Err(ApiError::invalid_plain(
            "No disk is left in the snapshot-consistent group after ExcludeDiskId.N.",
        ));
    }
    if disk_ids.len() > limit {
        return Err(ApiError::group_disk_count(limit, disk_ids.len()));
    }
    let mut disks = Vec::new();
    for id in &disk_ids {
        let d = region
            .disks()
            .get(id)
            .ok_or_else(|| ApiError::disk_not_found(id))?;
        if !d.group_eligible() {
            return Err(ApiError::disk_category_unsupported(&d.category, &d.id));
        }
        disks.push(d.clone());
    }
    let instance_id = req
        .instance_id
        .clone()
        .unwrap_or_else(|| disks[0].instance_id.clone().unwrap_or_default());
    let guest_files = region
        .instances
        .get(&instance_id)
        .map(|i| i.guest.files.clone());
    let group_id = world.rng.resource_id("ssg", region_id);
    let mut snapshot_ids = Vec::new();
    for d in &disks {
        let sid = world.rng.resource_id("s", region_id);
        snapshot_ids.push(sid.clone());
        let snap = Snapshot {
            id: sid.clone(),
            name: if req.name.is_empty() {
                String::new()
            } else {
                format!("{}-{}", req.name, d.id)
            },
            description: req.description.clone(),
            disk_id: d.id.clone(),
            disk_size_gib: d.size_gib,
            disk_kind: d.kind.clone(),
            disk_category: d.category.clone(),
            instance_id: instance_id.clone(),
            region_id: region_id.to_string(),
            created_at: now,
            ready_at: now + SNAPSHOT_MS + i64::from(d.size_gib.min(2000)),
            instant_access: req.instant_access
                || d.category.starts_with("cloud_essd")
                || d.category == "cloud_auto",
            instant_access_retention_days: req.instant_access_retention_days,
            retention_days: req.retention_days,
            tags: Tags(req.tags.clone()),
            group_id: Some(group_id.clone()),
            guest_files: (d.kind == "system").then(|| guest_files.clone()).flatten(),
        };
        world
            .region_mut(account, region_id)?
            .snapshots
            .insert(sid, snap);
    }
    let group = SnapshotGroup {
        id: group_id.clone(),
        name: req.name.clone(),
        description: req.description.clone(),
        instance_id,
        created_at: now,
        snapshot_ids,
        tags: Tags(req.tags.clone()),
    };
    world
        .region_mut(account, region_id)?
        .snapshot_groups
        .insert(group_id.clone(), group);
    Ok(group_id)
}
