//! The jobs' data: options, the discovered trigger, each instance-run's record and
//! result, findings and events. No behaviour here.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::listed::listed_enum;

/// What the user asked of every instance in a job (the console's dialog plus the mandate).
/// `None` means "the command's default": nothing is sent for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SnapshotOptions {
    /// Snapshot-consistent group name; `None` → `AppSnap-<job id>` (found again by it).
    pub name: Option<String>,
    pub description: Option<String>,
    pub retention_days: Option<u32>,
    pub instant_access: Option<bool>,
    pub instant_access_days: Option<u32>,
    /// Windows: VSS application writers included (`false` → file-system at most).
    pub include_writers: bool,
    /// Linux: freeze and thaw the file systems (`false` → no freeze, scripts skipped).
    pub fs_freeze: bool,
    pub freeze_timeout_secs: Option<u32>,
    pub exclude_disk_ids: Vec<String>,
    pub mandate: Mandate,
}

impl Default for SnapshotOptions {
    fn default() -> Self {
        Self {
            name: None,
            description: None,
            retention_days: None,
            instant_access: None,
            instant_access_days: None,
            include_writers: true,
            fs_freeze: true,
            freeze_timeout_secs: None,
            exclude_disk_ids: Vec::new(),
            mandate: Mandate::Allow,
        }
    }
}

/// Whether a file-system-consistent result is acceptable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Mandate {
    /// Only application-consistent counts; a file-system result is `failed`.
    Require,
    /// File-system-consistent is accepted as a fallback.
    Allow,
}

listed_enum! {
    /// A dialog option, as mapped onto the trigger's parameters.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
    #[ts(export, rename = "SnapshotOptionKey")]
    pub enum OptionKey {
        RamRole,
        Name,
        Description,
        RetentionDays,
        InstantAccess,
        InstantAccessDays,
        IncludeWriters,
        FsFreeze,
        FreezeTimeout,
        ExcludeDisks,
    }
}

/// How the snapshot is triggered in one region for one OS type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export, rename = "SnapshotTrigger")]
pub enum Trigger {
    /// A public command found by `DescribeCommands(Provider=AlibabaCloud)`.
    #[serde(rename_all = "camelCase")]
    PublicCommand {
        command_id: String,
        name: String,
        command_type: String,
        parameters: Vec<ParameterSpec>,
    },
    /// Experimental: `acs-plugin-manager --exec --plugin app-snapshot-plugin` by RunCommand
    /// (alibaba-api.md §4.5), used where no public command was found.
    #[serde(rename_all = "camelCase")]
    Plugin { command_type: String },
}

/// One of a command's `ParameterDefinitions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ParameterSpec {
    pub name: String,
    pub default_value: String,
    pub required: bool,
    pub possible_values: Vec<String>,
    pub pattern_regex: String,
}

/// An instance in a job, as pre-flight saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PlannedRun {
    pub instance_id: String,
    pub region_id: String,
    pub os_type: String,
    pub trigger: Trigger,
    /// What is sent: the command's `Parameters`, or the plugin's `-Key=value` arguments.
    pub parameters: BTreeMap<String, String>,
    /// The picker's prediction and its reasons, the first findings of an explanation.
    pub preflight: Vec<Finding>,
    pub predicted: crate::fleet::Consistency,
    /// Every mounted file system freezes, `/` included, not only the chosen disks.
    pub warnings: Vec<String>,
}

/// A job ready to run: every instance passed pre-flight and every option is supported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobPlan {
    pub options: SnapshotOptions,
    pub runs: Vec<PlannedRun>,
    /// Invocations in flight per region at once.
    pub concurrency: u32,
    /// Some instance uses the experimental plugin route.
    pub experimental: bool,
}

/// What a run gives, in the order a result can fall short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ResultConsistency {
    Application,
    Filesystem,
    /// A group exists but its snapshots carry neither tag.
    Crash,
    /// No usable group, or the mandate was not met.
    Failed,
}

listed_enum! {
    /// Where a run is; the last four end it.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
    #[serde(rename_all = "camelCase")]
    #[ts(export)]
    pub enum RunStatus {
        /// Not sent yet.
        Queued,
        /// Its ClientToken is recorded; InvokeCommand/RunCommand is being sent.
        Invoking,
        /// The invocation runs in the guest.
        Running,
        /// The invocation ended; the snapshot group is awaited and read.
        Snapshotting,
        /// Met the mandate.
        Succeeded,
        /// Did not meet the mandate, or failed.
        Failed,
        /// Stopped by the user before it was sent.
        Cancelled,
        /// No end past the allowed time: stopped with StopInvocation.
        Stuck,
    }
}

impl RunStatus {
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Succeeded | Self::Failed | Self::Cancelled | Self::Stuck
        )
    }
}

listed_enum! {
    /// The evidence a finding comes from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
    #[serde(rename_all = "camelCase")]
    #[ts(export)]
    pub enum FindingSource {
        Preflight,
        ExitCode,
        ErrorCode,
        Output,
        Tags,
        SnapshotGroup,
        PluginLog,
        Mandate,
        Stuck,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "JobFinding")]
pub struct Finding {
    pub source: FindingSource,
    pub finding: String,
}

/// One disk snapshot of the group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DiskResult {
    pub disk_id: String,
    pub snapshot_id: String,
    pub tags: BTreeMap<String, String>,
    /// `application`, `filesystem` or `crash` (never `failed`).
    pub consistency: ResultConsistency,
}

/// The snapshot group as the run last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum GroupState {
    /// Every snapshot reached 100 % (`accomplished`).
    Accomplished,
    /// Still `progressing` (the copy to OSS goes on), but every snapshot is already
    /// `Available`: ESSD snapshots are usable seconds after creation (instant access), long
    /// before a large disk's copy ends, so the run does not wait for it.
    Available,
    /// `failed`, or a status this version does not know.
    Failed,
}

impl GroupState {
    /// `None` while the group is still of no use: progressing with a snapshot not yet
    /// available (or none listed yet).
    pub fn of(status: &str, snapshots_available: &[bool]) -> Option<Self> {
        match status {
            "accomplished" => Some(Self::Accomplished),
            "progressing"
                if !snapshots_available.is_empty() && snapshots_available.iter().all(|a| *a) =>
            {
                Some(Self::Available)
            }
            "progressing" => None,
            _ => Some(Self::Failed),
        }
    }

    /// The snapshots can be used (rolled back to, disks created from).
    pub fn usable(self) -> bool {
        self != Self::Failed
    }
}

/// An instance-run's result: exactly the fields of `snapshot create --output json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RunResult {
    pub instance_id: String,
    pub region_id: String,
    pub command_id: Option<String>,
    pub invoke_id: Option<String>,
    #[ts(type = "number | null")]
    pub exit_code: Option<i64>,
    pub snapshot_group_id: Option<String>,
    /// How the group stood when the run ended (`None`: no group, or from before it was kept).
    #[serde(default)]
    pub group_state: Option<GroupState>,
    pub consistency: Option<ResultConsistency>,
    pub disks: Vec<DiskResult>,
    pub explanation: Vec<Finding>,
    pub status: RunStatus,
    /// The invocation's decoded output (plain text): its last 16 KiB at most, after a line
    /// saying what was cut; `None` until it ended (and in history from before it was kept).
    #[serde(default)]
    pub output: Option<String>,
    /// The group the mandate refused was deleted on request (`delete_refused_group`).
    #[serde(default)]
    pub group_deleted: bool,
}

/// What history keeps of an instance-run: the result plus what resuming needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    pub job_id: String,
    pub plan: PlannedRun,
    /// 1 for the first try, +1 per "retry failed".
    pub attempt: u32,
    /// Sent with every try of this attempt; a new one per retry.
    pub client_token: String,
    /// Unix ms when the invocation was accepted (stuck detection, group lookup).
    pub invoked_ms: Option<i64>,
    /// The invocation's `StartTime` on the cloud's clock: groups older are not its own.
    pub started_at: Option<String>,
    pub error_code: Option<String>,
    /// The whole output, for the explanation; the result carries a bounded copy.
    pub output: Option<String>,
    /// Linux: the recorded scripts were pushed again before this attempt and verified
    /// (`Some(false)`: pushed but not verified); `None` when nothing was pushed.
    #[serde(default)]
    pub scripts_pushed: Option<bool>,
    pub result: RunResult,
}

/// A job as history keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobReport {
    pub job_id: String,
    pub results: Vec<RunResult>,
}

impl JobReport {
    /// Every instance met the mandate (CLI exit 0; else 4).
    pub fn all_met(&self) -> bool {
        self.results
            .iter()
            .all(|r| r.status == RunStatus::Succeeded)
    }
}

/// Progress: one event per state change per instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum JobEvent {
    #[serde(rename_all = "camelCase")]
    JobStarted { job_id: String, instances: u32 },
    #[serde(rename_all = "camelCase")]
    RunChanged {
        job_id: String,
        instance_id: String,
        region_id: String,
        status: RunStatus,
        invoke_id: Option<String>,
        consistency: Option<ResultConsistency>,
    },
    /// Linux, before the invocation: the recorded scripts pushed again to `/tmp`.
    #[serde(rename_all = "camelCase")]
    ScriptsPushed {
        job_id: String,
        instance_id: String,
        region_id: String,
        verified: bool,
        /// In English: what was pushed, or what fell short.
        detail: String,
    },
    #[serde(rename_all = "camelCase")]
    JobFinished { job_id: String, all_met: bool },
}

/// Waits and bounds of a run; tests shorten them.
#[derive(Debug, Clone)]
pub struct JobTuning {
    /// First poll interval after an invocation; grows by `backoff` to `max_poll`.
    pub first_poll: Duration,
    pub max_poll: Duration,
    pub backoff: f64,
    /// The poll budget: at most one poll call per job per this long (issue 11: ≤ 1 per
    /// 2 s). One results call covers every run of a command in a region, so the more runs
    /// are in flight, the shorter the interval may grow to (never past `max_poll`).
    pub poll_budget: Duration,
    /// Past freeze timeout + this (the snapshot's time and a margin), an unended
    /// invocation is stuck and stopped.
    pub stuck_allowance: Duration,
    /// How long a stopped invocation is watched for its end (the thaw) before the
    /// finding says its file systems may still be frozen.
    pub stop_wait: Duration,
    /// `Timeout` sent with the invocation (the snapshot can take minutes).
    pub command_timeout_secs: u32,
    /// How long a finished run waits for its group to be `accomplished` or available.
    pub group_wait: Duration,
    /// Pushing the recorded scripts again before a Linux run.
    pub scripts: crate::scripts::ScriptsTuning,
}

impl Default for JobTuning {
    fn default() -> Self {
        Self {
            first_poll: Duration::from_millis(500),
            max_poll: Duration::from_secs(5),
            backoff: 1.5,
            poll_budget: Duration::from_secs(2),
            stuck_allowance: Duration::from_secs(600),
            stop_wait: Duration::from_secs(30),
            command_timeout_secs: 900,
            group_wait: Duration::from_secs(600),
            scripts: crate::scripts::ScriptsTuning::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::GroupState;

    #[test]
    fn a_group_is_usable_once_accomplished_or_every_snapshot_is_available() {
        assert_eq!(
            GroupState::of("accomplished", &[false]),
            Some(GroupState::Accomplished)
        );
        assert_eq!(
            GroupState::of("progressing", &[true, true]),
            Some(GroupState::Available)
        );
        assert_eq!(GroupState::of("progressing", &[true, false]), None);
        // No snapshots listed yet: nothing is known to be usable.
        assert_eq!(GroupState::of("progressing", &[]), None);
        assert_eq!(GroupState::of("failed", &[true]), Some(GroupState::Failed));
        // A status this version does not know is not taken for success.
        assert_eq!(GroupState::of("paused", &[true]), Some(GroupState::Failed));
        assert!(GroupState::Available.usable() && !GroupState::Failed.usable());
        assert_eq!(
            serde_json::to_value(GroupState::Available).unwrap(),
            serde_json::json!("available")
        );
    }
}
