//! One region's resources for an account (the table of known regions is `region_table`).

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

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
    /// `api::splice`); changed only through `insert_disk`, `disk_mut`, `remove_disk`,
    /// which forget `disk_order`.
    disks: BTreeMap<String, Arc<Disk>>,
    /// The disks in DescribeDisks' order, sorted once after a change: a scale region
    /// has thousands, and every page of a listing sorted them again under the lock.
    disk_order: OnceLock<Vec<Arc<Disk>>>,
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

    pub fn disks(&self) -> &BTreeMap<String, Arc<Disk>> {
        &self.disks
    }

    pub fn insert_disk(&mut self, disk: Disk) {
        self.disk_order.take();
        self.disks.insert(disk.id.clone(), Arc::new(disk));
    }

    pub fn remove_disk(&mut self, id: &str) -> Option<Arc<Disk>> {
        self.disk_order.take();
        self.disks.remove(id)
    }

    /// The disk to change, as `instance_mut`.
    pub fn disk_mut(&mut self, id: &str) -> Option<&mut Disk> {
        // Forget the order first: it holds the disk too, which would make it a copy.
        self.disk_order.take();
        self.disks.get_mut(id).map(Arc::make_mut)
    }

    /// Every disk by instance, the system disk first, then by device; unattached ones
    /// first; the id breaks ties, so pages of a listing never overlap.
    pub fn disks_in_order(&self) -> &[Arc<Disk>] {
        self.disk_order.get_or_init(|| {
            let mut all: Vec<Arc<Disk>> = self.disks.values().cloned().collect();
            all.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
            all
        })
    }

    /// Disks attached to an instance, system disk first.
    pub fn disks_of(&self, instance_id: &str) -> Vec<&Disk> {
        let all = self.disks_in_order();
        let start = all.partition_point(|d| d.instance_id.as_deref() < Some(instance_id));
        all[start..]
            .iter()
            .take_while(|d| d.instance_id.as_deref() == Some(instance_id))
            .map(|d| &**d)
            .collect()
    }
}

fn order_key(d: &Disk) -> (Option<&str>, bool, &str, &str) {
    (
        d.instance_id.as_deref(),
        d.kind != "system",
        &d.device,
        &d.id,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::model::status::DiskStatus;

    fn disk(id: &str, instance: Option<&str>, kind: &str, device: &str) -> Disk {
        Disk {
            id: id.into(),
            name: String::new(),
            category: "cloud_essd".into(),
            performance_level: "PL1".into(),
            size_gib: 40,
            kind: kind.into(),
            status: DiskStatus::InUse,
            instance_id: instance.map(String::from),
            device: device.into(),
            zone_id: "cn-hangzhou-h".into(),
            region_id: "cn-hangzhou".into(),
            creation_time: 0,
            multi_attach: "Disabled".into(),
            tags: Default::default(),
            reset_from: None,
        }
    }

    fn order(r: &Region) -> Vec<&str> {
        r.disks_in_order().iter().map(|d| d.id.as_str()).collect()
    }

    #[test]
    fn the_disk_order_follows_every_change() {
        let mut r = Region::new("cn-hangzhou");
        r.insert_disk(disk("d-3", Some("i-b"), "data", "/dev/xvdb"));
        r.insert_disk(disk("d-2", Some("i-b"), "system", "/dev/xvda"));
        r.insert_disk(disk("d-9", None, "data", ""));
        r.insert_disk(disk("d-1", None, "data", ""));
        r.insert_disk(disk("d-4", Some("i-a"), "system", "/dev/xvda"));
        // Unattached first (ties by id), then by instance, system disk first.
        assert_eq!(order(&r), ["d-1", "d-9", "d-4", "d-2", "d-3"]);
        let of_b: Vec<&str> = r.disks_of("i-b").iter().map(|d| d.id.as_str()).collect();
        assert_eq!(of_b, ["d-2", "d-3"]);
        assert!(r.disks_of("i-zz").is_empty());

        r.remove_disk("d-2");
        assert_eq!(order(&r), ["d-1", "d-9", "d-4", "d-3"]);
        r.disk_mut("d-9").unwrap().instance_id = Some("i-c".into());
        assert_eq!(order(&r), ["d-1", "d-4", "d-3", "d-9"]);
        r.insert_disk(disk("d-0", Some("i-a"), "data", "/dev/xvdb"));
        assert_eq!(order(&r), ["d-1", "d-4", "d-0", "d-3", "d-9"]);
    }
}
