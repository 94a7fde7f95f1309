//! The rollback's data: the plan shown before anything changes, the options the user
//! confirmed, the outcome and the record history keeps.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::jobs::ResultConsistency;

/// A disk the rollback overwrites, as it is now, and the snapshot it goes back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RollbackDisk {
    pub disk_id: String,
    pub disk_name: String,
    /// `system` or `data`.
    pub disk_type: String,
    #[ts(type = "number")]
    pub size_gib: u64,
    pub device: String,
    pub snapshot_id: String,
}

/// What a rollback will do, read from the cloud before any change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RollbackPlan {
    pub instance_id: String,
    pub instance_name: String,
    pub region_id: String,
    /// The instance's status when planned (`Running`, `Stopped`, …).
    pub instance_status: String,
    pub snapshot_group_id: String,
    pub group_name: String,
    /// The group's `CreationTime`.
    pub group_created: String,
    pub consistency: ResultConsistency,
    pub disks: Vec<RollbackDisk>,
    /// The instance must be stopped first (and the user must have said so).
    pub needs_stop: bool,
}

/// What the user confirmed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RollbackOptions {
    /// Stop a running instance (explicit confirmation; without it a running one is refused).
    pub stop: bool,
    /// Start the instance again after the reset.
    pub start_after: bool,
}

/// A step of a running rollback, for the progress shown while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum RollbackEvent {
    /// StopInstance was sent (only when the user confirmed stopping).
    Stopping,
    /// The instance is stopped; the disks are next.
    Stopped,
    /// ResetDisks is being sent for these disks.
    #[serde(rename_all = "camelCase")]
    Resetting {
        disk_ids: Vec<String>,
    },
    /// Every disk is back at its snapshot.
    Reset,
    /// StartInstance was sent (only when asked).
    Starting,
    Started,
}

/// What the desktop sends to run a rollback: the plan the user read, the options they
/// chose and what they typed to confirm it (see `rollback::confirmation_word`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RollbackRequest {
    pub plan: RollbackPlan,
    pub options: RollbackOptions,
    pub confirmation: String,
}

/// Where a recorded rollback got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RollbackStatus {
    /// Recorded; ResetDisks is being sent.
    Resetting,
    /// Every disk was reset (and the instance started, when asked).
    Succeeded,
    Failed,
}

/// A rollback as history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RollbackRecord {
    pub rollback_id: String,
    #[ts(type = "number")]
    pub created_ms: i64,
    pub profile: String,
    pub plan: RollbackPlan,
    pub options: RollbackOptions,
    pub status: RollbackStatus,
    /// The instance was stopped by this rollback.
    pub stopped: bool,
    /// The instance was started again by this rollback.
    pub started: bool,
    /// ResetDisks' RequestId, for support.
    pub request_id: Option<String>,
    pub error: Option<String>,
}

/// How long the rollback waits for the instance to stop or start; tests shorten them.
#[derive(Debug, Clone)]
pub struct RollbackTuning {
    pub poll: Duration,
    pub wait: Duration,
}

impl Default for RollbackTuning {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(2),
            wait: Duration::from_secs(300),
        }
    }
}
