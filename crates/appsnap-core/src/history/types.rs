//! The history's data: the filter, a page of rows, a job in detail, an exported run.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::jobs::{ResultConsistency, RunResult, RunStatus, SnapshotOptions};

/// Which instance-runs to list or export; every field narrows, `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct HistoryFilter {
    pub instance_id: Option<String>,
    pub region_id: Option<String>,
    pub consistency: Option<ResultConsistency>,
    pub status: Option<RunStatus>,
    /// The job started at or after (Unix ms).
    #[ts(type = "number | null")]
    pub since_ms: Option<i64>,
    /// The job started before (Unix ms).
    #[ts(type = "number | null")]
    pub until_ms: Option<i64>,
    /// Found in the job id, the instance id or anywhere in the run's record.
    pub text: Option<String>,
}

/// Which slice of the filtered runs, newest job first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PageRequest {
    pub offset: u32,
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 50,
        }
    }
}

/// One instance-run in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryRow {
    pub job_id: String,
    /// When the job started (Unix ms).
    #[ts(type = "number")]
    pub created_ms: i64,
    pub profile: String,
    pub instance_id: String,
    pub region_id: String,
    pub status: RunStatus,
    pub consistency: Option<ResultConsistency>,
    pub snapshot_group_id: Option<String>,
    #[ts(type = "number | null")]
    pub exit_code: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryPage {
    pub rows: Vec<HistoryRow>,
    /// Every run the filter matches, for the pager.
    #[ts(type = "number")]
    pub total: u64,
}

/// A job with every run's result: what the results view shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobDetail {
    pub job_id: String,
    #[ts(type = "number")]
    pub created_ms: i64,
    pub profile: String,
    pub options: SnapshotOptions,
    pub concurrency: u32,
    pub finished: bool,
    pub results: Vec<RunResult>,
}

/// A script pushed to the instance, by hash (scripts_pushed; never its content).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScriptHash {
    pub path: String,
    pub role: String,
    pub sha256: String,
}

/// One exported instance-run. The field list is the export's whole content: no output,
/// no ClientToken, no credential — nothing here can hold a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportedRun {
    pub job_id: String,
    /// `yyyy-MM-ddTHH:mm:ssZ`.
    pub started_at: String,
    pub profile: String,
    pub instance_id: String,
    pub region_id: String,
    pub status: RunStatus,
    pub consistency: Option<ResultConsistency>,
    pub attempt: u32,
    pub command_id: Option<String>,
    pub invoke_id: Option<String>,
    #[ts(type = "number | null")]
    pub exit_code: Option<i64>,
    pub error_code: Option<String>,
    pub snapshot_group_id: Option<String>,
    /// `disk id=snapshot id` per disk.
    pub snapshots: Vec<String>,
    pub explanation: Vec<String>,
    pub options: SnapshotOptions,
    pub scripts: Vec<ScriptHash>,
}

/// How `jobs export` writes the filtered runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    Csv,
    Json,
}
