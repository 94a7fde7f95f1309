//! A fresh inventory of some regions laid over the last one: the regions read again are
//! replaced whole (instances and what is missing), the others kept as they were. A cloud
//! read never looks inside the guest, so the last deep check's facts of an instance that
//! is still there are kept and its checks made again with them.

use std::collections::{BTreeSet, HashMap};

use super::predict::assess;
use super::types::{GuestFacts, Inventory, ScriptTestFact};

/// `fresh` read `asked` (empty = every region) after `previous`.
pub fn merge(previous: Option<&Inventory>, fresh: Inventory, asked: &[String]) -> Inventory {
    let Some(previous) = previous else {
        return fresh;
    };
    // What only the guest can tell: the deep check's facts and the last test run.
    let guests: HashMap<&str, (Option<&GuestFacts>, Option<&ScriptTestFact>)> = previous
        .instances
        .iter()
        .map(|a| {
            let i = &a.instance;
            (
                i.instance_id.as_str(),
                (i.guest.as_ref(), i.script_test.as_ref()),
            )
        })
        .filter(|(_, (g, t))| g.is_some() || t.is_some())
        .collect();
    let limit = fresh.group_disk_limit;
    let with_guest =
        |mut a: super::types::Assessed| match guests.get(a.instance.instance_id.as_str()) {
            Some((g, t)) if a.instance.guest.is_none() && a.instance.script_test.is_none() => {
                a.instance.guest = g.cloned();
                a.instance.script_test = t.cloned();
                assess(a.instance, limit)
            }
            _ => a,
        };
    if asked.is_empty() {
        let instances = fresh.instances.into_iter().map(with_guest).collect();
        return Inventory { instances, ..fresh };
    }
    let replaced: BTreeSet<&str> = fresh
        .regions
        .iter()
        .chain(asked.iter())
        .map(String::as_str)
        .collect();
    let kept = |region: &str| !replaced.contains(region);
    let mut regions: Vec<String> = previous.regions.clone();
    for r in &fresh.regions {
        if !regions.contains(r) {
            regions.push(r.clone());
        }
    }
    let mut instances: Vec<_> = previous
        .instances
        .iter()
        .filter(|a| kept(&a.instance.region_id))
        .cloned()
        .collect();
    instances.extend(fresh.instances.into_iter().map(with_guest));
    // Account-wide gaps (region "") belong to the newest read.
    let mut missing: Vec<_> = previous
        .missing
        .iter()
        .filter(|m| !m.region_id.is_empty() && kept(&m.region_id))
        .cloned()
        .collect();
    missing.extend(fresh.missing);
    Inventory {
        regions,
        instances,
        group_disk_limit: limit,
        missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;
    use crate::fleet::types::{FleetInstance, Missing, RoleFact};

    fn row(id: &str, region: &str) -> super::super::types::Assessed {
        assess(
            FleetInstance {
                instance_id: id.into(),
                name: id.into(),
                region_id: region.into(),
                zone_id: format!("{region}-a"),
                os_type: "linux".into(),
                os_name: String::new(),
                os_name_en: "CentOS  7.9 64 bit".into(),
                status: "Running".into(),
                disks: None,
                agent: None,
                role: RoleFact::None,
                guest: None,
                script_test: None,
            },
            16,
        )
    }

    fn gap(region: &str, action: &str) -> Missing {
        Missing {
            region_id: region.into(),
            action: action.into(),
            effect: String::new(),
            error: AppError::internal("x"),
        }
    }

    #[test]
    fn a_region_read_again_replaces_only_that_region_and_its_gaps() {
        let previous = Inventory {
            regions: vec!["a".into(), "b".into()],
            instances: vec![row("i-a1", "a"), row("i-b1", "b"), row("i-b2", "b")],
            group_disk_limit: 16,
            missing: vec![
                gap("a", "DescribeDisks"),
                gap("b", "DescribeDisks"),
                gap("", "GetPolicy"),
            ],
        };
        let fresh = Inventory {
            regions: vec!["b".into()],
            instances: vec![row("i-b1", "b")],
            group_disk_limit: 16,
            missing: vec![gap("b", "DescribeInstanceRamRole")],
        };
        let merged = merge(Some(&previous), fresh, &["b".into()]);
        let ids: Vec<_> = merged
            .instances
            .iter()
            .map(|a| a.instance.instance_id.as_str())
            .collect();
        assert_eq!(ids, ["i-a1", "i-b1"]);
        assert_eq!(merged.regions, ["a", "b"]);
        let gaps: Vec<_> = merged
            .missing
            .iter()
            .map(|m| format!("{}/{}", m.region_id, m.action))
            .collect();
        assert_eq!(gaps, ["a/DescribeDisks", "b/DescribeInstanceRamRole"]);
    }
}
