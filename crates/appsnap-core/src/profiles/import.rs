//! Importing profiles from the aliyun CLI's `~/.aliyun/config.json` (or
//! `$ALIBABA_CLOUD_CONFIG_FILE`), read by acs-openapi's one parser. The listing shows
//! what each profile is, never its secrets; importing copies the secrets straight into
//! the keyring.

use acs_openapi::credentials::{read_cli_config, AccessKey, CliConfigProfile, Env, KeyringSecret};
use acs_openapi::CredentialsError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Profile, ProfileError, ProfileKind, Profiles};
use crate::error::AppError;

impl Profiles {
    /// The aliyun CLI's profiles and whether each can be imported here; an absent file
    /// is an empty listing that names where it was looked for.
    pub fn cli_import_listing(&self, env: &Env) -> Result<CliImportListing, AppError> {
        let (path, found, profiles) = match read_cli_config(env) {
            Ok(config) => (config.path, true, config.profiles),
            Err(CredentialsError::NotFound(_)) => (
                acs_openapi::credentials::cli_config_path(env).unwrap_or_default(),
                false,
                Vec::new(),
            ),
            Err(e) => return Err(AppError::invalid_input(e.to_string())),
        };
        let candidates = profiles
            .iter()
            .map(|p| CliImportCandidate {
                name: p.name.clone(),
                mode: p.mode.clone(),
                region: p.region_id.clone(),
                access_key_id: p.access_key_id.clone(),
                role_arn: p.ram_role_arn.clone(),
                problem: self.import_problem(p).err(),
            })
            .collect();
        Ok(CliImportListing {
            path: path.display().to_string(),
            found,
            profiles: candidates,
        })
    }

    /// Imports the named profiles of the aliyun CLI's file under the same names. Every
    /// one is checked first; if any cannot be imported, nothing is. Returns the names.
    pub fn import_cli(&self, env: &Env, names: &[String]) -> Result<Vec<String>, AppError> {
        if names.is_empty() {
            return Err(AppError::invalid_input(
                "pick at least one profile to import",
            ));
        }
        let config = read_cli_config(env).map_err(|e| AppError::invalid_input(e.to_string()))?;
        let mut chosen = Vec::new();
        for name in names {
            if chosen
                .iter()
                .any(|(p, _): &(Profile, KeyringSecret)| &p.name == name)
            {
                continue;
            }
            let found = config
                .profiles
                .iter()
                .find(|p| &p.name == name)
                .ok_or_else(|| {
                    AppError::invalid_input(format!(
                        "no profile '{name}' in {}",
                        config.path.display()
                    ))
                })?;
            let converted = self
                .import_problem(found)
                .map_err(|why| AppError::invalid_input(format!("profile '{name}': {why}")))?;
            chosen.push(converted);
        }
        let mut imported = Vec::new();
        for (profile, secret) in chosen {
            let name = profile.name.clone();
            self.add_with_secret(profile, &secret).map_err(|e| {
                let mut err = AppError::from(&e);
                if !imported.is_empty() {
                    err.message = format!(
                        "{} (imported before it: {})",
                        err.message,
                        imported.join(", ")
                    );
                }
                err
            })?;
            imported.push(name);
        }
        Ok(imported)
    }

    /// The profile and secret an aliyun CLI profile becomes, or why it cannot.
    fn import_problem(&self, p: &CliConfigProfile) -> Result<(Profile, KeyringSecret), String> {
        let (profile, secret) = convert(p)?;
        profile.validate_new().map_err(|e| e.to_string())?;
        profile
            .kind
            .validate_secret(&secret)
            .map_err(|e| e.to_string())?;
        match self.get(&profile.name) {
            Ok(None) => Ok((profile, secret)),
            Ok(Some(_)) => Err(ProfileError::Exists(profile.name).to_string()),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// AK, StsToken and RamRoleArn profiles map to the three kinds; other modes do not.
fn convert(p: &CliConfigProfile) -> Result<(Profile, KeyringSecret), String> {
    let kind = match p.mode.to_ascii_lowercase().as_str() {
        "ak" => ProfileKind::AccessKey,
        "ststoken" => ProfileKind::StsToken,
        "ramrolearn" => ProfileKind::RamRoleArn {
            role_arn: p.ram_role_arn.clone().ok_or("it has no ram_role_arn")?,
            role_session_name: p
                .ram_session_name
                .clone()
                .unwrap_or_else(|| "appsnap".into()),
            duration_seconds: p
                .expired_seconds
                .unwrap_or(ProfileKind::DEFAULT_DURATION_SECONDS),
        },
        _ => {
            return Err(format!(
                "mode {} cannot be imported (AK, StsToken and RamRoleArn can)",
                p.mode
            ))
        }
    };
    let (Some(id), Some(secret)) = (&p.access_key_id, &p.access_key_secret) else {
        return Err("it lacks access_key_id or access_key_secret".into());
    };
    let security_token = if kind.needs_security_token() {
        Some(p.sts_token.clone().ok_or("it has no sts_token")?)
    } else {
        None
    };
    let profile = Profile {
        kind,
        region: p.region_id.clone(),
        ..Profile::new(p.name.clone())
    };
    let key = AccessKey {
        id: id.clone(),
        secret: secret.clone(),
    };
    Ok((
        profile,
        KeyringSecret {
            key,
            security_token,
        },
    ))
}

/// One aliyun CLI profile as the import dialog shows it. Never a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CliImportCandidate {
    pub name: String,
    /// As the file says: `AK`, `StsToken`, `RamRoleArn`, ...
    pub mode: String,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_key_id: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// Why it cannot be imported (unsupported mode, missing field, name taken); absent
    /// when it can.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The aliyun CLI's file: where it is, whether it exists, its profiles in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CliImportListing {
    pub path: String,
    pub found: bool,
    pub profiles: Vec<CliImportCandidate>,
}
