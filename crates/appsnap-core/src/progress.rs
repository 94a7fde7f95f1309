//! Long work (inventory, RAM apply, script push, snapshot jobs) reports typed events and
//! can be cancelled. Core knows nothing of the transport: the desktop forwards events over
//! a Tauri `Channel`, the CLI prints them, tests collect them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use ts_rs::TS;

pub use tokio_util::sync::CancellationToken;

use crate::error::{AppError, ErrorCode};

/// One event of a task on the wire: which task (the caller chose its id), in which order.
/// The task's final result is the command's own reply, not an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TaskEvent<E> {
    pub task_id: String,
    /// 0, 1, 2, … per task, so a front end can tell a lost or reordered event.
    #[ts(type = "number")]
    pub seq: u64,
    pub event: E,
}

/// Where a task's events go, and whether the user asked it to stop.
pub struct Reporter<E> {
    sink: Arc<dyn Fn(E) + Send + Sync>,
    cancel: CancellationToken,
}

impl<E> Clone for Reporter<E> {
    fn clone(&self) -> Self {
        Self {
            sink: self.sink.clone(),
            cancel: self.cancel.clone(),
        }
    }
}

impl<E: 'static> Reporter<E> {
    pub fn new(sink: impl Fn(E) + Send + Sync + 'static, cancel: CancellationToken) -> Self {
        Self {
            sink: Arc::new(sink),
            cancel,
        }
    }

    /// Drops every event and is never cancelled: for callers that only want the result.
    pub fn silent() -> Self {
        Self::new(|_| {}, CancellationToken::new())
    }

    /// Collects events into a shared list: for tests and for front ends that print at the end.
    pub fn collecting() -> (Self, Arc<Mutex<Vec<E>>>)
    where
        E: Send,
    {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let reporter = Self::new(
            move |e| sink.lock().expect("event list lock").push(e),
            CancellationToken::new(),
        );
        (reporter, events)
    }

    pub fn emit(&self, event: E) {
        (self.sink)(event);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }

    /// `Err(Cancelled)` once the user asked to stop: call it between steps, never in the
    /// middle of a step that must finish (e.g. a thaw).
    pub fn checkpoint(&self) -> Result<(), AppError> {
        if self.is_cancelled() {
            Err(AppError::cancelled())
        } else {
            Ok(())
        }
    }

    /// A reporter for a sub-task whose events are wrapped into this task's events.
    pub fn map<F: 'static>(&self, wrap: impl Fn(F) -> E + Send + Sync + 'static) -> Reporter<F> {
        let sink = self.sink.clone();
        Reporter {
            sink: Arc::new(move |f| sink(wrap(f))),
            cancel: self.cancel.clone(),
        }
    }
}

/// Numbers a task's events for the wire. Wrap the front end's transport in it.
pub fn sequenced<E: 'static>(
    task_id: impl Into<String>,
    send: impl Fn(TaskEvent<E>) + Send + Sync + 'static,
) -> impl Fn(E) + Send + Sync + 'static {
    let task_id = task_id.into();
    let next = std::sync::atomic::AtomicU64::new(0);
    move |event| {
        let seq = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        send(TaskEvent {
            task_id: task_id.clone(),
            seq,
            event,
        })
    }
}

/// The running tasks by caller-chosen id, so a later "cancel this id" reaches the task.
#[derive(Default, Clone)]
pub struct Tasks {
    running: Arc<Mutex<HashMap<String, CancellationToken>>>,
}

/// Removes the task from [`Tasks`] when the work ends, however it ends.
pub struct TaskGuard {
    id: String,
    tasks: Tasks,
    pub cancel: CancellationToken,
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.tasks.lock().remove(&self.id);
    }
}

impl Tasks {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, CancellationToken>> {
        // A panic elsewhere must not make every later task unstartable.
        self.running.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a task; an id that is empty, too long or already running is refused.
    pub fn start(&self, id: &str) -> Result<TaskGuard, AppError> {
        validate_task_id(id)?;
        let mut running = self.lock();
        if running.contains_key(id) {
            return Err(AppError::new(
                ErrorCode::Conflict,
                format!("a task with id '{id}' is already running"),
            ));
        }
        let cancel = CancellationToken::new();
        running.insert(id.to_owned(), cancel.clone());
        Ok(TaskGuard {
            id: id.to_owned(),
            tasks: self.clone(),
            cancel,
        })
    }

    /// Asks a running task to stop; `false` when no task has that id (it may have ended).
    pub fn cancel(&self, id: &str) -> bool {
        match self.lock().get(id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    pub fn is_running(&self, id: &str) -> bool {
        self.lock().contains_key(id)
    }
}

/// 1–64 characters from `A-Z a-z 0-9 - _ .`: ids come from the UI and reach logs.
pub fn validate_task_id(id: &str) -> Result<(), AppError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid_input(format!(
            "task id '{}' is not 1-64 characters from A-Z a-z 0-9 - _ .",
            id.chars().take(80).collect::<String>()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_numbered_per_task_in_order() {
        let (outer, seen) = Reporter::<TaskEvent<&'static str>>::collecting();
        let numbered = Reporter::new(
            sequenced("t-1", move |e| outer.emit(e)),
            CancellationToken::new(),
        );
        numbered.emit("a");
        numbered.emit("b");
        let seen = seen.lock().unwrap();
        assert_eq!(
            *seen,
            vec![
                TaskEvent {
                    task_id: "t-1".into(),
                    seq: 0,
                    event: "a"
                },
                TaskEvent {
                    task_id: "t-1".into(),
                    seq: 1,
                    event: "b"
                },
            ]
        );
    }

    #[test]
    fn a_mapped_reporter_wraps_events_and_shares_cancellation() {
        let (outer, seen) = Reporter::<String>::collecting();
        let inner: Reporter<u32> = outer.map(|n| format!("step {n}"));
        inner.emit(3);
        assert_eq!(*seen.lock().unwrap(), vec!["step 3".to_string()]);
        assert!(inner.checkpoint().is_ok());
        outer.cancellation().cancel();
        assert_eq!(inner.checkpoint().unwrap_err().code, ErrorCode::Cancelled);
    }

    #[test]
    fn tasks_cancel_by_id_and_forget_finished_ones() {
        let tasks = Tasks::default();
        let guard = tasks.start("job-1").unwrap();
        assert_eq!(
            tasks.start("job-1").err().map(|e| e.code),
            Some(ErrorCode::Conflict)
        );
        assert!(tasks.cancel("job-1"));
        assert!(guard.cancel.is_cancelled());
        drop(guard);
        assert!(!tasks.is_running("job-1"));
        assert!(!tasks.cancel("job-1"), "an ended task cannot be cancelled");
        assert!(tasks.start("job-1").is_ok(), "the id is free again");
    }

    #[test]
    fn task_ids_are_checked() {
        let tasks = Tasks::default();
        for bad in ["", "has space", "a/b", &"x".repeat(65)] {
            assert_eq!(
                tasks.start(bad).err().map(|e| e.code),
                Some(ErrorCode::InvalidInput),
                "{bad:?}"
            );
        }
    }
}
