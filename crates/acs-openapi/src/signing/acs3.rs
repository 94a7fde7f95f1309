//! V3 signature `ACS3-HMAC-SHA256`: a canonical request over method, path, query,
//! the signed headers and the payload hash, then HMAC-SHA256 with the bare secret.
//!
//! Pure functions: the caller passes time and nonce (inside the headers).

use std::collections::BTreeMap;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::encode::{percent_encode, percent_encode_path};

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// Hex SHA-256 of the empty body, which is what ECS/RAM/STS RPC calls send.
pub const EMPTY_PAYLOAD_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What gets signed. Every header listed here is signed (the caller picks them).
#[derive(Debug, Clone, Copy)]
pub struct Acs3Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a BTreeMap<String, String>,
    pub headers: &'a [(String, String)],
    /// Lowercase hex SHA-256 of the body (same value as `x-acs-content-sha256`).
    pub hashed_payload: &'a str,
}

/// The intermediate strings and the result of one V3 signature. None holds the secret;
/// the canonical request can hold an STS token (redact before logging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acs3Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub signature: String,
    pub authorization: String,
}

/// The headers AppSnap signs on every call: `host`, `x-acs-*`, and `content-type` if any.
#[derive(Debug, Clone, Copy)]
pub struct Acs3Headers<'a> {
    pub host: &'a str,
    pub action: &'a str,
    pub version: &'a str,
    /// `yyyy-MM-ddTHH:mm:ssZ`, see [`super::format_timestamp`].
    pub date: &'a str,
    pub nonce: &'a str,
    pub hashed_payload: &'a str,
    pub access_key_id: &'a str,
    pub security_token: Option<&'a str>,
    pub content_type: Option<&'a str>,
}

impl Acs3Headers<'_> {
    pub fn to_headers(&self) -> Vec<(String, String)> {
        let mut h = vec![
            ("host", self.host),
            ("x-acs-action", self.action),
            ("x-acs-version", self.version),
            ("x-acs-date", self.date),
            ("x-acs-signature-nonce", self.nonce),
            ("x-acs-content-sha256", self.hashed_payload),
        ];
        if let Some(token) = self.security_token {
            // The SDK sends the AK id as a header only alongside an STS token.
            h.push(("x-acs-security-token", token));
            h.push(("x-acs-accesskey-id", self.access_key_id));
        }
        if let Some(ct) = self.content_type {
            h.push(("content-type", ct));
        }
        h.into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Sorted `name=value` with both percent-encoded; an empty value gives `name=`.
pub fn canonical_query(query: &BTreeMap<String, String>) -> String {
    query
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Lowercased names, trimmed values; repeated names merge their sorted values with `,`.
/// Returns (`name:value\n` lines, `;`-joined names).
pub fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut merged: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, value) in headers {
        merged
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(value.trim().to_string());
    }
    let mut lines = String::new();
    for (name, values) in &mut merged {
        values.sort();
        lines.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let names = merged.keys().cloned().collect::<Vec<_>>().join(";");
    (lines, names)
}

pub fn sign_acs3(
    request: &Acs3Request<'_>,
    access_key_id: &str,
    access_key_secret: &str,
) -> Acs3Signature {
    let path = if request.path.is_empty() {
        "/".to_string()
    } else {
        percent_encode_path(request.path)
    };
    let (header_lines, signed_headers) = canonical_headers(request.headers);
    let canonical_request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method,
        path,
        canonical_query(request.query),
        header_lines,
        signed_headers,
        request.hashed_payload
    );
    let string_to_sign = format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()));
    let mut mac = Hmac::<Sha256>::new_from_slice(access_key_secret.as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let authorization = format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}"
    );
    Acs3Signature {
        canonical_request,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_payload_constant_is_the_sha256_of_nothing() {
        assert_eq!(sha256_hex(b""), EMPTY_PAYLOAD_SHA256);
        assert_eq!(
            sha256_hex(b"test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
    }

    #[test]
    fn repeated_headers_merge_sorted_and_trimmed() {
        let h = vec![
            ("x-acs-test".to_string(), " https ".to_string()),
            ("X-ACS-Test".to_string(), "http".to_string()),
            ("Host".to_string(), "h".to_string()),
        ];
        let (lines, names) = canonical_headers(&h);
        assert_eq!(lines, "host:h\nx-acs-test:http,https\n");
        assert_eq!(names, "host;x-acs-test");
    }

    #[test]
    fn sts_headers_add_token_and_key_id() {
        let base = Acs3Headers {
            host: "h",
            action: "A",
            version: "v",
            date: "d",
            nonce: "n",
            hashed_payload: EMPTY_PAYLOAD_SHA256,
            access_key_id: "id",
            security_token: None,
            content_type: None,
        };
        let names = |h: &Acs3Headers<'_>| canonical_headers(&h.to_headers()).1;
        assert_eq!(
            names(&base),
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
        );
        let sts = Acs3Headers {
            security_token: Some("tok"),
            ..base
        };
        assert_eq!(
            names(&sts),
            "host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version"
        );
    }
}
