//! Starts the embedded sandbox cloud for the Sandbox profile.

use appsnap_core::status::SandboxStatus;
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// Event the UI listens to; the payload is the new `SandboxStatus`.
pub const SANDBOX_STATUS_EVENT: &str = "sandbox-status";

pub fn start_embedded(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let options = sandbox_cloud::SandboxOptions::default();
        let scenario = options.scenario.clone();
        let state = app.state::<AppState>();
        let status = match sandbox_cloud::start(options).await {
            Ok(running) => {
                tracing::info!(endpoint = running.endpoint(), "sandbox cloud started");
                let status = SandboxStatus::Running {
                    endpoint: running.endpoint().to_string(),
                    scenario,
                };
                *state.sandbox_server.lock().await = Some(running);
                status
            }
            Err(e) => {
                tracing::warn!(error = %e, "sandbox cloud unavailable");
                SandboxStatus::Unavailable {
                    reason: e.to_string(),
                }
            }
        };
        *state.sandbox.write().await = status.clone();
        if let Err(e) = app.emit(SANDBOX_STATUS_EVENT, &status) {
            tracing::warn!(error = %e, "could not emit sandbox status");
        }
    });
}
