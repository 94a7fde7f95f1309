//! One instance's part of an invocation or file send, named by a [`TaskRef`], and what any
//! behaviour may do to it: look it up, append output, finish it, abort it.

use crate::clock::SimTime;
use crate::world::model::invocation::InvokeInstance;
use crate::world::model::send_file::SendFileInstance;
use crate::world::model::status::{TaskError, TaskStatus};
use crate::world::World;

/// Where a task lives: account, region, invocation (or file send) id, instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub account: String,
    pub region: String,
    pub invoke_id: String,
    pub instance_id: String,
}

impl TaskRef {
    pub fn new(account: &str, region: &str, invoke_id: &str, instance_id: &str) -> Self {
        Self {
            account: account.to_string(),
            region: region.to_string(),
            invoke_id: invoke_id.to_string(),
            instance_id: instance_id.to_string(),
        }
    }

    /// This task's part of a command invocation.
    pub fn invocation<'w>(&self, world: &'w mut World) -> Option<&'w mut InvokeInstance> {
        world
            .region_mut(&self.account, &self.region)
            .ok()?
            .invocations
            .get_mut(&self.invoke_id)?
            .instance_mut(&self.instance_id)
    }

    /// This task's part of a file send.
    pub fn file_send<'w>(&self, world: &'w mut World) -> Option<&'w mut SendFileInstance> {
        world
            .region_mut(&self.account, &self.region)
            .ok()?
            .send_files
            .get_mut(&self.invoke_id)?
            .instance_mut(&self.instance_id)
    }

    /// Is this instance's part of the invocation still running (not timed out or finished)?
    pub fn is_running(&self, world: &mut World) -> bool {
        self.invocation(world)
            .is_some_and(|i| i.status == TaskStatus::Running)
    }

    /// Schedule `step` for this task at `at`.
    pub fn at(
        &self,
        world: &mut World,
        at: SimTime,
        step: impl FnOnce(&mut World, SimTime, &TaskRef) + Send + 'static,
    ) {
        let task = self.clone();
        world.schedule(at, move |w, at| step(w, at, &task));
    }

    pub fn append_output(&self, world: &mut World, text: &str, at: SimTime) {
        if let Some(ii) = self.invocation(world) {
            ii.push_output(text);
            ii.update_time = at;
        }
    }

    /// Move a pending invocation part to Running.
    pub fn start(&self, world: &mut World, at: SimTime) {
        if let Some(ii) = self.invocation(world) {
            ii.status = TaskStatus::Running;
            ii.start_time = Some(at);
            ii.update_time = at;
        }
    }

    /// Finish a running task with an exit code; output is appended first.
    pub fn finish(&self, world: &mut World, exit_code: i64, output: &str, at: SimTime) {
        if !self.is_running(world) {
            return;
        }
        if let Some(ii) = self.invocation(world) {
            ii.push_output(output);
            ii.exit_code = Some(exit_code);
            ii.finish_time = Some(at);
            ii.update_time = at;
            if exit_code == 0 {
                ii.status = TaskStatus::Success;
            } else {
                ii.status = TaskStatus::Failed;
                ii.error = Some(TaskError::ExitCodeNonzero);
            }
        }
    }

    /// End the invocation part with `status` and `error`; `exit_code` when the agent kills it.
    pub fn end(
        &self,
        world: &mut World,
        status: TaskStatus,
        error: TaskError,
        exit_code: Option<i64>,
        at: SimTime,
    ) {
        if let Some(ii) = self.invocation(world) {
            end_invocation_part(ii, status, error, exit_code, at);
        }
    }
}

fn end_invocation_part(
    ii: &mut InvokeInstance,
    status: TaskStatus,
    error: TaskError,
    exit_code: Option<i64>,
    at: SimTime,
) {
    ii.status = status;
    if exit_code.is_some() {
        ii.exit_code = exit_code;
    }
    ii.error = Some(error);
    ii.finish_time = Some(at);
    ii.update_time = at;
}

/// The instance stopped: its agent is gone, so every task still running there ends
/// `Failed` with `ExecutionInterrupted` (sandbox-chosen mapping; the code is documented,
/// what the real service reports for a stop is not).
pub fn interrupt_tasks_on(
    world: &mut World,
    account: &str,
    region: &str,
    instance_id: &str,
    at: SimTime,
) {
    let Ok(reg) = world.region_mut(account, region) else {
        return;
    };
    for inv in reg.invocations.values_mut() {
        for ii in inv
            .instances
            .iter_mut()
            .filter(|ii| ii.instance_id == instance_id && ii.status == TaskStatus::Running)
        {
            end_invocation_part(
                ii,
                TaskStatus::Failed,
                TaskError::ExecutionInterrupted,
                Some(-1),
                at,
            );
        }
    }
}
