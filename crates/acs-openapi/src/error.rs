//! Errors typed by *where* a call failed, because that decides whether a retry is safe:
//! a request that was never sent can always be retried; one that got no response may
//! already have been applied.

use std::time::Duration;

use crate::credentials::CredentialsError;

/// A reply from the cloud that carried an error `Code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    pub action: String,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub recommend: Option<String>,
    pub http_status: u16,
    /// How long a throttled reply asked us to wait (its `TimeLeft`), when it said.
    pub retry_after: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
pub enum AcsError {
    /// Rejected locally before anything was sent (bad endpoint, bad parameter).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// No usable credentials; nothing was sent.
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// The request could not be sent (DNS, connection refused, TLS). Not applied.
    #[error("{action}: could not reach {endpoint}: {message}")]
    NotSent {
        action: String,
        endpoint: String,
        message: String,
    },
    /// No reply within the read timeout. The request may have been applied.
    #[error("{action}: no reply from {endpoint} within {timeout:?} (it may have been applied)")]
    TimedOut {
        action: String,
        endpoint: String,
        timeout: Duration,
    },
    /// The connection broke after sending. The request may have been applied.
    #[error("{action}: connection to {endpoint} lost before a reply (it may have been applied): {message}")]
    NoResponse {
        action: String,
        endpoint: String,
        message: String,
    },
    /// A reply came but could not be read.
    #[error("{action}: unreadable reply (HTTP {http_status}{}): {message}", request_id_suffix(.request_id))]
    Unparseable {
        action: String,
        http_status: u16,
        request_id: Option<String>,
        message: String,
    },
    /// The cloud answered with an error code.
    #[error("{}: {} ({}; HTTP {}{})", .0.action, .0.message, .0.code, .0.http_status, request_id_suffix(&.0.request_id))]
    Service(Box<ServiceError>),
}

fn request_id_suffix(id: &Option<String>) -> String {
    id.as_ref()
        .map(|id| format!("; RequestId {id}"))
        .unwrap_or_default()
}

impl AcsError {
    /// The same error with every form of each secret (raw, percent-encoded once or twice)
    /// replaced by `***` in the text that came from the server. A `SignatureDoesNotMatch`
    /// reply quotes the server's string to sign, which for RPC v1 holds the SecurityToken.
    pub(crate) fn redact_secrets(self, secrets: &[&str]) -> Self {
        let clean = |mut text: String| {
            for secret in secrets {
                text = crate::signing::redact(&text, secret);
            }
            text
        };
        match self {
            Self::Service(mut e) => {
                e.message = clean(std::mem::take(&mut e.message));
                e.recommend = e.recommend.take().map(clean);
                Self::Service(e)
            }
            Self::Unparseable {
                action,
                http_status,
                request_id,
                message,
            } => Self::Unparseable {
                action,
                http_status,
                request_id,
                message: clean(message),
            },
            other => other,
        }
    }

    /// The cloud's RequestId, when a reply carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Service(e) => e.request_id.as_deref(),
            Self::Unparseable { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The service error code, when the cloud answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Service(e) => Some(&e.code),
            _ => None,
        }
    }

    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Self::Service(e) => Some(e),
            _ => None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from(self)
    }
}

/// What the app can branch on. Mirrors `appsnap_core::ErrorCode`; appsnap-core maps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    InvalidInput,
    AuthFailed,
    PermissionDenied,
    Throttled,
    Network,
    NotFound,
    Conflict,
    Cloud,
    Internal,
}

impl From<&AcsError> for ErrorKind {
    fn from(err: &AcsError) -> Self {
        match err {
            AcsError::InvalidRequest(_) => Self::InvalidInput,
            AcsError::Credentials(e) => match e {
                CredentialsError::Keyring { .. } | CredentialsError::KeyringUnavailable { .. } => {
                    Self::Internal
                }
                _ => Self::AuthFailed,
            },
            AcsError::NotSent { .. } | AcsError::TimedOut { .. } | AcsError::NoResponse { .. } => {
                Self::Network
            }
            AcsError::Unparseable { .. } => Self::Cloud,
            AcsError::Service(e) => kind_of_code(&e.code),
        }
    }
}

/// Classify by `Code` only: HTTP statuses disagree between products and docs.
pub fn kind_of_code(code: &str) -> ErrorKind {
    const AUTH: &[&str] = &[
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "IncompleteSignature",
        "InvalidSecurityToken",
        "MissingSecurityToken",
        "InvalidTimeStamp",
        "SignatureNonceUsed",
        "Forbidden.AccessKeyDisabled",
    ];
    const PERMISSION: &[&str] = &[
        "Forbidden",
        "NoPermission",
        "InvalidUser.PassRoleForbidden",
        "AccessDenied",
        "InvalidAccount.NotFound",
    ];
    const CONFLICT: &[&str] = &[
        "EntityAlreadyExists",
        "IncorrectInstanceStatus",
        "IncorrectDiskStatus",
        "OperationConflict",
        "Operation.Conflict",
        "IdempotentParameterMismatch",
        "IdempotenceParamNotMatch",
        "IdempotentProcessing",
        "DeleteConflict",
        "InvalidSnapshotId.NotReady",
        "InstanceLockedForSecurity",
    ];
    const INPUT: &[&str] = &[
        "MissingParameter",
        "MissingParam",
        "InvalidParameter",
        "InvalidParam",
        "MalformedPolicyDocument",
    ];
    let starts = |list: &[&str]| {
        list.iter()
            .any(|p| code == *p || code.starts_with(&format!("{p}.")))
    };
    if starts(AUTH) {
        ErrorKind::AuthFailed
    } else if code.starts_with("Throttling") {
        ErrorKind::Throttled
    } else if starts(PERMISSION) {
        ErrorKind::PermissionDenied
    } else if starts(CONFLICT) {
        ErrorKind::Conflict
    } else if code.ends_with(".NotFound") || code.starts_with("EntityNotExist") {
        ErrorKind::NotFound
    } else if starts(INPUT) || code.ends_with(".Malformed") || code.ends_with(".MalFormed") {
        ErrorKind::InvalidInput
    } else {
        ErrorKind::Cloud
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A service error with `code` and HTTP `status` (RequestId `REQ-1`).
    pub(crate) fn service(code: &str, status: u16) -> AcsError {
        AcsError::Service(Box::new(ServiceError {
            action: "DescribeInstances".into(),
            code: code.into(),
            message: "m".into(),
            request_id: Some("REQ-1".into()),
            recommend: None,
            http_status: status,
            retry_after: None,
        }))
    }

    #[test]
    fn kinds_come_from_the_code_not_the_status() {
        let cases = [
            ("InvalidAccessKeyId.NotFound", 404, ErrorKind::AuthFailed),
            ("SignatureDoesNotMatch", 400, ErrorKind::AuthFailed),
            ("InvalidSecurityToken.Expired", 400, ErrorKind::AuthFailed),
            ("Throttling.User", 400, ErrorKind::Throttled),
            ("Throttling", 403, ErrorKind::Throttled),
            ("Forbidden.RAM", 403, ErrorKind::PermissionDenied),
            ("NoPermission", 403, ErrorKind::PermissionDenied),
            ("InvalidInstanceId.NotFound", 404, ErrorKind::NotFound),
            ("EntityNotExist.Role", 404, ErrorKind::NotFound),
            ("EntityAlreadyExists.Role", 409, ErrorKind::Conflict),
            ("IncorrectInstanceStatus", 403, ErrorKind::Conflict),
            ("MissingParameter.CommandId", 400, ErrorKind::InvalidInput),
            ("InvalidInstanceId.Malformed", 400, ErrorKind::InvalidInput),
            ("ServiceUnavailable", 503, ErrorKind::Cloud),
            ("InternalError", 500, ErrorKind::Cloud),
            ("SomethingNew", 418, ErrorKind::Cloud),
        ];
        for (code, status, want) in cases {
            assert_eq!(service(code, status).kind(), want, "{code}");
        }
    }

    #[test]
    fn display_shows_code_and_request_id() {
        let text = service("Forbidden.RAM", 403).to_string();
        assert!(text.contains("Forbidden.RAM"), "{text}");
        assert!(text.contains("RequestId REQ-1"), "{text}");
        assert_eq!(service("X", 400).request_id(), Some("REQ-1"));
    }

    #[test]
    fn transport_failures_are_network() {
        let e = AcsError::NoResponse {
            action: "a".into(),
            endpoint: "e".into(),
            message: "m".into(),
        };
        assert_eq!(e.kind(), ErrorKind::Network);
        assert_eq!(
            AcsError::InvalidRequest("x".into()).kind(),
            ErrorKind::InvalidInput
        );
    }
}
