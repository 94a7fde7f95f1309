//! Strict decoding of typed replies (`ClientBuilder::strict_decoding(true)`, used by the
//! tests against the sandbox): every field a reply type expects must be in the JSON, so a
//! field renamed on either side fails instead of decoding to `""`, `0` or `false`.
//!
//! It works for every reply type at once, without a list of fields per type: serde's
//! derive tells `deserialize_struct` the names it expects, and this deserializer offers
//! each expected name that the JSON lacks as an absent value. A field typed `Option<_>`
//! (the cloud documents it as optional) accepts absence as `None`; anything else fails
//! with the JSON path of the missing field (`Instances.Instance[0].VpcAttributes.VpcId`).

use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess,
    SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Map, Value};

/// Decode `value` into `T`, requiring every field `T` expects (at any depth).
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, Error> {
    T::deserialize(Strict {
        value,
        path: String::new(),
    })
}

/// The first error names where it happened; outer levels leave it alone.
fn located(path: &str, e: Error) -> Error {
    let text = e.to_string();
    if text.starts_with("missing `") || text.starts_with("at `") || path.is_empty() {
        e
    } else {
        Error::custom(format!("at `{path}`: {text}"))
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// One JSON value at a known path.
struct Strict<'a> {
    value: &'a Value,
    path: String,
}

macro_rules! forward_to_value {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
            self.value.$method(visitor)
        }
    )*};
}

impl<'a> Deserializer<'a> for Strict<'a> {
    type Error = Error;

    forward_to_value! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter(),
                index: 0,
                path: self.path,
            }),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Fields::new(map, &[], self.path)),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Fields::new(map, fields, self.path)),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_enum(name, variants, visitor)
    }
}

/// An object's entries, then every expected field it lacks (as [`Absent`]).
struct Fields<'a> {
    present: serde_json::map::Iter<'a>,
    absent: std::vec::IntoIter<&'static str>,
    next: Option<Next<'a>>,
    path: String,
}

enum Next<'a> {
    Present(&'a str, &'a Value),
    Absent(&'static str),
}

impl<'a> Fields<'a> {
    fn new(map: &'a Map<String, Value>, expected: &'static [&'static str], path: String) -> Self {
        let absent: Vec<&'static str> = expected
            .iter()
            .copied()
            .filter(|f| !map.contains_key(*f))
            .collect();
        Self {
            present: map.iter(),
            absent: absent.into_iter(),
            next: None,
            path,
        }
    }
}

impl<'a> MapAccess<'a> for Fields<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let (key, next) = match self.present.next() {
            Some((k, v)) => (k.as_str(), Next::Present(k, v)),
            None => match self.absent.next() {
                Some(f) => (f, Next::Absent(f)),
                None => return Ok(None),
            },
        };
        self.next = Some(next);
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.next.take() {
            Some(Next::Present(key, value)) => {
                let path = child(&self.path, key);
                seed.deserialize(Strict {
                    value,
                    path: path.clone(),
                })
                .map_err(|e| located(&path, e))
            }
            Some(Next::Absent(field)) => seed.deserialize(Absent {
                path: child(&self.path, field),
            }),
            None => Err(Error::custom("value asked for before its key")),
        }
    }
}

/// An array's items at `path[i]`.
struct Items<'a> {
    items: std::slice::Iter<'a, Value>,
    index: usize,
    path: String,
}

impl<'a> SeqAccess<'a> for Items<'a> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(value) = self.items.next() else {
            return Ok(None);
        };
        let path = format!("{}[{}]", self.path, self.index);
        self.index += 1;
        seed.deserialize(Strict {
            value,
            path: path.clone(),
        })
        .map(Some)
        .map_err(|e| located(&path, e))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An expected field the JSON lacks: `None` for an `Option`, an error for anything else.
struct Absent {
    path: String,
}

impl<'de> Deserializer<'de> for Absent {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(Error::custom(format!("missing `{}`", self.path)))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_none()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    struct Reply {
        request_id: String,
        total_count: u64,
        next_token: Option<String>,
        items: Items_,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    struct Items_ {
        #[serde(rename = "Item", default)]
        item: Vec<Item>,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "PascalCase", default)]
    struct Item {
        item_id: String,
        size: u64,
        #[serde(deserialize_with = "crate::actions::bool_from_string")]
        encrypted: bool,
        note: Option<String>,
    }

    fn full() -> Value {
        json!({"RequestId": "R", "TotalCount": 2, "Extra": {"x": 1}, "Items": {"Item": [
            {"ItemId": "a", "Size": 40, "Encrypted": "true"},
            {"ItemId": "b", "Size": 20, "Encrypted": false, "Note": "n"},
        ]}})
    }

    #[test]
    fn a_complete_reply_decodes_as_serde_json_does() {
        let strict: Reply = from_value(&full()).unwrap();
        let lenient: Reply = serde_json::from_value(full()).unwrap();
        assert_eq!(strict, lenient);
        assert_eq!(strict.items.item[1].note.as_deref(), Some("n"));
        assert!(strict.items.item[0].encrypted);
    }

    #[test]
    fn a_renamed_field_fails_with_its_json_path() {
        let mut v = full();
        let item = v["Items"]["Item"][1].as_object_mut().unwrap();
        let size = item.remove("Size").unwrap();
        item.insert("DiskSize".into(), size);
        let e = from_value::<Reply>(&v).unwrap_err().to_string();
        assert_eq!(e, "missing `Items.Item[1].Size`");
        // The lenient decoder would have said 0.
        let lenient: Reply = serde_json::from_value(v).unwrap();
        assert_eq!(lenient.items.item[1].size, 0);
    }

    #[test]
    fn defaulted_top_level_fields_and_wrappers_are_required_too() {
        for (field, path) in [("TotalCount", "TotalCount"), ("Items", "Items")] {
            let mut v = full();
            v.as_object_mut().unwrap().remove(field);
            let e = from_value::<Reply>(&v).unwrap_err().to_string();
            assert_eq!(e, format!("missing `{path}`"));
        }
        let mut v = full();
        v["Items"].as_object_mut().unwrap().remove("Item");
        assert_eq!(
            from_value::<Reply>(&v).unwrap_err().to_string(),
            "missing `Items.Item`"
        );
    }

    #[test]
    fn a_string_bool_cannot_hide_behind_its_default() {
        let mut v = full();
        v["Items"]["Item"][0]
            .as_object_mut()
            .unwrap()
            .remove("Encrypted");
        assert_eq!(
            from_value::<Reply>(&v).unwrap_err().to_string(),
            "missing `Items.Item[0].Encrypted`"
        );
    }

    #[test]
    fn optional_fields_may_be_absent_or_null() {
        let mut v = full();
        v["NextToken"] = Value::Null;
        let r: Reply = from_value(&v).unwrap();
        assert_eq!(r.next_token, None);
        assert_eq!(r.items.item[0].note, None);
    }

    #[test]
    fn a_wrong_type_names_where() {
        let mut v = full();
        v["Items"]["Item"][0]["Size"] = json!("big");
        let e = from_value::<Reply>(&v).unwrap_err().to_string();
        assert!(
            e.starts_with("at `Items.Item[0].Size`: invalid type"),
            "{e}"
        );
    }
}
