//! What the desktop shell tells the UI about itself at start-up.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether the embedded sandbox cloud is serving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum SandboxStatus {
    /// Being started; a `sandbox-status` event follows.
    Starting,
    /// Serving on a loopback endpoint such as `http://127.0.0.1:41234`.
    #[serde(rename_all = "camelCase")]
    Running { endpoint: String, scenario: String },
    /// Could not start; `reason` says why in plain words.
    #[serde(rename_all = "camelCase")]
    Unavailable { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppStatus {
    pub version: String,
    /// The active profile's name; `Sandbox` on first start.
    pub profile: String,
    pub sandbox: SandboxStatus,
    /// Where the rotating log files are written.
    pub log_dir: String,
    /// AppSnap's data folder (inventories, job history: `appsnap.db`).
    pub data_dir: String,
    /// The config folder shared with the CLI (`profiles.json`, `settings.json`).
    pub config_dir: String,
    /// Unreadable `appsnap.db` files moved aside (history started empty), newest first.
    pub history_set_aside: Vec<String>,
}

/// A folder Settings can open in the OS's file manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FolderKind {
    Logs,
    Data,
    Config,
}
