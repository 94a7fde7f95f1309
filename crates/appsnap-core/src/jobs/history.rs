//! Job history in `appsnap.db` (tables `job`, `job_run`, `job_invocation`): every job
//! with its options, every instance-run as it changes (trigger, parameters, token,
//! invocation, group, disk snapshots, classification, explanation), every invocation
//! sent. No secrets: the options, ids and the command's output only. Written before the
//! call it describes, so a crash leaves enough to resume without running anything twice.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};

use super::types::{JobPlan, JobReport, RunRecord, RunResult, RunStatus, SnapshotOptions};
use crate::error::AppError;
use crate::fleet::{now_ms, FleetStore};

/// The jobs' migration, one step of `appsnap.db`'s list (fleet/store.rs).
pub const MIGRATION: &str = "
    CREATE TABLE job (
        job_id TEXT PRIMARY KEY NOT NULL,
        created_ms INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL,
        profile TEXT NOT NULL,
        options TEXT NOT NULL,
        concurrency INTEGER NOT NULL,
        finished INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE job_run (
        job_id TEXT NOT NULL REFERENCES job(job_id),
        instance_id TEXT NOT NULL,
        status TEXT NOT NULL,
        updated_ms INTEGER NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (job_id, instance_id)
    );
    CREATE TABLE job_invocation (
        job_id TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        client_token TEXT NOT NULL,
        invoke_id TEXT,
        command_id TEXT,
        sent_ms INTEGER NOT NULL,
        PRIMARY KEY (job_id, instance_id, attempt)
    );";

/// An invocation as recorded: (instance, attempt, ClientToken, invoke id once accepted).
pub type SentInvocation = (String, u32, String, Option<String>);

/// A job's header as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredJob {
    pub job_id: String,
    pub profile: String,
    pub options: SnapshotOptions,
    pub concurrency: u32,
    pub finished: bool,
}

/// `appsnap.db`, opened for jobs (same file and migrations as the fleet store).
pub struct JobStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl JobStore {
    pub fn open(dir: &Path) -> Result<Self, AppError> {
        let fleet = FleetStore::open(dir)?;
        let path = fleet.path().to_owned();
        Ok(Self {
            path,
            conn: Mutex::new(fleet.into_connection()),
        })
    }

    pub fn in_data_dir() -> Result<Self, AppError> {
        Self::open(&crate::fleet::data_dir()?)
    }

    /// The `appsnap.db` file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The scripts AppSnap recorded pushing to these instances in this profile
    /// (scripts/records.rs), with their text, for pushing them again before a run.
    pub fn pushed_scripts(
        &self,
        profile: &str,
        instance_ids: &[String],
    ) -> Result<Vec<crate::scripts::PushedScript>, AppError> {
        self.with(|c| crate::scripts::pushed_scripts_in(c, profile, instance_ids))
    }

    fn with<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
    ) -> Result<T, AppError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn).map_err(|e| AppError::internal(format!("{}: {e}", self.path.display())))
    }

    /// The job and its runs (queued, each with its first ClientToken), in one transaction.
    pub fn create(
        &self,
        job_id: &str,
        profile: &str,
        plan: &JobPlan,
    ) -> Result<Vec<RunRecord>, AppError> {
        let runs: Vec<RunRecord> = plan
            .runs
            .iter()
            .map(|p| RunRecord {
                job_id: job_id.to_owned(),
                plan: p.clone(),
                attempt: 1,
                client_token: acs_openapi::actions::new_client_token(),
                invoked_ms: None,
                started_at: None,
                error_code: None,
                output: None,
                scripts_pushed: None,
                result: RunResult {
                    instance_id: p.instance_id.clone(),
                    region_id: p.region_id.clone(),
                    command_id: None,
                    invoke_id: None,
                    exit_code: None,
                    snapshot_group_id: None,
                    group_state: None,
                    consistency: None,
                    disks: Vec::new(),
                    explanation: Vec::new(),
                    status: RunStatus::Queued,
                    output: None,
                    group_deleted: false,
                },
            })
            .collect();
        let options = json(&plan.options)?;
        let docs: Vec<(String, String)> = runs
            .iter()
            .map(|r| Ok((r.result.instance_id.clone(), json(r)?)))
            .collect::<Result<_, AppError>>()?;
        let now = now_ms();
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO job (job_id, created_ms, updated_ms, profile, options, concurrency)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5)",
                params![job_id, now, profile, options, plan.concurrency],
            )?;
            for (instance, doc) in &docs {
                tx.execute(
                    "INSERT INTO job_run (job_id, instance_id, status, updated_ms, document)
                     VALUES (?1, ?2, 'queued', ?3, ?4)",
                    params![job_id, instance, now, doc],
                )?;
            }
            tx.commit()
        })?;
        Ok(runs)
    }

    /// The run as it is now (called at every state change).
    pub fn save_run(&self, run: &RunRecord) -> Result<(), AppError> {
        let doc = json(run)?;
        let status = run.result.status.name();
        self.with(|c| {
            c.execute(
                "UPDATE job_run SET status = ?3, updated_ms = ?4, document = ?5
                 WHERE job_id = ?1 AND instance_id = ?2",
                params![run.job_id, run.result.instance_id, status, now_ms(), doc],
            )
            .map(|_| ())
        })
    }

    /// An invocation about to be sent (no id yet) or accepted (with its id).
    pub fn save_invocation(&self, run: &RunRecord) -> Result<(), AppError> {
        self.with(|c| {
            c.execute(
                "INSERT INTO job_invocation
                   (job_id, instance_id, attempt, client_token, invoke_id, command_id, sent_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(job_id, instance_id, attempt) DO UPDATE SET
                   invoke_id = excluded.invoke_id, command_id = excluded.command_id",
                params![
                    run.job_id,
                    run.result.instance_id,
                    run.attempt,
                    run.client_token,
                    run.result.invoke_id,
                    run.result.command_id,
                    now_ms()
                ],
            )
            .map(|_| ())
        })
    }

    pub fn set_finished(&self, job_id: &str, finished: bool) -> Result<(), AppError> {
        self.with(|c| {
            c.execute(
                "UPDATE job SET finished = ?2, updated_ms = ?3 WHERE job_id = ?1",
                params![job_id, finished, now_ms()],
            )
            .map(|_| ())
        })
    }

    pub fn job(&self, job_id: &str) -> Result<Option<StoredJob>, AppError> {
        let row: Option<(String, String, u32, bool)> = self.with(|c| {
            c.query_row(
                "SELECT profile, options, concurrency, finished FROM job WHERE job_id = ?1",
                params![job_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
        })?;
        row.map(|(profile, options, concurrency, finished)| {
            Ok(StoredJob {
                job_id: job_id.to_owned(),
                profile,
                options: parse(&options)?,
                concurrency,
                finished,
            })
        })
        .transpose()
    }

    pub fn runs(&self, job_id: &str) -> Result<Vec<RunRecord>, AppError> {
        let docs: Vec<String> = self.with(|c| {
            let mut st =
                c.prepare("SELECT document FROM job_run WHERE job_id = ?1 ORDER BY rowid")?;
            let rows = st.query_map(params![job_id], |r| r.get(0))?;
            rows.collect()
        })?;
        docs.iter().map(|d| parse(d)).collect()
    }

    /// The run whose result names this snapshot group (the newest, should two), if any.
    pub fn run_with_group(&self, snapshot_group_id: &str) -> Result<Option<RunRecord>, AppError> {
        let doc: Option<String> = self.with(|c| {
            c.query_row(
                "SELECT document FROM job_run
                 WHERE json_extract(document, '$.result.snapshotGroupId') = ?1
                 ORDER BY updated_ms DESC LIMIT 1",
                params![snapshot_group_id],
                |r| r.get(0),
            )
            .optional()
        })?;
        doc.map(|d| parse(&d)).transpose()
    }

    /// Ids of jobs not finished, oldest first.
    pub fn unfinished(&self) -> Result<Vec<String>, AppError> {
        self.with(|c| {
            let mut st =
                c.prepare("SELECT job_id FROM job WHERE finished = 0 ORDER BY created_ms")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect()
        })
    }

    /// Every invocation sent for a job: (instance, attempt, token, invoke id).
    pub fn invocations(&self, job_id: &str) -> Result<Vec<SentInvocation>, AppError> {
        self.with(|c| {
            let mut st = c.prepare(
                "SELECT instance_id, attempt, client_token, invoke_id FROM job_invocation
                 WHERE job_id = ?1 ORDER BY instance_id, attempt",
            )?;
            let rows = st.query_map(params![job_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            rows.collect()
        })
    }

    pub fn report(&self, job_id: &str) -> Result<JobReport, AppError> {
        Ok(JobReport {
            job_id: job_id.to_owned(),
            results: self.runs(job_id)?.into_iter().map(|r| r.result).collect(),
        })
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v)
        .map_err(|e| AppError::internal(format!("history does not serialise: {e}")))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, AppError> {
    serde_json::from_str(s)
        .map_err(|e| AppError::internal(format!("job history cannot be read: {e}")))
}
