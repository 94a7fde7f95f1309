//! "Test connection": who a session's credentials belong to (STS GetCallerIdentity).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{ProfileEntry, SANDBOX_PROFILE};
use crate::error::AppError;
use crate::session::Session;

/// Calls `GetCallerIdentity` with the session's credentials; a refusal comes back as the
/// cloud's error (code, RequestId, hint).
pub async fn caller_identity(session: &Session) -> Result<CallerIdentity, AppError> {
    let me = session
        .client
        .get_caller_identity()
        .await
        .map_err(|e| session.app_error(&e))?;
    Ok(CallerIdentity {
        profile: session.settings.profile.clone().unwrap_or_default(),
        account_id: me.account_id,
        arn: me.arn,
        identity_type: me.identity_type,
        principal_id: me.principal_id,
        request_id: me.request_id,
    })
}

/// Who a profile's credentials are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CallerIdentity {
    /// The profile that was tested.
    pub profile: String,
    pub account_id: String,
    /// e.g. `acs:ram::1688000000000001:user/admin`.
    pub arn: String,
    /// As the cloud says it: `RAMUser`, `Account`, `AssumedRoleUser`, ...
    pub identity_type: String,
    pub principal_id: String,
    pub request_id: String,
}

/// Every profile the desktop can use: the built-in Sandbox (listed first by the UI, under
/// `sandbox`) and the stored ones by name, with which one is current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileListing {
    /// The built-in profile's name.
    pub sandbox: String,
    pub current: String,
    pub profiles: Vec<ProfileEntry>,
}

impl ProfileListing {
    pub fn new(current: String, profiles: Vec<ProfileEntry>) -> Self {
        Self {
            sandbox: SANDBOX_PROFILE.to_owned(),
            current,
            profiles,
        }
    }
}
