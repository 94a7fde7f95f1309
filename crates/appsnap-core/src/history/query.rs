//! Reading job history from `appsnap.db`: filtered pages from the indexes of schema step
//! 5, one job in detail, and the full filtered set for export.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension};

use super::time::iso_utc;
use super::types::{
    ExportedRun, HistoryFilter, HistoryPage, HistoryRow, JobDetail, PageRequest, ScriptHash,
};
use crate::error::{AppError, ErrorCode};
use crate::fleet::FleetStore;
use crate::jobs::{RunRecord, RunStatus, SnapshotOptions};

/// The largest page a list asks for at once.
pub const MAX_PAGE: u32 = 1000;

/// `appsnap.db`, opened for reading history (same file and migrations as the fleet store).
pub struct History {
    path: PathBuf,
    conn: Connection,
    /// Where an unreadable file was moved when this was opened; the caller reports it.
    pub moved_aside: Option<PathBuf>,
}

impl History {
    pub fn open(dir: &Path) -> Result<Self, AppError> {
        let fleet = FleetStore::open(dir)?;
        let path = fleet.path().to_owned();
        let moved_aside = fleet.moved_aside.clone();
        Ok(Self {
            path,
            conn: fleet.into_connection(),
            moved_aside,
        })
    }

    pub fn in_data_dir() -> Result<Self, AppError> {
        Self::open(&crate::fleet::data_dir()?)
    }

    fn db(&self, e: rusqlite::Error) -> AppError {
        AppError::internal(format!("{}: {e}", self.path.display()))
    }

    /// One page of the filtered runs, newest job first, and how many match in all.
    pub fn list(&self, filter: &HistoryFilter, page: PageRequest) -> Result<HistoryPage, AppError> {
        if page.limit == 0 || page.limit > MAX_PAGE {
            return Err(AppError::invalid_input(format!(
                "a page holds 1 to {MAX_PAGE} runs, not {}",
                page.limit
            )));
        }
        let (clause, args) = where_clause(filter)?;
        let total: i64 = self
            .conn
            .query_row(
                &format!(
                    "SELECT count(*) FROM job_run r JOIN job j ON j.job_id = r.job_id {clause}"
                ),
                rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
                |r| r.get(0),
            )
            .map_err(|e| self.db(e))?;
        // The page is chosen on narrow columns first; only its rows' documents are read.
        let sql = format!(
            "SELECT r.job_id, j.created_ms, j.profile, r.instance_id, r.region_id, r.status,
                    r.consistency, json_extract(r.document, '$.result.snapshotGroupId'),
                    json_extract(r.document, '$.result.exitCode')
             FROM (SELECT r.rowid AS rid, j.created_ms AS c, j.job_id AS jid,
                          r.instance_id AS iid
                   FROM job_run r JOIN job j ON j.job_id = r.job_id {clause}
                   ORDER BY j.created_ms DESC, j.job_id DESC, r.instance_id
                   LIMIT {} OFFSET {}) p
             JOIN job_run r ON r.rowid = p.rid JOIN job j ON j.job_id = r.job_id
             ORDER BY p.c DESC, p.jid DESC, p.iid",
            page.limit, page.offset
        );
        let mut st = self.conn.prepare(&sql).map_err(|e| self.db(e))?;
        let raw = st
            .query_map(
                rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<i64>>(8)?,
                    ))
                },
            )
            .map_err(|e| self.db(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db(e))?;
        let rows = raw
            .into_iter()
            .map(
                |(job_id, created_ms, profile, instance_id, region, status, cons, group, exit)| {
                    Ok(HistoryRow {
                        job_id,
                        created_ms,
                        profile,
                        instance_id,
                        region_id: region.unwrap_or_default(),
                        status: status_named(&status)?,
                        consistency: cons.map(|c| word(&c)).transpose()?,
                        snapshot_group_id: group,
                        exit_code: exit,
                    })
                },
            )
            .collect::<Result<_, AppError>>()?;
        Ok(HistoryPage {
            rows,
            total: total as u64,
        })
    }

    /// A job and every run's result; `NotFound` when history has no such job.
    pub fn job(&self, job_id: &str) -> Result<JobDetail, AppError> {
        let head: Option<(i64, String, String, u32, bool)> = self
            .conn
            .query_row(
                "SELECT created_ms, profile, options, concurrency, finished FROM job
                 WHERE job_id = ?1",
                params![job_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(|e| self.db(e))?;
        let Some((created_ms, profile, options, concurrency, finished)) = head else {
            return Err(AppError::new(
                ErrorCode::NotFound,
                format!("no job {job_id} in history"),
            ));
        };
        let results = self
            .records(job_id)?
            .into_iter()
            .map(|r| r.result)
            .collect();
        Ok(JobDetail {
            job_id: job_id.to_owned(),
            created_ms,
            profile,
            options: parse(&options)?,
            concurrency,
            finished,
            results,
        })
    }

    fn records(&self, job_id: &str) -> Result<Vec<RunRecord>, AppError> {
        let mut st = self
            .conn
            .prepare("SELECT document FROM job_run WHERE job_id = ?1 ORDER BY instance_id")
            .map_err(|e| self.db(e))?;
        let docs = st
            .query_map(params![job_id], |r| r.get::<_, String>(0))
            .map_err(|e| self.db(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db(e))?;
        docs.iter().map(|d| parse(d)).collect()
    }

    /// Every run the filter matches, in list order, with what an audit needs.
    pub fn export(&self, filter: &HistoryFilter) -> Result<Vec<ExportedRun>, AppError> {
        let (clause, args) = where_clause(filter)?;
        let sql = format!(
            "SELECT j.created_ms, j.profile, j.options, r.document
             FROM job_run r JOIN job j ON j.job_id = r.job_id {clause}
             ORDER BY j.created_ms DESC, j.job_id DESC, r.instance_id"
        );
        let mut st = self.conn.prepare(&sql).map_err(|e| self.db(e))?;
        let raw = st
            .query_map(
                rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .map_err(|e| self.db(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db(e))?;
        let mut options: HashMap<String, SnapshotOptions> = HashMap::new();
        let mut scripts: HashMap<(String, String), Vec<ScriptHash>> = HashMap::new();
        let mut out = Vec::with_capacity(raw.len());
        for (created_ms, profile, opts, doc) in raw {
            let rec: RunRecord = parse(&doc)?;
            let job_options = match options.get(&rec.job_id) {
                Some(o) => o.clone(),
                None => {
                    let o: SnapshotOptions = parse(&opts)?;
                    options.insert(rec.job_id.clone(), o.clone());
                    o
                }
            };
            let key = (profile.clone(), rec.result.instance_id.clone());
            if !scripts.contains_key(&key) {
                let found = self.scripts(&key.0, &key.1)?;
                scripts.insert(key.clone(), found);
            }
            let r = rec.result;
            out.push(ExportedRun {
                job_id: rec.job_id,
                started_at: iso_utc(created_ms),
                profile,
                instance_id: r.instance_id,
                region_id: r.region_id,
                status: r.status,
                consistency: r.consistency,
                attempt: rec.attempt,
                command_id: r.command_id,
                invoke_id: r.invoke_id,
                exit_code: r.exit_code,
                error_code: rec.error_code,
                snapshot_group_id: r.snapshot_group_id,
                snapshots: r
                    .disks
                    .iter()
                    .map(|d| format!("{}={}", d.disk_id, d.snapshot_id))
                    .collect(),
                explanation: r.explanation.into_iter().map(|f| f.finding).collect(),
                options: job_options,
                scripts: scripts[&key].clone(),
            });
        }
        Ok(out)
    }

    fn scripts(&self, profile: &str, instance_id: &str) -> Result<Vec<ScriptHash>, AppError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT path, role, sha256 FROM scripts_pushed
                 WHERE profile = ?1 AND instance_id = ?2 ORDER BY path",
            )
            .map_err(|e| self.db(e))?;
        let rows = st
            .query_map(params![profile, instance_id], |r| {
                Ok(ScriptHash {
                    path: r.get(0)?,
                    role: r.get(1)?,
                    sha256: r.get(2)?,
                })
            })
            .map_err(|e| self.db(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.db(e));
        rows
    }
}

/// The filter as SQL over `job_run r JOIN job j`, every value bound, never spliced.
fn where_clause(f: &HistoryFilter) -> Result<(String, Vec<Box<dyn ToSql>>), AppError> {
    if let (Some(a), Some(b)) = (f.since_ms, f.until_ms) {
        if a >= b {
            return Err(AppError::invalid_input(
                "the date range ends before it starts",
            ));
        }
    }
    let mut terms: Vec<&str> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(v) = nonblank(&f.instance_id) {
        terms.push("r.instance_id = ?");
        args.push(Box::new(v));
    }
    if let Some(v) = nonblank(&f.region_id) {
        terms.push("r.region_id = ?");
        args.push(Box::new(v));
    }
    if let Some(c) = f.consistency {
        terms.push("r.consistency = ?");
        args.push(Box::new(name_of(&c)));
    }
    if let Some(s) = f.status {
        terms.push("r.status = ?");
        args.push(Box::new(s.name().to_owned()));
    }
    if let Some(v) = f.since_ms {
        terms.push("j.created_ms >= ?");
        args.push(Box::new(v));
    }
    if let Some(v) = f.until_ms {
        terms.push("j.created_ms < ?");
        args.push(Box::new(v));
    }
    if let Some(v) = nonblank(&f.text) {
        let escaped = v
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        terms.push("(r.document LIKE ? ESCAPE '\\' OR j.profile LIKE ? ESCAPE '\\')");
        let pattern = format!("%{escaped}%");
        args.push(Box::new(pattern.clone()));
        args.push(Box::new(pattern));
    }
    if terms.is_empty() {
        return Ok((String::new(), args));
    }
    Ok((format!("WHERE {}", terms.join(" AND ")), args))
}

fn nonblank(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An enum's wire name (`application`, `succeeded`), as the documents store it.
fn name_of<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `job_run.status` holds the variant's name (`RunStatus::name`, jobs/history.rs).
fn status_named(s: &str) -> Result<RunStatus, AppError> {
    RunStatus::ALL
        .iter()
        .copied()
        .find(|v| v.name() == s)
        .ok_or_else(|| AppError::internal(format!("job history holds an unknown status '{s}'")))
}

fn word<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, AppError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| AppError::internal(format!("job history holds an unknown value '{s}': {e}")))
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, AppError> {
    serde_json::from_str(s)
        .map_err(|e| AppError::internal(format!("job history cannot be read: {e}")))
}
