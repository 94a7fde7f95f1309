//! Reading scripts back from guests: the fleet's read-only probe (`inventory-probe/1`,
//! whose `file.sha256=` lines give each script's hash) run on the instances, and each
//! file compared with what it should be — present, owner and group root, mode 0700,
//! LF endings, the size and SHA-256 that were sent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::guest_run::{run_on, GuestAnswer, ScriptsTuning};
use super::types::{ScriptRole, ScriptsEvent};
use crate::error::AppError;
use crate::fleet::{parse_probe, FileFact, FileStat, GuestFacts, SCRIPT_PATHS};
use crate::listed::listed_enum;
use crate::progress::Reporter;
use crate::ram::InstanceRef;

/// What the snapshot command's plugin requires of both scripts (§4.5, GUEST_SCRIPTS.md).
pub const SCRIPT_MODE: &str = "0700";
pub const SCRIPT_OWNER: &str = "root";
pub const SCRIPT_GROUP: &str = "root";

impl ScriptRole {
    /// Where the plugin looks for this script: the seed's paths. The discovered snapshot
    /// command's script-path parameters are not known yet (alibaba-api.md §4.2); when it
    /// accepts paths, a persistent root-only directory (e.g. `/usr/local/appsnap/`) is
    /// better, since `/tmp` may be cleaned at boot. Until then the scripts live in `/tmp`
    /// and are pushed again before every run.
    pub const fn path(self) -> &'static str {
        match self {
            ScriptRole::Freeze => SCRIPT_PATHS[0],
            ScriptRole::Thaw => SCRIPT_PATHS[1],
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`, as the probe prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(bytes))
}

/// How a file found on the guest differs from the one expected; empty when it matches.
pub fn compare_file(expected: &ExpectedFile, found: Option<&FileStat>) -> Vec<Mismatch> {
    let Some(f) = found else {
        return vec![Mismatch::Missing];
    };
    let mut out = Vec::new();
    if f.owner != SCRIPT_OWNER {
        out.push(Mismatch::Owner);
    }
    if f.group != SCRIPT_GROUP {
        out.push(Mismatch::Group);
    }
    if f.mode != SCRIPT_MODE {
        out.push(Mismatch::Mode);
    }
    if f.crlf {
        out.push(Mismatch::Crlf);
    }
    if f.size != expected.size {
        out.push(Mismatch::Size);
    }
    match &f.sha256 {
        None => out.push(Mismatch::NoHash),
        Some(h) if !h.eq_ignore_ascii_case(&expected.sha256) => out.push(Mismatch::Sha256),
        Some(_) => {}
    }
    out
}

/// The stat of `path` in a probe's file list (`None`: missing or not reported).
pub fn found<'f>(files: &'f [FileFact], path: &str) -> Option<&'f FileStat> {
    files
        .iter()
        .find(|f| f.path == path)
        .and_then(|f| f.stat.as_ref())
}

/// Probes `targets` (grouped by region) and returns each one's script files, or why the
/// probe gave none.
pub(super) async fn read_back(
    client: &acs_openapi::Client,
    targets: &[InstanceRef],
    tuning: &ScriptsTuning,
    reporter: &Reporter<ScriptsEvent>,
) -> Result<BTreeMap<String, Result<Vec<FileFact>, String>>, AppError> {
    let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in targets {
        by_region
            .entry(t.region_id.as_str())
            .or_default()
            .push(t.instance_id.clone());
    }
    let mut out = BTreeMap::new();
    for (region, ids) in by_region {
        reporter.emit(ScriptsEvent::GuestScriptSent {
            region_id: region.to_owned(),
            instances: ids.len() as u32,
        });
        let answers = run_on(
            client,
            region,
            &ids,
            "appsnap-inventory-probe",
            crate::fleet::LINUX_PROBE,
            tuning,
            reporter,
        )
        .await?;
        for (id, a) in answers {
            let files = match a {
                GuestAnswer::Ran {
                    exit_code: 0,
                    output,
                } => match parse_probe(&output) {
                    Ok(GuestFacts::Probed { files, .. }) => Ok(files),
                    Ok(GuestFacts::Failed { reason }) | Err(reason) => Err(reason),
                },
                GuestAnswer::Ran { exit_code, .. } => {
                    Err(format!("the probe exited with {exit_code}"))
                }
                GuestAnswer::NoAnswer(why) => Err(why),
            };
            out.insert(id, files);
        }
    }
    Ok(out)
}

/// One script as it should be on the guest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExpectedFile {
    pub role: ScriptRole,
    pub path: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
}

listed_enum! {
    /// How a script on the guest differs from what it should be.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum Mismatch {
        /// No file at the path.
        Missing,
        /// Not owned by root: the plugin refuses it ("no Expected Permission").
        Owner,
        /// Group not root.
        Group,
        /// Not 0700: the plugin refuses it.
        Mode,
        /// CRLF line endings: `bad interpreter: ^M`.
        Crlf,
        /// Another size than the script sent or recorded.
        Size,
        /// Other content than the script sent or recorded.
        Sha256,
        /// The probe printed no hash (`sha256sum` missing on the guest): content unverified.
        NoHash,
    }
}
