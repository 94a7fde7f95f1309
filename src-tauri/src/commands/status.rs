//! What the shell tells the UI about itself.

use appsnap_core::fleet::set_aside_files;
use appsnap_core::status::AppStatus;
use appsnap_core::AppError;

use crate::state::AppState;

pub async fn app_status(state: &AppState) -> Result<AppStatus, AppError> {
    let dirs = super::settings::folders(state)?;
    Ok(AppStatus {
        version: env!("CARGO_PKG_VERSION").to_string(),
        profile: state.current_profile.name(),
        sandbox: state.sandbox.read().await.clone(),
        log_dir: state.log_dir.display().to_string(),
        data_dir: dirs.data.display().to_string(),
        config_dir: dirs.config.display().to_string(),
        history_set_aside: set_aside_files(&dirs.data)
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    })
}
