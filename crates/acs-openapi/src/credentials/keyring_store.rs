//! The only module that touches the OS keyring.
//!
//! One entry per profile: service `appsnap` (or a test service), account = profile name,
//! password = a small JSON object with the AccessKey id and secret, so id and secret are
//! written and deleted together.

use serde::{Deserialize, Serialize};

use super::CredentialsError;
use crate::Sensitive;

/// An AccessKey pair as stored for a profile.
#[derive(Debug, Clone)]
pub struct AccessKey {
    pub id: String,
    pub secret: Sensitive<String>,
}

/// The wire form inside the keyring; never logged, never leaves this module.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_key_id: String,
    access_key_secret: String,
}

#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_SERVICE)
    }
}

impl KeyringStore {
    pub const DEFAULT_SERVICE: &'static str = "appsnap";

    /// A store under another service name (tests use a unique one).
    pub fn new(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    fn entry(&self, profile: &str) -> Result<keyring::Entry, CredentialsError> {
        keyring::Entry::new(&self.service, profile).map_err(keyring_error)
    }

    pub fn save(&self, profile: &str, key: &AccessKey) -> Result<(), CredentialsError> {
        let stored = Stored {
            access_key_id: key.id.clone(),
            access_key_secret: key.secret.expose().clone(),
        };
        let json = serde_json::to_string(&stored).map_err(|e| CredentialsError::Keyring {
            message: e.to_string(),
        })?;
        self.entry(profile)?
            .set_password(&json)
            .map_err(keyring_error)
    }

    /// `None` when the profile has no entry.
    pub fn load(&self, profile: &str) -> Result<Option<AccessKey>, CredentialsError> {
        match self.entry(profile)?.get_password() {
            Ok(json) => {
                let s: Stored =
                    serde_json::from_str(&json).map_err(|_| CredentialsError::Keyring {
                        message: format!(
                            "the entry for profile '{profile}' is not an AppSnap AccessKey"
                        ),
                    })?;
                Ok(Some(AccessKey {
                    id: s.access_key_id,
                    secret: Sensitive::new(s.access_key_secret),
                }))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    /// `false` when there was nothing to delete.
    pub fn delete(&self, profile: &str) -> Result<bool, CredentialsError> {
        match self.entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

fn keyring_error(e: keyring::Error) -> CredentialsError {
    CredentialsError::Keyring {
        message: e.to_string(),
    }
}
