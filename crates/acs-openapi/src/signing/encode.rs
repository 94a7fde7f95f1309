//! RFC 3986 percent-encoding as Alibaba's signers use it.
//!
//! Unreserved `A-Z a-z 0-9 - _ . ~` stay literal; every other UTF-8 byte becomes `%XY`
//! with uppercase hex. So space is `%20` (never `+`), `*` is `%2A`, `~` stays `~`.

/// Percent-encode a query name or value.
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len() * 3);
    for &byte in input.as_bytes() {
        if is_unreserved(byte) {
            out.push(byte as char);
        } else {
            push_escaped(&mut out, byte);
        }
    }
    out
}

/// Percent-encode a URL path: like [`percent_encode`] but `/` separates segments and stays.
pub fn percent_encode_path(path: &str) -> String {
    path.split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

fn push_escaped(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(HEX[(byte >> 4) as usize] as char);
    out.push(HEX[(byte & 0x0f) as usize] as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_characters_stay_literal() {
        let unreserved = "ABCXYZabcxyz0189-_.~";
        assert_eq!(percent_encode(unreserved), unreserved);
    }

    #[test]
    fn space_star_plus_and_tilde_follow_alibaba_rules() {
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("+"), "%2B");
        assert_eq!(percent_encode("~"), "~");
    }

    #[test]
    fn reserved_characters_are_escaped_with_uppercase_hex() {
        assert_eq!(
            percent_encode(":/?#[]@!$&'()*+,;=%"),
            "%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%25"
        );
    }

    #[test]
    fn utf8_is_encoded_byte_by_byte() {
        assert_eq!(percent_encode("快照"), "%E5%BF%AB%E7%85%A7");
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
    }

    #[test]
    fn control_characters_and_empty_input() {
        assert_eq!(percent_encode(""), "");
        assert_eq!(percent_encode("\n\t\0"), "%0A%09%00");
        assert_eq!(percent_encode("\u{7f}"), "%7F");
    }

    #[test]
    fn json_array_parameter() {
        assert_eq!(
            percent_encode(r#"["i-abc","i-def"]"#),
            "%5B%22i-abc%22%2C%22i-def%22%5D"
        );
    }

    #[test]
    fn encoding_twice_escapes_the_percent_signs() {
        // v1's string-to-sign encodes the already-encoded query again.
        assert_eq!(percent_encode(&percent_encode("12:46")), "12%253A46");
    }

    #[test]
    fn published_sdk_examples() {
        // OPENAPI-UTIL Test_GetAuthorization: GetEncodePath / GetEncodeParam.
        assert_eq!(percent_encode_path("/path/ test"), "/path/%20test");
        assert_eq!(percent_encode("a/b/c/ test"), "a%2Fb%2Fc%2F%20test");
        assert_eq!(percent_encode_path("/"), "/");
    }
}
