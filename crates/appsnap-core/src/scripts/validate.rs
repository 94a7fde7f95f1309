//! Checks a script before it is sent: pure functions over its bytes.

use super::types::{ScriptProblem, ScriptProblemCode, ScriptValidation, Severity};

/// SendFile's `Content` limit, counted after Base64 encoding (alibaba-api.md §3.13, §7.2:
/// "≤ 32 KB after Base64 encoding"). Whether that KB is 1,000 or 1,024 bytes is
/// UNVERIFIED, so the smaller reading is used: a script that passes here passes either
/// way (the sandbox enforces 32 × 1,024).
pub const SEND_FILE_BASE64_LIMIT: usize = 32_000;

/// The largest script in bytes whose Base64 form fits [`SEND_FILE_BASE64_LIMIT`].
pub const MAX_SCRIPT_BYTES: usize = SEND_FILE_BASE64_LIMIT / 4 * 3;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Everything wrong with `bytes` as a freeze or thaw script, and the text that would be
/// sent once the fixable problems (CRLF, BOM) are fixed.
pub fn validate_script(bytes: &[u8]) -> ScriptValidation {
    let mut problems = Vec::new();
    if bytes.is_empty() {
        problems.push(error(ScriptProblemCode::Empty, "the script is empty", None));
        return finish(None, problems);
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        problems.push(error(
            ScriptProblemCode::NulByte,
            "the script holds a NUL byte: it is a binary file or was saved as UTF-16; save it as UTF-8 text",
            Some(line_of(bytes, at)),
        ));
        return finish(None, problems);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            problems.push(error(
                ScriptProblemCode::NotUtf8,
                format!(
                    "the script is not valid UTF-8 (byte {}): save it as UTF-8 text",
                    e.valid_up_to() + 1
                ),
                Some(line_of(bytes, e.valid_up_to())),
            ));
            return finish(None, problems);
        }
    };
    let mut text = text.to_string();
    if text.as_bytes().starts_with(BOM) {
        text.drain(..BOM.len());
        problems.push(warning(
            ScriptProblemCode::ByteOrderMark,
            "a UTF-8 byte order mark came before the shebang, which stops the kernel from \
             seeing it; the mark was removed",
            Some(1),
        ));
    }
    let crlf = text.matches("\r\n").count();
    if crlf > 0 {
        text = text.replace("\r\n", "\n");
        problems.push(warning(
            ScriptProblemCode::CrlfConverted,
            format!(
                "{crlf} line(s) ended in CRLF (Windows); converted to LF. Sent as they were, \
                 the shebang would name an interpreter ending in a carriage return and the \
                 guest would fail with `/bin/sh^M: bad interpreter: No such file or directory`"
            ),
            None,
        ));
    }
    let first = text.lines().next().unwrap_or("");
    if !has_shebang(first) {
        problems.push(error(
            ScriptProblemCode::NoShebang,
            "the first line must name the interpreter, e.g. `#!/bin/sh`; without it the \
             guest cannot run the file",
            Some(1),
        ));
    }
    for (i, line) in text.lines().enumerate() {
        if let Some(name) = placeholder(line) {
            problems.push(ScriptProblem {
                param: Some(name.to_string()),
                ..error(
                    ScriptProblemCode::UnfilledPlaceholder,
                    format!("`{{{{{name}}}}}` was never filled in: give the parameter a value"),
                    Some(i as u32 + 1),
                )
            });
        }
    }
    if text.len() > MAX_SCRIPT_BYTES {
        problems.push(error(
            ScriptProblemCode::TooLarge,
            format!(
                "the script is {} bytes; SendFile takes at most {SEND_FILE_BASE64_LIMIT} \
                 Base64 characters, i.e. {MAX_SCRIPT_BYTES} bytes",
                text.len()
            ),
            None,
        ));
    }
    finish(Some(text), problems)
}

/// `#!/path` or `#! /path`: what the kernel accepts as an interpreter line.
fn has_shebang(first: &str) -> bool {
    first
        .strip_prefix("#!")
        .map(|rest| rest.trim_start().starts_with('/'))
        .unwrap_or(false)
}

/// The name inside the first `{{name}}` of a line, if any.
fn placeholder(line: &str) -> Option<&str> {
    let start = line.find("{{")? + 2;
    let len = line[start..].find("}}")?;
    let name = &line[start..start + len];
    let word = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    word.then_some(name)
}

fn line_of(bytes: &[u8], at: usize) -> u32 {
    bytes[..at].iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

fn finish(content: Option<String>, problems: Vec<ScriptProblem>) -> ScriptValidation {
    let sendable = content.is_some() && problems.iter().all(|p| p.severity != Severity::Error);
    ScriptValidation {
        sendable,
        content,
        problems,
    }
}

pub(super) fn error(
    code: ScriptProblemCode,
    message: impl Into<String>,
    line: Option<u32>,
) -> ScriptProblem {
    problem(code, Severity::Error, message, line)
}

pub(super) fn warning(
    code: ScriptProblemCode,
    message: impl Into<String>,
    line: Option<u32>,
) -> ScriptProblem {
    problem(code, Severity::Warning, message, line)
}

fn problem(
    code: ScriptProblemCode,
    severity: Severity,
    message: impl Into<String>,
    line: Option<u32>,
) -> ScriptProblem {
    ScriptProblem {
        code,
        severity,
        message: message.into(),
        line,
        param: None,
    }
}
