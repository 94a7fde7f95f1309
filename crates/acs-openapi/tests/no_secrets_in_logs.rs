//! A known AccessKey secret and STS token never reach the logs, even at `trace` level
//! where the signer's intermediate strings are printed.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use acs_openapi::{Client, Credentials, RetryPolicy, SignatureVersion};
use support::{error, ok, MockServer};

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

#[test]
fn secret_and_token_never_appear_in_trace_logs() {
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
    runtime.block_on(async {
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
    let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
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
