//! ECS snapshots, snapshot-consistent groups, tags and rollback (reference §3.14–3.18).

use serde_json::{json, Value};

use super::paging::{limits, page};
use super::{merge, Call};
use crate::errors::{ApiError, ApiResult};
use crate::world::model::region::Region;
use crate::world::model::snapshot::{GroupRequest, Snapshot};
use crate::world::model::status::{DiskStatus, InstanceStatus, SnapshotStatus};
use crate::world::model::tags::Tags;
use crate::world::snapshot_groups;

fn u32_param(c: &Call, name: &str, range: std::ops::RangeInclusive<u64>) -> ApiResult<Option<u32>> {
    match c.p.u64(name)? {
        None => Ok(None),
        Some(v) if range.contains(&v) => Ok(Some(v as u32)),
        Some(v) => Err(ApiError::invalid(
            name,
            format!("{v} is out of range {}-{}", range.start(), range.end()),
        )),
    }
}

fn check_tags(tags: &[(String, String)]) -> ApiResult<()> {
    if tags.len() > 20 {
        return Err(ApiError::tag_quota_exceeded());
    }
    for (i, (k, v)) in tags.iter().enumerate() {
        let lower = k.to_ascii_lowercase();
        if k.is_empty() || k.len() > 128 || lower.starts_with("aliyun") || lower.starts_with("acs:")
        {
            return Err(ApiError::tag_key_malformed(k));
        }
        if v.len() > 128 {
            return Err(ApiError::tag_value_malformed(k));
        }
        if tags[..i].iter().any(|(o, _)| o == k) {
            return Err(ApiError::tag_key_duplicate(k));
        }
    }
    Ok(())
}

pub fn create_snapshot_group(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let tags = c.p.tags("Tag");
    check_tags(&tags)?;
    let description = c.p.string("Description");
    if !description.is_empty() && !(2..=256).contains(&description.chars().count()) {
        return Err(ApiError::group_description_malformed());
    }
    let req = GroupRequest {
        instance_id: c.p.get("InstanceId").map(String::from),
        disk_ids: c.p.list("DiskId"),
        exclude_disk_ids: c.p.list("ExcludeDiskId"),
        name: c.p.string("Name"),
        description,
        instant_access: c.p.bool("InstantAccess", false)?,
        instant_access_retention_days: u32_param(c, "InstantAccessRetentionDays", 1..=65535)?,
        retention_days: None,
        tags,
    };
    let id = snapshot_groups::create_group(c.world, &c.account, &region, &req, c.now)?;
    Ok(json!({ "SnapshotGroupId": id }))
}

pub fn describe_snapshot_groups(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.list("SnapshotGroupId");
    if ids.len() > 10 {
        return Err(ApiError::invalid("SnapshotGroupId", "at most 10 ids"));
    }
    let statuses = c.p.list("Status");
    let wanted: Vec<SnapshotStatus> = statuses
        .iter()
        .map(|s| SnapshotStatus::parse(s).ok_or_else(|| ApiError::group_status_unsupported(s)))
        .collect::<ApiResult<_>>()?;
    let instance = c.p.get("InstanceId").map(String::from);
    let name = c.p.get("Name").map(String::from);
    let tags = c.p.tags("Tag");
    let now = c.now;
    let reg = c.world.region_mut(&c.account, &region)?;
    let mut groups: Vec<_> = reg
        .snapshot_groups
        .values()
        .filter(|g| ids.is_empty() || ids.contains(&g.id))
        .filter(|g| instance.as_ref().is_none_or(|i| &g.instance_id == i))
        .filter(|g| name.as_ref().is_none_or(|n| &g.name == n))
        .filter(|g| wanted.is_empty() || wanted.contains(&g.status(&reg.snapshots, now)))
        .filter(|g| g.tags.matches(&tags))
        .collect();
    groups.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    let items: Vec<Value> = groups
        .into_iter()
        .map(|g| g.to_json(&reg.snapshots, now))
        .collect();
    let (items, fields) = page(items, &c.p, limits(10, 100, 100), true)?;
    Ok(merge(
        super::list_body("SnapshotGroups", "SnapshotGroup", items),
        fields,
    ))
}

fn progress(items: Vec<Vec<(&str, String)>>, status: &str) -> Value {
    let list: Vec<Value> = items
        .into_iter()
        .map(|related| {
            json!({
                "OperationStatus": status,
                "ErrorCode": "",
                "ErrorMsg": "",
                "RelatedItemSet": { "RelatedItem": related.into_iter().map(|(n, v)| json!({"Name": n, "Value": v})).collect::<Vec<_>>() },
            })
        })
        .collect();
    super::list_body("OperationProgressSet", "OperationProgress", list)
}

pub fn delete_snapshot_group(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let id = c.p.req("SnapshotGroupId")?.to_string();
    let reg = c.world.region_mut(&c.account, &region)?;
    let group = reg
        .snapshot_groups
        .remove(&id)
        .ok_or_else(|| ApiError::snapshot_group_not_found(&id))?;
    for s in &group.snapshot_ids {
        reg.snapshots.remove(s);
    }
    Ok(progress(
        group
            .snapshot_ids
            .iter()
            .map(|s| vec![("SnapshotId", s.clone())])
            .collect(),
        "Success",
    ))
}

pub fn describe_snapshots(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let ids = c.p.json_list("SnapshotIds")?;
    let f = |k: &str| c.p.get(k).map(String::from);
    let (instance, disk, name, disk_type) = (
        f("InstanceId"),
        f("DiskId"),
        f("SnapshotName"),
        f("SourceDiskType").map(|s| s.to_ascii_lowercase()),
    );
    let status = f("Status").filter(|s| s != "all");
    let tags = c.p.tags("Tag");
    let now = c.now;
    let reg = c.world.region_mut(&c.account, &region)?;
    let mut snaps: Vec<&Snapshot> = reg
        .snapshots
        .values()
        .filter(|s| ids.is_empty() || ids.contains(&s.id))
        .filter(|s| instance.as_ref().is_none_or(|i| &s.instance_id == i))
        .filter(|s| disk.as_ref().is_none_or(|d| &s.disk_id == d))
        .filter(|s| name.as_ref().is_none_or(|n| &s.name == n))
        .filter(|s| disk_type.as_ref().is_none_or(|t| &s.disk_kind == t))
        .filter(|s| {
            status
                .as_ref()
                .is_none_or(|st| s.status(now).as_str() == st)
        })
        .filter(|s| s.tags.matches(&tags))
        .collect();
    snaps.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    let (items, fields) = page(snaps, &c.p, limits(10, 100, 100), false)?;
    let items: Vec<Value> = items.into_iter().map(|s| s.to_json(now)).collect();
    Ok(merge(
        super::list_body("Snapshots", "Snapshot", items),
        fields,
    ))
}

fn tags_of<'r>(reg: &'r mut Region, kind: &str, id: &str) -> ApiResult<Option<&'r mut Tags>> {
    Ok(match kind {
        "instance" => reg.instance_mut(id).map(|x| &mut x.tags),
        "disk" => reg.disk_mut(id).map(|x| &mut x.tags),
        "snapshot" => reg.snapshots.get_mut(id).map(|x| &mut x.tags),
        "command" => reg.commands.get_mut(id).map(|x| &mut x.tags),
        "invocation" => reg.invocations.get_mut(id).map(|x| &mut x.tags),
        other => return Err(ApiError::invalid("ResourceType", format!("'{other}' is not supported by the sandbox (instance, disk, snapshot, command, invocation)"))),
    })
}

/// Every id must name a resource of that type (TagResources, UntagResources).
fn check_resources(reg: &mut Region, kind: &str, ids: &[String]) -> ApiResult<()> {
    if ids.is_empty() {
        return Err(ApiError::missing("ResourceId.N"));
    }
    for id in ids {
        if tags_of(reg, kind, id)?.is_none() {
            return Err(ApiError::resource_not_found(id));
        }
    }
    Ok(())
}

fn resource_ids(c: &Call) -> ApiResult<Vec<String>> {
    let ids = c.p.list("ResourceId");
    if ids.len() > 50 {
        return Err(ApiError::invalid("ResourceId", "at most 50 ids"));
    }
    Ok(ids)
}

pub fn tag_resources(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let kind = c.p.req("ResourceType")?.to_ascii_lowercase();
    let ids = resource_ids(c)?;
    let tags = c.p.tags("Tag");
    if tags.is_empty() {
        return Err(ApiError::missing("Tag.N.Key"));
    }
    check_tags(&tags)?;
    let reg = c.world.region_mut(&c.account, &region)?;
    check_resources(reg, &kind, &ids)?;
    for id in &ids {
        if let Some(t) = tags_of(reg, &kind, id)? {
            for (k, v) in &tags {
                t.set(k, v);
            }
        }
    }
    Ok(json!({}))
}

pub fn untag_resources(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let kind = c.p.req("ResourceType")?.to_ascii_lowercase();
    let ids = resource_ids(c)?;
    let keys = c.p.list("TagKey");
    let all = c.p.bool("All", false)?;
    // Nothing to remove is a mistake, not a silent success (sandbox-chosen code: the
    // reference documents `MissingParameter` generally, not for this call).
    if keys.is_empty() && !all {
        return Err(ApiError::missing("TagKey.N"));
    }
    let reg = c.world.region_mut(&c.account, &region)?;
    check_resources(reg, &kind, &ids)?;
    for id in &ids {
        if let Some(t) = tags_of(reg, &kind, id)? {
            if all {
                t.0.clear();
            }
            for k in &keys {
                t.remove(k);
            }
        }
    }
    Ok(json!({}))
}

pub fn list_tag_resources(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let kind = c.p.req("ResourceType")?.to_ascii_lowercase();
    let ids = resource_ids(c)?;
    let filters = c.p.tags("Tag");
    if c.p
        .objects("Tag")
        .iter()
        .any(|o| !o.contains_key("Key") && o.contains_key("Value"))
    {
        return Err(ApiError::tag_value_without_key());
    }
    let reg = c.world.region_mut(&c.account, &region)?;
    let candidates: Vec<String> = if ids.is_empty() {
        match kind.as_str() {
            "instance" => reg.instances.keys().cloned().collect(),
            "disk" => reg.disks().keys().cloned().collect(),
            "snapshot" => reg.snapshots.keys().cloned().collect(),
            "command" => reg.commands.keys().cloned().collect(),
            "invocation" => reg.invocations.keys().cloned().collect(),
            _ => Vec::new(),
        }
    } else {
        ids
    };
    let mut rows = Vec::new();
    for id in &candidates {
        let Some(t) = tags_of(reg, &kind, id)? else {
            continue;
        };
        if !t.matches(&filters) {
            continue;
        }
        for (k, v) in &t.0 {
            rows.push(json!({"ResourceId": id, "ResourceType": kind, "TagKey": k, "TagValue": v}));
        }
    }
    let (rows, fields) = page(rows, &c.p, limits(50, 50, 50), true)?;
    Ok(merge(
        super::list_body("TagResources", "TagResource", rows),
        fields,
    ))
}

/// Reset one disk from a snapshot; the instance must be Stopped (reference §3.18).
fn reset_one(
    c: &mut Call,
    region: &str,
    disk_id: &str,
    snapshot_id: &str,
    dry_run: bool,
) -> ApiResult<()> {
    let now = c.now;
    let reg = c.world.region_mut(&c.account, region)?;
    let disk = reg
        .disks()
        .get(disk_id)
        .ok_or_else(|| ApiError::disk_not_found(disk_id))?;
    let snap = reg
        .snapshots
        .get(snapshot_id)
        .ok_or_else(|| ApiError::snapshot_not_found(snapshot_id))?;
    if snap.disk_id != disk.id {
        return Err(ApiError::snapshot_disk_mismatch());
    }
    if snap.status(now) != SnapshotStatus::Accomplished {
        return Err(ApiError::snapshot_not_ready());
    }
    if disk.status != DiskStatus::InUse {
        return Err(ApiError::incorrect_disk_status());
    }
    let instance_id = disk.instance_id.clone().unwrap_or_default();
    let inst = reg
        .instances
        .get(&instance_id)
        .ok_or_else(|| ApiError::instance_not_found(&instance_id))?;
    if inst.status != InstanceStatus::Stopped {
        return Err(ApiError::incorrect_instance_status(403));
    }
    if dry_run {
        return Err(ApiError::dry_run_passed());
    }
    // The guest's files go back to the snapshot's state (system disk only, see Snapshot).
    if let Some(files) = snap.guest_files.clone() {
        if let Some(inst) = reg.instance_mut(&instance_id) {
            inst.guest.files = files;
        }
    }
    if let Some(d) = reg.disk_mut(disk_id) {
        d.reset_from = Some(snapshot_id.to_string());
    }
    Ok(())
}

pub fn reset_disk(c: &mut Call) -> ApiResult<Value> {
    let disk = c.p.req("DiskId")?.to_string();
    let snap = c.p.req("SnapshotId")?.to_string();
    let dry = c.p.bool("DryRun", false)?;
    let region = match c.p.get("RegionId") {
        Some(r) => r.to_string(),
        None => c
            .world
            .account(&c.account)?
            .regions
            .values()
            .find(|r| r.disks().contains_key(&disk))
            .map(|r| r.id.clone())
            .ok_or_else(|| ApiError::disk_not_found(&disk))?,
    };
    reset_one(c, &region, &disk, &snap, dry)?;
    Ok(json!({}))
}

pub fn reset_disks(c: &mut Call) -> ApiResult<Value> {
    let region = c.p.region()?.to_string();
    let dry = c.p.bool("DryRun", false)?;
    let pairs: Vec<(String, String)> =
        c.p.objects("Disk")
            .into_iter()
            .map(|o| {
                (
                    o.get("DiskId").cloned().unwrap_or_default(),
                    o.get("SnapshotId").cloned().unwrap_or_default(),
                )
            })
            .collect();
    if pairs.is_empty() {
        return Err(ApiError::missing("Disk.N.DiskId"));
    }
    if pairs.len() > 10 {
        return Err(ApiError::invalid("Disk", "at most 10 disks"));
    }
    // Validate all first so a failing disk leaves the others untouched.
    for (d, s) in &pairs {
        reset_one(c, &region, d, s, true).or_else(|e| {
            if e == ApiError::dry_run_passed() {
                Ok(())
            } else {
                Err(e)
            }
        })?;
    }
    if dry {
        return Err(ApiError::dry_run_passed());
    }
    for (d, s) in &pairs {
        reset_one(c, &region, d, s, false)?;
    }
    Ok(progress(
        pairs
            .into_iter()
            .map(|(d, s)| vec![("DiskId", d), ("SnapshotId", s)])
            .collect(),
        "Success",
    ))
}
