//! A structured diff between the document we expect and the one the account has, by
//! JSON path, for the side-by-side view. Object keys compare regardless of order (RAM
//! may store them reordered); list items compare by position.

use serde_json::Value;

use super::types::{DiffChange, DiffEntry, DocumentDiff};

/// `None` when both are the same JSON value. A document that is not JSON differs as a
/// whole string.
pub fn diff_documents(expected: &str, actual: &str) -> Option<DocumentDiff> {
    let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.into()));
    let changes = diff(&parse(expected), &parse(actual));
    (!changes.is_empty()).then(|| DocumentDiff {
        expected: expected.to_owned(),
        actual: actual.to_owned(),
        changes,
    })
}

/// Every difference from `expected` to `actual`, in document order.
pub fn diff(expected: &Value, actual: &Value) -> Vec<DiffEntry> {
    let mut out = Vec::new();
    walk("$".to_owned(), expected, actual, &mut out);
    out
}

fn walk(path: String, expected: &Value, actual: &Value, out: &mut Vec<DiffEntry>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = key_path(&path, k);
                match a.get(k) {
                    Some(av) => walk(p, ev, av, out),
                    None => out.push(entry(p, DiffChange::Removed, Some(ev), None)),
                }
            }
            for (k, av) in a.iter().filter(|(k, _)| !e.contains_key(*k)) {
                out.push(entry(key_path(&path, k), DiffChange::Added, None, Some(av)));
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let p = format!("{path}[{i}]");
                match (e.get(i), a.get(i)) {
                    (Some(ev), Some(av)) => walk(p, ev, av, out),
                    (Some(ev), None) => out.push(entry(p, DiffChange::Removed, Some(ev), None)),
                    (None, Some(av)) => out.push(entry(p, DiffChange::Added, None, Some(av))),
                    (None, None) => {}
                }
            }
        }
        (e, a) if e != a => out.push(entry(path, DiffChange::Changed, Some(e), Some(a))),
        _ => {}
    }
}

fn key_path(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == ':');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_owned()))
    }
}

fn entry(path: String, change: DiffChange, e: Option<&Value>, a: Option<&Value>) -> DiffEntry {
    DiffEntry {
        path,
        change,
        expected: e.cloned(),
        actual: a.cloned(),
    }
}
