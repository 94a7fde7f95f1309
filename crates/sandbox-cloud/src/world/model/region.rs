//! Regions: the static table the sandbox knows, and one region's resources for an account.

use std::collections::BTreeMap;

use crate::errors::ApiError;
use crate::world::model::command::Command;
use crate::world::model::disk::Disk;
use crate::world::model::instance::Instance;
use crate::world::model::invocation::Invocation;
use crate::world::model::send_file::SendFileTask;
use crate::world::model::snapshot::{Snapshot, SnapshotGroup};

pub struct RegionInfo {
    pub id: &'static str,
    pub local_name_zh: &'static str,
    pub local_name_en: &'static str,
    pub zones: &'static [&'static str],
}

pub const REGIONS: &[RegionInfo] = &[
    RegionInfo {
        id: "cn-hangzhou",
        local_name_zh: "华东1（杭州）",
        local_name_en: "China (Hangzhou)",
        zones: &["cn-hangzhou-h", "cn-hangzhou-i", "cn-hangzhou-j"],
    },
    RegionInfo {
        id: "cn-shanghai",
        local_name_zh: "华东2（上海）",
        local_name_en: "China (Shanghai)",
        zones: &["cn-shanghai-e", "cn-shanghai-f"],
    },
    RegionInfo {
        id: "cn-beijing",
        local_name_zh: "华北2（北京）",
        local_name_en: "China (Beijing)",
        zones: &["cn-beijing-h", "cn-beijing-i"],
    },
    RegionInfo {
        id: "cn-shenzhen",
        local_name_zh: "华南1（深圳）",
        local_name_en: "China (Shenzhen)",
        zones: &["cn-shenzhen-e", "cn-shenzhen-f"],
    },
    RegionInfo {
        id: "cn-hongkong",
        local_name_zh: "中国香港",
        local_name_en: "China (Hong Kong)",
        zones: &["cn-hongkong-b", "cn-hongkong-c"],
    },
    RegionInfo {
        id: "ap-southeast-1",
        local_name_zh: "新加坡",
        local_name_en: "Singapore",
        zones: &["ap-southeast-1a", "ap-southeast-1c"],
    },
    RegionInfo {
        id: "us-west-1",
        local_name_zh: "美国（硅谷）",
        local_name_en: "US (Silicon Valley)",
        zones: &["us-west-1a", "us-west-1b"],
    },
    RegionInfo {
        id: "eu-central-1",
        local_name_zh: "德国（法兰克福）",
        local_name_en: "Germany (Frankfurt)",
        zones: &["eu-central-1a", "eu-central-1b"],
    },
];

pub fn lookup(region_id: &str) -> Option<&'static RegionInfo> {
    REGIONS.iter().find(|r| r.id == region_id)
}

/// One account's resources in one region.
#[derive(Debug, Clone, Default)]
pub struct Region {
    pub id: String,
    pub instances: BTreeMap<String, Instance>,
    pub disks: BTreeMap<String, Disk>,
    pub snapshots: BTreeMap<String, Snapshot>,
    pub snapshot_groups: BTreeMap<String, SnapshotGroup>,
    pub commands: BTreeMap<String, Command>,
    pub invocations: BTreeMap<String, Invocation>,
    pub send_files: BTreeMap<String, SendFileTask>,
}

impl Region {
    pub fn new(id: &str) -> Self {
        Self {
            id: id.to_string(),
            ..Default::default()
        }
    }

    /// The first id with no instance in this region, as the caller's error.
    pub fn check_instances<'i>(
        &self,
        mut ids: impl Iterator<Item = &'i String>,
        not_found: impl FnOnce(&str) -> ApiError,
    ) -> Result<(), ApiError> {
        match ids.find(|i| !self.instances.contains_key(*i)) {
            Some(missing) => Err(not_found(missing)),
            None => Ok(()),
        }
    }

    /// Disks attached to an instance, system disk first.
    pub fn disks_of(&self, instance_id: &str) -> Vec<&Disk> {
        let mut disks: Vec<&Disk> = self
            .disks
            .values()
            .filter(|d| d.instance_id.as_deref() == Some(instance_id))
            .collect();
        disks.sort_by(|a, b| (a.kind != "system", &a.device).cmp(&(b.kind != "system", &b.device)));
        disks
    }
}
