//! Resource tags. Most ECS answers spell them `TagKey`/`TagValue`; DescribeSnapshotGroups
//! spells them `Key`/`Value` (reference §3.15), so both renderings exist.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(pub Vec<(String, String)>);

impl Tags {
    pub fn set(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value.to_string(),
            None => self.0.push((key.to_string(), value.to_string())),
        }
    }

    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key);
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// True when every `(key, value)` filter matches (an empty value matches any value).
    pub fn matches(&self, filters: &[(String, String)]) -> bool {
        filters.iter().all(|(k, v)| match self.get(k) {
            Some(actual) => v.is_empty() || actual == v,
            None => false,
        })
    }

    /// `{"Tag":[{"TagKey":…,"TagValue":…}]}`
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.view()).unwrap_or_default()
    }

    /// The `TagKey`/`TagValue` rendering, serialised without a `Value` in between.
    pub fn view(&self) -> TagSet<'_> {
        TagSet(self)
    }

    /// `{"Tag":[{"Key":…,"Value":…}]}` (DescribeSnapshotGroups only).
    pub fn to_json_key_value(&self) -> Value {
        json!({ "Tag": self.0.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect::<Vec<_>>() })
    }
}

/// `{"Tag":[{"TagKey":…,"TagValue":…}]}` as a `Serialize`.
pub struct TagSet<'a>(&'a Tags);

struct TagList<'a>(&'a Tags);

#[derive(Serialize)]
struct TagPair<'a> {
    #[serde(rename = "TagKey")]
    key: &'a str,
    #[serde(rename = "TagValue")]
    value: &'a str,
}

impl Serialize for TagSet<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("Tag", &TagList(self.0))?;
        m.end()
    }
}

impl Serialize for TagList<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0 .0.len()))?;
        for (key, value) in &self.0 .0 {
            seq.serialize_element(&TagPair { key, value })?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_and_both_spellings_render() {
        let mut t = Tags::default();
        t.set("a", "1");
        t.set("a", "2");
        t.set("b", "");
        assert_eq!(t.0.len(), 2);
        assert!(t.matches(&[("a".into(), "2".into()), ("b".into(), String::new())]));
        assert!(!t.matches(&[("c".into(), String::new())]));
        assert_eq!(t.to_json()["Tag"][0]["TagKey"], "a");
        assert_eq!(t.to_json_key_value()["Tag"][0]["Value"], "2");
        t.remove("a");
        assert_eq!(t.get("a"), None);
    }
}
