//! The Alibaba Cloud CLI's `~/.aliyun/config.json` (modes `AK`, `StsToken`, `RamRoleArn`).

use std::path::{Path, PathBuf};

use futures::future::BoxFuture;
use serde::Deserialize;
use tokio::sync::OnceCell;

use super::{
    read_credentials_file, AssumeRoleParams, Credentials, CredentialsError, Env,
    FileProviderContext, ProvideCredentials, Resolved,
};
use crate::Sensitive;

const NAME: &str = "aliyun-cli";

#[derive(Debug, Deserialize)]
struct ConfigFile {
    #[serde(default)]
    current: Option<String>,
    #[serde(default)]
    profiles: Vec<CliProfile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CliProfile {
    name: String,
    mode: String,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    sts_token: Option<String>,
    sts_region: Option<String>,
    ram_role_arn: Option<String>,
    ram_session_name: Option<String>,
    external_id: Option<String>,
    /// A number in files the CLI writes, sometimes a string in hand-edited ones.
    expired_seconds: Option<serde_json::Value>,
    region_id: Option<String>,
}

/// One profile of the aliyun CLI's file as it is written, for listing and importing.
/// The secret parts are [`Sensitive`]: they print as `***` and refuse to serialise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliConfigProfile {
    pub name: String,
    /// As written (`AK`, `StsToken`, `RamRoleArn`, ...); `AK` when the file has none.
    pub mode: String,
    pub region_id: Option<String>,
    pub access_key_id: Option<String>,
    pub access_key_secret: Option<Sensitive<String>>,
    pub sts_token: Option<Sensitive<String>>,
    pub ram_role_arn: Option<String>,
    pub ram_session_name: Option<String>,
    pub expired_seconds: Option<u32>,
}

/// The aliyun CLI's config file and its profiles in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliConfig {
    pub path: PathBuf,
    pub current: Option<String>,
    pub profiles: Vec<CliConfigProfile>,
}

/// Where the aliyun CLI keeps its profiles: `$ALIBABA_CLOUD_CONFIG_FILE`, else
/// `~/.aliyun/config.json`; `None` without either.
pub fn cli_config_path(env: &Env) -> Option<PathBuf> {
    env.var("ALIBABA_CLOUD_CONFIG_FILE")
        .map(PathBuf::from)
        .or_else(|| env.home().map(|h| h.join(".aliyun").join("config.json")))
}

/// Reads the aliyun CLI's file with the same parser the credentials provider uses. A
/// missing file is `NotFound`; one that cannot be read or parsed is `InvalidConfiguration`.
pub fn read_cli_config(env: &Env) -> Result<CliConfig, CredentialsError> {
    let path = cli_config_path(env)
        .ok_or_else(|| CredentialsError::NotFound("no home directory".into()))?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CredentialsError::NotFound(format!(
                "{} does not exist",
                path.display()
            )))
        }
        Err(e) => return Err(invalid(format!("cannot read {}: {e}", path.display()))),
    };
    let file = parse(&path, &text)?;
    let nonempty = |v: Option<String>| v.filter(|s| !s.is_empty());
    Ok(CliConfig {
        current: nonempty(file.current),
        profiles: file
            .profiles
            .into_iter()
            .map(|p| CliConfigProfile {
                mode: mode_of(&p),
                expired_seconds: p.expired_seconds.as_ref().and_then(seconds),
                name: p.name,
                region_id: nonempty(p.region_id),
                access_key_id: nonempty(p.access_key_id),
                access_key_secret: nonempty(p.access_key_secret).map(Sensitive::new),
                sts_token: nonempty(p.sts_token).map(Sensitive::new),
                ram_role_arn: nonempty(p.ram_role_arn),
                ram_session_name: nonempty(p.ram_session_name),
            })
            .collect(),
        path,
    })
}

fn parse(path: &Path, text: &str) -> Result<ConfigFile, CredentialsError> {
    serde_json::from_str(text).map_err(|e| invalid(format!("{} is not valid: {e}", path.display())))
}

/// A profile without a mode is an AccessKey profile, as the CLI reads it.
fn mode_of(p: &CliProfile) -> String {
    if p.mode.is_empty() {
        "AK".to_string()
    } else {
        p.mode.clone()
    }
}

#[derive(Debug)]
pub struct AliyunCliProvider {
    ctx: FileProviderContext,
    resolved: OnceCell<Resolved>,
}

impl AliyunCliProvider {
    pub fn new(ctx: FileProviderContext) -> Self {
        Self {
            ctx,
            resolved: OnceCell::new(),
        }
    }

    fn path(&self) -> Option<PathBuf> {
        cli_config_path(&self.ctx.env)
    }

    async fn resolve(&self) -> Result<Resolved, CredentialsError> {
        if self
            .ctx
            .env
            .var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED")
            .as_deref()
            == Some("true")
        {
            return Err(CredentialsError::NotFound(
                "aliyun CLI profiles are disabled".into(),
            ));
        }
        let (path, text) = read_credentials_file(NAME, self.path()).await?;
        let file = parse(&path, &text)?;
        let wanted = self
            .ctx
            .profile_name()
            .or(file.current.clone().filter(|c| !c.is_empty()))
            .unwrap_or_else(|| "default".into());
        let profile = file
            .profiles
            .into_iter()
            .find(|p| p.name == wanted)
            .ok_or_else(|| {
                CredentialsError::NotFound(format!("no profile '{wanted}' in {}", path.display()))
            })?;
        self.resolve_profile(profile)
    }

    fn resolve_profile(&self, p: CliProfile) -> Result<Resolved, CredentialsError> {
        let mode = mode_of(&p);
        let key = |p: &CliProfile| -> Result<Credentials, CredentialsError> {
            match (&p.access_key_id, &p.access_key_secret) {
                (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => {
                    let mut c = Credentials::access_key(id.clone(), secret.clone());
                    c.provider = NAME;
                    Ok(c)
                }
                _ => Err(invalid(format!(
                    "profile '{}' (mode {mode}) lacks access_key_id or access_key_secret",
                    p.name
                ))),
            }
        };
        match mode.to_ascii_lowercase().as_str() {
            "ak" => Ok(Resolved::Static(key(&p)?)),
            "ststoken" => {
                let token = p
                    .sts_token
                    .clone()
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| {
                        invalid(format!(
                            "profile '{}' (mode StsToken) lacks sts_token",
                            p.name
                        ))
                    })?;
                Ok(Resolved::Static(key(&p)?.with_security_token(token)))
            }
            "ramrolearn" => {
                let source = key(&p)?;
                let role_arn = p
                    .ram_role_arn
                    .clone()
                    .filter(|r| !r.is_empty())
                    .ok_or_else(|| {
                        invalid(format!(
                            "profile '{}' (mode RamRoleArn) lacks ram_role_arn",
                            p.name
                        ))
                    })?;
                let params = AssumeRoleParams {
                    role_arn,
                    role_session_name: p
                        .ram_session_name
                        .clone()
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "appsnap".into()),
                    duration_seconds: p.expired_seconds.as_ref().and_then(seconds),
                    policy: None,
                    external_id: p.external_id.clone().filter(|s| !s.is_empty()),
                    sts_region: p.sts_region.clone().filter(|s| !s.is_empty()),
                };
                Ok(Resolved::Role(
                    self.ctx.role_provider(NAME, source, params)?,
                ))
            }
            _ => Err(CredentialsError::Unsupported {
                provider: NAME,
                mode,
            }),
        }
    }
}

fn seconds(v: &serde_json::Value) -> Option<u32> {
    match v {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
    .filter(|n| *n > 0)
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::InvalidConfiguration {
        provider: NAME,
        message,
    }
}

impl ProvideCredentials for AliyunCliProvider {
    fn name(&self) -> &'static str {
        NAME
    }

    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            self.resolved
                .get_or_try_init(|| self.resolve())
                .await?
                .credentials()
                .await
        })
    }
}
