//! A known AccessKey secret and STS token never reach the logs, even at `trace` level
//! where the signer's intermediate strings are printed.
//!
//! The sandbox variant uses real parts end to end: the demo admin key, a role assumed
//! through the sandbox's STS, calls signed with the temporary secret and SecurityToken in
//! ACS3 and v1, successes and errors (NotFound, a signature mismatch whose message carries
//! the server's string to sign). The mock-server variant stays for what the sandbox cannot
//! issue: a token full of characters that percent-encoding changes (`+ / = ~ *`, non-ASCII),
//! so its raw, once- and twice-encoded forms all differ (the sandbox's tokens are
//! alphanumeric).

use std::io::Write;
use std::sync::{Arc, Mutex};

use acs_openapi::actions::ram::CreateRoleRequest;
use acs_openapi::actions::sts::AssumeRoleRequest;
use acs_openapi::{Client, Credentials, RetryPolicy, SignatureVersion};
use base64::Engine as _;
use test_support::mock_server::{error, ok, MockServer};

const SECRET: &str = "Secret-Never-Logged-7f3a9c";
const TOKEN: &str = "CAIS+Token/Never=Logged~*快照";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Run `body` on a current-thread runtime (so the sandbox's tasks log here too) with every
/// `trace`-level event captured; answers the captured text.
fn capture_trace_logs<F: std::future::Future<Output = ()>>(body: impl FnOnce() -> F) -> String {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(body());
    drop(runtime);
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    logs
}

/// Every form in which `secret` could leak: raw, percent-encoded once and twice, Base64,
/// and (for long values) a 20-character slice from its middle, which catches truncation.
fn leak_forms(secret: &str) -> Vec<String> {
    let once = acs_openapi::signing::percent_encode(secret);
    let twice = acs_openapi::signing::percent_encode(&once);
    let mut forms = vec![
        secret.to_string(),
        once,
        twice,
        base64::engine::general_purpose::STANDARD.encode(secret),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
    ];
    if secret.len() > 40 {
        let mid = secret.len() / 2;
        forms.push(secret[mid - 10..mid + 10].to_string());
    }
    forms
}

fn assert_absent(logs: &str, what: &str, secret: &str) {
    for needle in leak_forms(secret) {
        assert!(
            !logs.contains(&needle),
            "{what} leaked as {needle:?} into:\n{logs}"
        );
    }
}

#[test]
fn sandbox_sts_session_secrets_never_appear_in_trace_logs() {
    let admin = test_support::sandbox::demo_account("admin");
    // (id, secret, token) of every STS session the test used.
    let sts_keys = Arc::new(Mutex::new(Vec::<(String, String, String)>::new()));
    let seen = sts_keys.clone();
    let logs = capture_trace_logs(|| async move {
        let sb = test_support::sandbox::paused().await;
        let builder = |sig: SignatureVersion, creds: Credentials| {
            Client::builder()
                .strict_decoding(true)
                .endpoint(sb.endpoint())
                .region("cn-hangzhou")
                .signature(sig)
                .retry(RetryPolicy::no_retries())
                .static_credentials(creds)
                .build()
                .unwrap()
        };
        let long_term = Credentials::access_key(admin.access_key_id, admin.access_key_secret);
        let admin_client = builder(SignatureVersion::Acs3, long_term.clone());
        let account = sandbox_cloud::DEMO_ACCOUNT_ID;
        let trust = format!(
            r#"{{"Statement":[{{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}],"Version":"1"}}"#
        );
        let role = admin_client
            .create_role(&CreateRoleRequest {
                role_name: "LogCheckRole".into(),
                assume_role_policy_document: trust,
                ..Default::default()
            })
            .await
            .unwrap()
            .role;
        // The session may read roles, so a missing one is a NotFound, not a refusal.
        let read_roles = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ram:GetRole"],"Resource":"*"}]}"#;
        admin_client
            .create_policy("LogCheckReadRoles", read_roles, None)
            .await
            .unwrap();
        admin_client
            .attach_policy_to_role("Custom", "LogCheckReadRoles", "LogCheckRole")
            .await
            .unwrap();

        for sig in [SignatureVersion::Acs3, SignatureVersion::V1] {
            // The long-term key: success and NotFound.
            let as_admin = builder(sig, long_term.clone());
            as_admin.get_caller_identity().await.unwrap();
            let err = as_admin.get_role("NoSuchRole").await.unwrap_err();
            assert_eq!(err.code(), Some("EntityNotExist.Role"), "{sig:?}");
            tracing::error!(error = %err, debug = ?err, "call failed");

            // A fresh STS session per signature style, assumed through the sandbox.
            let assumed = as_admin
                .assume_role(&AssumeRoleRequest {
                    role_arn: role.arn.clone(),
                    role_session_name: "log-check".into(),
                    duration_seconds: Some(900),
                    ..Default::default()
                })
                .await
                .unwrap();
            tracing::debug!(assumed = ?assumed, "assumed");
            let c = &assumed.credentials;
            let (id, secret, token) = (
                c.access_key_id.clone(),
                c.access_key_secret.expose().clone(),
                c.security_token.expose().clone(),
            );
            assert!(id.starts_with("STS.") && !secret.is_empty() && !token.is_empty());
            let session = assumed.into_credentials();
            let as_role = builder(sig, session.clone());
            let me = as_role.get_caller_identity().await.unwrap();
            assert!(me.arn.to_lowercase().contains("logcheckrole"), "{me:?}");
            let err = as_role.get_role("NoSuchRole").await.unwrap_err();
            assert_eq!(err.code(), Some("EntityNotExist.Role"), "{sig:?}: {err}");
            tracing::error!(error = %err, debug = ?err, "call failed");
            // The real token with a wrong secret: the server answers with its string to
            // sign, which (v1) holds the SecurityToken.
            let forged = builder(
                sig,
                Credentials::access_key(&id, "not-the-sts-secret").with_security_token(&token),
            );
            let err = forged.get_caller_identity().await.unwrap_err();
            assert_eq!(err.code(), Some("SignatureDoesNotMatch"), "{sig:?}: {err}");
            tracing::error!(error = %err, debug = ?err, "call failed");
            tracing::debug!(creds = ?as_role.credentials().await.unwrap(), "credentials");
            seen.lock().unwrap().push((id, secret, token));
        }
        sb.shutdown().await;
    });
    let sessions = sts_keys.lock().unwrap().clone();
    assert_eq!(sessions.len(), 2, "one STS session per signature style");
    // The test must be able to fail: the signing strings and the key ids are logged.
    assert!(logs.contains("string_to_sign"), "{logs}");
    assert!(logs.contains("canonical_request"), "{logs}");
    assert!(logs.contains("canonical_query"), "{logs}");
    assert!(logs.contains(admin.access_key_id), "{logs}");
    assert_absent(&logs, "the long-term secret", admin.access_key_secret);
    for (id, secret, token) in &sessions {
        assert!(logs.contains(id.as_str()), "{id} not logged:\n{logs}");
        assert_absent(&logs, "the STS secret", secret);
        assert_absent(&logs, "the STS token", token);
    }
}

#[test]
fn secret_and_token_never_appear_in_trace_logs() {
    let logs = capture_trace_logs(|| async {
        let server = MockServer::start(vec![
            ok(r#"{"RequestId":"R1","AccountId":"1"}"#),
            error(400, "SignatureDoesNotMatch", "R2"),
        ])
        .await;
        for signature in [SignatureVersion::Acs3, SignatureVersion::V1] {
            let client = Client::builder()
                .endpoint(&server.endpoint)
                .signature(signature)
                .retry(RetryPolicy::no_retries())
                .static_credentials(
                    Credentials::access_key("STS.visible-id", SECRET).with_security_token(TOKEN),
                )
                .build()
                .unwrap();
            let _ = client.get_caller_identity().await;
            let err = client.get_caller_identity().await.unwrap_err();
            tracing::error!(error = %err, debug = ?err, "call failed");
            tracing::debug!(creds = ?client.credentials().await.unwrap(), "credentials");
        }
    });
    // The test must be able to fail: the signing strings and the key id are logged.
    assert!(logs.contains("string_to_sign"), "{logs}");
    assert!(logs.contains("canonical_request"), "{logs}");
    assert!(logs.contains("canonical_query"), "{logs}");
    assert!(logs.contains("STS.visible-id"), "{logs}");
    let encoded = acs_openapi::signing::percent_encode(TOKEN);
    for needle in [
        SECRET,
        TOKEN,
        encoded.as_str(),
        "Token/Never",
        "Never%3DLogged",
    ] {
        assert!(!logs.contains(needle), "{needle} leaked into:\n{logs}");
    }
}
