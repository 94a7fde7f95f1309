//! Disk snapshots and snapshot-consistent groups. Progress is derived from the simulated
//! clock (`progressing` → `accomplished`), so no event is needed to move it.

use serde_json::{json, Value};

use super::regions::Region;
use super::tags::Tags;
use super::World;
use crate::clock::{iso, SimTime};
use crate::errors::{ApiError, ApiResult};

/// Time for a snapshot to reach 100 % and become usable (instant access makes the
/// snapshot `Available` well before that).
pub const SNAPSHOT_MS: SimTime = 2_000;
pub const INSTANT_AVAILABLE_MS: SimTime = 800;

#[derive(Debug, Clone)]
pub struct Snapshot {
    pub id: String,
    pub name: String,
    pub description: String,
    pub disk_id: String,
    pub disk_size_gib: u32,
    pub disk_kind: String,
    pub disk_category: String,
    pub instance_id: String,
    pub region_id: String,
    pub created_at: SimTime,
    pub ready_at: SimTime,
    pub instant_access: bool,
    pub instant_access_retention_days: Option<u32>,
    pub retention_days: Option<u32>,
    pub tags: Tags,
    pub group_id: Option<String>,
}

impl Snapshot {
    pub fn status(&self, now: SimTime) -> &'static str {
        if now >= self.ready_at {
            "accomplished"
        } else {
            "progressing"
        }
    }

    pub fn progress(&self, now: SimTime) -> String {
        let total = (self.ready_at - self.created_at).max(1);
        let done = (now - self.created_at).clamp(0, total);
        format!("{}%", done * 100 / total)
    }

    pub fn available(&self, now: SimTime) -> bool {
        now >= self.ready_at
            || (self.instant_access && now >= self.created_at + INSTANT_AVAILABLE_MS)
    }

    pub fn to_json(&self, now: SimTime) -> Value {
        json!({
            "SnapshotId": self.id,
            "SnapshotName": self.name,
            "Description": self.description,
            "Status": self.status(now),
            "Progress": self.progress(now),
            "RemainTime": ((self.ready_at - now).max(0) + 999) / 1000,
            "CreationTime": iso(self.created_at),
            "LastModifiedTime": iso(self.created_at.max(now.min(self.ready_at))),
            "SourceDiskId": self.disk_id,
            "SourceDiskSize": self.disk_size_gib.to_string(),
            "SourceDiskType": self.disk_kind,
            "SourceStorageType": "disk",
            "SnapshotType": "user",
            "Usage": "none",
            "Encrypted": false,
            "KMSKeyId": "",
            "InstantAccess": self.instant_access,
            "InstantAccessRetentionDays": self.instant_access_retention_days.unwrap_or(0),
            "RetentionDays": self.retention_days.unwrap_or(0),
            "Available": self.available(now),
            "Category": "standard",
            "SnapshotSN": format!("64{}", &self.id[2..].chars().filter(char::is_ascii_digit).collect::<String>()),
            "ProductCode": "",
            "ResourceGroupId": "",
            "RegionId": self.region_id,
            "FullSnapshotSizeInBytes": u64::from(self.disk_size_gib) * 1024 * 1024 * 1024 / 8,
            "Tags": self.tags.to_json(),
        })
    }
}

#[derive(Debug, Clone)]
pub struct SnapshotGroup {
    pub id: String,
    pub name: String,
    pub description: String,
    pub instance_id: String,
    pub created_at: SimTime,
    pub snapshot_ids: Vec<String>,
    pub tags: Tags,
}

impl SnapshotGroup {
    pub fn status(&self, region: &Region, now: SimTime) -> &'static str {
        let all_done = self
            .snapshot_ids
            .iter()
            .filter_map(|s| region.snapshots.get(s))
            .all(|s| s.status(now) == "accomplished");
        if all_done {
            "accomplished"
        } else {
            "progressing"
        }
    }

    pub fn to_json(&self, region: &Region, now: SimTime) -> Value {
        let snapshots: Vec<Value> = self
            .snapshot_ids
            .iter()
            .filter_map(|s| region.snapshots.get(s))
            .map(|s| {
                json!({
                    "SnapshotId": s.id,
                    "SourceDiskId": s.disk_id,
                    "SourceDiskType": s.disk_kind,
                    "Progress": s.progress(now),
                    "InstantAccess": s.instant_access,
                    "InstantAccessRetentionDays": s.instant_access_retention_days.unwrap_or(0),
                    "Available": s.available(now),
                    "Tags": s.tags.to_json_key_value(),
                })
            })
            .collect();
        json!({
            "SnapshotGroupId": self.id,
            "Name": self.name,
            "Description": self.description,
            "InstanceId": self.instance_id,
            "CreationTime": iso(self.created_at),
            "Status": self.status(region, now),
            "ProgressStatus": "",
            "ResourceGroupId": "",
            "Tags": self.tags.to_json_key_value(),
            "Snapshots": { "Snapshot": snapshots },
        })
    }
}

/// What a CreateSnapshotGroup call (or the plugin) asks for.
#[derive(Debug, Clone, Default)]
pub struct GroupRequest {
    pub instance_id: Option<String>,
    pub disk_ids: Vec<String>,
    pub exclude_disk_ids: Vec<String>,
    pub name: String,
    pub description: String,
    pub instant_access: bool,
    pub instant_access_retention_days: Option<u32>,
    pub retention_days: Option<u32>,
    pub tags: Vec<(String, String)>,
}

/// Validate the name rule of reference §3.14 (2–128 chars, starts with a letter, ...).
pub fn valid_group_name(name: &str) -> bool {
    let len = name.chars().count();
    (2..=128).contains(&len)
        && name.chars().next().is_some_and(char::is_alphabetic)
        && !name.starts_with("http://")
        && !name.starts_with("https://")
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ':'))
}

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
            if inst.status != "Running" && inst.status != "Stopped" {
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
            .disks
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_and_availability_follow_the_clock() {
        let s = Snapshot {
            id: "s-1".into(),
            name: String::new(),
            description: String::new(),
            disk_id: "d-1".into(),
            disk_size_gib: 40,
            disk_kind: "system".into(),
            disk_category: "cloud_essd".into(),
            instance_id: "i-1".into(),
            region_id: "cn-hangzhou".into(),
            created_at: 1000,
            ready_at: 3000,
            instant_access: true,
            instant_access_retention_days: Some(1),
            retention_days: None,
            tags: Tags::default(),
            group_id: None,
        };
        assert_eq!(s.status(1000), "progressing");
        assert_eq!(s.progress(2000), "50%");
        assert!(!s.available(1500));
        assert!(s.available(1800));
        assert_eq!(s.status(3000), "accomplished");
        assert_eq!(s.progress(9000), "100%");
    }

    #[test]
    fn group_names_follow_the_documented_rule() {
        assert!(valid_group_name("Created_At_202601011200"));
        assert!(valid_group_name("app:snap-1.2"));
        assert!(!valid_group_name("1abc"));
        assert!(!valid_group_name("a"));
        assert!(!valid_group_name("has space"));
    }
}
