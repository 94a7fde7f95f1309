//! A list answer whose items are JSON text already: the handler serialises its typed
//! views once, and the body is written around them. Building a `Value` per item (and
//! dropping it) was most of the sandbox's CPU on the scale fleet's pages, and it happened
//! under the world's lock.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The items of `{outer: {inner: [...]}}`, as JSON text.
#[derive(Debug)]
pub struct Splice {
    pub(super) outer: &'static str,
    pub(super) inner: &'static str,
    items: Box<RawValue>,
}

impl Splice {
    pub fn list<T: Serialize>(
        outer: &'static str,
        inner: &'static str,
        items: impl IntoIterator<Item = T>,
    ) -> Self {
        let items: Vec<T> = items.into_iter().collect();
        Splice {
            outer,
            inner,
            // Serialising borrowed views of plain data cannot fail.
            items: serde_json::value::to_raw_value(&items).expect("views serialise"),
        }
    }

    /// The body with the items as `Value`s: for XML answers and the idempotency cache.
    pub fn fold_into(self, body: &mut Value) {
        let items: Value = serde_json::from_str(self.items.get()).unwrap_or_default();
        if let Some(list) = body.get_mut(self.outer).and_then(Value::as_object_mut) {
            list.insert(self.inner.to_owned(), items);
        }
    }

    /// Serialise `body` (an object holding `{outer: {inner: …}}`) with these items.
    pub fn around<'a>(&'a self, body: &'a Value) -> impl Serialize + 'a {
        Around {
            body,
            splice: self,
            depth: 0,
        }
    }
}

struct Around<'a> {
    body: &'a Value,
    splice: &'a Splice,
    /// 0: the body (look for `outer`), 1: the list wrapper (look for `inner`).
    depth: u8,
}

impl Serialize for Around<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(map) = self.body.as_object() else {
            return self.body.serialize(s);
        };
        let key = if self.depth == 0 {
            self.splice.outer
        } else {
            self.splice.inner
        };
        entries(map, key, s, |k, v, m| {
            if self.depth == 0 {
                m.serialize_entry(
                    k,
                    &Around {
                        body: v,
                        splice: self.splice,
                        depth: 1,
                    },
                )
            } else {
                m.serialize_entry(k, &self.splice.items)
            }
        })
    }
}

fn entries<S: Serializer>(
    map: &Map<String, Value>,
    key: &str,
    s: S,
    mut at_key: impl FnMut(&str, &Value, &mut S::SerializeMap) -> Result<(), S::Error>,
) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(map.len()))?;
    for (k, v) in map {
        if k == key {
            at_key(k, v, &mut m)?;
        } else {
            m.serialize_entry(k, v)?;
        }
    }
    m.end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Item {
        #[serde(rename = "Id")]
        id: u32,
    }

    fn body() -> Value {
        json!({"Items": {"Item": []}, "PageNumber": 1, "RequestId": "R"})
    }

    #[test]
    fn the_items_are_written_where_the_empty_list_was() {
        let splice = Splice::list("Items", "Item", [Item { id: 1 }, Item { id: 2 }]);
        let text = serde_json::to_string(&splice.around(&body())).unwrap();
        assert_eq!(
            text,
            r#"{"Items":{"Item":[{"Id":1},{"Id":2}]},"PageNumber":1,"RequestId":"R"}"#
        );
    }

    #[test]
    fn folding_gives_the_same_body_as_a_value() {
        let splice = Splice::list("Items", "Item", [Item { id: 7 }]);
        let spliced: Value =
            serde_json::from_str(&serde_json::to_string(&splice.around(&body())).unwrap()).unwrap();
        let mut folded = body();
        splice.fold_into(&mut folded);
        assert_eq!(folded, spliced);
        assert_eq!(folded["Items"]["Item"][0]["Id"], 7);
    }
}
