//! Where AccessKeys come from: named providers composed into a chain.
//!
//! Chain rule (as in smithy-rs): [`CredentialsError::NotFound`] means "not here, try the
//! next provider"; any other error stops the chain, so a broken config file is reported
//! instead of silently falling through to other credentials.

mod chain;
mod cli_config;
mod env;
mod environment;
mod ini_file;
mod keyring_profile;
pub mod keyring_store;
mod ram_role_arn;

use std::fmt;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;

use crate::error::AcsError;
use crate::Sensitive;

pub use chain::{default_chain, ChainOptions, CredentialsChain};
pub use cli_config::{
    cli_config_path, read_cli_config, AliyunCliProvider, CliConfig, CliConfigProfile,
};
pub use env::Env;
pub use environment::EnvironmentProvider;
pub use ini_file::IniFileProvider;
pub use keyring_profile::{KeyringProfileProvider, KeyringRoleArnProvider};
pub use keyring_store::{AccessKey, KeyringSecret, KeyringStore};
pub use ram_role_arn::{AssumeRoleCaller, AssumeRoleParams, RamRoleArnProvider};

/// One set of credentials. The secret and token print as `***`.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Sensitive<String>,
    pub security_token: Option<Sensitive<String>>,
    /// When temporary (STS) credentials stop working.
    pub expiration: Option<DateTime<Utc>>,
    /// Which provider produced them, for logs and `whoami`.
    pub provider: &'static str,
}

impl Credentials {
    pub fn access_key(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            access_key_id: id.into(),
            access_key_secret: Sensitive::new(secret.into()),
            security_token: None,
            expiration: None,
            provider: "static",
        }
    }

    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(Sensitive::new(token.into()));
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialsError {
    /// Nothing configured here; the chain moves on.
    #[error("no credentials found: {0}")]
    NotFound(String),
    /// Something is configured but wrong (unreadable file, missing field).
    #[error("{provider}: {message}")]
    InvalidConfiguration {
        provider: &'static str,
        message: String,
    },
    /// A credential form we recognise but do not implement.
    #[error("{provider}: mode {mode} is not supported yet")]
    Unsupported {
        provider: &'static str,
        mode: String,
    },
    /// The OS keyring failed (not "no entry", which is NotFound).
    #[error("OS keyring: {message}")]
    Keyring { message: String },
    /// The OS keyring cannot be reached or is locked (e.g. no Secret Service on the
    /// session bus). The message says what to install or unlock.
    #[error("{message}")]
    KeyringUnavailable { message: String },
    /// Fetching temporary credentials (STS AssumeRole) failed.
    #[error("{provider}: could not get temporary credentials: {source}")]
    Provider {
        provider: &'static str,
        #[source]
        source: Box<AcsError>,
    },
}

pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Short stable name, e.g. `environment`.
    fn name(&self) -> &'static str;
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

/// Fixed credentials (tests, sandbox demo keys, the source of an AssumeRole).
#[derive(Debug, Clone)]
pub struct StaticProvider(pub Credentials);

impl ProvideCredentials for StaticProvider {
    fn name(&self) -> &'static str {
        "static"
    }
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// What the file-based providers need besides the file: the environment (paths, profile
/// name), an explicit profile name, and an STS caller for role-based profiles.
#[derive(Debug, Clone, Default)]
pub struct FileProviderContext {
    pub env: Env,
    /// Explicit profile; else `ALIBABA_CLOUD_PROFILE`; else the file's own default.
    pub profile: Option<String>,
    pub sts: Option<std::sync::Arc<dyn AssumeRoleCaller>>,
    pub clock: crate::clock::Clock,
}

impl FileProviderContext {
    fn profile_name(&self) -> Option<String> {
        self.profile
            .clone()
            .or_else(|| self.env.var("ALIBABA_CLOUD_PROFILE"))
    }

    fn role_provider(
        &self,
        provider: &'static str,
        source: Credentials,
        params: AssumeRoleParams,
    ) -> Result<Box<RamRoleArnProvider>, CredentialsError> {
        let sts = self
            .sts
            .clone()
            .ok_or_else(|| CredentialsError::InvalidConfiguration {
                provider,
                message: "a RAM role profile needs an STS client".into(),
            })?;
        Ok(Box::new(RamRoleArnProvider::new(
            source,
            params,
            sts,
            self.clock.clone(),
        )))
    }
}

/// The text of a credentials file: a missing home or file is "not here" (the chain moves
/// on); a file that exists but cannot be read stops the chain.
async fn read_credentials_file(
    provider: &'static str,
    path: Option<std::path::PathBuf>,
) -> Result<(std::path::PathBuf, String), CredentialsError> {
    let path = path.ok_or_else(|| CredentialsError::NotFound("no home directory".into()))?;
    match tokio::fs::read_to_string(&path).await {
        Ok(text) => Ok((path, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(CredentialsError::NotFound(
            format!("{} does not exist", path.display()),
        )),
        Err(e) => Err(CredentialsError::InvalidConfiguration {
            provider,
            message: format!("cannot read {}: {e}", path.display()),
        }),
    }
}

/// A file profile resolved once: fixed keys, or a role to assume (which caches itself).
#[derive(Debug)]
enum Resolved {
    Static(Credentials),
    Role(Box<RamRoleArnProvider>),
}

impl Resolved {
    async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        match self {
            Self::Static(c) => Ok(c.clone()),
            Self::Role(p) => p.provide().await,
        }
    }
}

#[cfg(test)]
mod tests;
