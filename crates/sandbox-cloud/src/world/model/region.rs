//! One region's resources for an account (the table of known regions is `region_table`).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::errors::ApiError;
use crate::world::model::command::Command;
use crate::world::model::disk::Disk;
use crate::world::model::instance::Instance;
use crate::world::model::invocation::Invocation;
pub use crate::world::model::region_table::{lookup, RegionInfo, CLASSIC_REGIONS, REGIONS};
use crate::world::model::send_file::SendFileTask;
use crate::world::model::snapshot::{Snapshot, SnapshotGroup};

/// One account's resources in one region.
#[derive(Debug, Clone, Default)]
pub struct Region {
    pub id: String,
    /// Shared like the disks (a page is serialised after the lock); change one through
    /// `instance_mut`.
    pub instances: BTreeMap<String, Arc<Instance>>,
    /// Shared, so a page of them can be serialised after the world's lock (see
    /// `api::splice`); change one through `disk_mut`.
    pub disks: BTreeMap<String, Arc<Disk>>,
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

    /// The instance to change (a copy of it first while a page being written holds it).
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        self.instances.get_mut(id).map(Arc::make_mut)
    }

    /// The disk to change, as `instance_mut`.
    pub fn disk_mut(&mut self, id: &str) -> Option<&mut Disk> {
        self.disks.get_mut(id).map(Arc::make_mut)
    }

    /// Disks attached to an instance, system disk first.
    pub fn disks_of(&self, instance_id: &str) -> Vec<&Disk> {
        let mut disks: Vec<&Disk> = self
            .disks
            .values()
            .filter(|d| d.instance_id.as_deref() == Some(instance_id))
            .map(|d| &**d)
            .collect();
        disks.sort_by(|a, b| (a.kind != "system", &a.device).cmp(&(b.kind != "system", &b.device)));
        disks
    }
}
