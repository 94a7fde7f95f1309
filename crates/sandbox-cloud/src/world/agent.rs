//! The Cloud Assistant agent delivering invocations: each instance's part moves
//! Pending → Running (picked up after [`DELIVERY_MS`]) → whatever the guest script or the
//! timeout decides (reference §3.10–3.11); StopInvocation cancels a part not yet picked up
//! and moves a running one Stopping → Terminated (after [`STOP_MS`]), thawing its guest.

use crate::clock::SimTime;
use crate::errors::{ApiError, ApiResult};
use crate::world::freeze::thaw_if_frozen;
use crate::world::guest_scripts;
use crate::world::model::command::render;
use crate::world::model::status::{InstanceStatus, TaskError, TaskStatus, ThawReason};
use crate::world::task::TaskRef;
use crate::world::World;

/// Delay before the agent picks a task up.
pub const DELIVERY_MS: SimTime = 500;

/// How long a stopped task stays `Stopping` before it is `Terminated` (sandbox-chosen).
pub const STOP_MS: SimTime = 1_000;

/// Schedule delivery of an invocation already stored in the region.
pub fn start_invocation(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_ids: &[String],
    now: SimTime,
) {
    for iid in instance_ids {
        TaskRef::new(account, region, invoke_id, iid).at(world, now + DELIVERY_MS, deliver);
    }
}

fn deliver(world: &mut World, at: SimTime, task: &TaskRef) {
    // Cancelled (StopInvocation) before the agent picked it up.
    if task
        .invocation(world)
        .is_none_or(|ii| ii.status != TaskStatus::Pending)
    {
        return;
    }
    let Ok(reg) = world.region_mut(&task.account, &task.region) else {
        return;
    };
    let Some(inv) = reg.invocations.get(&task.invoke_id).cloned() else {
        return;
    };
    let not_deliverable = match reg.instances.get(&task.instance_id) {
        None => Some(TaskError::InstanceNotExists),
        Some(inst) if inst.status != InstanceStatus::Running => Some(TaskError::InstanceNotRunning),
        Some(inst) if !inst.assistant_running() => Some(TaskError::ClientNotRunning),
        Some(_) => None,
    };
    if let Some(error) = not_deliverable {
        task.end(world, TaskStatus::Aborted, error, None, at);
        return;
    }
    let Some(inst) = reg.instance_mut(&task.instance_id) else {
        return;
    };
    inst.agent.invocation_count += 1;
    inst.agent.last_invoked = Some(at);
    let mut values = inv.parameters.clone();
    values.extend([
        ("ACS::InstanceId".to_string(), inst.id.clone()),
        ("ACS::InstanceName".to_string(), inst.name.clone()),
        ("ACS::RegionId".to_string(), task.region.clone()),
        ("ACS::AccountId".to_string(), task.account.clone()),
        ("ACS::InvokeId".to_string(), task.invoke_id.clone()),
        ("ACS::CommandId".to_string(), inv.command_id.clone()),
    ]);
    let script = render(&inv.content, &values);
    task.start(world, at);
    let timeout_ms = inv.timeout.max(1) as SimTime * 1000;
    task.at(world, at + timeout_ms, time_out);
    guest_scripts::execute(world, task, &script, at);
}

/// The agent kills a task that runs past its timeout; the guest is never left frozen.
fn time_out(world: &mut World, at: SimTime, task: &TaskRef) {
    if !task.is_running(world) {
        return;
    }
    thaw_if_frozen(
        world,
        &task.account,
        &task.region,
        &task.instance_id,
        at,
        ThawReason::InvocationTimeout,
    );
    task.end(
        world,
        TaskStatus::Timeout,
        TaskError::ExecutionTimeout,
        Some(-1),
        at,
    );
}

/// StopInvocation on the named instances of an invocation (every instance when none are
/// named). Parts not yet delivered end `Cancelled` at once; running parts go `Stopping` and
/// end `Terminated` [`STOP_MS`] later with their guest thawed; finished parts are left as
/// they are.
pub fn stop_invocation(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    instance_ids: &[String],
    now: SimTime,
) -> ApiResult<()> {
    let inv = world
        .region_mut(account, region)?
        .invocations
        .get_mut(invoke_id)
        .ok_or_else(|| ApiError::invoke_not_found(invoke_id))?;
    if let Some(id) = instance_ids
        .iter()
        .find(|id| !inv.instances.iter().any(|ii| &ii.instance_id == *id))
    {
        return Err(ApiError::assistant_instance_not_found(id));
    }
    let mut stopping = Vec::new();
    for ii in inv
        .instances
        .iter_mut()
        .filter(|ii| instance_ids.is_empty() || instance_ids.contains(&ii.instance_id))
    {
        match ii.status {
            TaskStatus::Pending | TaskStatus::Scheduled => {
                ii.status = TaskStatus::Cancelled;
                ii.finish_time = Some(now);
            }
            TaskStatus::Running => {
                ii.status = TaskStatus::Stopping;
                stopping.push(ii.instance_id.clone());
            }
            _ => continue,
        }
        ii.stop_time = Some(now);
        ii.update_time = now;
    }
    for iid in stopping {
        TaskRef::new(account, region, invoke_id, &iid).at(world, now + STOP_MS, terminate);
    }
    Ok(())
}

/// The agent has killed the stopped task's processes: the freeze they held is released.
fn terminate(world: &mut World, at: SimTime, task: &TaskRef) {
    if task
        .invocation(world)
        .is_none_or(|ii| ii.status != TaskStatus::Stopping)
    {
        return;
    }
    thaw_if_frozen(
        world,
        &task.account,
        &task.region,
        &task.instance_id,
        at,
        ThawReason::InvocationStopped,
    );
    if let Some(ii) = task.invocation(world) {
        ii.status = TaskStatus::Terminated;
        // Sandbox-chosen, as for a timeout: the real exit code of a killed task is not
        // documented; clients key on the status.
        ii.exit_code = Some(-1);
        ii.finish_time = Some(at);
        ii.update_time = at;
    }
}
