//! The fleet's data: what the cloud and the guest said about each instance, the checks
//! made from it, and the predicted consistency. No behaviour here.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::AppError;
use crate::listed::listed_enum;
use crate::ram::{ConflictChoice, Evaluation, InstanceResolution, RamApplyEvent};

/// What to inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct InventoryOptions {
    /// The regions to read; empty = every region `DescribeRegions` lists.
    pub regions: Vec<String>,
    /// Disks one snapshot-consistent group may hold (10/16/128 by doc date, §7.2).
    pub group_disk_limit: u32,
    /// Regions read at once (at most 64); each region is its own endpoint, its calls
    /// bounded by the client's per-endpoint limits.
    pub parallel_regions: u32,
}

impl Default for InventoryOptions {
    fn default() -> Self {
        Self {
            regions: Vec::new(),
            group_disk_limit: 16,
            parallel_regions: 32,
        }
    }
}

/// One instance as the cloud describes it, plus the guest once a probe ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FleetInstance {
    pub instance_id: String,
    pub name: String,
    pub region_id: String,
    pub zone_id: String,
    /// `linux` or `windows`, as DescribeInstances spells it.
    pub os_type: String,
    pub os_name: String,
    pub os_name_en: String,
    /// `Running`, `Stopped`, …
    pub status: String,
    /// `None` when the region's DescribeDisks failed.
    pub disks: Option<Vec<DiskFact>>,
    /// `None` when DescribeCloudAssistantStatus failed or left the instance out.
    pub agent: Option<AgentFact>,
    pub role: RoleFact,
    /// `None` until a deep check (probe) ran on this instance.
    pub guest: Option<GuestFacts>,
    /// The last test run of its scripts since they were last pushed: the one fact a
    /// read-only probe cannot see (a freeze script that fails or hangs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub script_test: Option<ScriptTestFact>,
}

/// What the last test run (scripts/test_run.rs) said about the instance's scripts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptTestFact {
    pub verdict: TestVerdict,
    #[ts(type = "number | null")]
    pub freeze_exit_code: Option<i64>,
    #[ts(type = "number | null")]
    pub thaw_exit_code: Option<i64>,
    #[ts(type = "number | null")]
    pub freeze_window_ms: Option<u64>,
    pub timeout_seconds: u32,
    #[ts(type = "number")]
    pub tested_at_ms: i64,
}

listed_enum! {
    /// What a test run says about the pair.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum TestVerdict {
        /// Both exited 0 and the freeze window fits the timeout.
        Passed,
        /// The freeze script exited non-zero: a run would be file-system consistent.
        FreezeFailed,
        /// The thaw script exited non-zero: the application may stay frozen/locked.
        ThawFailed,
        /// A script was killed at the timeout.
        TimedOut,
        /// Both succeeded, but with the snapshot's time the window exceeds the timeout.
        TooSlow,
        /// The test did not run or its output was unreadable (see `error`).
        NotRun,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DiskFact {
    pub disk_id: String,
    pub category: String,
    /// `system` or `data`.
    pub disk_type: String,
    pub size_gib: u32,
    pub multi_attach: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AgentFact {
    /// A version was reported (the sandbox reports none for a missing agent; the real
    /// cloud's answer for that case is UNVERIFIED).
    pub installed: bool,
    /// `CloudAssistantStatus` is `"true"`.
    pub online: bool,
    pub version: String,
}

/// The instance's RAM role and whether its policies grant the snapshot actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum RoleFact {
    /// DescribeInstanceRamRole failed for the region.
    Unknown,
    None,
    #[serde(rename_all = "camelCase")]
    Attached {
        role_name: String,
        /// The role's policies together; `None` when they could not be read.
        evaluation: Option<Evaluation>,
    },
}

/// What the read-only probe (`inventory-probe/1`) reported, or why it did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum GuestFacts {
    #[serde(rename_all = "camelCase")]
    Probed {
        os_id: String,
        os_version: String,
        mounts: Vec<MountFact>,
        files: Vec<FileFact>,
        vss_writers: Vec<VssWriterFact>,
        /// `app-snapshot-plugin` version, `None` before its first run.
        plugin: Option<String>,
    },
    /// The probe ran but did not answer usefully (not delivered, failed, garbled).
    #[serde(rename_all = "camelCase")]
    Failed { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MountFact {
    pub mount_point: String,
    pub fs_type: String,
    pub device: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FileFact {
    pub path: String,
    /// `None` when the file is missing.
    pub stat: Option<FileStat>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FileStat {
    pub owner: String,
    pub group: String,
    /// Octal, e.g. `0700`.
    pub mode: String,
    #[ts(type = "number")]
    pub size: u64,
    pub crlf: bool,
    /// Lowercase hex SHA-256 of the bytes (`file.sha256=`); absent from older probes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct VssWriterFact {
    pub name: String,
    pub failed: bool,
}

listed_enum! {
    /// Every check, a stable id the UI and scripts key on.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum CheckId {
        Running,
        OsSupported,
        DisksEssd,
        DiskCount,
        AgentInstalled,
        AgentOnline,
        AgentVersion,
        RamRole,
        RolePolicy,
        FileSystems,
        FreezeScripts,
        /// Linux: the scripts on the guest against what AppSnap recorded pushing
        /// (scripts/drift.rs); added when the inventory is read from `appsnap.db`.
        ScriptsDrift,
        VssWriters,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum CheckStatus {
    Pass,
    Fail,
    Warn,
    /// Not known yet: a guest check before a deep check, or a call that failed.
    Unknown,
}

listed_enum! {
    /// Something the user can start from a check.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum FixAction {
        /// StartInstance.
        StartInstance,
        /// InstallCloudAssistant (then a reboot).
        InstallAgent,
        /// The RAM engine (`ram::plan`/`ram::apply`) with this instance.
        AttachRole,
        /// Run the read-only probe.
        DeepCheck,
        /// Push the freeze/thaw scripts (root, 0700, LF).
        PushScripts,
    }
}

listed_enum! {
    /// Why a check came out as it did; the UI words `check.<key>` with `params`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
    #[ts(export)]
    pub enum ReasonKey {
        InstanceRunning,
        InstanceNotRunning,
        OsSupported,
        OsTooOld,
        OsNotInMatrix,
        OsNewerThanMatrix,
        DisksEssd,
        DiskNotEssd,
        DiskMultiAttach,
        NoDisks,
        DisksUnknown,
        DiskCountOk,
        TooManyDisks,
        AgentInstalled,
        AgentMissing,
        AgentOnline,
        AgentOffline,
        AgentNeedsRunning,
        AgentUnknown,
        AgentVersionOk,
        AgentVersionOld,
        RoleAttached,
        RoleMissing,
        RoleUnknown,
        RoleGrants,
        RoleLacks,
        RolePolicyUnknown,
        FileSystemsOk,
        NetworkFileSystem,
        OtherFileSystem,
        ScriptsOk,
        ScriptMissing,
        ScriptNotRoot,
        ScriptMode,
        ScriptCrlf,
        ScriptsAsPushed,
        ScriptsGone,
        ScriptsChanged,
        ScriptsNotRecorded,
        ScriptTestFreezeFailed,
        ScriptTestTimedOut,
        ScriptTestTooSlow,
        ScriptTestThawFailed,
        WritersOk,
        WriterFailed,
        NoWriters,
        NeedsDeepCheck,
        ProbeFailed,
    }
}

/// A reason: its key, the values its text interpolates, and the English text.
/// Names and a text without parameters borrow the key's static strings (an inventory
/// makes ten reasons for each of thousands of instances); read back, they are owned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Reason {
    pub key: ReasonKey,
    pub params: BTreeMap<Cow<'static, str>, String>,
    pub text: Cow<'static, str>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Check {
    pub id: CheckId,
    pub status: CheckStatus,
    pub reason: Reason,
    pub fix: Option<FixAction>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Consistency {
    Application,
    Filesystem,
    None,
}

/// What a run would give now, and which checks decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Prediction {
    pub consistency: Consistency,
    pub decided_by: Vec<CheckId>,
    /// No check is `unknown`: a deep check or a retry cannot change it.
    pub confirmed: bool,
}

/// One instance with its checks and prediction: a row of the picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Assessed {
    pub instance: FleetInstance,
    pub checks: Vec<Check>,
    pub prediction: Prediction,
}

/// A call that failed after the client's retries: what the inventory lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Missing {
    /// Empty for the account-wide calls (DescribeRegions, RAM).
    pub region_id: String,
    /// The API action, e.g. `DescribeDisks`.
    pub action: String,
    /// What is unknown because of it, in English.
    pub effect: String,
    pub error: AppError,
}

/// The fleet at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Inventory {
    /// The regions read (whole or in part), in the cloud's order.
    pub regions: Vec<String>,
    pub instances: Vec<Assessed>,
    /// The limit the disk-count check used (re-checks after a probe use it again).
    pub group_disk_limit: u32,
    /// Empty when the inventory is complete.
    pub missing: Vec<Missing>,
}

impl Inventory {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Progress of an inventory or a deep check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum FleetEvent {
    #[serde(rename_all = "camelCase")]
    RegionsListed { region_ids: Vec<String> },
    #[serde(rename_all = "camelCase")]
    RegionStarted { region_id: String },
    #[serde(rename_all = "camelCase")]
    RegionDone {
        region_id: String,
        instances: u32,
        disks: u32,
        /// Calls of this region that failed (their data is missing).
        failed_calls: u32,
    },
    #[serde(rename_all = "camelCase")]
    ProbeSent {
        region_id: String,
        invoke_id: String,
        instances: u32,
    },
    #[serde(rename_all = "camelCase")]
    ProbeDone {
        region_id: String,
        answered: u32,
        failed: u32,
    },
}

/// The last stored inventory of a profile and how old it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StoredInventory {
    pub profile: String,
    /// Unix milliseconds when it was taken.
    #[ts(type = "number")]
    pub taken_at_ms: i64,
    #[ts(type = "number")]
    pub age_ms: i64,
    pub inventory: Inventory,
}

/// A fix to carry out for chosen instances of the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixRequest {
    pub action: FixAction,
    /// Instances of the inventory (their regions come from it); 1 to [`FIX_MAX`].
    pub instance_ids: Vec<String>,
    /// AttachRole: what to do with an instance that holds another role. Without it such
    /// an instance is reported as a conflict and left as it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub on_conflict: Option<InstanceResolution>,
}

/// At most this many instances per fix.
pub const FIX_MAX: usize = 1000;

/// How a fix ended for one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum FixState {
    Done,
    /// Nothing to do (e.g. already Running) or left alone by the caller's choice.
    Skipped,
    /// Holds another RAM role: choose extend, replace or skip (see `choices`).
    Conflict,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixOutcome {
    pub instance_id: String,
    pub region_id: String,
    pub state: FixState,
    /// What happened, in English.
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<AppError>,
    /// For a conflict: the ways out and what each costs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ConflictChoice>>", optional)]
    pub choices: Vec<ConflictChoice>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FixReport {
    pub action: FixAction,
    /// One per instance asked for, in that order.
    pub outcomes: Vec<FixOutcome>,
}

/// Progress of a fix: its own steps, the RAM engine's, then the re-read of the regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum FixEvent {
    /// A call was sent for these instances (StartInstance, InstallCloudAssistant).
    #[serde(rename_all = "camelCase")]
    Sent {
        action: String,
        region_id: String,
        instance_ids: Vec<String>,
    },
    /// Waiting for started instances to show `Running`.
    #[serde(rename_all = "camelCase")]
    Waiting {
        region_id: String,
        pending: u32,
        attempt: u32,
    },
    #[serde(rename_all = "camelCase")]
    InstanceDone { outcome: FixOutcome },
    #[serde(rename_all = "camelCase")]
    Ram { event: RamApplyEvent },
    #[serde(rename_all = "camelCase")]
    Fleet { event: FleetEvent },
}
