//! State shared by the IPC commands.

use std::path::PathBuf;

use appsnap_core::status::SandboxStatus;
use tokio::sync::RwLock;

pub struct AppState {
    pub log_dir: PathBuf,
    pub sandbox: RwLock<SandboxStatus>,
    // Keeps the non-blocking log writer flushing until the app exits.
    _log_guard: tracing_appender::non_blocking::WorkerGuard,
}

impl AppState {
    pub fn new(log_dir: PathBuf, log_guard: tracing_appender::non_blocking::WorkerGuard) -> Self {
        Self {
            log_dir,
            sandbox: RwLock::new(SandboxStatus::Starting),
            _log_guard: log_guard,
        }
    }
}
