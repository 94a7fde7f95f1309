//! The only module that touches the OS keyring.
//!
//! One entry per profile: service `appsnap` in release builds, `appsnap-dev` in debug
//! builds (so a dev build never reads or overwrites the keys of an installed AppSnap),
//! or a test service; account = profile name; password = a small JSON object with the
//! AccessKey id and secret (and, for an STS token profile, its security token), so every
//! secret part of a profile is written and deleted together.
//!
//! The backend is fixed per platform at compile time (see the target tables in
//! Cargo.toml) and used directly, never through keyring's replaceable default builder:
//! the Secret Service (gnome-keyring, KWallet) on Linux and the BSDs, the Keychain on
//! macOS, the Credential Manager on Windows. Every other target fails to compile,
//! because keyring would quietly fall back to an in-memory mock there and users would
//! believe their keys were saved.

use serde::{Deserialize, Serialize};

use super::CredentialsError;
use crate::Sensitive;

#[cfg(not(any(
    target_os = "linux",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "macos",
    target_os = "windows"
)))]
compile_error!(
    "acs-openapi has no persistent OS keyring for this target (supported: Linux, FreeBSD, \
     OpenBSD via the Secret Service; macOS; Windows)"
);

/// The platform's keyring: a name for messages, what to do when it cannot be reached,
/// and its credential builder.
mod backend {
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    pub use keyring::secret_service::default_credential_builder as builder;
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    pub const NAME: &str = "Secret Service";
    #[cfg(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd"))]
    pub const UNAVAILABLE: &str =
        "no keyring service is running: install/unlock gnome-keyring or KWallet";

    #[cfg(target_os = "macos")]
    pub use keyring::macos::default_credential_builder as builder;
    #[cfg(target_os = "macos")]
    pub const NAME: &str = "macOS Keychain";
    #[cfg(target_os = "macos")]
    pub const UNAVAILABLE: &str = "the login keychain cannot be used: unlock it in Keychain Access";

    #[cfg(target_os = "windows")]
    pub use keyring::windows::default_credential_builder as builder;
    #[cfg(target_os = "windows")]
    pub const NAME: &str = "Windows Credential Manager";
    #[cfg(target_os = "windows")]
    pub const UNAVAILABLE: &str = "the Windows Credential Manager cannot be used";
}

/// An AccessKey pair as stored for a profile.
#[derive(Debug, Clone)]
pub struct AccessKey {
    pub id: String,
    pub secret: Sensitive<String>,
}

/// Everything secret a profile has: its AccessKey and, for STS token profiles, the
/// security token that goes with it.
#[derive(Debug, Clone)]
pub struct KeyringSecret {
    pub key: AccessKey,
    pub security_token: Option<Sensitive<String>>,
}

impl From<AccessKey> for KeyringSecret {
    fn from(key: AccessKey) -> Self {
        Self {
            key,
            security_token: None,
        }
    }
}

/// The wire form inside the keyring; never logged, never leaves this module. Entries
/// written before tokens existed have no `security_token` and read as plain AccessKeys.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_key_id: String,
    access_key_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    security_token: Option<String>,
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
    /// `appsnap-dev` in debug builds, `appsnap` in release builds.
    pub const DEFAULT_SERVICE: &'static str = if cfg!(debug_assertions) {
        "appsnap-dev"
    } else {
        "appsnap"
    };

    /// The keyring this build uses, for messages ("saved in the Secret Service").
    pub const BACKEND: &'static str = backend::NAME;

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
        let credential = backend::builder()
            .build(None, &self.service, profile)
            .map_err(keyring_error)?;
        Ok(keyring::Entry::new_with_credential(credential))
    }

    pub fn save(&self, profile: &str, key: &AccessKey) -> Result<(), CredentialsError> {
        self.save_secret(profile, &KeyringSecret::from(key.clone()))
    }

    /// Saves every secret part of a profile in one entry, replacing what was there.
    pub fn save_secret(
        &self,
        profile: &str,
        secret: &KeyringSecret,
    ) -> Result<(), CredentialsError> {
        let stored = Stored {
            access_key_id: secret.key.id.clone(),
            access_key_secret: secret.key.secret.expose().clone(),
            security_token: secret.security_token.as_ref().map(|t| t.expose().clone()),
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
        Ok(self.load_secret(profile)?.map(|s| s.key))
    }

    /// The AccessKey and security token of a profile; `None` when it has no entry.
    pub fn load_secret(&self, profile: &str) -> Result<Option<KeyringSecret>, CredentialsError> {
        match self.entry(profile)?.get_password() {
            Ok(json) => {
                let s: Stored =
                    serde_json::from_str(&json).map_err(|_| CredentialsError::Keyring {
                        message: format!(
                            "the entry for profile '{profile}' is not an AppSnap AccessKey"
                        ),
                    })?;
                Ok(Some(KeyringSecret {
                    key: AccessKey {
                        id: s.access_key_id,
                        secret: Sensitive::new(s.access_key_secret),
                    },
                    security_token: s.security_token.map(Sensitive::new),
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

/// A keyring that cannot be reached or is locked says so and what to do; anything else
/// keeps keyring's own description.
fn keyring_error(e: keyring::Error) -> CredentialsError {
    match e {
        keyring::Error::PlatformFailure(detail) | keyring::Error::NoStorageAccess(detail) => {
            CredentialsError::KeyringUnavailable {
                message: format!("{} ({}: {detail})", backend::UNAVAILABLE, backend::NAME),
            }
        }
        other => CredentialsError::Keyring {
            message: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use keyring::credential::CredentialPersistence;

    use super::*;

    #[test]
    fn entries_without_a_token_read_as_plain_access_keys() {
        // The form written before STS token profiles existed.
        let old: Stored =
            serde_json::from_str(r#"{"access_key_id":"LTAIold","access_key_secret":"s"}"#).unwrap();
        assert_eq!(old.security_token, None);
        let plain = Stored {
            access_key_id: "LTAIx".into(),
            access_key_secret: "s".into(),
            security_token: None,
        };
        assert_eq!(
            serde_json::to_string(&plain).unwrap(),
            r#"{"access_key_id":"LTAIx","access_key_secret":"s"}"#,
            "a plain key is written exactly as before"
        );
    }

    #[test]
    fn the_backend_keeps_keys_until_they_are_deleted() {
        // keyring's mock is EntryOnly and kernel keyutils UntilReboot: neither may ship.
        assert!(matches!(
            backend::builder().persistence(),
            CredentialPersistence::UntilDelete
        ));
    }

    #[cfg(debug_assertions)]
    #[test]
    fn debug_builds_use_their_own_namespace() {
        assert_eq!(KeyringStore::default().service(), "appsnap-dev");
    }

    #[test]
    fn unreachable_or_locked_keyrings_say_what_to_do() {
        for e in [
            keyring::Error::PlatformFailure("D-Bus error: no bus".into()),
            keyring::Error::NoStorageAccess("collection is locked".into()),
        ] {
            let err = keyring_error(e);
            assert!(
                matches!(err, CredentialsError::KeyringUnavailable { .. }),
                "{err:?}"
            );
            let text = err.to_string();
            assert!(text.contains(backend::UNAVAILABLE), "{text}");
            #[cfg(target_os = "linux")]
            assert!(
                text.contains(
                    "no keyring service is running: install/unlock gnome-keyring or KWallet"
                ),
                "{text}"
            );
        }
        let other = keyring_error(keyring::Error::BadEncoding(vec![0xff]));
        assert!(
            matches!(other, CredentialsError::Keyring { .. }),
            "{other:?}"
        );
    }
}
