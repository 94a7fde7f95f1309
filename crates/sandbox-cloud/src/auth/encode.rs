//! Percent-encoding both ways. Encoding follows Alibaba's signing rules (RFC 3986, uppercase
//! hex, space → `%20`, `*` → `%2A`, `~` literal). Decoding accepts what real SDKs put on the
//! wire: `%XX` escapes and `+` for a space (the Python SDK's query strings use `+`).

/// Percent-encode for a canonical string (reference §1.1 step 2).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                out.push('%');
                out.push_str(&format!("{b:02X}"));
            }
        }
    }
    out
}

/// Decode one `application/x-www-form-urlencoded` / query component.
/// Invalid escapes are kept literally, invalid UTF-8 is replaced (the signature then fails).
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' if i + 2 < bytes.len() => match (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Split a query string or form body into decoded `(name, value)` pairs, in wire order.
pub fn parse_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode_component(k), decode_component(v)),
            None => (decode_component(p), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_the_reference() {
        assert_eq!(percent_encode("tok en*~"), "tok%20en%2A~");
        assert_eq!(
            percent_encode("2016-02-23T12:46:24Z"),
            "2016-02-23T12%3A46%3A24Z"
        );
        assert_eq!(percent_encode("快"), "%E5%BF%AB");
        assert_eq!(percent_encode("a/b+c="), "a%2Fb%2Bc%3D");
    }

    #[test]
    fn decodes_plus_and_percent20_as_space() {
        assert_eq!(decode_component("a+b%20c"), "a b c");
        assert_eq!(decode_component("%2B%2b"), "++");
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz"), "%zz");
        assert_eq!(decode_component("%E5%BF%AB"), "快");
    }

    #[test]
    fn parses_pairs_in_order() {
        let p = parse_pairs("b=2&a=x+y&flag&&c=");
        assert_eq!(
            p,
            vec![
                ("b".into(), "2".into()),
                ("a".into(), "x y".into()),
                ("flag".into(), String::new()),
                ("c".into(), String::new())
            ]
        );
    }
}
