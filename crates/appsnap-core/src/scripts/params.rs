//! Parameter values against their rules, and the pair-wide bound on the watchdog.

use std::collections::BTreeMap;

use super::catalogue::{ParamSpec, TemplateSpec, WATCHDOG};
use super::types::{ParamRule, ScriptProblem, ScriptProblemCode};
use super::validate::error;

/// Why `value` breaks `rule`, if it does.
pub fn check_value(rule: ParamRule, value: &str) -> Result<(), String> {
    match rule {
        ParamRule::AbsolutePath { optional } => {
            if value.is_empty() {
                return if optional {
                    Ok(())
                } else {
                    Err("a path is required".into())
                };
            }
            if !value.starts_with('/') {
                return Err(format!("`{value}` is not an absolute path"));
            }
            if value.len() > 255 {
                return Err("the path is longer than 255 characters".into());
            }
            if let Some(c) = value.chars().find(|&c| !(safe_char(c) || c == '/')) {
                return Err(format!(
                    "`{value}` holds `{c}`: use letters, digits and ._-/ only"
                ));
            }
            if value.split('/').any(|part| part == "..") {
                return Err(format!("`{value}` holds a `..` segment"));
            }
            Ok(())
        }
        ParamRule::Name { optional } => {
            if value.is_empty() {
                return if optional {
                    Ok(())
                } else {
                    Err("a name is required".into())
                };
            }
            if value.len() > 64 {
                return Err("the name is longer than 64 characters".into());
            }
            if value.starts_with('-') {
                return Err(format!("`{value}` starts with `-`"));
            }
            match value.chars().find(|&c| !safe_char(c)) {
                Some(c) => Err(format!(
                    "`{value}` holds `{c}`: use letters, digits and ._- only"
                )),
                None => Ok(()),
            }
        }
        ParamRule::Seconds { min, max } => match value.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) && !value.starts_with('0') => Ok(()),
            _ => Err(format!(
                "`{value}` is not a whole number of seconds from {min} to {max}"
            )),
        },
        ParamRule::Port => match value.parse::<u16>() {
            Ok(n) if n > 0 && !value.starts_with('0') => Ok(()),
            _ => Err(format!("`{value}` is not a port from 1 to 65535")),
        },
        ParamRule::Flag => match value {
            "on" | "off" => Ok(()),
            _ => Err(format!("`{value}` is neither `on` nor `off`")),
        },
        ParamRule::ConnectionUri => {
            let rest = value
                .strip_prefix("mongodb://")
                .or_else(|| value.strip_prefix("mongodb+srv://"))
                .ok_or_else(|| {
                    format!("`{value}` does not start with mongodb:// or mongodb+srv://")
                })?;
            if rest.contains('@') {
                return Err("the address holds credentials: put the whole address in a root-only file and name it in uri_file".into());
            }
            let allowed = |c: char| safe_char(c) || ":/?=&,%".contains(c);
            match rest.chars().find(|&c| !allowed(c)) {
                Some(c) => Err(format!("the address holds `{c}`")),
                None if rest.is_empty() => Err("the address names no host".into()),
                None => Ok(()),
            }
        }
    }
}

/// Every parameter of `spec` with its value (given, else the default), and the problems:
/// unknown names, values breaking their rule, and a watchdog that could fire while the
/// snapshot is still being taken.
pub fn resolve(
    spec: &TemplateSpec,
    given: &BTreeMap<String, String>,
    freeze_timeout_seconds: u32,
) -> (BTreeMap<String, String>, Vec<ScriptProblem>) {
    let mut problems = Vec::new();
    for name in given.keys() {
        if !spec.params.iter().any(|p| p.name == name) {
            let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
            problems.push(about(
                name,
                ScriptProblemCode::UnknownParameter,
                format!(
                    "template {} has no parameter `{name}` (it has: {})",
                    spec.name,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        }
    }
    let mut values = BTreeMap::new();
    for p in spec.params {
        let value = given.get(p.name).map(String::as_str).unwrap_or(p.default);
        if let Err(why) = check_value(p.rule, value) {
            problems.push(about(
                p.name,
                ScriptProblemCode::InvalidParameter,
                format!("{}: {why}", p.name),
            ));
        }
        values.insert(p.name.to_string(), value.to_string());
    }
    if let Some(p) = spec.params.iter().find(|p| p.name == WATCHDOG) {
        watchdog_bound(p, &values, freeze_timeout_seconds, &mut problems);
    }
    (values, problems)
}

/// The lock must outlast the freeze: the cloud's freezer thaws on its own after the freeze
/// timeout, and the thaw script runs only after that, the snapshot group and the plugin's
/// own steps, whose length is not documented. Twice the freeze timeout leaves that much
/// again as margin and still caps the outage at one minute with the default 30 s.
fn watchdog_bound(
    p: &ParamSpec,
    values: &BTreeMap<String, String>,
    freeze_timeout: u32,
    problems: &mut Vec<ScriptProblem>,
) {
    // A value breaking its rule is reported once, as such.
    let Some(seconds) = values
        .get(p.name)
        .filter(|v| check_value(p.rule, v).is_ok())
        .and_then(|v| v.parse::<u32>().ok())
    else {
        return;
    };
    let least = freeze_timeout.saturating_mul(2);
    if seconds < least {
        problems.push(about(
            p.name,
            ScriptProblemCode::WatchdogTooShort,
            format!(
                "{}: {seconds} s is less than twice the {freeze_timeout} s freeze timeout \
                 ({least} s); the watchdog could release the lock before the snapshot is taken",
                p.name
            ),
        ));
    }
}

fn safe_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-'
}

fn about(param: &str, code: ScriptProblemCode, message: String) -> ScriptProblem {
    ScriptProblem {
        param: Some(param.to_string()),
        ..error(code, message, None)
    }
}
