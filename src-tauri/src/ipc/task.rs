//! Long work over IPC, written once: the caller picks the task id, events go out numbered
//! over the caller's `Channel`, `task_cancel(taskId)` reaches the task through `Tasks`, and
//! the reply is the task's result or its `AppError` (`Cancelled` when stopped).

use std::future::Future;

use appsnap_core::progress::{sequenced, Reporter, TaskEvent, Tasks};
use appsnap_core::AppError;
use serde::Serialize;
use tauri::ipc::Channel;

/// Runs `work` as task `task_id` of command `command`. The id is checked and refused
/// while another task holds it; it is free again when `work` ends, however it ends.
pub async fn run<E, R, F, Fut>(
    tasks: &Tasks,
    command: &'static str,
    task_id: &str,
    channel: Channel<TaskEvent<E>>,
    work: F,
) -> Result<R, AppError>
where
    E: Serialize + Clone + Send + Sync + 'static,
    F: FnOnce(Reporter<E>) -> Fut,
    Fut: Future<Output = Result<R, AppError>>,
{
    let guard = tasks.start(task_id)?;
    let reporter = Reporter::new(sequenced(task_id, forward(channel)), guard.cancel.clone());
    tracing::info!(command, task_id, "task started");
    let result = work(reporter).await;
    match &result {
        Ok(_) => tracing::info!(command, task_id, "task finished"),
        Err(e) => tracing::info!(command, task_id, code = ?e.code, "task ended with an error"),
    }
    result
}

/// Sends each event to the window; a closed window only loses its own progress view.
fn forward<E>(channel: Channel<TaskEvent<E>>) -> impl Fn(TaskEvent<E>) + Send + Sync + 'static
where
    E: Serialize + Clone + Send + Sync + 'static,
{
    move |event| {
        if let Err(e) = channel.send(event) {
            tracing::warn!(error = %e, "could not send a task event to the window");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use appsnap_core::ErrorCode;
    use tauri::ipc::InvokeResponseBody;

    use super::*;

    /// A real `Channel` whose far end is this test instead of a window.
    fn channel() -> (
        Channel<TaskEvent<String>>,
        Arc<Mutex<Vec<serde_json::Value>>>,
    ) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        let channel = Channel::new(move |body| {
            let InvokeResponseBody::Json(json) = body else {
                panic!("events are JSON");
            };
            sink.lock()
                .unwrap()
                .push(serde_json::from_str(&json).unwrap());
            Ok(())
        });
        (channel, got)
    }

    #[tokio::test]
    async fn numbers_events_for_the_callers_id_and_returns_the_result() {
        let tasks = Tasks::default();
        let (channel, got) = channel();
        let result = run(&tasks, "demo", "t-1", channel, |r| async move {
            r.emit("a".to_string());
            r.emit("b".to_string());
            Ok(7)
        })
        .await;
        assert_eq!(result, Ok(7));
        assert_eq!(
            *got.lock().unwrap(),
            vec![
                serde_json::json!({"taskId": "t-1", "seq": 0, "event": "a"}),
                serde_json::json!({"taskId": "t-1", "seq": 1, "event": "b"}),
            ]
        );
        assert!(
            !tasks.is_running("t-1"),
            "the id is free once the task ends"
        );
    }

    #[tokio::test]
    async fn a_cancel_by_id_reaches_the_running_work() {
        let tasks = Tasks::default();
        let (channel, _) = channel();
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let work = run(&tasks, "demo", "t-2", channel, |r| async move {
            started_tx.send(()).unwrap();
            r.cancellation().cancelled().await;
            r.checkpoint().map(|_| 0)
        });
        let cancel = async {
            started_rx.await.unwrap();
            assert!(tasks.cancel("t-2"));
        };
        let (result, ()) = tokio::join!(work, cancel);
        assert_eq!(result.unwrap_err().code, ErrorCode::Cancelled);
        assert!(!tasks.cancel("t-2"), "an ended task is gone");
    }

    #[tokio::test]
    async fn refuses_a_bad_or_busy_id_before_any_work() {
        let tasks = Tasks::default();
        let _held = tasks.start("busy").unwrap();
        for (id, code) in [
            ("busy", ErrorCode::Conflict),
            ("no spaces", ErrorCode::InvalidInput),
        ] {
            let (channel, got) = channel();
            let ran = Arc::new(Mutex::new(false));
            let flag = ran.clone();
            let result: Result<(), _> = run(&tasks, "demo", id, channel, |_| async move {
                *flag.lock().unwrap() = true;
                Ok(())
            })
            .await;
            assert_eq!(result.unwrap_err().code, code, "{id}");
            assert!(!*ran.lock().unwrap(), "{id}: the work never started");
            assert!(got.lock().unwrap().is_empty());
        }
    }
}
