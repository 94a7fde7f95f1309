//! The credentials library's `~/.alibabacloud/credentials` INI file
//! (`type = access_key | sts | ram_role_arn`).

use std::collections::HashMap;
use std::path::PathBuf;

use futures::future::BoxFuture;
use tokio::sync::OnceCell;

use super::{
    read_credentials_file, AssumeRoleParams, Credentials, CredentialsError, FileProviderContext,
    ProvideCredentials, Resolved,
};

const NAME: &str = "credentials-file";

#[derive(Debug)]
pub struct IniFileProvider {
    ctx: FileProviderContext,
    resolved: OnceCell<Resolved>,
}

/// Sections of `key = value` lines; `#` and `;` start comments; values may be quoted.
pub(crate) fn parse_ini(text: &str) -> HashMap<String, HashMap<String, String>> {
    let mut sections: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            sections.entry(name.clone()).or_default();
            current = Some(name);
        } else if let (Some(section), Some((k, v))) = (&current, line.split_once('=')) {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            sections
                .entry(section.clone())
                .or_default()
                .insert(k.trim().to_string(), v.to_string());
        }
    }
    sections
}

impl IniFileProvider {
    pub fn new(ctx: FileProviderContext) -> Self {
        Self {
            ctx,
            resolved: OnceCell::new(),
        }
    }

    fn path(&self) -> Option<PathBuf> {
        self.ctx
            .env
            .var("ALIBABA_CLOUD_CREDENTIALS_FILE")
            .map(PathBuf::from)
            .or_else(|| {
                self.ctx
                    .env
                    .home()
                    .map(|h| h.join(".alibabacloud").join("credentials"))
            })
    }

    async fn resolve(&self) -> Result<Resolved, CredentialsError> {
        let (path, text) = read_credentials_file(NAME, self.path()).await?;
        let wanted = self.ctx.profile_name().unwrap_or_else(|| "default".into());
        let mut sections = parse_ini(&text);
        let section = sections.remove(&wanted).ok_or_else(|| {
            CredentialsError::NotFound(format!("no profile [{wanted}] in {}", path.display()))
        })?;
        let get = |k: &str| section.get(k).filter(|v| !v.is_empty()).cloned();
        let need = |k: &str| get(k).ok_or_else(|| invalid(format!("profile [{wanted}] lacks {k}")));
        let kind = get("type").unwrap_or_else(|| "access_key".into());
        let key = || -> Result<Credentials, CredentialsError> {
            let mut c = Credentials::access_key(need("access_key_id")?, need("access_key_secret")?);
            c.provider = NAME;
            Ok(c)
        };
        match kind.as_str() {
            "access_key" => Ok(Resolved::Static(key()?)),
            "sts" => Ok(Resolved::Static(
                key()?.with_security_token(need("security_token")?),
            )),
            "ram_role_arn" => {
                let params = AssumeRoleParams {
                    role_arn: need("role_arn")?,
                    role_session_name: get("role_session_name").unwrap_or_else(|| "appsnap".into()),
                    duration_seconds: get("role_session_expiration").and_then(|s| s.parse().ok()),
                    policy: get("policy"),
                    external_id: get("external_id"),
                    sts_region: get("sts_region"),
                };
                Ok(Resolved::Role(self.ctx.role_provider(
                    NAME,
                    key()?,
                    params,
                )?))
            }
            other => Err(CredentialsError::Unsupported {
                provider: NAME,
                mode: other.to_string(),
            }),
        }
    }
}

fn invalid(message: String) -> CredentialsError {
    CredentialsError::InvalidConfiguration {
        provider: NAME,
        message,
    }
}

impl ProvideCredentials for IniFileProvider {
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
