//! State shared by the IPC commands.

use std::path::PathBuf;

use appsnap_core::status::SandboxStatus;
use tokio::sync::RwLock;

pub struct AppState {
    pub log_dir: PathBuf,
    pub sandbox: RwLock<SandboxStatus>,
    /// The embedded sandbox server; held here so it lives as long as the app.
    pub sandbox_server: tokio::sync::Mutex<Option<sandbox_cloud::RunningSandbox>>,
    // Keeps the non-blocking log writer flushing until the app exits.
    _log_guard: tracing_appender::non_blocking::WorkerGuard,
}

impl AppState {
    pub fn new(log_dir: PathBuf, log_guard: tracing_appender::non_blocking::WorkerGuard) -> Self {
        Self {
            log_dir,
            sandbox: RwLock::new(SandboxStatus::Starting),
            sandbox_server: tokio::sync::Mutex::new(None),
            _log_guard: log_guard,
        }
    }
}
