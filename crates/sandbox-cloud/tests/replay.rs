//! Every request captured from the official Python (tea, ACS3) and Node (pop-core, RPC v1)
//! SDKs is replayed byte for byte over real HTTP: accepted with the replay checks relaxed,
//! also when sent twice (nonce reuse allowed), rejected `SignatureDoesNotMatch` with one
//! signature character changed, and rejected `InvalidTimeStamp.Expired` when the replay
//! checks are on.

mod support;

use base64::Engine as _;
use sandbox_cloud::{start, SandboxOptions};
use serde_json::Value;
use support::raw;

const AUTH_CODES: &[&str] = &[
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "InvalidAccessKeyId.NotFound",
    "InvalidTimeStamp.Expired",
    "SignatureNonceUsed",
    "InvalidSecurityToken.MismatchWithAccessKey",
    "MissingSecurityToken",
    "InvalidVersion",
    "Forbidden.RAM",
    "NoPermission",
    "InvalidSignatureMethod",
    "InvalidTimeStamp.Format",
];

fn captures() -> Vec<Value> {
    test_support::data::REQUEST_CAPTURES
        .iter()
        .flat_map(|(_, f)| {
            f.lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
        })
        .collect()
}

fn body_of(c: &Value) -> Vec<u8> {
    if let Some(b) = c["body_b64"].as_str() {
        return base64::engine::general_purpose::STANDARD.decode(b).unwrap();
    }
    c["body"].as_str().unwrap_or_default().as_bytes().to_vec()
}

/// The captured request as bytes; `path`/`headers` may be substituted for tampering.
fn wire(c: &Value, raw_path: &str, headers: &[(String, String)]) -> Vec<u8> {
    let body = body_of(c);
    let mut out = format!(
        "{} {} HTTP/1.1\r\n",
        c["method"].as_str().unwrap(),
        raw_path
    )
    .into_bytes();
    let mut has_len = false;
    for (k, v) in headers {
        has_len |= k.eq_ignore_ascii_case("content-length");
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    if !has_len && !body.is_empty() {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(&body);
    out
}

fn headers_of(c: &Value) -> Vec<(String, String)> {
    c["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h[0].as_str().unwrap().to_string(),
                h[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn flip(ch: char) -> char {
    match ch {
        'a' => 'b',
        '0' => '1',
        'A' => 'B',
        _ => 'a',
    }
}

/// Change one character of the signature (the first alphanumeric one).
fn tamper(c: &Value) -> (String, Vec<(String, String)>) {
    let path = c["raw_path"].as_str().unwrap().to_string();
    let mut headers = headers_of(c);
    if c["signature_kind"] == "ACS3-HMAC-SHA256" {
        let auth = headers
            .iter_mut()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .unwrap();
        let at = auth.1.find("Signature=").unwrap() + "Signature=".len();
        let ch = auth.1[at..].chars().next().unwrap();
        auth.1.replace_range(at..at + 1, &flip(ch).to_string());
        (path, headers)
    } else {
        let at = path.find("Signature=").unwrap() + "Signature=".len();
        let ch = path[at..].chars().next().unwrap();
        let mut p = path.clone();
        p.replace_range(at..at + 1, &flip(ch).to_string());
        (p, headers)
    }
}

#[tokio::test]
async fn every_captured_sdk_request_is_accepted_and_a_changed_signature_is_not() {
    let sb = start(SandboxOptions {
        allow_replay: true,
        time_scale: 0.0,
        extra_admin_keys: vec![("testid".into(), "testsecret".into())],
        ..Default::default()
    })
    .await
    .unwrap();
    let caps = captures();
    assert_eq!(caps.len(), 47);
    for c in &caps {
        let name = format!("{} {}", c["sdk"], c["call"]);
        // Twice: `allow_replay` relaxes the nonce check as well as the timestamp window.
        for attempt in 1..=2 {
            let r = raw(
                sb.local_addr(),
                &wire(c, c["raw_path"].as_str().unwrap(), &headers_of(c)),
            )
            .await
            .unwrap();
            let body = r.json();
            assert!(
                body["RequestId"].as_str().is_some_and(|s| s.len() == 36),
                "{name}: {body}"
            );
            let code = body["Code"].as_str().unwrap_or("");
            assert!(
                !AUTH_CODES.contains(&code),
                "{name} (attempt {attempt}): rejected {} {body}",
                r.status
            );
            // Business outcome against the demo world: success or a business error about
            // the captured (foreign) resource ids, never a server error.
            assert!(r.status < 500, "{name}: {} {body}", r.status);
            eprintln!("{name} (attempt {attempt}): {} {code}", r.status);
        }

        let (path, headers) = tamper(c);
        let r = raw(sb.local_addr(), &wire(c, &path, &headers))
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{name}: {}", r.text());
        assert_eq!(r.json()["Code"], "SignatureDoesNotMatch", "{name}");
        assert!(r.json()["Message"]
            .as_str()
            .unwrap()
            .contains("server string to sign is:"));
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn replay_checks_reject_the_captures_when_enabled() {
    let sb = start(SandboxOptions {
        extra_admin_keys: vec![("testid".into(), "testsecret".into())],
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    for c in captures()
        .iter()
        .take(3)
        .chain(captures().iter().skip(30).take(3))
    {
        let r = raw(
            sb.local_addr(),
            &wire(c, c["raw_path"].as_str().unwrap(), &headers_of(c)),
        )
        .await
        .unwrap();
        assert_eq!(
            r.json()["Code"],
            "InvalidTimeStamp.Expired",
            "{}",
            c["call"]
        );
        assert_eq!(r.status, 400);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn captures_signed_with_an_unknown_key_are_not_found() {
    let sb = support::sandbox().await;
    let c = &captures()[0];
    let r = raw(
        sb.local_addr(),
        &wire(c, c["raw_path"].as_str().unwrap(), &headers_of(c)),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["Code"], "InvalidAccessKeyId.NotFound");
    sb.shutdown().await;
}
