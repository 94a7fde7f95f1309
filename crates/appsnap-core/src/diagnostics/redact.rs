//! Secrets out of text that leaves the machine: known secret values, the value after any
//! secret-like key (`AccessKeySecret=`, `SecurityToken:`, `Signature=`, `password`), and
//! any word that looks like an AccessKey secret, STS token or signature (long, mixed-case
//! letters and digits). Ids with dashes, RequestIds (UUIDs) and lowercase hex hashes stay.

const MARK: &str = "***";

/// Shortest word of token characters taken for a secret: AccessKey secrets have 30.
const MIN_SECRET_WORD: usize = 24;

/// Lowercased key fragments whose value is a secret.
const SECRET_KEYS: &[&str] = &[
    "secret",
    "securitytoken",
    "security_token",
    "x-acs-security-token",
    "signature",
    "password",
    "passwd",
    "authorization",
    "credential",
];

/// `line` with every secret replaced by `***`.
pub fn redact(line: &str, known: &[String]) -> String {
    let mut out = line.to_owned();
    // Known values first: they may be short or lowercase and escape the shape rule.
    for secret in known.iter().filter(|s| s.len() >= 4) {
        out = out.replace(secret.as_str(), MARK);
    }
    let out = redact_after_keys(&out);
    redact_shapes(&out)
}

/// Base64(url) characters; `=` ends a word, so `key=value` is two words.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '_')
}

/// The value after `key=`, `key: ` or `"key":"` up to the next space, quote, comma, `&`.
fn redact_after_keys(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let bytes = line.as_bytes();
    while i < line.len() {
        let key_end = SECRET_KEYS
            .iter()
            .filter(|k| lower[i..].starts_with(*k))
            .map(|k| i + k.len())
            .max();
        let Some(mut j) = key_end else {
            let c = line[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        // The rest of the key (e.g. `AccessKeySecret`, `SignatureMethod`) stays.
        while j < line.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let key = &line[i..j];
        let mut k = j;
        while k < line.len() && matches!(bytes[k], b'"' | b'\'' | b' ') {
            k += 1;
        }
        let sep = k < line.len() && matches!(bytes[k], b'=' | b':');
        // Non-secret neighbours: SignatureMethod=HMAC-SHA1, SignatureVersion=1.0, ….
        let harmless = ["method", "version", "nonce", "type"]
            .iter()
            .any(|s| key.to_ascii_lowercase().ends_with(s));
        out.push_str(key);
        if !sep || harmless {
            i = j;
            continue;
        }
        k += 1;
        while k < line.len() && matches!(bytes[k], b'"' | b'\'' | b' ') {
            k += 1;
        }
        out.push_str(&line[j..k]);
        let mut end = k;
        // `Authorization: ACS3-HMAC-SHA256 Credential=…` keeps its scheme word.
        while end < line.len() && !matches!(bytes[end], b' ' | b'"' | b'\'' | b',' | b'&' | b';') {
            end += 1;
        }
        if end > k {
            let value = &line[k..end];
            let scheme = value.contains("HMAC") || value.eq_ignore_ascii_case("bearer");
            out.push_str(if scheme { value } else { MARK });
        }
        i = end;
    }
    out
}

/// Long mixed-case alphanumeric words: the shape of secrets, tokens and signatures.
fn redact_shapes(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if looks_secret(word) {
            out.push_str(MARK);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in line.chars() {
        if is_token_char(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn looks_secret(core: &str) -> bool {
    core.len() >= MIN_SECRET_WORD
        && core.bytes().any(|b| b.is_ascii_uppercase())
        && core.bytes().any(|b| b.is_ascii_lowercase())
        && core.bytes().any(|b| b.is_ascii_digit())
        // A path (`/home/admin/...`) is not a token.
        && !core.contains('/')
        || core.starts_with("CAIS") && core.len() >= 16
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "Wq3xZ8mNpL2vR7tK9sB4yH6cD1fG5j";

    #[test]
    fn real_log_lines_lose_their_secrets_and_keep_the_rest() {
        let known = vec!["SandboxAdminSecret0000000000001".to_string()];
        let cases = [
            (
                format!("2026-12-02T06:41:43.120Z  INFO appsnap_desktop::commands::profiles: profile added name=work access_key_id=LTAI5tWork00000001 secret={SECRET}"),
                "2026-12-02T06:41:43.120Z  INFO appsnap_desktop::commands::profiles: profile added name=work access_key_id=LTAI5tWork00000001 secret=***",
            ),
            (
                "2026-12-02T06:42:00.001Z DEBUG acs_openapi::transport: GET https://ecs.cn-hangzhou.aliyuncs.com/?AccessKeyId=LTAI5tWork00000001&Action=DescribeRegions&Signature=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=8f3c&SecurityToken=CAIS1234abcd".to_string(),
                "2026-12-02T06:42:00.001Z DEBUG acs_openapi::transport: GET https://ecs.cn-hangzhou.aliyuncs.com/?AccessKeyId=LTAI5tWork00000001&Action=DescribeRegions&Signature=***&SignatureMethod=HMAC-SHA1&SignatureNonce=8f3c&SecurityToken=***",
            ),
            (
                "2026-12-02T06:42:00.002Z DEBUG acs_openapi::transport: authorization: ACS3-HMAC-SHA256 Credential=LTAI5tWork00000001,SignedHeaders=host;x-acs-action,Signature=06b7a2c5e1f0d9c8b7a6f5e4d3c2b1a0".to_string(),
                "2026-12-02T06:42:00.002Z DEBUG acs_openapi::transport: authorization: ACS3-HMAC-SHA256 Credential=***,SignedHeaders=host;x-acs-action,Signature=***",
            ),
            (
                format!("2026-12-02T06:43:10.500Z  WARN appsnap_core::session: sign-in failed for {SECRET} code=InvalidAccessKeySecret request_id=0F2C6B49-2C4F-4A1E-9B6F-000000000001"),
                "2026-12-02T06:43:10.500Z  WARN appsnap_core::session: sign-in failed for *** code=InvalidAccessKeySecret request_id=0F2C6B49-2C4F-4A1E-9B6F-000000000001",
            ),
            (
                "2026-12-02T06:44:00.000Z  INFO sandbox: admin key SandboxAdminSecret0000000000001 ready".to_string(),
                "2026-12-02T06:44:00.000Z  INFO sandbox: admin key *** ready",
            ),
            (
                r#"{"AccessKeySecret":"Wq3xZ8mNpL2vR7tK9sB4yH6cD1fG5j","SecurityToken":"CAISabc"}"#.to_string(),
                r#"{"AccessKeySecret":"***","SecurityToken":"***"}"#,
            ),
        ];
        for (line, want) in cases {
            let got = redact(&line, &known);
            assert_eq!(got, want);
            assert!(!got.contains(SECRET));
        }
    }

    #[test]
    fn ids_hashes_paths_and_request_ids_are_kept() {
        let line = "job job-0123456789ab i-bp1abcdefghijklmnop0 s-bp1234567890abcdefgh sha256 \
                    9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 \
                    /home/admin/.local/share/com.appsnap.desktop/logs \
                    RequestId 0F2C6B49-2C4F-4A1E-9B6F-000000000001 AppSnap-job-0123456789ab";
        assert_eq!(redact(line, &[]), line);
    }
}
