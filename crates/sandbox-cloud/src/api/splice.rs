//! A list answer whose items are JSON text already: the handler serialises its typed
//! views once, and the body is written around them. Building a `Value` per item (and
//! dropping it) was most of the sandbox's CPU on the scale fleet's pages, and it happened
//! under the world's lock.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The items of `{outer: {inner: [...]}}`, as JSON text.
pub struct Splice {
    pub(super) outer: &'static str,
    pub(super) inner: &'static str,
    items: Items,
}

enum Items {
    Text(Box<RawValue>),
    /// Shared items (`Arc`s of the world's), serialised once the world's lock is released
    /// (a page of 500 disks is ≈ 2 ms of serialising that would hold up every other call).
    Later(Box<dyn FnOnce() -> Box<RawValue> + Send>),
}

impl std::fmt::Debug for Splice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let items = match &self.items {
            Items::Text(t) => t.get(),
            Items::Later(_) => "(not yet serialised)",
        };
        write!(f, "Splice({}.{}: {items})", self.outer, self.inner)
    }
}

impl Splice {
    pub fn list<T: Serialize>(
        outer: &'static str,
        inner: &'static str,
        items: impl IntoIterator<Item = T>,
    ) -> Self {
        Splice {
            outer,
            inner,
            items: Items::Text(Self::text(items)),
        }
    }

    /// A list serialised by `render` when the answer is written, after the lock.
    pub fn later(
        outer: &'static str,
        inner: &'static str,
        render: impl FnOnce() -> Box<RawValue> + Send + 'static,
    ) -> Self {
        Splice {
            outer,
            inner,
            items: Items::Later(Box::new(render)),
        }
    }

    /// Views as one JSON array, each made and written in turn (no list of them).
    pub fn text<T: Serialize>(items: impl IntoIterator<Item = T>) -> Box<RawValue> {
        let seq = Seq(std::cell::Cell::new(Some(items.into_iter())));
        // Serialising views of plain data cannot fail.
        serde_json::value::to_raw_value(&seq).expect("views serialise")
    }

    /// Serialises a `later` list now; a no-op for one that already is.
    fn render(&mut self) {
        if matches!(self.items, Items::Later(_)) {
            if let Items::Later(render) =
                std::mem::replace(&mut self.items, Items::Text(Box::default()))
            {
                self.items = Items::Text(render());
            }
        }
    }

    fn items(&self) -> &RawValue {
        match &self.items {
            Items::Text(t) => t,
            // `around` and `fold_into` render first.
            Items::Later(_) => unreachable!("a later list is rendered before it is written"),
        }
    }

    /// The body with the items as `Value`s: for XML answers and the idempotency cache.
    pub fn fold_into(mut self, body: &mut Value) {
        self.render();
        let items: Value = serde_json::from_str(self.items().get()).unwrap_or_default();
        if let Some(list) = body.get_mut(self.outer).and_then(Value::as_object_mut) {
            list.insert(self.inner.to_owned(), items);
        }
    }

    /// Serialise `body` (an object holding `{outer: {inner: …}}`) with these items,
    /// rendering a `later` list first.
    pub fn around<'a>(&'a mut self, body: &'a Value) -> impl Serialize + 'a {
        self.render();
        Around {
            body,
            splice: self,
            depth: 0,
        }
    }
}

/// An iterator serialised as a sequence, once.
struct Seq<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.take().into_iter().flatten())
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
                m.serialize_entry(k, self.splice.items())
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
        let mut splice = Splice::list("Items", "Item", [Item { id: 1 }, Item { id: 2 }]);
        let text = serde_json::to_string(&splice.around(&body())).unwrap();
        assert_eq!(
            text,
            r#"{"Items":{"Item":[{"Id":1},{"Id":2}]},"PageNumber":1,"RequestId":"R"}"#
        );
    }

    #[test]
    fn folding_gives_the_same_body_as_a_value() {
        let mut splice = Splice::list("Items", "Item", [Item { id: 7 }]);
        let spliced: Value =
            serde_json::from_str(&serde_json::to_string(&splice.around(&body())).unwrap()).unwrap();
        let mut folded = body();
        splice.fold_into(&mut folded);
        assert_eq!(folded, spliced);
        assert_eq!(folded["Items"]["Item"][0]["Id"], 7);
    }

    #[test]
    fn a_later_list_renders_once_to_the_same_text() {
        let renders = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counted = renders.clone();
        let mut later = Splice::later("Items", "Item", move || {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Splice::text([Item { id: 1 }, Item { id: 2 }])
        });
        assert_eq!(
            renders.load(std::sync::atomic::Ordering::SeqCst),
            0,
            "not before render"
        );
        later.render();
        later.render();
        assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
        let mut now = Splice::list("Items", "Item", [Item { id: 1 }, Item { id: 2 }]);
        assert_eq!(
            serde_json::to_string(&later.around(&body())).unwrap(),
            serde_json::to_string(&now.around(&body())).unwrap()
        );
        let mut folded = body();
        Splice::later("Items", "Item", || Splice::text([Item { id: 3 }])).fold_into(&mut folded);
        assert_eq!(folded["Items"]["Item"][0]["Id"], 3);
    }
}
