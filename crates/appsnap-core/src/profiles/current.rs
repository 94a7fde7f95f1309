//! The desktop's current profile: a stored profile's name or the built-in Sandbox, whose
//! name is reserved here so no front end spells it on its own.

use std::sync::RwLock;

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
        Self(RwLock::new(SANDBOX_PROFILE.to_owned()))
    }
}

impl CurrentProfile {
    pub fn name(&self) -> String {
        // A panic elsewhere while holding the lock cannot leave a half-written String.
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn is_sandbox(&self) -> bool {
        is_sandbox(&self.name())
    }

    /// Switches to `name`: the Sandbox, or a profile in `profiles`. Anything else is
    /// `NotFound` and the current profile stays as it was.
    pub fn select(&self, name: &str, profiles: &Profiles) -> Result<(), AppError> {
        if !is_sandbox(name) && profiles.get(name)?.is_none() {
            return Err(ProfileError::NotFound(name.to_owned()).into());
        }
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = name.to_owned();
        Ok(())
    }
}

/// Which profile the desktop's commands use; starts at [`SANDBOX_PROFILE`].
#[derive(Debug)]
pub struct CurrentProfile(RwLock<String>);
