//! Cloud and credential errors as `AppError`: a code the UI can branch on, a message
//! without the `RequestId` (it has its own field), a hint key, and the cloud's
//! `Recommend` link kept apart because it cannot be translated.

use acs_openapi::{AcsError, CredentialsError, ErrorKind};

use super::{AppError, ErrorCode};
use crate::hint::{Hint, HintKey};

impl From<&AcsError> for AppError {
    fn from(err: &AcsError) -> Self {
        if let AcsError::Credentials(
            CredentialsError::Keyring { .. } | CredentialsError::KeyringUnavailable { .. },
        ) = err
        {
            return AppError::keyring(err.to_string());
        }
        let reply = reply(err);
        let hint = |key| Some(Hint::new(key));
        let (code, hint) = match err.kind() {
            ErrorKind::InvalidInput => (ErrorCode::InvalidInput, None),
            ErrorKind::AuthFailed => (ErrorCode::AuthFailed, hint(HintKey::CheckAccessKey)),
            ErrorKind::PermissionDenied => (
                ErrorCode::PermissionDenied,
                reply
                    .service()
                    .map(|s| Hint::new(HintKey::GrantPermission).with("action", s.action.clone())),
            ),
            ErrorKind::Throttled => (ErrorCode::Throttled, hint(HintKey::WaitAndRetry)),
            ErrorKind::Network => (ErrorCode::Network, hint(HintKey::CheckNetwork)),
            ErrorKind::NotFound => (ErrorCode::NotFound, None),
            ErrorKind::Conflict => (ErrorCode::Conflict, None),
            ErrorKind::Cloud => (ErrorCode::Cloud, None),
            ErrorKind::Internal => (ErrorCode::Internal, None),
        };
        AppError {
            code,
            message: message(err),
            request_id: reply.request_id().map(str::to_owned),
            hint,
            recommend: reply.service().and_then(|s| s.recommend.clone()),
        }
    }
}

impl From<AcsError> for AppError {
    fn from(err: AcsError) -> Self {
        Self::from(&err)
    }
}

/// The error that carries the cloud's reply: the STS failure behind temporary
/// credentials, else the error itself.
fn reply(err: &AcsError) -> &AcsError {
    match err {
        AcsError::Credentials(CredentialsError::Provider { source, .. }) => reply(source),
        other => other,
    }
}

/// acs-openapi's wording, minus the `; RequestId …` its Display appends to replies.
fn message(err: &AcsError) -> String {
    match err {
        AcsError::Service(e) => format!(
            "{}: {} ({}; HTTP {})",
            e.action, e.message, e.code, e.http_status
        ),
        AcsError::Unparseable {
            action,
            http_status,
            message,
            ..
        } => format!("{action}: unreadable reply (HTTP {http_status}): {message}"),
        AcsError::Credentials(CredentialsError::Provider { provider, source }) => {
            format!(
                "{provider}: could not get temporary credentials: {}",
                self::message(source)
            )
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use acs_openapi::credentials::KeyringStore;
    use acs_openapi::ServiceError;

    use super::*;

    const REQ: &str = "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E";

    fn service(code: &str, recommend: Option<&str>) -> AcsError {
        AcsError::Service(Box::new(ServiceError {
            action: "DescribeInstances".into(),
            code: code.into(),
            message: "denied".into(),
            request_id: Some(REQ.into()),
            recommend: recommend.map(Into::into),
            http_status: 400,
            retry_after: None,
        }))
    }

    #[test]
    fn maps_cloud_codes_and_keeps_the_request_id_out_of_the_message() {
        let e = AppError::from(service("Throttling.User", None));
        assert_eq!(
            e,
            AppError {
                code: ErrorCode::Throttled,
                message: "DescribeInstances: denied (Throttling.User; HTTP 400)".into(),
                request_id: Some(REQ.into()),
                hint: Some(Hint::new(HintKey::WaitAndRetry)),
                recommend: None,
            }
        );
        assert!(
            service("Throttling.User", None).to_string().contains(REQ),
            "acs-openapi's Display has it; ours must not"
        );
        let denied = AppError::from(service("Forbidden.RAM", None));
        assert_eq!(denied.code, ErrorCode::PermissionDenied);
        assert_eq!(
            denied.hint,
            Some(Hint::new(HintKey::GrantPermission).with("action", "DescribeInstances"))
        );
        let auth = AppError::from(service("SignatureDoesNotMatch", None));
        assert_eq!(auth.code, ErrorCode::AuthFailed);
        assert_eq!(auth.hint, Some(Hint::new(HintKey::CheckAccessKey)));
        let missing = AppError::from(service("MissingParameter.RegionId", None));
        assert_eq!(
            (missing.code, missing.hint),
            (ErrorCode::InvalidInput, None)
        );
    }

    #[test]
    fn keeps_the_recommend_link_apart_from_the_hint() {
        let url = "https://api.aliyun.com/troubleshoot?q=Throttling";
        let e = AppError::from(service("Throttling", Some(url)));
        assert_eq!(e.recommend.as_deref(), Some(url));
        assert_eq!(e.hint, Some(Hint::new(HintKey::WaitAndRetry)));
    }

    #[test]
    fn unreadable_replies_keep_the_request_id_in_its_field_only() {
        let e = AppError::from(AcsError::Unparseable {
            action: "DescribeRegions".into(),
            http_status: 502,
            request_id: Some(REQ.into()),
            message: "expected value at line 1".into(),
        });
        assert_eq!(e.code, ErrorCode::Cloud);
        assert_eq!(
            e.message,
            "DescribeRegions: unreadable reply (HTTP 502): expected value at line 1"
        );
        assert_eq!(e.request_id.as_deref(), Some(REQ));
    }

    #[test]
    fn a_failed_assume_role_reports_the_sts_reply() {
        let e = AppError::from(AcsError::Credentials(CredentialsError::Provider {
            provider: "ram_role_arn",
            source: Box::new(service(
                "NoPermission",
                Some("https://api.aliyun.com/troubleshoot?q=NoPermission"),
            )),
        }));
        assert_eq!(e.code, ErrorCode::AuthFailed);
        assert_eq!(
            e.message,
            "ram_role_arn: could not get temporary credentials: \
             DescribeInstances: denied (NoPermission; HTTP 400)"
        );
        assert_eq!(e.request_id.as_deref(), Some(REQ));
        assert_eq!(
            e.recommend.as_deref(),
            Some("https://api.aliyun.com/troubleshoot?q=NoPermission")
        );
    }

    #[test]
    fn keyring_failures_are_keyring_unavailable_with_the_backend() {
        let unlock = Hint::new(HintKey::UnlockKeyring).with("backend", KeyringStore::BACKEND);
        for err in [
            CredentialsError::KeyringUnavailable {
                message: "no keyring service is running".into(),
            },
            CredentialsError::Keyring {
                message: "the entry for profile 'work' is not an AppSnap AccessKey".into(),
            },
        ] {
            let text = err.to_string();
            let e = AppError::from(AcsError::Credentials(err));
            assert_eq!(e.code, ErrorCode::KeyringUnavailable, "{text}");
            assert_eq!(e.message, text);
            assert_eq!(e.hint.as_ref(), Some(&unlock));
            assert_eq!(e.request_id, None);
        }
    }

    #[test]
    fn local_failures_say_what_and_where() {
        let e = AppError::from(AcsError::NotSent {
            action: "DescribeRegions".into(),
            endpoint: "http://127.0.0.1:9".into(),
            message: "connection refused".into(),
        });
        assert_eq!(e.code, ErrorCode::Network);
        assert_eq!(
            e.message,
            "DescribeRegions: could not reach http://127.0.0.1:9: connection refused"
        );
        assert_eq!(e.hint, Some(Hint::new(HintKey::CheckNetwork)));
        let none = AppError::from(AcsError::Credentials(CredentialsError::NotFound(
            "environment: not set".into(),
        )));
        assert_eq!(none.code, ErrorCode::AuthFailed);
        assert_eq!(none.message, "no credentials found: environment: not set");
    }
}
