//! State shared by the IPC commands.

use std::path::PathBuf;

use appsnap_core::profiles::{CurrentProfile, Profiles};
use appsnap_core::progress::Tasks;
use appsnap_core::settings::SettingsStore;
use appsnap_core::status::SandboxStatus;
use tokio::sync::RwLock;

pub struct AppState {
    pub log_dir: PathBuf,
    /// The profile every command works on (the Sandbox on first start, then the last
    /// choice, kept in the app's config dir); every screen follows it.
    pub current_profile: CurrentProfile,
    /// Stored profiles: settings in the config dir, AccessKeys in the OS keyring.
    pub profiles: Profiles,
    /// `settings.json` beside profiles.json; read on each use, so the CLI's edits count.
    pub settings: SettingsStore,
    pub sandbox: RwLock<SandboxStatus>,
    /// The embedded sandbox server; held here so it lives as long as the app.
    pub sandbox_server: tokio::sync::Mutex<Option<sandbox_cloud::RunningSandbox>>,
    /// Running long tasks by the UI's task id, so `task_cancel` reaches them.
    pub tasks: Tasks,
    // Keeps the non-blocking log writer flushing until the app exits.
    _log_guard: tracing_appender::non_blocking::WorkerGuard,
}

impl AppState {
    pub fn new(
        log_dir: PathBuf,
        profiles: Profiles,
        settings: SettingsStore,
        current_profile: CurrentProfile,
        log_guard: tracing_appender::non_blocking::WorkerGuard,
    ) -> Self {
        Self {
            log_dir,
            current_profile,
            profiles,
            settings,
            sandbox: RwLock::new(SandboxStatus::Starting),
            sandbox_server: tokio::sync::Mutex::new(None),
            tasks: Tasks::default(),
            _log_guard: log_guard,
        }
    }
}
