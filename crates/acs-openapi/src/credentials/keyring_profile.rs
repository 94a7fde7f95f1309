//! An AppSnap profile's secrets in the OS keyring: an AccessKey (with a security token for
//! STS token profiles), or the source AccessKey of a RAM role to assume.

use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::OnceCell;

use super::{
    AssumeRoleCaller, AssumeRoleParams, Credentials, CredentialsError, KeyringSecret, KeyringStore,
    ProvideCredentials, RamRoleArnProvider,
};
use crate::clock::Clock;

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

    /// The profile's entry, read off the runtime; `NotFound` when there is none.
    async fn secret(&self) -> Result<KeyringSecret, CredentialsError> {
        let (store, profile) = (self.store.clone(), self.profile.clone());
        // Keyring backends block (D-Bus round trips); keep them off the runtime.
        let loaded = tokio::task::spawn_blocking(move || store.load_secret(&profile))
            .await
            .map_err(|e| CredentialsError::Keyring {
                message: e.to_string(),
            })??;
        loaded.ok_or_else(|| {
            CredentialsError::NotFound(format!(
                "no AppSnap profile '{}' in the OS keyring",
                self.profile
            ))
        })
    }
}

impl ProvideCredentials for KeyringProfileProvider {
    fn name(&self) -> &'static str {
        "profile"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let s = self.secret().await?;
            Ok(Credentials {
                access_key_id: s.key.id,
                access_key_secret: s.key.secret,
                security_token: s.security_token,
                expiration: None,
                provider: "profile",
            })
        })
    }
}

/// A RAM role assumed with the source AccessKey kept in the keyring for `profile`. The
/// keyring is read at the first call; the [`RamRoleArnProvider`] made then caches and
/// refreshes the temporary keys.
#[derive(Debug)]
pub struct KeyringRoleArnProvider {
    source: KeyringProfileProvider,
    params: AssumeRoleParams,
    sts: Arc<dyn AssumeRoleCaller>,
    clock: Clock,
    role: OnceCell<RamRoleArnProvider>,
}

impl KeyringRoleArnProvider {
    pub fn new(
        source: KeyringProfileProvider,
        params: AssumeRoleParams,
        sts: Arc<dyn AssumeRoleCaller>,
        clock: Clock,
    ) -> Self {
        Self {
            source,
            params,
            sts,
            clock,
            role: OnceCell::new(),
        }
    }
}

impl ProvideCredentials for KeyringRoleArnProvider {
    fn name(&self) -> &'static str {
        "profile-ram-role-arn"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let role = self
                .role
                .get_or_try_init(|| async {
                    let source = self.source.provide().await?;
                    Ok::<_, CredentialsError>(RamRoleArnProvider::new(
                        source,
                        self.params.clone(),
                        self.sts.clone(),
                        self.clock.clone(),
                    ))
                })
                .await?;
            role.provide().await
        })
    }
}
