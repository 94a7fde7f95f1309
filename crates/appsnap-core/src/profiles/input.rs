//! What a front end sends to save a profile: the settings and, when entered, the secret.
//! The secret deserialises straight into `Sensitive` (it prints `***` and cannot be
//! serialised back), so it can never be echoed in a reply or a log line.

use acs_openapi::credentials::{AccessKey, KeyringSecret};
use acs_openapi::Sensitive;
use serde::{Deserialize, Deserializer};
use ts_rs::TS;

use super::{Profile, ProfileEntry, ProfileError, Profiles};

impl Profiles {
    /// Adds a profile from a form; the secret is required.
    pub fn add_input(&self, input: ProfileInput) -> Result<ProfileEntry, ProfileError> {
        let secret = input.secret.ok_or_else(|| {
            ProfileError::Invalid("a new profile needs its AccessKey ID and secret".into())
        })?;
        let name = input.profile.name.clone();
        self.add_with_secret(input.profile, &secret.into())?;
        self.entry(&name)
    }

    /// Edits a profile from a form; without a secret the keyring entry stays.
    pub fn update_input(&self, input: ProfileInput) -> Result<ProfileEntry, ProfileError> {
        let name = input.profile.name.clone();
        let secret = input.secret.map(KeyringSecret::from);
        self.update(input.profile, secret.as_ref())?;
        self.entry(&name)
    }

    /// One profile as listed.
    pub fn entry(&self, name: &str) -> Result<ProfileEntry, ProfileError> {
        self.list()?
            .into_iter()
            .find(|e| e.profile.name == name)
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()))
    }
}

impl From<SecretInput> for KeyringSecret {
    fn from(s: SecretInput) -> Self {
        Self {
            key: AccessKey {
                id: s.access_key_id,
                secret: s.access_key_secret.0,
            },
            // An empty token field is no token.
            security_token: s
                .security_token
                .map(|t| t.0)
                .filter(|t| !t.expose().is_empty()),
        }
    }
}

/// A secret typed into a form, read straight into [`Sensitive`].
#[derive(Debug)]
pub struct SecretText(pub Sensitive<String>);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(Sensitive::new(String::deserialize(d)?)))
    }
}

/// The secret parts typed into a profile form. Travels only from the UI to the backend.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct SecretInput {
    pub access_key_id: String,
    #[ts(type = "string")]
    pub access_key_secret: SecretText,
    /// STS token profiles only.
    #[serde(default)]
    #[ts(optional, type = "string")]
    pub security_token: Option<SecretText>,
}

/// A profile form: its settings, and the secret when one was entered (required when
/// adding; when editing, absent keeps the one in the keyring).
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[ts(export)]
pub struct ProfileInput {
    pub profile: Profile,
    #[serde(default)]
    #[ts(optional)]
    pub secret: Option<SecretInput>,
}
