//! What was pushed where: one row per (profile, instance, path) in `appsnap.db`'s
//! `scripts_pushed` table (migration 3 in fleet/store.rs), replaced by every push: the
//! hash, the file facts and (migration 7) the text as sent, so a snapshot run can push
//! it again to `/tmp`, which a reboot may empty. Scripts hold no secrets by design (the
//! templates read credentials from option files on the guest); the text never leaves
//! this table (not in IPC, exports or logs). Rows from before migration 7 have no text.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::push::PushReport;
use super::types::ScriptRole;
use crate::error::AppError;
use crate::fleet::FleetStore;

/// Step 7 of `appsnap.db`: the text of each pushed script (NULL for older rows).
pub const RECORDS_MIGRATION: &str = "ALTER TABLE scripts_pushed ADD COLUMN content TEXT;";

impl FleetStore {
    /// Records every file of `report` that SendFile wrote (verified or not, as the
    /// report says), replacing what was recorded for that instance and path.
    pub fn record_push(
        &mut self,
        profile: &str,
        report: &PushReport,
        pushed_at_ms: i64,
    ) -> Result<(), AppError> {
        let path = self.path().to_path_buf();
        let db = |e: rusqlite::Error| crate::fleet::store_error(&path, &e);
        let tx = self.connection().transaction().map_err(db)?;
        for i in &report.instances {
            for f in i.files.iter().filter(|f| f.written) {
                tx.execute(
                    "INSERT INTO scripts_pushed (profile, instance_id, region_id, path, role,
                       sha256, size, mode, owner, file_group, source, invoke_id, verified,
                       pushed_at_ms, content)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                     ON CONFLICT(profile, instance_id, path) DO UPDATE SET
                       region_id = excluded.region_id, role = excluded.role,
                       sha256 = excluded.sha256, size = excluded.size, mode = excluded.mode,
                       owner = excluded.owner, file_group = excluded.file_group,
                       source = excluded.source, invoke_id = excluded.invoke_id,
                       verified = excluded.verified, pushed_at_ms = excluded.pushed_at_ms,
                       content = excluded.content",
                    params![
                        profile,
                        i.instance_id,
                        i.region_id,
                        f.path,
                        f.role.name(),
                        f.sha256,
                        f.size as i64,
                        report.mode,
                        report.owner,
                        report.group,
                        report.source,
                        f.invoke_id,
                        i.verified,
                        pushed_at_ms,
                        f.content,
                    ],
                )
                .map_err(db)?;
            }
        }
        tx.commit().map_err(db)?;
        // New scripts: what the last test run said of the old ones no longer holds.
        let pushed: Vec<&str> = report
            .instances
            .iter()
            .filter(|i| i.files.iter().any(|f| f.written))
            .map(|i| i.instance_id.as_str())
            .collect();
        self.update_instances(profile, |i| {
            pushed.contains(&i.instance_id.as_str()) && i.script_test.take().is_some()
        })
    }

    /// The profile's records for `instance_ids` (every instance when empty), by instance
    /// then path.
    pub fn pushed_scripts(
        &mut self,
        profile: &str,
        instance_ids: &[String],
    ) -> Result<Vec<PushedScript>, AppError> {
        let path = self.path().to_path_buf();
        pushed_scripts_in(self.connection(), profile, instance_ids)
            .map_err(|e| crate::fleet::store_error(&path, &e))
    }
}

/// [`FleetStore::pushed_scripts`] on any connection to `appsnap.db` (the jobs' store).
pub(crate) fn pushed_scripts_in(
    conn: &rusqlite::Connection,
    profile: &str,
    instance_ids: &[String],
) -> Result<Vec<PushedScript>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT instance_id, region_id, path, role, sha256, size, mode, owner,
                file_group, source, invoke_id, verified, pushed_at_ms, content
           FROM scripts_pushed WHERE profile = ?1 ORDER BY instance_id, path",
    )?;
    let rows = stmt.query_map(params![profile], |r| {
        let role: String = r.get(3)?;
        Ok(PushedScript {
            instance_id: r.get(0)?,
            region_id: r.get(1)?,
            path: r.get(2)?,
            role: ScriptRole::ALL
                .iter()
                .copied()
                .find(|x| x.name() == role)
                .unwrap_or(ScriptRole::Freeze),
            sha256: r.get(4)?,
            size: r.get::<_, i64>(5)? as u64,
            mode: r.get(6)?,
            owner: r.get(7)?,
            group: r.get(8)?,
            source: r.get(9)?,
            invoke_id: r.get(10)?,
            verified: r.get(11)?,
            pushed_at_ms: r.get(12)?,
            content: r.get(13)?,
        })
    })?;
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        if instance_ids.is_empty() || instance_ids.contains(&row.instance_id) {
            out.push(row);
        }
    }
    Ok(out)
}

/// One script file AppSnap pushed to one instance, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PushedScript {
    pub instance_id: String,
    pub region_id: String,
    pub path: String,
    pub role: ScriptRole,
    /// Lowercase hex SHA-256 of the bytes sent.
    pub sha256: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mode: String,
    pub owner: String,
    pub group: String,
    /// The template's name, or `custom`.
    pub source: String,
    /// The SendFile invocation (`f-…`).
    pub invoke_id: String,
    /// The read-back after the push matched.
    pub verified: bool,
    #[ts(type = "number")]
    pub pushed_at_ms: i64,
    /// The text as sent, to push it again before a run; never serialised (not in IPC,
    /// exports or logs). `None` for records from before it was kept.
    #[serde(skip)]
    #[ts(skip)]
    pub content: Option<String>,
}
