//! Cloud disks and which categories a snapshot-consistent group accepts (reference §3.3).

use serde_json::{json, Value};

use crate::clock::{iso, SimTime};
use crate::world::model::status::DiskStatus;
use crate::world::model::tags::Tags;

/// ESSD family: the only categories allowed in a snapshot-consistent group.
pub const GROUP_CATEGORIES: &[&str] = &["cloud_essd", "cloud_auto", "cloud_essd_entry"];

#[derive(Debug, Clone)]
pub struct Disk {
    pub id: String,
    pub name: String,
    pub category: String,
    pub performance_level: String,
    pub size_gib: u32,
    /// `system` | `data`.
    pub kind: String,
    pub status: DiskStatus,
    pub instance_id: Option<String>,
    pub device: String,
    pub zone_id: String,
    pub region_id: String,
    pub creation_time: SimTime,
    pub multi_attach: String,
    pub tags: Tags,
    /// Snapshot the disk was last reset from (ResetDisk/ResetDisks).
    pub reset_from: Option<String>,
}

impl Disk {
    pub fn group_eligible(&self) -> bool {
        GROUP_CATEGORIES.contains(&self.category.as_str()) && self.multi_attach != "Enabled"
    }

    pub fn to_json(&self) -> Value {
        let attachments: Vec<Value> = self
            .instance_id
            .iter()
            .map(|i| json!({"InstanceId": i, "Device": self.device, "AttachedTime": iso(self.creation_time)}))
            .collect();
        json!({
            "DiskId": self.id,
            "DiskName": self.name,
            "Description": "",
            "Category": self.category,
            "PerformanceLevel": self.performance_level,
            "Size": self.size_gib,
            "Type": self.kind,
            "Status": self.status,
            "InstanceId": self.instance_id.clone().unwrap_or_default(),
            "Device": self.device,
            "ZoneId": self.zone_id,
            "RegionId": self.region_id,
            "Encrypted": false,
            "Portable": self.kind == "data",
            "MultiAttach": self.multi_attach,
            "DeleteWithInstance": self.kind == "system",
            "EnableAutoSnapshot": true,
            "BurstingEnabled": self.category == "cloud_auto",
            "IOPS": 1800 + 50 * self.size_gib,
            "CreationTime": iso(self.creation_time),
            "AttachedTime": iso(self.creation_time),
            "ResourceGroupId": "",
            "Attachments": { "Attachment": attachments },
            "Tags": self.tags.to_json(),
        })
    }
}
