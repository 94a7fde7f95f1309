//! Typed actions: request structs that flatten to wire names, response structs with the
//! exact wire field names (tolerant of unknown and missing fields), and async methods on
//! [`Client`](crate::Client). Paged lists come as streams so callers never write loops.

pub mod cloud_assistant;
pub mod ecs_instances;
pub mod instance_ram_role;
pub mod paging;
pub mod ram;
pub mod snapshots;
pub mod sts;
pub mod tags;

use serde::{Deserialize, Deserializer};

/// A tag as most ECS replies spell it (`TagKey`/`TagValue`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub tag_key: String,
    pub tag_value: String,
}

/// `Tags.Tag[]` with `TagKey`/`TagValue`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Tags {
    #[serde(rename = "Tag", default)]
    pub tag: Vec<Tag>,
}

/// A tag as DescribeSnapshotGroups spells it (`Key`/`Value`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct KeyValueTag {
    pub key: String,
    pub value: String,
}

/// `Tags.Tag[]` with `Key`/`Value` (DescribeSnapshotGroups only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct KeyValueTags {
    #[serde(rename = "Tag", default)]
    pub tag: Vec<KeyValueTag>,
}

/// A fresh idempotency token: generated once per logical operation and sent unchanged
/// on every retry, so the server creates at most one resource.
pub fn new_client_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Booleans the API sends as strings (`"true"`/`"false"`), also accepting real booleans
/// (`null` is false). Not an `Option` inside, so strict decoding still requires the field.
pub(crate) fn bool_from_string<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    // A visitor, not an untagged enum: that one buffers each value before it tries the
    // variants (10,000 agent states an inventory).
    struct Lenient;
    impl serde::de::Visitor<'_> for Lenient {
        type Value = bool;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a boolean, \"true\" / \"false\" or null")
        }
        fn visit_bool<E>(self, b: bool) -> Result<bool, E> {
            Ok(b)
        }
        fn visit_str<E>(self, s: &str) -> Result<bool, E> {
            Ok(s.eq_ignore_ascii_case("true"))
        }
        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }
        fn visit_none<E>(self) -> Result<bool, E> {
            Ok(false)
        }
    }
    d.deserialize_any(Lenient)
}

/// Numbers the API sometimes sends as strings (e.g. `SourceDiskSize`).
pub(crate) fn u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        N(u64),
        S(String),
    }
    Ok(match Option::<Raw>::deserialize(d)? {
        Some(Raw::N(n)) => Some(n),
        Some(Raw::S(s)) => s.trim().parse().ok(),
        None => None,
    })
}

/// Only the RequestId (actions whose reply carries nothing else).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct EmptyResponse {
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct B {
        #[serde(deserialize_with = "bool_from_string", default)]
        v: bool,
        #[serde(deserialize_with = "u64_lenient", default)]
        n: Option<u64>,
    }

    #[test]
    fn lenient_scalars() {
        let b: B = serde_json::from_str(r#"{"v":"true","n":"40"}"#).unwrap();
        assert!(b.v);
        assert_eq!(b.n, Some(40));
        let b: B = serde_json::from_str(r#"{"v":false,"n":7}"#).unwrap();
        assert!(!b.v);
        assert_eq!(b.n, Some(7));
        let b: B = serde_json::from_str(r#"{"v":"False"}"#).unwrap();
        assert!(!b.v);
        assert_eq!(b.n, None);
        let b: B = serde_json::from_str(r#"{"v":null,"n":null}"#).unwrap();
        assert!(!b.v);
        assert_eq!(b.n, None);
        let b: B = serde_json::from_str(r#"{"v":"TRUE"}"#).unwrap();
        assert!(b.v);
        assert!(serde_json::from_str::<B>(r#"{"v":1}"#).is_err());
        assert!(serde_json::from_str::<B>(r#"{"v":["true"]}"#).is_err());
    }

    #[test]
    fn client_tokens_are_unique_and_short() {
        let a = new_client_token();
        assert_ne!(a, new_client_token());
        assert!(a.len() <= 64 && a.is_ascii());
    }
}
