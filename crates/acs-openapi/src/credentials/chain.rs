//! The provider chain: first provider with credentials wins; "not found" moves on, any
//! other error stops (a broken config is reported, not skipped).

use std::sync::Arc;

use futures::future::BoxFuture;
use tokio::sync::Mutex;

use super::{
    AliyunCliProvider, AssumeRoleCaller, Credentials, CredentialsError, Env, EnvironmentProvider,
    FileProviderContext, IniFileProvider, KeyringProfileProvider, KeyringStore, ProvideCredentials,
};
use crate::clock::Clock;

#[derive(Debug)]
pub struct CredentialsChain {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    /// Long-lived keys are looked up once (a keyring read per call is slow and may prompt).
    cache: Mutex<Option<Credentials>>,
}

impl CredentialsChain {
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        Self {
            providers,
            cache: Mutex::new(None),
        }
    }

    pub fn provider_names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }
}

impl ProvideCredentials for CredentialsChain {
    fn name(&self) -> &'static str {
        "chain"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(c) = cache.as_ref() {
                return Ok(c.clone());
            }
            let mut tried = Vec::new();
            for p in &self.providers {
                match p.provide().await {
                    Ok(c) => {
                        tracing::debug!(provider = p.name(), access_key_id = %c.access_key_id, "credentials loaded");
                        if c.expiration.is_none() {
                            *cache = Some(c.clone());
                        }
                        return Ok(c);
                    }
                    Err(CredentialsError::NotFound(why)) => {
                        tracing::trace!(provider = p.name(), %why, "no credentials here");
                        tried.push(format!("{}: {why}", p.name()));
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(CredentialsError::NotFound(tried.join("; ")))
        })
    }
}

/// Inputs of the default chain. `keyring` = `None` skips the OS keyring entirely.
#[derive(Debug, Clone, Default)]
pub struct ChainOptions {
    pub env: Env,
    /// Explicit profile (`--profile`): the keyring profile, then the same name in the
    /// aliyun CLI config and the credentials file (never the environment's keys).
    pub profile: Option<String>,
    pub keyring: Option<KeyringStore>,
    pub sts: Option<Arc<dyn AssumeRoleCaller>>,
    pub clock: Clock,
}

/// Without a named profile: environment → `~/.aliyun/config.json` →
/// `~/.alibabacloud/credentials`. With one: keyring profile → that profile in
/// `~/.aliyun/config.json` → in `~/.alibabacloud/credentials`; the environment's keys are
/// not consulted, so a mistyped or missing profile is an error instead of a silent switch
/// to whatever account the environment holds.
pub fn default_chain(options: ChainOptions) -> CredentialsChain {
    let mut providers: Vec<Arc<dyn ProvideCredentials>> = Vec::new();
    match &options.profile {
        Some(profile) => {
            if let Some(store) = &options.keyring {
                providers.push(Arc::new(KeyringProfileProvider::new(
                    store.clone(),
                    profile.clone(),
                )));
            }
        }
        None => providers.push(Arc::new(EnvironmentProvider::new(options.env.clone()))),
    }
    let ctx = FileProviderContext {
        env: options.env,
        profile: options.profile,
        sts: options.sts,
        clock: options.clock,
    };
    providers.push(Arc::new(AliyunCliProvider::new(ctx.clone())));
    providers.push(Arc::new(IniFileProvider::new(ctx)));
    CredentialsChain::new(providers)
}
