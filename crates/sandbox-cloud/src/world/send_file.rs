//! The agent delivering a file send into the guest's virtual file system (reference §3.13).
//! Each instance moves Pending → Running (agent picked it up, after [`DELIVERY_MS`]) →
//! Success/Failed (file written, [`FILE_WRITE_MS`] later). While the agent is unreachable the
//! instance stays Pending; if it is still undelivered when the request's `Timeout` runs out
//! it ends `Aborted` with `DeliveryTimeout` (sandbox-chosen, see README).

use crate::clock::SimTime;
use crate::world::agent::DELIVERY_MS;
use crate::world::model::guest::parse_mode;
use crate::world::model::instance::Instance;
use crate::world::model::os::OsType;
use crate::world::model::send_file::SendFileTask;
use crate::world::model::status::{InstanceStatus, TaskError, TaskStatus};
use crate::world::task::TaskRef;
use crate::world::World;

/// Time the agent takes to write a delivered file (Running → Success/Failed).
pub const FILE_WRITE_MS: SimTime = 200;
/// How often an undelivered file send retries while the agent is unreachable.
pub const FILE_RETRY_MS: SimTime = 1_000;

/// Why a file did not arrive: the final per-instance status and its error.
type FileFailure = (TaskStatus, TaskError);

/// Schedule delivery of a file send already stored in the region.
pub fn start_send_file(
    world: &mut World,
    account: &str,
    region: &str,
    invoke_id: &str,
    now: SimTime,
) {
    let Some(task) = world
        .region_mut(account, region)
        .ok()
        .and_then(|reg| reg.send_files.get(invoke_id))
    else {
        return;
    };
    let deadline = now + task.timeout as SimTime * 1000;
    let ids: Vec<String> = task
        .instances
        .iter()
        .map(|i| i.instance_id.clone())
        .collect();
    for iid in ids {
        let task = TaskRef::new(account, region, invoke_id, &iid);
        schedule_delivery(world, &task, now + DELIVERY_MS, deadline);
    }
}

fn schedule_delivery(world: &mut World, task: &TaskRef, at: SimTime, deadline: SimTime) {
    task.at(world, at.min(deadline), move |w, at, task| {
        deliver(w, task, at, deadline)
    });
}

/// Why an instance cannot take a file right now.
fn target_problem(world: &mut World, task: &TaskRef) -> Option<FileFailure> {
    let reg = world.region_mut(&task.account, &task.region).ok()?;
    match reg.instances.get(&task.instance_id) {
        None => Some((TaskStatus::Failed, TaskError::InstanceNotExists)),
        Some(inst) if inst.status != InstanceStatus::Running => {
            Some((TaskStatus::Aborted, TaskError::InstanceNotRunning))
        }
        Some(inst) if !inst.assistant_running() => {
            Some((TaskStatus::Aborted, TaskError::ClientNotRunning))
        }
        Some(_) => None,
    }
}

fn end(world: &mut World, task: &TaskRef, outcome: Result<(), FileFailure>, at: SimTime) {
    if let Some(fi) = task.file_send(world) {
        match outcome {
            Ok(()) => fi.status = TaskStatus::Success,
            Err((status, error)) => {
                fi.status = status;
                fi.error = Some(error);
            }
        }
        fi.finish_time = Some(at);
        fi.update_time = at;
    }
}

fn deliver(world: &mut World, task: &TaskRef, at: SimTime, deadline: SimTime) {
    if task
        .file_send(world)
        .is_none_or(|fi| fi.status != TaskStatus::Pending)
    {
        return;
    }
    match target_problem(world, task) {
        // The agent cannot pick the file up (yet): wait for it until the timeout.
        Some((_, TaskError::ClientNotRunning)) if at < deadline => {
            schedule_delivery(world, task, at + FILE_RETRY_MS, deadline);
        }
        Some((_, TaskError::ClientNotRunning)) => {
            let timeout = (TaskStatus::Aborted, TaskError::DeliveryTimeout);
            end(world, task, Err(timeout), at);
        }
        Some(problem) => end(world, task, Err(problem), at),
        None => {
            if let Some(fi) = task.file_send(world) {
                fi.status = TaskStatus::Running;
                fi.start_time = Some(at);
                fi.update_time = at;
            }
            task.at(world, at + FILE_WRITE_MS, write);
        }
    }
}

/// The agent writes the delivered file; the file-level checks happen here, as in the agent.
fn write(world: &mut World, at: SimTime, task: &TaskRef) {
    if task
        .file_send(world)
        .is_none_or(|fi| fi.status != TaskStatus::Running)
    {
        return;
    }
    let outcome = match target_problem(world, task) {
        // The instance stopped (or its agent went away) while the file was being written.
        Some(_) => Err((TaskStatus::Failed, TaskError::FileCreateFail)),
        None => {
            let Ok(reg) = world.region_mut(&task.account, &task.region) else {
                return;
            };
            let (Some(send), Some(inst)) = (
                reg.send_files.get(&task.invoke_id),
                // The fields apart (not `instance_mut`): `send` borrows the region too.
                reg.instances
                    .get_mut(&task.instance_id)
                    .map(std::sync::Arc::make_mut),
            ) else {
                return;
            };
            write_into_guest(inst, send, at)
        }
    };
    end(world, task, outcome, at);
}

fn write_into_guest(
    inst: &mut Instance,
    task: &SendFileTask,
    at: SimTime,
) -> Result<(), FileFailure> {
    let fail = |error| Err((TaskStatus::Failed, error));
    let guest = &mut inst.guest;
    let linux = guest.os_type == OsType::Linux;
    let dir = task.target_dir.trim_end_matches(['/', '\\']);
    let absolute = if linux {
        task.target_dir.starts_with('/')
    } else {
        task.target_dir.len() >= 3
            && task.target_dir.as_bytes()[1] == b':'
            && matches!(task.target_dir.as_bytes()[2], b'\\' | b'/')
    };
    if !absolute {
        return fail(TaskError::FilePathInvalid);
    }
    if task.name.is_empty()
        || task.name.contains(['/', '\\'])
        || task.name == "."
        || task.name == ".."
    {
        return fail(TaskError::FileNameInvalid);
    }
    let path = if linux {
        format!("{dir}/{}", task.name)
    } else {
        format!("{dir}\\{}", task.name)
    };
    let (owner, group, mode) = if linux {
        if !guest.users.contains(&task.owner) {
            return fail(TaskError::FileOwnerMissing);
        }
        if !guest.groups.contains(&task.group) {
            return fail(TaskError::FileGroupMissing);
        }
        let Some(mode) = parse_mode(&task.file_mode) else {
            return fail(TaskError::FileModeInvalid);
        };
        (task.owner.clone(), task.group.clone(), mode)
    } else {
        ("System".to_string(), "Administrators".to_string(), 0o644)
    };
    if guest.files.contains_key(&path) && !task.overwrite {
        return fail(TaskError::FileAlreadyExists);
    }
    guest.write_file(&path, task.content.clone(), &owner, &group, mode, at);
    Ok(())
}
