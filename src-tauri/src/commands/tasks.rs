//! Stopping a running task.

use appsnap_core::progress::validate_task_id;
use appsnap_core::AppError;

use crate::state::AppState;

/// `true` when a task had that id; `false` when none has (it may have ended already).
pub async fn task_cancel(state: &AppState, task_id: String) -> Result<bool, AppError> {
    validate_task_id(&task_id)?;
    let found = state.tasks.cancel(&task_id);
    tracing::info!(task_id, found, "task cancel requested");
    Ok(found)
}
