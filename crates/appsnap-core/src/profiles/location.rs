//! Where profiles live by default, shared by the CLI and the desktop app.

use std::path::PathBuf;

use acs_openapi::credentials::KeyringStore;

use super::Profiles;
use crate::error::AppError;

/// `<config dir>/appsnap` (e.g. `~/.config/appsnap`), or `appsnap-dev` for debug builds,
/// matching the keyring service so a dev build never mixes its profiles with an
/// installed AppSnap's keys.
pub fn config_dir() -> Result<PathBuf, AppError> {
    dirs::config_dir()
        .map(|d| d.join(KeyringStore::DEFAULT_SERVICE))
        .ok_or_else(|| {
            AppError::internal("no configuration directory (set HOME or XDG_CONFIG_HOME)")
        })
}

impl Profiles {
    /// The profiles in [`config_dir`], keys in this build's keyring service.
    pub fn in_config_dir() -> Result<Self, AppError> {
        Ok(Self::new(config_dir()?, KeyringStore::default()))
    }
}
