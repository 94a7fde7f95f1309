//! One plugin run: the task it belongs to, where it logs inside the guest, and the group it
//! created. Every step of the run writes through here.

use std::sync::{Arc, Mutex};

use crate::clock::{log_time, SimTime};
use crate::world::freeze::thaw_if_frozen;
use crate::world::model::status::ThawReason;
use crate::world::task::TaskRef;
use crate::world::World;

#[derive(Debug, Clone)]
pub struct Run {
    pub task: TaskRef,
    pub log_path: String,
    state: Arc<Mutex<RunState>>,
}

#[derive(Debug, Default)]
struct RunState {
    group_id: Option<String>,
}

impl Run {
    pub fn new(task: TaskRef, log_path: String) -> Self {
        Self {
            task,
            log_path,
            state: Arc::default(),
        }
    }

    /// A line in the guest's plugin log and in the task's output.
    pub fn log(&self, w: &mut World, at: SimTime, level: &str, msg: &str) {
        let t = &self.task;
        if let Ok(inst) = w.instance_mut(&t.account, &t.region, &t.instance_id) {
            inst.guest.append_line(
                &self.log_path,
                &format!("{} [{level}] {msg}", log_time(at)),
                at,
            );
        }
        t.append_output(w, &format!("[{level}] {msg}\n"), at);
    }

    /// Log the error and finish the task with `code`; a group already created is printed.
    pub fn fail(&self, w: &mut World, at: SimTime, code: i64, msg: &str) {
        self.log(w, at, "ERROR", msg);
        let tail = match self.group_id() {
            Some(g) => format!("{g}\n"),
            None => String::new(),
        };
        self.task.finish(w, code, &tail, at);
    }

    pub fn running(&self, w: &mut World) -> bool {
        self.task.is_running(w)
    }

    pub fn group_id(&self) -> Option<String> {
        self.state
            .lock()
            .map(|s| s.group_id.clone())
            .unwrap_or(None)
    }

    pub fn set_group_id(&self, id: &str) {
        if let Ok(mut s) = self.state.lock() {
            s.group_id = Some(id.to_string());
        }
    }

    /// Schedule a step that only runs while the task is still running.
    pub fn then(
        &self,
        w: &mut World,
        at: SimTime,
        step: impl FnOnce(&mut World, SimTime, &Run) + Send + 'static,
    ) {
        let run = self.clone();
        w.schedule(at, move |w, at| {
            if run.running(w) {
                step(w, at, &run);
            }
        });
    }

    /// Schedule a step that runs whatever the task's state (the thaw).
    pub fn always(
        &self,
        w: &mut World,
        at: SimTime,
        step: impl FnOnce(&mut World, SimTime, &Run) + Send + 'static,
    ) {
        let run = self.clone();
        w.schedule(at, move |w, at| step(w, at, &run));
    }

    /// Thaw this run's guest if it is frozen; true when it was.
    pub fn thaw(&self, w: &mut World, at: SimTime, reason: ThawReason) -> bool {
        let t = &self.task;
        thaw_if_frozen(w, &t.account, &t.region, &t.instance_id, at, reason)
    }
}
