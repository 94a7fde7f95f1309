//! RPC signature v1: `HMAC-SHA1` over `METHOD&%2F&encode(canonical query)`.
//!
//! Alibaba's docs now call this "signature method V2 (RPC)"; the wire still says
//! `SignatureVersion=1.0`. Pure functions: the caller passes time and nonce.

use std::collections::BTreeMap;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

use super::encode::percent_encode;

pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
pub const SIGNATURE_VERSION: &str = "1.0";

/// The intermediate strings and the result of one v1 signature. None of them holds the
/// AccessKey secret; the canonical query can hold an STS token (redact before logging).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcV1Signature {
    pub canonical_query: String,
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1, not yet percent-encoded.
    pub signature: String,
}

/// What v1 adds to the action's own parameters.
#[derive(Debug, Clone, Copy)]
pub struct RpcV1Common<'a> {
    pub action: &'a str,
    pub version: &'a str,
    pub access_key_id: &'a str,
    pub security_token: Option<&'a str>,
    /// `yyyy-MM-ddTHH:mm:ssZ`, see [`super::format_timestamp`].
    pub timestamp: &'a str,
    pub nonce: &'a str,
}

/// The full parameter set to sign: the action's parameters plus the common ones.
pub fn rpc_v1_params(
    common: &RpcV1Common<'_>,
    action_params: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut params = action_params.clone();
    let mut put = |k: &str, v: &str| params.insert(k.to_string(), v.to_string());
    put("Action", common.action);
    put("Version", common.version);
    put("Format", "JSON");
    put("AccessKeyId", common.access_key_id);
    put("SignatureMethod", SIGNATURE_METHOD);
    put("SignatureVersion", SIGNATURE_VERSION);
    put("SignatureNonce", common.nonce);
    put("Timestamp", common.timestamp);
    if let Some(token) = common.security_token {
        put("SecurityToken", token);
    }
    params
}

/// `name=value` pairs, both percent-encoded, sorted byte-wise by name, joined with `&`.
pub fn canonical_query(params: &BTreeMap<String, String>) -> String {
    // BTreeMap<String, _> iterates in byte order of the UTF-8 names, as required.
    params
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Sign every parameter in `params` (which must not contain `Signature`).
pub fn sign_rpc_v1(
    method: &str,
    params: &BTreeMap<String, String>,
    access_key_secret: &str,
) -> RpcV1Signature {
    let canonical_query = canonical_query(params);
    let string_to_sign = format!(
        "{method}&{}&{}",
        percent_encode("/"),
        percent_encode(&canonical_query)
    );
    let key = format!("{access_key_secret}&");
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    RpcV1Signature {
        canonical_query,
        string_to_sign,
        signature,
    }
}

/// The query string to send: the canonical query plus `&Signature=<encoded>`.
pub fn signed_query_string(signature: &RpcV1Signature) -> String {
    let sig = format!("Signature={}", percent_encode(&signature.signature));
    if signature.canonical_query.is_empty() {
        sig
    } else {
        format!("{}&{sig}", signature.canonical_query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn sorting_is_byte_wise_so_uppercase_comes_first() {
        let q = canonical_query(&map(&[
            ("b", "1"),
            ("B", "2"),
            ("a", "3"),
            ("A.10", "x"),
            ("A.2", "y"),
        ]));
        assert_eq!(q, "A.10=x&A.2=y&B=2&a=3&b=1");
    }

    #[test]
    fn common_params_are_added_and_token_only_when_present() {
        let common = RpcV1Common {
            action: "DescribeRegions",
            version: "2014-05-26",
            access_key_id: "id",
            security_token: None,
            timestamp: "2024-01-02T03:04:05Z",
            nonce: "n",
        };
        let p = rpc_v1_params(&common, &map(&[("RegionId", "cn-hangzhou")]));
        assert_eq!(p.get("Format").map(String::as_str), Some("JSON"));
        assert!(!p.contains_key("SecurityToken"));
        let with_token = RpcV1Common {
            security_token: Some("tok"),
            ..common
        };
        let p = rpc_v1_params(&with_token, &BTreeMap::new());
        assert_eq!(p.get("SecurityToken").map(String::as_str), Some("tok"));
        assert_eq!(p.len(), 9);
    }

    #[test]
    fn signed_query_string_appends_the_encoded_signature() {
        let s = sign_rpc_v1("GET", &map(&[("test", "ok")]), "accessKeySecret");
        // Published SDK unit test (V1-B), but with GET instead of an empty method.
        assert!(signed_query_string(&s).starts_with("test=ok&Signature="));
        assert!(!signed_query_string(&s).contains('+'));
    }
}
