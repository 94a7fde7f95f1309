//! Rollbacks in `appsnap.db` (table `rollback`, schema step 5): written before ResetDisks
//! is sent and updated as it ends, so history shows a rollback that a crash cut short.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection};

use super::types::RollbackRecord;
use crate::error::AppError;
use crate::fleet::{now_ms, FleetStore};

pub struct RollbackLog {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl RollbackLog {
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

    fn with<T>(&self, f: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T, AppError> {
        let conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&conn).map_err(|e| AppError::internal(format!("{}: {e}", self.path.display())))
    }

    /// Inserts or replaces the record as it is now.
    pub fn save(&self, r: &RollbackRecord) -> Result<(), AppError> {
        let doc = serde_json::to_string(r)
            .map_err(|e| AppError::internal(format!("rollback does not serialise: {e}")))?;
        let status = serde_json::to_value(r.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        self.with(|c| {
            c.execute(
                "INSERT INTO rollback (rollback_id, created_ms, updated_ms, profile, instance_id,
                   region_id, snapshot_group_id, status, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(rollback_id) DO UPDATE SET
                   updated_ms = excluded.updated_ms, status = excluded.status,
                   document = excluded.document",
                params![
                    r.rollback_id,
                    r.created_ms,
                    now_ms(),
                    r.profile,
                    r.plan.instance_id,
                    r.plan.region_id,
                    r.plan.snapshot_group_id,
                    status,
                    doc
                ],
            )
            .map(|_| ())
        })
    }

    /// The rollbacks of an instance (every one with `None`), newest first.
    pub fn list(&self, instance_id: Option<&str>) -> Result<Vec<RollbackRecord>, AppError> {
        let docs: Vec<String> = self.with(|c| {
            let mut st = c.prepare(
                "SELECT document FROM rollback WHERE ?1 IS NULL OR instance_id = ?1
                 ORDER BY created_ms DESC, rollback_id DESC",
            )?;
            let rows = st.query_map(params![instance_id], |r| r.get(0))?;
            rows.collect()
        })?;
        docs.iter()
            .map(|d| {
                serde_json::from_str(d).map_err(|e| {
                    AppError::internal(format!("a rollback in history cannot be read: {e}"))
                })
            })
            .collect()
    }
}
