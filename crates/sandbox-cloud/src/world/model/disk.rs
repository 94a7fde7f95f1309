//! Cloud disks and which categories a snapshot-consistent group accepts (reference §3.3).

use serde::Serialize;

use crate::clock::{SimTime, Stamp};
use crate::world::model::status::DiskStatus;
use crate::world::model::tags::{TagSet, Tags};

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

    /// What DescribeDisks answers for this disk, serialised without a `Value` in between
    /// (a scale region's pages of 500 disks through `Value` were most of the sandbox's CPU).
    pub fn view(&self) -> DiskView<'_> {
        let attached = Stamp::seconds(self.creation_time);
        DiskView {
            attachments: Attachments {
                attachment: self.instance_id.as_deref().map(|instance_id| Attachment {
                    attached_time: attached,
                    device: &self.device,
                    instance_id,
                }),
            },
            bursting_enabled: self.category == "cloud_auto",
            category: &self.category,
            creation_time: attached,
            delete_with_instance: self.kind == "system",
            description: "",
            device: &self.device,
            disk_id: &self.id,
            disk_name: &self.name,
            enable_auto_snapshot: true,
            encrypted: false,
            iops: 1800 + 50 * self.size_gib,
            instance_id: self.instance_id.as_deref().unwrap_or_default(),
            multi_attach: &self.multi_attach,
            performance_level: &self.performance_level,
            portable: self.kind == "data",
            region_id: &self.region_id,
            resource_group_id: "",
            size: self.size_gib,
            status: self.status,
            tags: self.tags.view(),
            kind: &self.kind,
            zone_id: &self.zone_id,
            attached_time: attached,
        }
    }
}

/// DescribeDisks' item. Fields in key order, as a `Value` map writes them: the bytes on the
/// wire stay what they were (a test holds it).
#[derive(Serialize)]
pub struct DiskView<'a> {
    #[serde(rename = "AttachedTime")]
    attached_time: Stamp,
    #[serde(rename = "Attachments")]
    attachments: Attachments<'a>,
    #[serde(rename = "BurstingEnabled")]
    bursting_enabled: bool,
    #[serde(rename = "Category")]
    category: &'a str,
    #[serde(rename = "CreationTime")]
    creation_time: Stamp,
    #[serde(rename = "DeleteWithInstance")]
    delete_with_instance: bool,
    #[serde(rename = "Description")]
    description: &'a str,
    #[serde(rename = "Device")]
    device: &'a str,
    #[serde(rename = "DiskId")]
    disk_id: &'a str,
    #[serde(rename = "DiskName")]
    disk_name: &'a str,
    #[serde(rename = "EnableAutoSnapshot")]
    enable_auto_snapshot: bool,
    #[serde(rename = "Encrypted")]
    encrypted: bool,
    #[serde(rename = "IOPS")]
    iops: u32,
    #[serde(rename = "InstanceId")]
    instance_id: &'a str,
    #[serde(rename = "MultiAttach")]
    multi_attach: &'a str,
    #[serde(rename = "PerformanceLevel")]
    performance_level: &'a str,
    #[serde(rename = "Portable")]
    portable: bool,
    #[serde(rename = "RegionId")]
    region_id: &'a str,
    #[serde(rename = "ResourceGroupId")]
    resource_group_id: &'a str,
    #[serde(rename = "Size")]
    size: u32,
    #[serde(rename = "Status")]
    status: DiskStatus,
    #[serde(rename = "Tags")]
    tags: TagSet<'a>,
    #[serde(rename = "Type")]
    kind: &'a str,
    #[serde(rename = "ZoneId")]
    zone_id: &'a str,
}

#[derive(Serialize)]
struct Attachments<'a> {
    /// One attachment or none; serialised as a list.
    #[serde(rename = "Attachment", serialize_with = "as_list")]
    attachment: Option<Attachment<'a>>,
}

#[derive(Serialize)]
struct Attachment<'a> {
    #[serde(rename = "AttachedTime")]
    attached_time: Stamp,
    #[serde(rename = "Device")]
    device: &'a str,
    #[serde(rename = "InstanceId")]
    instance_id: &'a str,
}

fn as_list<S: serde::Serializer, T: Serialize>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter())
}
