//! The consistency a run can reach before anything is scheduled, and why not more: freeze at
//! all, and application-consistent (Linux: the user's scripts are present as root 0700;
//! Windows: VSS writers included and none failing). Pure: the notes are logged by the caller.
//! The scripts' own outcome can still lower it later (see `schedule`).

use crate::world::model::guest::Guest;
use crate::world::model::os::OsType;
use crate::world::plugin::params::PluginParams;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warn => "WARN",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// File systems (Windows: volumes) are frozen.
    pub freeze: bool,
    /// Application-consistent is still possible.
    pub app: bool,
    /// Log lines explaining the decision, in order.
    pub notes: Vec<(Level, String)>,
}

pub fn decide(guest: &Guest, os: OsType, p: &PluginParams) -> Decision {
    let linux = os == OsType::Linux;
    let mut notes = Vec::new();
    let mut note = |level, text: &str| notes.push((level, text.to_string()));
    let freeze = !linux || p.enable_fs_freeze;
    let mut app = false;
    if linux {
        if !p.enable_fs_freeze {
            note(Level::Warn, "EnableFsFreeze is false: file systems are not frozen and Pre/Post-Script are skipped");
        } else if p.pre_script.is_empty() || p.post_script.is_empty() {
            note(
                Level::Warn,
                "PreScriptPath/PostScriptPath not set, take FsConsistent snapshots",
            );
        } else {
            let mut found = true;
            let mut perm = true;
            for path in [&p.pre_script, &p.post_script] {
                match guest.files.get(path.as_str()) {
                    None => {
                        found = false;
                        note(Level::Warn, &format!("File {path} not found"));
                    }
                    Some(f) if f.owner != "root" || f.mode & 0o7777 != 0o700 => {
                        perm = false;
                        note(
                            Level::Warn,
                            &format!(
                                "{path}: owner {} mode {:04o}, expected owner root mode 0700",
                                f.owner, f.mode
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            if !found {
                note(Level::Warn, "Pre/Post-Script files were not found!");
            } else if !perm {
                note(Level::Warn, "Pre/Post-Script have no Expected Permission");
            }
            app = found && perm;
            if !app {
                note(Level::Warn, "No such Pre/Post-Script files or have no \"execute\" Permission, take FsConsistent snapshots");
            }
        }
    } else if !p.enable_writers {
        note(
            Level::Info,
            "EnableWriters is false: VSS shadow copy without application writers",
        );
    } else if let Some(wr) = &guest.behaviour.vss_writer_fails {
        note(Level::Warn, &format!("VSS writer '{wr}' is in state [8] Failed, last error: Non-retryable error; create shadow copy without writers"));
    } else {
        app = true;
        note(
            Level::Info,
            &format!("VSS writers included: {}", guest.vss_writers.join(", ")),
        );
    }
    Decision { freeze, app, notes }
}
