//! The plugin's command line: finding the `acs-plugin-manager` call in a script and parsing
//! its `--params` the way plugin 1.8 does (reference §4.5), and its exit codes.

use crate::clock::{minute_compact, SimTime};
use crate::world::model::os::OsType;

/// Exit codes of the simulated plugin. Sandbox-chosen: the real table is not public.
pub mod exit {
    pub const BAD_PARAMS: i64 = 2;
    pub const RAM_ROLE: i64 = 3;
    pub const RAM_PERMISSION: i64 = 4;
    pub const DISKS: i64 = 5;
    pub const FREEZE_FAILED: i64 = 6;
    pub const SNAPSHOT_FAILED: i64 = 7;
    pub const FREEZE_TIMEOUT: i64 = 8;
    pub const UNSUPPORTED_OS: i64 = 9;
}

/// Parameters as the plugin logs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginParams {
    pub ram_role_name: String,
    pub enable_fs_freeze: bool,
    pub timeout_secs: u64,
    pub pre_script: String,
    pub post_script: String,
    pub exclude_disk_ids: Vec<String>,
    pub name: String,
    pub description: String,
    pub enable_writers: bool,
    pub retention_days: Option<u32>,
    pub instant_access: bool,
    pub instant_access_retention_days: Option<u32>,
}

const KEYS: &[&str] = &[
    "RamRoleName",
    "EnableFsFreeze",
    "TimeoutInSeconds",
    "PreScriptPath",
    "PostScriptPath",
    "ExcludeDiskId",
    "Name",
    "Description",
    "EnableWriters",
    "RetentionDays",
    "InstantAccess",
    "InstantAccessRetentionDays",
];

/// The `--params` argument of an `acs-plugin-manager --exec --plugin app-snapshot-plugin` call.
pub fn extract_plugin_call(script: &str) -> Option<String> {
    let line = script.lines().find(|l| {
        l.contains("acs-plugin-manager")
            && l.contains("app-snapshot-plugin")
            && l.contains("--exec")
    })?;
    let after = line[line.find("--params")? + "--params".len()..].trim_start();
    let after = after.strip_prefix('=').unwrap_or(after).trim_start();
    match after.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let body = &after[1..];
            Some(body[..body.find(q).unwrap_or(body.len())].to_string())
        }
        _ => Some(after.split_whitespace().next().unwrap_or("").to_string()),
    }
}

/// Split `-Key=value` / `--Key=value` arguments; values may contain spaces.
pub fn split_params(raw: &str) -> Vec<(String, String)> {
    let bytes = raw.as_bytes();
    let mut starts = Vec::new();
    for i in 0..bytes.len() {
        if bytes[i] == b'-' && (i == 0 || bytes[i - 1] == b' ') {
            let rest = raw[i..].trim_start_matches('-');
            let key_len = rest.find('=').unwrap_or(0);
            if key_len > 0 && rest[..key_len].chars().all(|c| c.is_ascii_alphanumeric()) {
                starts.push(i);
            }
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let end = starts.get(n + 1).copied().unwrap_or(raw.len());
            let part = raw[s..end].trim().trim_start_matches('-');
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (k.to_string(), v.trim().to_string())
        })
        .collect()
}

fn parse_bool(key: &str, v: &str, default: bool) -> Result<bool, String> {
    match v.to_ascii_lowercase().as_str() {
        "" => Ok(default),
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!(
            "invalid value '{v}' for {key}: expected true or false"
        )),
    }
}

fn parse_num(key: &str, v: &str) -> Result<Option<u32>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| format!("invalid value '{v}' for {key}: expected a number"))
}

pub fn parse_params(raw: &str, os: OsType, now: SimTime) -> Result<PluginParams, String> {
    let pairs = split_params(raw);
    let get = |key: &str| -> String {
        pairs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, _)| !KEYS.iter().any(|known| known.eq_ignore_ascii_case(k)))
    {
        return Err(format!("unknown parameter '{k}'"));
    }
    let ram_role_name = get("RamRoleName");
    if ram_role_name.is_empty() {
        return Err("RamRoleName is required".into());
    }
    let linux = os == OsType::Linux;
    let name = get("Name");
    Ok(PluginParams {
        ram_role_name,
        enable_fs_freeze: parse_bool("EnableFsFreeze", &get("EnableFsFreeze"), true)?,
        timeout_secs: match parse_num("TimeoutInSeconds", &get("TimeoutInSeconds"))? {
            Some(0) => {
                return Err("invalid value '0' for TimeoutInSeconds: expected at least 1".into())
            }
            t => u64::from(t.unwrap_or(30)),
        },
        pre_script: if linux {
            get("PreScriptPath")
        } else {
            String::new()
        },
        post_script: if linux {
            get("PostScriptPath")
        } else {
            String::new()
        },
        exclude_disk_ids: get("ExcludeDiskId")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        name: if name.is_empty() {
            format!("Created_At_{}", minute_compact(now))
        } else {
            name
        },
        description: get("Description"),
        enable_writers: parse_bool("EnableWriters", &get("EnableWriters"), true)?,
        retention_days: parse_num("RetentionDays", &get("RetentionDays"))?,
        instant_access: parse_bool("InstantAccess", &get("InstantAccess"), true)?,
        instant_access_retention_days: parse_num(
            "InstantAccessRetentionDays",
            &get("InstantAccessRetentionDays"),
        )?,
    })
}
