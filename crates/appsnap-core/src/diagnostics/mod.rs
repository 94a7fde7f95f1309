//! "Copy diagnostics": what a bug report needs and nothing secret. The app's version, the
//! OS, the profiles' names and kinds (read from `profiles.json` only: the keyring is never
//! asked), the settings, the folders, and the last log lines with secrets redacted.

mod redact;

use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::profiles::{Profile, ProfileKind};
use crate::settings::AppSettings;

pub use redact::redact;

/// How many log lines a report carries.
pub const LOG_LINES: usize = 200;

/// What the front end knows about itself; the rest is read here.
pub struct Sources<'a> {
    /// e.g. `AppSnap desktop 0.1.0`.
    pub app: String,
    pub current_profile: String,
    /// The stored profiles, or why they could not be read.
    pub profiles: Result<Vec<Profile>, String>,
    pub settings: Result<AppSettings, String>,
    /// Named folders (config, data, logs).
    pub dirs: Vec<(&'static str, PathBuf)>,
    pub log_dir: &'a Path,
    /// Secret values this process knows (e.g. the Sandbox's key) to redact by value.
    pub known_secrets: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub name: String,
    pub kind: &'static str,
    pub region: Option<String>,
    pub custom_endpoint: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostics {
    pub app: String,
    pub os: String,
    pub current_profile: String,
    pub profiles: Result<Vec<ProfileSummary>, String>,
    pub settings: Result<AppSettings, String>,
    pub dirs: Vec<(String, String)>,
    /// Redacted, oldest first.
    pub log_lines: Vec<String>,
}

pub fn kind_name(kind: &ProfileKind) -> &'static str {
    match kind {
        ProfileKind::AccessKey => "AccessKey",
        ProfileKind::StsToken => "StsToken",
        ProfileKind::RamRoleArn { .. } => "RamRoleArn",
    }
}

/// Gathers the report; never fails (a part that cannot be read says why instead).
pub fn collect(sources: Sources<'_>) -> Diagnostics {
    let profiles = sources.profiles.map(|ps| {
        ps.into_iter()
            .map(|p| ProfileSummary {
                kind: kind_name(&p.kind),
                custom_endpoint: p.endpoint.is_some(),
                name: p.name,
                region: p.region,
            })
            .collect()
    });
    let log_lines = last_log_lines(sources.log_dir, LOG_LINES)
        .unwrap_or_else(|e| vec![format!("(the log could not be read: {e})")])
        .iter()
        .map(|l| redact(l, &sources.known_secrets))
        .collect();
    Diagnostics {
        app: sources.app,
        os: os_description(),
        current_profile: sources.current_profile,
        profiles,
        settings: sources.settings,
        dirs: sources
            .dirs
            .into_iter()
            .map(|(k, p)| (k.to_owned(), p.display().to_string()))
            .collect(),
        log_lines,
    }
}

impl Diagnostics {
    /// Plain text for a bug report: headed sections, the log last.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut line = |l: String| {
            s.push_str(&l);
            s.push('\n');
        };
        line("# AppSnap diagnostics".into());
        line(format!("app: {}", self.app));
        line(format!("os: {}", self.os));
        line(format!("current profile: {}", self.current_profile));
        line("## profiles (names and kinds only; keys stay in the keyring)".into());
        match &self.profiles {
            Ok(ps) if ps.is_empty() => line("(none besides the built-in Sandbox)".into()),
            Ok(ps) => {
                for p in ps {
                    line(format!(
                        "- {} kind={} region={} endpoint={}",
                        p.name,
                        p.kind,
                        p.region.as_deref().unwrap_or("-"),
                        if p.custom_endpoint {
                            "custom"
                        } else {
                            "default"
                        }
                    ))
                }
            }
            Err(e) => line(format!("(unreadable: {e})")),
        }
        line("## settings".into());
        match &self.settings {
            Ok(st) => line(serde_json::to_string(st).expect("settings serialise")),
            Err(e) => line(format!("(unreadable: {e})")),
        }
        line("## folders".into());
        for (k, p) in &self.dirs {
            line(format!("{k}: {p}"));
        }
        line(format!(
            "## log (last {} lines, secrets redacted)",
            self.log_lines.len()
        ));
        for l in &self.log_lines {
            line(l.clone());
        }
        s
    }
}

/// The OS name and version, kernel and architecture.
fn os_description() -> String {
    let arch = std::env::consts::ARCH;
    let pretty = fs::read_to_string("/etc/os-release").ok().and_then(|t| {
        t.lines()
            .find_map(|l| l.strip_prefix("PRETTY_NAME="))
            .map(|v| v.trim_matches('"').to_owned())
    });
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|k| k.trim().to_owned());
    let mut parts = vec![pretty.unwrap_or_else(|| std::env::consts::OS.to_owned())];
    if let Some(k) = kernel {
        parts.push(format!("kernel {k}"));
    }
    parts.push(arch.to_owned());
    parts.join(", ")
}

/// The last `n` lines of the `appsnap*.log` files in `dir`, oldest file first (the daily
/// files' names sort by date).
pub fn last_log_lines(dir: &Path, n: usize) -> std::io::Result<Vec<String>> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .and_then(|f| f.to_str())
                    .is_some_and(|f| f.starts_with("appsnap") && f.ends_with("log"))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    files.sort();
    let mut lines: Vec<String> = Vec::new();
    for f in files.iter().rev() {
        let bytes = fs::read(f)?;
        let text = String::from_utf8_lossy(&bytes);
        let mut these: Vec<String> = text.lines().map(str::to_owned).collect();
        these.append(&mut lines);
        lines = these;
        if lines.len() >= n {
            break;
        }
    }
    let skip = lines.len().saturating_sub(n);
    Ok(lines.split_off(skip))
}

#[cfg(test)]
mod tests;
