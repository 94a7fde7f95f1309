//! The desktop's current profile: a stored profile's name or the built-in Sandbox, whose
//! name is reserved here so no front end spells it on its own. The choice may be kept in
//! a small file (written atomically, like profiles.json) so the app reopens on it.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use serde::{Deserialize, Serialize};

use super::store::write_atomic;
use super::{ProfileError, Profiles};
use crate::error::AppError;

/// The built-in profile that calls the desktop's embedded sandbox cloud.
pub const SANDBOX_PROFILE: &str = "Sandbox";

/// Whether `name` is the built-in Sandbox profile (exact: stored names are case-sensitive).
pub fn is_sandbox(name: &str) -> bool {
    name == SANDBOX_PROFILE
}

/// New profiles may not take the Sandbox's name in any spelling, so the desktop's list
/// never shows two "Sandbox" entries.
pub(super) fn refuse_sandbox_name(name: &str) -> Result<(), ProfileError> {
    if name.eq_ignore_ascii_case(SANDBOX_PROFILE) {
        return Err(ProfileError::Invalid(format!(
            "profile name '{name}': {SANDBOX_PROFILE} is the built-in profile of the desktop app; pick another name"
        )));
    }
    Ok(())
}

impl Default for CurrentProfile {
    fn default() -> Self {
        Self {
            name: RwLock::new(SANDBOX_PROFILE.to_owned()),
            file: None,
        }
    }
}

impl CurrentProfile {
    pub const FILE_NAME: &'static str = "current-profile.json";

    /// The choice saved in `dir`, when it names the Sandbox or a profile that still
    /// exists; else the Sandbox (a missing, unreadable or stale file is not an error: the
    /// choice is only a convenience). Later choices are saved there.
    pub fn open(dir: impl AsRef<Path>, profiles: &Profiles) -> Self {
        let file = dir.as_ref().join(Self::FILE_NAME);
        let saved = fs::read_to_string(&file)
            .ok()
            .and_then(|text| serde_json::from_str::<Saved>(&text).ok())
            .filter(|s| s.version == VERSION)
            .map(|s| s.profile)
            .filter(|name| is_sandbox(name) || matches!(profiles.get(name), Ok(Some(_))));
        Self {
            name: RwLock::new(saved.unwrap_or_else(|| SANDBOX_PROFILE.to_owned())),
            file: Some(file),
        }
    }

    /// Where the choice is kept, if anywhere.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    pub fn name(&self) -> String {
        // A panic elsewhere while holding the lock cannot leave a half-written String.
        self.name.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn is_sandbox(&self) -> bool {
        is_sandbox(&self.name())
    }

    /// Switches to `name`: the Sandbox, or a profile in `profiles`. Anything else is
    /// `NotFound` and the current profile stays as it was; so it does when the choice
    /// cannot be saved.
    pub fn select(&self, name: &str, profiles: &Profiles) -> Result<(), AppError> {
        if !is_sandbox(name) && profiles.get(name)?.is_none() {
            return Err(ProfileError::NotFound(name.to_owned()).into());
        }
        self.set(name)
    }

    /// Back to the Sandbox when `name` (just removed) was the current profile; whether
    /// it was.
    pub fn forget(&self, name: &str) -> Result<bool, AppError> {
        if self.name() != name || is_sandbox(name) {
            return Ok(false);
        }
        self.set(SANDBOX_PROFILE)?;
        Ok(true)
    }

    fn set(&self, name: &str) -> Result<(), AppError> {
        let mut current = self.name.write().unwrap_or_else(|e| e.into_inner());
        if let Some(file) = &self.file {
            let mut text = serde_json::to_string_pretty(&Saved {
                version: VERSION,
                profile: name.to_owned(),
            })
            .expect("the choice serialises");
            text.push('\n');
            write_atomic(file, text.as_bytes(), |_| Ok(())).map_err(|e| {
                AppError::internal(format!(
                    "cannot save the current profile in {}: {e}",
                    file.display()
                ))
            })?;
        }
        *current = name.to_owned();
        Ok(())
    }
}

const VERSION: u32 = 1;

/// `current-profile.json`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    version: u32,
    profile: String,
}

/// Which profile the desktop's commands use; starts at [`SANDBOX_PROFILE`].
#[derive(Debug)]
pub struct CurrentProfile {
    name: RwLock<String>,
    file: Option<PathBuf>,
}
