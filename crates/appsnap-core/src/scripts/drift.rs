//! The drift check before a run: each instance's scripts read back through the probe and
//! compared with what AppSnap recorded pushing there. Missing or changed scripts are
//! named, with the push as the fix. Instances without a record are not probed.
//!
//! In the picker it is the `ScriptsDrift` check of each Linux instance, from the hashes
//! the last deep check's probe read (`with_drift`), added whenever the inventory is read
//! from `appsnap.db` ([`FleetStore::load_checked`]). It does not change the prediction:
//! a run pushes the recorded scripts again before it starts (jobs/repush.rs).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::guest_run::ScriptsTuning;
use super::records::PushedScript;
use super::types::{ScriptRole, ScriptsEvent};
use super::verify::{compare_file, found, read_back, ExpectedFile, Mismatch};
use crate::error::AppError;
use crate::fleet::{
    predict, Assessed, Check, CheckId, CheckStatus, FileFact, FixAction, FleetStore, GuestFacts,
    Inventory, Reason, ReasonKey, StoredInventory,
};
use crate::listed::listed_enum;
use crate::progress::Reporter;
use crate::ram::InstanceRef;

/// Checks `targets` against `recorded` (from
/// [`FleetStore::pushed_scripts`](crate::fleet::FleetStore::pushed_scripts)).
pub async fn drift(
    client: &acs_openapi::Client,
    recorded: &[PushedScript],
    targets: &[InstanceRef],
    tuning: &ScriptsTuning,
    reporter: &Reporter<ScriptsEvent>,
) -> Result<Vec<DriftResult>, AppError> {
    let with_record: Vec<InstanceRef> = targets
        .iter()
        .filter(|t| recorded.iter().any(|r| r.instance_id == t.instance_id))
        .cloned()
        .collect();
    let back = if with_record.is_empty() {
        BTreeMap::new()
    } else {
        read_back(client, &with_record, tuning, reporter).await?
    };
    Ok(targets
        .iter()
        .map(|t| {
            let mine: Vec<&PushedScript> = recorded
                .iter()
                .filter(|r| r.instance_id == t.instance_id)
                .collect();
            let facts = back
                .get(&t.instance_id)
                .cloned()
                .unwrap_or_else(|| Err("not probed".to_owned()));
            compare(t, &mine, &facts)
        })
        .collect())
}

/// The pure comparison: what the picker calls with probe facts it already has.
pub fn compare(
    target: &InstanceRef,
    recorded: &[&PushedScript],
    facts: &Result<Vec<FileFact>, String>,
) -> DriftResult {
    let result = |state, files, message: String| DriftResult {
        instance_id: target.instance_id.clone(),
        region_id: target.region_id.clone(),
        fix: matches!(
            state,
            DriftState::Missing | DriftState::Changed | DriftState::NotRecorded
        )
        .then_some(FixAction::PushScripts),
        state,
        files,
        message,
    };
    if recorded.is_empty() {
        return result(
            DriftState::NotRecorded,
            Vec::new(),
            "AppSnap has not pushed scripts to this instance: push them to know what runs"
                .to_owned(),
        );
    }
    let list = match facts {
        Ok(list) => list,
        Err(why) => {
            return result(
                DriftState::Unknown,
                Vec::new(),
                format!("the scripts could not be read back: {why}"),
            )
        }
    };
    let files: Vec<DriftFile> = recorded
        .iter()
        .map(|r| {
            let expected = ExpectedFile {
                role: r.role,
                path: r.path.clone(),
                sha256: r.sha256.clone(),
                size: r.size,
            };
            let f = found(list, &r.path);
            DriftFile {
                role: r.role,
                path: r.path.clone(),
                recorded_sha256: r.sha256.clone(),
                found_sha256: f.and_then(|s| s.sha256.clone()),
                mismatches: compare_file(&expected, f),
            }
        })
        .collect();
    let missing: Vec<String> = files
        .iter()
        .filter(|f| f.mismatches.contains(&Mismatch::Missing))
        .map(|f| f.path.clone())
        .collect();
    let changed: Vec<String> = files
        .iter()
        .filter(|f| !f.mismatches.is_empty() && !f.mismatches.contains(&Mismatch::Missing))
        .map(|f| {
            let what: Vec<&str> = f.mismatches.iter().map(|m| m.name()).collect();
            format!("{} ({})", f.path, what.join(", "))
        })
        .collect();
    if !missing.is_empty() {
        result(
            DriftState::Missing,
            files,
            format!(
                "{} no longer on the instance (a reboot may have emptied /tmp): push again",
                missing.join(" and ")
            ),
        )
    } else if !changed.is_empty() {
        result(
            DriftState::Changed,
            files,
            format!(
                "changed since AppSnap pushed it: {}; push again or review the change",
                changed.join("; ")
            ),
        )
    } else {
        result(
            DriftState::InPlace,
            files,
            "the scripts are as AppSnap pushed them".to_owned(),
        )
    }
}

/// The `ScriptsDrift` check of a Linux instance from its last probe and the records;
/// `None` for Windows.
pub fn drift_check(a: &Assessed, recorded: &[PushedScript]) -> Option<Check> {
    let i = &a.instance;
    if i.os_type.eq_ignore_ascii_case("windows") {
        return None;
    }
    let mine: Vec<&PushedScript> = recorded
        .iter()
        .filter(|r| r.instance_id == i.instance_id)
        .collect();
    let check = |status, key, params: &[(&str, String)], fix| Check {
        id: CheckId::ScriptsDrift,
        status,
        reason: Reason::new(key, params),
        fix,
    };
    if mine.is_empty() {
        let key = ReasonKey::ScriptsNotRecorded;
        return Some(check(
            CheckStatus::Warn,
            key,
            &[],
            Some(FixAction::PushScripts),
        ));
    }
    let facts = match &i.guest {
        Some(GuestFacts::Probed { files, .. }) => Ok(files.clone()),
        Some(GuestFacts::Failed { reason }) => {
            let p = [("error", reason.clone())];
            let c = check(
                CheckStatus::Unknown,
                ReasonKey::ProbeFailed,
                &p,
                Some(FixAction::DeepCheck),
            );
            return Some(c);
        }
        None => {
            let key = ReasonKey::NeedsDeepCheck;
            return Some(check(
                CheckStatus::Unknown,
                key,
                &[],
                Some(FixAction::DeepCheck),
            ));
        }
    };
    let target = InstanceRef {
        instance_id: i.instance_id.clone(),
        region_id: i.region_id.clone(),
    };
    let d = compare(&target, &mine, &facts);
    let paths = |missing: bool| -> Vec<String> {
        d.files
            .iter()
            .filter(|f| {
                f.mismatches.contains(&Mismatch::Missing) == missing && !f.mismatches.is_empty()
            })
            .map(|f| match missing {
                true => f.path.clone(),
                false => {
                    let what: Vec<&str> = f.mismatches.iter().map(|m| m.name()).collect();
                    format!("{} ({})", f.path, what.join(", "))
                }
            })
            .collect()
    };
    Some(match d.state {
        DriftState::InPlace => check(CheckStatus::Pass, ReasonKey::ScriptsAsPushed, &[], None),
        DriftState::Missing => check(
            CheckStatus::Warn,
            ReasonKey::ScriptsGone,
            &[("paths", paths(true).join(" and "))],
            d.fix,
        ),
        DriftState::Changed => check(
            CheckStatus::Warn,
            ReasonKey::ScriptsChanged,
            &[("changes", paths(false).join("; "))],
            d.fix,
        ),
        DriftState::NotRecorded | DriftState::Unknown => check(
            CheckStatus::Unknown,
            ReasonKey::NeedsDeepCheck,
            &[],
            Some(FixAction::DeepCheck),
        ),
    })
}

/// Replaces every Linux instance's `ScriptsDrift` check from the records (the prediction
/// is computed again, unchanged by it).
pub fn with_drift(inventory: &mut Inventory, recorded: &[PushedScript]) {
    for a in inventory.instances.iter_mut() {
        a.checks.retain(|c| c.id != CheckId::ScriptsDrift);
        if let Some(c) = drift_check(a, recorded) {
            let at = a
                .checks
                .iter()
                .position(|c| c.id == CheckId::FreezeScripts)
                .map_or(a.checks.len(), |p| p + 1);
            a.checks.insert(at, c);
        }
        a.prediction = predict(&a.checks);
    }
}

impl FleetStore {
    /// The profile's stored inventory with the drift checks from its records: what the
    /// picker and the snapshot dialog read.
    pub fn load_checked(
        &mut self,
        profile: &str,
        now_ms: i64,
    ) -> Result<Option<StoredInventory>, AppError> {
        let Some(mut stored) = self.load(profile, now_ms)? else {
            return Ok(None);
        };
        self.add_drift(profile, &mut stored.inventory)?;
        Ok(Some(stored))
    }

    /// Adds the drift checks to an inventory of this profile (e.g. one just saved).
    pub fn add_drift(&mut self, profile: &str, inventory: &mut Inventory) -> Result<(), AppError> {
        let recorded = self.pushed_scripts(profile, &[])?;
        with_drift(inventory, &recorded);
        Ok(())
    }
}

listed_enum! {
    /// An instance's scripts against the record.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum DriftState {
        /// Both scripts as recorded: same SHA-256, root, 0700.
        InPlace,
        /// A recorded script is gone.
        Missing,
        /// A recorded script's content, size, owner, group or mode changed.
        Changed,
        /// AppSnap never pushed scripts here (in this profile).
        NotRecorded,
        /// The read-back failed.
        Unknown,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DriftResult {
    pub instance_id: String,
    pub region_id: String,
    pub state: DriftState,
    pub files: Vec<DriftFile>,
    /// In English.
    pub message: String,
    pub fix: Option<FixAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DriftFile {
    pub role: ScriptRole,
    pub path: String,
    pub recorded_sha256: String,
    pub found_sha256: Option<String>,
    pub mismatches: Vec<Mismatch>,
}
