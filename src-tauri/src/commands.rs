//! IPC commands: validate input, call appsnap-core, map errors to `AppError`.

use appsnap_core::status::AppStatus;
use appsnap_core::AppError;
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        profile: "Sandbox".to_string(),
        sandbox: state.sandbox.read().await.clone(),
        log_dir: state.log_dir.display().to_string(),
    })
}
