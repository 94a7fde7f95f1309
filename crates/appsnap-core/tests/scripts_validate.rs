//! Validation of a script's bytes before it is sent: every problem has its stable code,
//! severity and line, and the fixable ones come back fixed in `content`.

use appsnap_core::scripts::{
    validate_script, ScriptProblemCode as Code, Severity, MAX_SCRIPT_BYTES, SEND_FILE_BASE64_LIMIT,
};

fn codes(bytes: &[u8]) -> Vec<(Code, Severity, Option<u32>)> {
    validate_script(bytes)
        .problems
        .iter()
        .map(|p| (p.code, p.severity, p.line))
        .collect()
}

#[test]
fn scripts_a_clean_script_is_sent_as_it_is() {
    let text = "#!/bin/sh\nset -eu\necho frozen\n";
    let v = validate_script(text.as_bytes());
    assert!(v.sendable);
    assert_eq!(v.content.as_deref(), Some(text));
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert!(validate_script(b"#! /usr/bin/env bash\ntrue\n").sendable);
}

#[test]
fn scripts_crlf_is_converted_with_a_warning_naming_bad_interpreter() {
    let v = validate_script(b"#!/bin/bash\r\necho a\r\necho b\n");
    assert!(v.sendable);
    assert_eq!(v.content.as_deref(), Some("#!/bin/bash\necho a\necho b\n"));
    assert_eq!(v.problems.len(), 1);
    let p = &v.problems[0];
    assert_eq!(
        (p.code, p.severity),
        (Code::CrlfConverted, Severity::Warning)
    );
    assert!(
        p.message.starts_with("2 line(s) ended in CRLF"),
        "{}",
        p.message
    );
    assert!(p.message.contains("bad interpreter"), "{}", p.message);
    assert!(p.message.contains("^M"), "{}", p.message);
}

#[test]
fn scripts_a_byte_order_mark_is_removed_with_a_warning() {
    let v = validate_script(b"\xEF\xBB\xBF#!/bin/sh\ntrue\n");
    assert!(v.sendable);
    assert_eq!(v.content.as_deref(), Some("#!/bin/sh\ntrue\n"));
    assert_eq!(
        codes(b"\xEF\xBB\xBF#!/bin/sh\n"),
        [(Code::ByteOrderMark, Severity::Warning, Some(1))]
    );
}

#[test]
fn scripts_a_missing_shebang_is_refused() {
    for text in ["echo frozen\n", "# !/bin/sh\n", "#!sh\n", "\n#!/bin/sh\n"] {
        let v = validate_script(text.as_bytes());
        assert!(!v.sendable, "{text:?}");
        assert_eq!(
            codes(text.as_bytes()),
            [(Code::NoShebang, Severity::Error, Some(1))],
            "{text:?}"
        );
    }
}

#[test]
fn scripts_nul_bytes_and_non_utf8_are_refused_with_their_line() {
    let v = validate_script(b"#!/bin/sh\necho a\n\0\n");
    assert!(!v.sendable);
    assert_eq!(v.content, None);
    assert_eq!(
        codes(b"#!/bin/sh\necho a\n\0\n"),
        [(Code::NulByte, Severity::Error, Some(3))]
    );
    // UTF-16 LE as Notepad saves it: NUL bytes, named as such.
    let utf16: Vec<u8> = "#!/bin/sh\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    assert_eq!(codes(&utf16)[0].0, Code::NulByte);
    let latin1 = b"#!/bin/sh\necho caf\xe9\n";
    let v = validate_script(latin1);
    assert!(!v.sendable);
    assert_eq!(codes(latin1), [(Code::NotUtf8, Severity::Error, Some(2))]);
    assert!(
        v.problems[0].message.contains("byte 19"),
        "{}",
        v.problems[0].message
    );
}

#[test]
fn scripts_empty_is_refused() {
    assert_eq!(codes(b""), [(Code::Empty, Severity::Error, None)]);
    assert!(!validate_script(b"").sendable);
}

#[test]
fn scripts_size_limit_is_sendfiles_base64_limit() {
    // 32 KB after Base64, read as 32,000 characters: 24,000 bytes of script.
    assert_eq!(SEND_FILE_BASE64_LIMIT, 32_000);
    assert_eq!(MAX_SCRIPT_BYTES, 24_000);
    let sized = |n: usize| {
        let mut s = String::from("#!/bin/sh\n");
        s.push_str(&"#".repeat(n - s.len() - 1));
        s.push('\n');
        s
    };
    let at_limit = sized(MAX_SCRIPT_BYTES);
    assert_eq!(at_limit.len(), 24_000);
    assert!(validate_script(at_limit.as_bytes()).sendable);
    let over = sized(MAX_SCRIPT_BYTES + 1);
    let v = validate_script(over.as_bytes());
    assert!(!v.sendable);
    assert_eq!(
        codes(over.as_bytes()),
        [(Code::TooLarge, Severity::Error, None)]
    );
    assert!(
        v.problems[0].message.contains("24001 bytes"),
        "{}",
        v.problems[0].message
    );
    // The limit counts what is sent: CRLF converted first, so this one fits.
    let crlf = at_limit.replacen('\n', "\r\n", 1);
    assert_eq!(crlf.len(), 24_001);
    assert!(validate_script(crlf.as_bytes()).sendable);
}

#[test]
fn scripts_unfilled_placeholders_are_refused_with_their_name() {
    let v = validate_script(b"#!/bin/sh\nSOCKET='{{socket}}'\nX='{{ not a name }}'\n");
    assert!(!v.sendable);
    assert_eq!(v.problems.len(), 1);
    let p = &v.problems[0];
    assert_eq!(
        (p.code, p.line, p.param.as_deref()),
        (Code::UnfilledPlaceholder, Some(2), Some("socket"))
    );
    assert!(
        p.message.contains("`{{socket}}` was never filled in"),
        "{}",
        p.message
    );
}

#[test]
fn scripts_problems_serialise_in_camel_case_and_codes_by_name() {
    let v = validate_script(b"echo\r\n");
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["sendable"], false);
    assert_eq!(json["content"], "echo\n");
    assert_eq!(json["problems"][0]["code"], "CrlfConverted");
    assert_eq!(json["problems"][0]["severity"], "warning");
    assert_eq!(json["problems"][1]["code"], "NoShebang");
    assert_eq!(json["problems"][1]["severity"], "error");
    assert_eq!(json["problems"][1]["line"], 1);
    assert!(json["problems"][1].get("param").is_none());
    assert_eq!(Code::ALL.len(), 12);
    for &code in Code::ALL {
        assert_eq!(serde_json::to_value(code).unwrap(), code.name());
    }
}
