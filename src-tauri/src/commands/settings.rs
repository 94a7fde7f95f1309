//! Settings, "copy diagnostics" and "open folder": validate → core → `AppError`. The
//! report reads profiles.json only (never the keyring); the Sandbox's built-in key is
//! passed in so it is redacted by value.

use std::path::PathBuf;
use std::process::Command;

use appsnap_core::diagnostics::{self, Sources};
use appsnap_core::settings::AppSettings;
use appsnap_core::status::FolderKind;
use appsnap_core::{AppError, Hint, HintKey};

use crate::state::AppState;

pub async fn settings_get(state: &AppState) -> Result<AppSettings, AppError> {
    let store = state.settings.clone();
    blocking(move || store.load()).await
}

/// Saves the settings whole; answers them as stored.
pub async fn settings_save(
    state: &AppState,
    settings: AppSettings,
) -> Result<AppSettings, AppError> {
    settings.validate()?;
    let store = state.settings.clone();
    let saved = blocking(move || store.save(&settings).and_then(|()| store.load())).await?;
    tracing::info!(
        concurrency = saved.concurrency,
        first_poll_ms = saved.first_poll_ms,
        max_poll_secs = saved.max_poll_secs,
        pattern = %saved.command_pattern,
        "settings saved"
    );
    Ok(saved)
}

/// The diagnostics report as text, for the clipboard.
pub async fn diagnostics(state: &AppState) -> Result<String, AppError> {
    let profiles = state.profiles.clone();
    let settings = state.settings.clone();
    let current_profile = state.current_profile.name();
    let dirs = folders(state)?;
    let log_dir = state.log_dir.clone();
    blocking(move || {
        let sources = Sources {
            app: format!("AppSnap desktop {}", env!("CARGO_PKG_VERSION")),
            current_profile,
            profiles: profiles.store().load().map_err(|e| e.to_string()),
            settings: settings.load().map_err(|e| e.message),
            dirs: vec![
                ("config", dirs.config),
                ("data", dirs.data),
                ("logs", dirs.logs),
            ],
            log_dir: &log_dir,
            known_secrets: sandbox_cloud::demo_accounts()
                .into_iter()
                .map(|a| a.access_key_secret.to_owned())
                .collect(),
        };
        Ok(diagnostics::collect(sources).text())
    })
    .await
}

/// Opens a folder in the OS's file manager (created first, so there is one to show).
pub async fn open_folder(state: &AppState, kind: FolderKind) -> Result<(), AppError> {
    let dirs = folders(state)?;
    let path = match kind {
        FolderKind::Logs => dirs.logs,
        FolderKind::Data => dirs.data,
        FolderKind::Config => dirs.config,
    };
    blocking(move || open(&path)).await
}

pub struct Folders {
    pub config: PathBuf,
    pub data: PathBuf,
    pub logs: PathBuf,
}

pub fn folders(state: &AppState) -> Result<Folders, AppError> {
    Ok(Folders {
        config: state
            .settings
            .path()
            .parent()
            .map(PathBuf::from)
            .ok_or_else(|| AppError::internal("the settings file has no folder"))?,
        data: appsnap_core::fleet::data_dir()?,
        logs: state.log_dir.clone(),
    })
}

/// The platform's opener; `APPSNAP_OPEN_WITH` replaces it (the e2e suite records the call
/// instead of starting a file manager).
fn opener() -> String {
    std::env::var("APPSNAP_OPEN_WITH").unwrap_or_else(|_| {
        match std::env::consts::OS {
            "macos" => "open",
            "windows" => "explorer",
            _ => "xdg-open",
        }
        .to_owned()
    })
}

fn open(path: &std::path::Path) -> Result<(), AppError> {
    let failed = |why: String| {
        AppError::internal(format!("cannot open {}: {why}", path.display())).with_hint(
            Hint::new(HintKey::OpenFolderYourself).with("path", path.display().to_string()),
        )
    };
    std::fs::create_dir_all(path).map_err(|e| failed(e.to_string()))?;
    let program = opener();
    let status = Command::new(&program)
        .arg(path)
        .status()
        .map_err(|e| failed(format!("{program} could not be started ({e})")))?;
    // explorer.exe answers 1 even when it opened the folder.
    if status.success() || std::env::consts::OS == "windows" {
        tracing::info!(path = %path.display(), "folder opened");
        Ok(())
    } else {
        Err(failed(format!("{program} ended with {status}")))
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("the settings work stopped: {e}")))?
}
