//! The dialog's options: checked against the API's documented limits before anything is
//! sent, then mapped onto the parameters a discovered command actually has. An option set
//! to something other than the command's default that the command cannot take is an
//! error before the run, never dropped.

use std::collections::BTreeMap;

use super::types::{OptionKey, ParameterSpec, SnapshotOptions, Trigger};
use crate::error::AppError;

/// CreateSnapshotGroup `Name`: 2–128 characters (alibaba-api.md §3.14).
pub const NAME_LEN: (usize, usize) = (2, 128);
/// CreateSnapshotGroup `Description`: 2–256 characters (§3.14).
pub const DESCRIPTION_LEN: (usize, usize) = (2, 256);
/// `InstantAccessRetentionDays`: 1–65535 (§3.14).
pub const INSTANT_ACCESS_DAYS: (u32, u32) = (1, 65_535);
/// Snapshot retention: CreateSnapshot's `RetentionDays` range (1–65536); the reference
/// gives none for groups, so the snapshot's own bound is used.
pub const RETENTION_DAYS: (u32, u32) = (1, 65_536);
/// Freeze timeout: at least 1 s; the upper bound is AppSnap's (a freeze is meant to be
/// seconds, §4.5; the plugin's default is 30).
pub const FREEZE_TIMEOUT: (u32, u32) = (1, 600);
/// InvokeCommand/RunCommand `Parameters`: at most 10 keys per run (§3.7, §7.2).
pub const MAX_PARAMETERS: usize = 10;

/// Each option's candidate parameter names (matched case-insensitively): the plugin's
/// logged argument names (§4.5) and HBR's spellings (§4.3).
pub fn parameter_names(key: OptionKey) -> &'static [&'static str] {
    match key {
        OptionKey::RamRole => &["RamRoleName"],
        OptionKey::Name => &["Name", "SnapshotGroupName"],
        OptionKey::Description => &["Description"],
        OptionKey::RetentionDays => &["RetentionDays"],
        OptionKey::InstantAccess => &["InstantAccess"],
        OptionKey::InstantAccessDays => &["InstantAccessRetentionDays"],
        OptionKey::IncludeWriters => &["EnableWriters"],
        OptionKey::FsFreeze => &["EnableFsFreeze"],
        OptionKey::FreezeTimeout => &["TimeoutInSeconds"],
        OptionKey::ExcludeDisks => &["ExcludeDiskId", "ExcludeDiskIdList"],
    }
}

/// Every option error at once, so the user fixes them in one go.
pub fn validate(o: &SnapshotOptions) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Some(name) = &o.name {
        if let Err(e) = check_name(name) {
            errors.push(e);
        }
    }
    if let Some(d) = &o.description {
        let n = d.chars().count();
        if n < DESCRIPTION_LEN.0 || n > DESCRIPTION_LEN.1 {
            errors.push(format!(
                "the description has {n} characters; it must have {}-{}",
                DESCRIPTION_LEN.0, DESCRIPTION_LEN.1
            ));
        }
        if d.starts_with("http://") || d.starts_with("https://") {
            errors.push("the description must not start with http:// or https://".into());
        }
        if d.chars().any(char::is_control) {
            errors
                .push("the description must not contain line breaks or control characters".into());
        }
    }
    range(
        &mut errors,
        "retention days",
        o.retention_days,
        RETENTION_DAYS,
    );
    range(
        &mut errors,
        "instant access days",
        o.instant_access_days,
        INSTANT_ACCESS_DAYS,
    );
    if o.instant_access_days.is_some() && o.instant_access != Some(true) {
        errors.push("instant access days need instant access on".into());
    }
    range(
        &mut errors,
        "the freeze timeout (seconds)",
        o.freeze_timeout_secs,
        FREEZE_TIMEOUT,
    );
    let mut seen = std::collections::BTreeSet::new();
    for d in &o.exclude_disk_ids {
        if !is_disk_id(d) {
            errors.push(format!(
                "'{d}' is not a disk id (d- and lowercase letters or digits)"
            ));
        } else if !seen.insert(d) {
            errors.push(format!("disk {d} is excluded twice"));
        }
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(AppError::invalid_input(errors.join("; "))),
    }
}

/// `Name`: 2–128 characters, starts with a letter, letters, digits, `.` `_` `-` `:`,
/// not `http://`/`https://` (§3.14).
pub fn check_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n < NAME_LEN.0 || n > NAME_LEN.1 {
        return Err(format!(
            "the name has {n} characters; it must have {}-{}",
            NAME_LEN.0, NAME_LEN.1
        ));
    }
    if name.starts_with("http://") || name.starts_with("https://") {
        return Err("the name must not start with http:// or https://".into());
    }
    if !name.chars().next().is_some_and(char::is_alphabetic) {
        return Err(format!("the name '{name}' must start with a letter"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ':')))
    {
        return Err(format!(
            "the name may hold letters, digits and . _ - : only, not '{c}'"
        ));
    }
    Ok(())
}

fn range(errors: &mut Vec<String>, what: &str, v: Option<u32>, (lo, hi): (u32, u32)) {
    if let Some(v) = v {
        if v < lo || v > hi {
            errors.push(format!("{what} is {v}; it must be {lo}-{hi}"));
        }
    }
}

pub fn is_disk_id(d: &str) -> bool {
    d.len() > 2
        && d.len() <= 64
        && d.starts_with("d-")
        && d[2..]
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The option values one instance sends, before mapping (only what differs from "use
/// the command's default", plus the role and name the run always needs).
pub fn wanted(
    o: &SnapshotOptions,
    name: &str,
    role: &str,
    windows: bool,
) -> Vec<(OptionKey, String)> {
    let mut v = vec![
        (OptionKey::RamRole, role.to_owned()),
        (OptionKey::Name, name.to_owned()),
    ];
    let mut opt = |k, val: Option<String>| {
        if let Some(val) = val {
            v.push((k, val))
        }
    };
    opt(OptionKey::Description, o.description.clone());
    opt(
        OptionKey::RetentionDays,
        o.retention_days.map(|d| d.to_string()),
    );
    opt(
        OptionKey::InstantAccess,
        o.instant_access.map(|b| b.to_string()),
    );
    opt(
        OptionKey::InstantAccessDays,
        o.instant_access_days.map(|d| d.to_string()),
    );
    opt(
        OptionKey::FreezeTimeout,
        o.freeze_timeout_secs.map(|t| t.to_string()),
    );
    if windows && !o.include_writers {
        opt(OptionKey::IncludeWriters, Some("false".into()));
    }
    if !windows && !o.fs_freeze {
        opt(OptionKey::FsFreeze, Some("false".into()));
    }
    if !o.exclude_disk_ids.is_empty() {
        opt(OptionKey::ExcludeDisks, Some(o.exclude_disk_ids.join(",")));
    }
    v
}

/// The wanted values as the trigger's parameters; the options it cannot take, named.
pub fn map_parameters(
    trigger: &Trigger,
    wanted: &[(OptionKey, String)],
) -> Result<BTreeMap<String, String>, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut unsupported = Vec::new();
    match trigger {
        Trigger::Plugin { .. } => {
            for (k, v) in wanted {
                // The plugin's arguments go in one single-quoted shell/PowerShell word.
                if v.contains('\'') || v.chars().any(char::is_control) {
                    unsupported.push(format!(
                        "{} '{v}' cannot be passed to the plugin (quote or control character)",
                        k.name()
                    ));
                }
                out.insert(parameter_names(*k)[0].to_owned(), v.clone());
            }
        }
        Trigger::PublicCommand {
            name, parameters, ..
        } => {
            for (k, v) in wanted {
                match find(parameters, *k) {
                    Some(p)
                        if !p.possible_values.is_empty()
                            && !p
                                .possible_values
                                .iter()
                                .any(|pv| pv.eq_ignore_ascii_case(v)) =>
                    {
                        unsupported.push(format!(
                            "{} '{v}' is not one of {} allows for {} ({})",
                            k.name(),
                            name,
                            p.name,
                            p.possible_values.join(", ")
                        ));
                    }
                    Some(p) => {
                        out.insert(p.name.clone(), v.clone());
                    }
                    None => unsupported.push(format!(
                        "{name} has no parameter for {} (looked for {})",
                        k.name(),
                        parameter_names(*k).join(", ")
                    )),
                }
            }
            for p in parameters.iter().filter(|p| p.required) {
                if !out.contains_key(&p.name) && p.default_value.is_empty() {
                    unsupported.push(format!(
                        "{name} requires {} and AppSnap has no option for it",
                        p.name
                    ));
                }
            }
            if out.len() > MAX_PARAMETERS {
                unsupported.push(format!(
                    "{} parameters would be sent; a run takes at most {MAX_PARAMETERS}",
                    out.len()
                ));
            }
        }
    }
    match unsupported.is_empty() {
        true => Ok(out),
        false => Err(unsupported),
    }
}

fn find(parameters: &[ParameterSpec], key: OptionKey) -> Option<&ParameterSpec> {
    parameter_names(key)
        .iter()
        .find_map(|n| parameters.iter().find(|p| p.name.eq_ignore_ascii_case(n)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, possible: &[&str]) -> ParameterSpec {
        ParameterSpec {
            name: name.into(),
            default_value: String::new(),
            required: false,
            possible_values: possible.iter().map(|s| s.to_string()).collect(),
            pattern_regex: String::new(),
        }
    }

    #[test]
    fn names_follow_create_snapshot_group_rules() {
        assert!(check_name("ab").is_ok());
        assert!(check_name("Daily.backup_1:x-y").is_ok());
        assert_eq!(
            check_name("a").unwrap_err(),
            "the name has 1 characters; it must have 2-128"
        );
        assert!(check_name(&"a".repeat(129)).is_err());
        assert!(check_name(&"a".repeat(128)).is_ok());
        assert_eq!(
            check_name("1abc").unwrap_err(),
            "the name '1abc' must start with a letter"
        );
        assert!(check_name("https://x").is_err());
        assert!(check_name("has space").is_err());
    }

    #[test]
    fn every_bad_option_is_named_at_once() {
        let o = SnapshotOptions {
            description: Some("x".repeat(257)),
            retention_days: Some(0),
            instant_access_days: Some(70_000),
            freeze_timeout_secs: Some(0),
            exclude_disk_ids: vec!["disk1".into(), "d-a".into(), "d-a".into()],
            ..SnapshotOptions::default()
        };
        let e = validate(&o).unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidInput);
        assert_eq!(
            e.message,
            "the description has 257 characters; it must have 2-256; retention days is 0; \
             it must be 1-65536; instant access days is 70000; it must be 1-65535; instant \
             access days need instant access on; the freeze timeout (seconds) is 0; it must \
             be 1-600; 'disk1' is not a disk id (d- and lowercase letters or digits); disk \
             d-a is excluded twice"
        );
        assert!(validate(&SnapshotOptions::default()).is_ok());
    }

    #[test]
    fn an_option_the_command_lacks_is_reported_not_dropped() {
        let trigger = Trigger::PublicCommand {
            command_id: "c-1".into(),
            name: "Cmd".into(),
            command_type: "RunShellScript".into(),
            parameters: vec![
                spec("ramrolename", &[]),
                spec("Name", &[]),
                spec("EnableFsFreeze", &["true", "false"]),
            ],
        };
        let o = SnapshotOptions {
            fs_freeze: false,
            retention_days: Some(7),
            ..SnapshotOptions::default()
        };
        let err = map_parameters(&trigger, &wanted(&o, "n1", "Role", false)).unwrap_err();
        assert_eq!(
            err,
            ["Cmd has no parameter for RetentionDays (looked for RetentionDays)"]
        );
        let o = SnapshotOptions {
            fs_freeze: false,
            ..SnapshotOptions::default()
        };
        let sent = map_parameters(&trigger, &wanted(&o, "n1", "Role", false)).unwrap();
        assert_eq!(
            sent.into_iter().collect::<Vec<_>>(),
            [
                ("EnableFsFreeze".to_string(), "false".to_string()),
                ("Name".into(), "n1".into()),
                ("ramrolename".into(), "Role".into())
            ]
        );
    }
}
