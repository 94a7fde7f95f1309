//! Profiles: a name plus the non-secret settings a user picked for it (default region,
//! signature, custom endpoint, network), kept in `profiles.json` in a config directory
//! the caller chooses. The AccessKey of a profile lives in the OS keyring only, through
//! acs-openapi's [`KeyringStore`]; [`Profiles`] is the one place that writes both.
//!
//! `profiles.json` never holds a secret: [`Profile`] has no field for one and the file
//! rejects unknown fields, so neither a bug nor a hand edit can slip one in unnoticed.

mod current;
mod identity;
mod import;
mod input;
mod kind;
mod location;
mod store;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use acs_openapi::credentials::{AccessKey, KeyringSecret, KeyringStore};
use acs_openapi::endpoint::EndpointResolver;
use acs_openapi::{CredentialsError, Network, SignatureVersion};
#[cfg(test)]
use kind::validate_access_key;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{AppError, ErrorCode};
use crate::hint::{Hint, HintKey};

pub use current::{is_sandbox, CurrentProfile, SANDBOX_PROFILE};
pub use identity::{caller_identity, CallerIdentity, ProfileListing};
pub use import::{CliImportCandidate, CliImportListing};
pub use input::{ProfileInput, SecretInput};
pub use kind::ProfileKind;
pub use location::config_dir;
pub(crate) use store::write_atomic;
pub use store::ProfileStore;

/// Which request signature a profile's calls use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ProfileSignature {
    /// `ACS3-HMAC-SHA256`, what current SDKs send.
    #[default]
    Acs3,
    /// RPC signature v1 (HMAC-SHA1), for gateways and old endpoints that need it.
    V1,
}

impl From<ProfileSignature> for SignatureVersion {
    fn from(s: ProfileSignature) -> Self {
        match s {
            ProfileSignature::Acs3 => Self::Acs3,
            ProfileSignature::V1 => Self::V1,
        }
    }
}

impl FromStr for ProfileSignature {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.parse::<SignatureVersion>()? {
            SignatureVersion::Acs3 => Self::Acs3,
            SignatureVersion::V1 => Self::V1,
        })
    }
}

impl fmt::Display for ProfileSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Acs3 => "acs3",
            Self::V1 => "v1",
        })
    }
}

/// Public endpoints, or the `-vpc` ones reachable from inside a VPC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ProfileNetwork {
    #[default]
    Public,
    Vpc,
}

impl From<ProfileNetwork> for Network {
    fn from(n: ProfileNetwork) -> Self {
        match n {
            ProfileNetwork::Public => Self::Public,
            ProfileNetwork::Vpc => Self::Vpc,
        }
    }
}

impl FromStr for ProfileNetwork {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "public" => Ok(Self::Public),
            "vpc" => Ok(Self::Vpc),
            other => Err(format!("unknown network '{other}' (use public or vpc)")),
        }
    }
}

impl fmt::Display for ProfileNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Public => "public",
            Self::Vpc => "vpc",
        })
    }
}

/// A profile's settings. Never a secret: the AccessKey is in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct Profile {
    /// 1–64 characters from `A-Z a-z 0-9 . _ -`; also the keyring account name.
    pub name: String,
    /// Absent means an AccessKey profile (files written before kinds existed say nothing).
    #[serde(default, skip_serializing_if = "ProfileKind::is_access_key")]
    #[ts(optional, as = "Option<ProfileKind>")]
    pub kind: ProfileKind,
    /// Default region, e.g. `cn-hangzhou`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub region: Option<String>,
    #[serde(default)]
    pub signature: ProfileSignature,
    /// One base URL for every product (https, or http on loopback only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub network: ProfileNetwork,
}

impl Profile {
    /// A profile with every setting at its default.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            kind: ProfileKind::AccessKey,
            region: None,
            signature: ProfileSignature::default(),
            endpoint: None,
            network: ProfileNetwork::default(),
        }
    }

    /// Every rule a stored profile must meet; the message names the profile and field.
    pub fn validate(&self) -> Result<(), ProfileError> {
        validate_name(&self.name)?;
        self.kind
            .validate()
            .map_err(|why| ProfileError::Invalid(format!("profile '{}': {why}", self.name)))?;
        if let Some(region) = &self.region {
            validate_region(region)
                .map_err(|why| ProfileError::Invalid(format!("profile '{}': {why}", self.name)))?;
        }
        if let Some(endpoint) = &self.endpoint {
            // acs-openapi's own rule: the client would refuse anything else at call time.
            EndpointResolver::new(Network::Public)
                .with_custom(endpoint)
                .map_err(|e| ProfileError::Invalid(format!("profile '{}': {e}", self.name)))?;
        }
        Ok(())
    }
}

impl Profile {
    /// What a profile about to be added must meet: [`Profile::validate`], and a name that
    /// is not the built-in Sandbox's (stored ones are left alone: they may predate it).
    pub fn validate_new(&self) -> Result<(), ProfileError> {
        self.validate()?;
        current::refuse_sandbox_name(&self.name)
    }
}

/// 1–64 characters from `A-Z a-z 0-9 . _ -`.
pub fn validate_name(name: &str) -> Result<(), ProfileError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(ProfileError::Invalid(format!(
            "profile name '{name}': use 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'"
        )))
    }
}

/// Region ids look like `cn-hangzhou` or `ap-southeast-1`.
fn validate_region(region: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&region.len())
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "region '{region}': use a region id such as cn-hangzhou (lowercase letters, digits, '-')"
        ))
    }
}

/// What the OS keyring holds for a profile. Never the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum ProfileKeyStatus {
    /// An AccessKey id and secret are saved.
    #[serde(rename_all = "camelCase")]
    Stored { access_key_id: String },
    /// Nothing saved for this profile.
    Missing,
    /// The keyring could not be read; `reason` says what to do.
    #[serde(rename_all = "camelCase")]
    Unavailable { reason: String },
}

/// A profile as listed: its settings and whether its key is in the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileEntry {
    pub profile: Profile,
    pub key: ProfileKeyStatus,
}

/// What `remove` found and deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removed {
    pub settings: bool,
    pub key: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// A name, setting or key that breaks the rules; nothing was changed.
    #[error("{0}")]
    Invalid(String),
    #[error("profile '{0}' already exists")]
    Exists(String),
    #[error("no AppSnap profile '{0}'")]
    NotFound(String),
    /// `profiles.json` cannot be understood. It is left as it is, never rewritten.
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Keyring(#[from] CredentialsError),
    /// The keyring refused the key and the settings could not be taken back out.
    #[error("{0}")]
    PartlySaved(String),
}

impl From<&ProfileError> for AppError {
    fn from(err: &ProfileError) -> Self {
        let e = |code| AppError::new(code, err.to_string());
        match err {
            ProfileError::Invalid(_) => e(ErrorCode::InvalidInput),
            ProfileError::Exists(name) => e(ErrorCode::Conflict)
                .with_hint(Hint::new(HintKey::ProfileExists).with("profile", name.clone())),
            ProfileError::NotFound(_) => {
                e(ErrorCode::NotFound).with_hint(Hint::new(HintKey::ListProfiles))
            }
            ProfileError::Corrupt { .. } => {
                e(ErrorCode::Internal).with_hint(Hint::new(HintKey::FixProfilesFile))
            }
            ProfileError::Io { .. } => e(ErrorCode::Internal),
            // Both start with the keyring refusing; the message says what was left behind.
            ProfileError::Keyring(_) | ProfileError::PartlySaved(_) => {
                AppError::keyring(err.to_string())
            }
        }
    }
}

impl From<ProfileError> for AppError {
    fn from(err: ProfileError) -> Self {
        Self::from(&err)
    }
}

/// Profiles' settings (in `profiles.json`) and keys (in the OS keyring), kept together.
#[derive(Debug, Clone)]
pub struct Profiles {
    store: ProfileStore,
    keyring: KeyringStore,
}

impl Profiles {
    pub fn new(config_dir: impl Into<PathBuf>, keyring: KeyringStore) -> Self {
        Self {
            store: ProfileStore::new(config_dir),
            keyring,
        }
    }

    pub fn store(&self) -> &ProfileStore {
        &self.store
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Where the profiles' AccessKeys are; sessions read them from the same place.
    pub fn keyring(&self) -> &KeyringStore {
        &self.keyring
    }

    pub fn get(&self, name: &str) -> Result<Option<Profile>, ProfileError> {
        self.store.get(name)
    }

    /// Every profile, by name, with what the keyring holds for it. A keyring that
    /// cannot be reached shows as `Unavailable` instead of failing the list.
    pub fn list(&self) -> Result<Vec<ProfileEntry>, ProfileError> {
        Ok(self
            .store
            .load()?
            .into_iter()
            .map(|profile| {
                let key = match self.keyring.load(&profile.name) {
                    Ok(Some(key)) => ProfileKeyStatus::Stored {
                        access_key_id: key.id,
                    },
                    Ok(None) => ProfileKeyStatus::Missing,
                    Err(e) => ProfileKeyStatus::Unavailable {
                        reason: e.to_string(),
                    },
                };
                ProfileEntry { profile, key }
            })
            .collect())
    }

    /// Saves a new AccessKey profile: settings to `profiles.json`, the key to the keyring.
    pub fn add(&self, profile: Profile, key: &AccessKey) -> Result<(), ProfileError> {
        self.add_with_secret(profile, &KeyringSecret::from(key.clone()))
    }

    /// Saves a new profile of any kind: settings to `profiles.json`, its secret parts to
    /// the keyring. Everything is checked before anything is written; if the keyring
    /// refuses the secret, the settings are taken back out so no half profile is left.
    pub fn add_with_secret(
        &self,
        profile: Profile,
        secret: &KeyringSecret,
    ) -> Result<(), ProfileError> {
        profile.validate_new()?;
        profile.kind.validate_secret(secret)?;
        let name = profile.name.clone();
        self.store.insert(profile)?;
        if let Err(e) = self.keyring.save_secret(&name, secret) {
            if let Err(undo) = self.store.remove(&name) {
                return Err(ProfileError::PartlySaved(format!(
                    "{e}; and removing the half-saved profile '{name}' from {} failed: {undo}",
                    self.path().display()
                )));
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Changes a stored profile's settings (the name stays) and, when `secret` is given,
    /// replaces its secret in the keyring. Turning a profile into or out of an STS token
    /// profile needs the secret again (the token comes or goes with it). If the keyring
    /// refuses the new secret, the old settings are put back.
    pub fn update(
        &self,
        profile: Profile,
        secret: Option<&KeyringSecret>,
    ) -> Result<(), ProfileError> {
        profile.validate()?;
        let old = self
            .store
            .get(&profile.name)?
            .ok_or_else(|| ProfileError::NotFound(profile.name.clone()))?;
        match secret {
            Some(secret) => profile.kind.validate_secret(secret)?,
            None if old.kind.needs_security_token() != profile.kind.needs_security_token() => {
                return Err(ProfileError::Invalid(format!(
                    "profile '{}': switching to or from an STS token profile needs the AccessKey and security token entered again",
                    profile.name
                )))
            }
            None => {}
        }
        let name = profile.name.clone();
        self.store.replace(profile)?;
        let Some(secret) = secret else {
            return Ok(());
        };
        if let Err(e) = self.keyring.save_secret(&name, secret) {
            if let Err(undo) = self.store.replace(old) {
                return Err(ProfileError::PartlySaved(format!(
                    "{e}; and putting back the old settings of '{name}' in {} failed: {undo}",
                    self.path().display()
                )));
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Deletes the keyring entry, then the settings. `NotFound` when neither exists.
    pub fn remove(&self, name: &str) -> Result<Removed, ProfileError> {
        validate_name(name)?;
        // The key first: if the keyring fails, the settings stay and a retry can finish.
        let key = self.keyring.delete(name)?;
        let settings = self.store.remove(name)?.is_some();
        if !key && !settings {
            return Err(ProfileError::NotFound(name.into()));
        }
        Ok(Removed { settings, key })
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod kind_tests;
