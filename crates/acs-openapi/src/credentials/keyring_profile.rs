//! An AppSnap profile: AccessKey id and secret saved in the OS keyring.

use futures::future::BoxFuture;

use super::{Credentials, CredentialsError, KeyringStore, ProvideCredentials};

#[derive(Debug, Clone)]
pub struct KeyringProfileProvider {
    store: KeyringStore,
    profile: String,
}

impl KeyringProfileProvider {
    pub fn new(store: KeyringStore, profile: impl Into<String>) -> Self {
        Self {
            store,
            profile: profile.into(),
        }
    }
}

impl ProvideCredentials for KeyringProfileProvider {
    fn name(&self) -> &'static str {
        "profile"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let (store, profile) = (self.store.clone(), self.profile.clone());
            // Keyring backends block (D-Bus round trips); keep them off the runtime.
            let loaded = tokio::task::spawn_blocking(move || store.load(&profile))
                .await
                .map_err(|e| CredentialsError::Keyring {
                    message: e.to_string(),
                })??;
            match loaded {
                Some(key) => Ok(Credentials {
                    access_key_id: key.id,
                    access_key_secret: key.secret,
                    security_token: None,
                    expiration: None,
                    provider: "profile",
                }),
                None => Err(CredentialsError::NotFound(format!(
                    "no AppSnap profile '{}' in the OS keyring",
                    self.profile
                ))),
            }
        })
    }
}
