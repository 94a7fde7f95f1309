//! An instance's Running/Stopped state machine: Stopping and Starting take simulated time;
//! a stop thaws a frozen guest and interrupts the tasks running there.

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::world::freeze::thaw_if_frozen;
use crate::world::model::status::{InstanceStatus, ThawReason};
use crate::world::task::interrupt_tasks_on;
use crate::world::World;

/// How long Stopping/Starting last, in simulated milliseconds.
pub const TRANSITION_MS: SimTime = 3_000;

/// StopInstance: Running → Stopping → Stopped.
pub fn stop(
    world: &mut World,
    account: &str,
    region: &str,
    id: &str,
    now: SimTime,
) -> ApiResult<()> {
    let inst = world.instance_mut(account, region, id)?;
    if inst.status != InstanceStatus::Running {
        return Err(ApiError::incorrect_instance_status(403));
    }
    inst.status = InstanceStatus::Stopping;
    let (a, r, i) = (account.to_string(), region.to_string(), id.to_string());
    world.schedule(now + TRANSITION_MS, move |w, at| {
        thaw_if_frozen(w, &a, &r, &i, at, ThawReason::InstanceStopped);
        interrupt_tasks_on(w, &a, &r, &i, at);
        if let Ok(inst) = w.instance_mut(&a, &r, &i) {
            inst.status = InstanceStatus::Stopped;
        }
    });
    Ok(())
}

/// StartInstance: Stopped → Starting → Running; a pending agent install takes effect now.
pub fn start(
    world: &mut World,
    account: &str,
    region: &str,
    id: &str,
    now: SimTime,
) -> ApiResult<()> {
    let inst = world.instance_mut(account, region, id)?;
    if inst.status != InstanceStatus::Stopped {
        return Err(ApiError::incorrect_instance_status(403));
    }
    inst.status = InstanceStatus::Starting;
    let (a, r, i) = (account.to_string(), region.to_string(), id.to_string());
    world.schedule(now + TRANSITION_MS, move |w, _| {
        if let Ok(inst) = w.instance_mut(&a, &r, &i) {
            inst.status = InstanceStatus::Running;
            if inst.agent.pending_install {
                inst.agent.pending_install = false;
                inst.agent.installed = true;
            }
        }
    });
    Ok(())
}

/// RebootInstance: Running → Stopping → Starting → Running.
pub fn reboot(
    world: &mut World,
    account: &str,
    region: &str,
    id: &str,
    now: SimTime,
) -> ApiResult<()> {
    stop(world, account, region, id, now)?;
    let (a, r, i) = (account.to_string(), region.to_string(), id.to_string());
    world.schedule(now + TRANSITION_MS, move |w, at| {
        let _ = start(w, &a, &r, &i, at);
    });
    Ok(())
}
