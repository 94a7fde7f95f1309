//! The one error contract every front end (desktop UI, CLI) sees.
//!
//! The UI branches on `code`, shows `message`, words `hint` in its language and links
//! `recommend`; it never parses message text. The CLI prints the same fields in English.

mod cloud;
#[cfg(test)]
mod export;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::hint::{Hint, HintKey};
use crate::listed::listed_enum;

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            request_id: None,
            hint: None,
            recommend: None,
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "stopped at the user's request")
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    /// The OS keyring failed; the hint names this build's keyring.
    pub fn keyring(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::KeyringUnavailable, message).with_hint(
            Hint::new(HintKey::UnlockKeyring)
                .with("backend", acs_openapi::credentials::KeyringStore::BACKEND),
        )
    }

    pub fn with_hint(mut self, hint: Hint) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    pub fn with_recommend(mut self, url: impl Into<String>) -> Self {
        self.recommend = Some(url.into());
        self
    }
}

listed_enum! {
    /// What kind of failure this is: small and stable, so the UI can branch on it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum ErrorCode {
        /// The input was rejected before anything was sent.
        InvalidInput,
        /// Credentials are missing, wrong or expired.
        AuthFailed,
        /// Credentials are valid but lack a permission.
        PermissionDenied,
        /// The cloud asked us to slow down; retrying later may work.
        Throttled,
        /// The request did not get a reply (DNS, connect, timeout, TLS).
        Network,
        /// The thing asked for does not exist.
        NotFound,
        /// The thing exists already or is in a state that forbids the operation.
        Conflict,
        /// Any other error the cloud returned.
        Cloud,
        /// The OS keyring is locked, missing or refused the operation.
        KeyringUnavailable,
        /// The user stopped the work before it finished.
        Cancelled,
        /// A bug or an unexpected local failure.
        Internal,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{code:?}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    /// What failed, in English; never repeats `requestId`.
    pub message: String,
    /// The cloud's `RequestId`, when the error came from a cloud reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request_id: Option<String>,
    /// What the user can do next, as a key the front end words in its language.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint: Option<Hint>,
    /// The cloud's own troubleshooting link (a reply's `Recommend`), shown as it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub recommend: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_to_the_documented_shape() {
        let e = AppError::new(ErrorCode::Throttled, "slow down")
            .with_request_id("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E")
            .with_hint(Hint::new(HintKey::WaitAndRetry))
            .with_recommend("https://api.aliyun.com/troubleshoot?q=Throttling");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "code": "Throttled",
                "message": "slow down",
                "requestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
                "hint": {"key": "WaitAndRetry", "params": {}},
                "recommend": "https://api.aliyun.com/troubleshoot?q=Throttling"
            })
        );
        let keyring = serde_json::to_value(AppError::keyring("locked")).unwrap();
        assert_eq!(
            keyring,
            serde_json::json!({
                "code": "KeyringUnavailable",
                "message": "locked",
                "hint": {
                    "key": "UnlockKeyring",
                    "params": {"backend": acs_openapi::credentials::KeyringStore::BACKEND}
                }
            })
        );
        let bare = serde_json::to_value(AppError::invalid_input("bad")).unwrap();
        assert_eq!(
            bare,
            serde_json::json!({"code": "InvalidInput", "message": "bad"})
        );
        let back: AppError = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn rejects_unknown_codes() {
        let r: Result<AppError, _> = serde_json::from_str(r#"{"code":"Whatever","message":"x"}"#);
        assert!(r.is_err());
    }

    #[test]
    fn code_names_are_what_serde_writes() {
        assert_eq!(ErrorCode::ALL.len(), 11);
        for &code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.name(), "{code:?}");
        }
    }
}
