//! The test data every crate's tests share, one copy in `crates/test-support/data/`:
//! - `sign-vectors.json`: vectors produced by Alibaba's own SDK signing functions
//!   (copied from shared/reference/vectors);
//! - `requests-*.jsonl`: real SDK requests captured on the wire (Node POP core GET with
//!   RPC v1, Tea with ACS3).

/// The SDK-generated signing vectors (a JSON document).
pub const SIGN_VECTORS: &str = include_str!("../data/sign-vectors.json");

/// The captured SDK requests, one JSON object per line, by file name.
pub const REQUEST_CAPTURES: [(&str, &str); 2] = [
    (
        "requests-node-pop-core-get.jsonl",
        include_str!("../data/requests-node-pop-core-get.jsonl"),
    ),
    (
        "requests-tea-acs3.jsonl",
        include_str!("../data/requests-tea-acs3.jsonl"),
    ),
];

/// One captured-requests file by name; panics on an unknown name (a test bug).
pub fn request_capture(name: &str) -> &'static str {
    REQUEST_CAPTURES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
        .unwrap_or_else(|| panic!("no request capture {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_is_there() {
        assert!(SIGN_VECTORS.trim_start().starts_with('{'));
        for (name, text) in REQUEST_CAPTURES {
            let first = text.lines().next().unwrap_or("");
            assert!(first.starts_with('{'), "{name}: {first}");
            assert_eq!(request_capture(name), text);
        }
    }
}
