//! A session: the `acs_openapi::Client` a front end calls the cloud with, opened from
//! "profile X, or the environment, with these overrides" (flag > profile > environment >
//! built-in, see [`Settings::resolve`]), or for the desktop's built-in Sandbox. Front
//! ends never build a client or a credentials chain themselves.

mod settings;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use acs_openapi::credentials::{
    default_chain, AccessKey, ChainOptions, Env, KeyringProfileProvider, KeyringRoleArnProvider,
    ProvideCredentials,
};
use acs_openapi::{
    AcsError, Client, ClientBuilder, Clock, Credentials, CredentialsError, Network,
    SignatureVersion, StsAssumeRole,
};

use crate::error::{AppError, ErrorCode};
use crate::hint::{Hint, HintKey};
use crate::profiles::{is_sandbox, Profile, ProfileError, ProfileKind, Profiles, SANDBOX_PROFILE};

pub use settings::{SessionOverrides, Settings};

impl Session {
    /// `overrides.profile` (a stored AppSnap profile, else that name in the aliyun CLI's
    /// files), or without one the environment and those files. A corrupt profiles.json
    /// is an error, never ignored. Credentials are read at the first call, not here.
    pub fn open(
        overrides: &SessionOverrides,
        profiles: &Profiles,
        env: &Env,
    ) -> Result<Self, AppError> {
        let stored = match &overrides.profile {
            Some(name) => profiles.get(name)?,
            None => None,
        };
        Self::with_profile(overrides, stored.as_ref(), profiles, env)
    }

    /// The session for a profile the desktop knows by name: the built-in Sandbox
    /// (`sandbox` is `None` while it is not serving), or a stored profile. A name that is
    /// neither is `NotFound`; the aliyun CLI's files are not consulted here.
    pub fn open_named(
        name: &str,
        sandbox: Option<&SandboxAccess>,
        profiles: &Profiles,
        env: &Env,
    ) -> Result<Self, AppError> {
        if is_sandbox(name) {
            let access = sandbox.ok_or_else(|| {
                AppError::new(
                    ErrorCode::Internal,
                    format!("the built-in {SANDBOX_PROFILE} cloud is not running"),
                )
                .with_hint(Hint::new(HintKey::SandboxNotRunning))
            })?;
            return Self::sandbox(&access.endpoint, &access.key);
        }
        let stored = profiles
            .get(name)?
            .ok_or_else(|| ProfileError::NotFound(name.to_owned()))?;
        let overrides = SessionOverrides {
            profile: Some(name.to_owned()),
            ..SessionOverrides::default()
        };
        Self::with_profile(&overrides, Some(&stored), profiles, env)
    }

    /// The desktop's built-in Sandbox profile: the embedded sandbox cloud at `endpoint`
    /// (loopback), signed with its admin AccessKey, which the shell hands over.
    pub fn sandbox(endpoint: &str, key: &AccessKey) -> Result<Self, AppError> {
        let settings = Settings {
            profile: Some(SANDBOX_PROFILE.to_owned()),
            stored: false,
            region: None,
            endpoint: Some(endpoint.to_owned()),
            signature: SignatureVersion::Acs3,
            network: Network::Public,
        };
        let credentials = Credentials {
            provider: "sandbox",
            ..Credentials::access_key(key.id.clone(), key.secret.expose().clone())
        };
        let client = builder(&settings).static_credentials(credentials).build()?;
        Ok(Self { settings, client })
    }

    /// `err` from a call in this session as an `AppError`, with the hints only the
    /// session can give (a `--profile` that exists nowhere says how to create it).
    pub fn app_error(&self, err: &AcsError) -> AppError {
        self.settings.app_error(err)
    }

    fn with_profile(
        overrides: &SessionOverrides,
        stored: Option<&Profile>,
        profiles: &Profiles,
        env: &Env,
    ) -> Result<Self, AppError> {
        let settings = Settings::resolve(overrides, stored, env);
        let builder = builder(&settings);
        let sts = Arc::new(StsAssumeRole::new(builder.clone()));
        let credentials: Arc<dyn ProvideCredentials> = match stored {
            // STS token and RAM role ARN profiles have their secrets in the keyring only:
            // no fallback to a same-named aliyun CLI profile with other credentials.
            Some(p) if !p.kind.is_access_key() => {
                let source = KeyringProfileProvider::new(profiles.keyring().clone(), &p.name);
                match &p.kind {
                    ProfileKind::RamRoleArn { .. } => Arc::new(KeyringRoleArnProvider::new(
                        source,
                        p.kind.assume_role_params().expect("a RAM role ARN profile"),
                        sts,
                        Clock::system(),
                    )),
                    _ => Arc::new(source),
                }
            }
            _ => Arc::new(default_chain(ChainOptions {
                env: env.clone(),
                profile: settings.profile.clone(),
                keyring: Some(profiles.keyring().clone()),
                sts: Some(sts),
                clock: Clock::system(),
            })),
        };
        let client = builder
            .credentials(credentials)
            .build()
            .map_err(|e| settings.app_error(&e))?;
        Ok(Self { settings, client })
    }
}

impl Settings {
    /// [`Session::app_error`], for errors before or without a session.
    pub fn app_error(&self, err: &AcsError) -> AppError {
        let app = AppError::from(err);
        match (&self.profile, self.stored, err) {
            (Some(name), false, AcsError::Credentials(CredentialsError::NotFound(_)))
                if !is_sandbox(name) =>
            {
                app.with_hint(Hint::new(HintKey::CreateProfile).with("profile", name.clone()))
            }
            _ => app,
        }
    }
}

/// The client settings every session shares; credentials are added per kind of session.
fn builder(s: &Settings) -> ClientBuilder {
    let mut builder = Client::builder().signature(s.signature).network(s.network);
    if let Some(region) = &s.region {
        builder = builder.region(region);
    }
    if let Some(endpoint) = &s.endpoint {
        builder = builder.endpoint(endpoint);
    }
    builder
}

/// What the desktop shell knows of its embedded sandbox: where it serves and its admin
/// AccessKey (core takes them as they are; it does not depend on sandbox-cloud).
#[derive(Debug, Clone)]
pub struct SandboxAccess {
    pub endpoint: String,
    pub key: AccessKey,
}

/// An open session: what it runs with and the client to call.
#[derive(Debug, Clone)]
pub struct Session {
    pub settings: Settings,
    pub client: Client,
}
