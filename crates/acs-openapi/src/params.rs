//! Request parameters flattened to wire names (alibaba-api.md §2.4): repeat lists
//! `InstanceId.1`, object lists `Tag.1.Key`, and JSON arrays inside one string.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl ToString) -> &mut Self {
        self.0.insert(name.into(), value.to_string());
        self
    }

    pub fn opt<V: ToString>(&mut self, name: &str, value: Option<V>) -> &mut Self {
        if let Some(v) = value {
            self.set(name, v);
        }
        self
    }

    /// `Name.1=a&Name.2=b` (1-based).
    pub fn repeat<S: AsRef<str>>(&mut self, name: &str, values: &[S]) -> &mut Self {
        for (i, v) in values.iter().enumerate() {
            self.set(format!("{name}.{}", i + 1), v.as_ref());
        }
        self
    }

    /// `Name=["a","b"]`, for params documented as a JSON array in a string.
    /// Omitted when empty.
    pub fn json_array<S: AsRef<str>>(&mut self, name: &str, values: &[S]) -> &mut Self {
        if !values.is_empty() {
            let list: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
            self.set(
                name,
                serde_json::to_string(&list).expect("strings serialise"),
            );
        }
        self
    }

    /// `Name.N.Key` / `Name.N.Value` pairs (tags, filters).
    pub fn key_values<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        name: &str,
        pairs: &[(K, V)],
    ) -> &mut Self {
        for (i, (k, v)) in pairs.iter().enumerate() {
            self.set(format!("{name}.{}.Key", i + 1), k.as_ref());
            self.set(format!("{name}.{}.Value", i + 1), v.as_ref());
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattening_rules() {
        let mut p = Params::new();
        p.repeat("InstanceId", &["i-a", "i-b"])
            .json_array("InstanceIds", &["i-a", "i-b"])
            .json_array("DiskIds", &[] as &[&str])
            .key_values("Tag", &[("env", "prod")])
            .opt("PageSize", Some(50))
            .opt::<u32>("PageNumber", None)
            .set("DryRun", true);
        let m = p.as_map();
        assert_eq!(m["InstanceId.1"], "i-a");
        assert_eq!(m["InstanceId.2"], "i-b");
        assert_eq!(m["InstanceIds"], r#"["i-a","i-b"]"#);
        assert!(!m.contains_key("DiskIds"));
        assert_eq!(m["Tag.1.Key"], "env");
        assert_eq!(m["Tag.1.Value"], "prod");
        assert_eq!(m["PageSize"], "50");
        assert!(!m.contains_key("PageNumber"));
        assert_eq!(m["DryRun"], "true");
    }
}
