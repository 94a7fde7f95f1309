//! The one error contract every front end (desktop UI, CLI) sees.
//!
//! The UI branches on `code` and shows `message`/`hint`; it never parses message text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// A bug or an unexpected local failure.
    Internal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
#[error("{code:?}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// The cloud's `RequestId`, when the error came from a cloud reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub request_id: Option<String>,
    /// What the user can do next.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint: Option<String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            request_id: None,
            hint: None,
        }
    }

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Internal, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_to_the_documented_shape() {
        let e = AppError::new(ErrorCode::Throttled, "slow down")
            .with_request_id("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E")
            .with_hint("retry in a minute");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "code": "Throttled",
                "message": "slow down",
                "requestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
                "hint": "retry in a minute"
            })
        );
        let bare = serde_json::to_value(AppError::invalid_input("bad")).unwrap();
        assert_eq!(bare, serde_json::json!({"code": "InvalidInput", "message": "bad"}));
    }

    #[test]
    fn rejects_unknown_codes() {
        let r: Result<AppError, _> =
            serde_json::from_str(r#"{"code":"Whatever","message":"x"}"#);
        assert!(r.is_err());
    }
}
