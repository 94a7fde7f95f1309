//! What kind of credentials a profile has, and the secret parts each kind keeps in the
//! OS keyring. profiles.json holds only the non-secret part (a role's ARN, session name
//! and duration); a file without a `kind` is an AccessKey profile, as before kinds existed.

use acs_openapi::credentials::{AccessKey, AssumeRoleParams, KeyringSecret};
use serde::Serialize;
use ts_rs::TS;

use super::ProfileError;

impl ProfileKind {
    /// STS `AssumeRole` accepts 900 s up to the role's maximum, at most 43200 s.
    pub const DURATION_SECONDS: std::ops::RangeInclusive<u32> = 900..=43200;
    /// What a new RAM role ARN profile starts with.
    pub const DEFAULT_DURATION_SECONDS: u32 = 3600;

    pub fn is_access_key(&self) -> bool {
        matches!(self, Self::AccessKey)
    }

    /// Whether the keyring entry must carry a security token (and only then may).
    pub fn needs_security_token(&self) -> bool {
        matches!(self, Self::StsToken)
    }

    /// The settings' own rules (ARN, session name, duration).
    pub fn validate(&self) -> Result<(), String> {
        let Self::RamRoleArn {
            role_arn,
            role_session_name,
            duration_seconds,
        } = self
        else {
            return Ok(());
        };
        validate_role_arn(role_arn)?;
        validate_session_name(role_session_name)?;
        if !Self::DURATION_SECONDS.contains(duration_seconds) {
            return Err(format!(
                "session duration {duration_seconds} s: use 900 to 43200 seconds"
            ));
        }
        Ok(())
    }

    /// The secret a profile of this kind must have: an AccessKey, plus a security token
    /// for STS token profiles and none otherwise. Messages never repeat a secret.
    pub fn validate_secret(&self, secret: &KeyringSecret) -> Result<(), ProfileError> {
        validate_access_key(&secret.key)?;
        match (&secret.security_token, self.needs_security_token()) {
            (Some(token), true) => {
                let t = token.expose();
                if t.is_empty() || t.len() > 8192 || !t.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err(ProfileError::Invalid(
                        "security token: 1 to 8192 printable characters without spaces".into(),
                    ));
                }
                Ok(())
            }
            (None, true) => Err(ProfileError::Invalid(
                "an STS token profile needs its security token".into(),
            )),
            (Some(_), false) => Err(ProfileError::Invalid(
                "only STS token profiles keep a security token".into(),
            )),
            (None, false) => Ok(()),
        }
    }

    /// What to assume for a RAM role ARN profile.
    pub fn assume_role_params(&self) -> Option<AssumeRoleParams> {
        match self {
            Self::RamRoleArn {
                role_arn,
                role_session_name,
                duration_seconds,
            } => Some(AssumeRoleParams {
                role_arn: role_arn.clone(),
                role_session_name: role_session_name.clone(),
                duration_seconds: Some(*duration_seconds),
                policy: None,
                external_id: None,
                sts_region: None,
            }),
            _ => None,
        }
    }
}

/// `acs:ram::<account id>:role/<role name>` (alibaba-api.md §5.1, §5.4).
fn validate_role_arn(arn: &str) -> Result<(), String> {
    let ok = arn
        .strip_prefix("acs:ram::")
        .and_then(|rest| rest.split_once(":role/"))
        .is_some_and(|(account, role)| {
            !account.is_empty()
                && account.bytes().all(|b| b.is_ascii_digit())
                && (1..=64).contains(&role.len())
                && role
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        });
    if ok {
        Ok(())
    } else {
        Err(format!(
            "role ARN '{arn}': use acs:ram::<account ID>:role/<role name>"
        ))
    }
}

/// `RoleSessionName`: 2–64 characters from `A-Z a-z 0-9 . @ _ -` (alibaba-api.md §5.4).
fn validate_session_name(name: &str) -> Result<(), String> {
    let ok = (2..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'@' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "role session name '{name}': use 2 to 64 characters from A-Z, a-z, 0-9, '.', '@', '_' and '-'"
        ))
    }
}

/// An AccessKey id and secret are printable ASCII without spaces.
pub(super) fn validate_access_key(key: &AccessKey) -> Result<(), ProfileError> {
    let token = |s: &str| (1..=256).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic());
    if !token(&key.id) {
        return Err(ProfileError::Invalid(
            "AccessKey ID: 1 to 256 printable characters without spaces".into(),
        ));
    }
    if !token(key.secret.expose()) {
        return Err(ProfileError::Invalid(
            "AccessKey secret: 1 to 256 printable characters without spaces".into(),
        ));
    }
    Ok(())
}

/// The same shape, read strictly: an unknown `type` or field is refused (serde's
/// `deny_unknown_fields` lives here because ts-rs cannot read it on an enum).
mod strict {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
    pub(super) enum Kind {
        // Empty struct variants, not unit ones: serde checks unknown fields only on those.
        AccessKey {},
        StsToken {},
        #[serde(rename_all = "camelCase")]
        RamRoleArn {
            role_arn: String,
            role_session_name: String,
            duration_seconds: u32,
        },
    }

    impl<'de> Deserialize<'de> for super::ProfileKind {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Kind::deserialize(d).map(Self::from)
        }
    }

    impl From<Kind> for super::ProfileKind {
        fn from(k: Kind) -> Self {
            match k {
                Kind::AccessKey {} => Self::AccessKey,
                Kind::StsToken {} => Self::StsToken,
                Kind::RamRoleArn {
                    role_arn,
                    role_session_name,
                    duration_seconds,
                } => Self::RamRoleArn {
                    role_arn,
                    role_session_name,
                    duration_seconds,
                },
            }
        }
    }
}

/// How a profile signs in. Unknown kinds are refused when profiles.json is read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase")]
#[ts(export)]
pub enum ProfileKind {
    /// A long-term AccessKey ID and secret (in the keyring).
    #[default]
    AccessKey,
    /// Temporary keys: AccessKey ID, secret and security token (all in the keyring).
    StsToken,
    /// A RAM role assumed with the source AccessKey in the keyring.
    #[serde(rename_all = "camelCase")]
    RamRoleArn {
        role_arn: String,
        role_session_name: String,
        /// 900–43200 seconds.
        duration_seconds: u32,
    },
}
