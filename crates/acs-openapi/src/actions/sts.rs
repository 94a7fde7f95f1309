//! STS (2015-04-01): who am I, and temporary credentials for a RAM role.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::client::{Client, Request};
use crate::credentials::Credentials;
use crate::endpoint::Product;
use crate::error::AcsError;
use crate::params::Params;
use crate::Sensitive;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CallerIdentity {
    pub request_id: String,
    pub account_id: String,
    /// A RAM user's id; absent for the account owner and role sessions (alibaba-api.md §5.4).
    pub user_id: Option<String>,
    /// Only when called with a role session.
    pub role_id: Option<String>,
    pub principal_id: String,
    pub arn: String,
    pub identity_type: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssumeRoleRequest {
    pub role_arn: String,
    pub role_session_name: String,
    pub duration_seconds: Option<u32>,
    pub policy: Option<String>,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssumeRoleResponse {
    pub request_id: String,
    pub credentials: StsCredentials,
    pub assumed_role_user: AssumedRoleUser,
}

/// The temporary keys; the secret and token never print.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct StsCredentials {
    pub access_key_id: String,
    #[serde(deserialize_with = "sensitive_string")]
    pub access_key_secret: Sensitive<String>,
    #[serde(deserialize_with = "sensitive_string")]
    pub security_token: Sensitive<String>,
    pub expiration: Option<DateTime<Utc>>,
}

fn sensitive_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Sensitive<String>, D::Error> {
    Ok(Sensitive::new(String::deserialize(d)?))
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AssumedRoleUser {
    pub arn: String,
    pub assumed_role_id: String,
}

impl AssumeRoleResponse {
    pub fn into_credentials(self) -> Credentials {
        let c = self.credentials;
        Credentials {
            access_key_id: c.access_key_id,
            access_key_secret: c.access_key_secret,
            security_token: Some(c.security_token),
            expiration: c.expiration,
            provider: "ram-role-arn",
        }
    }
}

impl Client {
    pub async fn get_caller_identity(&self) -> Result<CallerIdentity, AcsError> {
        self.call(&Request::new(
            Product::Sts,
            "GetCallerIdentity",
            Params::new(),
        ))
        .await
    }

    pub async fn assume_role(
        &self,
        req: &AssumeRoleRequest,
    ) -> Result<AssumeRoleResponse, AcsError> {
        let mut p = Params::new();
        p.set("RoleArn", &req.role_arn)
            .set("RoleSessionName", &req.role_session_name)
            .opt("DurationSeconds", req.duration_seconds)
            .opt("Policy", req.policy.as_ref())
            .opt("ExternalId", req.external_id.as_ref());
        self.call(&Request::new(Product::Sts, "AssumeRole", p))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assume_role_reply_decodes_and_hides_secrets() {
        let r: AssumeRoleResponse = serde_json::from_str(
            r#"{"RequestId":"R","Credentials":{"AccessKeyId":"STS.a","AccessKeySecret":"zz-secret-zz","SecurityToken":"qq-token-qq","Expiration":"2024-01-02T04:04:05Z"},
               "AssumedRoleUser":{"Arn":"acs:ram::1:role/r/s","AssumedRoleId":"9:s"},"Extra":1}"#,
        )
        .unwrap();
        let printed = format!("{r:?}");
        assert!(
            !printed.contains("zz-secret-zz") && !printed.contains("qq-token-qq"),
            "{printed}"
        );
        let c = r.into_credentials();
        assert_eq!(c.access_key_id, "STS.a");
        assert_eq!(c.security_token.unwrap().expose(), "qq-token-qq");
        assert_eq!(
            c.expiration.unwrap().to_rfc3339(),
            "2024-01-02T04:04:05+00:00"
        );
    }
}
