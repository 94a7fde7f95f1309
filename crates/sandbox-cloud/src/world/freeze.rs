//! Freezing and thawing a guest's file systems, with the freeze history the control API
//! shows. Every path that ends a freeze (completion, failure, timeout, stop) thaws here.

use crate::clock::{iso, SimTime};
use crate::world::model::account::FreezeRecord;
use crate::world::model::guest::Frozen;
use crate::world::model::status::ThawReason;
use crate::world::task::TaskRef;
use crate::world::World;

/// Freeze the given mount points of the task's guest, recording it.
pub fn freeze(w: &mut World, task: &TaskRef, mounts: &[String], at: SimTime) {
    if let Ok(inst) = w.instance_mut(&task.account, &task.region, &task.instance_id) {
        inst.guest.frozen = Some(Frozen {
            mount_points: mounts.to_vec(),
            since: at,
            invoke_id: task.invoke_id.clone(),
        });
    }
    w.freeze_history.push(FreezeRecord {
        account_id: task.account.clone(),
        region_id: task.region.clone(),
        instance_id: task.instance_id.clone(),
        invoke_id: task.invoke_id.clone(),
        mount_points: mounts.to_vec(),
        frozen_at: iso(at),
        thawed_at: None,
        thaw_reason: None,
    });
}

/// Thaw a guest if it is frozen; true when it was.
pub fn thaw_if_frozen(
    w: &mut World,
    account: &str,
    region: &str,
    instance: &str,
    at: SimTime,
    reason: ThawReason,
) -> bool {
    let Ok(inst) = w.instance_mut(account, region, instance) else {
        return false;
    };
    if inst.guest.frozen.take().is_none() {
        return false;
    }
    if let Some(rec) = w
        .freeze_history
        .iter_mut()
        .rev()
        .find(|r| r.instance_id == instance && r.thawed_at.is_none())
    {
        rec.thawed_at = Some(iso(at));
        rec.thaw_reason = Some(reason);
    }
    true
}
