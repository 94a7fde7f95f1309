//! The simulated guest OS of one instance: a small virtual file system with owner, group
//! and mode, the mounted file systems, the freeze state, and the behaviour of the user's
//! freeze/thaw scripts (which the sandbox cannot run, so each guest says how they behave).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use sha2::Digest;

use crate::clock::{iso, SimTime};
use crate::world::model::os::OsType;

#[derive(Debug, Clone)]
pub struct GuestFile {
    pub content: Vec<u8>,
    pub owner: String,
    pub group: String,
    pub mode: u32,
    pub modified: SimTime,
}

impl GuestFile {
    pub fn has_crlf(&self) -> bool {
        self.content.windows(2).any(|w| w == b"\r\n")
    }
}

#[derive(Debug, Clone)]
pub struct Mount {
    pub mount_point: String,
    pub fs_type: String,
    pub device: String,
}

impl Mount {
    /// Network and shared file systems cannot be frozen.
    pub fn is_network(&self) -> bool {
        matches!(
            self.fs_type.as_str(),
            "nfs" | "nfs4" | "cifs" | "smb3" | "glusterfs" | "fuse.ossfs"
        )
    }
}

/// How the application behind the user's scripts reacts on this guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScriptBehaviour {
    Ok,
    Fails,
    Hangs,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GuestBehaviour {
    pub prescript: ScriptBehaviour,
    pub postscript: ScriptBehaviour,
    /// Snapshot creation stalls while frozen, so the freeze times out.
    pub freeze_stall: bool,
    /// A Windows VSS writer that fails (e.g. `SqlServerWriter`).
    pub vss_writer_fails: Option<String>,
    /// The plugin hangs once it has frozen the file systems: no more output, no exit, and
    /// the freezer's own watchdog does not fire either, so only the end of the invocation
    /// (StopInvocation, its Timeout, an instance stop) thaws the guest.
    pub stall: bool,
}

impl Default for GuestBehaviour {
    fn default() -> Self {
        Self {
            prescript: ScriptBehaviour::Ok,
            postscript: ScriptBehaviour::Ok,
            freeze_stall: false,
            vss_writer_fails: None,
            stall: false,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Frozen {
    pub mount_points: Vec<String>,
    pub since: SimTime,
    pub invoke_id: String,
}

#[derive(Debug, Clone)]
pub struct Guest {
    pub os_type: OsType,
    pub files: BTreeMap<String, GuestFile>,
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub mounts: Vec<Mount>,
    pub vss_writers: Vec<String>,
    pub behaviour: GuestBehaviour,
    pub frozen: Option<Frozen>,
}

pub const PLUGIN_VERSION: &str = "1.8";

impl Guest {
    pub fn new(os_type: OsType, mounts: Vec<Mount>) -> Self {
        let (users, groups, vss_writers) = match os_type {
            OsType::Linux => (
                vec![
                    "root".into(),
                    "admin".into(),
                    "mysql".into(),
                    "nobody".into(),
                ],
                vec![
                    "root".into(),
                    "admin".into(),
                    "mysql".into(),
                    "nobody".into(),
                ],
                vec![],
            ),
            OsType::Windows => (
                vec!["System".into(), "Administrator".into()],
                vec!["Administrators".into()],
                vec![
                    "System Writer".into(),
                    "Registry Writer".into(),
                    "WMI Writer".into(),
                ],
            ),
        };
        Self {
            os_type,
            files: BTreeMap::new(),
            users,
            groups,
            mounts,
            vss_writers,
            behaviour: GuestBehaviour::default(),
            frozen: None,
        }
    }

    pub fn plugin_dir(&self) -> String {
        match self.os_type {
            OsType::Linux => format!(
                "/usr/local/share/aliyun-assist/plugin/app-snapshot-plugin/{PLUGIN_VERSION}"
            ),
            OsType::Windows => format!(
                "C:\\ProgramData\\aliyun\\assist\\plugin\\app-snapshot-plugin\\{PLUGIN_VERSION}"
            ),
        }
    }

    pub fn plugin_installed(&self) -> bool {
        let dir = self.plugin_dir();
        self.files.keys().any(|p| p.starts_with(&dir))
    }

    pub fn plugin_log_path(&self, now: SimTime) -> String {
        let sep = if self.os_type == OsType::Linux {
            '/'
        } else {
            '\\'
        };
        format!(
            "{}{sep}log{sep}app_snapshot_plugin.log.{}.1",
            self.plugin_dir(),
            crate::clock::date_compact(now)
        )
    }

    /// The newest plugin log file, if any.
    pub fn latest_plugin_log(&self) -> Option<(&String, &GuestFile)> {
        let dir = self.plugin_dir();
        self.files
            .iter()
            .filter(|(p, _)| p.starts_with(&dir) && p.contains("app_snapshot_plugin.log."))
            .max_by_key(|(p, f)| (f.modified, (*p).clone()))
    }

    pub fn write_file(
        &mut self,
        path: &str,
        content: Vec<u8>,
        owner: &str,
        group: &str,
        mode: u32,
        now: SimTime,
    ) {
        self.files.insert(
            path.to_string(),
            GuestFile {
                content,
                owner: owner.into(),
                group: group.into(),
                mode,
                modified: now,
            },
        );
    }

    pub fn append_line(&mut self, path: &str, line: &str, now: SimTime) {
        let owner = if self.os_type == OsType::Linux {
            "root"
        } else {
            "System"
        };
        let group = if self.os_type == OsType::Linux {
            "root"
        } else {
            "Administrators"
        };
        let f = self
            .files
            .entry(path.to_string())
            .or_insert_with(|| GuestFile {
                content: Vec::new(),
                owner: owner.into(),
                group: group.into(),
                mode: 0o644,
                modified: now,
            });
        f.content.extend_from_slice(line.as_bytes());
        f.content.push(b'\n');
        f.modified = now;
    }

    pub fn to_json(&self) -> Value {
        let files: Vec<Value> = self
            .files
            .iter()
            .map(|(p, f)| json!({"path": p, "owner": f.owner, "group": f.group, "mode": format!("{:04o}", f.mode), "size": f.content.len(), "sha256": format!("{:x}", sha2::Sha256::digest(&f.content)), "crlf": f.has_crlf(), "modified": iso(f.modified)}))
            .collect();
        json!({
            "files": files,
            "mounts": self.mounts.iter().map(|m| json!({"mount_point": m.mount_point, "fs_type": m.fs_type, "device": m.device})).collect::<Vec<_>>(),
            "vss_writers": self.vss_writers,
            "behaviour": self.behaviour,
            "frozen": self.frozen.as_ref().map(|f| json!({"mount_points": f.mount_points, "since": iso(f.since), "invoke_id": f.invoke_id})),
            "plugin_installed": self.plugin_installed(),
            "plugin_log": self.latest_plugin_log().map(|(p, _)| p.clone()),
        })
    }
}

/// Parse a chmod-style mode: 3 or 4 octal digits (reference §3.13).
pub fn parse_mode(s: &str) -> Option<u32> {
    if !(3..=4).contains(&s.len()) || !s.chars().all(|c| ('0'..='7').contains(&c)) {
        return None;
    }
    u32::from_str_radix(s, 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_modes_are_three_or_four_octal_digits() {
        assert_eq!(parse_mode("0700"), Some(0o700));
        assert_eq!(parse_mode("644"), Some(0o644));
        assert_eq!(parse_mode("0800"), None);
        assert_eq!(parse_mode("07"), None);
        assert_eq!(parse_mode("00700"), None);
    }

    #[test]
    fn plugin_log_lives_under_the_versioned_plugin_dir() {
        let mut g = Guest::new(OsType::Linux, vec![]);
        assert!(!g.plugin_installed());
        let p = g.plugin_log_path(0);
        assert_eq!(p, "/usr/local/share/aliyun-assist/plugin/app-snapshot-plugin/1.8/log/app_snapshot_plugin.log.19700101.1");
        g.append_line(&p, "hello", 5);
        assert!(g.plugin_installed());
        assert_eq!(g.latest_plugin_log().unwrap().1.content, b"hello\n");
        let crlf = GuestFile {
            content: b"#!/bin/bash\r\nexit 0\r\n".to_vec(),
            owner: "root".into(),
            group: "root".into(),
            mode: 0o700,
            modified: 0,
        };
        assert!(crlf.has_crlf());
    }
}
