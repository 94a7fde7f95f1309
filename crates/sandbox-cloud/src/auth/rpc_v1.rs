//! RPC signature v1 (HMAC-SHA1), reference §1.1. Pure functions: the verifier in `mod.rs`
//! decides what to compare.

use base64::Engine as _;
use hmac::{Hmac, Mac};

use super::encode::percent_encode;

/// `METHOD&%2F&<encoded canonical query>` over every parameter except `Signature`.
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut pairs: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    // Byte-wise order of the (encoded) names; values break ties so duplicates are stable.
    pairs.sort();
    let canonical = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!("{method}&%2F&{}", percent_encode(&canonical))
}

/// Base64(HMAC-SHA1(secret + "&", string_to_sign)).
pub fn sign(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{secret}&").as_bytes())
        .expect("HMAC takes any key length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn published_vector_v1_a() {
        let params = p(&[
            ("Action", "DescribeRegions"),
            ("Version", "2014-05-26"),
            ("Format", "XML"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("AccessKeyId", "testid"),
            ("Signature", "ignored"),
        ]);
        let sts = string_to_sign("GET", &params);
        assert_eq!(sts, "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26");
        assert_eq!(sign("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn published_vector_v1_b() {
        let sts = string_to_sign("", &p(&[("test", "ok")]));
        assert_eq!(sts, "&%2F&test%3Dok");
        assert_eq!(
            sign("accessKeySecret", &sts),
            "jHx/oHoHNrbVfhncHEvPdHXZwHU="
        );
    }

    #[test]
    fn computed_vector_v1_c() {
        let params = p(&[
            ("AccessKeyId", "testid"),
            ("Action", "DescribeInstanceRamRole"),
            ("Format", "JSON"),
            ("InstanceIds", "[\"i-abc\",\"i-def\"]"),
            ("RegionId", "cn-hangzhou"),
            ("SecurityToken", "tok en*~"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "nonce-0001"),
            ("SignatureVersion", "1.0"),
            ("Timestamp", "2024-01-02T03:04:05Z"),
            ("Version", "2014-05-26"),
        ]);
        assert_eq!(
            sign("testsecret", &string_to_sign("POST", &params)),
            "sf6wFWfMrafRdnzO1obs4rG5eDI="
        );
    }

    #[test]
    fn one_changed_value_changes_the_signature() {
        let a = string_to_sign("GET", &p(&[("a", "1")]));
        let b = string_to_sign("GET", &p(&[("a", "2")]));
        assert_ne!(sign("s", &a), sign("s", &b));
    }
}
