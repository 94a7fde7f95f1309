//! ACS3-HMAC-SHA256 (signature V3), reference §1.2. The canonical headers are taken from
//! the request's own `SignedHeaders` list, because SDKs sign different header sets (the
//! Python SDK signs `accept` and `user-agent`, the Go SDK does not).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::encode::percent_encode;

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// The three parts of an `Authorization: ACS3-HMAC-SHA256 ...` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Parse `ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..`.
pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let rest = value.trim().strip_prefix(ALGORITHM)?.trim_start();
    let (mut cred, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => cred = Some(v.to_string()),
            "SignedHeaders" => signed = Some(v.to_string()),
            "Signature" => sig = Some(v.to_string()),
            _ => {}
        }
    }
    Some(Authorization {
        access_key_id: cred?,
        signed_headers: signed?
            .split(';')
            .filter(|h| !h.is_empty())
            .map(|h| h.to_ascii_lowercase())
            .collect(),
        signature: sig?,
    })
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Everything the canonical request is built from.
pub struct CanonicalInput<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Decoded query pairs.
    pub query: &'a [(String, String)],
    /// Request headers, names in any case, possibly repeated.
    pub headers: &'a [(String, String)],
    pub signed_headers: &'a [String],
    pub body: &'a [u8],
}

pub fn canonical_request(input: &CanonicalInput<'_>) -> String {
    let path = if input.path.is_empty() {
        "/"
    } else {
        input.path
    };
    let mut query: Vec<(String, String)> = input
        .query
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut names: Vec<String> = input.signed_headers.to_vec();
    names.sort();
    names.dedup();
    let mut headers = String::new();
    for name in &names {
        let mut values: Vec<&str> = input
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect();
        values.sort();
        headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    format!(
        "{}\n{path}\n{query}\n{headers}\n{}\n{}",
        input.method,
        names.join(";"),
        sha256_hex(input.body)
    )
}

pub fn string_to_sign(canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Lowercase hex HMAC-SHA256(secret, string_to_sign).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    #[test]
    fn published_vector_v3_a() {
        let headers = s(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-content-sha256", EMPTY),
        ]);
        let signed: Vec<String> =
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
                .split(';')
                .map(String::from)
                .collect();
        let query = s(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let cr = canonical_request(&CanonicalInput {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            signed_headers: &signed,
            body: b"",
        });
        assert_eq!(
            sha256_hex(cr.as_bytes()),
            "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
        );
        assert_eq!(
            sign("YourAccessKeySecret", &string_to_sign(&cr)),
            "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
        );
    }

    #[test]
    fn published_vector_v3_b_repeated_headers_and_empty_value() {
        // The published vector hashes a fixed payload string; build the canonical request by hand
        // from our pieces to check header folding and query encoding.
        let headers = s(&[("x-acs-test", "http"), ("x-acs-TEST", "https")]);
        let signed = vec!["x-acs-test".to_string()];
        let query = s(&[("test", "ok"), ("empty", "")]);
        let cr = canonical_request(&CanonicalInput {
            method: "",
            path: "",
            query: &query,
            headers: &headers,
            signed_headers: &signed,
            body: b"",
        });
        let cr = cr.replace(
            EMPTY,
            "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
        );
        assert_eq!(cr, "\n/\nempty=&test=ok\nx-acs-test:http,https\n\nx-acs-test\n55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23");
        assert_eq!(
            sign("secret", &string_to_sign(&cr)),
            "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
        );
    }

    #[test]
    fn computed_vector_v3_c() {
        let headers = s(&[
            ("host", "ecs.cn-hangzhou.aliyuncs.com"),
            ("x-acs-action", "RunCommand"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2024-01-02T03:04:05Z"),
            ("x-acs-signature-nonce", "nonce-0002"),
            ("x-acs-security-token", "STS.tok"),
            ("x-acs-accesskey-id", "STS.id"),
            ("x-acs-content-sha256", EMPTY),
        ]);
        let signed: Vec<String> = "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version"
            .split(';').map(String::from).collect();
        let query = s(&[
            ("RegionId", "cn-hangzhou"),
            ("Type", "RunShellScript"),
            ("CommandContent", "echo hello world"),
            ("InstanceId.1", "i-abc"),
            ("InstanceId.2", "i-def"),
            ("Parameters", "{\"a\":\"b c\"}"),
        ]);
        let cr = canonical_request(&CanonicalInput {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            signed_headers: &signed,
            body: b"",
        });
        assert_eq!(
            sha256_hex(cr.as_bytes()),
            "c0a6143724daae75f00b04939d614ee6d9e17579ea25a68c04edda0b98fc9b74"
        );
        assert_eq!(
            sign("testsecret", &string_to_sign(&cr)),
            "39adaa198b2d62832e83b5a703f46a6d232bd9a7e94566b19af2a661bfc82c6a"
        );
    }

    #[test]
    fn parses_authorization_header() {
        let a = parse_authorization(
            "ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host;X-Acs-Date,Signature=abc",
        )
        .unwrap();
        assert_eq!(a.access_key_id, "ak");
        assert_eq!(a.signed_headers, vec!["host", "x-acs-date"]);
        assert_eq!(a.signature, "abc");
        assert!(parse_authorization("ACS3-HMAC-SHA256 Credential=ak").is_none());
        assert!(parse_authorization("Bearer x").is_none());
    }
}
