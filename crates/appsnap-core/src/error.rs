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
    /// The OS keyring is locked, missing or refused the operation.
    KeyringUnavailable,
    /// The user stopped the work before it finished.
    Cancelled,
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

    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "stopped at the user's request")
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
        assert_eq!(
            bare,
            serde_json::json!({"code": "InvalidInput", "message": "bad"})
        );
    }

    #[test]
    fn rejects_unknown_codes() {
        let r: Result<AppError, _> = serde_json::from_str(r#"{"code":"Whatever","message":"x"}"#);
        assert!(r.is_err());
    }
}

/// Cloud errors reach the UI with a code it can branch on, the cloud's `RequestId`, and
/// a hint for what to do next.
impl From<&acs_openapi::AcsError> for AppError {
    fn from(err: &acs_openapi::AcsError) -> Self {
        use acs_openapi::ErrorKind as K;
        let (code, hint) = match err.kind() {
            K::InvalidInput => (ErrorCode::InvalidInput, None),
            K::AuthFailed => (
                ErrorCode::AuthFailed,
                Some("Check the profile's AccessKey ID and secret, or renew the STS token."),
            ),
            K::PermissionDenied => (
                ErrorCode::PermissionDenied,
                Some("Grant the RAM user or role the permission named in the message."),
            ),
            K::Throttled => (
                ErrorCode::Throttled,
                Some("The cloud is limiting requests; wait a moment and try again."),
            ),
            K::Network => (
                ErrorCode::Network,
                Some("Check the network, proxy settings and the endpoint."),
            ),
            K::NotFound => (ErrorCode::NotFound, None),
            K::Conflict => (ErrorCode::Conflict, None),
            K::Cloud => (ErrorCode::Cloud, None),
            K::Internal => (ErrorCode::Internal, None),
        };
        // The cloud's own troubleshooting link beats a generic hint.
        let recommend = match err {
            acs_openapi::AcsError::Service(e) => e.recommend.clone(),
            _ => None,
        };
        AppError {
            code,
            message: err.to_string(),
            request_id: err.request_id().map(str::to_owned),
            hint: recommend.or(hint.map(str::to_owned)),
        }
    }
}

impl From<acs_openapi::AcsError> for AppError {
    fn from(err: acs_openapi::AcsError) -> Self {
        Self::from(&err)
    }
}

#[cfg(test)]
mod cloud_error_tests {
    use super::*;
    use acs_openapi::{AcsError, ServiceError};

    fn service(code: &str, recommend: Option<&str>) -> AcsError {
        AcsError::Service(Box::new(ServiceError {
            action: "DescribeInstances".into(),
            code: code.into(),
            message: "denied".into(),
            request_id: Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E".into()),
            recommend: recommend.map(Into::into),
            http_status: 400,
            retry_after: None,
        }))
    }

    #[test]
    fn maps_cloud_codes_and_keeps_the_request_id() {
        let e = AppError::from(service("Throttling.User", None));
        assert_eq!(e.code, ErrorCode::Throttled);
        assert_eq!(
            e.request_id.as_deref(),
            Some("473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E")
        );
        assert!(e.hint.unwrap().contains("wait"));
        assert_eq!(
            AppError::from(service("Forbidden.RAM", None)).code,
            ErrorCode::PermissionDenied
        );
        assert_eq!(
            AppError::from(service("SignatureDoesNotMatch", None)).code,
            ErrorCode::AuthFailed
        );
    }

    #[test]
    fn prefers_the_clouds_recommend_link_as_hint() {
        let e = AppError::from(service(
            "Throttling",
            Some("https://api.aliyun.com/troubleshoot?q=Throttling"),
        ));
        assert_eq!(
            e.hint.as_deref(),
            Some("https://api.aliyun.com/troubleshoot?q=Throttling")
        );
    }
}
