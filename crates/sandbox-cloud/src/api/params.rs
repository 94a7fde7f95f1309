//! Business parameters of one call, merged from the query string and the form body, with
//! the flattening rules of reference §2.4 (`X.N`, `X.N.Field`, JSON-array strings).

use std::collections::BTreeMap;

use crate::errors::{ApiError, ApiResult};

/// Protocol parameters that are not business input (excluded from idempotency checks).
pub const COMMON: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Version",
    "Format",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "SignatureType",
    "Timestamp",
    "SecurityToken",
    "ClientToken",
];

#[derive(Debug, Clone, Default)]
pub struct Params(pub BTreeMap<String, String>);

impl Params {
    pub fn from_pairs<'a>(pairs: impl Iterator<Item = &'a (String, String)>) -> Self {
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            map.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Self(map)
    }

    /// A value, empty strings counting as absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    pub fn string(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    pub fn req(&self, name: &str) -> ApiResult<&str> {
        self.get(name).ok_or_else(|| ApiError::missing(name))
    }

    pub fn region(&self) -> ApiResult<&str> {
        self.req("RegionId")
    }

    /// `Name.1`, `Name.2`, … in numeric order.
    pub fn list(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.");
        let mut items: Vec<(u32, String)> = self
            .0
            .iter()
            .filter_map(|(k, v)| {
                let n = k.strip_prefix(&prefix)?.parse().ok()?;
                (!v.is_empty()).then(|| (n, v.clone()))
            })
            .collect();
        items.sort();
        items.into_iter().map(|(_, v)| v).collect()
    }

    /// `Name.N.Field` objects as `(field, value)` lists in numeric order.
    pub fn objects(&self, name: &str) -> Vec<BTreeMap<String, String>> {
        let prefix = format!("{name}.");
        let mut items: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
        for (k, v) in &self.0 {
            let Some(rest) = k.strip_prefix(&prefix) else {
                continue;
            };
            let Some((n, field)) = rest.split_once('.') else {
                continue;
            };
            let Ok(n) = n.parse() else { continue };
            items
                .entry(n)
                .or_default()
                .insert(field.to_string(), v.clone());
        }
        items.into_values().collect()
    }

    /// `Tag.N.Key` / `Tag.N.Value` pairs (or any prefix with Key/Value).
    pub fn tags(&self, name: &str) -> Vec<(String, String)> {
        self.objects(name)
            .into_iter()
            .filter_map(|o| {
                Some((
                    o.get("Key")?.clone(),
                    o.get("Value").cloned().unwrap_or_default(),
                ))
            })
            .collect()
    }

    /// A JSON array of strings carried in one parameter (`InstanceIds=["i-a","i-b"]`).
    pub fn json_list(&self, name: &str) -> ApiResult<Vec<String>> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(raw) => {
                serde_json::from_str::<Vec<String>>(raw).map_err(|_| ApiError::malformed_list(name))
            }
        }
    }

    pub fn bool(&self, name: &str, default: bool) -> ApiResult<bool> {
        match self.get(name) {
            None => Ok(default),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::invalid(name, format!("'{v}' is not a boolean"))),
        }
    }

    pub fn u64(&self, name: &str) -> ApiResult<Option<u64>> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| ApiError::invalid(name, format!("'{v}' is not a number")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        let v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Params::from_pairs(v.iter())
    }

    #[test]
    fn flattened_lists_and_objects() {
        let x = p(&[
            ("InstanceId.10", "c"),
            ("InstanceId.2", "b"),
            ("InstanceId.1", "a"),
            ("Tag.1.Key", "k"),
            ("Tag.1.Value", "v"),
            ("Tag.2.Key", "only"),
        ]);
        assert_eq!(x.list("InstanceId"), vec!["a", "b", "c"]);
        assert_eq!(
            x.tags("Tag"),
            vec![("k".into(), "v".into()), ("only".into(), String::new())]
        );
    }

    #[test]
    fn json_arrays_bools_and_numbers() {
        let x = p(&[
            ("InstanceIds", "[\"i-a\", \"i-b\"]"),
            ("Bad", "[1"),
            ("B", "True"),
            ("N", "x"),
        ]);
        assert_eq!(x.json_list("InstanceIds").unwrap(), vec!["i-a", "i-b"]);
        assert_eq!(x.json_list("Bad").unwrap_err().code, "InvalidBad.Malformed");
        assert!(x.bool("B", false).unwrap());
        assert!(x.u64("N").is_err());
        assert_eq!(x.req("Missing").unwrap_err().code, "MissingParameter");
    }
}
