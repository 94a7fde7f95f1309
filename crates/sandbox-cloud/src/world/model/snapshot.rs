//! Disk snapshots and snapshot-consistent groups. Progress is derived from the simulated
//! clock (`progressing` → `accomplished`), so no event is needed to move it.

use serde_json::{json, Value};

use std::collections::BTreeMap;

use crate::clock::{iso, SimTime};
use crate::world::model::guest::GuestFile;
use crate::world::model::status::SnapshotStatus;
use crate::world::model::tags::Tags;

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
    /// The guest's files when the snapshot was taken, on system-disk snapshots only (the
    /// sandbox keeps every guest file on the system disk); ResetDisk(s) restores them.
    pub guest_files: Option<BTreeMap<String, GuestFile>>,
}

impl Snapshot {
    pub fn status(&self, now: SimTime) -> SnapshotStatus {
        if now >= self.ready_at {
            SnapshotStatus::Accomplished
        } else {
            SnapshotStatus::Progressing
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
    /// `snapshots`: the region's snapshots, where the group's members are.
    pub fn status(&self, snapshots: &BTreeMap<String, Snapshot>, now: SimTime) -> SnapshotStatus {
        let all_done = self
            .snapshot_ids
            .iter()
            .filter_map(|s| snapshots.get(s))
            .all(|s| s.status(now) == SnapshotStatus::Accomplished);
        if all_done {
            SnapshotStatus::Accomplished
        } else {
            SnapshotStatus::Progressing
        }
    }

    pub fn to_json(&self, snapshots: &BTreeMap<String, Snapshot>, now: SimTime) -> Value {
        let members: Vec<Value> = self
            .snapshot_ids
            .iter()
            .filter_map(|s| snapshots.get(s))
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
            "Status": self.status(snapshots, now),
            "ProgressStatus": "",
            "ResourceGroupId": "",
            "Tags": self.tags.to_json_key_value(),
            "Snapshots": { "Snapshot": members },
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
            guest_files: None,
        };
        assert_eq!(s.status(1000).as_str(), "progressing");
        assert_eq!(s.progress(2000), "50%");
        assert!(!s.available(1500));
        assert!(s.available(1800));
        assert_eq!(s.status(3000).as_str(), "accomplished");
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
